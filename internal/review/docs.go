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
	w("A policy (`basic`, `advanced`, or a YAML file) sets each rule's level (`error`, `warning`, `off`) and payload; `tidemark review` exits 1 when any error-level advice remains.\n\n")
	w("**Templates.** `advanced` enables every rule at the level shown as *Level*; `basic` enables the rules with a *Basic* level (safety and correctness, no style) and leaves the others off. Rules whose level is `off` are opt-in: enable them in a policy file.\n\n")
	w("**Catalog-aware.** Every statement is simulated on a catalog — empty by default, the target's schema and row estimates with `--url`, and in the desktop app the synced schema — so rules see the state each statement runs on and the final state after the script: a primary key dropped later, indexes added by earlier files, columns that do not exist, a NOT NULL column added to a table that has rows. Rules marked *needs database* only report when a database is connected.\n\n")
	w("**Suppression.** `-- tidemark:ignore rule-id[, rule-id...]` before (or inside, or at the end of the line of) a statement suppresses those rules for it. The same comment at the top of a file followed by a blank line, or `-- tidemark:ignore-file rule-id` anywhere, covers the whole file. A suppression that suppresses nothing (for a rule the policy enables), names an unknown rule, or names no rule is reported by `review.unused-ignore`.\n\n")
	w("**Payload types.** `regex`: `format` (a regular expression) and optional `maxLength`; `template`: a regular expression with `{{placeholders}}` plus `maxLength`; `number`: `number`; `list`: `list`; `comment`: `required` and `maxLength`.\n\n")
	w("## Policy file\n\n```yaml\nname: prod\nrules:\n- id: table.require-pk\n  level: error\n- id: naming.table\n  level: warning\n  payload:\n    format: ^[a-z]+(_[a-z]+)*$\n    maxLength: 63\n- id: statement.disallow-truncate\n  level: off\n```\n\n")
	w("Rules a policy does not list are off. Unknown rule ids, levels, payload fields and invalid regular expressions are errors (with a suggestion for misspelt ids).\n\n")
	w("## Summary\n\n| Rule | Family | Level | Basic | Payload |\n|---|---|---|---|---|\n")
	for _, r := range rules {
		basic := string(r.Basic)
		if basic == "" {
			basic = "off"
		}
		pl := string(r.Payload)
		if r.Payload == PayloadNone {
			pl = "—"
		}
		w("| [`%s`](#%s) | %s | %s | %s | %s |\n", r.ID, anchor(r.ID), r.Family, r.Level, basic, pl)
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
			basic := string(r.Basic)
			if basic == "" {
				basic = "off"
			}
			w("- Level: `%s` (basic: `%s`)\n", r.Level, basic)
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
	w("\nOther behavioural notes: `statement.disallow-add-column-with-default`, `column.default-disallow-volatile` and the NOT VALID rules follow Bytebase and flag tables created earlier in the same script as well; `index.create-concurrently`, `index.drop-concurrently` and the USING INDEX rules exempt them, as Bytebase does for concurrent index creation. `statement.object-owner-check`, `statement.dml-dry-run` and `statement.affected-row-limit` need a database, as in Bytebase.\n")
	return b.String()
}

func anchor(id string) string {
	return strings.NewReplacer(".", "", " ", "-").Replace(strings.ToLower(id))
}
