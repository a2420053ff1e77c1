import { describe, expect, it } from 'vitest'
import { ApiError, call, toApiError } from './errors'

describe('toApiError', () => {
  it('parses the UserError JSON Go sends', () => {
    const e = toApiError(
      '{"message":"password authentication failed for user \\"app\\"","sqlstate":"28P01","hint":"check the password","field":"password"}',
    )
    expect(e).toBeInstanceOf(ApiError)
    expect(e.message).toBe('password authentication failed for user "app"')
    expect(e.sqlstate).toBe('28P01')
    expect(e.hint).toBe('check the password')
    expect(e.field).toBe('password')
    expect(e.detail).toBe('')
  })

  it('omitted fields become empty strings', () => {
    const e = toApiError('{"message":"instance name already used"}')
    expect(e.message).toBe('instance name already used')
    expect([e.sqlstate, e.detail, e.hint, e.field]).toEqual(['', '', '', ''])
  })

  it('keeps plain text as the message', () => {
    const e = toApiError('dial tcp 10.0.0.1:5432: i/o timeout')
    expect(e.message).toBe('dial tcp 10.0.0.1:5432: i/o timeout')
    expect(e.sqlstate).toBe('')
  })

  it('treats text that only looks like JSON as text', () => {
    expect(toApiError('{not json').message).toBe('{not json')
    expect(toApiError('{"sqlstate":"42P01"}').message).toBe('{"sqlstate":"42P01"}')
  })

  it('reads Error objects and their JSON messages', () => {
    expect(toApiError(new Error('boom')).message).toBe('boom')
    expect(toApiError(new Error('{"message":"bad port","field":"port"}')).field).toBe('port')
  })

  it('never returns an empty message', () => {
    expect(toApiError('').message).toBe('Unknown error')
    expect(toApiError(undefined).message).toBe('Unknown error')
  })

  it('passes an ApiError through unchanged', () => {
    const e = new ApiError({ message: 'x', sqlstate: '3D000' })
    expect(toApiError(e)).toBe(e)
  })
})

describe('call', () => {
  it('returns the value of a resolved binding', async () => {
    await expect(call(() => Promise.resolve(42))).resolves.toBe(42)
  })

  it('rejects with an ApiError carrying the SQLSTATE', async () => {
    const p = call(() => Promise.reject('{"message":"database \\"nope\\" does not exist","sqlstate":"3D000"}'))
    await expect(p).rejects.toBeInstanceOf(ApiError)
    await expect(p).rejects.toMatchObject({ message: 'database "nope" does not exist', sqlstate: '3D000' })
  })
})
