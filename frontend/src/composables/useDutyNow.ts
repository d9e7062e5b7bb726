import { onMounted, onUnmounted, ref } from 'vue'
import { dutyNow, type DutyNow } from '@/api/roster'
import { useServerEvent } from '@/composables/useServerEvent'

/** Duties begin and end by the clock, not by an event: the answer is asked for again each minute. */
const REFRESH_MS = 60_000

/**
 * Who is on duty now and next, with the duty phone (GET /api/v1/roster/now, public): for the home
 * screen and the hall's display and kiosk. A failed read keeps the last answer.
 */
export function useDutyNow() {
  const duty = ref<DutyNow | null>(null)
  const error = ref<unknown>(null)
  async function load() {
    try {
      duty.value = await dutyNow()
      error.value = null
    } catch (err) {
      error.value = err
    }
  }
  let timer: ReturnType<typeof setInterval> | undefined
  onMounted(() => {
    void load()
    timer = setInterval(() => void load(), REFRESH_MS)
  })
  onUnmounted(() => clearInterval(timer))
  useServerEvent('roster:changed', () => void load())
  return { duty, error }
}
