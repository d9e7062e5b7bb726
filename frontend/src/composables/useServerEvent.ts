import { onMounted, onUnmounted } from 'vue'
import { onEvent } from '@/api/transport'
import type { EventMap, EventType } from '@/api/events'

/** Subscribes while the component is mounted, and unsubscribes on unmount. */
export function useServerEvent<K extends EventType>(type: K, handler: (data: EventMap[K]) => void) {
  let off: (() => void) | undefined
  onMounted(() => {
    off = onEvent(type, handler)
  })
  onUnmounted(() => off?.())
}
