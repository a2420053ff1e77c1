import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'

// Stores talk to Go only through src/api: mock it, keeping the real ApiError and helpers.
vi.mock('../api', async (importOriginal) => {
  const real = await importOriginal<typeof import('../api')>()
  return {
    ...real,
    appInfo: vi.fn(),
    listEnvironments: vi.fn(),
    createEnvironment: vi.fn(),
    renameEnvironment: vi.fn(),
    setEnvironmentProtected: vi.fn(),
    reorderEnvironments: vi.fn(),
    listInstances: vi.fn(),
    parseInstanceURL: vi.fn(),
    createInstance: vi.fn(),
    updateInstance: vi.fn(),
    removeInstance: vi.fn(),
    testConnection: vi.fn(),
    testSavedInstance: vi.fn(),
    syncInstance: vi.fn(),
    listDatabases: vi.fn(),
    assignProject: vi.fn(),
    listProjects: vi.fn(),
    createProject: vi.fn(),
    renameProject: vi.fn(),
    archiveProject: vi.fn(),
    unarchiveProject: vi.fn(),
    projectDatabases: vi.fn(),
    sampleStatus: vi.fn(),
    startSample: vi.fn(),
    stopSample: vi.fn(),
    onProgress: vi.fn(),
  }
})

import * as api from '../api'
import { useEnvironmentsStore } from './environments'
import { useInstancesStore } from './instances'
import { useDatabasesStore } from './databases'
import { useProjectsStore } from './projects'
import { useSampleStore } from './sample'
import { useAppStore } from './app'
import { database, env, instance, project } from './testdata'

const mocked = vi.mocked(api)
const fail = (msg: string, sqlstate = '') => new api.ApiError({ message: msg, sqlstate })

beforeEach(() => {
  vi.clearAllMocks()
  setActivePinia(createPinia())
})

describe('environments store', () => {
  const ordered = () => [env('test', 'Test', 1), env('prod', 'Prod', 2)]

  it('loads and names environments', async () => {
    mocked.listEnvironments.mockResolvedValue(ordered())
    const s = useEnvironmentsStore()
    await s.load()
    expect(s.loaded).toBe(true)
    expect(s.nameOf('prod')).toBe('Prod')
    expect(s.nameOf('gone')).toBe('gone')
  })

  it('adds a created environment in position order', async () => {
    const s = useEnvironmentsStore()
    s.items = ordered()
    mocked.createEnvironment.mockResolvedValue(env('staging', 'Staging', 3))
    await s.create('  Staging ')
    expect(mocked.createEnvironment).toHaveBeenCalledWith('Staging')
    expect(s.items.map((e) => e.id)).toEqual(['test', 'prod', 'staging'])
  })

  it('moves an environment and sends the new order', async () => {
    const s = useEnvironmentsStore()
    s.items = ordered()
    mocked.reorderEnvironments.mockResolvedValue([env('prod', 'Prod', 1), env('test', 'Test', 2)])
    await s.move('prod', -1)
    expect(mocked.reorderEnvironments).toHaveBeenCalledWith(['prod', 'test'])
    expect(s.items.map((e) => e.id)).toEqual(['prod', 'test'])
  })

  it('marks an environment as production', async () => {
    const s = useEnvironmentsStore()
    s.items = ordered()
    mocked.setEnvironmentProtected.mockResolvedValue({ ...env('test', 'Test', 1), protected: true })
    await s.setProtected('test', true)
    expect(mocked.setEnvironmentProtected).toHaveBeenCalledWith('test', true)
    expect(s.items.find((e) => e.id === 'test')?.protected).toBe(true)
  })

  it('ignores moves past either end', async () => {
    const s = useEnvironmentsStore()
    s.items = ordered()
    await s.move('test', -1)
    await s.move('prod', 1)
    expect(mocked.reorderEnvironments).not.toHaveBeenCalled()
  })

  it('puts the order back when the reorder fails', async () => {
    const s = useEnvironmentsStore()
    s.items = ordered()
    mocked.reorderEnvironments.mockRejectedValue(fail('workspace is read-only'))
    await expect(s.move('test', 1)).rejects.toThrow('workspace is read-only')
    expect(s.items.map((e) => e.id)).toEqual(['test', 'prod'])
  })

  it('renames optimistically and rolls back on failure', async () => {
    const s = useEnvironmentsStore()
    s.items = ordered()
    let reject!: (e: unknown) => void
    mocked.renameEnvironment.mockReturnValue(new Promise((_, r) => (reject = r)))
    const p = s.rename('test', 'QA')
    expect(s.items[0]!.name).toBe('QA')
    reject(fail('an environment named QA exists'))
    await expect(p).rejects.toThrow('an environment named QA exists')
    expect(s.items[0]!.name).toBe('Test')
  })
})

describe('instances store', () => {
  it('removes optimistically, drops its databases, and restores on failure', async () => {
    const s = useInstancesStore()
    const dbs = useDatabasesStore()
    s.items = [instance('a', 'alpha'), instance('b', 'beta')]
    dbs.items = [database('d1', 'app', 'a'), database('d2', 'other', 'b')]

    mocked.removeInstance.mockRejectedValueOnce(fail('workspace locked'))
    await expect(s.remove('a')).rejects.toThrow('workspace locked')
    expect(s.items.map((i) => i.id)).toEqual(['a', 'b'])
    expect(dbs.items).toHaveLength(2)

    mocked.removeInstance.mockResolvedValueOnce(undefined)
    await s.remove('a')
    expect(s.items.map((i) => i.id)).toEqual(['b'])
    expect(dbs.items.map((d) => d.id)).toEqual(['d2'])
  })

  it('sync replaces that instance databases and refreshes lastSyncAt', async () => {
    const s = useInstancesStore()
    const dbs = useDatabasesStore()
    s.items = [instance('a', 'alpha')]
    dbs.items = [database('old', 'dropped', 'a'), database('keep', 'x', 'b')]
    mocked.syncInstance.mockResolvedValue([database('n1', 'app', 'a'), database('n2', 'postgres', 'a')])
    mocked.listInstances.mockResolvedValue([instance('a', 'alpha', { lastSyncAt: '2026-02-02T00:00:00Z' })])
    const p = s.sync('a')
    expect(s.syncing.has('a')).toBe(true)
    await p
    expect(s.syncing.has('a')).toBe(false)
    expect(dbs.items.map((d) => d.id).sort()).toEqual(['keep', 'n1', 'n2'])
    expect(s.items[0]!.lastSyncAt).toBe('2026-02-02T00:00:00Z')
  })

  it('sync failure clears the busy flag, shows the recorded error and rethrows', async () => {
    const s = useInstancesStore()
    s.items = [instance('a', 'alpha')]
    mocked.syncInstance.mockRejectedValue(fail('password authentication failed', '28P01'))
    mocked.listInstances.mockResolvedValue([instance('a', 'alpha', { lastError: 'password authentication failed' })])
    await expect(s.sync('a')).rejects.toMatchObject({ sqlstate: '28P01' })
    expect(s.syncing.size).toBe(0)
    expect(s.items[0]!.lastError).toBe('password authentication failed')
  })

  it('update replaces the saved instance; create appends', async () => {
    const s = useInstancesStore()
    s.items = [instance('a', 'alpha')]
    mocked.updateInstance.mockResolvedValue(instance('a', 'renamed'))
    mocked.createInstance.mockResolvedValue(instance('c', 'gamma'))
    await s.update('a', api.emptyInstanceInput())
    await s.create(api.emptyInstanceInput())
    expect(s.items.map((i) => i.name)).toEqual(['renamed', 'gamma'])
  })

  it('parseURL trims what was pasted', async () => {
    const s = useInstancesStore()
    mocked.parseInstanceURL.mockResolvedValue(api.emptyInstanceInput())
    await s.parseURL('  postgres://u@h/db \n')
    expect(mocked.parseInstanceURL).toHaveBeenCalledWith('postgres://u@h/db')
  })
})

describe('databases store', () => {
  it('assigns a project and rolls back on failure', async () => {
    const s = useDatabasesStore()
    s.items = [database('d1', 'app', 'a')]
    mocked.assignProject.mockResolvedValueOnce(database('d1', 'app', 'a', { projectId: 'p1' }))
    await s.assignProject('d1', 'p1')
    expect(s.items[0]!.projectId).toBe('p1')

    mocked.assignProject.mockRejectedValueOnce(fail('project is archived'))
    await expect(s.assignProject('d1', 'p2')).rejects.toThrow('project is archived')
    expect(s.items[0]!.projectId).toBe('p1')
  })
})

describe('projects store', () => {
  it('archiving hides the project unless archived ones are shown', async () => {
    const s = useProjectsStore()
    s.items = [project('p1', 'HR'), project('p2', 'Billing')]
    mocked.archiveProject.mockResolvedValue(project('p1', 'HR', { archived: true }))
    await s.archive('p1')
    expect(s.items.map((p) => p.id)).toEqual(['p2'])

    s.includeArchived = true
    s.items = [project('p1', 'HR'), project('p2', 'Billing')]
    await s.archive('p1')
    expect(s.items[0]).toMatchObject({ id: 'p1', archived: true })
    expect(s.active.map((p) => p.id)).toEqual(['p2'])
  })

  it('loads with the archived filter', async () => {
    const s = useProjectsStore()
    mocked.listProjects.mockResolvedValue([])
    s.includeArchived = true
    await s.load()
    expect(mocked.listProjects).toHaveBeenCalledWith(true)
  })

  it('rename rolls back on a duplicate name', async () => {
    const s = useProjectsStore()
    s.items = [project('p1', 'HR')]
    mocked.renameProject.mockRejectedValue(fail('a project named Billing exists'))
    await expect(s.rename('p1', 'Billing')).rejects.toThrow('exists')
    expect(s.items[0]!.name).toBe('HR')
  })

  it('keeps database counts in step with assignments', () => {
    const s = useProjectsStore()
    s.items = [project('p1', 'HR', { databaseCount: 2 })]
    s.bumpCount('p1', 1)
    s.bumpCount('missing', 1)
    expect(s.items[0]!.databaseCount).toBe(3)
  })
})

describe('sample store', () => {
  const status = (running: boolean) => ({
    available: true,
    reason: '',
    initialized: true,
    running,
    port: 54321,
    dataDir: '/tmp/x',
    runAs: 'postgres',
  })

  it('is busy while starting and keeps the returned status', async () => {
    const s = useSampleStore()
    let resolve!: (v: ReturnType<typeof status>) => void
    mocked.startSample.mockReturnValue(new Promise((r) => (resolve = r)))
    const p = s.start()
    expect(s.busy).toBe(true)
    resolve(status(true))
    await p
    expect(s.busy).toBe(false)
    expect(s.status?.running).toBe(true)
  })

  it('clears busy when starting fails', async () => {
    const s = useSampleStore()
    mocked.startSample.mockRejectedValue(fail('no PostgreSQL server binaries found'))
    await expect(s.start()).rejects.toThrow('binaries')
    expect(s.busy).toBe(false)
  })
})

describe('app store', () => {
  it('loads the app info and persists the theme choice', async () => {
    mocked.appInfo.mockResolvedValue({
      version: '0.1.0',
      workspacePath: '/home/u/.config/tidemark',
      keychain: { available: false, message: 'no secret service' },
      firstRun: true,
    })
    const s = useAppStore()
    await s.load()
    expect(s.info?.keychain.available).toBe(false)
    s.theme = 'dark'
    await Promise.resolve()
    expect(localStorage.getItem('tidemark.theme')).toBe('dark')
  })
})
