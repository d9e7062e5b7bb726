// Starts the real Go server on a free port with a temporary data dir, and headless Chromium.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'

const frontendDir = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const repoDir = resolve(frontendDir, '..')
export const screenshotDir = join(frontendDir, 'e2e', 'screenshots')
export const ADMIN_PASSWORD = 'Admin12345'

/**
 * Returns the budayang binary, rebuilding it when it is missing or older than frontend/dist,
 * since the server embeds the UI that the tests drive. BUDAYANG_BIN overrides the path.
 */
export function ensureBinary(): string {
  if (process.env.BUDAYANG_BIN) return process.env.BUDAYANG_BIN
  const bin = join(repoDir, 'build', 'bin', 'budayang')
  const index = join(frontendDir, 'dist', 'index.html')
  if (!existsSync(index)) throw new Error('frontend/dist is empty: run `npm run build` first')
  const stale = !existsSync(bin) || statSync(bin).mtimeMs < statSync(index).mtimeMs
  if (stale) {
    const res = spawnSync('go', ['build', '-o', bin, '.'], { cwd: repoDir, stdio: 'inherit' })
    if (res.status !== 0) throw new Error(`go build failed with status ${res.status}`)
  }
  return bin
}

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer()
    srv.once('error', fail)
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      const port = typeof addr === 'object' && addr ? addr.port : 0
      srv.close(() => ok(port))
    })
  })
}

export interface Server {
  baseURL: string
  dataDir: string
  /** Stops the server and removes its data dir, unless `keepData` (to start it again on it). */
  stop(opts?: { keepData?: boolean }): Promise<void>
}

/** A moment inside the lines' hours (08:30–17:30 Asia/Shanghai) on a working day. */
export const OFFICE_HOURS = '2026-11-25T09:00:00+08:00'

export interface ServerOptions {
  /** Run `budayang init` first, for 测试镇便民服务中心 with 3 windows. */
  init: boolean
  /** Where the clock starts (BUDAYANG_CLOCK), e.g. OFFICE_HOURS for the queue. */
  clock?: string
  /** Serve this data dir instead of a fresh temporary one. */
  dataDir?: string
  /** Listen on this port (to restart a server where its pages expect it) instead of a free one. */
  port?: number
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Starts `budayang serve`; with `init`, first runs `budayang init` for 测试镇便民服务中心. */
export async function startServer(opts: ServerOptions): Promise<Server> {
  const bin = ensureBinary()
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'budayang-e2e-'))
  const env: NodeJS.ProcessEnv = { ...process.env, BUDAYANG_ADMIN_PASSWORD: ADMIN_PASSWORD }
  if (opts.clock) env.BUDAYANG_CLOCK = opts.clock
  if (opts.init) {
    const res = spawnSync(
      bin,
      [
        'init',
        '--data',
        dataDir,
        '--site',
        '测试镇便民服务中心',
        '--kind',
        'town',
        '--population',
        '42000',
      ],
      { env, encoding: 'utf8' },
    )
    if (res.status !== 0) throw new Error(`budayang init failed: ${res.stderr}${res.stdout}`)
  }
  const port = opts.port ?? (await freePort())
  const baseURL = `http://127.0.0.1:${port}`
  let log = ''
  const child: ChildProcess = spawn(
    bin,
    ['serve', '--addr', `127.0.0.1:${port}`, '--data', dataDir],
    {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  child.stdout?.on('data', (d: Buffer) => (log += d.toString()))
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()))
  const deadline = Date.now() + 30_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`budayang serve exited early:\n${log}`)
    try {
      const res = await fetch(`${baseURL}/api/v1/health`)
      // 503 {"status":"recovery"} also means it listens: the database is damaged.
      if (res.ok || res.status === 503) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`budayang serve did not answer /api/v1/health within 30 s:\n${log}`)
    }
    await sleep(200)
  }
  return {
    baseURL,
    dataDir,
    async stop(stopOpts?: { keepData?: boolean }) {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r))
        child.kill('SIGTERM')
        await Promise.race([exited, sleep(5000)])
        if (child.exitCode === null) child.kill('SIGKILL')
      }
      if (!stopOpts?.keepData) rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** Launches the system Chromium; never downloads a browser. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true })
  // Let transitions (dialogs fading, spinners) finish so the picture shows the settled page.
  await page.waitForTimeout(400)
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true })
}

/** Picks an option of the Naive UI select found by `selector`. */
export async function pickOption(page: Page, selector: string, label: string): Promise<void> {
  await page.locator(selector).click()
  await page.locator('.n-base-select-option:visible', { hasText: label }).first().click()
}

/**
 * Calls the server's API from the test itself (another workstation, not the page under test).
 * `token` is a staff session, or a device's `Device …` header value from apiPairDevice.
 */
export async function api<T>(
  server: Server,
  method: string,
  path: string,
  body?: unknown,
  token = '',
): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = {}
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  if (token) headers.Authorization = token.startsWith('Device ') ? token : `Bearer ${token}`
  const res = await fetch(`${server.baseURL}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T }
}

/** Logs in through the API and returns the session token. */
export async function apiLogin(server: Server, user: string, password: string): Promise<string> {
  const res = await api<{ token: string }>(server, 'POST', '/api/v1/login', { user, password })
  if (res.status !== 200) throw new Error(`login ${user}: ${res.status}`)
  return res.body.token
}

/** Logs in through the login page and waits for the home page. */
export async function uiLogin(page: Page, user: string, password: string): Promise<void> {
  await page.fill('input[name="user"]', user)
  await page.fill('input[name="password"]', password)
  await page.press('input[name="password"]', 'Enter')
  await page.waitForURL((u) => u.hash === '#/')
}

export type DeviceKind = 'kiosk' | 'rating_pad' | 'display'

/** Opens a pairing with the administrator's session and returns its one-time code. */
export async function apiPairing(
  server: Server,
  adminToken: string,
  kind: DeviceKind,
  window?: number,
): Promise<string> {
  const res = await api<{ code: string }>(
    server,
    'POST',
    '/api/v1/devices/pairings',
    { kind, window: window ?? null },
    adminToken,
  )
  if (res.status !== 201) throw new Error(`pairing ${kind}: ${res.status}`)
  return res.body.code
}

/** Pairs a device through the API (for calls the test makes as that device): `Device …`. */
export async function apiPairDevice(
  server: Server,
  adminToken: string,
  kind: DeviceKind,
  window?: number,
): Promise<string> {
  const code = await apiPairing(server, adminToken, kind, window)
  const res = await api<{ credential: string }>(server, 'POST', '/api/v1/devices/pair', { code })
  if (res.status !== 201) throw new Error(`pair ${kind}: ${res.status}`)
  return `Device ${res.body.credential}`
}

/**
 * Opens `url` (a kiosk, rating pad or display page) and pairs it as a person would: the page asks
 * for a code, the administrator's session opens a pairing, the code is typed in. The credential
 * stays in the page's localStorage for every later visit.
 */
export async function pairPage(
  page: Page,
  server: Server,
  adminToken: string,
  kind: DeviceKind,
  url: string,
  window?: number,
): Promise<void> {
  await page.goto(url)
  const prompt = page.locator('[data-test="device-pair"]')
  await prompt.waitFor()
  await page.fill('input[name="device-code"]', await apiPairing(server, adminToken, kind, window))
  await page.click('[data-test="device-pair-submit"]')
  await prompt.waitFor({ state: 'detached' })
}
