package review

import (
	"fmt"
	"strconv"
	"strings"
)

// Template names.
const (
	// TemplateDefault flags what can hurt a running system (locks on busy
	// tables, rewrites, long scans under exclusive locks, data loss, changes
	// that break running clients, non-transactional statements in
	// transactions, unsafe backfills) and nothing about style. It is what
	// `tidemark review` uses without --policy, what production environments
	// start from and what the change workflow's review check uses.
	TemplateDefault = "default"
	// TemplateTest is the default's rules with every error lowered to a
	// warning: what test environments start from.
	TemplateTest = "test"
	// TemplateConventions is the default plus the style and convention rules
	// (naming, comments, required columns, SET ROLE, qualified names, IF NOT
	// EXISTS robustness) a team opts into.
	TemplateConventions = "conventions"
	// TemplateAdvanced enables every rule at its own level.
	TemplateAdvanced = "advanced"
	// TemplateBasic is the earlier high-signal subset, kept for policies and
	// scripts that name it.
	TemplateBasic = "basic"
)

// TemplateInfo describes a built-in template for the policy editor and docs.
type TemplateInfo struct {
	Name    string `json:"name"`
	Title   string `json:"title"`
	Purpose string `json:"purpose"`
}

// TemplateInfos lists the built-in templates with what each is for, in the
// order a user chooses among them.
func TemplateInfos() []TemplateInfo {
	return []TemplateInfo{
		{TemplateDefault, "Default (safety)", "Flags what can hurt a running system: locks held on busy tables, table rewrites, long scans under an exclusive lock, data loss, changes that break running clients, non-transactional statements inside transactions, unsafe backfills. Nothing about style. Production environments start here."},
		{TemplateTest, "Test", "The default's safety rules, all at warning level (nothing blocks): what test environments start from."},
		{TemplateConventions, "Conventions", "The default's safety rules plus style and team conventions: naming, comments, required columns, SET ROLE, fully qualified names, IF [NOT] EXISTS robustness, preferred types. Opt in when the team agrees on them."},
		{TemplateAdvanced, "Advanced (everything)", "Every rule at its own level, including the opt-in and database-only checks. For teams that want the full rule set and tune it down."},
		{TemplateBasic, "Basic (earlier subset)", "The earlier high-signal subset, kept for policies and scripts that name it; prefer default."},
	}
}

// Templates lists the built-in policy template names.
func Templates() []string {
	infos := TemplateInfos()
	out := make([]string, len(infos))
	for i, t := range infos {
		out[i] = t.Name
	}
	return out
}

// isTemplate reports whether name is a built-in template.
func isTemplate(name string) bool { return containsString(Templates(), name) }

// membership says where a rule sits in the templates: its level in the
// default (Off: not a safety rule), whether conventions adds it, why, and
// the safe form to write instead.
type membership struct {
	Default    Level
	Convention bool
	Why        string
	SafeForm   string
}

// templateTable classifies every rule. A rule not listed is only in
// advanced (TestTemplateTableCoversRules keeps the list complete).
func templateTable() map[string]membership {
	safety := func(l Level, why, safe string) membership { return membership{Default: l, Why: why, SafeForm: safe} }
	conv := func(why, safe string) membership {
		return membership{Default: Off, Convention: true, Why: why, SafeForm: safe}
	}
	adv := func(why, safe string) membership { return membership{Default: Off, Why: why, SafeForm: safe} }
	return map[string]membership{
		// Locks, rewrites and scans under exclusive locks.
		"index.create-concurrently":                  safety(Error, "CREATE INDEX blocks every write to the table for the whole build.", "CREATE INDEX CONCURRENTLY in its own non-transactional file (the runner runs it alone)."),
		"index.drop-concurrently":                    safety(Warning, "DROP INDEX takes an ACCESS EXCLUSIVE lock on the table and waits behind every running query.", "DROP INDEX CONCURRENTLY, outside a transaction."),
		"index.reindex-concurrently":                 safety(Warning, "REINDEX blocks writes (and reads through the index) for the whole rebuild.", "REINDEX ... CONCURRENTLY (PostgreSQL 12+)."),
		"index.concurrently-in-transaction":          safety(Error, "The statement fails inside a transaction block (SQLSTATE 25001) and aborts the rest.", "Run concurrent index operations outside BEGIN ... COMMIT; Tidemark's runner runs a file holding one statement by statement."),
		"index.add-primary-key-using-index":          safety(Warning, "ADD PRIMARY KEY builds its index under an ACCESS EXCLUSIVE lock.", "CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... PRIMARY KEY USING INDEX."),
		"index.unique-constraint-use-index":          safety(Warning, "ADD UNIQUE builds its index under an ACCESS EXCLUSIVE lock.", "CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... UNIQUE USING INDEX."),
		"statement.add-check-not-valid":              safety(Warning, "ADD CHECK scans the whole table under an ACCESS EXCLUSIVE lock.", "ADD CONSTRAINT ... NOT VALID, then VALIDATE CONSTRAINT in a later transaction."),
		"statement.add-foreign-key-not-valid":        safety(Warning, "ADD FOREIGN KEY scans the table while blocking writes to both tables.", "ADD CONSTRAINT ... NOT VALID, then VALIDATE CONSTRAINT in a later transaction."),
		"statement.disallow-add-not-null":            safety(Warning, "SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock.", "ADD CHECK (col IS NOT NULL) NOT VALID, VALIDATE it in a later transaction, then SET NOT NULL (no scan on 12+) and drop the check."),
		"statement.disallow-add-column-with-default": safety(Warning, "A volatile default or a stored generated column (any default before PostgreSQL 11) rewrites the table under an ACCESS EXCLUSIVE lock.", "Add the column without the default, set the default, backfill in batches."),
		"column.disallow-change-type":                safety(Warning, "Most type changes rewrite the table and its indexes under an ACCESS EXCLUSIVE lock.", "Expand/contract: add a new column, backfill in batches, switch readers and writers, drop the old column."),
		"domain.alter-no-add-constraint":             safety(Warning, "ALTER DOMAIN ... ADD CONSTRAINT checks every column using the domain under locks.", "ADD CONSTRAINT ... NOT VALID on the domain, then VALIDATE CONSTRAINT."),
		"table.detach-partition-concurrently":        safety(Warning, "DETACH PARTITION locks the whole partitioned table.", "DETACH PARTITION ... CONCURRENTLY (PostgreSQL 14+), outside a transaction."),
		"statement.disallow-vacuum-full":             safety(Error, "VACUUM FULL rewrites the table under an ACCESS EXCLUSIVE lock.", "Plain VACUUM, or pg_repack for bloat."),
		"statement.disallow-cluster":                 safety(Error, "CLUSTER rewrites the table under an ACCESS EXCLUSIVE lock.", "pg_repack, or a maintenance window."),
		// Failures at rollout and data loss.
		"column.add-not-null-require-default":      safety(Error, "The statement fails on a table with rows (SQLSTATE 23502).", "Add the column with a DEFAULT, or nullable, backfill, then SET NOT NULL via a validated check."),
		"column.must-exist":                        safety(Error, "The statement fails at rollout: the column does not exist.", "Name an existing column."),
		"table.must-exist":                         safety(Error, "The statement fails at rollout: the table does not exist.", "Name an existing table."),
		"statement.no-duplicate-column-assignment": safety(Error, "PostgreSQL rejects the statement (multiple assignments to the same column).", "Assign each column once."),
		"statement.dml-dry-run":                    safety(Error, "The data change fails against the database.", "Fix the statement until the dry run passes."),
		"statement.where.require.update-delete":    safety(Error, "UPDATE or DELETE without WHERE changes every row: data loss, and one huge transaction locking every row.", "Add a WHERE clause; backfill in batches by key range."),
		"statement.disallow-rm-tbl-cascade":        safety(Error, "CASCADE silently drops or empties dependent objects.", "Drop dependents explicitly, by name."),
		"database.disallow-drop":                   safety(Error, "Deletes every object and row of a database; cannot be rolled back.", "Drop databases outside migrations, deliberately."),
		"table.disallow-drop":                      safety(Warning, "Deletes the table's data; clients still using it break.", "Stop using the table first, rename it to *_delete, drop it in a later release."),
		"statement.disallow-truncate":              safety(Warning, "Deletes every row of the table.", "Delete the rows you mean with a WHERE clause, or truncate outside migrations."),
		"column.disallow-drop":                     safety(Warning, "Deletes the column's data; running clients that select it break.", "Stop reading and writing the column in a release first, then drop it."),
		// Changes that break running clients.
		"column.disallow-rename":        safety(Warning, "Running clients still use the old name.", "Add the new column, write to both, backfill, switch readers, drop the old one."),
		"table.disallow-rename":         safety(Warning, "Running clients still use the old name.", "Create a view under the old name for the transition, or rename in a release with no old clients."),
		"column.disallow-drop-not-null": safety(Warning, "Clients reading the column may not expect NULLs.", "Make sure every reader handles NULL first."),
		// Transactions and the runner.
		"statement.non-transactional":         safety(Info, "The statement cannot be rolled back with the rest; the runner runs its file statement by statement.", "Keep non-transactional statements in a file of their own."),
		"statement.transaction-nesting":       safety(Warning, "A BEGIN inside an open transaction is a bug; with Tidemark's runner a file's own BEGIN/COMMIT interferes with the runner's transaction (with `--runner other` it is noted at info level).", "Let the runner manage the transaction, or run the file with `--runner other`."),
		"statement.disallow-commit":           safety(Error, "A COMMIT ends the runner's transaction in the middle of a unit: a later failure leaves a half-applied change (with `--runner other` it is the file's own choice, noted at info level).", "Split the change into files; each runs in its own transaction."),
		"statement.uncommitted-transaction":   safety(Error, "Changes and locks stay pending until the session ends, then roll back.", "End every BEGIN with COMMIT."),
		"statement.no-meta-command":           safety(Error, "The runner sends SQL to the server; psql meta-commands fail (with `--runner other` they are left to psql).", "Plain SQL, one database per file."),
		"statement.require-lock-timeout":      safety(Warning, "A DDL statement waiting for its lock queues every later query on the table. Waived under Tidemark's runner, which sets lock_timeout on every session; reported with `--runner other`.", "SET lock_timeout = '2s'; before the first lock-taking statement."),
		"statement.require-statement-timeout": safety(Warning, "A statement running far longer than planned holds its locks all the time. Waived under Tidemark's runner, which sets statement_timeout; reported with `--runner other`.", "SET statement_timeout = '5min'; before the first statement."),
		"review.unused-ignore":                safety(Info, "A suppression that suppresses nothing will hide a real finding later.", "Remove the comment or fix the rule id."),

		// Conventions.
		"naming.table":                         conv("Consistent names make schemas predictable.", "Name tables as the pattern says."),
		"naming.column":                        conv("Consistent names make schemas predictable.", "Name columns as the pattern says."),
		"naming.index.fk":                      conv("Named constraints are easy to find and drop.", "Name foreign keys as the template says."),
		"naming.index.idx":                     conv("Named indexes are easy to find and drop.", "Name indexes as the template says."),
		"naming.index.pk":                      conv("Named constraints are easy to find and drop.", "Name primary keys as the template says."),
		"naming.index.uk":                      conv("Named constraints are easy to find and drop.", "Name unique keys as the template says."),
		"naming.fully-qualified":               conv("Qualified names do not depend on search_path.", "schema.object everywhere."),
		"naming.identifier.max-length":         conv("PostgreSQL truncates identifiers past 63 bytes, so two long names can collide.", "Shorter names."),
		"table.drop-naming-convention":         conv("Only tables renamed for deletion are dropped.", "Rename to *_delete first."),
		"table.comment":                        conv("Comments document the schema where it lives.", "COMMENT ON TABLE."),
		"column.comment":                       conv("Comments document the schema where it lives.", "COMMENT ON COLUMN."),
		"column.required":                      conv("Columns the team requires on every table (id, created_at, ...).", "Add the required columns."),
		"column.no-null":                       conv("NOT NULL columns avoid three-valued logic surprises.", "Declare columns NOT NULL (with a DEFAULT when added to a table with rows)."),
		"column.require-default":               conv("A default keeps inserts from older clients working.", "Give the column a DEFAULT."),
		"column.default-disallow-volatile":     conv("A function default is evaluated per row (now() stamps existing rows with the migration time). The rewrite it may cause is flagged by statement.disallow-add-column-with-default.", "Add the column, then backfill explicitly."),
		"column.type.no-char":                  conv("char(n) pads with spaces and is no faster.", "text or varchar."),
		"column.type.prefer-bigint":            conv("integer keys run out at 2^31.", "bigint."),
		"column.type.prefer-identity":          conv("serial leaves the sequence's ownership and grants outside the column.", "GENERATED ... AS IDENTITY."),
		"column.type.prefer-text":              conv("varchar(n) limits are hard to raise on big tables.", "text with a CHECK on length."),
		"column.type.prefer-timestamptz":       conv("timestamp without time zone loses the offset.", "timestamptz."),
		"table.require-pk":                     conv("Rows need a stable identity (updates, logical replication).", "A primary key on every table."),
		"statement.check-set-role-variable":    conv("Objects are owned by the role that creates them.", "SET ROLE owner; at the top of the file."),
		"statement.create-specify-schema":      conv("Unqualified CREATE TABLE depends on search_path.", "CREATE TABLE schema.table."),
		"statement.prefer-robust":              conv("IF [NOT] EXISTS lets a half-applied non-transactional file be re-run.", "CREATE ... IF NOT EXISTS / DROP ... IF EXISTS."),
		"statement.insert.must-specify-column": conv("INSERT without a column list breaks when columns are added.", "INSERT INTO t (a, b) VALUES ..."),
		"statement.merge-alter-table":          conv("One ALTER TABLE per table takes the lock once.", "Merge the actions into one ALTER TABLE."),
		"statement.disallow-on-del-cascade":    conv("ON DELETE CASCADE deletes more than the statement names.", "Delete children explicitly."),
		"index.no-duplicate-column":            conv("A key listing a column twice is a mistake.", "List each column once."),
		"index.no-redundant":                   conv("A redundant index costs writes and space.", "Drop the narrower index."),
		"domain.create-no-constraint":          conv("A domain CHECK is hard to change later.", "Put CHECKs on table columns."),
		"type.enum.add-value-ordering":         conv("A plain ADD VALUE appends the value after every existing one, which changes what range comparisons (status < 'done') include.", "ADD VALUE ... BEFORE/AFTER the neighbour it belongs next to, or confirm the end is right."),

		// Only in advanced.
		"schema.backward-compatibility":                       adv("Bytebase's broad compatibility check: it also flags safe steps (a NOT VALID constraint, a concurrent unique index); drops, renames and type changes have their own rules in the default.", "Expand first, contract in a later release."),
		"column.type-disallow-list":                           adv("Types the team bans.", "Use an allowed type."),
		"column.maximum-character-length":                     adv("Long char(n) columns waste space.", "text or varchar."),
		"index.key-number-limit":                              adv("Wide keys make big indexes.", "Fewer key columns."),
		"index.total-number-limit":                            adv("Every index costs writes.", "Fewer indexes."),
		"index.primary-key-type-allowlist":                    adv("Key types the team allows.", "An allowed type."),
		"statement.where.require.select":                      adv("SELECT without WHERE reads everything.", "Add a WHERE clause."),
		"statement.select.no-select-all":                      adv("SELECT * breaks when columns change.", "Name the columns."),
		"statement.where.no-leading-wildcard-like":            adv("A leading wildcard cannot use a btree index.", "A trigram index, or anchor the pattern."),
		"statement.where.disallow-functions-and-calculations": adv("Functions on indexed columns defeat the index.", "Compare the column itself, or index the expression."),
		"statement.insert.row-limit":                          adv("Huge INSERTs hold one long transaction.", "Batch the rows."),
		"statement.insert.disallow-order-by-rand":             adv("ORDER BY random() sorts everything.", "Sample with TABLESAMPLE."),
		"statement.affected-row-limit":                        adv("Large UPDATE/DELETE hold row locks long.", "Batch by key range."),
		"statement.prior-backup-check":                        adv("Data changes kept apart from DDL can be backed up first.", "Separate files for DDL and DML."),
		"statement.object-owner-check":                        adv("Changes on objects the role does not own fail at rollout.", "Run as the owner, or SET ROLE."),
		"system.charset.allowlist":                            adv("Encodings the team allows.", "An allowed encoding."),
		"system.collation.allowlist":                          adv("Collations the team allows.", "An allowed collation."),
		"system.comment.length":                               adv("Comment length limit.", "Shorter comments."),
		"table.disallow-partition":                            adv("Teams that avoid partitioning.", "A plain table."),
		"table.no-foreign-key":                                adv("Teams that keep integrity in the application.", "No foreign keys."),
		"type.enum.require-value-ordering":                    adv("The same check as type.enum.add-value-ordering, kept for policies that name it.", "ADD VALUE ... BEFORE/AFTER."),
	}
}

// Template returns a built-in policy (see the Template* constants).
func (r *Registry) Template(name string) (*Policy, error) {
	if !isTemplate(name) {
		return nil, fmt.Errorf("unknown policy template %q (known: %s)", name, strings.Join(Templates(), ", "))
	}
	table := templateTable()
	p := &Policy{Name: name}
	for _, info := range r.Rules() {
		m := table[info.ID]
		lvl := Off
		switch name {
		case TemplateAdvanced:
			lvl = info.Level
		case TemplateBasic:
			lvl = info.Basic
		case TemplateDefault:
			lvl = m.Default
		case TemplateTest:
			lvl = m.Default
			if lvl == Error {
				lvl = Warning
			}
		case TemplateConventions:
			lvl = m.Default
			if lvl == Off && m.Convention {
				lvl = info.Level
				if lvl == Off {
					lvl = Warning
				}
			}
		}
		rc := RuleConfig{ID: info.ID, Level: lvl}
		if info.Payload != PayloadNone {
			pl := info.Default
			rc.Payload = &pl
		}
		p.Rules = append(p.Rules, rc)
	}
	return p, nil
}

// RuleTemplates returns, for rule id, its level in each template and why it
// sits where it does, with the safe form (docs and the policy editor).
func (r *Registry) RuleTemplates(id string) (levels map[string]Level, why, safeForm string) {
	info, ok := r.Rule(id)
	if !ok {
		return nil, "", ""
	}
	levels = map[string]Level{}
	for _, name := range Templates() {
		p, _ := r.Template(name)
		rc, _ := p.Rule(info.ID)
		levels[name] = rc.Level
	}
	m := templateTable()[id]
	return levels, m.Why, m.SafeForm
}

// TutorialPolicy is the sample project's Prod policy, the one of Bytebase's
// GitOps tutorial: a nullable column without a default is flagged, columns
// need a default, tables need a primary key (all errors).
func TutorialPolicy() *Policy {
	return &Policy{Name: "Prod (tutorial)", Rules: []RuleConfig{
		{ID: "column.no-null", Level: Error},
		{ID: "column.require-default", Level: Error},
		{ID: "table.require-pk", Level: Error},
	}}
}

// ParseServerVersion reads a PostgreSQL version as people write it ("15",
// "15.4", "9.6", "9.6.24") or as server_version_num ("150004") and returns
// server_version_num.
func ParseServerVersion(s string) (int, error) {
	s = strings.TrimSpace(s)
	bad := fmt.Errorf("%q is not a PostgreSQL version (15, 15.4 or 150004)", s)
	parts := strings.Split(s, ".")
	nums := make([]int, len(parts))
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return 0, bad
		}
		nums[i] = n
	}
	var v int
	switch {
	case len(nums) == 1 && nums[0] >= 10000:
		v = nums[0]
	case len(nums) == 1:
		v = nums[0] * 10000
	case nums[0] >= 10 && len(nums) == 2:
		v = nums[0]*10000 + nums[1]
	case nums[0] < 10 && len(nums) <= 3:
		v = nums[0]*10000 + nums[1]*100
		if len(nums) == 3 {
			v += nums[2]
		}
	default:
		return 0, bad
	}
	if v < 90600 || v >= 1000000 {
		return 0, fmt.Errorf("%q: Tidemark reviews for PostgreSQL 9.6 and later", s)
	}
	return v, nil
}
