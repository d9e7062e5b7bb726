import type { Assignment, Plan } from '@/api/roster'

/** The months (YYYY-MM) a plan's period touches, in order. */
export function monthsOf(from: string, to: string): string[] {
  const out: string[] = []
  let y = Number(from.slice(0, 4))
  let m = Number(from.slice(5, 7))
  const last = to.slice(0, 7)
  for (;;) {
    const key = `${y}-${String(m).padStart(2, '0')}`
    out.push(key)
    if (key >= last) return out
    m++
    if (m > 12) {
      m = 1
      y++
    }
  }
}

/** A person's duties in a month, with their weighted load there. */
export interface PersonMonth {
  staffID: string
  duties: Assignment[]
  weight: number
}

/**
 * The month by person: everyone with a load line or a duty, in the order of
 * `order` (the directory's), then anyone else; people without duties that
 * month are kept, so the head sees who is free.
 */
export function byPerson(plan: Plan, month: string, order: string[]): PersonMonth[] {
  const rows = new Map<string, PersonMonth>()
  const row = (id: string) => {
    let r = rows.get(id)
    if (!r) {
      r = { staffID: id, duties: [], weight: 0 }
      rows.set(id, r)
    }
    return r
  }
  for (const id of order) if (plan.load.some((l) => l.staff_id === id)) row(id)
  for (const l of plan.load) row(l.staff_id)
  for (const a of plan.assignments) {
    if (!a.staff_id || !a.date.startsWith(month)) continue
    const r = row(a.staff_id)
    r.duties.push(a)
    r.weight = Math.round((r.weight + a.weight) * 100) / 100
  }
  return [...rows.values()]
}

/** The month's places in time order, vacant ones included. */
export function placesOf(plan: Plan, month: string): Assignment[] {
  return plan.assignments.filter((a) => a.date.startsWith(month))
}
