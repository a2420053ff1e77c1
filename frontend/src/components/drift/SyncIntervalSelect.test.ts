import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'

vi.mock('../../api/drift', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../api/drift')>()),
  syncInterval: vi.fn(),
  setSyncInterval: vi.fn(),
}))

import * as drift from '../../api/drift'
import { ApiError } from '../../api/errors'
import SyncIntervalSelect from './SyncIntervalSelect.vue'
import { mountWithProviders } from '../../testing/mountWithProviders'

const mocked = vi.mocked(drift)

beforeEach(() => {
  vi.clearAllMocks()
  document.body.innerHTML = ''
})

describe('SyncIntervalSelect', () => {
  it('shows the stored interval, saves a choice and puts the old one back when refused', async () => {
    mocked.syncInterval.mockResolvedValue(10)
    const w = mountWithProviders(SyncIntervalSelect, { instanceId: 'i1', instanceName: 'Local' })
    await flushPromises()
    expect(mocked.syncInterval).toHaveBeenCalledWith('i1')
    expect(document.body.querySelector('[data-testid="instance-sync-interval"]')?.textContent).toContain('Every 10 min')
    const sel = w.findComponent({ name: 'Select' })
    mocked.setSyncInterval.mockResolvedValue(undefined)
    sel.vm.$emit('update:value', 0)
    await flushPromises()
    expect(mocked.setSyncInterval).toHaveBeenCalledWith('i1', 0)
    expect(document.body.querySelector('[data-testid="instance-sync-interval"]')?.textContent).toContain('Off')
    mocked.setSyncInterval.mockRejectedValue(new ApiError({ message: 'instance not found' }))
    sel.vm.$emit('update:value', 5)
    await flushPromises()
    expect(document.body.querySelector('[data-testid="instance-sync-interval"]')?.textContent).toContain('Off')
    expect(document.body.textContent).toContain('instance not found')
  })
})
