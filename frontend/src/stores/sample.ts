import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as api from '../api'
import type { SampleStatus } from '../api'

export const useSampleStore = defineStore('sample', () => {
  const status = ref<SampleStatus | null>(null)
  const busy = ref(false)

  async function load() {
    status.value = await api.sampleStatus()
  }

  async function run(fn: () => Promise<SampleStatus>) {
    busy.value = true
    try {
      status.value = await fn()
      return status.value
    } finally {
      busy.value = false
    }
  }

  const start = () => run(api.startSample)
  const stop = () => run(api.stopSample)

  return { status, busy, load, start, stop }
})
