package review

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	pg_query "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/proto"

	"github.com/tidemark-dev/tidemark/internal/sqlparse"
)

// Rewrite is the safe form of a flagged statement, built from its parse tree
// and rendered by PostgreSQL's deparser. Steps replace the statement; Plan is
// advice only (a change with no automatic safe form, such as a column type
// change, gets an expand/contract plan as text and no Steps).
type Rewrite struct {
	Steps []RewriteStep `json:"steps,omitempty"`
	Plan  string        `json:"plan,omitempty"`
}

// RewriteStep is one statement of a rewrite.
type RewriteStep struct {
	SQL string `json:"sql"`
	// NonTransactional steps cannot run in a transaction block: each goes
	// into a unit (a migration file) of its own.
	NonTransactional bool `json:"nonTransactional,omitempty"`
	// NewUnit steps must not share a transaction with the steps before them
	// (a VALIDATE CONSTRAINT after the ADD ... NOT VALID it validates).
	NewUnit bool `json:"newUnit,omitempty"`
}

// FixUnit is one migration unit of a fixed file: with Tidemark's runner,
// each becomes a file of its own, applied in order (a transactional unit in
// one transaction; a non-transactional one, a concurrent index build, alone).
type FixUnit struct {
	SQL              string `json:"sql"`
	NonTransactional bool   `json:"nonTransactional,omitempty"`
}

// Fixed is a file with the safe rewrites of its advice applied.
type Fixed struct {
	// Units are the fixed file. With RunnerOther (each statement outside a
	// block is its own transaction) there is one unit: the statements in
	// order already run in separate transactions.
	Units []FixUnit `json:"units"`
	// Applied counts the statements replaced by their rewrite.
	Applied int `json:"applied"`
	// Kept names the flagged statements left as written, and why.
	Kept []KeptStatement `json:"kept,omitempty"`
}

// KeptStatement is a flagged statement Fix left as written.
type KeptStatement struct {
	Line   int    `json:"line"`
	Rule   string `json:"rule"`
	Reason string `json:"reason"`
}

// Text renders the fixed file: the units in order, each after the first
// under a "-- tidemark:unit" line that says where the next migration file
// begins and whether it is transactional.
func (f *Fixed) Text() string {
	var b strings.Builder
	for i, u := range f.Units {
		if len(f.Units) > 1 {
			kind := "transactional"
			if u.NonTransactional {
				kind = "non-transactional"
			}
			if i > 0 {
				b.WriteString("\n")
			}
			fmt.Fprintf(&b, "-- tidemark:unit %d/%d (%s): save as its own migration file, after the one before\n", i+1, len(f.Units), kind)
		}
		b.WriteString(u.SQL)
	}
	return b.String()
}

// Fix applies the rewrites res carries to src (the script res reviewed,
// with the runner the review assumed): each rewritten statement is replaced
// by its steps, the rest of the file (comments included) is kept byte for
// byte. With Tidemark's runner the file is split into units where a step
// must not share the transaction of what precedes it (a concurrent index
// build, a VALIDATE after the NOT VALID it validates). With RunnerOther, or
// a file that manages its own transactions (BEGIN ... COMMIT blocks, which
// Tidemark's runner runs as written and every statement outside them
// alone), each statement outside a block is its own transaction already:
// the file stays one unit, and statements inside the file's own blocks are
// kept (a concurrent build cannot run in a block).
func Fix(src string, res *Result, runner string) *Fixed {
	rewrites := map[int]*Rewrite{} // statement start -> rewrite
	rules := map[int]string{}      // statement start -> a rule that asked
	for _, a := range res.Advice {
		if a.Rewrite != nil && len(a.Rewrite.Steps) > 0 {
			rewrites[a.Statement.Start] = a.Rewrite
			rules[a.Statement.Start] = a.Rule
		} else if a.Rewrite != nil && rules[a.Statement.Start] == "" {
			rules[a.Statement.Start] = a.Rule
		}
	}
	f := &Fixed{}
	blockAt := -1 // line of the BEGIN of an open explicit block
	ownTx := false
	for _, st := range res.Statements {
		if st.Kind == sqlparse.TransactionControl && (st.Tag == "BEGIN" || st.Tag == "START TRANSACTION") {
			ownTx = true
			break
		}
	}
	// A file with blocks of its own runs, with Tidemark's runner too, each
	// statement outside a block alone: no units to split.
	tidemark := (runner == "" || runner == RunnerTidemark) && !ownTx
	var cur strings.Builder
	curNonTx := false
	unit := func(nonTx bool) {
		if strings.TrimSpace(cur.String()) != "" {
			f.Units = append(f.Units, FixUnit{SQL: strings.TrimLeft(cur.String(), "\n"), NonTransactional: curNonTx})
		}
		cur.Reset()
		curNonTx = nonTx
	}
	prev := 0
	for _, st := range res.Statements {
		if st.Kind == sqlparse.TransactionControl {
			switch st.Tag {
			case "BEGIN", "START TRANSACTION":
				blockAt = st.Line
			case "COMMIT", "ROLLBACK", "PREPARE TRANSACTION":
				blockAt = -1
			}
		}
		rw := rewrites[st.Start]
		if rw == nil {
			if id := rules[st.Start]; id != "" {
				f.Kept = append(f.Kept, KeptStatement{Line: st.Line, Rule: id, Reason: "no automatic safe form: the advice carries an expand/contract plan"})
			}
			continue
		}
		if !tidemark && blockAt > 0 {
			f.Kept = append(f.Kept, KeptStatement{Line: st.Line, Rule: rules[st.Start], Reason: fmt.Sprintf("inside the file's own transaction block (BEGIN at line %d): move it out of the block to rewrite it", blockAt)})
			continue
		}
		cur.WriteString(src[prev:st.PrefixStart])
		for k, step := range rw.Steps {
			switch {
			case tidemark && step.NonTransactional:
				unit(true)
			case tidemark && step.NewUnit:
				unit(false)
			}
			if k == 0 {
				cur.WriteString(src[st.PrefixStart:st.Start]) // the statement's own comments
			} else if cur.Len() > 0 {
				cur.WriteString("\n")
			}
			cur.WriteString(step.SQL)
			cur.WriteString(";")
			if tidemark && step.NonTransactional {
				cur.WriteString("\n")
				unit(false)
			}
		}
		prev = st.End
		if prev < len(src) && src[prev] == ';' {
			prev++
		}
		f.Applied++
	}
	if f.Applied == 0 {
		f.Units = []FixUnit{{SQL: src}}
		return f
	}
	cur.WriteString(src[prev:])
	unit(false)
	for i := range f.Units {
		if !strings.HasSuffix(f.Units[i].SQL, "\n") {
			f.Units[i].SQL += "\n"
		}
	}
	return f
}

// rewriteRules are the rules whose advice can carry a rewrite, with what
// the rewrite is (for the rule reference).
var rewriteRules = map[string]string{
	"index.create-concurrently":           "`CREATE INDEX CONCURRENTLY` in a migration unit of its own (not on partitioned tables, which cannot build concurrently). Tested on PostgreSQL to leave the same schema as the original statement.",
	"statement.add-check-not-valid":       "`ADD CONSTRAINT name CHECK (…) NOT VALID`, then `VALIDATE CONSTRAINT name` in the next unit (an unnamed check gets the name PostgreSQL would give it). Tested on PostgreSQL to leave the same schema as the original statement.",
	"statement.add-foreign-key-not-valid": "`ADD CONSTRAINT name FOREIGN KEY … NOT VALID`, then `VALIDATE CONSTRAINT name` in the next unit (an unnamed key gets the name PostgreSQL would give it). Tested on PostgreSQL to leave the same schema as the original statement.",
	"statement.disallow-add-not-null":     "`ADD CONSTRAINT t_col_not_null CHECK (col IS NOT NULL) NOT VALID`; in the next unit `VALIDATE CONSTRAINT`, `SET NOT NULL` (no scan from PostgreSQL 12 on) and `DROP CONSTRAINT t_col_not_null`. Tested on PostgreSQL to leave the same schema as the original statement.",
	"index.unique-constraint-use-index":   "`CREATE UNIQUE INDEX CONCURRENTLY name` in a unit of its own, then `ADD CONSTRAINT name UNIQUE USING INDEX name`. Tested on PostgreSQL to leave the same schema as the original statement.",
	"column.disallow-change-type":         "none automatic: the advice carries an expand/contract plan as text (add a column of the new type, keep it in step, backfill in batches, recreate constraints and indexes without long locks, drop and rename in one short transaction).",
}

// RewriteDoc says what the safe rewrite of rule id is ("" for rules
// without one).
func RewriteDoc(id string) string { return rewriteRules[id] }

// attachRewrites gives the advice from advice[from:] of statement node the
// statement's rewrite, when one of them is from a rule with a safe form. It
// runs before the statement is applied to the simulated catalog, so the
// catalog is the state the statement meets.
func (rn *run) attachRewrites(from int, node *pg_query.Node) {
	if node == nil || from >= len(rn.advice) {
		return
	}
	flagged := map[string]bool{}
	for k := from; k < len(rn.advice); k++ {
		if id := rn.advice[k].Rule; rewriteRules[id] != "" {
			flagged[id] = true
		}
	}
	if len(flagged) == 0 {
		return
	}
	rw, err := rewriteStatement(node, flagged, rn.partitioned(node))
	if err != nil || rw == nil {
		return // no safe form for this shape of the statement
	}
	for k := from; k < len(rn.advice); k++ {
		if rewriteRules[rn.advice[k].Rule] != "" {
			rn.advice[k].Rewrite = rw
		}
	}
}

// partitioned reports whether the table an index or ALTER TABLE statement
// names is partitioned in the simulated catalog: CREATE INDEX CONCURRENTLY
// cannot build an index on a partitioned table.
func (rn *run) partitioned(node *pg_query.Node) bool {
	var rv *pg_query.RangeVar
	if is := node.GetIndexStmt(); is != nil {
		rv = is.Relation
	} else if at := node.GetAlterTableStmt(); at != nil {
		rv = at.Relation
	}
	if rv == nil {
		return false
	}
	t := rn.cat.resolve(rv.Schemaname, rv.Relname)
	return t != nil && t.Kind == "partitioned"
}

// rewriteStatement builds the safe form of node for the flagged rules; nil
// when nothing in the statement has one. partitioned says the statement's
// table is partitioned (no concurrent index builds).
func rewriteStatement(node *pg_query.Node, flagged map[string]bool, partitioned bool) (*Rewrite, error) {
	if is := node.GetIndexStmt(); is != nil {
		if !flagged["index.create-concurrently"] || is.Concurrent || partitioned {
			return nil, nil
		}
		n := proto.Clone(node).(*pg_query.Node)
		n.GetIndexStmt().Concurrent = true
		sql, err := deparse(n)
		if err != nil {
			return nil, err
		}
		return &Rewrite{Steps: []RewriteStep{{SQL: sql, NonTransactional: true}}}, nil
	}
	at := node.GetAlterTableStmt()
	if at == nil || at.Objtype != pg_query.ObjectType_OBJECT_TABLE || at.Relation == nil {
		return nil, nil
	}
	b := &alterRewriter{at: at, partitioned: partitioned}
	var residual []*pg_query.Node // commands kept as they are, in order
	var plans []string
	flush := func() {
		if len(residual) > 0 {
			b.step(&b.now, false, b.alterNode(residual...))
			residual = nil
		}
	}
	rewritten := false
	for _, cn := range at.Cmds {
		cmd := cn.GetAlterTableCmd()
		if cmd != nil && cmd.Subtype == pg_query.AlterTableType_AT_AlterColumnType && flagged["column.disallow-change-type"] {
			if p, err := typeChangePlan(at, cmd); err == nil {
				plans = append(plans, p)
			}
		}
		if cmd == nil || !b.rewritable(cmd, flagged) {
			residual = append(residual, cn)
			continue
		}
		flush()
		b.rewrite(cmd)
		rewritten = true
	}
	flush()
	if b.err != nil {
		return nil, b.err
	}
	rw := &Rewrite{Plan: strings.Join(plans, "\n\n")}
	if rewritten {
		rw.Steps = append(rw.Steps, b.now...)
		if len(b.later) > 0 {
			b.later[0].NewUnit = true
			rw.Steps = append(rw.Steps, b.later...)
		}
	}
	if len(rw.Steps) == 0 && rw.Plan == "" {
		return nil, nil
	}
	return rw, nil
}

// alterRewriter collects the steps of one ALTER TABLE's rewrite: now runs in
// the statement's place, later in a following transaction.
type alterRewriter struct {
	at          *pg_query.AlterTableStmt
	partitioned bool
	now, later  []RewriteStep
	err         error
}

func (b *alterRewriter) step(list *[]RewriteStep, nonTx bool, n *pg_query.Node) {
	if b.err != nil {
		return
	}
	sql, err := deparse(n)
	if err != nil {
		b.err = err
		return
	}
	*list = append(*list, RewriteStep{SQL: sql, NonTransactional: nonTx})
}

// alter renders ALTER TABLE <the statement's table> with cmds.
func (b *alterRewriter) alter(cmds ...*pg_query.Node) (string, error) {
	return deparse(b.alterNode(cmds...))
}

func (b *alterRewriter) alterNode(cmds ...*pg_query.Node) *pg_query.Node {
	return &pg_query.Node{Node: &pg_query.Node_AlterTableStmt{AlterTableStmt: &pg_query.AlterTableStmt{
		Relation: proto.Clone(b.at.Relation).(*pg_query.RangeVar), Cmds: cmds, Objtype: pg_query.ObjectType_OBJECT_TABLE, MissingOk: b.at.MissingOk,
	}}}
}

func cmdNode(c *pg_query.AlterTableCmd) *pg_query.Node {
	return &pg_query.Node{Node: &pg_query.Node_AlterTableCmd{AlterTableCmd: c}}
}

func constraintNode(k *pg_query.Constraint) *pg_query.Node {
	return &pg_query.Node{Node: &pg_query.Node_Constraint{Constraint: k}}
}

func addConstraint(k *pg_query.Constraint) *pg_query.Node {
	return cmdNode(&pg_query.AlterTableCmd{Subtype: pg_query.AlterTableType_AT_AddConstraint, Def: constraintNode(k), Behavior: pg_query.DropBehavior_DROP_RESTRICT})
}

func validateConstraint(name string) *pg_query.Node {
	return cmdNode(&pg_query.AlterTableCmd{Subtype: pg_query.AlterTableType_AT_ValidateConstraint, Name: name, Behavior: pg_query.DropBehavior_DROP_RESTRICT})
}

// rewritable reports whether cmd has a safe form that the flagged rules
// ask for.
func (b *alterRewriter) rewritable(cmd *pg_query.AlterTableCmd, flagged map[string]bool) bool {
	switch cmd.Subtype {
	case pg_query.AlterTableType_AT_AddConstraint:
		k := cmd.Def.GetConstraint()
		if k == nil {
			return false
		}
		switch k.Contype {
		case pg_query.ConstrType_CONSTR_FOREIGN:
			return !k.SkipValidation && flagged["statement.add-foreign-key-not-valid"]
		case pg_query.ConstrType_CONSTR_CHECK:
			return !k.SkipValidation && !k.IsNoInherit && flagged["statement.add-check-not-valid"]
		case pg_query.ConstrType_CONSTR_UNIQUE:
			return !b.partitioned && k.Indexname == "" && len(k.Including) == 0 && len(k.Options) == 0 && k.Indexspace == "" &&
				k.AccessMethod == "" && len(k.Exclusions) == 0 && k.WhereClause == nil && len(k.Keys) > 0 && flagged["index.unique-constraint-use-index"]
		}
	case pg_query.AlterTableType_AT_SetNotNull:
		return cmd.Name != "" && flagged["statement.disallow-add-not-null"]
	}
	return false
}

// rewrite adds the safe form of cmd (one rewritable says it has).
func (b *alterRewriter) rewrite(cmd *pg_query.AlterTableCmd) {
	rel := b.at.Relation.Relname
	switch cmd.Subtype {
	case pg_query.AlterTableType_AT_AddConstraint:
		k := cmd.Def.GetConstraint()
		switch k.Contype {
		case pg_query.ConstrType_CONSTR_FOREIGN, pg_query.ConstrType_CONSTR_CHECK:
			k = proto.Clone(k).(*pg_query.Constraint)
			if k.Conname == "" {
				k.Conname = defaultConstraintName(rel, k)
			}
			k.SkipValidation, k.InitiallyValid = true, false
			b.step(&b.now, false, b.alterNode(addConstraint(k)))
			b.step(&b.later, false, b.alterNode(validateConstraint(k.Conname)))
		case pg_query.ConstrType_CONSTR_UNIQUE:
			name := k.Conname
			if name == "" {
				name = defaultConstraintName(rel, k)
			}
			idx := &pg_query.IndexStmt{Idxname: name, Relation: proto.Clone(b.at.Relation).(*pg_query.RangeVar), AccessMethod: "btree",
				Unique: true, Concurrent: true, NullsNotDistinct: k.NullsNotDistinct}
			idx.Relation.Inh = true
			for _, key := range k.Keys {
				idx.IndexParams = append(idx.IndexParams, &pg_query.Node{Node: &pg_query.Node_IndexElem{IndexElem: &pg_query.IndexElem{
					Name: key.GetString_().GetSval(), Ordering: pg_query.SortByDir_SORTBY_DEFAULT, NullsOrdering: pg_query.SortByNulls_SORTBY_NULLS_DEFAULT}}})
			}
			b.step(&b.now, true, &pg_query.Node{Node: &pg_query.Node_IndexStmt{IndexStmt: idx}})
			uk := &pg_query.Constraint{Contype: pg_query.ConstrType_CONSTR_UNIQUE, Conname: name, Indexname: name,
				Deferrable: k.Deferrable, Initdeferred: k.Initdeferred}
			b.step(&b.now, false, b.alterNode(addConstraint(uk)))
		}
	case pg_query.AlterTableType_AT_SetNotNull:
		name := makeObjectName(rel, cmd.Name, "not_null")
		check := &pg_query.Constraint{Contype: pg_query.ConstrType_CONSTR_CHECK, Conname: name, SkipValidation: true,
			RawExpr: &pg_query.Node{Node: &pg_query.Node_NullTest{NullTest: &pg_query.NullTest{
				Arg:          &pg_query.Node{Node: &pg_query.Node_ColumnRef{ColumnRef: &pg_query.ColumnRef{Fields: []*pg_query.Node{pg_query.MakeStrNode(cmd.Name)}}}},
				Nulltesttype: pg_query.NullTestType_IS_NOT_NULL}}}}
		b.step(&b.now, false, b.alterNode(addConstraint(check)))
		b.step(&b.later, false, b.alterNode(validateConstraint(name)))
		b.step(&b.later, false, b.alterNode(cmdNode(proto.Clone(cmd).(*pg_query.AlterTableCmd))))
		b.step(&b.later, false, b.alterNode(cmdNode(&pg_query.AlterTableCmd{Subtype: pg_query.AlterTableType_AT_DropConstraint, Name: name, Behavior: pg_query.DropBehavior_DROP_RESTRICT})))
	}
}

// typeChangePlan is the expand/contract plan for ALTER COLUMN ... TYPE, its
// statements rendered from the tree.
func typeChangePlan(at *pg_query.AlterTableStmt, cmd *pg_query.AlterTableCmd) (string, error) {
	cd := cmd.Def.GetColumnDef()
	if cd == nil || cd.TypeName == nil {
		return "", fmt.Errorf("no type")
	}
	b := &alterRewriter{at: at}
	tmp := makeObjectName(cmd.Name, "", "new")
	add, err := b.alter(cmdNode(&pg_query.AlterTableCmd{Subtype: pg_query.AlterTableType_AT_AddColumn, Behavior: pg_query.DropBehavior_DROP_RESTRICT,
		Def: &pg_query.Node{Node: &pg_query.Node_ColumnDef{ColumnDef: &pg_query.ColumnDef{Colname: tmp, TypeName: cd.TypeName, IsLocal: true}}}}))
	if err != nil {
		return "", err
	}
	conv := cd.RawDefault // the USING expression, if any
	if conv == nil {
		conv = &pg_query.Node{Node: &pg_query.Node_TypeCast{TypeCast: &pg_query.TypeCast{
			Arg:      &pg_query.Node{Node: &pg_query.Node_ColumnRef{ColumnRef: &pg_query.ColumnRef{Fields: []*pg_query.Node{pg_query.MakeStrNode(cmd.Name)}}}},
			TypeName: cd.TypeName, Location: -1}}}
	}
	upd, err := deparse(&pg_query.Node{Node: &pg_query.Node_UpdateStmt{UpdateStmt: &pg_query.UpdateStmt{
		Relation:   proto.Clone(at.Relation).(*pg_query.RangeVar),
		TargetList: []*pg_query.Node{{Node: &pg_query.Node_ResTarget{ResTarget: &pg_query.ResTarget{Name: tmp, Val: conv}}}},
		WhereClause: &pg_query.Node{Node: &pg_query.Node_NullTest{NullTest: &pg_query.NullTest{
			Arg:          &pg_query.Node{Node: &pg_query.Node_ColumnRef{ColumnRef: &pg_query.ColumnRef{Fields: []*pg_query.Node{pg_query.MakeStrNode(tmp)}}}},
			Nulltesttype: pg_query.NullTestType_IS_NULL}}},
	}}})
	if err != nil {
		return "", err
	}
	drop, err := b.alter(cmdNode(&pg_query.AlterTableCmd{Subtype: pg_query.AlterTableType_AT_DropColumn, Name: cmd.Name, Behavior: pg_query.DropBehavior_DROP_RESTRICT}))
	if err != nil {
		return "", err
	}
	rename, err := deparse(&pg_query.Node{Node: &pg_query.Node_RenameStmt{RenameStmt: &pg_query.RenameStmt{
		RenameType: pg_query.ObjectType_OBJECT_COLUMN, RelationType: pg_query.ObjectType_OBJECT_TABLE,
		Relation: proto.Clone(at.Relation).(*pg_query.RangeVar), Subname: tmp, Newname: cmd.Name, Behavior: pg_query.DropBehavior_DROP_RESTRICT}}})
	if err != nil {
		return "", err
	}
	var s strings.Builder
	fmt.Fprintf(&s, "Changing the type of column %q rewrites the table and every index on it under an ACCESS EXCLUSIVE lock (reads and writes wait for the whole rewrite), and clients reading the old type may break. There is no automatic safe form; expand and contract instead:\n", cmd.Name)
	fmt.Fprintf(&s, "1. Expand (instant): %s;\n", add)
	fmt.Fprintf(&s, "2. Keep the new column in step with writes: a trigger (or the application) sets %q on every INSERT and UPDATE.\n", tmp)
	fmt.Fprintf(&s, "3. Backfill in batches, each its own short transaction: %s (add a key range to the WHERE clause per batch);\n", upd)
	fmt.Fprintf(&s, "4. Recreate on the new column, without long locks, what the old one carries: NOT NULL through CHECK (... IS NOT NULL) NOT VALID + VALIDATE, indexes with CREATE INDEX CONCURRENTLY, constraints NOT VALID + VALIDATE; move readers to the new column.\n")
	fmt.Fprintf(&s, "5. Contract, in one short transaction after the trigger is dropped: %s; %s;", drop, rename)
	return s.String(), nil
}

// deparse renders one statement's tree as SQL (without the terminating ';').
func deparse(n *pg_query.Node) (string, error) {
	sql, err := pg_query.Deparse(&pg_query.ParseResult{Version: pgQueryVersion, Stmts: []*pg_query.RawStmt{{Stmt: n}}})
	if err != nil {
		return "", fmt.Errorf("deparse: %w", err)
	}
	return strings.TrimSuffix(strings.TrimSpace(sql), ";"), nil
}

// defaultConstraintName is the name PostgreSQL gives an unnamed table
// constraint on relation rel (ChooseConstraintName without the numeric
// suffix it adds on a clash): <rel>_<cols>_fkey, <rel>_<cols>_key,
// <rel>_<col>_check (or <rel>_check when the expression uses several
// columns or none).
func defaultConstraintName(rel string, k *pg_query.Constraint) string {
	switch k.Contype {
	case pg_query.ConstrType_CONSTR_FOREIGN:
		return makeObjectName(rel, joinNames(k.FkAttrs), "fkey")
	case pg_query.ConstrType_CONSTR_UNIQUE:
		return makeObjectName(rel, joinNames(k.Keys), "key")
	case pg_query.ConstrType_CONSTR_CHECK:
		cols := map[string]bool{}
		w := treeWalker{node: func(n *pg_query.Node) bool {
			if cr := n.GetColumnRef(); cr != nil && len(cr.Fields) > 0 {
				cols[cr.Fields[len(cr.Fields)-1].GetString_().GetSval()] = true
			}
			return true
		}, msg: func(proto.Message) bool { return true }}
		w.walkNode(k.RawExpr)
		col := ""
		if len(cols) == 1 {
			for c := range cols {
				col = c
			}
		}
		return makeObjectName(rel, col, "check")
	}
	return makeObjectName(rel, "", "constraint")
}

// joinNames joins String nodes with "_" as PostgreSQL's
// ChooseForeignKeyConstraintNameAddition / ChooseIndexNameAddition do,
// stopping once the name is long enough to be truncated anyway.
func joinNames(ns []*pg_query.Node) string {
	var b strings.Builder
	for _, n := range ns {
		if b.Len() > 0 {
			b.WriteByte('_')
		}
		b.WriteString(n.GetString_().GetSval())
		if b.Len() >= nameDataLen {
			break
		}
	}
	return clip(b.String(), nameDataLen-1)
}

const nameDataLen = 64 // PostgreSQL's NAMEDATALEN

// makeObjectName is PostgreSQL's makeObjectName: name1_name2_label, with
// name1 and name2 shortened (the longer first) so the result fits in 63 bytes.
func makeObjectName(name1, name2, label string) string {
	n1, n2 := len(name1), len(name2)
	overhead := 0
	if label != "" {
		overhead += len(label) + 1
	}
	if name2 != "" {
		overhead++
	}
	for n1+n2+overhead >= nameDataLen {
		if n1 > n2 {
			n1--
		} else {
			n2--
		}
	}
	out := clip(name1, n1)
	if name2 != "" {
		out += "_" + clip(name2, n2)
	}
	if label != "" {
		out += "_" + label
	}
	return out
}

// clip cuts s to at most n bytes without splitting a character.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// pgQueryVersion is the parse tree version the deparser expects (that of
// the trees pg_query's parser produces).
const pgQueryVersion = 170007

// FixReport is a file with its safe rewrites applied and reviewed again.
type FixReport struct {
	*Fixed
	// Remaining is the advice the fixed file still draws, its units
	// reviewed one after the other (positions are within each unit).
	Remaining []Advice `json:"remaining"`
	// Counts counts Remaining by level.
	Counts map[Level]int `json:"counts"`
	// Catalog is the simulated state after the fixed file, for the next
	// file of a sequence.
	Catalog *Catalog `json:"-"`
}

// FixScript reviews src with o, applies the rewrites (Fix) and reviews the
// fixed units again in order, each on the state the previous one leaves.
// statementLine > 0 fixes only the statement that starts on that line (an
// editor's "apply this fix"); 0 fixes every statement. A script the parser
// rejects returns a *sqlparse.SyntaxError.
func (r *Registry) FixScript(ctx context.Context, src string, o Options, statementLine int) (*FixReport, error) {
	res, err := r.Review(ctx, src, o)
	if err != nil {
		return nil, err
	}
	chosen := res
	if statementLine > 0 {
		c := *res
		c.Advice = nil
		for _, a := range res.Advice {
			if a.Statement.Line == statementLine {
				c.Advice = append(c.Advice, a)
			}
		}
		chosen = &c
	}
	rep := &FixReport{Fixed: Fix(src, chosen, o.Runner), Counts: map[Level]int{}, Catalog: res.Catalog}
	if rep.Applied == 0 {
		rep.Remaining = res.Advice
		rep.Counts = res.Counts
		return rep, nil
	}
	uo := o
	for _, u := range rep.Units {
		ur, err := r.Review(ctx, u.SQL, uo)
		if err != nil {
			return nil, fmt.Errorf("review the fixed file: %w", err)
		}
		rep.Remaining = append(rep.Remaining, ur.Advice...)
		for l, n := range ur.Counts {
			rep.Counts[l] += n
		}
		uo.Catalog = ur.Catalog
	}
	rep.Catalog = uo.Catalog
	return rep, nil
}
