import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { createAppI18n } from '@/i18n'
import type { Locale } from '@/api/auth'
import type { Compliance } from '@/api/site'
import type { Job } from '@/api/jobs'
import type { CaseEvent } from '@/api/cases'
import type { AuditEntry } from '@/api/audit'
import { auditActionText, caseEventDetail, caseEventName, jobText, ruleText } from '@/i18n/hostText'
import ComplianceTable from '@/components/ComplianceTable.vue'
import CaseHistory from '@/views/CaseView/components/CaseHistory.vue'

const cjk = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/

function wording(locale: Locale) {
  const { t, te } = createAppI18n(locale).global
  return { t: t as (k: string, n?: Record<string, unknown>) => string, te }
}

const compliance: Compliance = {
  window_staff: {
    required: 7,
    actual: 6,
    ok: false,
    code: 'window_staff.pop_3_6wan',
    params: { min: 7 },
    rule: '户籍人口3–6万：窗口专职人员不少于7人',
  },
  floor_area: {
    required: 300,
    actual: 320,
    ok: true,
    code: 'floor_area.town_street',
    params: { min: 300 },
    rule: '镇（街道）便民服务中心不少于300 m²',
  },
  terminals: {
    required: 2,
    actual: 1,
    ok: false,
    code: 'terminals.sub_centre',
    params: { min: 2 },
    rule: '片区副中心不少于2台自助设备',
  },
}

const job = (name: string, params: Record<string, number> | null, description = ''): Job => ({
  name,
  description,
  params,
  spec: '0 2 * * *',
  last_run: null,
  last_error: '',
  next_run: null,
  caught_up: false,
  caught_up_for: null,
})

const event = (action: string, params: Record<string, unknown>, detail = ''): CaseEvent => ({
  at: '2026-11-25T01:00:00Z',
  actor: 'clerk1',
  actor_name: '李窗口',
  action,
  action_name: '',
  detail,
  params,
})

describe('host codes worded in both languages', () => {
  it('words a compliance rule from its code and minimum', () => {
    expect(ruleText(wording('zh-CN'), compliance.window_staff)).toBe(
      '户籍人口3–6万：窗口专职人员不少于7人',
    )
    const en = ruleText(wording('en'), compliance.window_staff)
    expect(en).toBe('Registered population 30,000–60,000: at least 7 full-time window staff')
    expect(ruleText(wording('en'), { ...compliance.floor_area, code: 'floor_area.new' })).toBe(
      compliance.floor_area.rule,
    )
  })

  it('words a job from its name and params, falling back to the host sentence', () => {
    expect(jobText(wording('zh-CN'), job('backup', { keep: 14 }))).toBe(
      '每晚备份数据库，保留最近14份',
    )
    expect(jobText(wording('en'), job('backup', { keep: 14 }))).toBe(
      'Back up the database every night, keeping the latest 14',
    )
    expect(jobText(wording('en'), job('end-of-day', null))).toMatch(/^Close the day's queue/)
    expect(jobText(wording('en'), job('county-sync', null))).toBe(
      'Every minute, push the records waiting for the county',
    )
    expect(jobText(wording('en'), job('dataset-pull', null, '拉取县平台数据'))).toBe(
      '拉取县平台数据',
    )
  })

  it('words a case history line from its action and params; an older line keeps its sentence', () => {
    const accept = event('accept', { limit_days: 20, due: '2026-12-23', note: '加急' })
    expect(caseEventName(wording('zh-CN'), accept)).toBe('受理')
    expect(caseEventDetail(wording('zh-CN'), accept)).toBe(
      '承诺20个工作日，2026-12-23前办结；备注：加急',
    )
    expect(caseEventName(wording('en'), accept)).toBe('Accepted')
    expect(caseEventDetail(wording('en'), accept)).toBe(
      'Promised in 20 working days, by 2026-12-23; Note: 加急',
    )
    const fields = event('citizen', { fields: ['name', 'phone'] })
    expect(caseEventDetail(wording('en'), fields)).toBe('Corrected name, phone')
    expect(caseEventDetail(wording('zh-CN'), fields)).toBe('更正姓名、电话')
    expect(caseEventDetail(wording('en'), event('open', {}, '低保，号票A001'))).toBe(
      '低保，号票A001',
    )
  })

  it('words an audit action, and shows an unknown one as its code', () => {
    const entry = (action: string) => ({ action }) as AuditEntry
    expect(auditActionText(wording('zh-CN'), entry('case.read_id'))).toBe(
      '查看办件申请人的完整身份证号码',
    )
    expect(auditActionText(wording('en'), entry('staff.create'))).toBe('Added a staff member')
    expect(auditActionText(wording('en'), entry('county.sync'))).toBe('county.sync')
  })
})

describe('rendered in English', () => {
  it('shows the compliance table without Chinese', () => {
    const w = mount(ComplianceTable, {
      props: { compliance },
      global: { plugins: [createAppI18n('en')] },
    })
    expect(w.text()).toContain('at least 7 full-time window staff')
    expect(w.text()).toContain('A town or street centre needs at least 300 m²')
    expect(w.text()).not.toMatch(cjk)
  })

  it('shows a case history in Chinese and in English from the same lines', () => {
    const events = [
      event('open', { item: 'Minimum living allowance', ticket: 'A001' }),
      event('request_supplements', { missing: ['ID copy', 'Income statement'] }),
    ]
    const zh = mount(CaseHistory, {
      props: { events },
      global: { plugins: [createAppI18n('zh-CN')] },
    })
    expect(zh.text()).toContain('登记办件')
    expect(zh.text()).toContain('缺ID copy、Income statement')
    const en = mount(CaseHistory, { props: { events }, global: { plugins: [createAppI18n('en')] } })
    expect(en.text()).toContain('Case opened')
    expect(en.text()).toContain('Item: Minimum living allowance; ticket A001')
    expect(en.text()).toContain('Missing ID copy, Income statement')
  })
})
