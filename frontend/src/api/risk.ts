// Risk Center, approval flows, members and rollout policies: the facade over
// RiskService (app/risk.go). What the rules decide is Go's; this maps shapes.
import * as RiskService from '../../wailsjs/go/app/RiskService'
import { call } from './errors'

export type RiskLevel = 'low' | 'moderate' | 'high'
export type RiskSource = 'schema_change' | 'data_change' | 'create_database'

export const riskLevels: RiskLevel[] = ['low', 'moderate', 'high']
export const riskSources: RiskSource[] = ['schema_change', 'data_change', 'create_database']
export const roles = ['workspace_admin', 'dba', 'project_owner', 'developer', 'releaser'] as const
export type Role = (typeof roles)[number]

/** The people's spelling of a role id: "Project Owner". */
export function roleTitle(role: string): string {
  switch (role) {
    case 'workspace_admin':
      return 'Workspace Admin'
    case 'dba':
      return 'DBA'
    case 'project_owner':
      return 'Project Owner'
    case 'developer':
      return 'Developer'
    case 'releaser':
      return 'Releaser'
  }
  return role
}

export interface RiskRule {
  id: string
  title: string
  source: RiskSource | string
  level: RiskLevel | string
  condition: string
  enabled: boolean
}

export interface RiskVariable {
  name: string
  type: string
  doc: string
}

/** A condition's type check: ok, or the 1-based position and message of the first problem. */
export interface ConditionCheck {
  ok: boolean
  line: number
  column: number
  message: string
}

export interface RiskMatch {
  ruleId: string
  title: string
  level: string
  condition: string
  line: number
  table: string
}

export interface RiskError {
  ruleId: string
  title: string
  line: number
  message: string
}

export interface FlowStep {
  title: string
  role: string
  approvers: string[]
  /** The approvers' names, in the order of approvers ("" when not known). */
  approverNames: string[]
  status: string
  byRole: string
  by?: { name: string; email?: string }
  at?: string
  comment?: string
}

/** An issue's (or a trial's) approval: risk, matched rules, the flow. */
export interface Flow {
  status: string
  reason: string
  steps: FlowStep[]
  risk: string
  matched: RiskMatch[]
  errors: RiskError[]
  rule: string
  template: string
  templateTitle: string
}

export interface TaskRisk {
  taskId: string
  database: string
  level: string
  matched: RiskMatch[]
  errors: RiskError[]
}

export interface Assessment {
  approval: Flow
  tasks: TaskRisk[]
}

export interface ApprovalStepTemplate {
  role: string
  title?: string
}

export interface ApprovalTemplate {
  id: string
  title: string
  description: string
  steps: ApprovalStepTemplate[]
}

export interface ApprovalRule {
  id: string
  source?: string
  level?: string
  condition?: string
  /** '' : no approval */
  template: string
}

export interface ApprovalConfig {
  templates: ApprovalTemplate[]
  rules: ApprovalRule[]
}

export interface MemberRole {
  role: string
  projectId?: string
}

export interface Member {
  id: string
  name: string
  email: string
  roles: MemberRole[]
  /** the only member: holds every role */
  sole: boolean
}

export interface RolloutWindow {
  days: string[]
  start: string
  end: string
  timezone?: string
}

export interface RolloutPolicy {
  environmentId: string
  mode: 'automatic' | 'manual' | string
  roles: string[]
  window?: RolloutWindow
}

const arr = <T>(v: T[] | null | undefined): T[] => v ?? []

type Raw = Record<string, unknown>

function match(m: Raw): RiskMatch {
  return {
    ruleId: String(m.ruleId ?? ''),
    title: String(m.title ?? ''),
    level: String(m.level ?? ''),
    condition: String(m.condition ?? ''),
    line: Number(m.line ?? 0),
    table: String(m.table ?? ''),
  }
}

function evalError(e: Raw): RiskError {
  return { ruleId: String(e.ruleId ?? ''), title: String(e.title ?? ''), line: Number(e.line ?? 0), message: String(e.message ?? '') }
}

/** normaliseFlow fills Go's omitted fields and nil slices (also used for an issue's approval). */
export function normaliseFlow(a: Raw | null | undefined): Flow {
  const x = a ?? {}
  return {
    status: String(x.status ?? ''),
    reason: String(x.reason ?? ''),
    risk: String(x.risk ?? ''),
    rule: String(x.rule ?? ''),
    template: String(x.template ?? ''),
    templateTitle: String(x.templateTitle ?? ''),
    matched: arr(x.matched as Raw[]).map(match),
    errors: arr(x.errors as Raw[]).map(evalError),
    steps: arr(x.steps as Raw[]).map((s) => ({
      title: String(s.title ?? ''),
      role: String(s.role ?? ''),
      approvers: arr(s.approvers as string[]),
      approverNames: arr(s.approverNames as string[]),
      status: String(s.status ?? ''),
      byRole: String(s.byRole ?? ''),
      by: s.by as FlowStep['by'],
      at: s.at as string | undefined,
      comment: s.comment as string | undefined,
    })),
  }
}

function assessment(r: Raw): Assessment {
  return {
    approval: normaliseFlow(r.approval as Raw),
    tasks: arr(r.tasks as Raw[]).map((t) => {
      const risk = (t.risk ?? {}) as Raw
      return {
        taskId: String(t.taskId ?? ''),
        database: String(t.database ?? ''),
        level: String(risk.level ?? ''),
        matched: arr(risk.matched as Raw[]).map(match),
        errors: arr(risk.errors as Raw[]).map(evalError),
      }
    }),
  }
}

function member(m: Raw): Member {
  return { id: String(m.id), name: String(m.name), email: String(m.email ?? ''), roles: arr(m.roles as MemberRole[]), sole: Boolean(m.sole) }
}

export async function riskVariables(): Promise<RiskVariable[]> {
  return arr(await call(() => RiskService.Variables()))
}

export function checkCondition(condition: string): Promise<ConditionCheck> {
  return call(() => RiskService.CheckCondition(condition))
}

export async function riskRules(): Promise<RiskRule[]> {
  return arr(await call(() => RiskService.Rules()))
}

export async function riskRuleTemplates(): Promise<RiskRule[]> {
  return arr(await call(() => RiskService.Templates()))
}

/** Saves a rule; resolves with the saved rule and the open issues whose flow changed. */
export async function saveRiskRule(rule: RiskRule): Promise<{ rule: RiskRule; reevaluated: number[] }> {
  const r = await call(() => RiskService.SaveRule(rule as never))
  return { rule: r.rule as RiskRule, reevaluated: arr(r.reevaluated) }
}

export async function deleteRiskRule(id: string): Promise<number[]> {
  return arr(await call(() => RiskService.DeleteRule(id)))
}

export async function trySQL(source: string, environmentId: string, sql: string): Promise<Assessment> {
  return assessment((await call(() => RiskService.TrySQL(source, environmentId, sql))) as unknown as Raw)
}

export async function tryIssue(n: number): Promise<Assessment> {
  return assessment((await call(() => RiskService.TryIssue(n))) as unknown as Raw)
}

export async function approvalConfig(): Promise<ApprovalConfig> {
  const c = await call(() => RiskService.Approvals())
  return {
    templates: arr(c.templates as unknown as ApprovalTemplate[]).map((t) => ({ ...t, description: t.description ?? '', steps: arr(t.steps) })),
    rules: arr(c.rules as unknown as ApprovalRule[]).map((r) => ({ ...r, template: r.template ?? '' })),
  }
}

export async function saveApprovalConfig(c: ApprovalConfig): Promise<number[]> {
  return arr(await call(() => RiskService.SaveApprovals(c as never)))
}

export async function members(): Promise<Member[]> {
  return arr(await call(() => RiskService.Members())).map((m) => member(m as unknown as Raw))
}

export async function me(): Promise<Member> {
  return member((await call(() => RiskService.Me())) as unknown as Raw)
}

export async function addMember(name: string, email: string, memberRoles: MemberRole[]): Promise<Member> {
  return member((await call(() => RiskService.AddMember(name, email, memberRoles as never))) as unknown as Raw)
}

export function removeMember(id: string): Promise<void> {
  return call(() => RiskService.RemoveMember(id))
}

export async function grantRole(id: string, r: MemberRole): Promise<Member> {
  return member((await call(() => RiskService.Grant(id, r as never))) as unknown as Raw)
}

export async function revokeRole(id: string, r: MemberRole): Promise<Member> {
  return member((await call(() => RiskService.Revoke(id, r as never))) as unknown as Raw)
}

export async function rolloutPolicy(environmentId: string): Promise<RolloutPolicy> {
  const p = (await call(() => RiskService.RolloutPolicy(environmentId))) as unknown as RolloutPolicy
  return { ...p, roles: arr(p.roles) }
}

export async function setRolloutPolicy(p: RolloutPolicy): Promise<RolloutPolicy> {
  const out = (await call(() => RiskService.SetRolloutPolicy(p as never))) as unknown as RolloutPolicy
  return { ...out, roles: arr(out.roles) }
}

/** A risk rule whose condition mentions an environment, and how (decided in Go). */
export interface RiskRuleMention {
  rule: RiskRule
  how: string[]
}

/** An approval rule whose condition mentions an environment, its template's title ('' : no approval), and how. */
export interface ApprovalRuleMention {
  rule: ApprovalRule
  templateTitle: string
  how: string[]
}

export interface EnvironmentRules {
  environmentId: string
  production: boolean
  risk: RiskRuleMention[]
  approval: ApprovalRuleMention[]
}

/** environmentRules: the risk and approval rules whose condition mentions the environment. */
export async function environmentRules(environmentId: string): Promise<EnvironmentRules> {
  const r = (await call(() => RiskService.EnvironmentRules(environmentId))) as unknown as Raw
  return {
    environmentId: String(r.environmentId ?? environmentId),
    production: Boolean(r.production),
    risk: arr(r.risk as Raw[]).map((x) => ({ rule: x.rule as RiskRule, how: arr(x.how as string[]) })),
    approval: arr(r.approval as Raw[]).map((x) => {
      const rule = (x.rule ?? {}) as ApprovalRule
      return { rule: { ...rule, template: rule.template ?? '' }, templateTitle: String(x.templateTitle ?? ''), how: arr(x.how as string[]) }
    }),
  }
}

/** The people who can approve a step: "Name <email>", or the id alone. */
export function approverLabels(s: FlowStep): string[] {
  return s.approvers.map((id, i) => {
    const name = s.approverNames[i]
    return name && name !== id ? `${name} <${id}>` : id
  })
}
