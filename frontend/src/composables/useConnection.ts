import { onMounted, onUnmounted, ref, type Ref } from 'vue'
import { onConnection } from '@/api/transport'

/**
 * Whether server events reach this page, while the component is mounted. `onRestored` runs when
 * the stream comes back after a break, so the view can reload what it may have missed.
 */
export function useConnection(onRestored?: () => void): Ref<boolean> {
  const connected = ref(true)
  let off: (() => void) | undefined
  onMounted(() => {
    off = onConnection((next) => {
      const restored = next && !connected.value
      connected.value = next
      if (restored) onRestored?.()
    })
  })
  onUnmounted(() => off?.())
  return connected
}
