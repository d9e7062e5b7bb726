import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  ApiError,
  notifyReady,
  onConnection,
  onEvent,
  onUnauthorized,
  reconnectEvents,
  request,
  setToken,
  type InvokeRequest,
  type InvokeResponse,
} from '@/api/transport'
import { jsonResponse } from './helpers'

afterEach(() => {
  delete window.go
  delete window.runtime
  onUnauthorized(undefined)
  setToken('')
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

describe('transport in a browser', () => {
  let fetchMock: ReturnType<typeof vi.fn>

  beforeEach(() => {
    fetchMock = vi.fn()
    vi.stubGlobal('fetch', fetchMock)
  })

  it('calls fetch with the bearer token and JSON body, and parses the answer', async () => {
    setToken('tok-1')
    fetchMock.mockResolvedValue(jsonResponse(200, { id: 's1', name: '张三' }))
    const got = await request<{ id: string; name: string }>('PUT', '/api/v1/staff/s1', {
      name: '张三',
    })
    expect(got).toEqual({ id: 's1', name: '张三' })
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit]
    expect(url).toBe('/api/v1/staff/s1')
    expect(init.method).toBe('PUT')
    expect(init.body).toBe('{"name":"张三"}')
    expect((init.headers as Record<string, string>).Authorization).toBe('Bearer tok-1')
    expect((init.headers as Record<string, string>)['Content-Type']).toBe('application/json')
  })

  it('sends no Authorization header without a token and returns undefined for 204', async () => {
    fetchMock.mockResolvedValue(new Response(null, { status: 204 }))
    await expect(request('POST', '/api/v1/logout')).resolves.toBeUndefined()
    const [, init] = fetchMock.mock.calls[0] as [string, RequestInit]
    expect((init.headers as Record<string, string>).Authorization).toBeUndefined()
    expect(init.body).toBeUndefined()
  })

  it('maps an error body to ApiError with the server sentence', async () => {
    fetchMock.mockResolvedValue(
      jsonResponse(423, { error: '账户已锁定，请于 10:30 后再试。', code: 'locked' }),
    )
    const err = await request('POST', '/api/v1/login', {}).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect(err).toMatchObject({
      status: 423,
      code: 'locked',
      message: '账户已锁定，请于 10:30 后再试。',
    })
  })

  it('falls back to a code from the status when the body is not JSON', async () => {
    fetchMock.mockResolvedValue(new Response('gateway exploded', { status: 502 }))
    await expect(request('GET', '/api/v1/site')).rejects.toMatchObject({
      status: 502,
      code: 'internal',
      message: '',
    })
    fetchMock.mockResolvedValue(new Response('', { status: 403 }))
    await expect(request('GET', '/api/v1/staff')).rejects.toMatchObject({ code: 'forbidden' })
  })

  it('turns a network failure into ApiError status 0 "network"', async () => {
    fetchMock.mockRejectedValue(new TypeError('Failed to fetch'))
    await expect(request('GET', '/api/v1/status')).rejects.toMatchObject({
      status: 0,
      code: 'network',
    })
  })

  it('reports a 401 on a call made with a token, not on a login attempt without one', async () => {
    const handler = vi.fn()
    onUnauthorized(handler)
    fetchMock.mockImplementation(async () =>
      jsonResponse(401, { error: '用户名或密码错误。', code: 'unauthorized' }),
    )
    await expect(request('POST', '/api/v1/login', {})).rejects.toBeInstanceOf(ApiError)
    expect(handler).not.toHaveBeenCalled()
    setToken('expired')
    await expect(request('GET', '/api/v1/me')).rejects.toBeInstanceOf(ApiError)
    expect(handler).toHaveBeenCalledTimes(1)
  })

  it('opens the staff stream with a link made for it, never with the session token', async () => {
    const instances: FakeEventSource[] = []
    class FakeEventSource {
      url: string
      listeners = new Map<string, (ev: MessageEvent<string>) => void>()
      closed = false
      constructor(url: string) {
        this.url = url
        instances.push(this)
      }
      addEventListener(type: string, l: (ev: MessageEvent<string>) => void) {
        this.listeners.set(type, l)
      }
      removeEventListener(type: string) {
        this.listeners.delete(type)
      }
      close() {
        this.closed = true
      }
    }
    vi.stubGlobal('EventSource', FakeEventSource)
    fetchMock.mockResolvedValue(
      jsonResponse(201, { url: '/api/v1/events?t=link-1', expires_at: '2026-11-25T01:05:00Z' }),
    )
    setToken('tok 2')
    const got: unknown[] = []
    const off1 = onEvent('job:ran', (d) => got.push(d))
    const off2 = onEvent('backup:created', (d) => got.push(d))
    await vi.waitFor(() => expect(instances).toHaveLength(1))
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit]
    expect(url).toBe('/api/v1/url-tokens')
    expect(init.method).toBe('POST')
    expect(init.body).toBe('{"path":"/api/v1/events"}')
    expect((init.headers as Record<string, string>).Authorization).toBe('Bearer tok 2')
    expect(fetchMock).toHaveBeenCalledTimes(1)
    expect(instances[0]!.url).toBe('/api/v1/events?t=link-1')
    expect(instances[0]!.url).not.toContain('tok')
    instances[0]!.listeners.get('job:ran')!(
      new MessageEvent('job:ran', { data: '{"name":"backup"}' }),
    )
    expect(got).toEqual([{ name: 'backup' }])
    off1()
    off2()
    expect(instances[0]!.closed).toBe(true)
  })

  it('names the 415 answer to a body that is not JSON', async () => {
    fetchMock.mockResolvedValue(new Response('', { status: 415 }))
    await expect(request('POST', '/api/v1/staff', {})).rejects.toMatchObject({
      code: 'unsupported_media_type',
    })
  })
})

describe('the public event stream', () => {
  class FakeEventSource {
    static instances: FakeEventSource[] = []
    url: string
    readyState = 0
    closed = false
    onopen: (() => void) | null = null
    onerror: (() => void) | null = null
    constructor(url: string) {
      this.url = url
      FakeEventSource.instances.push(this)
    }
    addEventListener() {}
    removeEventListener() {}
    close() {
      this.closed = true
    }
  }

  beforeEach(() => {
    FakeEventSource.instances = []
    vi.stubGlobal('EventSource', FakeEventSource)
  })

  it('opens without a token for the LAN pages and reports the connection state', () => {
    const states: boolean[] = []
    const offState = onConnection((c) => states.push(c))
    const off = onEvent('ticket:called', () => undefined)
    const es = FakeEventSource.instances[0]!
    expect(es.url).toBe('/api/v1/events')
    es.onerror?.()
    es.onopen?.()
    expect(states).toEqual([true, false, true])
    offState()
    off()
  })

  it('reopens a stream on request, and by itself after the browser gave up on it', () => {
    vi.useFakeTimers()
    try {
      const off = onEvent('queue:changed', () => undefined)
      reconnectEvents()
      expect(FakeEventSource.instances).toHaveLength(2)
      expect(FakeEventSource.instances[0]!.closed).toBe(true)
      const es = FakeEventSource.instances[1]!
      es.readyState = 2
      es.onerror?.()
      expect(es.closed).toBe(true)
      vi.advanceTimersByTime(3000)
      expect(FakeEventSource.instances).toHaveLength(3)
      es.onopen?.()
      off()
    } finally {
      vi.useRealTimers()
    }
  })
})

describe('transport in the Wails window', () => {
  it('calls App.Invoke with the JSON text and token instead of fetch', async () => {
    const fetchMock = vi.fn()
    vi.stubGlobal('fetch', fetchMock)
    const invoke = vi.fn<(req: InvokeRequest) => Promise<InvokeResponse>>(async () => ({
      status: 201,
      body: '{"name":"b1.db","size":10,"created_at":"2025-01-01T00:00:00Z"}',
    }))
    window.go = { app: { App: { Invoke: invoke } } }
    setToken('tok-w')
    const got = await request('POST', '/api/v1/backups', { note: '手动' })
    expect(fetchMock).not.toHaveBeenCalled()
    expect(invoke).toHaveBeenCalledWith({
      method: 'POST',
      path: '/api/v1/backups',
      body: '{"note":"手动"}',
      token: 'tok-w',
    })
    expect(got).toEqual({ name: 'b1.db', size: 10, created_at: '2025-01-01T00:00:00Z' })
  })

  it('treats an unreachable hall host like a network failure, keeping its sentence', async () => {
    window.go = {
      app: {
        App: {
          Invoke: async () => ({
            status: 502,
            body: '{"error":"无法连接叫号主机 10.0.0.2:8470，请检查网络或主机是否开机。","code":"unreachable"}',
          }),
        },
      },
    }
    const err = (await request('GET', '/api/v1/hall').catch((e: unknown) => e)) as ApiError
    expect(err).toBeInstanceOf(ApiError)
    expect(err.code).toBe('network')
    expect(err.message).toContain('无法连接叫号主机')
  })

  it('reports the hall host link from host:* events in a window workstation', () => {
    const listeners = new Map<string, () => void>()
    window.go = { app: { App: { Invoke: async () => ({ status: 200, body: '{}' }) } } }
    window.runtime = {
      EventsOn: (type: string, cb: () => void) => {
        listeners.set(type, cb)
        return () => listeners.delete(type)
      },
    }
    const seen: boolean[] = []
    const off = onConnection((up) => seen.push(up))
    listeners.get('host:unreachable')?.()
    listeners.get('host:reachable')?.()
    off()
    expect(seen).toEqual([true, false, true])
    expect(listeners.size).toBe(0)
  })

  it('maps an error answer from Invoke like an HTTP one', async () => {
    window.go = {
      app: {
        App: {
          Invoke: async () => ({
            status: 409,
            body: '{"error":"登录名已存在。","code":"conflict"}',
          }),
        },
      },
    }
    await expect(request('POST', '/api/v1/staff', {})).rejects.toMatchObject({
      status: 409,
      code: 'conflict',
      message: '登录名已存在。',
    })
  })

  it('takes events from the Wails runtime and calls Ready', async () => {
    const off = vi.fn()
    let cb: ((...data: unknown[]) => void) | undefined
    const ready = vi.fn()
    window.go = { app: { App: { Invoke: vi.fn(), Ready: ready } } }
    window.runtime = {
      EventsOn: vi.fn((_type: string, f: (...data: unknown[]) => void) => {
        cb = f
        return off
      }),
    }
    const got: unknown[] = []
    const unsubscribe = onEvent('staff:changed', (d) => got.push(d))
    expect(window.runtime.EventsOn).toHaveBeenCalledWith('staff:changed', expect.any(Function))
    cb!({ id: 'x' })
    expect(got).toEqual([{ id: 'x' }])
    unsubscribe()
    expect(off).toHaveBeenCalled()
    await notifyReady()
    expect(ready).toHaveBeenCalled()
  })
})
