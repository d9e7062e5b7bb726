import { request } from './transport'

export interface Job {
  name: string
  description: string
  spec: string
  last_run: string | null
  last_error: string
  next_run: string | null
}

export const listJobs = () => request<Job[]>('GET', '/api/v1/jobs')
/** Runs the job now and returns it with its new last run. */
export const runJob = (name: string) =>
  request<Job>('POST', `/api/v1/jobs/${encodeURIComponent(name)}/run`)
