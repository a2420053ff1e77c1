import { beforeEach, describe, expect, it, vi } from 'vitest'

// The facade is the only importer of the generated bindings; here they are replaced by
// fakes that record calls, so the test checks what crosses the boundary.
vi.mock('../../wailsjs/go/app/InstanceService', () => ({
  List: vi.fn(),
  ParseURL: vi.fn(),
  Create: vi.fn(),
  Update: vi.fn(),
  Remove: vi.fn(),
  TestConnection: vi.fn(),
  TestSaved: vi.fn(),
  Sync: vi.fn(),
}))
vi.mock('../../wailsjs/go/app/EnvironmentService', () => ({ List: vi.fn(), Create: vi.fn(), Rename: vi.fn(), Reorder: vi.fn() }))
vi.mock('../../wailsjs/go/app/DatabaseService', () => ({ List: vi.fn(), AssignProject: vi.fn() }))
vi.mock('../../wailsjs/go/app/ProjectService', () => ({
  List: vi.fn(),
  Create: vi.fn(),
  Rename: vi.fn(),
  Archive: vi.fn(),
  Unarchive: vi.fn(),
  Databases: vi.fn(),
}))
vi.mock('../../wailsjs/go/app/SampleService', () => ({ Status: vi.fn(), Start: vi.fn(), Stop: vi.fn() }))
vi.mock('../../wailsjs/go/app/SystemService', () => ({ Info: vi.fn() }))
vi.mock('../../wailsjs/runtime/runtime', () => ({ EventsOn: vi.fn() }))

import * as InstanceService from '../../wailsjs/go/app/InstanceService'
import * as DatabaseService from '../../wailsjs/go/app/DatabaseService'
import * as EnvironmentService from '../../wailsjs/go/app/EnvironmentService'
import { EventsOn } from '../../wailsjs/runtime/runtime'
import * as api from './index'

const m = <T>(fn: T) => fn as unknown as ReturnType<typeof vi.fn>

beforeEach(() => vi.clearAllMocks())

describe('facade calls', () => {
  it('turns a nil slice from Go into an empty array', async () => {
    m(InstanceService.List).mockResolvedValue(null)
    await expect(api.listInstances()).resolves.toEqual([])
    m(DatabaseService.List).mockResolvedValue(null)
    await expect(api.listDatabases()).resolves.toEqual([])
    expect(DatabaseService.List).toHaveBeenCalledWith('')
  })

  it('sends the instance input with a numeric port', async () => {
    m(InstanceService.Create).mockResolvedValue({ id: 'i1', name: 'main' })
    const input = { ...api.emptyInstanceInput(), name: 'main', environmentId: 'test', port: '6543' as unknown as number }
    await api.createInstance(input)
    const sent = m(InstanceService.Create).mock.calls[0]![0]
    expect(sent).toMatchObject({ name: 'main', environmentId: 'test', port: 6543, host: 'localhost' })
  })

  it('passes ids and names through unchanged', async () => {
    m(EnvironmentService.Reorder).mockResolvedValue([{ id: 'prod' }, { id: 'test' }])
    await expect(api.reorderEnvironments(['prod', 'test'])).resolves.toEqual([{ id: 'prod' }, { id: 'test' }])
    expect(EnvironmentService.Reorder).toHaveBeenCalledWith(['prod', 'test'])
    m(InstanceService.Update).mockResolvedValue({ id: 'i1' })
    await api.updateInstance('i1', { ...api.emptyInstanceInput(), keepPassword: true })
    expect(m(InstanceService.Update).mock.calls[0]![0]).toBe('i1')
    expect(m(InstanceService.Update).mock.calls[0]![1]).toMatchObject({ keepPassword: true, password: '' })
  })

  it('rejects with a typed ApiError parsed from the Go error', async () => {
    m(InstanceService.TestConnection).mockRejectedValue(
      '{"message":"password authentication failed for user \\"app\\"","sqlstate":"28P01"}',
    )
    const err = await api.testConnection(api.emptyInstanceInput()).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(api.ApiError)
    expect(err).toMatchObject({ sqlstate: '28P01', message: 'password authentication failed for user "app"' })
  })
})

describe('onProgress', () => {
  it('subscribes to the "progress" event and returns its unsubscribe', () => {
    const off = vi.fn()
    m(EventsOn).mockReturnValue(off)
    const handler = vi.fn()
    const unsubscribe = api.onProgress(handler)
    expect(EventsOn).toHaveBeenCalledWith('progress', expect.any(Function))
    unsubscribe()
    expect(off).toHaveBeenCalledOnce()
  })

  it('normalises payloads and drops malformed ones', () => {
    m(EventsOn).mockReturnValue(() => {})
    const handler = vi.fn()
    api.onProgress(handler)
    const emit = m(EventsOn).mock.calls[0]![1] as (p: unknown) => void
    emit({ id: 'sample-start', title: 'Starting the sample instance', step: 'initdb', done: 1, total: 5 })
    emit(null)
    emit({ title: 'no id' })
    emit('text')
    expect(handler).toHaveBeenCalledTimes(1)
    expect(handler).toHaveBeenCalledWith({
      id: 'sample-start',
      title: 'Starting the sample instance',
      step: 'initdb',
      done: 1,
      total: 5,
      finished: false,
      error: '',
    })
  })
})
