// Format hints while a clerk types a citizen's details. They only say what the field should look
// like; the host validates (GB 11643 check character, real birth date, phone rules) and its sentence
// is what the clerk sees when it refuses.

export type IdNumberHint = 'length' | 'chars' | null

/** Upper-cases a trailing x and drops spaces, as the host reads the number. */
export function normalizeIdNumber(v: string): string {
  return v.replace(/\s+/g, '').toUpperCase()
}

/**
 * What is wrong with the shape of a resident ID number: not 18 characters, or not 17 digits and a
 * final digit or X. Null when it looks right or is still empty.
 */
export function idNumberHint(raw: string): IdNumberHint {
  const v = normalizeIdNumber(raw)
  if (v === '') return null
  if (!/^(\d{0,18}|\d{17}X)$/.test(v)) return 'chars'
  if (v.length !== 18) return 'length'
  return null
}

export type PhoneHint = 'format' | null

/** A mobile number (11 digits from 1) or a landline with its area code (0818-7654321); null when empty. */
export function phoneHint(raw: string): PhoneHint {
  const v = raw.replace(/\s+/g, '')
  if (v === '') return null
  if (/^1\d{10}$/.test(v) || /^0\d{2,3}-?\d{7,8}$/.test(v)) return null
  return 'format'
}
