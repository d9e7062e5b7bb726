import { request } from './transport'

/** The host's phone rule (backend/citizen): the UI applies it, never a copy of its own. */
export interface PhoneRule {
  /** Matches a normalised number; written in the syntax Go and JavaScript share. */
  pattern: string
  /** Matches the separators removed before matching. */
  strip: string
  /** Country prefixes removed after the separators. */
  prefixes: string[]
  /** The sentence to show when a number does not match. */
  description: string
}

export interface Rules {
  phone: PhoneRule
  id_number: { length: number; earliest_birth_year: number }
}

let cached: Promise<Rules> | null = null

/** The citizen-field rules from GET /api/v1/rules (public), fetched once per page. */
export function getRules(): Promise<Rules> {
  cached ??= request<Rules>('GET', '/api/v1/rules').catch((err: unknown) => {
    cached = null
    throw err
  })
  return cached
}

/** The number as the host stores it: separators and one country prefix removed. */
export function normalizePhone(rule: PhoneRule, raw: string): string {
  let p = raw.replace(new RegExp(rule.strip, 'g'), '')
  const prefix = rule.prefixes.find((x) => p.startsWith(x))
  if (prefix) p = p.slice(prefix.length)
  return p
}

/** Whether the host will accept raw as a phone number. */
export function phoneMatches(rule: PhoneRule, raw: string): boolean {
  return new RegExp(rule.pattern).test(normalizePhone(rule, raw))
}

/** The host's verdict on a whole ID number: its check character and birth date. */
export interface IdCheck {
  ok: boolean
  /** The host's sentence when it would refuse the number. */
  error?: string
}

/** Asks the host (staff only) whether it takes an ID number; nothing is stored. */
export const checkIdNumber = (idNumber: string) =>
  request<IdCheck>('POST', '/api/v1/rules/id-number', { id_number: idNumber })
