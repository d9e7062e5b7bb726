import { defineComponent, h, type Component } from 'vue'
import { mount, flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createRouter, createMemoryHistory } from 'vue-router'
import { NDialogProvider, NMessageProvider } from 'naive-ui'
import { createAppI18n } from '@/i18n'
import type { Locale } from '@/api/auth'

/* eslint-disable vue/one-component-per-file -- a stub route and a provider root, test-only */

/** Mounts a view inside the providers the app gives it, with a memory router, in locale. */
export async function mountView(view: Component, path = '/', locale: Locale = 'zh-CN') {
  const pinia = createPinia()
  setActivePinia(pinia)
  const i18n = createAppI18n(locale)
  const Stub = defineComponent({ render: () => h('div', 'stub') })
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', name: 'home', component: Stub },
      { path: '/login', name: 'login', component: Stub },
      { path: '/setup', name: 'setup', component: Stub },
      { path: '/cases/:id', name: 'case', component: Stub },
    ],
  })
  await router.push(path)
  await router.isReady()
  const Root = defineComponent({
    render: () => h(NMessageProvider, () => h(NDialogProvider, () => h(view))),
  })
  const wrapper = mount(Root, {
    global: { plugins: [pinia, i18n, router] },
    attachTo: document.body,
  })
  await flushPromises()
  return { wrapper, router }
}

/** Waits for async validation and re-renders to settle. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await flushPromises()
    await new Promise((r) => setTimeout(r, 0))
  }
}

/** Text of every visible form-item feedback line. */
export function feedback(root: ParentNode = document.body): string[] {
  return [...root.querySelectorAll('.n-form-item-feedback__line')].map((e) => e.textContent ?? '')
}

export function jsonResponse(status: number, body: unknown): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  })
}
