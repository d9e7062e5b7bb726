import type { RouteRecordRaw } from 'vue-router'

/**
 * The county pages, served by `budayang county serve`: outside the site's layout, with their own
 * login and layout (CountyLayout), whose menu takes the county's inspection dashboards as well.
 */
export const countyRoutes: RouteRecordRaw[] = [
  {
    path: '/county/login',
    name: 'county-login',
    component: () => import('@/views/CountyLoginView/CountyLoginView.vue'),
    meta: { county: true, public: true },
  },
  {
    path: '/county',
    component: () => import('@/layouts/CountyLayout.vue'),
    meta: { county: true },
    children: [
      {
        path: '',
        name: 'county-sites',
        component: () => import('@/views/CountySitesView/CountySitesView.vue'),
        meta: { title: 'county.menu.sites' },
      },
      {
        path: 'sites/:id',
        name: 'county-site',
        component: () => import('@/views/CountySiteView/CountySiteView.vue'),
        meta: { title: 'county.records.title', menu: 'county-sites' },
      },
      {
        path: 'inspection',
        name: 'county-inspection',
        component: () => import('@/views/CountyInspectionView/CountyInspectionView.vue'),
        meta: { title: 'inspection.title' },
      },
      {
        path: 'datasets',
        name: 'county-datasets',
        component: () => import('@/views/CountyDatasetsView/CountyDatasetsView.vue'),
        meta: { title: 'county.menu.datasets' },
      },
      {
        path: 'audit',
        name: 'county-audit',
        component: () => import('@/views/CountyAuditView/CountyAuditView.vue'),
        meta: { title: 'county.menu.audit' },
      },
    ],
  },
]
