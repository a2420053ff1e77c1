package schemaedit

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/proto"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/diff"
	"github.com/tidemark-dev/tidemark/internal/sqlparse"
	"github.com/tidemark-dev/tidemark/internal/usererr"
)

// This file holds the options of columns, indexes, constraints and tables
// beyond the basics: expressions checked by the parser, collations,
// operator classes, partitioning, UNLOGGED, and the per-object online
// choices (build an index concurrently, add a constraint NOT VALID then
// VALIDATE) handed to internal/diff.

// parseExpr checks that expr is one SQL value expression (what may follow
// SELECT, alone) and returns its parse tree. what names it in messages
// ("the generated expression"); field is the field at fault.
func parseExpr(field, what, expr string) (*pg_query.Node, error) {
	e := strings.TrimSpace(expr)
	if e == "" {
		return nil, usererr.Invalid(field, "%s is empty", what)
	}
	res, err := pg_query.Parse("SELECT (" + e + "\n)")
	if err != nil {
		return nil, usererr.Invalid(field, "%s %q is not a valid SQL expression: %v", what, e, err)
	}
	if len(res.Stmts) != 1 {
		return nil, usererr.Invalid(field, "%s %q must be one expression, not several statements", what, e)
	}
	sel := res.Stmts[0].Stmt.GetSelectStmt()
	if sel == nil || len(sel.TargetList) != 1 || len(sel.FromClause) > 0 || sel.WhereClause != nil || len(sel.GroupClause) > 0 ||
		sel.HavingClause != nil || len(sel.SortClause) > 0 || sel.LimitCount != nil || sel.LimitOffset != nil || len(sel.WindowClause) > 0 ||
		sel.WithClause != nil || len(sel.DistinctClause) > 0 || len(sel.LockingClause) > 0 || sel.IntoClause != nil ||
		sel.Op != pg_query.SetOperation_SETOP_NONE || len(sel.ValuesLists) > 0 {
		return nil, usererr.Invalid(field, "%s %q must be a single expression (no FROM, WHERE or other clauses)", what, e)
	}
	rt := sel.TargetList[0].GetResTarget()
	if rt == nil || rt.Val == nil {
		return nil, usererr.Invalid(field, "%s %q is not a valid SQL expression", what, e)
	}
	if rt.Val.GetSubLink() != nil || hasSubquery(rt.Val) {
		return nil, usererr.Invalid(field, "%s %q may not use a subquery", what, e)
	}
	return rt.Val, nil
}

// hasSubquery reports whether the tree holds a subquery.
func hasSubquery(n *pg_query.Node) bool {
	found := false
	sqlparse.Walk(n, func(m proto.Message) bool {
		if _, ok := m.(*pg_query.SubLink); ok {
			found = true
		}
		return !found
	})
	return found
}

// exprColumns lists the column names an expression refers to (the last
// part of each column reference), in order of appearance, once each.
func exprColumns(n *pg_query.Node) []string {
	var out []string
	seen := map[string]bool{}
	sqlparse.Walk(n, func(m proto.Message) bool {
		ref, ok := m.(*pg_query.ColumnRef)
		if !ok || len(ref.Fields) == 0 {
			return true
		}
		if s := ref.Fields[len(ref.Fields)-1].GetString_(); s != nil && !seen[s.Sval] {
			seen[s.Sval] = true
			out = append(out, s.Sval)
		}
		return true
	})
	return out
}

// checkExprColumns refuses an expression of table t that names a column t
// does not have; generated columns are refused too when noGenerated (a
// generated column cannot use another one). self is the column being
// defined (a generated column cannot use itself).
func checkExprColumns(field, what string, t *catalog.Table, n *pg_query.Node, self string, noGenerated bool) error {
	for _, col := range exprColumns(n) {
		if col == self && self != "" {
			return usererr.Invalid(field, "%s of column %s uses the column itself", what, catalog.QuoteIdent(self))
		}
		c := t.Column(col)
		if c == nil {
			return usererr.Invalid(field, "%s uses column %s, which table %s does not have", what, catalog.QuoteIdent(col), t.QualifiedName.String())
		}
		if noGenerated && c.Generated != "" {
			return usererr.Invalid(field, "%s uses column %s, which is itself generated: a generated column can only use ordinary columns", what, catalog.QuoteIdent(col))
		}
	}
	return nil
}

// setGenerated makes c a stored generated column over expr ("" makes it
// an ordinary column again) after checking the expression and that c has
// no default or identity. t, when not nil, is the table c belongs to (its
// columns are checked; create_table checks them once all are known).
func setGenerated(c *catalog.Column, expr string, t *catalog.Table) error {
	e := strings.TrimSpace(expr)
	if e == "" {
		c.Generated = ""
		return nil
	}
	n, err := parseExpr("generated", "the generated expression", e)
	if err != nil {
		return err
	}
	if c.Default != nil {
		return usererr.Invalid("generated", "column %s has a default: a generated column cannot have one", catalog.QuoteIdent(c.Name))
	}
	if c.Identity != "" {
		return usererr.Invalid("generated", "column %s is an identity column: it cannot also be generated", catalog.QuoteIdent(c.Name))
	}
	if t != nil {
		if err := checkExprColumns("generated", "the generated expression", t, n, c.Name, true); err != nil {
			return err
		}
	}
	c.Generated = e
	return nil
}

// collatableTypes are the built-in types that take a collation (arrays of
// them too).
var collatableTypes = map[string]bool{"text": true, "character varying": true, "character": true, "name": true, "citext": true}

// collatable reports whether a stored column type takes a collation: the
// built-in string types, and the model's own types (domains, enums and
// composites are left to the dry run).
func collatable(rt resolvedType) bool {
	if rt.user {
		return true
	}
	base := strings.TrimSuffix(rt.text, "[]")
	for strings.HasSuffix(base, "[]") {
		base = strings.TrimSuffix(base, "[]")
	}
	if i := strings.Index(base, "("); i > 0 {
		base = base[:i]
	}
	return collatableTypes[base]
}

// builtinCollations are the collations every database has, by the names
// users type.
var builtinCollations = map[string]string{"c": "C", "posix": "POSIX", "ucs_basic": "ucs_basic", "unicode": "unicode"}

// resolveCollation turns a typed collation into the stored form
// (schema-qualified and quoted, as Inspect stores it): "C" and "POSIX",
// the operating system's and ICU's collations (pg_catalog), or one of the
// model's own collations (qualified or bare). "" and "default" are the
// type's default (stored as "").
func resolveCollation(s *catalog.Schema, typed string) (string, error) {
	t := strings.TrimSpace(typed)
	if t == "" || strings.EqualFold(t, "default") || t == `"default"` {
		return "", nil
	}
	schema, name := "", unquote(t)
	if i := qualifiedDot(t); i > 0 && (s.Namespace(unquote(t[:i])) != nil || unquote(t[:i]) == "pg_catalog" || !looksLikeLocale(t)) {
		schema, name = unquote(t[:i]), unquote(t[i+1:])
	}
	if schema == "" {
		if b, ok := builtinCollations[strings.ToLower(name)]; ok && !strings.HasPrefix(t, `"`) {
			name = b
		}
		for _, c := range s.Collations {
			if c.Name == name && c.Schema != "pg_catalog" {
				return catalog.QuoteQualified(c.Schema, c.Name), nil
			}
		}
		return catalog.QuoteQualified("pg_catalog", name), nil
	}
	if schema != "pg_catalog" {
		found := false
		for _, c := range s.Collations {
			found = found || (c.Schema == schema && c.Name == name)
		}
		if !found {
			return "", usererr.Invalid("collation", "there is no collation %s", catalog.QuoteQualified(schema, name))
		}
	}
	return catalog.QuoteQualified(schema, name), nil
}

// qualifiedDot is the position of the dot between schema and name in a
// typed name (outside double quotes), or -1.
func qualifiedDot(t string) int {
	quoted, at := false, -1
	for i, r := range t {
		switch {
		case r == '"':
			quoted = !quoted
		case r == '.' && !quoted:
			at = i
		}
	}
	return at
}

// looksLikeLocale reports whether a name reads as an operating system
// locale ("en_US.utf8"), whose dot is not a schema separator (unless what
// comes before it is a schema of the model).
func looksLikeLocale(t string) bool {
	i := strings.LastIndex(t, ".")
	if i < 0 {
		return false
	}
	enc := strings.ToLower(t[i+1:])
	return !strings.Contains(t, `"`) && (strings.Contains(t[:i], "_") || strings.HasPrefix(enc, "utf") || strings.HasPrefix(enc, "iso") || strings.HasPrefix(enc, "euc"))
}

// setCollation gives c the collation typed ("" the type's default) after
// checking its type takes one.
func setCollation(s *catalog.Schema, c *catalog.Column, typed string) error {
	coll, err := resolveCollation(s, typed)
	if err != nil {
		return err
	}
	if coll != "" {
		rt, ok := resolveType(s, c.Type)
		if ok && !collatable(rt) {
			return usererr.Invalid("collation", "column %s is %s, which takes no collation (only text, varchar, char and types over them do)", catalog.QuoteIdent(c.Name), c.Type)
		}
	}
	c.Collation = coll
	return nil
}

// indexMethods are the index access methods the editor offers.
var indexMethods = []string{"btree", "hash", "gin", "gist", "brin", "spgist"}

// builtinOpClasses are PostgreSQL's own operator classes by access method
// (brin's are matched by their suffixes in opClassOf).
var builtinOpClasses = map[string][]string{
	"btree": {"array_ops", "bit_ops", "bool_ops", "bpchar_ops", "bpchar_pattern_ops", "bytea_ops", "char_ops", "cidr_ops", "date_ops", "enum_ops",
		"float4_ops", "float8_ops", "inet_ops", "int2_ops", "int4_ops", "int8_ops", "interval_ops", "jsonb_ops", "macaddr_ops", "macaddr8_ops",
		"money_ops", "multirange_ops", "name_ops", "numeric_ops", "oid_ops", "oidvector_ops", "pg_lsn_ops", "range_ops", "record_image_ops",
		"record_ops", "text_ops", "text_pattern_ops", "tid_ops", "time_ops", "timestamp_ops", "timestamptz_ops", "timetz_ops", "tsquery_ops",
		"tsvector_ops", "uuid_ops", "varbit_ops", "varchar_ops", "varchar_pattern_ops", "xid8_ops"},
	"hash": {"aclitem_ops", "array_ops", "bool_ops", "bpchar_ops", "bpchar_pattern_ops", "bytea_ops", "char_ops", "cid_ops", "cidr_ops", "date_ops",
		"enum_ops", "float4_ops", "float8_ops", "inet_ops", "int2_ops", "int4_ops", "int8_ops", "interval_ops", "jsonb_ops", "macaddr_ops",
		"macaddr8_ops", "multirange_ops", "name_ops", "numeric_ops", "oid_ops", "oidvector_ops", "pg_lsn_ops", "range_ops", "record_ops",
		"text_ops", "text_pattern_ops", "tid_ops", "time_ops", "timestamp_ops", "timestamptz_ops", "timetz_ops", "uuid_ops", "varchar_ops",
		"varchar_pattern_ops", "xid_ops", "xid8_ops"},
	"gin":    {"array_ops", "jsonb_ops", "jsonb_path_ops", "tsvector_ops"},
	"gist":   {"box_ops", "circle_ops", "inet_ops", "multirange_ops", "point_ops", "poly_ops", "range_ops", "tsquery_ops", "tsvector_ops"},
	"spgist": {"box_ops", "inet_ops", "kd_point_ops", "poly_ops", "quad_point_ops", "range_ops", "text_ops"},
}

// brinOpClassSuffixes end the names of brin's built-in operator classes.
var brinOpClassSuffixes = []string{"_minmax_ops", "_minmax_multi_ops", "_bloom_ops", "_inclusion_ops"}

// isBuiltinOpClass reports whether name is one of PostgreSQL's operator
// classes for method.
func isBuiltinOpClass(method, name string) bool {
	if method == "brin" {
		for _, suf := range brinOpClassSuffixes {
			if strings.HasSuffix(name, suf) && len(name) > len(suf) {
				return true
			}
		}
		return false
	}
	for _, n := range builtinOpClasses[method] {
		if n == name {
			return true
		}
	}
	return false
}

// resolveOpClass checks an operator class for an index method and returns
// its stored form (schema-qualified, as Inspect stores it). A built-in
// class of another method is refused; a name the model cannot tell (an
// extension's, a qualified one) is kept for the dry run to check, but an
// unknown bare name in a database without extensions is refused.
func resolveOpClass(s *catalog.Schema, method, typed string) (string, error) {
	t := strings.TrimSpace(typed)
	schema, name := "", unquote(t)
	if i := qualifiedDot(t); i > 0 {
		schema, name = unquote(t[:i]), unquote(t[i+1:])
	}
	if schema != "" && schema != "pg_catalog" {
		return catalog.QuoteQualified(schema, name), nil // the dry run checks it
	}
	if isBuiltinOpClass(method, name) {
		return catalog.QuoteQualified("pg_catalog", name), nil
	}
	var others []string
	for _, m := range indexMethods {
		if m != method && isBuiltinOpClass(m, name) {
			others = append(others, m)
		}
	}
	if len(others) > 0 {
		return "", usererr.Invalid("opclass", "operator class %s is for %s indexes, not %s: pick another method or another operator class (%s indexes: %s)",
			name, strings.Join(others, " and "), method, method, opClassExamples(method))
	}
	if schema == "" && len(s.Extensions) > 0 {
		// Extensions bring operator classes (pg_trgm's gin_trgm_ops, ...)
		// the model does not list: the dry run checks it.
		return catalog.QuoteIdent(name), nil
	}
	return "", usererr.Invalid("opclass", "there is no operator class %s for %s indexes (%s indexes: %s); qualify an operator class of your own with its schema",
		name, method, method, opClassExamples(method))
}

func opClassExamples(method string) string {
	switch method {
	case "btree":
		return "text_pattern_ops, varchar_pattern_ops, bpchar_pattern_ops, ..."
	case "brin":
		return "int8_minmax_ops, timestamptz_minmax_multi_ops, uuid_bloom_ops, ..."
	}
	names := builtinOpClasses[method]
	if len(names) > 6 {
		names = append(names[:6:6], "...")
	}
	return strings.Join(names, ", ")
}

// indexKeys builds the keys of a new index of t from spec (Columns or
// Keys), checking columns, expressions, orders and operator classes.
func indexKeys(s *catalog.Schema, t *catalog.Table, method string, spec *IndexSpec) ([]catalog.IndexKey, error) {
	if len(spec.Columns) > 0 && len(spec.Keys) > 0 {
		return nil, usererr.Invalid("keys", "give the index's columns or its keys, not both")
	}
	keys := spec.Keys
	for _, col := range spec.Columns {
		keys = append(keys, IndexKeySpec{Column: col})
	}
	if len(keys) == 0 {
		return nil, usererr.Invalid("index", "an index needs at least one column or expression")
	}
	var out []catalog.IndexKey
	for j, ks := range keys {
		var k catalog.IndexKey
		col, expr := strings.TrimSpace(ks.Column), strings.TrimSpace(ks.Expression)
		switch {
		case col != "" && expr != "":
			return nil, usererr.Invalid("keys", "key %d is a column or an expression, not both", j+1)
		case col != "":
			if t.Column(col) == nil {
				return nil, usererr.Invalid("columns", "table %s has no column %s", t.QualifiedName.String(), catalog.QuoteIdent(col))
			}
			k.Column = col
		case expr != "":
			n, err := parseExpr("keys", "the index expression", expr)
			if err != nil {
				return nil, err
			}
			if err := checkExprColumns("keys", "the index expression "+expr, t, n, "", false); err != nil {
				return nil, err
			}
			if c := t.Column(unquote(expr)); c != nil && !strings.ContainsAny(expr, "(") {
				k.Column = c.Name // a bare column name is a column key
			} else {
				k.Expression = expr
			}
		default:
			return nil, usererr.Invalid("keys", "key %d needs a column or an expression", j+1)
		}
		order, nulls := strings.ToLower(strings.TrimSpace(ks.Order)), strings.ToLower(strings.TrimSpace(ks.Nulls))
		if order != "" && order != "asc" && order != "desc" {
			return nil, usererr.Invalid("order", "the order of key %d is asc or desc, not %q", j+1, ks.Order)
		}
		if nulls != "" && nulls != "first" && nulls != "last" {
			return nil, usererr.Invalid("nulls", "the NULLS of key %d is first or last, not %q", j+1, ks.Nulls)
		}
		if (order != "" || nulls != "") && method != "btree" {
			return nil, usererr.Invalid("order", "%s indexes have no order: ASC/DESC and NULLS FIRST/LAST are for btree indexes", method)
		}
		k.Descending = order == "desc"
		// Stored only when not the order's default, as Inspect stores them.
		k.NullsFirst = nulls == "first" && !k.Descending
		k.NullsLast = nulls == "last" && k.Descending
		if oc := strings.TrimSpace(ks.OpClass); oc != "" {
			stored, err := resolveOpClass(s, method, oc)
			if err != nil {
				return nil, err
			}
			k.OpClass = stored
		}
		out = append(out, k)
	}
	return out, nil
}

// includeColumns checks the INCLUDE columns of a new index.
func includeColumns(t *catalog.Table, method string, cols []string, keys []catalog.IndexKey) ([]string, error) {
	if len(cols) == 0 {
		return nil, nil
	}
	if method != "btree" && method != "gist" && method != "spgist" {
		return nil, usererr.Invalid("include", "%s indexes cannot INCLUDE columns (btree, gist and spgist can)", method)
	}
	seen := map[string]bool{}
	for _, k := range keys {
		if k.Column != "" {
			seen[k.Column] = true
		}
	}
	var out []string
	for _, c := range cols {
		c = strings.TrimSpace(c)
		if t.Column(c) == nil {
			return nil, usererr.Invalid("include", "INCLUDE column %s is not a column of table %s", catalog.QuoteIdent(c), t.QualifiedName.String())
		}
		if seen[c] {
			return nil, usererr.Invalid("include", "column %s is already a key of the index: INCLUDE only adds other columns", catalog.QuoteIdent(c))
		}
		seen[c] = true
		out = append(out, c)
	}
	return out, nil
}

// createdInSession reports whether table t was created by this session's
// operations (it has no copy in the database yet).
func (st *state) createdInSession(t *catalog.Table) bool {
	return st.marks[tableKey(t.Schema, t.Name)] == Created
}

// checkConcurrently refuses a concurrently choice that cannot apply.
func (st *state) checkConcurrently(t *catalog.Table, v *bool) error {
	if v == nil || !*v {
		return nil
	}
	if t.Kind == catalog.TablePartitioned {
		return usererr.Invalid("concurrently", "table %s is partitioned: PostgreSQL cannot build an index of a partitioned table concurrently", t.QualifiedName.String())
	}
	if st.createdInSession(t) {
		return usererr.Invalid("concurrently", "table %s is new: its indexes are built with it, so there is nothing to build concurrently", t.QualifiedName.String())
	}
	return nil
}

// checkNotValidFirst refuses a not_valid_first choice that cannot apply.
func (st *state) checkNotValidFirst(t *catalog.Table, spec *ConstraintSpec) error {
	if spec.NotValidFirst == nil || !*spec.NotValidFirst {
		return nil
	}
	if spec.Type != "foreign_key" && spec.Type != "check" {
		return usererr.Invalid("not_valid_first", "only foreign keys and checks can be added NOT VALID then validated, not a %s", strings.ReplaceAll(spec.Type, "_", " "))
	}
	if st.createdInSession(t) {
		return usererr.Invalid("not_valid_first", "table %s is new: it has no rows to validate, so its constraints are created with it", t.QualifiedName.String())
	}
	if t.Kind == catalog.TablePartitioned && spec.Type == "foreign_key" {
		return usererr.Invalid("not_valid_first", "table %s is partitioned: PostgreSQL cannot add a foreign key NOT VALID to a partitioned table", t.QualifiedName.String())
	}
	return nil
}

// deferrableSuffix renders DEFERRABLE [INITIALLY DEFERRED] as
// pg_get_constraintdef ends a definition with it.
func deferrableSuffix(c *catalog.Constraint) string {
	switch {
	case c.InitiallyDeferred:
		return " DEFERRABLE INITIALLY DEFERRED"
	case c.Deferrable:
		return " DEFERRABLE"
	}
	return ""
}

// partitionMethods maps a partitioning method to pg_get_partkeydef's word.
var partitionMethods = map[string]string{"range": "RANGE", "list": "LIST", "hash": "HASH"}

// setPartitioning makes the new table t partitioned by spec.
func setPartitioning(t *catalog.Table, spec *PartitionSpec) error {
	word, ok := partitionMethods[strings.ToLower(strings.TrimSpace(spec.Method))]
	if !ok {
		return usererr.Invalid("partition_by", "partitioning is by range, list or hash, not %q", spec.Method)
	}
	if len(spec.Columns) == 0 {
		return usererr.Invalid("partition_by", "the partition key needs at least one column")
	}
	if word == "LIST" && len(spec.Columns) > 1 {
		return usererr.Invalid("partition_by", "list partitioning takes one column, not %d", len(spec.Columns))
	}
	var q []string
	seen := map[string]bool{}
	for _, col := range spec.Columns {
		c := t.Column(col)
		if c == nil {
			return usererr.Invalid("partition_by", "partition key column %s is not a column of table %s", catalog.QuoteIdent(col), t.QualifiedName.String())
		}
		if c.Generated != "" {
			return usererr.Invalid("partition_by", "partition key column %s is generated: PostgreSQL cannot partition by a generated column", catalog.QuoteIdent(col))
		}
		if seen[col] {
			return usererr.Invalid("partition_by", "partition key column %s appears twice", catalog.QuoteIdent(col))
		}
		seen[col] = true
		q = append(q, catalog.QuoteIdent(col))
	}
	t.Kind = catalog.TablePartitioned
	t.PartitionKey = word + " (" + strings.Join(q, ", ") + ")"
	return nil
}

// partitionColumns returns the plain columns of a partitioned table's key
// (parsed from pg_get_partkeydef's form; expressions are left out) and
// whether the key is only plain columns.
func partitionColumns(t *catalog.Table) ([]string, bool) {
	if t.Kind != catalog.TablePartitioned || t.PartitionKey == "" {
		return nil, true
	}
	open, end := strings.Index(t.PartitionKey, "("), strings.LastIndex(t.PartitionKey, ")")
	if open < 0 || end < open {
		return nil, false
	}
	var out []string
	plain := true
	for _, part := range splitTop(t.PartitionKey[open+1 : end]) {
		part = strings.TrimSpace(part)
		// A key may carry COLLATE or an operator class after the column.
		if f := strings.Fields(part); len(f) > 0 && !strings.ContainsAny(f[0], "()") {
			out = append(out, unquote(f[0]))
			continue
		}
		plain = false
	}
	return out, plain
}

// splitTop splits s at commas outside parentheses and quotes.
func splitTop(s string) []string {
	var out []string
	depth, start, quoted := 0, 0, false
	for i, r := range s {
		switch {
		case r == '"':
			quoted = !quoted
		case quoted:
		case r == '(':
			depth++
		case r == ')':
			depth--
		case r == ',' && depth == 0:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// checkPartitionKeyCovered refuses a primary key or unique index or
// constraint of a partitioned table that does not include every partition
// key column (PostgreSQL enforces uniqueness per partition).
func checkPartitionKeyCovered(t *catalog.Table, what, field string, cols []string) error {
	keyCols, plain := partitionColumns(t)
	if t.Kind != catalog.TablePartitioned {
		return nil
	}
	if !plain {
		return usererr.Invalid(field, "table %s is partitioned by an expression: PostgreSQL cannot enforce a %s on it", t.QualifiedName.String(), what)
	}
	have := map[string]bool{}
	for _, c := range cols {
		have[c] = true
	}
	var missing []string
	for _, c := range keyCols {
		if !have[c] {
			missing = append(missing, catalog.QuoteIdent(c))
		}
	}
	if len(missing) > 0 {
		return usererr.Invalid(field, "table %s is partitioned by %s: a %s on it must include the partition key column(s) %s",
			t.QualifiedName.String(), t.PartitionKey, what, strings.Join(missing, ", "))
	}
	return nil
}

// setUnlogged applies set_unlogged: ALTER TABLE ... SET UNLOGGED or SET
// LOGGED (which rewrite the table).
func (st *state) setUnlogged(i int, op Op) error {
	t, err := st.table(op.Schema, op.Table)
	if err != nil {
		return err
	}
	if t.Kind == catalog.TablePartitioned {
		return usererr.Invalid("unlogged", "table %s is partitioned: a partitioned table is neither logged nor unlogged, its partitions are", t.QualifiedName.String())
	}
	t.Unlogged = op.Unlogged
	for j := range t.Columns {
		if seq := t.Columns[j].IdentitySequence; seq != nil {
			seq.Unlogged = op.Unlogged // PostgreSQL 15 changes the identity sequences with the table
		}
	}
	st.mark(i, tableKey(t.Schema, t.Name), Changed)
	return nil
}

// onlineChoices collects the concurrently and not_valid_first choices of
// the applied operations, keyed by the objects' final names (renames
// applied, dropped objects left out), for diff.Options.
func onlineChoices(ops []Op) (map[catalog.QualifiedName]bool, map[diff.ConstraintRef]bool) {
	idx := map[catalog.QualifiedName]bool{}
	con := map[diff.ConstraintRef]bool{}
	for _, op := range ops {
		switch op.Op {
		case AddIndex:
			if op.Index != nil && op.Index.Concurrently != nil {
				name := op.Index.Name
				if name == "" {
					name = defaultIndexName(op.Table, op.Index)
				}
				idx[catalog.QualifiedName{Schema: op.Schema, Name: name}] = *op.Index.Concurrently
			}
		case AddConstraint:
			if op.Constraint != nil && op.Constraint.NotValidFirst != nil {
				name := op.Constraint.Name
				if name == "" {
					name = defaultConstraintName(op.Table, op.Constraint)
				}
				con[diff.ConstraintRef{Table: catalog.QualifiedName{Schema: op.Schema, Name: op.Table}, Name: name}] = *op.Constraint.NotValidFirst
			}
		case RenameIndex:
			from, to := catalog.QualifiedName{Schema: op.Schema, Name: op.Name}, catalog.QualifiedName{Schema: op.Schema, Name: op.To}
			if v, ok := idx[from]; ok {
				delete(idx, from)
				idx[to] = v
			}
		case DropIndex:
			delete(idx, catalog.QualifiedName{Schema: op.Schema, Name: op.Name})
		case RenameConstraint, DropConstraint:
			from := diff.ConstraintRef{Table: catalog.QualifiedName{Schema: op.Schema, Name: op.Table}, Name: op.Name}
			if v, ok := con[from]; ok {
				delete(con, from)
				if op.Op == RenameConstraint {
					con[diff.ConstraintRef{Table: from.Table, Name: op.To}] = v
				}
			}
		case RenameTable, DropTable:
			from := catalog.QualifiedName{Schema: op.Schema, Name: op.Table}
			for k, v := range con {
				if k.Table == from {
					delete(con, k)
					if op.Op == RenameTable {
						con[diff.ConstraintRef{Table: catalog.QualifiedName{Schema: op.Schema, Name: op.To}, Name: k.Name}] = v
					}
				}
			}
		case RenameSchema, DropSchema:
			nidx := map[catalog.QualifiedName]bool{}
			for k, v := range idx {
				if k.Schema == op.Name {
					if op.Op == DropSchema {
						continue
					}
					k.Schema = op.To
				}
				nidx[k] = v
			}
			idx = nidx
			ncon := map[diff.ConstraintRef]bool{}
			for k, v := range con {
				if k.Table.Schema == op.Name {
					if op.Op == DropSchema {
						continue
					}
					k.Table.Schema = op.To
				}
				ncon[k] = v
			}
			con = ncon
		}
	}
	return idx, con
}

// withOnlineChoices adds the session's per-object choices to opts (the
// caller's own entries win).
func (e *Editor) withOnlineChoices(opts diff.Options) diff.Options {
	idx, con := onlineChoices(e.Ops())
	if len(idx) > 0 {
		m := map[catalog.QualifiedName]bool{}
		for k, v := range idx {
			m[k] = v
		}
		for k, v := range opts.Concurrently {
			m[k] = v
		}
		opts.Concurrently = m
	}
	if len(con) > 0 {
		m := map[diff.ConstraintRef]bool{}
		for k, v := range con {
			m[k] = v
		}
		for k, v := range opts.NotValidFirst {
			m[k] = v
		}
		opts.NotValidFirst = m
	}
	return opts
}

// defaultIndexName is the name add_index gives an index it is not given:
// <table>_<columns or expression words>_idx, at most 63 bytes.
func defaultIndexName(table string, spec *IndexSpec) string {
	parts := append([]string(nil), spec.Columns...)
	for _, k := range spec.Keys {
		switch {
		case strings.TrimSpace(k.Column) != "":
			parts = append(parts, strings.TrimSpace(k.Column))
		case strings.TrimSpace(k.Expression) != "":
			parts = append(parts, exprWord(k.Expression))
		}
	}
	return truncName(table + "_" + strings.Join(parts, "_") + "_idx")
}

// exprWord names an expression key in a default index name, as PostgreSQL
// does: the function's name ("lower"), else "expr".
func exprWord(expr string) string {
	if n, err := parseExpr("keys", "expression", expr); err == nil {
		if fc := n.GetFuncCall(); fc != nil && len(fc.Funcname) > 0 {
			if s := fc.Funcname[len(fc.Funcname)-1].GetString_(); s != nil {
				return s.Sval
			}
		}
	}
	return "expr"
}

// defaultConstraintName is the name add_constraint gives a constraint it
// is not given, as PostgreSQL names them (t_pkey, t_a_key, t_a_fkey,
// t_a_check), at most 63 bytes.
func defaultConstraintName(table string, spec *ConstraintSpec) string {
	suffix := map[string]string{"primary_key": "pkey", "unique": "key", "foreign_key": "fkey", "check": "check"}[spec.Type]
	name := table
	if spec.Type != "primary_key" && len(spec.Columns) > 0 {
		name += "_" + strings.Join(spec.Columns, "_")
	}
	return truncName(name + "_" + suffix)
}

func truncName(name string) string {
	if len(name) > 63 {
		return name[:63]
	}
	return name
}

// optionProblems are the validation problems of the options of table t
// the operations cannot refuse one at a time (renames rewrite expressions,
// as PostgreSQL does; drops do not): a generated column, an expression
// index or a partition key over a column dropped since, a generated column over a column that became
// generated, a key of a partitioned table missing partition key columns,
// and a foreign key from a logged table to an unlogged one. add is
// Validate's recorder.
func (st *state) optionProblems(t *catalog.Table, add func(key string, causes []string, field, format string, args ...any)) {
	s := &st.cur
	tname := t.QualifiedName.String()
	for _, c := range t.Columns {
		if c.Generated == "" {
			continue
		}
		key := columnKey(t.Schema, t.Name, c.Name)
		n, err := parseExpr("generated", "the generated expression", c.Generated)
		if err != nil {
			continue
		}
		for _, col := range exprColumns(n) {
			used := t.Column(col)
			causes := []string{key, columnKey(t.Schema, t.Name, col)}
			switch {
			case used == nil:
				add(key, causes, "generated", "generated column %s of %s uses column %s, which is dropped: drop the generated column too, or keep the column",
					catalog.QuoteIdent(c.Name), tname, catalog.QuoteIdent(col))
			case used.Generated != "":
				add(key, causes, "generated", "generated column %s of %s uses column %s, which is generated too: a generated column can only use ordinary columns",
					catalog.QuoteIdent(c.Name), tname, catalog.QuoteIdent(col))
			}
		}
	}
	for _, x := range t.Indexes {
		key := indexKey(t.Schema, x.Name)
		for _, k := range x.Keys {
			if k.Expression == "" {
				continue
			}
			n, err := parseExpr("keys", "the index expression", k.Expression)
			if err != nil {
				continue
			}
			for _, col := range exprColumns(n) {
				if t.Column(col) == nil {
					add(key, []string{key, columnKey(t.Schema, t.Name, col)}, "keys", "index %s: expression %s uses column %s of %s, which is dropped: drop the index or keep the column",
						catalog.QuoteIdent(x.Name), k.Expression, catalog.QuoteIdent(col), tname)
				}
			}
		}
	}
	if t.Kind == catalog.TablePartitioned {
		keyCols, _ := partitionColumns(t)
		for _, col := range keyCols {
			if t.Column(col) == nil {
				add(tableKey(t.Schema, t.Name), []string{tableKey(t.Schema, t.Name), columnKey(t.Schema, t.Name, col)}, "partition_by",
					"table %s is partitioned by column %s, which is dropped: PostgreSQL cannot drop a partition key column; keep it", tname, catalog.QuoteIdent(col))
			}
		}
	}
	for _, c := range t.Constraints {
		key := constraintKey(t.Schema, t.Name, c.Name)
		switch c.Type {
		case catalog.ConstraintPrimaryKey, catalog.ConstraintUnique:
			if t.Kind == catalog.TablePartitioned && !c.Inherited {
				what := map[catalog.ConstraintType]string{catalog.ConstraintPrimaryKey: "primary key", catalog.ConstraintUnique: "unique constraint"}[c.Type]
				if err := checkPartitionKeyCovered(t, what, "columns", c.Columns); err != nil {
					add(key, []string{key}, "columns", "%s", usererr.From(err).Message)
				}
			}
		case catalog.ConstraintForeignKey:
			if c.RefTable == nil || t.Unlogged {
				continue
			}
			if rt := s.Table(*c.RefTable); rt != nil && rt.Unlogged {
				add(key, []string{key, tableKey(t.Schema, t.Name), tableKey(rt.Schema, rt.Name)}, "ref_table",
					"foreign key %s: %s is logged and references the unlogged table %s, which PostgreSQL refuses: make both logged or both unlogged", catalog.QuoteIdent(c.Name), tname, rt.QualifiedName.String())
			}
		}
	}
}

// deferrableKeyOn names the deferrable key constraint of t on exactly cols
// when t has no other (not deferrable) key on them; "" otherwise.
func deferrableKeyOn(t *catalog.Table, cols []string) string {
	deferrable := ""
	for _, c := range t.Constraints {
		if (c.Type != catalog.ConstraintPrimaryKey && c.Type != catalog.ConstraintUnique) || !sameSet(c.Columns, cols) {
			continue
		}
		if !c.Deferrable {
			return ""
		}
		deferrable = c.Name
	}
	return deferrable
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	set := map[string]bool{}
	for _, x := range a {
		set[x] = true
	}
	for _, x := range b {
		if !set[x] {
			return false
		}
	}
	return true
}

// partitionTable applies partition_table: a table created in the session
// becomes partitioned by op.PartitionBy (nil: not partitioned again). Its
// indexes follow (created ON ONLY the table), and its keys must include
// the partition key columns. An existing table cannot be partitioned in
// place: PostgreSQL needs a new table and the rows moved.
func (st *state) partitionTable(i int, op Op) error {
	t, err := st.table(op.Schema, op.Table)
	if err != nil {
		return err
	}
	if !st.createdInSession(t) {
		return usererr.Invalid("partition_by", "table %s already exists: PostgreSQL cannot partition an existing table in place; create a new partitioned table and move the rows", t.QualifiedName.String())
	}
	next := *t
	next.Kind, next.PartitionKey = catalog.TableRegular, ""
	if op.PartitionBy != nil {
		if t.Unlogged {
			return usererr.Invalid("partition_by", "table %s is UNLOGGED: a partitioned table cannot be (make it logged first)", t.QualifiedName.String())
		}
		if err := setPartitioning(&next, op.PartitionBy); err != nil {
			return err
		}
		for _, c := range t.Constraints {
			if c.Type == catalog.ConstraintPrimaryKey || c.Type == catalog.ConstraintUnique {
				what := map[catalog.ConstraintType]string{catalog.ConstraintPrimaryKey: "primary key", catalog.ConstraintUnique: "unique constraint"}[c.Type]
				if err := checkPartitionKeyCovered(&next, what+" "+catalog.QuoteIdent(c.Name), "partition_by", c.Columns); err != nil {
					return err
				}
			}
		}
		for _, x := range t.Indexes {
			if !x.Unique || x.Constraint != "" {
				continue
			}
			var cols []string
			for _, k := range x.Keys {
				cols = append(cols, k.Column)
			}
			if err := checkPartitionKeyCovered(&next, "unique index "+catalog.QuoteIdent(x.Name), "partition_by", cols); err != nil {
				return err
			}
		}
	}
	t.Kind, t.PartitionKey = next.Kind, next.PartitionKey
	for j := range t.Indexes {
		x := &t.Indexes[j]
		x.Partitioned = t.Kind == catalog.TablePartitioned
		x.Definition = indexDef(t.QualifiedName, x)
	}
	st.mark(i, tableKey(t.Schema, t.Name), Changed)
	return nil
}
