import { describe, expect, it } from 'vitest'
import { emptyInstanceInput, type InstanceInput } from '../../api'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { looksLikeURL, mergeParsed, validateInstance } from './validate'

const valid = (over: Partial<InstanceInput> = {}): InstanceInput => ({
  ...emptyInstanceInput(),
  name: 'main',
  environmentId: 'test',
  ...over,
})

describe('validateInstance', () => {
  it('accepts a complete form', () => {
    expect(validateInstance(valid())).toEqual({})
  })

  it.each([
    ['name', { name: '  ' }],
    ['environmentId', { environmentId: '' }],
    ['host', { host: '' }],
    ['user', { user: '' }],
    ['port', { port: -1 }],
    ['sslmode', { sslmode: 'always' }],
    ['port', { port: 65536 }],
    ['port', { port: 54.5 }],
    ['port', { port: Number.NaN }],
  ] as const)('flags %s for %j', (field, over) => {
    const errors = validateInstance(valid(over as Partial<InstanceInput>))
    expect(Object.keys(errors)).toEqual([field])
    expect(errors[field]).toBeTruthy()
  })

  it('accepts the port range ends', () => {
    expect(validateInstance(valid({ port: 1 }))).toEqual({})
    expect(validateInstance(valid({ port: 65535 }))).toEqual({})
  })
})

describe('looksLikeURL', () => {
  it.each([
    ['postgres://u@h/db', true],
    ['  postgresql://h', true],
    ['POSTGRES://H', true],
    ['mysql://h', false],
    ['host=localhost', false],
    ['', false],
  ])('%s → %s', (text, want) => expect(looksLikeURL(text)).toBe(want))
})

describe('mergeParsed', () => {
  it('takes connection fields from the URL and keeps the chosen name and environment', () => {
    const parsed = { ...emptyInstanceInput(), host: 'db.example.com', port: 6432, user: 'app', database: 'orders', sslmode: 'require', password: 's3cret', name: '', environmentId: '' }
    const out = mergeParsed(valid({ name: 'orders', environmentId: 'prod', keepPassword: true }), parsed)
    expect(out).toMatchObject({
      name: 'orders',
      environmentId: 'prod',
      host: 'db.example.com',
      port: 6432,
      user: 'app',
      database: 'orders',
      sslmode: 'require',
      password: 's3cret',
      keepPassword: false,
      url: '',
    })
  })

  it('keeps current values for parts the URL leaves out', () => {
    const parsed = { ...emptyInstanceInput(), host: 'h2', port: 0, user: '', database: '', sslmode: '', password: '' }
    const out = mergeParsed(valid({ user: 'me', database: 'mine', keepPassword: true }), parsed)
    expect(out).toMatchObject({ host: 'h2', port: 5432, user: 'me', database: 'mine', sslmode: 'prefer', keepPassword: true })
  })
})

// The same cases Go's instances.Validate is tested on: the form must reject exactly the field Go
// rejects (URL cases are Go's alone: the form hands URLs to Go to parse).
interface SharedCase {
  name: string
  input: { host: string; port: number; user: string; database: string; sslmode: string; url: string }
  field: string
}
const shared: SharedCase[] = JSON.parse(readFileSync(resolve(__dirname, '../../../../testdata/instance-fields.json'), 'utf8'))

describe('validateInstance agrees with the Go rules', () => {
  it('has the shared cases', () => {
    expect(shared.length).toBeGreaterThan(10)
  })
  it.each(shared.filter((c) => !c.input.url).map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const { url: _url, ...fields } = c.input
    const errors = validateInstance(valid(fields))
    expect(Object.keys(errors)).toEqual(c.field ? [c.field] : [])
  })
})
