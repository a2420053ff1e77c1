import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

// src/api is the one door to Go: nothing else may import the generated bindings.
function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name)
    return statSync(p).isDirectory() ? files(p) : /\.(ts|vue)$/.test(name) ? [p] : []
  })
}

describe('binding boundary', () => {
  it('only src/api imports frontend/wailsjs', () => {
    const src = join(__dirname, '..')
    const offenders = files(src)
      .filter((f) => !relative(src, f).startsWith('api'))
      .filter((f) => /from\s+['"][^'"]*wailsjs|import\(\s*['"][^'"]*wailsjs/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(src, f))
    expect(offenders).toEqual([])
  })
})
