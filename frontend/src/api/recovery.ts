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

/**
 * Restores a backup; the host reopens the site at once. setupCode, the code the host's console
 * shows, is needed only from a computer other than the host.
 */
export const restoreBackup = (backup: string, setupCode = '') =>
  request<RestoreResult>(
    'POST',
    '/api/v1/recovery/restore',
    setupCode ? { backup, setup_code: setupCode } : { backup },
  )
