import { defineStore } from 'pinia'
import { computed, ref, watch } from 'vue'
import * as api from '../api'
import type { ApiError, TargetsPreview } from '../api'
import { useSchemaEditStore } from './schemaedit'

/**
 * The schema editor's target databases, when Alter schema picked several: the session's edits
 * are planned on each database's own model (Go: SchemaEditService.PreviewTargets), one migration
 * per database or the reason it has none. The session's database comes first. While the
 * preview is shown, the plans follow the edits and the Online switch. Online is turned on when
 * a target is in production (as the editor does for a production database), unless the user
 * set the switch.
 */
export const useEditTargetsStore = defineStore('schemaeditTargets', () => {
  const edit = useSchemaEditStore()
  /** database ids, the session's own first */
  const targets = ref<string[]>([])
  const result = ref<TargetsPreview | null>(null)
  const loading = ref(false)
  const error = ref<ApiError | null>(null)
  /** the database whose plan is shown */
  const active = ref('')
  /** the user set the Online switch (or it was turned on for a production target) */
  const onlineChosen = ref(false)
  let generation = 0

  const multi = computed(() => targets.value.length > 1)
  /** each database's migration by id, when every database has one; null otherwise */
  const perDatabase = computed<Record<string, string> | null>(() => {
    const r = result.value
    if (!r || !r.ok) return null
    return Object.fromEntries(r.targets.map((t) => [t.databaseId, t.sql]))
  })
  const failed = computed(() => (result.value?.targets ?? []).filter((t) => t.error))

  function setTargets(ids: string[]) {
    const next = [...new Set(ids)]
    if (next.join() === targets.value.join()) return
    generation++
    targets.value = next
    result.value = null
    error.value = null
    loading.value = false
    active.value = next[0] ?? ''
    onlineChosen.value = false
  }

  /** chooseOnline is the user's Online switch: kept for every target from then on. */
  async function chooseOnline(v: boolean) {
    onlineChosen.value = true
    await edit.setOnline(v)
  }

  /** refresh plans the session's edits on every target; the answer, or null when it failed or went stale. */
  async function refresh(): Promise<TargetsPreview | null> {
    const st = edit.state
    if (!st || !multi.value) return null
    const mine = ++generation
    loading.value = true
    try {
      const r = await api.previewEditTargets(st.sessionId, targets.value, edit.online)
      if (mine !== generation) return null
      result.value = r
      error.value = null
      if (!r.targets.some((t) => t.databaseId === active.value)) active.value = r.targets[0]?.databaseId ?? ''
      if (!onlineChosen.value && !edit.online && r.targets.some((t) => t.production)) {
        // a production target: plan online, as the editor does for a production database
        onlineChosen.value = true
        await edit.setOnline(true)
        return refresh()
      }
      return r
    } catch (e) {
      if (mine === generation) error.value = api.toApiError(e)
      return null
    } finally {
      if (mine === generation) loading.value = false
    }
  }

  // follow the edits (every answer from Go is a new state), the Online switch and the preview
  watch(
    () => [edit.state, edit.online, edit.previewShown] as const,
    ([st, , shown]) => {
      if (!st) {
        generation++
        result.value = null
        loading.value = false
        return
      }
      if (shown && multi.value) void refresh()
    },
  )

  return { targets, result, loading, error, active, onlineChosen, multi, perDatabase, failed, setTargets, chooseOnline, refresh }
})
