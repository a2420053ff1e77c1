import { beforeEach, describe, expect, it, vi } from 'vitest'

vi.mock('../../wailsjs/go/app/ReviewService', () => ({
  Rules: vi.fn(),
  Policy: vi.fn(),
  SavePolicy: vi.fn(),
  ResetPolicy: vi.fn(),
  ExportPolicy: vi.fn(),
  ImportPolicy: vi.fn(),
  ExportPolicyYAML: vi.fn(),
  ImportPolicyYAML: vi.fn(),
  Review: vi.fn(),
  Templates: vi.fn(),
  TemplateInfos: vi.fn(),
  Fix: vi.fn(),
}))

import * as ReviewService from '../../wailsjs/go/app/ReviewService'
import * as api from './index'

const m = <T>(fn: T) => fn as unknown as ReturnType<typeof vi.fn>

beforeEach(() => vi.clearAllMocks())

describe('review facade', () => {
  it('fills what Go leaves null', async () => {
    m(ReviewService.Rules).mockResolvedValue(null)
    await expect(api.reviewRules()).resolves.toEqual([])
    m(ReviewService.Rules).mockResolvedValue([{ id: 'a.b', level: 'error', basicLevel: '', payloadType: '', defaultPayload: { list: null }, placeholders: null }])
    const [r] = await api.reviewRules()
    expect(r).toMatchObject({ basicLevel: 'off', payloadType: 'none', placeholders: [], defaultPayload: { list: [], format: '', number: 0 } })

    m(ReviewService.Review).mockResolvedValue({ advice: null, errors: 0, warnings: 0, statements: 0, catalog: '', policyName: 'basic' })
    const res = await api.reviewSQL({ sql: '', environmentId: 'test', databaseId: '' })
    expect(res.advice).toEqual([])
    expect(res.syntaxError).toBeNull()
    expect(m(ReviewService.Review).mock.calls[0]![0]).toMatchObject({ sql: '', environmentId: 'test', databaseId: '' })

    m(ReviewService.Policy).mockResolvedValue({ environmentId: 'prod', name: 'advanced', template: 'advanced', customized: false, updatedAt: '', rules: null })
    await expect(api.reviewPolicy('prod')).resolves.toMatchObject({ rules: [] })
  })

  it('sends a policy with numeric payload fields and no payload for rules without settings', async () => {
    m(ReviewService.SavePolicy).mockImplementation(async (_id: string, p: unknown) => p)
    await api.saveReviewPolicy('prod', {
      environmentId: 'prod',
      name: 'custom',
      template: 'advanced',
      customized: true,
      updatedAt: '',
      rules: [
        { id: 'table.require-pk', level: 'off', payload: null },
        { id: 'index.key-number-limit', level: 'warning', payload: { format: '', maxLength: 0, number: '4' as unknown as number, list: [], required: false } },
      ],
    })
    const [id, sent] = m(ReviewService.SavePolicy).mock.calls[0]!
    expect(id).toBe('prod')
    expect(sent.rules[0]).toEqual({ id: 'table.require-pk', level: 'off', payload: undefined })
    expect(sent.rules[1].payload.number).toBe(4)
  })

  it('asks Go for the file dialogs with an empty path, and turns errors into ApiError', async () => {
    m(ReviewService.ExportPolicy).mockResolvedValue('/tmp/p.yaml')
    await expect(api.exportReviewPolicy('prod')).resolves.toBe('/tmp/p.yaml')
    expect(ReviewService.ExportPolicy).toHaveBeenCalledWith('prod', '')
    m(ReviewService.ImportPolicy).mockRejectedValue('{"message":"/tmp/p.yaml: invalid policy: unknown rule \\"x\\"","field":"x"}')
    const err = await api.importReviewPolicy('prod').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(api.ApiError)
    expect((err as api.ApiError).field).toBe('x')
    m(ReviewService.ImportPolicyYAML).mockResolvedValue({ environmentId: 'test', rules: [{ id: 'a', level: 'warning', payload: null }] })
    await expect(api.importReviewPolicyYAML('test', 'name: a')).resolves.toMatchObject({ rules: [{ id: 'a', level: 'warning', payload: null }] })
    expect(ReviewService.ImportPolicyYAML).toHaveBeenCalledWith('test', 'name: a')
  })

  it('maps rewrites and info counts, and sends the statement line of a fix', async () => {
    m(ReviewService.Review).mockResolvedValue({
      advice: [
        { rule: 'a', level: 'info', line: 1, rewrite: null },
        { rule: 'b', level: 'error', line: 2, rewrite: { steps: null, plan: 'expand' } },
      ],
      errors: 1,
      warnings: 0,
      statements: 2,
    })
    const res = await api.reviewSQL({ sql: 'x', environmentId: 'prod', databaseId: '' })
    expect(res.infos).toBe(0)
    expect(res.advice[0]!.rewrite).toBeNull()
    expect(res.advice[1]!.rewrite).toEqual({ steps: [], plan: 'expand' })

    m(ReviewService.Fix).mockResolvedValue({ sql: 'y', units: 1, applied: 1, kept: null, errors: 0, warnings: 0, infos: 0 })
    await expect(api.fixSQL({ sql: 'x', environmentId: 'prod', databaseId: 'd1' }, 3)).resolves.toMatchObject({ sql: 'y', kept: [], syntaxError: null })
    expect(m(ReviewService.Fix).mock.calls[0]![0]).toMatchObject({ sql: 'x', environmentId: 'prod', databaseId: 'd1', statementLine: 3 })

    m(ReviewService.TemplateInfos).mockResolvedValue(null)
    await expect(api.reviewTemplates()).resolves.toEqual([])
  })
})
