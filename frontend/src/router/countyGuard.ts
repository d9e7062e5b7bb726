import type { GuardResult } from './guard'

export interface CountyGuardTarget {
  name?: string | symbol | null
  fullPath: string
  meta: { county?: boolean; public?: boolean }
}

/**
 * Decides where a navigation may go on a host, by whether the host is the county server and the
 * county staff session. The county serves only the county pages, and a site host none of them; on
 * the county, every page but its login wants a session. Pure, so it is tested without a router.
 * Returns undefined for a site page on a site host: the site's guard decides.
 */
export function decideCounty(
  to: CountyGuardTarget,
  s: { isCounty: boolean; loggedIn: boolean },
): GuardResult | undefined {
  if (!to.meta.county) return s.isCounty ? { name: 'county-sites' } : undefined
  if (!s.isCounty) return { name: 'home' }
  if (to.meta.public) return s.loggedIn ? { name: 'county-sites' } : true
  if (!s.loggedIn) {
    return to.name === 'county-sites'
      ? { name: 'county-login' }
      : { name: 'county-login', query: { redirect: to.fullPath } }
  }
  return true
}
