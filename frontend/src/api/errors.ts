/**
 * ApiError is what every facade call rejects with. Go returns *app.UserError, whose
 * Error() text is JSON ({"message","sqlstate","detail","hint","field"}); Wails hands that
 * text to the rejected promise. Anything else (a plain string, an Error) becomes the message.
 */
export class ApiError extends Error {
  readonly sqlstate: string
  readonly detail: string
  readonly hint: string
  readonly field: string

  constructor(fields: { message: string; sqlstate?: string; detail?: string; hint?: string; field?: string }) {
    super(fields.message)
    this.name = 'ApiError'
    this.sqlstate = fields.sqlstate ?? ''
    this.detail = fields.detail ?? ''
    this.hint = fields.hint ?? ''
    this.field = fields.field ?? ''
  }
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : ''
}

/** toApiError turns whatever a rejected binding promise carried into an ApiError. */
export function toApiError(reason: unknown): ApiError {
  if (reason instanceof ApiError) return reason
  let text: string
  if (typeof reason === 'string') text = reason
  else if (reason instanceof Error) text = reason.message
  else if (reason && typeof reason === 'object' && 'message' in reason) text = str((reason as { message: unknown }).message)
  else text = String(reason ?? 'Unknown error')

  const trimmed = text.trim()
  if (trimmed.startsWith('{')) {
    try {
      const obj = JSON.parse(trimmed) as Record<string, unknown>
      if (obj && typeof obj === 'object' && typeof obj.message === 'string') {
        return new ApiError({
          message: obj.message,
          sqlstate: str(obj.sqlstate),
          detail: str(obj.detail),
          hint: str(obj.hint),
          field: str(obj.field),
        })
      }
    } catch {
      // not JSON after all: fall through and show the text as it is
    }
  }
  return new ApiError({ message: trimmed || 'Unknown error' })
}

/** call runs a binding and converts a rejection into an ApiError. */
export async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (e) {
    throw toApiError(e)
  }
}
