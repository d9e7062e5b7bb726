import { request } from './transport'

export interface AuditEntry {
  seq: number
  at: string
  actor: string
  action: string
  target: string
  detail: string
  workstation: string
  hash: string
  /** The actor's name, when the actor is a staff login. */
  actor_name?: string
  /** The target named for the reader (a staff name, case number, booking slot); absent when the host has no name for it. */
  target_label?: string
}

export interface AuditPage {
  entries: AuditEntry[]
  chain_ok: boolean
  broken_at: number | null
  /** The newest entries were removed: the head kept beside the database names one it lacks. */
  cut: boolean
}

/** One page of the audit log, newest first; `before` is the seq to page back from. */
export function listAudit(limit = 50, before?: number): Promise<AuditPage> {
  const q = new URLSearchParams({ limit: String(limit) })
  if (before !== undefined) q.set('before', String(before))
  return request<AuditPage>('GET', `/api/v1/audit?${q.toString()}`)
}
