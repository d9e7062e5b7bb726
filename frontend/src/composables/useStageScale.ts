import { computed, onMounted, onUnmounted, ref, type ComputedRef } from 'vue'

/** The scale that fits a `width`×`height` stage inside a `vw`×`vh` viewport, whole and centred. */
export function stageScale(width: number, height: number, vw: number, vh: number): number {
  if (!(vw > 0) || !(vh > 0)) return 1
  return Math.min(vw / width, vh / height)
}

/**
 * Lays a page out once at `width`×`height` and scales it to the window, so a hall TV whose
 * browser reports 1280×720 or 1366×768 shows the same screen as a 1920×1080 one instead of a
 * reflowed, clipped one. Returns the style for the stage element.
 */
export function useStageScale(width: number, height: number): ComputedRef<Record<string, string>> {
  const scale = ref(1)
  const fit = () => (scale.value = stageScale(width, height, window.innerWidth, window.innerHeight))
  onMounted(() => {
    fit()
    window.addEventListener('resize', fit)
  })
  onUnmounted(() => window.removeEventListener('resize', fit))
  return computed(() => ({
    width: `${width}px`,
    height: `${height}px`,
    transform: `translate(-50%, -50%) scale(${scale.value})`,
  }))
}
