import { request } from './transport'

export interface Job {
  name: string
  /** The same in Chinese; the UI words the job from its name and `params`. */
  description: string
  params: Record<string, number> | null
  spec: string
  last_run: string | null
  last_error: string
  next_run: string | null
  /** The last run was made on start for a scheduled time the machine was off at. */
  caught_up: boolean
  caught_up_for: string | null
}

export const listJobs = () => request<Job[]>('GET', '/api/v1/jobs')
/** Runs the job now and returns it with its new last run. */
export const runJob = (name: string) =>
  request<Job>('POST', `/api/v1/jobs/${encodeURIComponent(name)}/run`)
