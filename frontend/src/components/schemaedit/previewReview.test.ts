import { describe, expect, it } from 'vitest'
import { editReview } from '../../api'
import type { Advice } from '../../api'
import PreviewReview from './PreviewReview.vue'
import { mountWithProviders } from '../../testing/mountWithProviders'

const advice = (rule: string, level: Advice['level'], line: number): Advice => ({
  rule, level, title: rule, message: `${rule} says so`, line, column: 1, endLine: line, endColumn: 10, statementLine: line, rewrite: null,
})

describe('PreviewReview', () => {
  it('lists the advice errors first with their lines, under the policy name', () => {
    const w = mountWithProviders(PreviewReview, { testid: 'r', review: { policy: 'default', note: '', advice: [advice('column.comment', 'warning', 1), advice('column.add-not-null-require-default', 'error', 2)] } })
    const items = w.findAll('[data-testid="r-advice"]')
    expect(items).toHaveLength(2)
    expect(items[0]!.text()).toContain('column.add-not-null-require-default')
    expect(items[0]!.text()).toContain('(line 2)')
    expect(w.text()).toContain('Review (default policy)')
  })
  it('says when the policy found nothing, and why no review ran', () => {
    const clean = mountWithProviders(PreviewReview, { testid: 'r', review: { policy: 'test', note: '', advice: [] } })
    expect(clean.find('[data-testid="r-clean"]').text()).toContain('no advice')
    const none = mountWithProviders(PreviewReview, { testid: 'r', review: { policy: '', note: 'hr has no environment, so no review policy applies', advice: [] } })
    expect(none.find('[data-testid="r-note"]').text()).toContain('no environment')
  })
  it('editReview reads null slices as empty', () => {
    expect(editReview({ advice: null, policy: 'default', note: '' })).toEqual({ advice: [], policy: 'default', note: '' })
    expect(editReview(undefined)).toEqual({ advice: [], policy: '', note: '' })
  })
})
