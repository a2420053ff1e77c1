import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { makeRouter } from './router'

// ?bench=erd is the ER diagram benchmark's page (make bench), not part of the app
if (new URLSearchParams(location.search).get('bench') === 'erd') {
  void import('./components/erd/ErdBench.vue').then((m) => createApp(m.default).mount('#app'))
} else {
  createApp(App).use(createPinia()).use(makeRouter()).mount('#app')
}
