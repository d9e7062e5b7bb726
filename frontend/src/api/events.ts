/**
 * Server events (`noun:verb`). The contract does not fix their payloads, so the UI treats each
 * one as a signal to reload what it shows; the map still names every type the UI may hear.
 */
export interface EventMap {
  'staff:changed': unknown
  'site:changed': unknown
  'job:ran': unknown
  'backup:created': unknown
  'status:changed': unknown
}

export type EventType = keyof EventMap
