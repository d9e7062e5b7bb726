import {
  ApiError,
  deviceRequest,
  getDeviceCredential,
  request,
  setDeviceCredential,
} from './transport'

/** 取号机, 评价器, 叫号屏. */
export type DeviceKind = 'kiosk' | 'rating_pad' | 'display'
export const deviceKinds: DeviceKind[] = ['kiosk', 'rating_pad', 'display']

/** A paired hall device. */
export interface Device {
  id: string
  kind: DeviceKind
  name: string
  /** The window a rating pad rates; null for other kinds and an unbound pad. */
  window: number | null
  paired_by: string
  paired_at: string
}

/** An open pairing: the one-time code is shown to the administrator once. */
export interface Pairing {
  code: string
  kind: DeviceKind
  name: string
  window: number | null
  expires_at: string
  /** Seconds the code lives from now: count down from this, not from expires_at, in case the
   * administrator's clock differs from the host's. */
  expires_in: number
}

export interface NewPairing {
  kind: DeviceKind
  name?: string
  window?: number | null
}

/** Administrators: opens a pairing and returns its code (valid about ten minutes, single use). */
export const createPairing = (input: NewPairing) =>
  request<Pairing>('POST', '/api/v1/devices/pairings', input)
/** Administrators: the paired devices. */
export const listDevices = () => request<Device[]>('GET', '/api/v1/devices')
/** Administrators: renames a device and binds a rating pad to a window (null unbinds). */
export const updateDevice = (id: string, change: { name: string; window: number | null }) =>
  request<Device>('PUT', `/api/v1/devices/${encodeURIComponent(id)}`, change)
/** Administrators: ends a device's credential at once. */
export const revokeDevice = (id: string) =>
  request<void>('DELETE', `/api/v1/devices/${encodeURIComponent(id)}`)

/** This browser's device, or null when it is not paired (or was revoked). */
export async function thisDevice(): Promise<Device | null> {
  if (!getDeviceCredential()) return null
  try {
    return await deviceRequest<Device>('GET', '/api/v1/devices/me')
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      setDeviceCredential('')
      return null
    }
    throw err
  }
}

/** Exchanges a pairing code for this browser's device credential, kept in localStorage. */
export async function pairThisDevice(code: string, name = ''): Promise<Device> {
  const res = await request<{ credential: string; device: Device }>(
    'POST',
    '/api/v1/devices/pair',
    { code, name },
  )
  setDeviceCredential(res.credential)
  return res.device
}

/** True for the answer that means the device must be paired (again): no or a revoked credential. */
export function needsPairing(err: unknown): boolean {
  return err instanceof ApiError && err.status === 401
}
