import type { Case, CaseAction, CaseStatus } from '@/api/cases'

/** What a move asks for before it is sent. */
export type ActionNeed = 'confirm' | 'reason' | 'department' | 'result' | 'none'

export type ButtonType = 'primary' | 'info' | 'success' | 'warning' | 'error' | 'default'

export interface ActionButton {
  action: CaseAction
  need: ActionNeed
  type: ButtonType
}

const table: Record<CaseAction, { need: ActionNeed; type: ButtonType }> = {
  accept: { need: 'none', type: 'primary' },
  supply: { need: 'none', type: 'primary' },
  request_supplements: { need: 'confirm', type: 'warning' },
  approve: { need: 'result', type: 'info' },
  issue_certificate: { need: 'result', type: 'info' },
  complete: { need: 'result', type: 'success' },
  transfer: { need: 'department', type: 'default' },
  reject: { need: 'reason', type: 'error' },
}

/** States where the checklist and the citizen's details may still change (the host decides). */
const editable: readonly CaseStatus[] = ['consultation', 'awaiting_supplements', 'accepted']

export interface CaseControls {
  /** The signed-in person holds the case and may make its moves. */
  holder: boolean
  /** Buttons for the moves the host says the state allows, in its order. */
  buttons: ActionButton[]
  /** 接手办理 is offered: the case is open and someone else holds it. */
  canTake: boolean
  canEdit: boolean
  closed: boolean
}

/**
 * Maps a case and the signed-in staff id to what the case screen offers. The host's `actions`
 * list is the source of the moves; only the holder gets them. The host still checks each one.
 */
export function caseControls(
  c: Pick<Case, 'status' | 'actions' | 'holder_id'>,
  me: string | undefined,
): CaseControls {
  const closed = c.status === 'completed' || c.status === 'rejected'
  const holder = me !== undefined && c.holder_id === me
  const buttons = holder
    ? c.actions.filter((a) => a in table).map((a) => ({ action: a, ...table[a] }))
    : []
  return {
    holder,
    buttons,
    canTake: !closed && !holder && me !== undefined,
    canEdit: holder && editable.includes(c.status),
    closed,
  }
}

/** Which documents a case can print now (the host answers 409 with its sentence otherwise). */
export function caseDocuments(c: Pick<Case, 'status' | 'missing_any' | 'accepted_at'>) {
  return {
    notice: editable.includes(c.status) && c.missing_any > 0,
    receipt: Boolean(c.accepted_at) && c.status !== 'rejected',
    completion: c.status === 'completed',
  }
}
