/**
 * The county pages' menu, in groups. The inspection dashboards (督查) and period reports join as a
 * group of their own: add it here and its routes to router/countyRoutes.ts.
 */
export interface CountyMenuGroup {
  key: string
  /** i18n key of the group's heading */
  label: string
  /** Route names with the i18n key of their label. */
  entries: { name: string; label: string }[]
}

export const countyMenu: CountyMenuGroup[] = [
  {
    key: 'registry',
    label: 'county.menu.registry',
    entries: [{ name: 'county-sites', label: 'county.menu.sites' }],
  },
  {
    key: 'inspection',
    label: 'inspection.menu.group',
    entries: [{ name: 'county-inspection', label: 'inspection.menu.dashboard' }],
  },
  {
    key: 'publish',
    label: 'county.menu.publish',
    entries: [{ name: 'county-datasets', label: 'county.menu.datasets' }],
  },
  {
    key: 'security',
    label: 'county.menu.security',
    entries: [{ name: 'county-audit', label: 'county.menu.audit' }],
  },
]
