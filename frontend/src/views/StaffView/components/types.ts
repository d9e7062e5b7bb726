import type { Role } from '@/api/auth'

/** What the staff form hands back: the create fields plus `active` for an edit. */
export interface StaffFormValue {
  login: string
  name: string
  role: Role
  password: string
  active: boolean
}
