import { request } from './transport'

/** What GET /api/v1/status carries when the desktop program could not start. */
export interface ProblemState {
  /** Why the program could not start: the sentence it also printed on stderr. */
  error: string
  /** A window workstation whose saved hall host refuses it: joining the hall again is the way out. */
  can_rejoin: boolean
}

/**
 * Forgets the hall host this window workstation joined; the program starts again at its first-run
 * screen, where the hall is joined anew. Only the desktop window may.
 */
export const rejoinHall = () => request<{ rejoining: boolean }>('POST', '/api/v1/problem/rejoin')

/** Closes the desktop window; the program ends with the start-up error. */
export const quitProgram = () => request<{ quitting: boolean }>('POST', '/api/v1/problem/quit')
