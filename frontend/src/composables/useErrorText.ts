import { useI18n } from 'vue-i18n'
import { ApiError } from '@/api/transport'

const known = new Set([
  'invalid',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'locked',
  'unsupported_media_type',
  'too_many',
  'internal',
  'network',
  'too_large',
  'https_required',
  'misdirected',
  'disk_full',
  'cert_mismatch',
])

/**
 * Words an error for the user. In Chinese the host's own sentence is shown (it carries detail such
 * as the lock-out time); in other languages, or when the host sent none, the UI words the code.
 */
export function useErrorText(): (err: unknown) => string {
  const { t, locale } = useI18n()
  return (err: unknown) => {
    if (err instanceof ApiError) {
      if (err.message && locale.value === 'zh-CN' && err.code !== 'network') return err.message
      return t(`errors.${known.has(err.code) ? err.code : 'internal'}`)
    }
    return t('errors.internal')
  }
}
