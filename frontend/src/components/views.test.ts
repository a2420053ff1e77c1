import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'

vi.mock('../api', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api')>()),
  createEnvironment: vi.fn(),
  renameEnvironment: vi.fn(),
  reorderEnvironments: vi.fn(),
  assignProject: vi.fn(),
  createProject: vi.fn(),
}))

import * as api from '../api'
import EnvironmentsView from '../views/EnvironmentsView.vue'
import DatabasesView from '../views/DatabasesView.vue'
import ProjectsView from '../views/ProjectsView.vue'
import ProgressPanel from './shell/ProgressPanel.vue'
import { useEnvironmentsStore } from '../stores/environments'
import { useDatabasesStore } from '../stores/databases'
import { useProjectsStore } from '../stores/projects'
import { useProgressStore } from '../stores/progress'
import { mountWithProviders } from '../testing/mountWithProviders'
import { database, env, project } from '../stores/testdata'

const mocked = vi.mocked(api)
const q = (sel: string) => document.body.querySelector(sel)
const qa = (sel: string) => Array.from(document.body.querySelectorAll(sel))
const click = (sel: string) => (q(sel) as HTMLElement).click()

async function type(el: HTMLInputElement, value: string) {
  el.value = value
  el.dispatchEvent(new Event('input'))
  await flushPromises()
}

beforeEach(() => {
  vi.clearAllMocks()
  document.body.innerHTML = ''
})

function fresh() {
  const pinia = createPinia()
  setActivePinia(pinia)
  return pinia
}

describe('environments view', () => {
  it('lists in order, moves down and renames', async () => {
    const pinia = fresh()
    useEnvironmentsStore().items = [env('test', 'Test', 1), env('prod', 'Prod', 2)]
    const w = mountWithProviders(EnvironmentsView, {}, pinia)
    await flushPromises()
    expect(qa('[data-testid="env-name"]').map((e) => e.textContent)).toEqual(['Test', 'Prod'])
    expect((q('[data-testid="env-row-test"] [data-testid="env-up"]') as HTMLButtonElement).disabled).toBe(true)

    mocked.reorderEnvironments.mockResolvedValue([env('prod', 'Prod', 1), env('test', 'Test', 2)])
    click('[data-testid="env-row-test"] [data-testid="env-down"]')
    await flushPromises()
    expect(mocked.reorderEnvironments).toHaveBeenCalledWith(['prod', 'test'])
    expect(qa('[data-testid="env-name"]').map((e) => e.textContent)).toEqual(['Prod', 'Test'])

    mocked.renameEnvironment.mockResolvedValue(env('test', 'QA', 2))
    click('[data-testid="env-row-test"] [data-testid="env-rename"]')
    await flushPromises()
    const input = q('[data-testid="env-rename-input"] input') as HTMLInputElement
    await type(input, 'QA')
    input.dispatchEvent(new KeyboardEvent('keyup', { key: 'Enter', bubbles: true }))
    await flushPromises()
    expect(mocked.renameEnvironment).toHaveBeenCalledWith('test', 'QA')
    expect(q('[data-testid="env-row-test"]')?.textContent).toContain('QA')
    w.unmount()
  })

  it('adds an environment', async () => {
    const pinia = fresh()
    useEnvironmentsStore().items = [env('test', 'Test', 1)]
    const w = mountWithProviders(EnvironmentsView, {}, pinia)
    await flushPromises()
    mocked.createEnvironment.mockResolvedValue(env('staging', 'Staging', 2))
    await type(q('[data-testid="env-new-name"] input') as HTMLInputElement, 'Staging')
    click('[data-testid="env-add"]')
    await flushPromises()
    expect(mocked.createEnvironment).toHaveBeenCalledWith('Staging')
    expect(qa('[data-testid="env-name"]').map((e) => e.textContent)).toEqual(['Test', 'Staging'])
    w.unmount()
  })
})

describe('databases view', () => {
  it('shows each database with its environment, size and project', async () => {
    const pinia = fresh()
    useEnvironmentsStore().items = [env('test', 'Test', 1), env('prod', 'Prod', 2)]
    useProjectsStore().items = [project('hr', 'HR')]
    const dbs = useDatabasesStore()
    dbs.items = [database('d1', 'hr_prod', 's', { environmentId: 'prod', projectId: 'hr', sizeBytes: 9_340_000, instanceName: 'Sample' })]
    dbs.loaded = true
    const w = mountWithProviders(DatabasesView, {}, pinia)
    await flushPromises()
    const row = q('[data-testid="db-row-hr_prod"]')?.textContent ?? ''
    for (const text of ['hr_prod', 'Sample', 'Prod', 'UTF8', '8.9 MB', 'HR']) expect(row).toContain(text)
    w.unmount()
  })
})

describe('projects view', () => {
  it('creates a project and lists it with its database count', async () => {
    const pinia = fresh()
    const s = useProjectsStore()
    s.items = [project('hr', 'HR', { databaseCount: 2 })]
    s.loaded = true
    const w = mountWithProviders(ProjectsView, {}, pinia)
    await flushPromises()
    expect(q('[data-testid="project-row-HR"] [data-testid="project-db-count"]')?.textContent).toBe('2')
    mocked.createProject.mockResolvedValue(project('orders', 'Orders'))
    await type(q('[data-testid="project-new-name"] input') as HTMLInputElement, 'Orders')
    click('[data-testid="project-create"]')
    await flushPromises()
    expect(mocked.createProject).toHaveBeenCalledWith('Orders')
    expect(q('[data-testid="project-row-Orders"]')).not.toBeNull()
    w.unmount()
  })
})

describe('progress panel', () => {
  it('shows visible tasks with their step and error', async () => {
    const pinia = fresh()
    const p = useProgressStore()
    p.tasks = [
      { id: 'sync-a', title: 'Syncing alpha', step: 'Listing databases', done: 1, total: 3, finished: false, error: '', visible: true },
      { id: 'quick', title: 'Quick', step: '', done: 0, total: 0, finished: false, error: '', visible: false },
      { id: 'sample-start', title: 'Starting the sample instance', step: '', done: 2, total: 5, finished: true, error: 'initdb failed', visible: true },
    ]
    const w = mountWithProviders(ProgressPanel, {}, pinia)
    await flushPromises()
    expect(q('[data-testid="progress-sync-a"]')?.textContent).toContain('Listing databases')
    expect(q('[data-testid="progress-quick"]')).toBeNull()
    expect(q('[data-testid="progress-sample-start"]')?.textContent).toContain('initdb failed')
    w.unmount()
  })
})
