import { request } from './transport'
import type { ProblemState } from './problem'
import type { RecoveryState } from './recovery'

export type CountyState = 'unconfigured' | 'online' | 'offline'

export interface Status {
  version: string
  site_name: string
  setup_needed: boolean
  /** The host's clock, RFC 3339 (absent from hosts older than this field). */
  now?: string
  /** Today at the host, YYYY-MM-DD (Asia/Shanghai). */
  today?: string
  county: {
    state: CountyState
    last_sync: string | null
    /** The sync stall alarm: the queue made no progress for 10 minutes while the county answered. */
    stalled?: boolean
    /** When the queue last moved, while stalled. */
    stalled_since?: string | null
  }
  /** The host runs on a clock set for tests (BUDAYANG_CLOCK): shown as 测试时钟. */
  test_clock?: boolean
  /** "county" when the host is the county server: the UI opens the county pages there. */
  role?: 'county'
  /** Present only while the database is damaged and the host serves the recovery door. */
  recovery?: RecoveryState
  /** Present only in the desktop window of a program that could not start: it says why. */
  problem?: ProblemState
}

export const getStatus = () => request<Status>('GET', '/api/v1/status')
