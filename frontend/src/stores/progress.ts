import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import * as api from '../api'
import type { ProgressEvent } from '../api'

/** A task is shown only once it has run this long: quick work should not flash a bar. */
export const SHOW_AFTER_MS = 1000
/** A finished task stays briefly so the user sees it complete. */
export const LINGER_MS = 1500

export interface Task extends ProgressEvent {
  visible: boolean
}

/** Tracks long-running work reported by Go through the "progress" event. */
export const useProgressStore = defineStore('progress', () => {
  const tasks = ref<Task[]>([])
  const timers = new Map<string, ReturnType<typeof setTimeout>>()
  let unsubscribe: (() => void) | null = null

  const visible = computed(() => tasks.value.filter((t) => t.visible))

  function patch(id: string, f: (t: Task) => Task) {
    const i = tasks.value.findIndex((t) => t.id === id)
    if (i >= 0) tasks.value.splice(i, 1, f(tasks.value[i]!))
  }

  function clearTimer(id: string) {
    const t = timers.get(id)
    if (t) clearTimeout(t)
    timers.delete(id)
  }

  function handle(e: ProgressEvent) {
    const i = tasks.value.findIndex((t) => t.id === e.id)
    if (i < 0) {
      if (e.finished) return // finished before it was ever worth showing
      tasks.value = [...tasks.value, { ...e, visible: false }]
      timers.set(e.id, setTimeout(() => patch(e.id, (t) => ({ ...t, visible: true })), SHOW_AFTER_MS))
      return
    }
    patch(e.id, (t) => ({ ...t, ...e }))
    if (e.finished) {
      clearTimer(e.id)
      const shown = tasks.value[i]!.visible
      if (!shown) {
        tasks.value = tasks.value.filter((t) => t.id !== e.id)
        return
      }
      timers.set(e.id, setTimeout(() => {
        tasks.value = tasks.value.filter((t) => t.id !== e.id)
        timers.delete(e.id)
      }, LINGER_MS))
    }
  }

  /** start subscribes once; further calls are no-ops. */
  function start() {
    if (!unsubscribe) unsubscribe = api.onProgress(handle)
  }

  function stop() {
    unsubscribe?.()
    unsubscribe = null
    for (const id of [...timers.keys()]) clearTimer(id)
  }

  return { tasks, visible, handle, start, stop }
})
