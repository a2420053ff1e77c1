import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'

vi.mock('../api', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api')>()),
  parseInstanceURL: vi.fn(),
  createInstance: vi.fn(),
  testConnection: vi.fn(),
  syncInstance: vi.fn(),
  listInstances: vi.fn(),
}))

import * as api from '../api'
import EmptyState from './shell/EmptyState.vue'
import InstanceDrawer from './instances/InstanceDrawer.vue'
import InstancesView from '../views/InstancesView.vue'
import DatabasesView from '../views/DatabasesView.vue'
import ProjectsView from '../views/ProjectsView.vue'
import EnvironmentsView from '../views/EnvironmentsView.vue'
import { useEnvironmentsStore } from '../stores/environments'
import { useInstancesStore } from '../stores/instances'
import { useDatabasesStore } from '../stores/databases'
import { useProjectsStore } from '../stores/projects'
import { useAppStore } from '../stores/app'
import { mountWithProviders } from '../testing/mountWithProviders'
import { env, instance } from '../stores/testdata'

const mocked = vi.mocked(api)
const q = (testid: string) => document.body.querySelector(`[data-testid="${testid}"]`)
const input = (testid: string) => q(testid)?.querySelector('input') as HTMLInputElement

async function type(testid: string, value: string) {
  const el = input(testid)
  el.value = value
  el.dispatchEvent(new Event('input'))
  await flushPromises()
}

beforeEach(() => {
  vi.clearAllMocks()
  document.body.innerHTML = ''
})

describe('empty states say the next step', () => {
  it('EmptyState renders its title and next step', () => {
    const w = mountWithProviders(EmptyState, { title: 'Nothing here', next: 'Do the thing.', testid: 'x-empty' })
    expect(q('x-empty')?.textContent).toContain('Nothing here')
    expect(q('x-empty')?.textContent).toContain('Do the thing.')
    w.unmount()
  })

  it.each([
    ['instances', InstancesView, 'instances-empty', 'Add a PostgreSQL instance', () => (useInstancesStore().loaded = true)],
    ['databases', DatabasesView, 'databases-empty', 'Add an instance', () => (useDatabasesStore().loaded = true)],
    ['projects', ProjectsView, 'projects-empty', 'Create a project', () => (useProjectsStore().loaded = true)],
    ['environments', EnvironmentsView, 'environments-empty', 'Add the first stage', () => (useEnvironmentsStore().loaded = true)],
  ])('%s view', async (_name, view, testid, text, markLoaded) => {
    const pinia = createPinia()
    const w = mountWithProviders(view, {}, pinia)
    markLoaded()
    await flushPromises()
    expect(q(testid)?.textContent).toContain(text)
    w.unmount()
  })

  it('databases view points to syncing once instances exist', async () => {
    const w = mountWithProviders(DatabasesView)
    useInstancesStore().items = [instance('a', 'alpha')]
    useDatabasesStore().loaded = true
    await flushPromises()
    expect(q('databases-empty')?.textContent).toContain('Sync an instance')
    w.unmount()
  })
})

describe('instances view', () => {
  it('says so when no keychain is available', async () => {
    const w = mountWithProviders(InstancesView)
    useAppStore().info = { version: 'dev', workspacePath: '/w', firstRun: false, keychain: { available: false, message: 'No Secret Service on D-Bus.' } }
    await flushPromises()
    expect(q('keychain-notice')?.textContent).toContain('No Secret Service on D-Bus.')
    w.unmount()
  })

  it('lists instances with their environment', async () => {
    const w = mountWithProviders(InstancesView)
    useEnvironmentsStore().items = [env('test', 'Test', 1)]
    const s = useInstancesStore()
    s.items = [instance('a', 'alpha', { host: 'db1', port: 6543 })]
    s.loaded = true
    await flushPromises()
    const row = q('instance-row-alpha')
    expect(row?.textContent).toContain('db1:6543')
    expect(row?.textContent).toContain('Test')
    w.unmount()
  })
})

describe('instance drawer', () => {
  function open() {
    const pinia = createPinia()
    setActivePinia(pinia)
    useEnvironmentsStore().items = [env('test', 'Test', 1), env('prod', 'Prod', 2)]
    return mountWithProviders(InstanceDrawer, { show: true, instance: null }, pinia)
  }

  it('fills the form from a pasted postgres:// URL', async () => {
    mocked.parseInstanceURL.mockResolvedValue({
      ...api.emptyInstanceInput(),
      host: 'db.example.com',
      port: 6432,
      user: 'app',
      database: 'orders',
      sslmode: 'require',
    })
    const w = open()
    await flushPromises()
    const paste = new Event('paste', { bubbles: true, cancelable: true })
    Object.defineProperty(paste, 'clipboardData', {
      value: { getData: () => 'postgres://app@db.example.com:6432/orders?sslmode=require' },
    })
    input('instance-form-url').dispatchEvent(paste)
    await flushPromises()
    expect(mocked.parseInstanceURL).toHaveBeenCalledWith('postgres://app@db.example.com:6432/orders?sslmode=require')
    expect(input('instance-form-host').value).toBe('db.example.com')
    expect(input('instance-form-port').value).toBe('6432')
    expect(input('instance-form-user').value).toBe('app')
    expect(input('instance-form-database').value).toBe('orders')
    expect(input('instance-form-url').value).toBe('')
    w.unmount()
  })

  it('shows which part of a bad URL is wrong', async () => {
    mocked.parseInstanceURL.mockRejectedValue(new api.ApiError({ message: 'port "99999" is out of range', field: 'port' }))
    const w = open()
    await flushPromises()
    await type('instance-form-url', 'postgres://h:99999/db')
    ;(q('instance-form-url-fill') as HTMLButtonElement).click()
    await flushPromises()
    expect(document.body.textContent).toContain('port "99999" is out of range')
    w.unmount()
  })

  it('validates before saving and does not call Go with a bad form', async () => {
    const w = open()
    await flushPromises()
    await type('instance-form-host', '')
    ;(q('instance-save') as HTMLButtonElement).click()
    await flushPromises()
    expect(mocked.createInstance).not.toHaveBeenCalled()
    expect(document.body.textContent).toContain('Give the instance a name')
    expect(document.body.textContent).toContain('Enter a host name or address')
    w.unmount()
  })

  it('test connection shows the server version or the SQLSTATE', async () => {
    const w = open()
    await flushPromises()
    mocked.testConnection.mockResolvedValueOnce({ serverVersion: 'PostgreSQL 15.8', serverVersionNum: 150008, latencyMs: 3 })
    ;(q('instance-test') as HTMLButtonElement).click()
    await flushPromises()
    expect(q('instance-test-result')?.textContent).toContain('PostgreSQL 15.8')

    mocked.testConnection.mockRejectedValueOnce('{"message":"password authentication failed for user \\"app\\"","sqlstate":"28P01"}')
    ;(q('instance-test') as HTMLButtonElement).click()
    await flushPromises()
    expect(q('instance-test-result')).toBeNull()
    expect(q('instance-test-error')?.textContent).toContain('password authentication failed')
    expect(q('instance-test-sqlstate')?.textContent).toBe('SQLSTATE 28P01')
    w.unmount()
  })

  it('editing sends the id and keeps the stored password when the field is left empty', async () => {
    const pinia = createPinia()
    setActivePinia(pinia)
    useEnvironmentsStore().items = [env('test', 'Test', 1)]
    const inst = instance('i1', 'alpha', { hasPassword: true, passwordMode: 'keychain', host: 'db1' })
    const w = mountWithProviders(InstanceDrawer, { show: true, instance: inst }, pinia)
    await flushPromises()
    expect(input('instance-form-password').placeholder).toContain('leave empty to keep it')
    mocked.testConnection.mockResolvedValueOnce({ serverVersion: 'PostgreSQL 16.4', serverVersionNum: 160004, latencyMs: 2 })
    ;(q('instance-test') as HTMLButtonElement).click()
    await flushPromises()
    expect(mocked.testConnection).toHaveBeenCalledWith(expect.objectContaining({ id: 'i1', keepPassword: true, password: '', host: 'db1' }))

    await type('instance-form-password', 'new-secret')
    ;(q('instance-test') as HTMLButtonElement).click()
    await flushPromises()
    expect(mocked.testConnection).toHaveBeenLastCalledWith(expect.objectContaining({ id: 'i1', keepPassword: false, password: 'new-secret' }))
    w.unmount()
  })

  it('saves a valid form and reports a field error from Go at the field', async () => {
    const w = open()
    await flushPromises()
    await type('instance-form-name', 'alpha')
    mocked.createInstance.mockRejectedValueOnce('{"message":"an instance named alpha already exists","field":"name"}')
    ;(q('instance-save') as HTMLButtonElement).click()
    await flushPromises()
    expect(mocked.createInstance).toHaveBeenCalledWith(expect.objectContaining({ name: 'alpha', environmentId: 'test', host: 'localhost', port: 5432 }))
    expect(q('instance-form')?.textContent).toContain('an instance named alpha already exists')
    w.unmount()
  })
})
