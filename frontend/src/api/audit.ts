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
