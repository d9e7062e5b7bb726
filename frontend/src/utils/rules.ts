import type { FormItemRule } from 'naive-ui'

type T = (key: string, named?: Record<string, unknown>) => string

/** Form rules worded through i18n; each returns a fresh rule so the words follow the locale. */
export function ruleMakers(t: T) {
  const required = (field: string): FormItemRule => ({
    trigger: ['blur', 'input'],
    validator: (_r, v: unknown) =>
      (typeof v === 'string' ? v.trim() !== '' : v !== null && v !== undefined) ||
      new Error(t('validation.required', { field })),
  })
  const selected = (field: string): FormItemRule => ({
    trigger: ['blur', 'change'],
    validator: (_r, v: unknown) =>
      (v !== null && v !== undefined && v !== '') || new Error(t('validation.select', { field })),
  })
  const nonNegative = (field: string): FormItemRule => ({
    trigger: ['blur', 'change'],
    validator: (_r, v: unknown) =>
      typeof v !== 'number' || v >= 0 || new Error(t('validation.nonNegative', { field })),
  })
  const minLength = (field: string, n: number): FormItemRule => ({
    trigger: ['blur', 'input'],
    validator: (_r, v: unknown) =>
      typeof v !== 'string' ||
      v === '' ||
      [...v].length >= n ||
      new Error(t('validation.minLength', { field, n })),
  })
  const sameAs = (other: () => string): FormItemRule => ({
    trigger: ['blur', 'input', 'password-input'],
    validator: (_r, v: unknown) => v === other() || new Error(t('validation.mismatch')),
  })
  return { required, selected, nonNegative, minLength, sameAs }
}
