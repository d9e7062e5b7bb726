import { describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import { mount } from '@vue/test-utils'
import { queueActionFor, queueKeys, useQueueKeys, type KeyInput } from '@/composables/useQueueKeys'

const key = (k: string, mods: Partial<KeyInput> = {}): KeyInput => ({
  key: k,
  ctrlKey: false,
  altKey: false,
  metaKey: false,
  shiftKey: false,
  ...mods,
})

describe('the clerk’s queue keys', () => {
  it('maps F2 F3 F4 F6 F7 F8 F9 to call, recall, complete, skip, hold, transfer, pause', () => {
    const got = ['F2', 'F3', 'F4', 'F6', 'F7', 'F8', 'F9'].map((k) => queueActionFor(key(k)))
    expect(got).toEqual(['call', 'recall', 'complete', 'skip', 'hold', 'transfer', 'pause'])
    expect(queueKeys.call).toBe('F2')
  })

  it('ignores other keys, modified keys and auto-repeat', () => {
    expect(queueActionFor(key('F1'))).toBeNull()
    expect(queueActionFor(key('F5'))).toBeNull()
    expect(queueActionFor(key('Enter'))).toBeNull()
    expect(queueActionFor(key('F2', { ctrlKey: true }))).toBeNull()
    expect(queueActionFor(key('F4', { altKey: true }))).toBeNull()
    expect(queueActionFor(key('F2', { shiftKey: true }))).toBeNull()
    expect(queueActionFor(key('F2', { repeat: true }))).toBeNull()
  })

  it('runs the action while mounted and enabled, and stops on unmount', () => {
    const run = vi.fn()
    let enabled = true
    const Host = defineComponent({
      setup() {
        useQueueKeys(run, () => enabled)
        return () => h('div')
      },
    })
    const wrapper = mount(Host)
    const press = (k: string) => {
      const e = new KeyboardEvent('keydown', { key: k, cancelable: true })
      window.dispatchEvent(e)
      return e
    }
    const e = press('F2')
    expect(run).toHaveBeenCalledWith('call')
    expect(e.defaultPrevented).toBe(true)
    enabled = false
    press('F4')
    expect(run).toHaveBeenCalledTimes(1)
    enabled = true
    press('F9')
    expect(run).toHaveBeenLastCalledWith('pause')
    wrapper.unmount()
    press('F2')
    expect(run).toHaveBeenCalledTimes(2)
  })
})
