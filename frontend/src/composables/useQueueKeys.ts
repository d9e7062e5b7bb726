import { onMounted, onUnmounted } from 'vue'

/** The clerk's queue actions, each on one function key. */
export type QueueAction = 'call' | 'recall' | 'complete' | 'skip' | 'hold' | 'transfer' | 'pause'

/** F2 叫号, F3 重呼, F4 办结, F6 过号, F7 挂起, F8 转移, F9 暂停/恢复. */
export const queueKeys: Record<QueueAction, string> = {
  call: 'F2',
  recall: 'F3',
  complete: 'F4',
  skip: 'F6',
  hold: 'F7',
  transfer: 'F8',
  pause: 'F9',
}

const byKey = new Map<string, QueueAction>(
  Object.entries(queueKeys).map(([action, key]) => [key, action as QueueAction]),
)

export interface KeyInput {
  key: string
  ctrlKey: boolean
  altKey: boolean
  metaKey: boolean
  shiftKey: boolean
  repeat?: boolean
}

/**
 * Maps a key press to a queue action, or null. Only the bare function keys count: a modifier
 * means another shortcut, and a held-down key (auto-repeat) must not call twice.
 */
export function queueActionFor(e: KeyInput): QueueAction | null {
  if (e.ctrlKey || e.altKey || e.metaKey || e.shiftKey || e.repeat) return null
  return byKey.get(e.key) ?? null
}

/**
 * Installs the queue keys while the component is mounted. `enabled` is asked on each press: it
 * is false while a dialog is open, so Enter and the function keys reach the dialog instead.
 */
export function useQueueKeys(run: (action: QueueAction) => void, enabled: () => boolean): void {
  const onKey = (e: KeyboardEvent) => {
    const action = queueActionFor(e)
    if (!action) return
    // Chromium would open its own find bar or caret browsing on some F keys: always take them.
    e.preventDefault()
    if (enabled()) run(action)
  }
  onMounted(() => window.addEventListener('keydown', onKey))
  onUnmounted(() => window.removeEventListener('keydown', onKey))
}
