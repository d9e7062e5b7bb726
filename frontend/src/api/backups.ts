import { request } from './transport'

export interface Backup {
  name: string
  size: number
  created_at: string
}

/** Backups newest first (the host keeps the last 14). */
export const listBackups = () => request<Backup[]>('GET', '/api/v1/backups')
export const createBackup = () => request<Backup>('POST', '/api/v1/backups')
