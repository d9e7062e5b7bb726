import type { Arrangement } from '@/api/calendar'

/** The festivals of every State Council notice since 2008, in calendar order. */
export const festivals = ['元旦', '春节', '清明节', '劳动节', '端午节', '中秋节', '国庆节']

/** The holidays payload with one year's arrangement in place of the one published for it. */
export function withYear(published: Arrangement[], year: Arrangement): Arrangement[] {
  return [...published.filter((a) => a.year !== year.year), year].sort((a, b) => a.year - b.year)
}

/**
 * Reads an uploaded file holding one year's arrangement (the JSON a site imports, as in
 * backend/calendar/holidays/2026.json). Only the shape is checked here; the county validates the
 * dates when it previews. Throws an Error whose message is an i18n key.
 */
export function parseArrangement(text: string): Arrangement {
  let v: unknown
  try {
    v = JSON.parse(text)
  } catch {
    throw new Error('county.datasets.notJson')
  }
  const a = v as Partial<Arrangement> | null
  if (!a || typeof a !== 'object' || Array.isArray(a) || typeof a.year !== 'number') {
    throw new Error('county.holidays.notAYear')
  }
  return {
    year: a.year,
    notice: typeof a.notice === 'string' ? a.notice : '',
    holidays: Array.isArray(a.holidays) ? a.holidays : [],
    workdays: Array.isArray(a.workdays) ? a.workdays : [],
  }
}
