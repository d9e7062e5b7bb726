import { onMounted, onUnmounted } from 'vue'

export interface ShortcutActions {
  /** Alt+1..9: index 0..8 of the menu */
  menu(index: number): void
  /** Ctrl+L */
  logout(): void
  /** F1 */
  help(): void
  /** Esc: closes what the shortcuts opened (the help) */
  escape?(): void
}

/** Installs the workstation's global keys while the component is mounted. */
export function useShortcuts(actions: ShortcutActions): void {
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && actions.escape) {
      actions.escape()
      return
    }
    if (e.key === 'F1') {
      e.preventDefault()
      actions.help()
      return
    }
    if (e.altKey && !e.ctrlKey && !e.metaKey && /^Digit[1-9]$/.test(e.code)) {
      e.preventDefault()
      actions.menu(Number(e.code.slice(5)) - 1)
      return
    }
    if (e.ctrlKey && !e.altKey && !e.shiftKey && (e.key === 'l' || e.key === 'L')) {
      e.preventDefault()
      actions.logout()
    }
  }
  onMounted(() => window.addEventListener('keydown', onKey))
  onUnmounted(() => window.removeEventListener('keydown', onKey))
}
