import { computed, ref } from 'vue'
import { defineStore } from 'pinia'
import { countyLogin, getCountyToken, setCountyToken } from '@/api/county'

/**
 * The county staff session of this tab, apart from a site's: the token lives in sessionStorage under
 * its own key. The county has no logout call; the token lapses after 12 hours.
 */
export const useCountyStore = defineStore('county', () => {
  const token = ref(getCountyToken())

  const loggedIn = computed(() => token.value !== '')

  async function signIn(user: string, password: string): Promise<void> {
    const res = await countyLogin(user, password)
    setCountyToken(res.token)
    token.value = res.token
  }

  function clear(): void {
    setCountyToken('')
    token.value = ''
  }

  return { token, loggedIn, signIn, clear }
})
