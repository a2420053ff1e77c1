import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'

vi.mock('../api', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api')>()),
  onProgress: vi.fn(),
}))

import * as api from '../api'
import { LINGER_MS, SHOW_AFTER_MS, useProgressStore } from './progress'

const ev = (over: Partial<api.ProgressEvent> = {}): api.ProgressEvent => ({
  id: 'sample-start',
  title: 'Starting the sample instance',
  step: 'initdb',
  done: 0,
  total: 5,
  finished: false,
  error: '',
  ...over,
})

beforeEach(() => {
  vi.useFakeTimers()
  vi.clearAllMocks()
  setActivePinia(createPinia())
})
afterEach(() => vi.useRealTimers())

describe('progress store', () => {
  it('subscribes once and unsubscribes on stop', () => {
    const off = vi.fn()
    vi.mocked(api.onProgress).mockReturnValue(off)
    const s = useProgressStore()
    s.start()
    s.start()
    expect(api.onProgress).toHaveBeenCalledOnce()
    s.stop()
    expect(off).toHaveBeenCalledOnce()
  })

  it('shows a task only after it has run for a second', () => {
    const s = useProgressStore()
    s.handle(ev())
    expect(s.tasks).toHaveLength(1)
    expect(s.visible).toHaveLength(0)
    vi.advanceTimersByTime(SHOW_AFTER_MS)
    expect(s.visible).toHaveLength(1)
    s.handle(ev({ step: 'Creating databases', done: 3 }))
    expect(s.visible[0]).toMatchObject({ step: 'Creating databases', done: 3 })
  })

  it('drops quick work without ever showing it', () => {
    const s = useProgressStore()
    s.handle(ev())
    vi.advanceTimersByTime(SHOW_AFTER_MS / 2)
    s.handle(ev({ finished: true }))
    vi.advanceTimersByTime(SHOW_AFTER_MS * 2)
    expect(s.tasks).toHaveLength(0)
  })

  it('keeps a finished visible task briefly, with its error', () => {
    const s = useProgressStore()
    s.handle(ev())
    vi.advanceTimersByTime(SHOW_AFTER_MS)
    s.handle(ev({ finished: true, error: 'initdb failed' }))
    expect(s.visible[0]).toMatchObject({ finished: true, error: 'initdb failed' })
    vi.advanceTimersByTime(LINGER_MS)
    expect(s.tasks).toHaveLength(0)
  })

  it('ignores a finish for a task it never saw start', () => {
    const s = useProgressStore()
    s.handle(ev({ id: 'sync-x', finished: true }))
    expect(s.tasks).toHaveLength(0)
  })
})
