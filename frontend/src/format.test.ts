import { describe, expect, it } from 'vitest'
import { errorText, formatBytes, serverLabel } from './format'

describe('format', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1536, '1.5 kB'],
    [9_340_000, '8.9 MB'],
    [5 * 1024 ** 3, '5.0 GB'],
    [-1, ''],
  ])('formatBytes(%d) = %s', (n, want) => expect(formatBytes(n)).toBe(want))

  it('names the server', () => {
    expect(serverLabel('15.20 (Debian 15.20-0+deb12u1)')).toBe('PostgreSQL 15.20 (Debian 15.20-0+deb12u1)')
    expect(serverLabel('PostgreSQL 16.4')).toBe('PostgreSQL 16.4')
  })

  it('errorText carries the SQLSTATE', () => {
    expect(errorText('{"message":"relation \\"x\\" does not exist","sqlstate":"42P01"}')).toBe('relation "x" does not exist (SQLSTATE 42P01)')
    expect(errorText('plain')).toBe('plain')
  })
})
