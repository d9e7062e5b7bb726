import { createRouter, createWebHashHistory, type RouteRecordRaw, type Router } from 'vue-router'
import { useAppStore } from '@/stores/app'
import { useSessionStore } from '@/stores/session'
import { decide } from './guard'

declare module 'vue-router' {
  interface RouteMeta {
    public?: boolean
    admin?: boolean
    /** i18n key of the menu label */
    title?: string
  }
}

export const routes: RouteRecordRaw[] = [
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
        path: 'account',
        name: 'account',
        component: () => import('@/views/AccountView/AccountView.vue'),
        meta: { title: 'menu.account' },
      },
    ],
  },
  { path: '/:pathMatch(.*)*', redirect: '/' },
]

/** Installs the guard: it asks the host whether setup is needed and restores the session. */
export function installGuard(router: Router): void {
  router.beforeEach(async (to) => {
    const app = useAppStore()
    const session = useSessionStore()
    const status = await app.ensureStatus()
    const setupNeeded = status?.setup_needed ?? false
    if (!setupNeeded) await session.restore()
    return decide(to, { setupNeeded, loggedIn: session.loggedIn, isAdmin: session.isAdmin })
  })
}

export function createAppRouter(): Router {
  const router = createRouter({ history: createWebHashHistory(), routes })
  installGuard(router)
  return router
}
