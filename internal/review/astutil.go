package review

import (
	"strconv"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// strVal returns the string of a String node ("" otherwise).
func strVal(n *pg_query.Node) string {
	if n == nil {
		return ""
	}
	if s := n.GetString_(); s != nil {
		return s.Sval
	}
	return ""
}

// nameList joins a list of String nodes with dots.
func nameList(nodes []*pg_query.Node) string {
	parts := make([]string, 0, len(nodes))
	for _, n := range nodes {
		parts = append(parts, strVal(n))
	}
	return strings.Join(parts, ".")
}

// lastName returns the last String of a list (the object name without schema).
func lastName(nodes []*pg_query.Node) string {
	if len(nodes) == 0 {
		return ""
	}
	return strVal(nodes[len(nodes)-1])
}

// schemaOf returns the schema part of a qualified name list ("" when unqualified).
func schemaOf(nodes []*pg_query.Node) string {
	if len(nodes) < 2 {
		return ""
	}
	return strVal(nodes[len(nodes)-2])
}

// typeBase returns a type's canonical base name: lower case, without
// pg_catalog, aliases resolved ("int" and "int4" -> "integer").
func typeBase(tn *pg_query.TypeName) string {
	if tn == nil || len(tn.Names) == 0 {
		return ""
	}
	names := tn.Names
	if len(names) == 2 && strVal(names[0]) == "pg_catalog" {
		return canonicalType(strVal(names[1]))
	}
	if len(names) == 1 {
		return canonicalType(strVal(names[0]))
	}
	return nameList(names)
}

var typeAliases = map[string]string{
	"int": "integer", "int4": "integer", "integer": "integer",
	"int8": "bigint", "bigint": "bigint",
	"int2": "smallint", "smallint": "smallint",
	"serial": "serial", "serial4": "serial",
	"bigserial": "bigserial", "serial8": "bigserial",
	"smallserial": "smallserial", "serial2": "smallserial",
	"float8": "double precision", "double precision": "double precision",
	"float4": "real", "real": "real",
	"bool": "boolean", "boolean": "boolean",
	"varchar": "character varying", "character varying": "character varying",
	"bpchar": "character", "char": "character", "character": "character",
	"timestamp": "timestamp without time zone", "timestamptz": "timestamp with time zone",
	"time": "time without time zone", "timetz": "time with time zone",
	"decimal": "numeric", "numeric": "numeric",
	"varbit": "bit varying", "bit": "bit",
}

// canonicalType resolves aliases of a lower-case type name.
func canonicalType(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if c, ok := typeAliases[s]; ok {
		return c
	}
	return s
}

// typeMods returns integer type modifiers (varchar(20) -> [20]).
func typeMods(tn *pg_query.TypeName) []int {
	var out []int
	for _, m := range tn.Typmods {
		if c := m.GetAConst(); c != nil {
			if iv := c.GetIval(); iv != nil {
				out = append(out, int(iv.Ival))
			}
		}
	}
	return out
}

// typeDisplay renders a type the way format_type does ("character varying(20)", "integer[]").
func typeDisplay(tn *pg_query.TypeName) string {
	if tn == nil {
		return ""
	}
	base := typeBase(tn)
	mods := typeMods(tn)
	s := base
	if len(mods) > 0 && !strings.HasPrefix(base, "timestamp") && !strings.HasPrefix(base, "time ") {
		parts := make([]string, len(mods))
		for i, m := range mods {
			parts[i] = strconv.Itoa(m)
		}
		s += "(" + strings.Join(parts, ",") + ")"
	} else if base == "character" && len(tn.Typmods) == 0 {
		s = "character(1)"
	}
	for range tn.ArrayBounds {
		s += "[]"
	}
	return s
}

// isSerial reports whether the type is a serial pseudo-type.
func isSerial(tn *pg_query.TypeName) bool {
	switch typeBase(tn) {
	case "serial", "bigserial", "smallserial":
		return true
	}
	return false
}

// rel returns a RangeVar's schema and name.
func rel(rv *pg_query.RangeVar) (schema, name string) {
	if rv == nil {
		return "", ""
	}
	return rv.Schemaname, rv.Relname
}

// relDisplay renders a RangeVar as written ("public.t" or "t").
func relDisplay(rv *pg_query.RangeVar) string {
	if rv.Schemaname != "" {
		return rv.Schemaname + "." + rv.Relname
	}
	return rv.Relname
}

// constCString returns the string value of an A_Const string node.
func constString(n *pg_query.Node) (string, bool) {
	if n == nil {
		return "", false
	}
	if c := n.GetAConst(); c != nil {
		if s := c.GetSval(); s != nil {
			return s.Sval, true
		}
	}
	if tc := n.GetTypeCast(); tc != nil {
		return constString(tc.Arg)
	}
	return "", false
}

// stripCasts removes type casts and COLLATE wrappers around an expression.
func stripCasts(n *pg_query.Node) *pg_query.Node {
	for n != nil {
		switch {
		case n.GetTypeCast() != nil:
			n = n.GetTypeCast().Arg
		case n.GetCollateClause() != nil:
			n = n.GetCollateClause().Arg
		default:
			return n
		}
	}
	return nil
}

// funcName returns a FuncCall's name without schema.
func funcName(fc *pg_query.FuncCall) string { return lastName(fc.Funcname) }

// walk visits every Node in the tree of n depth-first (pre-order); fn
// returning false skips the node's children.
func walk(n *pg_query.Node, fn func(n *pg_query.Node) bool) {
	w := treeWalker{node: fn}
	w.walkNode(n)
}

// treeWalker walks parse trees: the common expression and query nodes by
// their fields (fast), everything else by reflection one level at a time.
// node sees every Node; msg (optional) sees the plain messages reached by
// reflection (such as the RangeVar of an INSERT) and the Larg/Rarg of set
// operations. Either returning false skips that subtree.
type treeWalker struct {
	node func(n *pg_query.Node) bool
	msg  func(m proto.Message) bool
}

func (w *treeWalker) walkNodes(ns []*pg_query.Node) {
	for _, n := range ns {
		w.walkNode(n)
	}
}

func (w *treeWalker) walkNode(n *pg_query.Node) {
	if n == nil || n.Node == nil || !w.node(n) {
		return
	}
	switch v := n.Node.(type) {
	case *pg_query.Node_AConst, *pg_query.Node_String_, *pg_query.Node_Integer, *pg_query.Node_Float,
		*pg_query.Node_Boolean, *pg_query.Node_AStar, *pg_query.Node_ParamRef, *pg_query.Node_ColumnRef,
		*pg_query.Node_RangeVar, *pg_query.Node_BitString:
		// leaves (for our purposes)
	case *pg_query.Node_AExpr:
		w.walkNode(v.AExpr.Lexpr)
		w.walkNode(v.AExpr.Rexpr)
	case *pg_query.Node_BoolExpr:
		w.walkNodes(v.BoolExpr.Args)
	case *pg_query.Node_FuncCall:
		w.walkNodes(v.FuncCall.Args)
		w.walkNodes(v.FuncCall.AggOrder)
		w.walkNode(v.FuncCall.AggFilter)
		if v.FuncCall.Over != nil {
			w.walkMessage(v.FuncCall.Over)
		}
	case *pg_query.Node_TypeCast:
		w.walkNode(v.TypeCast.Arg)
	case *pg_query.Node_ResTarget:
		w.walkNodes(v.ResTarget.Indirection)
		w.walkNode(v.ResTarget.Val)
	case *pg_query.Node_List:
		w.walkNodes(v.List.Items)
	case *pg_query.Node_SubLink:
		w.walkNode(v.SubLink.Testexpr)
		w.walkNode(v.SubLink.Subselect)
	case *pg_query.Node_NullTest:
		w.walkNode(v.NullTest.Arg)
	case *pg_query.Node_BooleanTest:
		w.walkNode(v.BooleanTest.Arg)
	case *pg_query.Node_SortBy:
		w.walkNode(v.SortBy.Node)
	case *pg_query.Node_JoinExpr:
		w.walkNode(v.JoinExpr.Larg)
		w.walkNode(v.JoinExpr.Rarg)
		w.walkNode(v.JoinExpr.Quals)
	case *pg_query.Node_RangeSubselect:
		w.walkNode(v.RangeSubselect.Subquery)
	case *pg_query.Node_SelectStmt:
		w.walkSelect(v.SelectStmt)
	default:
		w.walkFields(n.ProtoReflect())
	}
}

func (w *treeWalker) walkSelect(s *pg_query.SelectStmt) {
	if s == nil {
		return
	}
	w.walkNodes(s.DistinctClause)
	w.walkNodes(s.TargetList)
	w.walkNodes(s.FromClause)
	w.walkNode(s.WhereClause)
	w.walkNodes(s.GroupClause)
	w.walkNode(s.HavingClause)
	w.walkNodes(s.WindowClause)
	w.walkNodes(s.ValuesLists)
	w.walkNodes(s.SortClause)
	w.walkNode(s.LimitOffset)
	w.walkNode(s.LimitCount)
	w.walkNodes(s.LockingClause)
	if s.WithClause != nil {
		w.walkMessage(s.WithClause)
	}
	if s.IntoClause != nil {
		w.walkMessage(s.IntoClause)
	}
	for _, arm := range []*pg_query.SelectStmt{s.Larg, s.Rarg} {
		if arm != nil && (w.msg == nil || w.msg(arm)) {
			w.walkSelect(arm)
		}
	}
}

// walkMessage visits a plain (non-Node) message and its fields.
func (w *treeWalker) walkMessage(m proto.Message) {
	if w.msg != nil && !w.msg(m) {
		return
	}
	w.walkFields(m.ProtoReflect())
}

// walkFields visits the message-typed fields of m.
func (w *treeWalker) walkFields(m protoreflect.Message) {
	if !m.IsValid() {
		return
	}
	if n, ok := m.Interface().(*pg_query.Node); ok {
		// a oneof wrapper: descend into the concrete node message
		m = n.ProtoReflect()
		var inner protoreflect.Message
		m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
			if fd.Kind() == protoreflect.MessageKind {
				inner = v.Message()
			}
			return false
		})
		if inner == nil {
			return
		}
		m = inner
	}
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		if fd.Kind() != protoreflect.MessageKind || fd.IsMap() {
			return true
		}
		if fd.IsList() {
			l := v.List()
			for i := 0; i < l.Len(); i++ {
				w.visitValue(l.Get(i).Message())
			}
			return true
		}
		w.visitValue(v.Message())
		return true
	})
}

func (w *treeWalker) visitValue(m protoreflect.Message) {
	if !m.IsValid() {
		return
	}
	if n, ok := m.Interface().(*pg_query.Node); ok {
		w.walkNode(n)
		return
	}
	w.walkMessage(m.Interface())
}

// nodeLocation returns the location field of common expression nodes (-1 unknown).
func nodeLocation(n *pg_query.Node) int {
	switch v := n.Node.(type) {
	case *pg_query.Node_FuncCall:
		return int(v.FuncCall.Location)
	case *pg_query.Node_AExpr:
		return int(v.AExpr.Location)
	case *pg_query.Node_ColumnRef:
		return int(v.ColumnRef.Location)
	case *pg_query.Node_Constraint:
		return int(v.Constraint.Location)
	case *pg_query.Node_ColumnDef:
		return int(v.ColumnDef.Location)
	case *pg_query.Node_RangeVar:
		return int(v.RangeVar.Location)
	case *pg_query.Node_TypeCast:
		return int(v.TypeCast.Location)
	case *pg_query.Node_AConst:
		return int(v.AConst.Location)
	case *pg_query.Node_SubLink:
		return int(v.SubLink.Location)
	case *pg_query.Node_ResTarget:
		return int(v.ResTarget.Location)
	case *pg_query.Node_IndexElem:
		return -1
	}
	return -1
}

// tableElts splits CREATE TABLE elements into column definitions and table constraints.
func tableElts(cs *pg_query.CreateStmt) (cols []*pg_query.ColumnDef, cons []*pg_query.Constraint) {
	for _, e := range cs.TableElts {
		if cd := e.GetColumnDef(); cd != nil {
			cols = append(cols, cd)
		} else if c := e.GetConstraint(); c != nil {
			cons = append(cons, c)
		}
	}
	return cols, cons
}

// colConstraints returns the constraints written on a column definition.
func colConstraints(cd *pg_query.ColumnDef) []*pg_query.Constraint {
	var out []*pg_query.Constraint
	for _, n := range cd.Constraints {
		if c := n.GetConstraint(); c != nil {
			out = append(out, c)
		}
	}
	return out
}

// keyNames returns the column names of a constraint key list.
func keyNames(nodes []*pg_query.Node) []string {
	out := make([]string, 0, len(nodes))
	for _, n := range nodes {
		out = append(out, strVal(n))
	}
	return out
}

// indexColumns returns the key columns of an index ("" for expressions).
func indexColumns(is *pg_query.IndexStmt) []string {
	out := make([]string, 0, len(is.IndexParams))
	for _, p := range is.IndexParams {
		if ie := p.GetIndexElem(); ie != nil {
			out = append(out, ie.Name)
		}
	}
	return out
}

// alterCmds returns the AlterTableCmds of an ALTER TABLE statement.
func alterCmds(at *pg_query.AlterTableStmt) []*pg_query.AlterTableCmd {
	out := make([]*pg_query.AlterTableCmd, 0, len(at.Cmds))
	for _, c := range at.Cmds {
		if cmd := c.GetAlterTableCmd(); cmd != nil {
			out = append(out, cmd)
		}
	}
	return out
}

// hasNotNull reports whether constraints make a column NOT NULL (NOT NULL or PRIMARY KEY).
func hasNotNull(cons []*pg_query.Constraint) bool {
	for _, c := range cons {
		if c.Contype == pg_query.ConstrType_CONSTR_NOTNULL || c.Contype == pg_query.ConstrType_CONSTR_PRIMARY {
			return true
		}
	}
	return false
}

// defaultExpr returns the DEFAULT expression among constraints, or nil.
func defaultExpr(cons []*pg_query.Constraint) *pg_query.Node {
	for _, c := range cons {
		if c.Contype == pg_query.ConstrType_CONSTR_DEFAULT {
			return c.RawExpr
		}
	}
	return nil
}

func hasConstraint(cons []*pg_query.Constraint, t pg_query.ConstrType) *pg_query.Constraint {
	for _, c := range cons {
		if c.Contype == t {
			return c
		}
	}
	return nil
}

// containsFoldASCII reports whether s contains the lower-case ASCII word,
// ignoring case, without allocating (a cheap filter before tree walks).
func containsFoldASCII(s, word string) bool {
	n := len(word)
	for i := 0; i+n <= len(s); i++ {
		j := 0
		for j < n {
			c := s[i+j]
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != word[j] {
				break
			}
			j++
		}
		if j == n {
			return true
		}
	}
	return false
}

// nonVolatile lists built-in functions that are immutable or stable: a
// DEFAULT calling only these is evaluated once by ADD COLUMN (PostgreSQL
// 11+) and rewrites nothing. Any other call (random(), clock_timestamp(),
// gen_random_uuid(), nextval(), user functions of unknown volatility)
// counts as volatile.
var nonVolatile = map[string]bool{
	"now": true, "transaction_timestamp": true, "statement_timestamp": true, "current_setting": true,
	"lower": true, "upper": true, "length": true, "coalesce": true, "nullif": true, "greatest": true, "least": true,
	"concat": true, "format": true, "to_char": true, "to_timestamp": true, "to_date": true, "make_date": true,
	"make_interval": true, "date_trunc": true, "jsonb_build_object": true, "json_build_object": true,
	"jsonb_build_array": true, "json_build_array": true, "array": true, "abs": true, "round": true,
	"current_database": true, "current_schema": true, "current_user": true, "session_user": true,
}

// volatileCall returns the name of the first call in e that may be
// volatile ("" when e is constant or calls only immutable/stable built-ins).
func volatileCall(e *pg_query.Node) string {
	name := ""
	walk(e, func(n *pg_query.Node) bool {
		if fc := n.GetFuncCall(); fc != nil {
			if fn := strings.ToLower(funcName(fc)); !nonVolatile[fn] {
				name = fn
			}
		}
		return name == ""
	})
	return name
}
