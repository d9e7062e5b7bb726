/** How the display lays out its window cards: columns and rows for the number of windows. */
export interface WindowGrid {
  cols: number
  rows: number
}

/** The most cards a row holds; a window's ticket number stays legible from across the hall. */
export const MAX_COLS = 6

/**
 * The grid for n windows: one row up to four, then two rows as even as they can be, so the cards
 * keep the height of a ticket number; up to 12 windows fit the display's stage.
 */
export function windowGrid(n: number): WindowGrid {
  if (n <= 0) return { cols: 1, rows: 1 }
  const cols = Math.min(MAX_COLS, n <= 4 ? n : Math.ceil(n / 2))
  return { cols, rows: Math.ceil(n / cols) }
}
