// The host sends codes and parameters; these word them in the reader's language, falling back
// to the host's Chinese sentence (or the code) for what this build has no words for.
import type { ComplianceRule } from '@/api/site'
import type { Job } from '@/api/jobs'
import type { CaseEvent } from '@/api/cases'
import type { AuditEntry } from '@/api/audit'

/** The parts of vue-i18n's composer these need. */
export interface Wording {
  t: (key: string, named?: Record<string, unknown>) => string
  te: (key: string) => boolean
}

/** A compliance rule, from its code and minimum. */
export function ruleText({ t, te }: Wording, r: ComplianceRule): string {
  const key = `hostText.rules.${r.code}`
  return r.code && te(key) ? t(key, r.params ?? {}) : r.rule
}

/** What a scheduled job does, from its name and params. */
export function jobText({ t, te }: Wording, j: Job): string {
  const key = `hostText.jobs.${j.name.replace(/-/g, '_')}`
  return te(key) ? t(key, j.params ?? {}) : j.description || j.name
}

/** The title of a case history line. */
export function caseEventName({ t, te }: Wording, e: CaseEvent): string {
  const key = `hostText.caseEvent.${e.action}`
  return te(key) ? t(key) : e.action_name || e.action
}

const str = (v: unknown) => (typeof v === 'string' ? v : '')

/** The detail of a case history line, from its params; a line older than params keeps its sentence. */
export function caseEventDetail(w: Wording, e: CaseEvent): string {
  const p = e.params ?? {}
  if (Object.keys(p).length === 0) return e.detail ?? ''
  const { t } = w
  const sep = t('hostText.listSeparator')
  const parts: string[] = []
  if (p.item) parts.push(t('hostText.caseDetail.item', { item: p.item }))
  if (p.ticket) parts.push(t('hostText.caseDetail.ticket', { ticket: p.ticket }))
  if (p.holder !== undefined)
    parts.push(t('hostText.caseDetail.holder', { holder: p.holder, responsible: p.responsible }))
  if (p.received !== undefined)
    parts.push(
      t('hostText.caseDetail.materials', { received: p.received, missing: p.missing_required }),
    )
  if (Array.isArray(p.fields))
    parts.push(
      p.fields.length === 0
        ? t('hostText.caseDetail.noChange')
        : t('hostText.caseDetail.fields', {
            fields: p.fields.map((f) => t(`hostText.citizenField.${str(f)}`)).join(sep),
          }),
    )
  if (p.limit_days !== undefined)
    parts.push(t('hostText.caseDetail.limit', { days: p.limit_days, due: p.due }))
  if (p.paused_days !== undefined)
    parts.push(t('hostText.caseDetail.paused', { days: p.paused_days, due: p.due }))
  if (Array.isArray(p.missing))
    parts.push(t('hostText.caseDetail.missing', { list: p.missing.map(str).join(sep) }))
  if (p.old_due !== undefined && p.old_due !== p.due)
    parts.push(t('hostText.caseDetail.moved', { year: p.year, old: p.old_due, due: p.due }))
  if (p.old_paused !== undefined)
    parts.push(t('hostText.caseDetail.repaused', { old: p.old_paused, days: p.paused }))
  for (const k of ['reason', 'department', 'result', 'note'] as const)
    if (p[k]) parts.push(t(`hostText.caseDetail.${k}`, { text: str(p[k]) }))
  return parts.join(t('hostText.partSeparator'))
}

/**
 * A calendar warning about a year without a holiday arrangement, worded from its year; any other
 * sentence shows as the host wrote it.
 */
export function calendarWarningText({ t }: Wording, warning: string): string {
  const m = /^(\d{4})年节假日安排尚未导入/.exec(warning)
  return m ? t('hostText.missingYear', { year: m[1] }) : warning
}

/** An audit action as a sentence; an unknown code shows as itself. */
export function auditActionText({ t, te }: Wording, a: AuditEntry): string {
  const key = `auditAction.${a.action}`
  return te(key) ? t(key) : a.action
}
