import { request } from './transport'
import type { Role, Staff } from './auth'

export type { Role, Staff } from './auth'

export interface StaffCreate {
  login: string
  name: string
  role: Role
  password: string
}

export interface StaffUpdate {
  name: string
  role: Role
  active: boolean
}

/** Whom a booking can name and a calendar filter by: the active staff, by name (any role). */
export interface DirectoryEntry {
  id: string
  name: string
  role: Role
  /** The host's rule: may be booked to serve at a window (clerks and duty officers). */
  serves_window: boolean
}

export const listStaff = () => request<Staff[]>('GET', '/api/v1/staff')
export const createStaff = (input: StaffCreate) => request<Staff>('POST', '/api/v1/staff', input)
export const updateStaff = (id: string, input: StaffUpdate) =>
  request<Staff>('PUT', `/api/v1/staff/${encodeURIComponent(id)}`, input)
/** Sets a new password chosen by the admin; also clears a lock-out. */
export const resetStaffPassword = (id: string, password: string) =>
  request<void>('POST', `/api/v1/staff/${encodeURIComponent(id)}/password`, { password })
/** The active staff by name; any staff session may read it. */
export const staffDirectory = () => request<DirectoryEntry[]>('GET', '/api/v1/staff/directory')
