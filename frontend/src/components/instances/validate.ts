import type { InstanceInput } from '../../api'

export type InstanceField = 'name' | 'environmentId' | 'host' | 'port' | 'user' | 'database' | 'sslmode' | 'url' | 'password'
export type FieldErrors = Partial<Record<InstanceField, string>>

/**
 * validateInstance checks what the form can know without a server: required fields and
 * the port range. Everything else (reachability, credentials) is Go's to say.
 */
export function validateInstance(input: InstanceInput): FieldErrors {
  const errors: FieldErrors = {}
  if (!input.name.trim()) errors.name = 'Give the instance a name'
  if (!input.environmentId) errors.environmentId = 'Choose an environment'
  if (!input.host.trim()) errors.host = 'Enter a host name or address'
  const port = Number(input.port)
  if (!Number.isInteger(port) || port < 1 || port > 65535) errors.port = 'Port must be a number from 1 to 65535'
  if (!input.user.trim()) errors.user = 'Enter the user to connect as'
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
