import { request } from './transport'

export const roles = ['admin', 'clerk', 'duty', 'assistant'] as const
export type Role = (typeof roles)[number]

export interface Staff {
  id: string
  login: string
  name: string
  role: Role
  active: boolean
  created_at: string
}

export interface LoginInput {
  user: string
  password: string
  workstation: string
}

export interface LoginResult {
  token: string
  expires_at: string
  staff: Staff
}

export type Locale = 'zh-CN' | 'en'

export interface Preferences {
  close_to_tray: boolean
  locale: Locale
}

export const login = (input: LoginInput) => request<LoginResult>('POST', '/api/v1/login', input)
export const logout = () => request<void>('POST', '/api/v1/logout')
export const getMe = () => request<Staff>('GET', '/api/v1/me')
export const changePassword = (oldPassword: string, newPassword: string) =>
  request<void>('POST', '/api/v1/me/password', { old: oldPassword, new: newPassword })
export const getPreferences = () => request<Preferences>('GET', '/api/v1/me/preferences')
export const putPreferences = (prefs: Preferences) =>
  request<Preferences>('PUT', '/api/v1/me/preferences', prefs)
