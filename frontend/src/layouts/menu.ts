import type { Role } from '@/api/auth'

/** Menu entries in order; Alt+1..9 opens them by position among those the role may see. */
export interface MenuEntry {
  name: string
  label: string
  /** Roles that see the entry; every role when absent. */
  roles?: readonly Role[]
}

const queueRoles: readonly Role[] = ['admin', 'clerk', 'duty']

export const menuEntries: MenuEntry[] = [
  { name: 'home', label: 'menu.home' },
  { name: 'queue', label: 'menu.queue', roles: queueRoles },
  { name: 'ratings', label: 'menu.ratings', roles: queueRoles },
  { name: 'cases', label: 'menu.cases' },
  { name: 'proxy', label: 'menu.proxy', roles: ['admin', 'clerk', 'assistant'] },
  { name: 'catalog', label: 'menu.catalog' },
  { name: 'calendar', label: 'menu.calendar' },
  { name: 'call-list', label: 'menu.callList', roles: queueRoles },
  { name: 'duty-desk', label: 'menu.dutyDesk', roles: queueRoles },
  { name: 'staff', label: 'menu.staff', roles: ['admin'] },
  { name: 'settings', label: 'menu.settings', roles: ['admin'] },
  { name: 'audit', label: 'menu.audit', roles: ['admin'] },
  { name: 'jobs', label: 'menu.jobs', roles: ['admin'] },
  { name: 'backups', label: 'menu.backups', roles: ['admin'] },
  { name: 'duties', label: 'menu.duties' },
  { name: 'roster', label: 'menu.roster', roles: ['admin'] },
  { name: 'my-duty', label: 'menu.myDuty' },
  { name: 'reports', label: 'menu.reports', roles: ['admin'] },
  { name: 'account', label: 'menu.account' },
]

export function visibleEntries(role: Role | undefined): MenuEntry[] {
  return menuEntries.filter((e) => !e.roles || (role !== undefined && e.roles.includes(role)))
}

/** The menu entry to highlight on a route: its parent entry on a sub-page (a case → 办件). */
export function activeMenuKey(route: {
  name?: string | symbol | null
  meta?: { menu?: string }
}): string {
  if (route.meta?.menu) return route.meta.menu
  return typeof route.name === 'string' ? route.name : ''
}
