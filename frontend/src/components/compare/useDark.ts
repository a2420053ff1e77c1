import { computed } from 'vue'
import { useOsTheme } from 'naive-ui'
import { useAppStore } from '../../stores/app'

/** useDark follows the app's theme choice (system, light or dark), as App.vue does. */
export function useDark() {
  const app = useAppStore()
  const os = useOsTheme()
  return computed(() => (app.theme === 'system' ? os.value === 'dark' : app.theme === 'dark'))
}
