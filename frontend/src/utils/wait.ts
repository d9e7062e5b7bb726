/** Minutes the kiosk reckons per ticket ahead: a rough figure, and the screen says so. */
export const MINUTES_PER_TICKET = 5

/** The kiosk's estimated wait in minutes: tickets ahead × 5 minutes. */
export function estimateWait(ahead: number): number {
  if (!Number.isFinite(ahead) || ahead <= 0) return 0
  return Math.floor(ahead) * MINUTES_PER_TICKET
}
