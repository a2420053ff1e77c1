import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'

vi.mock('../../api', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../api')>()),
  appInfo: vi.fn(),
  listEnvironments: vi.fn(),
  listInstances: vi.fn(),
  listDatabases: vi.fn(),
  listProjects: vi.fn(),
  sampleStatus: vi.fn(),
  onProgress: vi.fn(),
}))
vi.mock('../../api/anomaly', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../api/anomaly')>()),
  openAnomalyCount: vi.fn(async () => 0),
  listAnomalies: vi.fn(async () => []),
  onAnomalyChanged: vi.fn(() => () => {}),
}))

import * as api from '../../api'
import AppShell from './AppShell.vue'
import { mountWithProviders } from '../../testing/mountWithProviders'
import { env, instance } from '../../stores/testdata'

const mocked = vi.mocked(api)
const q = (sel: string) => document.body.querySelector(sel)

beforeEach(() => {
  vi.clearAllMocks()
  document.body.innerHTML = ''
  mocked.appInfo.mockResolvedValue({ version: 'dev', workspacePath: '/w', firstRun: true, keychain: { available: true, message: '' } })
  mocked.listEnvironments.mockResolvedValue([env('test', 'Test', 1)])
  mocked.listInstances.mockResolvedValue([])
  mocked.listDatabases.mockResolvedValue([])
  mocked.listProjects.mockResolvedValue([])
  mocked.sampleStatus.mockResolvedValue({ available: true, reason: '', initialized: false, running: false, port: 0, dataDir: '', runAs: '' })
  mocked.onProgress.mockReturnValue(() => {})
})
afterEach(() => vi.useRealTimers())

describe('app shell', () => {
  it('loads every area, subscribes to progress, and has the navigation rail', async () => {
    const w = mountWithProviders(AppShell)
    await flushPromises()
    for (const fn of [mocked.appInfo, mocked.listEnvironments, mocked.listInstances, mocked.listDatabases, mocked.listProjects, mocked.sampleStatus]) {
      expect(fn).toHaveBeenCalledOnce()
    }
    expect(mocked.onProgress).toHaveBeenCalledOnce()
    for (const area of ['home', 'projects', 'databases', 'instances', 'environments', 'settings']) {
      expect(q(`[data-testid="nav-${area}"]`)).not.toBeNull()
    }
    w.unmount()
  })

  it('notifies what could not be loaded, with the SQLSTATE', async () => {
    mocked.listInstances.mockRejectedValue('{"message":"database disk image is malformed","sqlstate":"XX001"}')
    const w = mountWithProviders(AppShell)
    await flushPromises()
    await new Promise((r) => setTimeout(r, 50))
    expect(document.body.textContent).toContain('Could not load instances')
    expect(q('[data-testid="error-sqlstate"]')?.textContent).toBe('SQLSTATE XX001')
    w.unmount()
  })

  it('reloads the lists when the window regains focus, at most every few seconds', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const w = mountWithProviders(AppShell)
    await flushPromises()
    mocked.listInstances.mockResolvedValue([instance('cli', 'added-by-cli')])
    window.dispatchEvent(new Event('focus'))
    await flushPromises()
    expect(mocked.listInstances).toHaveBeenCalledOnce() // too soon after the first load
    vi.setSystemTime(Date.now() + 5000)
    window.dispatchEvent(new Event('focus'))
    await flushPromises()
    expect(mocked.listInstances).toHaveBeenCalledTimes(2)
    expect(mocked.listProjects).toHaveBeenCalledTimes(2)
    w.unmount()
    vi.setSystemTime(Date.now() + 5000)
    window.dispatchEvent(new Event('focus'))
    await flushPromises()
    expect(mocked.listInstances).toHaveBeenCalledTimes(2) // no listener left behind
  })
})
