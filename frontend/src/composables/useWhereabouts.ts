import { onMounted, onUnmounted, ref } from 'vue'
import { getWhereabouts, type WhereaboutsBoard, type WhereaboutsMessage } from '@/api/whereabouts'
import { useServerEvent } from '@/composables/useServerEvent'
import { shanghaiTime } from '@/utils/shanghai'

/** A message ends by the clock (30 minutes after its time): the board is asked for each minute. */
const REFRESH_MS = 60_000

/** A notice with the staff fields, which the public board leaves out. */
export type WhereaboutsEntry = Partial<Pick<WhereaboutsMessage, 'id' | 'staff_id'>> &
  Omit<WhereaboutsMessage, 'id' | 'staff_id' | 'created_at'>

function entries(b: WhereaboutsBoard): WhereaboutsEntry[] {
  return b.messages ?? b.notices ?? []
}

/**
 * One line of the hall's strip: "2号窗口 李窗口：入户代办，10:30回，张顶岗顶岗". The window part is left
 * out for someone at no window.
 */
export function whereaboutsText(
  e: WhereaboutsEntry,
  t: (key: string, named?: Record<string, unknown>) => string,
): string {
  const who =
    e.window > 0 ? t('whereabouts.atWindow', { n: e.window, name: e.staff_name }) : e.staff_name
  const parts = [t('whereabouts.line', { who, where: e.where, back: shanghaiTime(e.back_at) })]
  if (e.covered_by_name) parts.push(t('whereabouts.covered', { name: e.covered_by_name }))
  return parts.join(t('hostText.partSeparator'))
}

/**
 * The current whereabouts messages (GET /api/v1/whereabouts, public: names only), kept live by
 * `whereabouts:changed`, whose data is the public board itself; for the display, the kiosk and
 * the home screen. A failed read keeps the last answer.
 */
export function useWhereabouts() {
  const list = ref<WhereaboutsEntry[]>([])
  const error = ref<unknown>(null)
  // A read answered after a newer event (the page's first read, slow on a busy host) is stale:
  // each read and each event takes a number, and only the newest one sets the list.
  let latest = 0
  async function load() {
    const mine = ++latest
    try {
      const board = await getWhereabouts()
      if (mine !== latest) return
      list.value = entries(board)
      error.value = null
    } catch (err) {
      if (mine === latest) error.value = err
    }
  }
  let timer: ReturnType<typeof setInterval> | undefined
  onMounted(() => {
    void load()
    timer = setInterval(() => void load(), REFRESH_MS)
  })
  onUnmounted(() => clearInterval(timer))
  // The event carries no ids: staff, who clear messages by id, read the list again.
  useServerEvent('whereabouts:changed', (b) => {
    if (list.value.some((e) => e.id)) void load()
    else {
      latest++
      list.value = entries(b)
    }
  })
  return { list, error, load }
}
