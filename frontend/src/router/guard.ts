import type { Role } from '@/api/auth'

/** What the guard needs to know about the host and the session. */
export interface GuardState {
  setupNeeded: boolean
  loggedIn: boolean
  isAdmin: boolean
  /** The host serves the recovery door: its database is damaged. */
  recovery?: boolean
  /** The desktop program could not start: its window only says why. */
  problem?: boolean
  role?: Role
}

export interface GuardTarget {
  name?: string | symbol | null
  fullPath: string
  meta: { public?: boolean; admin?: boolean; lan?: boolean; roles?: readonly Role[] }
}

export type GuardResult = true | { name: string; query?: Record<string, string> }

/**
 * Decides where a navigation may go. The LAN pages (display, kiosk, rating pad) always open: they
 * need no login and carry no personal data. A program that could not start shows only why; a damaged
 * database sends everything else to recovery; then setup comes first while no site exists, then
 * login, then the role checks.
 * Pure, so it is tested without a router.
 */
export function decide(to: GuardTarget, s: GuardState): GuardResult {
  if (to.meta.lan) return true
  if (s.problem) return to.name === 'problem' ? true : { name: 'problem' }
  if (to.name === 'problem') return s.loggedIn ? { name: 'home' } : { name: 'login' }
  if (s.recovery) return to.name === 'recovery' ? true : { name: 'recovery' }
  if (to.name === 'recovery') return s.loggedIn ? { name: 'home' } : { name: 'login' }
  if (s.setupNeeded) return to.name === 'setup' ? true : { name: 'setup' }
  if (to.name === 'setup') return s.loggedIn ? { name: 'home' } : { name: 'login' }
  if (to.meta.public) return s.loggedIn ? { name: 'home' } : true
  if (!s.loggedIn) {
    return to.fullPath && to.fullPath !== '/'
      ? { name: 'login', query: { redirect: to.fullPath } }
      : { name: 'login' }
  }
  // A page this role may not open: home, saying why, instead of a silent jump.
  const denied = { name: 'home', query: { denied: to.fullPath } }
  if (to.meta.admin && !s.isAdmin) return denied
  if (to.meta.roles && !(s.role && to.meta.roles.includes(s.role))) return denied
  return true
}
