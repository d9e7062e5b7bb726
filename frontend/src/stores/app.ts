import { ref } from 'vue'
import { defineStore } from 'pinia'
import { getStatus, type Status } from '@/api/status'
import type { Locale } from '@/api/auth'
import { i18n, LOCALE_KEY } from '@/i18n'
import { clockOffset, hostDate, hostMoment } from '@/utils/hostClock'

/** Host status (setup needed, county link, its clock) and the UI language. */
export const useAppStore = defineStore('app', () => {
  const status = ref<Status | null>(null)
  const locale = ref<Locale>(i18n.global.locale.value)
  /** The host's clock minus this machine's, measured at the last status read. */
  const offsetMs = ref(0)

  async function loadStatus(): Promise<Status> {
    const sentAt = Date.now()
    const st = await getStatus()
    offsetMs.value = clockOffset(st.now, sentAt, Date.now())
    status.value = st
    return st
  }

  /** The host's moment now (this machine's clock corrected by the last measured offset). */
  function hostNow(): Date {
    return hostMoment(offsetMs.value)
  }

  /**
   * Today at the host. Reads the status again, so a window left open overnight moves on; when the
   * host does not answer, the date of the last known host clock.
   */
  async function hostToday(): Promise<string> {
    try {
      const st = await loadStatus()
      return hostDate(st.today, offsetMs.value)
    } catch {
      return hostDate(undefined, offsetMs.value)
    }
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

  return { status, locale, offsetMs, loadStatus, ensureStatus, hostNow, hostToday, setLocale }
})
