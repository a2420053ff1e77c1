import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import * as api from '../api'
import type { ApiError, FixResult, PolicyRule, ReviewLevel, ReviewPolicy, ReviewResult, RuleInfo, RulePayload, TemplateInfo } from '../api'

/** How long typing must pause before the SQL is reviewed again. */
export const REVIEW_DEBOUNCE_MS = 400

export const useReviewStore = defineStore('review', () => {
  const rules = ref<RuleInfo[]>([])
  const rulesLoaded = ref(false)
  /** environment id -> its policy, as last read from or saved to Go */
  const policies = ref<Record<string, ReviewPolicy>>({})

  const environmentId = ref('')
  const databaseId = ref('')
  const sql = ref('')
  const result = ref<ReviewResult | null>(null)
  const reviewing = ref(false)
  const error = ref<ApiError | null>(null)

  /** the built-in policy templates and what each is for */
  const templates = ref<TemplateInfo[]>([])
  /** the last Apply fix, until the SQL changes by typing */
  const lastFix = ref<FixResult | null>(null)
  const fixing = ref(false)

  const ruleById = computed(() => new Map(rules.value.map((r) => [r.id, r])))
  const policy = computed(() => policies.value[environmentId.value] ?? null)
  const templateByName = computed(() => new Map(templates.value.map((t) => [t.name, t])))
  /** how many statements Apply all fixes would rewrite */
  const fixable = computed(() => new Set((result.value?.advice ?? []).filter((a) => (a.rewrite?.steps.length ?? 0) > 0).map((a) => a.statementLine)).size)

  async function loadTemplates() {
    if (templates.value.length > 0) return
    templates.value = (await api.reviewTemplates()) ?? []
  }

  async function loadRules() {
    if (rulesLoaded.value) return
    rules.value = await api.reviewRules()
    rulesLoaded.value = true
  }

  async function loadPolicy(envId: string) {
    const p = await api.reviewPolicy(envId)
    policies.value = { ...policies.value, [envId]: p }
    return p
  }

  function put(p: ReviewPolicy) {
    policies.value = { ...policies.value, [p.environmentId]: p }
    if (p.environmentId === environmentId.value) void run()
    return p
  }

  /**
   * updateRule changes one rule of an environment's policy and saves the whole policy.
   * The change shows at once; a refused save (the engine validates) puts the old one back.
   */
  async function updateRule(envId: string, ruleId: string, change: { level?: ReviewLevel; payload?: RulePayload }) {
    const old = policies.value[envId] ?? (await loadPolicy(envId))
    const rules: PolicyRule[] = old.rules.map((r) =>
      r.id === ruleId ? { ...r, level: change.level ?? r.level, payload: change.payload ? { ...change.payload } : r.payload } : r,
    )
    const next = { ...old, rules }
    policies.value = { ...policies.value, [envId]: next }
    try {
      return put(await api.saveReviewPolicy(envId, next))
    } catch (e) {
      policies.value = { ...policies.value, [envId]: old }
      throw e
    }
  }

  /** enableRule turns a rule on at its default level, or off. */
  function toggleRule(envId: string, ruleId: string, on: boolean) {
    const def = ruleById.value.get(ruleId)?.level
    const level: ReviewLevel = on ? (def && def !== 'off' ? def : 'warning') : 'off'
    return updateRule(envId, ruleId, { level })
  }

  async function resetPolicy(envId: string, template: string) {
    return put(await api.resetReviewPolicy(envId, template))
  }

  async function importPolicy(envId: string) {
    return put(await api.importReviewPolicy(envId))
  }

  async function importPolicyYAML(envId: string, yaml: string) {
    return put(await api.importReviewPolicyYAML(envId, yaml))
  }

  function exportPolicy(envId: string) {
    return api.exportReviewPolicy(envId)
  }

  // Reviews can overlap while typing; only the latest request's answer counts.
  let seq = 0
  let timer: ReturnType<typeof setTimeout> | null = null

  async function run() {
    if (timer) {
      clearTimeout(timer)
      timer = null
    }
    const mine = ++seq
    if (!environmentId.value && !databaseId.value) {
      result.value = null
      return
    }
    reviewing.value = true
    try {
      const r = await api.reviewSQL({ sql: sql.value, environmentId: environmentId.value, databaseId: databaseId.value })
      if (mine !== seq) return
      result.value = r
      error.value = null
    } catch (e) {
      if (mine !== seq) return
      error.value = api.toApiError(e)
    } finally {
      if (mine === seq) reviewing.value = false
    }
  }

  /** schedule reviews again once typing pauses for REVIEW_DEBOUNCE_MS. */
  function schedule() {
    if (timer) clearTimeout(timer)
    timer = setTimeout(() => {
      timer = null
      void run()
    }, REVIEW_DEBOUNCE_MS)
  }

  function setSQL(text: string) {
    sql.value = text
    lastFix.value = null
    schedule()
  }

  /**
   * applyFix replaces the SQL with its safe rewrites applied (only the statement starting on
   * statementLine when it is > 0) and reviews the fixed SQL. A SQL that no longer parses is left.
   */
  async function applyFix(statementLine = 0): Promise<FixResult> {
    fixing.value = true
    try {
      const r = await api.fixSQL({ sql: sql.value, environmentId: environmentId.value, databaseId: databaseId.value }, statementLine)
      if (!r.syntaxError && r.applied > 0) sql.value = r.sql
      lastFix.value = r
      await run()
      return r
    } finally {
      fixing.value = false
    }
  }

  return {
    rules,
    rulesLoaded,
    policies,
    environmentId,
    databaseId,
    sql,
    result,
    reviewing,
    error,
    templates,
    lastFix,
    fixing,
    ruleById,
    policy,
    templateByName,
    fixable,
    loadRules,
    loadTemplates,
    applyFix,
    loadPolicy,
    updateRule,
    toggleRule,
    resetPolicy,
    importPolicy,
    importPolicyYAML,
    exportPolicy,
    run,
    schedule,
    setSQL,
  }
})
