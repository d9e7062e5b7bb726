import { request } from './transport'

/** One office of the county's department directory, as the county publishes it. */
export interface CountyDepartment {
  name: string
  phone: string
  address: string
  /** Duty hours as the county writes them. */
  hours: string
}

/** An announcement of the county to its sites. */
export interface CountyAnnouncement {
  title: string
  body: string
  published_at: string
  /** Shown until then; null: for good. */
  until: string | null
}

/** The county's department directory as last pulled (any staff). */
export const getCountyDepartments = () =>
  request<CountyDepartment[]>('GET', '/api/v1/county-data/departments')
/** The county's announcements in force now, newest first (any staff). */
export const getCountyAnnouncements = () =>
  request<CountyAnnouncement[]>('GET', '/api/v1/county-data/announcements')
