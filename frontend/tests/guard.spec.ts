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

  it('keeps non-admins out of admin views', () => {
    expect(decide(to('staff', { admin: true }), state({ loggedIn: true }))).toEqual({
      name: 'home',
    })
    expect(decide(to('account'), state({ loggedIn: true }))).toBe(true)
    expect(decide(to('staff', { admin: true }), state({ loggedIn: true, isAdmin: true }))).toBe(
      true,
    )
  })
})
