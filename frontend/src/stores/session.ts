import { computed, ref } from 'vue'
import { defineStore } from 'pinia'
import * as auth from '@/api/auth'
import type { LoginInput, Preferences, Staff } from '@/api/auth'
import { getToken, setToken } from '@/api/transport'

/** Who is logged in at this workstation; the token lives in sessionStorage. */
export const useSessionStore = defineStore('session', () => {
  const token = ref(getToken())
  const staff = ref<Staff | null>(null)
  const preferences = ref<Preferences | null>(null)

  const loggedIn = computed(() => token.value !== '' && staff.value !== null)
  const isAdmin = computed(() => staff.value?.role === 'admin')

  function clear(): void {
    token.value = ''
    staff.value = null
    preferences.value = null
    setToken('')
  }

  async function login(input: LoginInput): Promise<Staff> {
    const res = await auth.login(input)
    setToken(res.token)
    token.value = res.token
    staff.value = res.staff
    return res.staff
  }

  /** Restores the session from a stored token; clears it when the host no longer knows it. */
  async function restore(): Promise<void> {
    if (!token.value || staff.value) return
    try {
      staff.value = await auth.getMe()
    } catch {
      clear()
    }
  }

  async function logout(): Promise<void> {
    try {
      if (token.value) await auth.logout()
    } catch {
      // The session is dropped locally whatever the host answers.
    } finally {
      clear()
    }
  }

  async function loadPreferences(): Promise<Preferences> {
    preferences.value = await auth.getPreferences()
    return preferences.value
  }

  async function savePreferences(prefs: Preferences): Promise<Preferences> {
    preferences.value = await auth.putPreferences(prefs)
    return preferences.value
  }

  return {
    token,
    staff,
    preferences,
    loggedIn,
    isAdmin,
    login,
    restore,
    logout,
    clear,
    loadPreferences,
    savePreferences,
  }
})
