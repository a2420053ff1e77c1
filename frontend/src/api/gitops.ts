// GitOps: the facade over GitOpsService (app/gitops.go). Linking a project to a repository,
// the setup wizard's live preview, Fetch now, LATEST write-back now. What the files mean and
// what a fetch does is Go's (internal/gitops); this maps shapes and turns nulls into arrays.
import * as GitOpsService from '../../wailsjs/go/app/GitOpsService'
import { app } from '../../wailsjs/go/models'
import { EventsOn } from '../../wailsjs/runtime/runtime'
import { call } from './errors'

export type GitAuth = '' | 'token' | 'ssh-agent' | 'ssh-key'

/** The poll intervals offered (minutes; 0 = only Fetch now). */
export const pollChoices = [0, 1, 5, 10, 30, 60] as const

/** A link as the setup wizard edits it; token is write-only (kept in the OS keychain). */
export interface LinkInput {
  projectId: string
  path: string
  url: string
  branch: string
  baseDir: string
  template: string
  latestTemplate: string
  startCommit: string
  pollMinutes: number
  auth: GitAuth | string
  authUser: string
  sshKey: string
  token: string
  /** commit this naming to the repository's tidemark.yaml (the preview shows it over the file's own) */
  asConfig?: boolean
}

export interface Unmatched {
  path: string
  reason: string
  commit: string
  seenAt: string
}

export interface FetchCommit {
  hash: string
  subject: string
  author: string
  when: string
  merge: boolean
  skipped: string
}

export interface FetchIssue {
  number: number
  title: string
  action: string
  database: string
  files: string[]
  error: string
}

export interface FetchAnomaly {
  kind: string
  path: string
  version: string
  issue: number
}

/** What one fetch did. */
export interface FetchResult {
  branch: string
  from: string
  to: string
  started: boolean
  forcePush: string
  commits: FetchCommit[]
  issues: FetchIssue[]
  anomalies: FetchAnomaly[]
  unmatched: { path: string; reason: string }[]
  notes: string[]
}

export interface Link extends Omit<LinkInput, 'token'> {
  linked: boolean
  lastCommit: string
  lastFetchAt: string
  lastError: string
  lastResult: FetchResult | null
  unmatched: Unmatched[]
  defaultTemplate: string
  defaultLatestTemplate: string
}

export interface PreviewFile {
  path: string
  /** set when the file parses */
  environment: string
  database: string
  version: string
  type: string
  description: string
  /** why the file would not become a task ("" when it parses) */
  reason: string
}

export interface Preview {
  branch: string
  head: string
  subject: string
  /** "tidemark.yaml" when the repository names its files, "link" otherwise */
  configSource: string
  baseDir: string
  template: string
  latestTemplate: string
  latestPaths: string[]
  files: PreviewFile[]
}

export interface LatestResult {
  path: string
  commit: string
  unchanged: boolean
  message: string
}

export interface ConfigResult {
  path: string
  commit: string
  unchanged: boolean
}

export interface GitOpsEvent {
  projectId: string
  commits: number
  issues: number
  unmatched: number
  error?: string
}

type Raw = Record<string, unknown>
const arr = <T>(v: T[] | null | undefined): T[] => v ?? []
const s = (v: unknown) => (typeof v === 'string' ? v : '')

export function normaliseFetch(x: Raw | null | undefined): FetchResult | null {
  if (!x) return null
  const fp = x.forcePush as Raw | undefined
  return {
    branch: s(x.branch),
    from: s(x.from),
    to: s(x.to),
    started: !!x.started,
    forcePush: fp ? s(fp.message) : '',
    commits: arr(x.commits as Raw[]).map((c) => ({
      hash: s(c.hash),
      subject: s(c.subject),
      author: s(c.author),
      when: s(c.when),
      merge: !!c.merge,
      skipped: s(c.skipped),
    })),
    issues: arr(x.issues as Raw[]).map((i) => ({
      number: Number(i.number) || 0,
      title: s(i.title),
      action: s(i.action),
      database: s(i.database),
      files: arr(i.files as string[]),
      error: s(i.error),
    })),
    anomalies: arr(x.anomalies as Raw[]).map((a) => ({ kind: s(a.kind), path: s(a.path), version: s(a.version), issue: Number(a.issue) || 0 })),
    unmatched: arr(x.unmatched as Raw[]).map((u) => ({ path: s(u.path), reason: s(u.reason) })),
    notes: arr(x.notes as string[]),
  }
}

export function normaliseLink(x: Raw): Link {
  return {
    linked: !!x.linked,
    projectId: s(x.projectId),
    path: s(x.path),
    url: s(x.url),
    branch: s(x.branch) || 'main',
    baseDir: s(x.baseDir),
    template: s(x.template),
    latestTemplate: s(x.latestTemplate),
    startCommit: s(x.startCommit),
    pollMinutes: Number(x.pollMinutes) || 0,
    auth: s(x.auth),
    authUser: s(x.authUser),
    sshKey: s(x.sshKey),
    lastCommit: s(x.lastCommit),
    lastFetchAt: s(x.lastFetchAt),
    lastError: s(x.lastError),
    lastResult: normaliseFetch(x.lastResult as Raw | null),
    unmatched: arr(x.unmatched as Raw[]).map((u) => ({ path: s(u.path), reason: s(u.reason), commit: s(u.commit), seenAt: s(u.seenAt) })),
    defaultTemplate: s(x.defaultTemplate),
    defaultLatestTemplate: s(x.defaultLatestTemplate),
  }
}

export function normalisePreview(x: Raw): Preview {
  const cfg = (x.config as Raw | undefined) ?? {}
  return {
    branch: s(x.branch),
    head: s(x.head),
    subject: s(x.subject),
    configSource: s(x.configSource),
    baseDir: s(cfg.baseDir),
    template: s(cfg.template),
    latestTemplate: s(cfg.latestTemplate),
    latestPaths: arr(x.latestPaths as string[]),
    files: arr(x.files as Raw[]).map((e) => {
      const f = (e.file as Raw | undefined) ?? {}
      return {
        path: s(e.path),
        environment: s(f.environment),
        database: s(f.database),
        version: s(f.version),
        type: s(f.type),
        description: s(f.description),
        reason: s(e.reason),
      }
    }),
  }
}

/** The input of a link as saved (the token is never read back). */
export function linkInput(l: Link): LinkInput {
  return {
    projectId: l.projectId,
    path: l.path,
    url: l.url,
    branch: l.branch,
    baseDir: l.baseDir,
    template: l.template,
    latestTemplate: l.latestTemplate,
    startCommit: l.startCommit,
    pollMinutes: l.pollMinutes,
    auth: l.auth,
    authUser: l.authUser,
    sshKey: l.sshKey,
    token: '',
  }
}

const input = (i: LinkInput) => app.GitOpsLinkInput.createFrom({ ...i, pollMinutes: Number(i.pollMinutes) || 0, asConfig: !!i.asConfig })

export async function gitopsLink(projectId: string): Promise<Link> {
  return normaliseLink((await call(() => GitOpsService.Get(projectId))) as unknown as Raw)
}

export async function previewLink(i: LinkInput): Promise<Preview> {
  return normalisePreview((await call(() => GitOpsService.Preview(input(i)))) as unknown as Raw)
}

export async function saveLink(i: LinkInput): Promise<Link> {
  return normaliseLink((await call(() => GitOpsService.Link(input(i)))) as unknown as Raw)
}

export function unlinkRepo(projectId: string): Promise<void> {
  return call(() => GitOpsService.Unlink(projectId))
}

export async function fetchNow(projectId: string): Promise<FetchResult> {
  return normaliseFetch((await call(() => GitOpsService.FetchNow(projectId))) as unknown as Raw)!
}

export async function writeLatest(projectId: string, databaseId: string): Promise<LatestResult> {
  const r = (await call(() => GitOpsService.WriteLatest(projectId, databaseId))) as unknown as Raw
  return { path: s(r.path), commit: s(r.commit), unchanged: !!r.unchanged, message: s(r.message) }
}

export async function writeConfig(projectId: string): Promise<ConfigResult> {
  const r = (await call(() => GitOpsService.WriteConfig(projectId))) as unknown as Raw
  return { path: s(r.path), commit: s(r.commit), unchanged: !!r.unchanged }
}

/** onGitOpsEvent calls fn after each fetch (the poller's and Fetch now); it returns the unsubscribe. */
export function onGitOpsEvent(fn: (e: GitOpsEvent) => void): () => void {
  return EventsOn('gitops', (e: GitOpsEvent) => fn(e))
}

/** The path a file would get under a template, for the wizard's example line. */
export function examplePath(baseDir: string, template: string): string {
  const t = template
    .replace('{{ENV_ID}}', 'prod')
    .replace('{{DB_NAME}}', 'hr_prod')
    .replace('{{VERSION}}', '202311012500')
    .replace('{{TYPE}}', 'ddl')
    .replace('{{DESCRIPTION}}', 'add_nickname_table_employee')
  return baseDir ? `${baseDir.replace(/\/+$/, '')}/${t}` : t
}
