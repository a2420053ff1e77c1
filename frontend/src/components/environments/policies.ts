// What the Environments page says about each environment's policies, in words.
import type { ReviewPolicy } from '../../api'
import { roleTitle, type RolloutPolicy } from '../../api/risk'

/** rolloutSummary spells a rollout policy: its mode, who may roll out by hand, its window. */
export function rolloutSummary(p: RolloutPolicy): string {
  let s = p.mode === 'manual' ? 'Manual' : 'Automatic'
  if (p.mode === 'manual') s += p.roles.length ? ` — rolled out by ${p.roles.map(roleTitle).join(', ')}` : ' — nobody may roll out (no role is allowed)'
  if (p.window) s += `; only ${p.window.days.join(', ')} ${p.window.start}–${p.window.end} ${p.window.timezone || 'UTC'}`
  return s
}

export interface ReviewSummary {
  name: string
  errors: number
  warnings: number
  text: string
}

/** reviewSummary names an environment's SQL review policy and counts its rules by level. */
export function reviewSummary(p: ReviewPolicy): ReviewSummary {
  const errors = p.rules.filter((r) => r.level === 'error').length
  const warnings = p.rules.filter((r) => r.level === 'warning').length
  const origin = p.customized ? `customized${p.template ? ` from the ${p.template} template` : ''}` : `the ${p.template || p.name} template`
  return { name: p.name, errors, warnings, text: `${origin}: ${errors} rules as errors, ${warnings} as warnings` }
}
