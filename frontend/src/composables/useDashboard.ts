import { onMounted, onUnmounted, ref } from 'vue'
import { getDashboard, type Dashboard } from '@/api/reports'
import type { EventType } from '@/api/events'
import { useServerEvents } from '@/composables/useServerEvents'
import { createRefresher } from '@/utils/refresher'

/** The events after which the dashboard's figures may have changed. */
export const dashboardEvents: readonly EventType[] = [
  'ticket:issued',
  'ticket:called',
  'ticket:held',
  'ticket:skipped',
  'ticket:transferred',
  'ticket:completed',
  'day:closed',
  'queue:changed',
  'booking:created',
  'booking:changed',
  'case:changed',
  'rating:submitted',
  'rating:bad',
  'rectification:changed',
  'appeal:decided',
  'roster:changed',
]

/** Reloads after a burst of events are gathered into one per second at most. */
const GAP_MS = 1000
/** Appointments turn into no-shows and duties begin by the clock, not by an event. */
const CLOCK_MS = 60_000

/** The centre today (GET /api/v1/reports/dashboard), kept live by the event bus. */
export function useDashboard() {
  const dashboard = ref<Dashboard | null>(null)
  const error = ref<unknown>(null)
  const loading = ref(true)
  async function load() {
    try {
      dashboard.value = await getDashboard()
      error.value = null
    } catch (err) {
      error.value = err
    } finally {
      loading.value = false
    }
  }
  const refresher = createRefresher(load, GAP_MS)
  let timer: ReturnType<typeof setInterval> | undefined
  onMounted(() => {
    refresher.ask()
    timer = setInterval(refresher.ask, CLOCK_MS)
  })
  onUnmounted(() => {
    clearInterval(timer)
    refresher.stop()
  })
  useServerEvents(dashboardEvents, refresher.ask)
  return { dashboard, error, loading, reload: refresher.ask }
}
