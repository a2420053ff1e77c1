package review

import (
	"fmt"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// corpusDeviation is a Bytebase review case we deliberately disagree with.
type corpusDeviation struct {
	Case, Reason string
}

// bytebaseDeviations lists the corpus cases (file#index) where our (rule,
// line) differs from Bytebase's on purpose.
func bytebaseDeviations() []corpusDeviation {
	return []corpusDeviation{
		{"statement_merge_alter_table#1", "Bytebase reports line 2 for `CREATE TABLE t …; ALTER TABLE tech_book …; ALTER TABLE t …` — the 0-based line of the last ALTER TABLE on `t`. We report line 3, where that statement is."},
	}
}

// RulesMarkdown renders the rule reference (docs/rules.md) from the registry.
func RulesMarkdown(reg *Registry) string {
	var b strings.Builder
	rules := reg.Rules()
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("# SQL review rules\n\n")
	w("<!-- Generated from internal/review by `TIDEMARK_UPDATE_DOCS=1 go test -run TestRulesDoc ./internal/review`. Do not edit by hand. -->\n\n")
	w("Tidemark reviews PostgreSQL migrations with %d rules. Each rule has an id in Bytebase's dotted style, a default level, and an optional typed payload. ", len(rules))
	w("A policy (a built-in template or a YAML file) sets each rule's level (`error`, `warning`, `info`, `off`) and payload; `tidemark review` exits 1 when any error-level advice remains. `info` is a note below warning: shown, never blocking (the workflow's review check passes, no *Roll out anyway* needed).\n\n")
	w("## Templates\n\n| Template | What it is for |\n|---|---|\n")
	for _, t := range TemplateInfos() {
		w("| `%s` | %s |\n", t.Name, t.Purpose)
	}
	w("\n`tidemark review` without `--policy` uses `default`; so do new production environments and the change workflow's review check of an environment with no saved policy. Test environments start from `test`. The sample project's Prod environment gets the tutorial's policy (`column.no-null`, `column.require-default`, `table.require-pk`, all errors), so the tutorial's first commit is flagged and its fix passes.\n\n")
	w("**What the target is.** Rules take the server version from `--url`, the environment's instance, or `--pg-version`; without any they assume the newest supported version. They also know what runs the file (`--runner tidemark`, the default, or `--runner other`): Tidemark's runner wraps each transactional file in one transaction and sets `lock_timeout` and `statement_timeout` itself, so the timeout rules are waived for it, and a `NOT VALID` constraint validated in the same file is flagged (the whole file is one transaction, so the `ADD`'s lock is held through the scan: validate in the next file). A file holding a non-transactional statement runs statement by statement. A file with `BEGIN … COMMIT` blocks of its own runs each block as written, as a unit, and each statement outside a block alone: its blocks are noted at info level, and a `COMMIT` with no `BEGIN` before it (it would end the runner's transaction in the middle of the file, and the runner refuses the file) is an error. With `--runner other` (psql and other tools) each statement outside an explicit block is its own transaction, the file's own blocks are noted at info level, and the timeout rules apply.\n\n")
	w("**Pairs.** `internal/review/testdata/pairs/pairs.yaml` holds the dangerous way and the safe way for each rule family (after Squawk's rule documentation, the PostgreSQL documentation and the tutorial); `TestPairs` requires, under `default`, a warning or error for every dangerous example and none for every safe one.\n\n")
	w("**Catalog-aware.** Every statement is simulated on a catalog — empty by default, the target's schema and row estimates with `--url`, and in the desktop app the synced schema — so rules see the state each statement runs on and the final state after the script: a primary key dropped later, indexes added by earlier files, columns that do not exist, a NOT NULL column added to a table that has rows. Rules marked *needs database* only report when a database is connected.\n\n")
	w("**Suppression.** `-- tidemark:ignore rule-id[, rule-id...]` before (or inside, or at the end of the line of) a statement suppresses those rules for it. The same comment at the top of a file followed by a blank line, or `-- tidemark:ignore-file rule-id` anywhere, covers the whole file. A suppression that suppresses nothing (for a rule the policy enables), names an unknown rule, or names no rule is reported by `review.unused-ignore`.\n\n")
	w("**Payload types.** `regex`: `format` (a regular expression) and optional `maxLength`; `template`: a regular expression with `{{placeholders}}` plus `maxLength`; `number`: `number`; `list`: `list`; `comment`: `required` and `maxLength`.\n\n")
	w("## Policy file\n\n```yaml\nname: prod\nrules:\n- id: table.require-pk\n  level: error\n- id: naming.table\n  level: warning\n  payload:\n    format: ^[a-z]+(_[a-z]+)*$\n    maxLength: 63\n- id: statement.disallow-truncate\n  level: off\n```\n\n")
	w("Rules a policy does not list are off. Unknown rule ids, levels, payload fields and invalid regular expressions are errors (with a suggestion for misspelt ids).\n\n")
	w("## Summary\n\nLevels per template (`—` = off).\n\n| Rule | Family | default | test | conventions | advanced | basic | Payload |\n|---|---|---|---|---|---|---|---|\n")
	lv := func(l Level) string {
		if l == Off || l == "" {
			return "—"
		}
		return string(l)
	}
	for _, r := range rules {
		levels, _, _ := reg.RuleTemplates(r.ID)
		pl := string(r.Payload)
		if r.Payload == PayloadNone {
			pl = "—"
		}
		w("| [`%s`](#%s) | %s | %s | %s | %s | %s | %s | %s |\n", r.ID, anchor(r.ID), r.Family, lv(levels[TemplateDefault]), lv(levels[TemplateTest]),
			lv(levels[TemplateConventions]), lv(levels[TemplateAdvanced]), lv(levels[TemplateBasic]), pl)
	}
	families := map[string][]RuleInfo{}
	var order []string
	for _, r := range rules {
		if _, ok := families[r.Family]; !ok {
			order = append(order, r.Family)
		}
		families[r.Family] = append(families[r.Family], r)
	}
	sort.Strings(order)
	for _, fam := range order {
		w("\n## %s rules\n", strings.ToUpper(fam[:1])+fam[1:])
		for _, r := range families[fam] {
			w("\n### %s\n\n**%s.** %s\n\n", r.ID, r.Title, r.Rationale)
			levels, why, safe := reg.RuleTemplates(r.ID)
			var in []string
			for _, name := range Templates() {
				if l := levels[name]; l != Off {
					in = append(in, fmt.Sprintf("`%s` (%s)", name, l))
				}
			}
			if len(in) == 0 {
				in = append(in, "none: opt in through a policy file")
			}
			w("- Templates: %s\n", strings.Join(in, ", "))
			w("- Why %s: %s\n", placement(levels), why)
			w("- Safe form: %s\n", safe)
			if rw := RewriteDoc(r.ID); rw != "" {
				w("- Safe rewrite (`tidemark review --fix`, *Apply fix* on the SQL Review page): %s\n", rw)
			}
			if r.Payload != PayloadNone {
				y, _ := yaml.Marshal(r.Default)
				w("- Payload (`%s`), default:\n\n  ```yaml\n  %s  ```\n", r.Payload, strings.ReplaceAll(string(y), "\n", "\n  "))
				if len(r.Placeholders) > 0 {
					w("- Placeholders: %s\n", placeholderList(r.Placeholders))
				}
			} else {
				w("- Payload: none\n")
			}
			if r.NeedsDatabase {
				w("- Needs database: yes (silent without `--url` / a connected target)\n")
			}
			w("- Example it flags:\n\n  ```sql\n  %s\n  ```\n", strings.ReplaceAll(r.Example, "\n", "\n  "))
		}
	}
	w("\n## Agreement with Bytebase's review cases\n\n")
	w("`TestBytebaseCorpus` runs the %s PostgreSQL SQL-review test cases of Bytebase (`testdata/corpus/bytebase-sql-review`, the files its owners run) through this engine with the catalog and non-default settings the corpus README prescribes, enabling only the rule under test, and compares the multiset of (rule, line) pairs. ", "353")
	w("Every case agrees except these deliberate deviations:\n\n")
	for _, d := range bytebaseDeviations() {
		w("- `%s`: %s\n", d.Case, d.Reason)
	}
	w("\nOther behavioural notes: `statement.disallow-add-column-with-default`, `column.default-disallow-volatile` and `statement.add-foreign-key-not-valid` follow Bytebase and flag tables created earlier in the same script as well (`statement.add-check-not-valid` exempts them: the table is empty); `index.create-concurrently`, `index.drop-concurrently` and the USING INDEX rules exempt them, as Bytebase does for concurrent index creation. `statement.object-owner-check`, `statement.dml-dry-run` and `statement.affected-row-limit` need a database, as in Bytebase.\n")
	return b.String()
}

// placement says in words where a rule sits.
func placement(levels map[string]Level) string {
	switch {
	case levels[TemplateDefault] != Off:
		return "it is a safety rule"
	case levels[TemplateConventions] != Off:
		return "it is a convention"
	default:
		return "only in advanced"
	}
}

func anchor(id string) string {
	return strings.NewReplacer(".", "", " ", "-").Replace(strings.ToLower(id))
}
