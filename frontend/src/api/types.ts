// Types mirroring the Go structs bound by app/ (docs: notes on the binding contract).
// Field names are the Go json tags; ids are strings; times are RFC3339 strings.

export interface KeychainStatus {
  available: boolean
  message: string
}

export interface AppInfo {
  version: string
  workspacePath: string
  keychain: KeychainStatus
  firstRun: boolean
}

export interface Environment {
  id: string
  name: string
  position: number
  protected: boolean
}

export type PasswordMode = 'keychain' | 'pgpass' | 'env' | 'session' | 'none'

export interface Instance {
  id: string
  name: string
  environmentId: string
  host: string
  port: number
  user: string
  database: string
  sslmode: string
  passwordMode: PasswordMode | string
  hasPassword: boolean
  isSample: boolean
  lastSyncAt: string
  lastError: string
}

export interface InstanceInput {
  /** the instance being edited: lets TestConnection with keepPassword use its stored password */
  id?: string
  name: string
  environmentId: string
  host: string
  port: number
  user: string
  password: string
  keepPassword: boolean
  database: string
  sslmode: string
  url: string
}

export interface ConnectionResult {
  serverVersion: string
  serverVersionNum: number
  latencyMs: number
}

export interface Database {
  id: string
  instanceId: string
  instanceName: string
  environmentId: string
  name: string
  owner: string
  encoding: string
  sizeBytes: number
  projectId: string
  syncedAt: string
}

export interface Project {
  id: string
  name: string
  archived: boolean
  databaseCount: number
  createdAt: string
}

export interface SampleStatus {
  available: boolean
  reason: string
  initialized: boolean
  running: boolean
  port: number
  dataDir: string
  runAs: string
}

/** Payload of the "progress" event sent by Go for anything that can take over a second. */
export interface ProgressEvent {
  id: string
  title: string
  step: string
  done: number
  total: number
  finished: boolean
  error: string
}

export const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const

export function emptyInstanceInput(): InstanceInput {
  return {
    name: '',
    environmentId: '',
    host: 'localhost',
    port: 5432,
    user: 'postgres',
    password: '',
    keepPassword: false,
    database: 'postgres',
    sslmode: 'prefer',
    url: '',
  }
}
