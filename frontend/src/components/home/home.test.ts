import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'

vi.mock('../../api', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../api')>()),
  startSample: vi.fn(),
  listInstances: vi.fn(),
  listDatabases: vi.fn(),
  listProjects: vi.fn(),
}))

import * as api from '../../api'
import HomeView from '../../views/HomeView.vue'
import { useSampleStore } from '../../stores/sample'
import { useEnvironmentsStore } from '../../stores/environments'
import { useInstancesStore } from '../../stores/instances'
import { mountWithProviders } from '../../testing/mountWithProviders'
import { database, env, instance, project } from '../../stores/testdata'

const mocked = vi.mocked(api)
const q = (testid: string) => document.body.querySelector(`[data-testid="${testid}"]`)
const status = (over: Partial<api.SampleStatus>): api.SampleStatus => ({
  available: true,
  reason: '',
  initialized: false,
  running: false,
  port: 0,
  dataDir: '',
  runAs: '',
  ...over,
})

beforeEach(() => {
  vi.clearAllMocks()
  document.body.innerHTML = ''
  setActivePinia(createPinia())
})

describe('home: the sample instance', () => {
  it('says what to install when it cannot run here', async () => {
    const pinia = createPinia()
    setActivePinia(pinia)
    useSampleStore().status = status({ available: false, reason: 'Install the PostgreSQL server: apt-get install postgresql' })
    const w = mountWithProviders(HomeView, {}, pinia)
    await flushPromises()
    expect(q('sample-unavailable')?.textContent).toContain('apt-get install postgresql')
    expect(q('sample-start')).toBeNull()
    w.unmount()
  })

  it('starts it, then lists its databases', async () => {
    const pinia = createPinia()
    setActivePinia(pinia)
    useSampleStore().status = status({})
    useInstancesStore().loaded = true
    useEnvironmentsStore().items = [env('test', 'Test', 1), env('prod', 'Prod', 2)]
    const w = mountWithProviders(HomeView, {}, pinia)
    await flushPromises()
    expect(q('home-view')?.textContent).toContain('Welcome to Tidemark')

    let finish!: (s: api.SampleStatus) => void
    mocked.startSample.mockReturnValue(new Promise((r) => (finish = r)))
    mocked.listInstances.mockResolvedValue([instance('s', 'Sample', { isSample: true, port: 54999 })])
    mocked.listDatabases.mockResolvedValue([
      database('d1', 'hr_test', 's', { environmentId: 'test', projectId: 'hr' }),
      database('d2', 'hr_prod', 's', { environmentId: 'prod', projectId: 'hr' }),
    ])
    mocked.listProjects.mockResolvedValue([project('hr', 'HR', { databaseCount: 2 })])

    ;(q('sample-start') as HTMLButtonElement).click()
    await flushPromises()
    expect(q('sample-step')?.textContent).toContain('Starting')
    finish(status({ initialized: true, running: true, port: 54999 }))
    await flushPromises()

    expect(q('sample-running')?.textContent).toContain('54999')
    expect(q('home-view')?.textContent).not.toContain('Welcome to Tidemark')
    const table = q('sample-databases')?.textContent ?? ''
    expect(table).toContain('hr_test')
    expect(table).toContain('hr_prod')
    expect(table).toContain('Prod')
    w.unmount()
  })

  it('shows the error with its SQLSTATE when starting fails', async () => {
    const pinia = createPinia()
    setActivePinia(pinia)
    useSampleStore().status = status({})
    const w = mountWithProviders(HomeView, {}, pinia)
    await flushPromises()
    mocked.startSample.mockRejectedValue('{"message":"could not create the sample databases","sqlstate":"53100","hint":"free some disk space"}')
    ;(q('sample-start') as HTMLButtonElement).click()
    await flushPromises()
    await new Promise((r) => setTimeout(r, 50))
    expect(q('error-message')?.textContent).toBe('could not create the sample databases')
    expect(q('error-sqlstate')?.textContent).toBe('SQLSTATE 53100')
    expect(q('error-notice')?.textContent).toContain('free some disk space')
    expect(q('sample-start')).not.toBeNull()
    w.unmount()
  })
})
