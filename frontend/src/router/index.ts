import { createRouter, createWebHashHistory, type RouteRecordRaw, type Router } from 'vue-router'
import { useAppStore } from '@/stores/app'
import { useSessionStore } from '@/stores/session'
import type { Role } from '@/api/auth'
import { decide } from './guard'
import { countyRoutes } from './countyRoutes'
import { decideCounty } from './countyGuard'
import { useCountyStore } from '@/stores/county'

declare module 'vue-router' {
  interface RouteMeta {
    public?: boolean
    admin?: boolean
    /** A LAN page (display, kiosk, rating pad): full screen, no login, no setup check. */
    lan?: boolean
    /** Roles that may open the view; all when absent. */
    roles?: readonly Role[]
    /** i18n key of the menu label */
    title?: string
    /** The menu entry (a route name) a sub-page highlights; the route's own name when absent. */
    menu?: string
    /** A county page: served by the county server, with the county staff session. */
    county?: boolean
  }
}

/** The roles that work the queue and see ratings. */
export const queueRoles: readonly Role[] = ['admin', 'clerk', 'duty']

export const routes: RouteRecordRaw[] = [
  {
    path: '/display',
    name: 'display',
    component: () => import('@/views/DisplayView/DisplayView.vue'),
    meta: { lan: true },
  },
  {
    path: '/kiosk',
    name: 'kiosk',
    component: () => import('@/views/KioskView/KioskView.vue'),
    meta: { lan: true },
  },
  {
    path: '/rate/:window(\\d+)',
    name: 'rate',
    component: () => import('@/views/RatePadView/RatePadView.vue'),
    meta: { lan: true },
  },
  {
    path: '/problem',
    name: 'problem',
    component: () => import('@/views/ProblemView/ProblemView.vue'),
    meta: { public: true },
  },
  {
    path: '/recovery',
    name: 'recovery',
    component: () => import('@/views/RecoveryView/RecoveryView.vue'),
    meta: { public: true },
  },
  {
    path: '/setup',
    name: 'setup',
    component: () => import('@/views/SetupView/SetupView.vue'),
    meta: { public: true },
  },
  {
    path: '/login',
    name: 'login',
    component: () => import('@/views/LoginView/LoginView.vue'),
    meta: { public: true },
  },
  {
    path: '/',
    component: () => import('@/layouts/MainLayout.vue'),
    children: [
      {
        path: '',
        name: 'home',
        component: () => import('@/views/HomeView/HomeView.vue'),
        meta: { title: 'menu.home' },
      },
      {
        path: 'queue',
        name: 'queue',
        component: () => import('@/views/QueueView/QueueView.vue'),
        meta: { roles: queueRoles, title: 'menu.queue' },
      },
      {
        path: 'ratings',
        name: 'ratings',
        component: () => import('@/views/RatingsView/RatingsView.vue'),
        meta: { roles: queueRoles, title: 'menu.ratings' },
      },
      {
        path: 'catalog',
        name: 'catalog',
        component: () => import('@/views/CatalogView/CatalogView.vue'),
        meta: { title: 'menu.catalog' },
      },
      {
        path: 'catalog/lists/:tag?',
        name: 'catalog-lists',
        component: () => import('@/views/CatalogListsView/CatalogListsView.vue'),
        meta: { title: 'catalog.lists', menu: 'catalog' },
      },
      {
        path: 'catalog/map',
        name: 'catalog-map',
        component: () => import('@/views/CatalogMapView/CatalogMapView.vue'),
        meta: { title: 'catalog.map', menu: 'catalog' },
      },
      {
        path: 'cases',
        name: 'cases',
        component: () => import('@/views/CasesView/CasesView.vue'),
        meta: { title: 'menu.cases' },
      },
      {
        path: 'cases/new',
        name: 'case-new',
        component: () => import('@/views/CaseOpenView/CaseOpenView.vue'),
        meta: { title: 'cases.openTitle', menu: 'cases' },
      },
      {
        path: 'cases/:id',
        name: 'case',
        component: () => import('@/views/CaseView/CaseView.vue'),
        meta: { title: 'menu.cases', menu: 'cases' },
      },
      {
        path: 'proxy',
        name: 'proxy',
        component: () => import('@/views/ProxyView/ProxyView.vue'),
        meta: { roles: ['admin', 'clerk', 'assistant'], title: 'menu.proxy' },
      },
      {
        path: 'staff',
        name: 'staff',
        component: () => import('@/views/StaffView/StaffView.vue'),
        meta: { admin: true, title: 'menu.staff' },
      },
      {
        path: 'settings',
        name: 'settings',
        component: () => import('@/views/SettingsView/SettingsView.vue'),
        meta: { admin: true, title: 'menu.settings' },
      },
      {
        path: 'audit',
        name: 'audit',
        component: () => import('@/views/AuditView/AuditView.vue'),
        meta: { admin: true, title: 'menu.audit' },
      },
      {
        path: 'jobs',
        name: 'jobs',
        component: () => import('@/views/JobsView/JobsView.vue'),
        meta: { admin: true, title: 'menu.jobs' },
      },
      {
        path: 'backups',
        name: 'backups',
        component: () => import('@/views/BackupsView/BackupsView.vue'),
        meta: { admin: true, title: 'menu.backups' },
      },
      {
        path: 'calendar',
        name: 'calendar',
        component: () => import('@/views/CalendarView/CalendarView.vue'),
        meta: { title: 'menu.calendar' },
      },
      {
        path: 'duties',
        name: 'duties',
        component: () => import('@/views/DutiesView/DutiesView.vue'),
        meta: { title: 'menu.duties' },
      },
      {
        path: 'roster',
        name: 'roster',
        component: () => import('@/views/RosterView/RosterView.vue'),
        meta: { admin: true, title: 'menu.roster' },
      },
      {
        path: 'my-duty',
        name: 'my-duty',
        component: () => import('@/views/MyDutyView/MyDutyView.vue'),
        meta: { title: 'menu.myDuty' },
      },
      {
        path: 'reports',
        name: 'reports',
        component: () => import('@/views/ReportsView/DashboardView.vue'),
        meta: { admin: true, title: 'menu.reports' },
      },
      {
        path: 'reports/period',
        name: 'reports-period',
        component: () => import('@/views/ReportsView/PeriodView.vue'),
        meta: { admin: true, title: 'reports.nav.period', menu: 'reports' },
      },
      {
        path: 'reports/ranking',
        name: 'reports-ranking',
        component: () => import('@/views/ReportsView/RankingView.vue'),
        meta: { admin: true, title: 'reports.nav.ranking', menu: 'reports' },
      },
      {
        path: 'reports/compliance',
        name: 'reports-compliance',
        component: () => import('@/views/ReportsView/ComplianceView.vue'),
        meta: { admin: true, title: 'reports.nav.compliance', menu: 'reports' },
      },
      {
        path: 'call-list',
        name: 'call-list',
        component: () => import('@/views/CallListView/CallListView.vue'),
        meta: { roles: queueRoles, title: 'menu.callList' },
      },
      {
        path: 'duty-desk',
        name: 'duty-desk',
        component: () => import('@/views/DutyDeskView/DutyDeskView.vue'),
        meta: { roles: queueRoles, title: 'menu.dutyDesk' },
      },
      {
        path: 'account',
        name: 'account',
        component: () => import('@/views/AccountView/AccountView.vue'),
        meta: { title: 'menu.account' },
      },
    ],
  },
  ...countyRoutes,
  { path: '/:pathMatch(.*)*', redirect: '/' },
]

/** Installs the guard: it asks the host whether setup is needed and restores the session. */
export function installGuard(router: Router): void {
  router.beforeEach(async (to) => {
    // The LAN pages ask the host nothing before they open; they run without a session.
    if (to.meta.lan) return true
    const app = useAppStore()
    const session = useSessionStore()
    const status = await app.ensureStatus()
    const county = decideCounty(to, {
      isCounty: status?.role === 'county',
      loggedIn: useCountyStore().loggedIn,
    })
    if (county !== undefined) return county
    const recovery = status?.recovery !== undefined && status.recovery !== null
    const problem = status?.problem !== undefined && status.problem !== null
    const setupNeeded = status?.setup_needed ?? false
    if (!setupNeeded && !recovery && !problem) await session.restore()
    return decide(to, {
      setupNeeded,
      recovery,
      problem,
      loggedIn: session.loggedIn,
      isAdmin: session.isAdmin,
      role: session.staff?.role,
    })
  })
}

export function createAppRouter(): Router {
  const router = createRouter({ history: createWebHashHistory(), routes })
  installGuard(router)
  return router
}
