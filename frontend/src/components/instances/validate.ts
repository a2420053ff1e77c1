import type { InstanceInput } from '../../api'

export type InstanceField = 'name' | 'environmentId' | 'host' | 'port' | 'user' | 'database' | 'sslmode' | 'url' | 'password'
export type FieldErrors = Partial<Record<InstanceField, string>>

/** The sslmode values libpq accepts (pg.SSLModes in Go). */
export const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const

/**
 * validateInstance checks what the form can know without a server: required fields, the port
 * range (0 or empty means the default, 5432) and the sslmode. The rules are Go's
 * (instances.Validate); both are tested on the same cases (testdata/instance-fields.json).
 * Everything else (reachability, credentials) is Go's to say.
 */
export function validateInstance(input: InstanceInput): FieldErrors {
  const errors: FieldErrors = {}
  if (!input.name.trim()) errors.name = 'Give the instance a name'
  if (!input.environmentId) errors.environmentId = 'Choose an environment'
  if (!input.host.trim()) errors.host = 'Enter a host name or address'
  const port = Number(input.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) errors.port = 'Port must be a number from 1 to 65535'
  if (!input.user.trim()) errors.user = 'Enter the user to connect as'
  const mode = (input.sslmode ?? '').trim()
  if (mode && !(SSL_MODES as readonly string[]).includes(mode)) errors.sslmode = `Unknown sslmode; use one of ${SSL_MODES.join(', ')}`
  return errors
}

/** looksLikeURL says whether pasted text is a PostgreSQL connection URL worth parsing. */
export function looksLikeURL(text: string): boolean {
  return /^\s*postgres(ql)?:\/\//i.test(text)
}

/**
 * mergeParsed fills the form from a parsed URL: connection fields come from the URL, and the
 * name and environment the user already chose are kept when the URL says nothing about them.
 */
export function mergeParsed(current: InstanceInput, parsed: InstanceInput): InstanceInput {
  return {
    ...current,
    host: parsed.host || current.host,
    port: parsed.port || current.port,
    user: parsed.user || current.user,
    password: parsed.password || current.password,
    keepPassword: parsed.password ? false : current.keepPassword,
    database: parsed.database || current.database,
    sslmode: parsed.sslmode || current.sslmode,
    name: current.name || parsed.name,
    environmentId: current.environmentId || parsed.environmentId,
    url: '',
  }
}
