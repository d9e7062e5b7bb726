/** What the guard needs to know about the host and the session. */
export interface GuardState {
  setupNeeded: boolean
  loggedIn: boolean
  isAdmin: boolean
}

export interface GuardTarget {
  name?: string | symbol | null
  fullPath: string
  meta: { public?: boolean; admin?: boolean }
}

export type GuardResult = true | { name: string; query?: Record<string, string> }

/**
 * Decides where a navigation may go: setup first while no site exists, then login,
 * and admin views only for admins. Pure, so it is tested without a router.
 */
export function decide(to: GuardTarget, s: GuardState): GuardResult {
  if (s.setupNeeded) return to.name === 'setup' ? true : { name: 'setup' }
  if (to.name === 'setup') return s.loggedIn ? { name: 'home' } : { name: 'login' }
  if (to.meta.public) return s.loggedIn ? { name: 'home' } : true
  if (!s.loggedIn) {
    return to.fullPath && to.fullPath !== '/'
      ? { name: 'login', query: { redirect: to.fullPath } }
      : { name: 'login' }
  }
  if (to.meta.admin && !s.isAdmin) return { name: 'home' }
  return true
}
