import { describe, expect, it, vi } from 'vitest'

vi.mock('../../wailsjs/go/app/GitOpsService', () => ({
  Get: vi.fn(async () => ({ linked: true, projectId: 'p1', unmatched: null, lastResult: null })),
  Preview: vi.fn(async () => ({ files: null, latestPaths: null, config: null })),
  Link: vi.fn(async () => { throw '{"message":"the repository URL carries a password or token","field":"url"}' }),
  FetchNow: vi.fn(async () => ({ to: 'abc', commits: null, issues: null, anomalies: null, unmatched: null, notes: null, forcePush: { message: 'main was force-pushed' } })),
  Unlink: vi.fn(),
  WriteLatest: vi.fn(),
}))
vi.mock('../../wailsjs/runtime/runtime', () => ({ EventsOn: vi.fn(() => () => {}) }))

import * as gitops from './gitops'

describe('gitops facade', () => {
  it('turns nulls into arrays and keeps the force push message', async () => {
    const l = await gitops.gitopsLink('p1')
    expect(l).toMatchObject({ linked: true, unmatched: [], lastResult: null, branch: 'main' })
    expect((await gitops.previewLink({ ...gitops.linkInput(l) })).files).toEqual([])
    const r = await gitops.fetchNow('p1')
    expect(r).toMatchObject({ commits: [], issues: [], notes: [], forcePush: 'main was force-pushed' })
  })
  it('a refused link rejects with the field', async () => {
    await expect(gitops.saveLink({ ...gitops.linkInput(gitops.normaliseLink({ projectId: 'p1', url: 'https://u:p@x/r.git' })) })).rejects.toMatchObject({ field: 'url' })
  })
  it('shows an example path under the base directory', () => {
    expect(gitops.examplePath('bytebase/', '{{ENV_ID}}/{{DB_NAME}}##{{VERSION}}.sql')).toBe('bytebase/prod/hr_prod##202311012500.sql')
    expect(gitops.examplePath('', '{{DB_NAME}}.sql')).toBe('hr_prod.sql')
  })
})
