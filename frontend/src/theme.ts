// The one theme file: Naive UI overrides for light, and dark as light plus a few differences.
import { darkTheme, lightTheme, type GlobalTheme, type GlobalThemeOverrides } from 'naive-ui'

const brand = {
  primaryColor: '#0e7490',
  primaryColorHover: '#0891b2',
  primaryColorPressed: '#155e75',
  primaryColorSuppl: '#0891b2',
}

export const lightOverrides: GlobalThemeOverrides = {
  common: {
    ...brand,
    borderRadius: '6px',
    fontFamily: 'Inter, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
    fontFamilyMono: '"JetBrains Mono", "Fira Code", Menlo, Consolas, monospace',
  },
  Layout: { siderColor: '#f4f7f9', headerColor: '#ffffff' },
}

const darkDifferences: GlobalThemeOverrides = {
  common: {
    primaryColor: '#22d3ee',
    primaryColorHover: '#67e8f9',
    primaryColorPressed: '#06b6d4',
    primaryColorSuppl: '#67e8f9',
  },
  Layout: { siderColor: '#16181d', headerColor: '#1b1d22' },
}

function merge(a: GlobalThemeOverrides, b: GlobalThemeOverrides): GlobalThemeOverrides {
  const out: Record<string, unknown> = { ...a }
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k]
    out[k] = prev && typeof prev === 'object' ? { ...(prev as object), ...(v as object) } : v
  }
  return out as GlobalThemeOverrides
}

export const darkOverrides = merge(lightOverrides, darkDifferences)

export function themeFor(dark: boolean): { theme: GlobalTheme; overrides: GlobalThemeOverrides } {
  return dark ? { theme: darkTheme, overrides: darkOverrides } : { theme: lightTheme, overrides: lightOverrides }
}
