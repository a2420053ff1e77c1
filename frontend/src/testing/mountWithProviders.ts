// Mounts a component inside the Naive UI providers and a memory router, as App.vue does.
import { defineComponent, h, type Component } from 'vue'
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { NDialogProvider, NMessageProvider, NNotificationProvider } from 'naive-ui'
import { routes } from '../router'

export function mountWithProviders(component: Component, props: Record<string, unknown> = {}, pinia?: Pinia) {
  const store = pinia ?? createPinia()
  setActivePinia(store)
  const router = createRouter({ history: createMemoryHistory(), routes })
  const Host = defineComponent({
    setup: () => () =>
      h(NNotificationProvider, null, {
        default: () =>
          h(NMessageProvider, null, {
            default: () => h(NDialogProvider, null, { default: () => h(component, props) }),
          }),
      }),
  })
  return mount(Host, { global: { plugins: [store, router] }, attachTo: document.body })
}
