import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'

vi.mock('../../api/gitops', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../api/gitops')>()),
  gitopsLink: vi.fn(),
  previewLink: vi.fn(),
  saveLink: vi.fn(),
  unlinkRepo: vi.fn(),
  fetchNow: vi.fn(),
  writeLatest: vi.fn(),
  writeConfig: vi.fn(),
  onGitOpsEvent: vi.fn(() => () => {}),
}))
vi.mock('../../api', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../api')>()),
  appInfo: vi.fn(async () => ({ keychain: { available: true, message: '' } })),
}))

import * as gitops from '../../api/gitops'
import { ApiError } from '../../api/errors'
import GitOpsPanel from './GitOpsPanel.vue'
import { mountWithProviders } from '../../testing/mountWithProviders'

const mocked = vi.mocked(gitops)
const q = (testid: string) => document.body.querySelector(`[data-testid="${testid}"]`) as HTMLElement | null
const text = (testid: string) => (q(testid)?.textContent ?? '').replace(/\s+/g, ' ')
const input = (testid: string) => q(testid)?.querySelector('input') as HTMLInputElement

const unlinked = gitops.normaliseLink({ linked: false, projectId: 'p1', branch: 'main', pollMinutes: 1, defaultTemplate: '{{ENV_ID}}/{{DB_NAME}}##{{VERSION}}##{{TYPE}}##{{DESCRIPTION}}.sql', defaultLatestTemplate: '{{ENV_ID}}/.{{DB_NAME}}##LATEST.sql' })
const linked = gitops.normaliseLink({
  linked: true, projectId: 'p1', url: '/srv/hr.git', branch: 'main', baseDir: 'bytebase', pollMinutes: 5, lastCommit: 'abcdef0123456789', lastFetchAt: '2026-12-04T10:00:00Z',
  lastResult: { branch: 'main', to: 'abcdef0123456789', commits: [{ hash: 'abcdef01', subject: 'hr: nick name', author: 'Ada' }], issues: [{ number: 3, title: 'hr: nick name', action: 'created', database: 'hr_prod', files: ['a.sql'] }] },
  unmatched: [{ path: 'bytebase/prod/hr_prod##x##ddl##c.sql', reason: 'version "x" is not numeric' }],
})

function typeInto(testid: string, value: string) {
  const el = input(testid)
  el.value = value
  el.dispatchEvent(new Event('input'))
}

beforeEach(() => {
  vi.clearAllMocks()
  vi.useRealTimers()
  document.body.innerHTML = ''
})

describe('GitOpsPanel', () => {
  it('an unlinked project gets the wizard; the preview shows how each file parses or why not', async () => {
    mocked.gitopsLink.mockResolvedValue(unlinked)
    mocked.previewLink.mockResolvedValue(
      gitops.normalisePreview({
        branch: 'main', head: '0123456789abcdef', subject: 'init', configSource: 'link', config: { baseDir: 'bytebase' }, latestPaths: ['bytebase/prod/.hr_prod##LATEST.sql'],
        files: [
          { path: 'bytebase/prod/hr_prod##202311012500##ddl##nick.sql', file: { environment: 'prod', database: 'hr_prod', version: '202311012500', type: 'ddl' } },
          { path: 'bytebase/prod/other##1##ddl##x.sql', reason: 'database "other" is not in the project' },
        ],
      }),
    )
    mountWithProviders(GitOpsPanel, { projectId: 'p1', databases: [] })
    await flushPromises()
    expect(q('gitops-form')).not.toBeNull()
    expect(text('gitops-preview-hint')).toContain('Name the repository')
    expect((q('gitops-save') as HTMLButtonElement).disabled).toBe(true)
    vi.useFakeTimers()
    typeInto('gitops-path', '/home/ada/hr')
    typeInto('gitops-base-dir', 'bytebase')
    await vi.advanceTimersByTimeAsync(600)
    vi.useRealTimers()
    await flushPromises()
    expect(mocked.previewLink).toHaveBeenCalledTimes(1) // typing is debounced: one preview
    expect(mocked.previewLink.mock.calls[0]![0]).toMatchObject({ path: '/home/ada/hr', url: '', baseDir: 'bytebase', token: '' })
    expect(text('gitops-example')).toContain('bytebase/prod/hr_prod##202311012500##ddl##add_nickname_table_employee.sql')
    expect(text('gitops-preview-head')).toContain('1 of 2 files parse')
    expect(text('gitops-preview-file-bytebase/prod/hr_prod##202311012500##ddl##nick.sql')).toContain('hr_prod')
    expect(text('gitops-preview-file-bytebase/prod/other##1##ddl##x.sql')).toContain('database "other" is not in the project')
    expect(text('gitops-preview-latest')).toContain('.hr_prod##LATEST.sql')
  })

  it('Link repository with "commit this naming" saves the link, then commits tidemark.yaml', async () => {
    mocked.gitopsLink.mockResolvedValue(unlinked)
    mocked.previewLink.mockResolvedValue(gitops.normalisePreview({ branch: 'main', head: 'abc', configSource: 'tidemark.yaml', files: [] }))
    mocked.saveLink.mockResolvedValue(linked)
    mocked.writeConfig.mockResolvedValue({ path: 'tidemark.yaml', commit: '0123456789abcdef', unchanged: false })
    mountWithProviders(GitOpsPanel, { projectId: 'p1', databases: [] })
    await flushPromises()
    vi.useFakeTimers()
    ;(q('gitops-source-url')!.querySelector('input') ?? q('gitops-source-url')!).click()
    await vi.advanceTimersByTimeAsync(10)
    typeInto('gitops-url', '/srv/hr.git')
    await vi.advanceTimersByTimeAsync(600)
    vi.useRealTimers()
    await flushPromises()
    expect(q('gitops-from-file')).not.toBeNull() // the repository's file names the files until this naming is committed
    ;q('gitops-as-config')!.click()
    await flushPromises()
    expect(q('gitops-from-file')).toBeNull()
    q('gitops-save')!.click()
    await flushPromises()
    expect(mocked.saveLink.mock.calls[0]![0]).toMatchObject({ url: '/srv/hr.git', path: '', asConfig: true })
    expect(mocked.writeConfig).toHaveBeenCalledWith('p1')
    expect(q('gitops-link')).not.toBeNull()
  })

  it('a preview that fails shows the reason at the preview', async () => {
    mocked.gitopsLink.mockResolvedValue(unlinked)
    mocked.previewLink.mockRejectedValue(new ApiError({ message: 'branch nope: reference not found', field: 'branch' }))
    mountWithProviders(GitOpsPanel, { projectId: 'p1', databases: [] })
    await flushPromises()
    vi.useFakeTimers()
    typeInto('gitops-path', '/home/ada/hr')
    await vi.advanceTimersByTimeAsync(600)
    vi.useRealTimers()
    await flushPromises()
    expect(text('gitops-preview-error')).toContain('branch nope: reference not found')
  })

  it('a linked project shows its last fetch, the unmatched files, and Fetch now refreshes them', async () => {
    mocked.gitopsLink.mockResolvedValue(linked)
    mocked.fetchNow.mockResolvedValue(gitops.normaliseFetch({ branch: 'main', to: 'fedcba9876543210', commits: [], issues: [] })!)
    mountWithProviders(GitOpsPanel, { projectId: 'p1', databases: [{ id: 'd1', name: 'hr_prod' }] })
    await flushPromises()
    expect(text('gitops-link-where')).toBe('/srv/hr.git')
    expect(text('gitops-last-commit')).toContain('abcdef012345')
    expect(text('gitops-fetch-issue-3')).toContain('#3 hr: nick name created (hr_prod, 1 file(s))')
    expect(text('gitops-unmatched-bytebase/prod/hr_prod##x##ddl##c.sql')).toContain('version "x" is not numeric')
    q('gitops-fetch')!.click()
    await flushPromises()
    expect(mocked.fetchNow).toHaveBeenCalledWith('p1')
    expect(mocked.gitopsLink).toHaveBeenCalledTimes(2)
    expect(text('gitops-fetch-result')).toContain('0 new commit(s) on main')
  })

  it('no unmatched files has an empty state; a failed last fetch says why', async () => {
    mocked.gitopsLink.mockResolvedValue({ ...linked, unmatched: [], lastError: 'fetch /srv/hr.git: repository not found', lastResult: null })
    mountWithProviders(GitOpsPanel, { projectId: 'p1', databases: [] })
    await flushPromises()
    expect(q('gitops-unmatched-empty')).not.toBeNull()
    expect(text('gitops-last-error')).toContain('repository not found')
    expect(q('gitops-no-fetch')).not.toBeNull()
    expect(q('gitops-latest-empty')).not.toBeNull()
  })
})
