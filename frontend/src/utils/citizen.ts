// Format hints while a clerk types a resident ID number. They only say what the field should look
// like; the host validates (GB 11643 check character, a birth date that exists and is not in the
// future) and its sentence is what the clerk sees when it refuses. The phone rule is the host's:
// see useRules.

export type IdNumberHint = 'length' | 'chars' | null

/** Upper-cases a trailing x and drops spaces, as the host reads the number. */
export function normalizeIdNumber(v: string): string {
  return v.replace(/\s+/g, '').toUpperCase()
}

/**
 * What is wrong with the shape of a resident ID number: not `length` characters (the host's rule,
 * GET /api/v1/rules; 18 until it has answered), or not digits and a final digit or X. Null when it
 * looks right or is still empty.
 */
export function idNumberHint(raw: string, length = 18): IdNumberHint {
  const v = normalizeIdNumber(raw)
  if (v === '') return null
  if (!new RegExp(`^(\\d{0,${length}}|\\d{${length - 1}}X)$`).test(v)) return 'chars'
  if (v.length !== length) return 'length'
  return null
}
