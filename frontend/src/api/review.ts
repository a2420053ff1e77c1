// SQL review: rules, per-environment policies and reviews, through ReviewService.
// Part of the api facade (re-exported by ./index); the only place the review bindings are imported.
import * as ReviewService from '../../wailsjs/go/app/ReviewService'
import { app } from '../../wailsjs/go/models'
import { call } from './errors'

export type ReviewLevel = 'error' | 'warning' | 'off'
export type PayloadType = 'none' | 'regex' | 'template' | 'number' | 'list' | 'comment'

/** RulePayload is a rule's settings; which fields apply depends on the rule's payload type. */
export interface RulePayload {
  format: string
  maxLength: number
  number: number
  list: string[]
  required: boolean
}

export interface RuleInfo {
  id: string
  family: string
  title: string
  rationale: string
  /** default level (the advanced template) */
  level: ReviewLevel
  basicLevel: ReviewLevel
  payloadType: PayloadType
  defaultPayload: RulePayload
  placeholders: string[]
  example: string
  needsDatabase: boolean
  /** the rule's level in each built-in template ('off' when not in it) */
  templates: Record<string, ReviewLevel>
  /** why the rule sits in its templates, and what to write instead */
  why: string
  safeForm: string
}

/** TemplateInfo is a built-in policy template and what it is for. */
export interface TemplateInfo {
  name: string
  title: string
  purpose: string
}

export interface PolicyRule {
  id: string
  level: ReviewLevel
  /** null for rules without settings */
  payload: RulePayload | null
}

export interface ReviewPolicy {
  environmentId: string
  name: string
  template: string
  /** false while the environment uses its default template untouched */
  customized: boolean
  updatedAt: string
  rules: PolicyRule[]
}

export interface ReviewRequest {
  sql: string
  environmentId: string
  /** optional: review against this database's live catalog */
  databaseId: string
}

/** RewriteStep is one statement of a safe rewrite. */
export interface RewriteStep {
  sql: string
  /** runs alone, outside a transaction (a migration file of its own) */
  nonTransactional: boolean
  /** must run in a later migration file than the steps before it */
  newUnit: boolean
}

/** Rewrite is the safe form of a flagged statement: steps replace it, plan is advice text. */
export interface Rewrite {
  steps: RewriteStep[]
  plan: string
}

export interface Advice {
  rule: string
  /** info is a note that never blocks */
  level: 'error' | 'warning' | 'info'
  title: string
  message: string
  /** 1-based line and character column of the offending element */
  line: number
  column: number
  /** end of its statement (or of its line for script-level advice) */
  endLine: number
  endColumn: number
  statementLine: number
  /** the statement's safe form, for advice that has one */
  rewrite: Rewrite | null
}

export interface ReviewSyntaxError {
  message: string
  line: number
  column: number
}

export interface ReviewResult {
  advice: Advice[]
  syntaxError: ReviewSyntaxError | null
  errors: number
  warnings: number
  infos: number
  statements: number
  /** what the script was simulated against; empty without a database */
  catalog: string
  policyName: string
}

/** A flagged statement Apply fix left as written, and why. */
export interface KeptStatement {
  line: number
  rule: string
  reason: string
}

/** FixResult is the SQL with the safe rewrites applied and what it still draws. */
export interface FixResult {
  /** the fixed SQL; with several units each begins with a "-- tidemark:unit" line */
  sql: string
  units: number
  applied: number
  kept: KeptStatement[]
  errors: number
  warnings: number
  infos: number
  syntaxError: ReviewSyntaxError | null
}

function payloadOf(p: Partial<RulePayload> | null | undefined): RulePayload {
  return { format: p?.format ?? '', maxLength: p?.maxLength ?? 0, number: p?.number ?? 0, list: p?.list ?? [], required: p?.required ?? false }
}

function ruleInfoOf(r: app.RuleInfo): RuleInfo {
  return {
    ...r,
    level: r.level as ReviewLevel,
    basicLevel: (r.basicLevel || 'off') as ReviewLevel,
    payloadType: (r.payloadType || 'none') as PayloadType,
    defaultPayload: payloadOf(r.defaultPayload),
    placeholders: r.placeholders ?? [],
    templates: (r.templates ?? {}) as Record<string, ReviewLevel>,
    why: r.why ?? '',
    safeForm: r.safeForm ?? '',
  }
}

function policyOf(p: app.Policy): ReviewPolicy {
  return {
    environmentId: p.environmentId,
    name: p.name,
    template: p.template,
    customized: p.customized,
    updatedAt: p.updatedAt,
    rules: (p.rules ?? []).map((r) => ({ id: r.id, level: r.level as ReviewLevel, payload: r.payload ? payloadOf(r.payload) : null })),
  }
}

function resultOf(r: app.ReviewResult): ReviewResult {
  return {
    advice: (r.advice ?? []).map((a) => ({
      ...a,
      level: a.level as Advice['level'],
      rewrite: a.rewrite ? { steps: a.rewrite.steps ?? [], plan: a.rewrite.plan ?? '' } : null,
    })),
    syntaxError: r.syntaxError ?? null,
    errors: r.errors,
    warnings: r.warnings,
    infos: r.infos ?? 0,
    statements: r.statements,
    catalog: r.catalog,
    policyName: r.policyName,
  }
}

export async function reviewRules(): Promise<RuleInfo[]> {
  return ((await call(() => ReviewService.Rules())) ?? []).map(ruleInfoOf)
}

export async function reviewPolicy(environmentId: string): Promise<ReviewPolicy> {
  return policyOf(await call(() => ReviewService.Policy(environmentId)))
}

export async function saveReviewPolicy(environmentId: string, policy: ReviewPolicy): Promise<ReviewPolicy> {
  const sent = app.Policy.createFrom({
    ...policy,
    environmentId,
    rules: policy.rules.map((r) => ({
      id: r.id,
      level: r.level,
      payload: r.payload ? { ...r.payload, maxLength: Number(r.payload.maxLength) || 0, number: Number(r.payload.number) || 0 } : undefined,
    })),
  })
  return policyOf(await call(() => ReviewService.SavePolicy(environmentId, sent)))
}

/** resetReviewPolicy replaces the policy with a template ('' = the environment's default). */
export async function resetReviewPolicy(environmentId: string, template: string): Promise<ReviewPolicy> {
  return policyOf(await call(() => ReviewService.ResetPolicy(environmentId, template)))
}

/** exportReviewPolicy asks for a file (save dialog) and writes the YAML; '' when cancelled. */
export function exportReviewPolicy(environmentId: string): Promise<string> {
  return call(() => ReviewService.ExportPolicy(environmentId, ''))
}

/** importReviewPolicy asks for a YAML file (open dialog) and loads it; cancelled: the policy unchanged. */
export async function importReviewPolicy(environmentId: string): Promise<ReviewPolicy> {
  return policyOf(await call(() => ReviewService.ImportPolicy(environmentId, '')))
}

export function exportReviewPolicyYAML(environmentId: string): Promise<string> {
  return call(() => ReviewService.ExportPolicyYAML(environmentId))
}

export async function importReviewPolicyYAML(environmentId: string, yaml: string): Promise<ReviewPolicy> {
  return policyOf(await call(() => ReviewService.ImportPolicyYAML(environmentId, yaml)))
}

export async function reviewSQL(req: ReviewRequest): Promise<ReviewResult> {
  return resultOf(await call(() => ReviewService.Review(app.ReviewRequest.createFrom(req))))
}

/** reviewTemplates lists the built-in policy templates with what each is for. */
export async function reviewTemplates(): Promise<TemplateInfo[]> {
  return (await call(() => ReviewService.TemplateInfos())) ?? []
}

/**
 * fixSQL returns the SQL with the safe rewrites of its advice applied, under the same policy and
 * database as reviewSQL; statementLine > 0 fixes only the statement starting on that line.
 */
export async function fixSQL(req: ReviewRequest, statementLine = 0): Promise<FixResult> {
  const r = await call(() => ReviewService.Fix(app.FixRequest.createFrom({ ...req, statementLine })))
  return { ...r, kept: r.kept ?? [], syntaxError: r.syntaxError ?? null }
}
