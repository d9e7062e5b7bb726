// Words a compliance line in the reader's language from its code and params, falling back to the
// host's Chinese sentence for a code this build has no words for.
import type { ComplianceLine, ComplianceStatus } from '@/api/reports'
import { ruleText, type Wording } from '@/i18n/hostText'

const family = (code: string) => code.split('.')[0] ?? ''

function tagName({ t, te }: Wording, l: ComplianceLine): string {
  const tag = String(l.params.tag ?? '')
  return te(`catalog.tags.${tag}`) ? t(`catalog.tags.${tag}`) : tag
}

/** The requirement, as the plan states it. */
export function lineRequirement(w: Wording, l: ComplianceLine): string {
  const { t } = w
  switch (family(l.code)) {
    case 'window_staff':
    case 'floor_area':
    case 'terminals':
      return ruleText(w, {
        ...l,
        ok: l.status === 'met',
        rule: l.requirement,
        params: { min: l.required },
      })
    case 'villages':
      return t('reports.compliance.req.villages')
    case 'duty':
      return t('reports.compliance.req.duty')
    case 'catalog':
      return l.params.tag === 'high-frequency'
        ? t('reports.compliance.req.map')
        : t('reports.compliance.req.list', { name: tagName(w, l) })
  }
  return l.requirement
}

/** What the site has, in the line's unit. */
export function lineActual({ t }: Wording, l: ComplianceLine): string {
  const a = 'reports.compliance.actual.'
  switch (l.code) {
    case 'villages.no_data':
    case 'duty.no_shifts':
      return t(a + 'none')
    case 'villages.assistants':
      return t(a + 'villages', { n: l.actual, of: l.required })
    case 'duty.cover':
      return t(a + 'places', { n: l.actual, of: l.required })
  }
  switch (family(l.code)) {
    case 'window_staff':
      return t(a + 'persons', { n: l.actual })
    case 'floor_area':
      return t(a + 'area', { n: l.actual })
    case 'terminals':
      return t(a + 'terminals', { n: l.actual })
    case 'catalog':
      return t(a + 'items', { n: l.actual })
  }
  return String(l.actual)
}

/** What to do; empty when the requirement is met. */
export function lineAdvice(w: Wording, l: ComplianceLine): string {
  if (!l.advice) return ''
  const { t } = w
  const p = { ...l.params }
  const a = 'reports.compliance.advice.'
  switch (l.code) {
    case 'villages.no_data':
      return t(a + 'villages_no_data')
    case 'villages.assistants':
      return t(a + 'villages', p)
    case 'duty.no_shifts':
      return t(a + 'duty_no_shifts')
    case 'duty.cover':
      return t(a + 'duty', p)
    case 'catalog.list':
      return t(a + 'list', { name: tagName(w, l) })
  }
  const f = family(l.code)
  if (f === 'window_staff' || f === 'floor_area' || f === 'terminals') return t(a + f, p)
  return l.advice
}

export function statusType(s: ComplianceStatus): 'success' | 'error' | 'warning' {
  return s === 'met' ? 'success' : s === 'not_met' ? 'error' : 'warning'
}
