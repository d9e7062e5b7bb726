import { request } from './transport'
import type { Backup } from './backups'

/** What GET /api/v1/status carries while the database cannot be opened. */
export interface RecoveryState {
  /** The sentence for the person at the workstation. */
  error: string
  /** The technical cause, for whoever supports the site. */
  detail: string
  backups: Backup[]
}

export interface RestoreResult {
  restored: string
  /** The damaged file, kept beside the restored one. */
  kept: string
}

/** Restores a backup; the host reopens the site at once. */
export const restoreBackup = (backup: string) =>
  request<RestoreResult>('POST', '/api/v1/recovery/restore', { backup })
