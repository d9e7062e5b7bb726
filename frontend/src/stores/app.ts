import { ref } from 'vue'
import { defineStore } from 'pinia'
import { getStatus, type Status } from '@/api/status'
import type { Locale } from '@/api/auth'
import { i18n, LOCALE_KEY } from '@/i18n'

/** Host status (setup needed, county link) and the UI language. */
export const useAppStore = defineStore('app', () => {
  const status = ref<Status | null>(null)
  const locale = ref<Locale>(i18n.global.locale.value)

  async function loadStatus(): Promise<Status> {
    status.value = await getStatus()
    return status.value
  }

  /** Loads the status once; again while setup is needed or in recovery, since it changes then. */
  async function ensureStatus(): Promise<Status | null> {
    if (status.value && !status.value.setup_needed && !status.value.recovery) return status.value
    try {
      return await loadStatus()
    } catch {
      return status.value
    }
  }

  function setLocale(next: Locale): void {
    locale.value = next
    i18n.global.locale.value = next
    localStorage.setItem(LOCALE_KEY, next)
    document.documentElement.lang = next
  }

  return { status, locale, loadStatus, ensureStatus, setLocale }
})
