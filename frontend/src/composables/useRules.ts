import { onMounted, shallowRef } from 'vue'
import { getRules, phoneMatches, type Rules } from '@/api/rules'

/**
 * The host's citizen-field rules for a form. Until they arrive (or if they cannot be read) a phone
 * counts as acceptable: the host checks it again and its sentence is what the user then sees.
 */
export function useRules() {
  const rules = shallowRef<Rules | null>(null)
  onMounted(() => {
    getRules()
      .then((r) => (rules.value = r))
      .catch(() => undefined)
  })
  /** Whether the host will accept raw (not empty) as a phone number. */
  const phoneOk = (raw: string) => !rules.value || phoneMatches(rules.value.phone, raw)
  return { rules, phoneOk }
}
