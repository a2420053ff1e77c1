import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router'

export const routes: RouteRecordRaw[] = [
  { path: '/', name: 'home', component: () => import('./views/HomeView.vue') },
  { path: '/issues', name: 'issues', component: () => import('./views/IssuesView.vue') },
  { path: '/issues/:number', name: 'issue', component: () => import('./views/IssueView.vue') },
  { path: '/projects', name: 'projects', component: () => import('./views/ProjectsView.vue') },
  { path: '/databases', name: 'databases', component: () => import('./views/DatabasesView.vue') },
  { path: '/databases/:id', name: 'database', component: () => import('./views/DatabaseView.vue') },
  { path: '/instances', name: 'instances', component: () => import('./views/InstancesView.vue') },
  { path: '/environments', name: 'environments', component: () => import('./views/EnvironmentsView.vue') },
  { path: '/compare', name: 'compare', component: () => import('./views/CompareView.vue') },
  { path: '/sql-editor', name: 'sql-editor', component: () => import('./views/SqlEditorView.vue') },
  { path: '/review', name: 'review', component: () => import('./views/ReviewView.vue') },
  { path: '/risk', name: 'risk', component: () => import('./views/RiskCenterView.vue') },
  { path: '/anomalies', name: 'anomalies', component: () => import('./views/AnomalyCenterView.vue') },
  { path: '/settings', name: 'settings', component: () => import('./views/SettingsView.vue') },
]

// Hash history: the desktop asset server and the dev server both serve only "/".
export function makeRouter() {
  return createRouter({ history: createWebHashHistory(), routes })
}
