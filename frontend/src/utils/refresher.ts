/**
 * Coalesces reloads asked for by a burst of events: the first ask loads at once (so a quiet hall
 * sees a change as soon as the host has it), asks during a load make one more load after it, and
 * asks within `gapMs` of the last load's start make one load when the gap ends.
 */
export function createRefresher(load: () => Promise<unknown>, gapMs: number) {
  let running = false
  let again = false
  let last = -Infinity
  let timer: ReturnType<typeof setTimeout> | undefined

  function ask(): void {
    if (running) {
      again = true
      return
    }
    const wait = last + gapMs - Date.now()
    if (wait > 0) {
      timer ??= setTimeout(() => {
        timer = undefined
        ask()
      }, wait)
      return
    }
    running = true
    last = Date.now()
    void load()
      .catch(() => undefined)
      .finally(() => {
        running = false
        if (again) {
          again = false
          ask()
        }
      })
  }

  function stop(): void {
    clearTimeout(timer)
    timer = undefined
    again = false
  }

  return { ask, stop }
}
