/** Menu entries in order; Alt+1..9 opens them by position among those the role may see. */
export interface MenuEntry {
  name: string
  label: string
  admin: boolean
}

export const menuEntries: MenuEntry[] = [
  { name: 'home', label: 'menu.home', admin: false },
  { name: 'staff', label: 'menu.staff', admin: true },
  { name: 'settings', label: 'menu.settings', admin: true },
  { name: 'audit', label: 'menu.audit', admin: true },
  { name: 'jobs', label: 'menu.jobs', admin: true },
  { name: 'backups', label: 'menu.backups', admin: true },
  { name: 'account', label: 'menu.account', admin: false },
]

export function visibleEntries(isAdmin: boolean): MenuEntry[] {
  return menuEntries.filter((e) => isAdmin || !e.admin)
}
