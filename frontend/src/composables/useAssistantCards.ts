import { onMounted, onUnmounted, ref } from 'vue'
import { publicCards, type PublicCard } from '@/api/proxy'

/** Cards change seldom and no public event announces them: asked for again every five minutes. */
const REFRESH_MS = 5 * 60_000

/**
 * The village assistants' public cards (GET /api/v1/assistants/cards, no credential): names, rooms,
 * villages, work phones, WeChat and hours, for the kiosk and the hall display. A failed read keeps
 * the last answer.
 */
export function useAssistantCards() {
  const cards = ref<PublicCard[]>([])
  async function load() {
    try {
      cards.value = await publicCards()
    } catch {
      // The panel keeps what it showed; the hall's screens have no one to tell.
    }
  }
  let timer: ReturnType<typeof setInterval> | undefined
  onMounted(() => {
    void load()
    timer = setInterval(() => void load(), REFRESH_MS)
  })
  onUnmounted(() => clearInterval(timer))
  return { cards }
}
