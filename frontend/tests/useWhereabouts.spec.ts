import { describe, expect, it, vi } from 'vitest'
import { defineComponent } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'

const handlers: Record<string, (data: unknown) => void> = {}
let answerRead: (board: unknown) => void = () => undefined

vi.mock('@/api/transport', async (original) => ({
  ...(await original<typeof import('@/api/transport')>()),
  onEvent: (type: string, handler: (data: unknown) => void) => {
    handlers[type] = handler
    return () => undefined
  },
}))
vi.mock('@/api/whereabouts', () => ({
  getWhereabouts: () =>
    new Promise((resolve) => {
      answerRead = resolve
    }),
}))

const { useWhereabouts } = await import('@/composables/useWhereabouts')

describe('useWhereabouts', () => {
  it('keeps a message an event brought when the page’s first read answers after it', async () => {
    let board!: ReturnType<typeof useWhereabouts>
    mount(
      defineComponent({
        setup() {
          board = useWhereabouts()
          return () => null
        },
      }),
    )
    const notice = {
      staff_name: '王值班',
      window: 2,
      where: '入户代办',
      back_at: '2026-11-25T12:30:00Z',
      covered_by_name: '',
      expires_at: '2026-11-25T13:00:00Z',
    }
    handlers['whereabouts:changed']!({ notices: [notice] })
    answerRead({ notices: [] }) // the read the page sent on opening, before the message was left
    await flushPromises()
    expect(board.list.value).toEqual([notice])
  })
})
