import { describe, expect, it } from 'vitest'
import { decide, type GuardState, type GuardTarget } from '@/router/guard'

const to = (name: string, meta: GuardTarget['meta'] = {}, fullPath = `/${name}`): GuardTarget => ({
  name,
  meta,
  fullPath,
})
const state = (s: Partial<GuardState>): GuardState => ({
  setupNeeded: false,
  loggedIn: false,
  isAdmin: false,
  ...s,
})

describe('route guard', () => {
  it('sends every route to setup while setup is needed', () => {
    expect(decide(to('login', { public: true }), state({ setupNeeded: true }))).toEqual({
      name: 'setup',
    })
    expect(decide(to('home', {}, '/'), state({ setupNeeded: true }))).toEqual({ name: 'setup' })
    expect(decide(to('setup', { public: true }), state({ setupNeeded: true }))).toBe(true)
  })

  it('leaves setup once the site exists', () => {
    expect(decide(to('setup', { public: true }), state({}))).toEqual({ name: 'login' })
    expect(decide(to('setup', { public: true }), state({ loggedIn: true }))).toEqual({
      name: 'home',
    })
  })

  it('sends a visitor without a session to login, keeping where they were going', () => {
    expect(decide(to('home', {}, '/'), state({}))).toEqual({ name: 'login' })
    expect(decide(to('account', {}, '/account'), state({}))).toEqual({
      name: 'login',
      query: { redirect: '/account' },
    })
    expect(decide(to('login', { public: true }), state({}))).toBe(true)
  })

  it('sends a logged-in user away from login', () => {
    expect(decide(to('login', { public: true }), state({ loggedIn: true }))).toEqual({
      name: 'home',
    })
  })

  it('keeps non-admins out of admin views, saying which page was refused', () => {
    expect(decide(to('staff', { admin: true }, '/staff'), state({ loggedIn: true }))).toEqual({
      name: 'home',
      query: { denied: '/staff' },
    })
    expect(decide(to('account'), state({ loggedIn: true }))).toBe(true)
    expect(decide(to('staff', { admin: true }), state({ loggedIn: true, isAdmin: true }))).toBe(
      true,
    )
  })

  it('lets the LAN pages through without login, setup or recovery checks', () => {
    const lan = (name: string) => to(name, { lan: true })
    for (const s of [state({}), state({ setupNeeded: true }), state({ recovery: true })]) {
      expect(decide(lan('display'), s)).toBe(true)
      expect(decide(lan('kiosk'), s)).toBe(true)
      expect(decide(lan('rate'), s)).toBe(true)
    }
  })

  it('sends everything else to recovery while the database is damaged', () => {
    const s = state({ recovery: true, setupNeeded: false })
    expect(decide(to('login', { public: true }), s)).toEqual({ name: 'recovery' })
    expect(decide(to('home', {}, '/'), s)).toEqual({ name: 'recovery' })
    expect(decide(to('setup', { public: true }), s)).toEqual({ name: 'recovery' })
    expect(decide(to('recovery', { public: true }), s)).toBe(true)
    // Recovery wins over a stale session: there is no database behind it.
    expect(decide(to('queue'), state({ recovery: true, loggedIn: true }))).toEqual({
      name: 'recovery',
    })
  })

  it('leaves the recovery page once the site is restored', () => {
    expect(decide(to('recovery', { public: true }), state({}))).toEqual({ name: 'login' })
    expect(decide(to('recovery', { public: true }), state({ loggedIn: true }))).toEqual({
      name: 'home',
    })
  })

  it('shows only why the program could not start, and leaves that page when there is no problem', () => {
    const s = state({ problem: true })
    for (const name of ['login', 'home', 'setup', 'recovery']) {
      expect(decide(to(name, { public: true }), s)).toEqual({ name: 'problem' })
    }
    expect(decide(to('problem', { public: true }), s)).toBe(true)
    expect(decide(to('problem', { public: true }), state({}))).toEqual({ name: 'login' })
    expect(decide(to('problem', { public: true }), state({ setupNeeded: true }))).toEqual({
      name: 'login',
    })
  })

  it('opens the queue and ratings only to clerks, duty officers and admins', () => {
    const queue = to('queue', { roles: ['admin', 'clerk', 'duty'] })
    expect(decide(queue, state({ loggedIn: true, role: 'clerk' }))).toBe(true)
    expect(decide(queue, state({ loggedIn: true, role: 'duty' }))).toBe(true)
    expect(decide(queue, state({ loggedIn: true, role: 'admin', isAdmin: true }))).toBe(true)
    expect(decide(queue, state({ loggedIn: true, role: 'assistant' }))).toEqual({
      name: 'home',
      query: { denied: '/queue' },
    })
  })
})
