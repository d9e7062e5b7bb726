// One door to the Go services: the Wails binding inside the desktop window, HTTP in a browser.
// Components never reach window.go or fetch; they call the typed wrappers beside this file.

import type { EventMap, EventType } from './events'

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE'

/** The error every failed call throws: HTTP status, the server's code and its Chinese sentence. */
export class ApiError extends Error {
  readonly status: number
  readonly code: string
  /** The whole error body, for the answers that carry more than the sentence (check-in's offer). */
  readonly detail: Record<string, unknown>

  constructor(status: number, code: string, message: string, detail: Record<string, unknown> = {}) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.detail = detail
  }
}

export interface InvokeRequest {
  method: Method
  path: string
  /** JSON text of the request body, "" when there is none. */
  body: string
  /** The staff session token, or a paired device's `Device <credential>`. */
  token: string
}

export interface InvokeResponse {
  status: number
  /** JSON text of the response body, "" for 204. */
  body: string
}

export interface WailsApp {
  Invoke(req: InvokeRequest): Promise<InvokeResponse>
  Ready?: () => Promise<void> | void
}

export interface WailsRuntime {
  EventsOn(type: string, cb: (...data: unknown[]) => void): () => void
}

declare global {
  interface Window {
    go?: { app?: { App?: WailsApp } }
    runtime?: WailsRuntime
  }
}

const TOKEN_KEY = 'budayang.token'

export function getToken(): string {
  return sessionStorage.getItem(TOKEN_KEY) ?? ''
}

/** Stores the session token (sessionStorage) and reconnects the browser event stream. */
export function setToken(token: string): void {
  if (token) sessionStorage.setItem(TOKEN_KEY, token)
  else sessionStorage.removeItem(TOKEN_KEY)
  browserEvents.reconnect()
}

const DEVICE_KEY = 'budayang.device'

/** The credential of this browser as a paired hall device (kiosk, rating pad, display), or "". */
export function getDeviceCredential(): string {
  return typeof localStorage === 'undefined' ? '' : (localStorage.getItem(DEVICE_KEY) ?? '')
}

/** Keeps the device credential across restarts of the device (localStorage); "" forgets it. */
export function setDeviceCredential(credential: string): void {
  if (credential) localStorage.setItem(DEVICE_KEY, credential)
  else localStorage.removeItem(DEVICE_KEY)
}

function wailsApp(): WailsApp | undefined {
  return typeof window === 'undefined' ? undefined : window.go?.app?.App
}

/** True inside the Wails desktop window. */
export function isDesktop(): boolean {
  return wailsApp() !== undefined
}

type UnauthorizedHandler = () => void
let unauthorizedHandler: UnauthorizedHandler | undefined
let deviceUnauthorizedHandler: ((credential: string) => void) | undefined

/**
 * Registers what to do when a device call comes back 401: the device is not paired or was revoked.
 * The handler gets the credential the call was sent with, so an answer to a call sent before a new
 * pairing does not undo it.
 */
export function onDeviceUnauthorized(handler: ((credential: string) => void) | undefined): void {
  deviceUnauthorizedHandler = handler
}

/** Registers what to do when a call with a token comes back 401 (the session ended). */
export function onUnauthorized(handler: UnauthorizedHandler | undefined): void {
  unauthorizedHandler = handler
}

interface ErrorBody {
  error?: unknown
  code?: unknown
}

function parseJSON(text: string): unknown {
  if (!text) return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

const fallbackCodes: Record<number, string> = {
  400: 'invalid',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  415: 'unsupported_media_type',
  423: 'locked',
  429: 'too_many',
}

/** Maps a non-2xx status and body text to an ApiError. */
export function toApiError(status: number, text: string): ApiError {
  const parsed = parseJSON(text)
  const body: ErrorBody = typeof parsed === 'object' && parsed !== null ? (parsed as ErrorBody) : {}
  const code =
    typeof body.code === 'string' && body.code ? body.code : (fallbackCodes[status] ?? 'internal')
  const message = typeof body.error === 'string' ? body.error : ''
  return new ApiError(status, code, message, body as Record<string, unknown>)
}

async function send(
  method: Method,
  path: string,
  body: unknown,
  token: string,
  device = '',
): Promise<InvokeResponse> {
  const text = body === undefined ? '' : JSON.stringify(body)
  const app = wailsApp()
  if (app) {
    return app.Invoke({ method, path, body: text, token: device ? `Device ${device}` : token })
  }
  const headers: Record<string, string> = { Accept: 'application/json' }
  if (text) headers['Content-Type'] = 'application/json'
  if (device) headers.Authorization = `Device ${device}`
  else if (token) headers.Authorization = `Bearer ${token}`
  const res = await fetch(path, { method, headers, body: text || undefined })
  return { status: res.status, body: await res.text() }
}

/**
 * Calls one API endpoint and returns its parsed JSON body (undefined for 204).
 * Throws ApiError for every non-2xx answer and for a network failure (status 0, code "network").
 */
export async function request<T>(method: Method, path: string, body?: unknown): Promise<T> {
  return parseJSON(await requestText(method, path, body)) as T
}

/**
 * Calls a route of the hall's devices (kiosk, rating pad) with this browser's device credential,
 * or with the staff session when it has none. Throws ApiError as `request` does; a 401 means the
 * device must be paired (again).
 */
export async function deviceRequest<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const credential = getDeviceCredential()
  try {
    return parseJSON(await requestText(method, path, body, credential)) as T
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) deviceUnauthorizedHandler?.(credential)
    throw err
  }
}

/**
 * Calls one API endpoint and returns its body as text, for the answers that are not JSON (an .ics
 * calendar): both doors carry text, so this works in the window and in a browser alike.
 * Throws ApiError as `request` does.
 */
export async function requestText(
  method: Method,
  path: string,
  body?: unknown,
  device = '',
): Promise<string> {
  const token = getToken()
  let res: InvokeResponse
  try {
    res = await send(method, path, body, token, device)
  } catch (err) {
    throw new ApiError(0, 'network', err instanceof Error ? err.message : String(err))
  }
  if (res.status < 200 || res.status >= 300) {
    const err = toApiError(res.status, res.body)
    if (res.status === 401 && token && !device && unauthorizedHandler) unauthorizedHandler()
    // A window workstation whose hall host is gone: the same as a network failure to its views.
    if (err.code === 'unreachable') throw new ApiError(0, 'network', err.message)
    throw err
  }
  return res.body
}

/**
 * Calls one API endpoint with a credential other than this workstation's session: the county staff
 * token on the county server. Throws ApiError as `request` does; a 401 is the caller's to handle.
 */
export async function requestWith<T>(
  token: string,
  method: Method,
  path: string,
  body?: unknown,
): Promise<T> {
  let res: InvokeResponse
  try {
    res = await send(method, path, body, token)
  } catch (err) {
    throw new ApiError(0, 'network', err instanceof Error ? err.message : String(err))
  }
  if (res.status < 200 || res.status >= 300) throw toApiError(res.status, res.body)
  return parseJSON(res.body) as T
}

/** A link: a URL that carries its own short-lived, read-only credential for one path. */
export interface Link {
  url: string
  expires_at: string
}

/**
 * Makes a link for a path a browser opens without headers (the event stream, a document; a
 * calendar subscription for the person's own calendar). The session token itself never goes into
 * a URL: the host reads it from the Authorization header only.
 */
export function makeLink(path: string): Promise<Link> {
  return request<Link>('POST', '/api/v1/url-tokens', { path })
}

/** Tells the desktop shell that the UI is mounted; does nothing in a browser. */
export async function notifyReady(): Promise<void> {
  const app = wailsApp()
  if (app?.Ready) await app.Ready()
}

type Handler = (data: unknown) => void
type ConnectionHandler = (connected: boolean) => void

/** How long to wait before reopening a stream the browser gave up on (an HTTP error answer). */
const REOPEN_MS = 3000

// The browser side shares one EventSource among all subscribers and reopens it with the new token.
// The stream is public (the LAN pages listen without a session); with a session it is opened with
// a link made for it (an EventSource cannot send headers), a fresh one at every reopening: the host
// refuses a stale link, and ends the stream when the session ends.
class BrowserEvents {
  private source: EventSource | undefined
  /** Counts openings, so a link that arrives after a close or a newer opening is dropped. */
  private generation = 0
  private linking = false
  private reopenTimer: ReturnType<typeof setTimeout> | undefined
  private connected = true
  private readonly handlers = new Map<string, Set<Handler>>()
  private readonly listeners = new Map<string, (ev: MessageEvent<string>) => void>()
  private readonly connection = new Set<ConnectionHandler>()

  add(type: string, handler: Handler): () => void {
    let set = this.handlers.get(type)
    if (!set) {
      set = new Set()
      this.handlers.set(type, set)
    }
    set.add(handler)
    this.ensure()
    this.listen(type)
    return () => {
      set.delete(handler)
      if (set.size === 0) {
        this.handlers.delete(type)
        const listener = this.listeners.get(type)
        if (listener && this.source) this.source.removeEventListener(type, listener)
        this.listeners.delete(type)
      }
      if (this.handlers.size === 0) this.close()
    }
  }

  /** Reports the stream's state now and on every change; returns the function that stops it. */
  watch(handler: ConnectionHandler): () => void {
    this.connection.add(handler)
    handler(this.connected)
    return () => this.connection.delete(handler)
  }

  reconnect(): void {
    this.close()
    if (this.handlers.size > 0) this.ensure()
  }

  private setConnected(next: boolean): void {
    if (next === this.connected) return
    this.connected = next
    for (const h of this.connection) h(next)
  }

  private close(): void {
    this.generation++
    this.linking = false
    clearTimeout(this.reopenTimer)
    this.reopenTimer = undefined
    this.source?.close()
    this.source = undefined
    this.listeners.clear()
  }

  private reopenLater(): void {
    this.reopenTimer = setTimeout(() => {
      this.reopenTimer = undefined
      if (this.handlers.size > 0) this.ensure()
    }, REOPEN_MS)
  }

  private ensure(): void {
    if (this.source || this.linking || typeof EventSource === 'undefined') return
    if (!getToken()) {
      this.open('/api/v1/events')
      return
    }
    const generation = ++this.generation
    this.linking = true
    makeLink('/api/v1/events').then(
      (link) => {
        if (generation !== this.generation) return
        this.linking = false
        this.open(link.url)
      },
      () => {
        if (generation !== this.generation) return
        this.linking = false
        this.setConnected(false)
        this.reopenLater()
      },
    )
  }

  private open(url: string): void {
    const source = new EventSource(url)
    this.source = source
    source.onopen = () => this.setConnected(true)
    source.onerror = () => {
      this.setConnected(false)
      // The browser retries by itself after a dropped connection, but not after an error answer
      // (a host in recovery, a proxy's 502): then a fresh EventSource is opened after a pause.
      if (source.readyState === 2 && this.source === source) {
        this.close()
        this.reopenLater()
      }
    }
    for (const type of this.handlers.keys()) this.listen(type)
  }

  private listen(type: string): void {
    if (!this.source || this.listeners.has(type)) return
    const listener = (ev: MessageEvent<string>) => {
      const data = parseJSON(ev.data)
      for (const h of this.handlers.get(type) ?? []) h(data)
    }
    this.listeners.set(type, listener)
    this.source.addEventListener(type, listener)
  }
}

const browserEvents = new BrowserEvents()

/** Subscribes to one server event; returns the function that unsubscribes. */
export function onEvent<K extends EventType>(
  type: K,
  handler: (data: EventMap[K]) => void,
): () => void {
  const h = handler as Handler
  if (isDesktop() && window.runtime) {
    return window.runtime.EventsOn(type, (data: unknown) => h(data))
  }
  return browserEvents.add(type, h)
}

/**
 * Watches whether server events can arrive: false while the browser's stream to the host is down
 * (it reconnects by itself). Inside the desktop window events are in-process; a window workstation
 * (`--hall`) hears host:unreachable and host:reachable when its link to the hall host changes.
 */
export function onConnection(handler: (connected: boolean) => void): () => void {
  if (isDesktop()) {
    handler(true)
    const rt = window.runtime
    if (!rt) return () => undefined
    const offDown = rt.EventsOn('host:unreachable', () => handler(false))
    const offUp = rt.EventsOn('host:reachable', () => handler(true))
    return () => {
      offDown()
      offUp()
    }
  }
  return browserEvents.watch(handler)
}

/**
 * Reopens the browser's event stream. A page calls it when the host answers again after failing:
 * a stream opened while the host was in another state (recovery) may never deliver events.
 */
export function reconnectEvents(): void {
  if (!isDesktop()) browserEvents.reconnect()
}
