import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'

vi.mock('../../api/anomaly', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../api/anomaly')>()),
  listAnomalies: vi.fn(),
  openAnomalyCount: vi.fn(),
  getAnomaly: vi.fn(),
  establishBaseline: vi.fn(),
  revertDrift: vi.fn(),
  onAnomalyChanged: vi.fn(() => () => {}),
}))

import * as api from '../../api/anomaly'
import AnomalyCenterView from '../../views/AnomalyCenterView.vue'
// The memory router's first navigation loads the home page lazily; load it before the test ends.
import '../../views/HomeView.vue'
import DriftBanner from './DriftBanner.vue'
import { changeLine, expectedLabel, targetLabel } from './format'
import { mountWithProviders } from '../../testing/mountWithProviders'
import { anomaly, driftDetail } from './testdata'

const mocked = vi.mocked(api)
const q = (sel: string) => document.body.querySelector(sel)
const qa = (sel: string) => Array.from(document.body.querySelectorAll(sel))

beforeEach(() => {
  vi.clearAllMocks()
  document.body.innerHTML = ''
})

describe('Anomaly Center', () => {
  it('shows an empty state that tells what fills it', async () => {
    setActivePinia(createPinia())
    mocked.listAnomalies.mockResolvedValue([])
    mountWithProviders(AnomalyCenterView)
    await flushPromises()
    expect(q('[data-testid="anomaly-empty"]')?.textContent).toContain('No anomalies')
    expect(q('[data-testid="anomaly-empty"]')?.textContent).toContain('Sync now')
  })

  it('lists anomalies and opens a drift with its objects, DDL and both migrations', async () => {
    setActivePinia(createPinia())
    mocked.listAnomalies.mockResolvedValue([anomaly({ id: 4 }), anomaly({ id: 5, kind: 'instance_connection', databaseId: '', databaseName: '', summary: 'Cannot connect to instance Sample' })])
    mocked.getAnomaly.mockResolvedValue(driftDetail({ id: 4 }))
    mountWithProviders(AnomalyCenterView)
    await flushPromises()
    expect(qa('[data-testid="anomaly-summary"]').map((e) => e.textContent)).toEqual([
      'Schema drift: 1 object changed since version 20261203101500',
      'Cannot connect to instance Sample',
    ])
    ;(q('[data-testid="anomaly-row-4"]') as HTMLElement).click()
    await flushPromises()
    expect(mocked.getAnomaly).toHaveBeenCalledWith(4)
    expect(q('[data-testid="drift-object"]')?.textContent).toContain('public.t1')
    expect(q('[data-testid="drift-change"]')?.textContent).toBe('column age added: age integer')
    expect(q('[data-testid="ddl-merge"]')).not.toBeNull()
    expect(q('[data-testid="anomaly-baseline"]')).not.toBeNull()
    expect(q('[data-testid="anomaly-revert"]')).not.toBeNull()
  })

  it('filters by kind', async () => {
    setActivePinia(createPinia())
    mocked.listAnomalies.mockResolvedValue([])
    mountWithProviders(AnomalyCenterView)
    await flushPromises()
    expect(mocked.listAnomalies).toHaveBeenLastCalledWith({ kind: '', environmentId: '', projectId: '', all: false })
  })
})

describe('drift banner', () => {
  it('shows the drift of its database with View diff and Establish new baseline', async () => {
    setActivePinia(createPinia())
    mocked.listAnomalies.mockResolvedValue([anomaly({ id: 9 })])
    mountWithProviders(DriftBanner, { databaseId: 'db1' })
    await flushPromises()
    expect(mocked.listAnomalies).toHaveBeenCalledWith({ databaseId: 'db1', kind: 'schema_drift' })
    expect(q('[data-testid="drift-banner"]')?.textContent).toContain('Schema drift: 1 object changed since version 20261203101500')
    expect(q('[data-testid="drift-banner-view"]')).not.toBeNull()
    mocked.establishBaseline.mockResolvedValue(3)
    ;(q('[data-testid="drift-banner-baseline"]') as HTMLElement).click()
    await flushPromises()
    expect(mocked.establishBaseline).toHaveBeenCalledWith('db1')
  })

  it('shows nothing without drift', async () => {
    setActivePinia(createPinia())
    mocked.listAnomalies.mockResolvedValue([])
    mountWithProviders(DriftBanner, { databaseId: 'db1' })
    await flushPromises()
    expect(q('[data-testid="drift-banner"]')).toBeNull()
  })
})

describe('labels', () => {
  it('reads changes, targets and the expected schema', () => {
    expect(changeLine({ property: 'column price default', action: 'altered', from: '0', to: '1' })).toBe('column price default changed: 0 → 1')
    expect(changeLine({ property: 'index t_x', action: 'dropped', from: 'CREATE INDEX\n t_x', to: '' })).toBe('index t_x dropped: CREATE INDEX t_x')
    expect(targetLabel(anomaly({ databaseId: '' }))).toBe('Sample')
    expect(targetLabel(anomaly())).toBe('hr_prod on Sample')
    const d = driftDetail().drift
    expect(expectedLabel(d, (t) => t)).toBe('version 20261203101500')
    expect(expectedLabel({ ...d, expectedSource: 'implicit_baseline' }, () => 'then')).toBe('the first sync (then), the implicit baseline')
  })
})
