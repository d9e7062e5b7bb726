import { describe, expect, it } from 'vitest'
import type { CaseAction, CaseStatus } from '@/api/cases'
import { caseControls, caseDocuments } from '@/utils/caseActions'

const me = 'staff-1'
const other = 'staff-2'

function kase(status: CaseStatus, actions: CaseAction[], holder = me) {
  return { status, actions, holder_id: holder }
}

describe('caseControls', () => {
  it('gives the holder a button per move the host allows, in its order', () => {
    const c = caseControls(kase('consultation', ['accept', 'request_supplements', 'reject']), me)
    expect(c.holder).toBe(true)
    expect(c.buttons.map((b) => b.action)).toEqual(['accept', 'request_supplements', 'reject'])
    expect(c.canTake).toBe(false)
    expect(c.canEdit).toBe(true)
  })

  it('asks for a reason to reject, a department to transfer, a confirmation for supplements', () => {
    const c = caseControls(
      kase('accepted', ['request_supplements', 'approve', 'complete', 'reject', 'transfer']),
      me,
    )
    const need = Object.fromEntries(c.buttons.map((b) => [b.action, b.need]))
    expect(need).toEqual({
      request_supplements: 'confirm',
      approve: 'result',
      complete: 'result',
      reject: 'reason',
      transfer: 'department',
    })
    expect(c.buttons.find((b) => b.action === 'reject')?.type).toBe('error')
  })

  it('accepts and supplies at once, without a dialog', () => {
    const c = caseControls(kase('awaiting_supplements', ['supply', 'reject']), me)
    expect(c.buttons.find((b) => b.action === 'supply')?.need).toBe('none')
  })

  it('gives someone else no moves but 接手办理 while the case is open', () => {
    const c = caseControls(kase('accepted', ['approve', 'complete'], other), me)
    expect(c.holder).toBe(false)
    expect(c.buttons).toEqual([])
    expect(c.canTake).toBe(true)
    expect(c.canEdit).toBe(false)
  })

  it('offers nothing on a closed case', () => {
    for (const status of ['completed', 'rejected'] as const) {
      const c = caseControls(kase(status, [], other), me)
      expect(c.closed).toBe(true)
      expect(c.canTake).toBe(false)
      expect(c.buttons).toEqual([])
    }
  })

  it('keeps the checklist editable only before a decision', () => {
    expect(caseControls(kase('accepted', []), me).canEdit).toBe(true)
    expect(caseControls(kase('transferred', []), me).canEdit).toBe(false)
    expect(caseControls(kase('approved', []), me).canEdit).toBe(false)
  })

  it('ignores an action it does not know and a missing session', () => {
    const c = caseControls(kase('accepted', ['complete', 'dance' as CaseAction]), me)
    expect(c.buttons.map((b) => b.action)).toEqual(['complete'])
    expect(caseControls(kase('accepted', ['complete']), undefined).canTake).toBe(false)
  })
})

describe('caseDocuments', () => {
  it('offers the one-time notice while something is missing and the case is undecided', () => {
    expect(caseDocuments({ status: 'consultation', missing_any: 2 }).notice).toBe(true)
    expect(caseDocuments({ status: 'consultation', missing_any: 0 }).notice).toBe(false)
    expect(caseDocuments({ status: 'approved', missing_any: 2 }).notice).toBe(false)
  })

  it('offers the receipt after acceptance and the completion notice once completed', () => {
    const accepted = { status: 'accepted' as const, missing_any: 0, accepted_at: '2026-11-25' }
    expect(caseDocuments(accepted)).toEqual({ notice: false, receipt: true, completion: false })
    expect(caseDocuments({ ...accepted, status: 'completed' }).completion).toBe(true)
    expect(caseDocuments({ ...accepted, status: 'rejected' }).receipt).toBe(false)
  })
})
