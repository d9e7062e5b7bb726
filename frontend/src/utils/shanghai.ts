// The hall keeps Asia/Shanghai time whatever the workstation's zone. The calendar widget runs in
// UTC and is fed "wall clock" times (Shanghai time written as if it were UTC), so 09:00 shows as
// 09:00 on any machine; these helpers convert both ways.

const OFFSET_MS = 8 * 3600 * 1000

const pad = (n: number) => String(n).padStart(2, '0')

/** Shanghai wall-clock of an instant as "YYYY-MM-DDTHH:mm:ss" (no zone). */
export function toWall(instant: string | Date): string {
  const d = new Date(typeof instant === 'string' ? Date.parse(instant) : instant.getTime())
  const w = new Date(d.getTime() + OFFSET_MS)
  return (
    `${w.getUTCFullYear()}-${pad(w.getUTCMonth() + 1)}-${pad(w.getUTCDate())}` +
    `T${pad(w.getUTCHours())}:${pad(w.getUTCMinutes())}:${pad(w.getUTCSeconds())}`
  )
}

/** The RFC 3339 instant (+08:00) of a wall-clock Date whose UTC fields hold Shanghai time. */
export function fromWall(wall: Date): string {
  return (
    `${wall.getUTCFullYear()}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())}` +
    `T${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}:${pad(wall.getUTCSeconds())}+08:00`
  )
}

/** Today's date in Shanghai, YYYY-MM-DD. */
export function todayShanghai(now: Date = new Date()): string {
  return toWall(now).slice(0, 10)
}

/** The date n days after a YYYY-MM-DD date (n may be negative). */
export function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + n)
  return d.toISOString().slice(0, 10)
}

/** "09:00" of an instant, in Shanghai. */
export function shanghaiTime(instant: string): string {
  return toWall(instant).slice(11, 16)
}

/** "09:00–09:30" of a slot. */
export function slotRange(start: string, end: string): string {
  return `${shanghaiTime(start)}–${shanghaiTime(end)}`
}
