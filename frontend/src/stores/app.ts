import { defineStore } from 'pinia'
import { ref, watch } from 'vue'
import * as api from '../api'
import type { AppInfo } from '../api'

export type ThemePreference = 'system' | 'light' | 'dark'
const THEME_KEY = 'tidemark.theme'

function storedTheme(): ThemePreference {
  try {
    const v = globalThis.localStorage?.getItem(THEME_KEY)
    return v === 'light' || v === 'dark' ? v : 'system'
  } catch {
    return 'system'
  }
}

/** App-wide facts from Go (version, workspace, keychain) and the theme preference. */
export const useAppStore = defineStore('app', () => {
  const info = ref<AppInfo | null>(null)
  const theme = ref<ThemePreference>(storedTheme())

  watch(theme, (v) => {
    try {
      globalThis.localStorage?.setItem(THEME_KEY, v)
    } catch {
      // storage unavailable: the choice lasts for this session
    }
  })

  async function load() {
    info.value = await api.appInfo()
  }

  return { info, theme, load }
})
