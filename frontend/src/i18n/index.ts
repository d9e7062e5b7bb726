import { createI18n } from 'vue-i18n'
import type { Locale } from '@/api/auth'
import zhCN from './locales/zh-CN'
import en from './locales/en'

export type MessageSchema = typeof zhCN

export const locales: Locale[] = ['zh-CN', 'en']
export const LOCALE_KEY = 'budayang.locale'

function initialLocale(): Locale {
  const saved = typeof localStorage === 'undefined' ? null : localStorage.getItem(LOCALE_KEY)
  return saved === 'en' ? 'en' : 'zh-CN'
}

export function createAppI18n(locale: Locale = initialLocale()) {
  return createI18n<[MessageSchema], Locale, false>({
    legacy: false,
    locale,
    fallbackLocale: 'zh-CN',
    messages: { 'zh-CN': zhCN, en },
  })
}

export const i18n = createAppI18n()
