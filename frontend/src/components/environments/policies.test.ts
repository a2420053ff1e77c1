import { describe, expect, it } from 'vitest'
import { reviewSummary, rolloutSummary } from './policies'

describe('environment policies in words', () => {
  it('spells rollout policies', () => {
    expect(rolloutSummary({ environmentId: 'test', mode: 'automatic', roles: [] })).toBe('Automatic')
    expect(rolloutSummary({ environmentId: 'prod', mode: 'manual', roles: ['dba', 'releaser'] })).toBe('Manual — rolled out by DBA, Releaser')
    expect(rolloutSummary({ environmentId: 'prod', mode: 'manual', roles: [], window: { days: ['mon', 'tue'], start: '09:00', end: '17:00' } })).toBe(
      'Manual — nobody may roll out (no role is allowed); only mon, tue 09:00–17:00 UTC',
    )
  })
  it('counts a review policy by level and says where it comes from', () => {
    const rules = [
      { id: 'a', level: 'error' as const, payload: null },
      { id: 'b', level: 'warning' as const, payload: null },
      { id: 'c', level: 'off' as const, payload: null },
      { id: 'd', level: 'error' as const, payload: null },
    ]
    const base = { environmentId: 'prod', name: 'default', template: 'default', updatedAt: '', rules }
    expect(reviewSummary({ ...base, customized: false })).toEqual({ name: 'default', errors: 2, warnings: 1, text: 'the default template: 2 rules as errors, 1 as warnings' })
    expect(reviewSummary({ ...base, name: 'custom', customized: true }).text).toBe('customized from the default template: 2 rules as errors, 1 as warnings')
  })
})
