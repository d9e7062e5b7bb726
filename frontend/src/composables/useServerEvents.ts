import { onMounted, onUnmounted } from 'vue'
import { onEvent } from '@/api/transport'
import type { EventType } from '@/api/events'

/** Runs `handler` on any of the given events while the component is mounted. */
export function useServerEvents(types: readonly EventType[], handler: (type: EventType) => void) {
  const offs: (() => void)[] = []
  onMounted(() => {
    for (const type of types) offs.push(onEvent(type, () => handler(type)))
  })
  onUnmounted(() => {
    for (const off of offs.splice(0)) off()
  })
}
