package schemaedit

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"
	"github.com/pganalyze/pg_query_go/v6/parser"
	"google.golang.org/protobuf/proto"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/sqlparse"
	"github.com/tidemark-dev/tidemark/internal/usererr"
)

// A view's definition is checked with PostgreSQL's own grammar
// (pg_query), then read against the edited model: the relations it
// reads, the columns it uses and the columns it returns. The reading is
// conservative: where a name could mean something the model cannot tell
// (a CTE, a subquery or function in FROM, a composite field), nothing is
// reported, so a problem named is a problem PostgreSQL would raise too.

// systemColumns are the columns every table has besides its own.
var systemColumns = map[string]bool{"ctid": true, "xmin": true, "xmax": true, "cmin": true, "cmax": true, "tableoid": true}

// parseViewQuery parses a view definition: exactly one query (SELECT,
// VALUES, TABLE or WITH ... SELECT), with or without a final semicolon.
// The returned text is the definition as it is kept (trimmed, no
// semicolon); locations in the tree are byte offsets into it.
func parseViewQuery(def string) (string, *pg_query.SelectStmt, error) {
	text := strings.TrimSpace(def)
	for strings.HasSuffix(text, ";") {
		text = strings.TrimSpace(strings.TrimSuffix(text, ";"))
	}
	if text == "" {
		return "", nil, usererr.Invalid("definition", "the view's definition is empty: write the query it shows (SELECT ...)")
	}
	res, err := pg_query.Parse(text)
	if err != nil {
		var pe *parser.Error
		if errors.As(err, &pe) && pe.Cursorpos > 0 {
			line, col := lineCol(text, pe.Cursorpos)
			return "", nil, usererr.Invalid("definition", "the view's definition is not valid SQL: %s (line %d, column %d)", pe.Message, line, col)
		}
		return "", nil, usererr.Invalid("definition", "the view's definition is not valid SQL: %v", err)
	}
	if len(res.Stmts) != 1 {
		return "", nil, usererr.Invalid("definition", "the view's definition holds %d statements: a view is one query", len(res.Stmts))
	}
	sel := res.Stmts[0].Stmt.GetSelectStmt()
	if sel == nil || sel.IntoClause != nil {
		return "", nil, usererr.Invalid("definition", "the view's definition must be a query (SELECT, VALUES, TABLE or WITH ... SELECT)")
	}
	return text, sel, nil
}

// lineCol turns a 1-based character position into a line and column.
func lineCol(text string, pos int) (int, int) {
	line, col, n := 1, 1, 0
	for _, r := range text {
		n++
		if n >= pos {
			break
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}

// rangeItem is one thing a query's FROM makes visible: a relation of the
// model (known columns) or something whose columns the model cannot tell.
type rangeItem struct {
	name  string // alias, else the relation's name
	rel   catalog.QualifiedName
	alias bool
	known bool
	cols  []catalog.ViewColumn
}

func (it *rangeItem) has(col string) bool {
	if systemColumns[col] || col == it.name {
		return true
	}
	for _, c := range it.cols {
		if c.Name == col {
			return true
		}
	}
	return false
}

// queryScope is the FROM of one query level and the CTE names it sees.
type queryScope struct {
	items  []*rangeItem
	ctes   map[string]bool
	parent *queryScope
}

func (sc *queryScope) isCTE(name string) bool {
	for s := sc; s != nil; s = s.parent {
		if s.ctes[name] {
			return true
		}
	}
	return false
}

// relUse is a relation of the model a query reads, where it was named
// unqualified (insert is the byte offset to qualify it, -1 when it was
// qualified).
type relUse struct {
	rel    catalog.QualifiedName
	view   bool
	insert int
}

// colIssue is a column reference that names no column of the relation
// it can only mean.
type colIssue struct {
	column string
	rel    catalog.QualifiedName // empty when no relation of the FROM has it
	in     []catalog.QualifiedName
}

// viewReader walks a parsed view query against a model.
type viewReader struct {
	s       *catalog.Schema
	rels    []relUse
	missing []string // relations named that the model does not hold
	issues  []colIssue
}

// relationColumns returns the columns of a table or view of the model.
func relationColumns(s *catalog.Schema, q catalog.QualifiedName) ([]catalog.ViewColumn, bool, bool) {
	if t := s.Table(q); t != nil {
		cols := make([]catalog.ViewColumn, 0, len(t.Columns))
		for _, c := range t.Columns {
			cols = append(cols, catalog.ViewColumn{Name: c.Name, Type: c.Type})
		}
		return cols, false, true
	}
	if v := s.View(q); v != nil {
		return v.Columns, true, len(v.Columns) > 0
	}
	return nil, false, false
}

func (r *viewReader) rangeVar(rv *pg_query.RangeVar, sc *queryScope) *rangeItem {
	it := &rangeItem{name: rv.Relname}
	if rv.Alias != nil && rv.Alias.Aliasname != "" {
		it.name, it.alias = rv.Alias.Aliasname, true
	}
	schema := rv.Schemaname
	if schema == "" && sc.isCTE(rv.Relname) {
		return it
	}
	if schema == "pg_catalog" || schema == "information_schema" || rv.Catalogname != "" {
		return it
	}
	q := catalog.QualifiedName{Schema: schema, Name: rv.Relname}
	insert := -1
	if schema == "" {
		if strings.HasPrefix(rv.Relname, "pg_") {
			return it // a system catalog or view, found through pg_catalog
		}
		q.Schema, insert = "public", int(rv.Location)
	}
	cols, isView, known := relationColumns(r.s, q)
	if cols == nil && r.s.Table(q) == nil && r.s.View(q) == nil {
		if schema == "" {
			r.missing = append(r.missing, fmt.Sprintf("%s (no table or view of that name in schema public; qualify a relation of another schema)", catalog.QuoteIdent(rv.Relname)))
		} else {
			r.missing = append(r.missing, q.String())
		}
		return it
	}
	r.rels = append(r.rels, relUse{rel: q, view: isView, insert: insert})
	it.rel, it.known, it.cols = q, known, cols
	return it
}

func (r *viewReader) from(n *pg_query.Node, sc *queryScope) {
	switch x := n.Node.(type) {
	case *pg_query.Node_RangeVar:
		sc.items = append(sc.items, r.rangeVar(x.RangeVar, sc))
	case *pg_query.Node_JoinExpr:
		j := x.JoinExpr
		r.from(j.Larg, sc)
		r.from(j.Rarg, sc)
		if j.Alias != nil {
			sc.items = append(sc.items, &rangeItem{name: j.Alias.Aliasname})
		}
		if j.Quals != nil {
			r.exprs(j.Quals, sc, false)
		}
	case *pg_query.Node_RangeSubselect:
		if sub := x.RangeSubselect.Subquery.GetSelectStmt(); sub != nil {
			r.query(sub, sc)
		}
		it := &rangeItem{}
		if x.RangeSubselect.Alias != nil {
			it.name = x.RangeSubselect.Alias.Aliasname
		}
		sc.items = append(sc.items, it)
	default:
		// Functions, table functions, XMLTABLE: columns the model cannot tell.
		it := &rangeItem{}
		if rf := n.GetRangeFunction(); rf != nil {
			if rf.Alias != nil {
				it.name = rf.Alias.Aliasname
			}
			for _, f := range rf.Functions {
				r.exprs(f, sc, false)
			}
		}
		sc.items = append(sc.items, it)
	}
}

// query reads one SELECT (set operations: both sides) with parent as the
// enclosing scope; it returns the query's own scope.
func (r *viewReader) query(sel *pg_query.SelectStmt, parent *queryScope) *queryScope {
	sc := &queryScope{parent: parent, ctes: map[string]bool{}}
	if w := sel.WithClause; w != nil {
		for _, c := range w.Ctes {
			if cte := c.GetCommonTableExpr(); cte != nil {
				sc.ctes[cte.Ctename] = true
			}
		}
		for _, c := range w.Ctes {
			if cte := c.GetCommonTableExpr(); cte != nil {
				if q := cte.Ctequery.GetSelectStmt(); q != nil {
					r.query(q, sc)
				}
			}
		}
	}
	if sel.Op != pg_query.SetOperation_SETOP_NONE {
		if sel.Larg != nil {
			r.query(sel.Larg, sc)
		}
		if sel.Rarg != nil {
			r.query(sel.Rarg, sc)
		}
		return sc
	}
	for _, f := range sel.FromClause {
		r.from(f, sc)
	}
	for _, n := range sel.TargetList {
		r.exprs(n, sc, false)
	}
	for _, n := range []*pg_query.Node{sel.WhereClause, sel.HavingClause, sel.LimitCount, sel.LimitOffset} {
		if n != nil {
			r.exprs(n, sc, false)
		}
	}
	for _, l := range [][]*pg_query.Node{sel.WindowClause, sel.DistinctClause} {
		for _, n := range l {
			r.exprs(n, sc, false)
		}
	}
	for _, vl := range sel.ValuesLists {
		r.exprs(vl, sc, false)
	}
	// GROUP BY and ORDER BY may name output columns: only qualified
	// references are checked there.
	for _, l := range [][]*pg_query.Node{sel.GroupClause, sel.SortClause} {
		for _, n := range l {
			r.exprs(n, sc, true)
		}
	}
	return sc
}

// exprs checks the column references under n; subqueries get their own
// scope inside sc.
func (r *viewReader) exprs(n *pg_query.Node, sc *queryScope, qualifiedOnly bool) {
	sqlparse.Walk(n, func(m proto.Message) bool {
		switch x := m.(type) {
		case *pg_query.SelectStmt:
			r.query(x, sc)
			return false
		case *pg_query.ColumnRef:
			r.columnRef(x, sc, qualifiedOnly)
			return false
		}
		return true
	})
}

func (r *viewReader) columnRef(c *pg_query.ColumnRef, sc *queryScope, qualifiedOnly bool) {
	var f []string
	for _, n := range c.Fields {
		if n.GetAStar() != nil {
			return // * and t.*
		}
		f = append(f, n.GetString_().GetSval())
	}
	switch len(f) {
	case 1:
		if qualifiedOnly {
			return
		}
		var in []catalog.QualifiedName
		for s := sc; s != nil; s = s.parent {
			for _, it := range s.items {
				if !it.known {
					return // a subquery, function or CTE may have it
				}
				if it.has(f[0]) {
					return
				}
				in = append(in, it.rel)
			}
		}
		if len(in) > 0 {
			r.issues = append(r.issues, colIssue{column: f[0], in: in})
		}
	case 2, 3:
		for s := sc; s != nil; s = s.parent {
			for _, it := range s.items {
				match := it.name == f[0] && len(f) == 2
				if len(f) == 3 {
					match = !it.alias && it.rel.Schema == f[0] && it.rel.Name == f[1]
				}
				if !match {
					continue
				}
				col := f[len(f)-1]
				if it.known && !it.has(col) {
					r.issues = append(r.issues, colIssue{column: col, rel: it.rel})
				}
				return
			}
		}
	}
}

// outputColumns names the columns a query returns as PostgreSQL names
// them, with their types where the model tells (else ""); ok is false
// when a * cannot be expanded from the model. parent is the enclosing
// scope (nil for the view's query).
func outputColumns(s *catalog.Schema, sel *pg_query.SelectStmt, parent *queryScope) ([]catalog.ViewColumn, bool) {
	if sel.Op != pg_query.SetOperation_SETOP_NONE {
		if sel.Larg == nil {
			return nil, false
		}
		sc := &queryScope{parent: parent, ctes: map[string]bool{}}
		if w := sel.WithClause; w != nil {
			for _, c := range w.Ctes {
				sc.ctes[c.GetCommonTableExpr().GetCtename()] = true
			}
		}
		return outputColumns(s, sel.Larg, sc)
	}
	sc := (&viewReader{s: s}).query(sel, parent)
	if len(sel.ValuesLists) > 0 {
		n := len(sel.ValuesLists[0].GetList().GetItems())
		out := make([]catalog.ViewColumn, n)
		for i := range out {
			out[i].Name = fmt.Sprintf("column%d", i+1)
		}
		return out, true
	}
	var out []catalog.ViewColumn
	for _, t := range sel.TargetList {
		rt := t.GetResTarget()
		if rt == nil {
			continue
		}
		if cr := rt.Val.GetColumnRef(); cr != nil && len(cr.Fields) > 0 && cr.Fields[len(cr.Fields)-1].GetAStar() != nil {
			cols, ok := expandStar(cr, sc)
			if !ok {
				return nil, false
			}
			out = append(out, cols...)
			continue
		}
		c := catalog.ViewColumn{Name: rt.Name, Type: exprType(rt.Val, sc)}
		if c.Name == "" {
			c.Name = columnName(rt.Val)
		}
		out = append(out, c)
	}
	return out, true
}

func expandStar(cr *pg_query.ColumnRef, sc *queryScope) ([]catalog.ViewColumn, bool) {
	var out []catalog.ViewColumn
	if len(cr.Fields) == 1 {
		for _, it := range sc.items {
			if !it.known {
				return nil, false
			}
			out = append(out, it.cols...)
		}
		return out, len(sc.items) > 0
	}
	name := cr.Fields[len(cr.Fields)-2].GetString_().GetSval()
	for _, it := range sc.items {
		if it.name == name {
			return append(out, it.cols...), it.known
		}
	}
	return nil, false
}

// columnName is PostgreSQL's FigureColname for the common expressions.
func columnName(n *pg_query.Node) string {
	switch x := n.Node.(type) {
	case *pg_query.Node_ColumnRef:
		f := x.ColumnRef.Fields
		return f[len(f)-1].GetString_().GetSval()
	case *pg_query.Node_FuncCall:
		f := x.FuncCall.Funcname
		return f[len(f)-1].GetString_().GetSval()
	case *pg_query.Node_TypeCast:
		if name := columnName(x.TypeCast.Arg); name != "?column?" {
			return name
		}
		if tn := x.TypeCast.TypeName; tn != nil && len(tn.Names) > 0 {
			return tn.Names[len(tn.Names)-1].GetString_().GetSval()
		}
	case *pg_query.Node_AIndirection:
		for i := len(x.AIndirection.Indirection) - 1; i >= 0; i-- {
			if s := x.AIndirection.Indirection[i].GetString_(); s != nil {
				return s.Sval
			}
		}
		return columnName(x.AIndirection.Arg)
	case *pg_query.Node_CaseExpr:
		return "case"
	case *pg_query.Node_AArrayExpr:
		return "array"
	case *pg_query.Node_CoalesceExpr:
		return "coalesce"
	case *pg_query.Node_NullIfExpr:
		return "nullif"
	case *pg_query.Node_MinMaxExpr:
		if x.MinMaxExpr.Op == pg_query.MinMaxOp_IS_GREATEST {
			return "greatest"
		}
		return "least"
	case *pg_query.Node_SubLink:
		switch x.SubLink.SubLinkType {
		case pg_query.SubLinkType_EXISTS_SUBLINK:
			return "exists"
		case pg_query.SubLinkType_ARRAY_SUBLINK:
			return "array"
		case pg_query.SubLinkType_EXPR_SUBLINK:
			if sub := x.SubLink.Subselect.GetSelectStmt(); sub != nil && len(sub.TargetList) == 1 {
				if rt := sub.TargetList[0].GetResTarget(); rt != nil {
					if rt.Name != "" {
						return rt.Name
					}
					return columnName(rt.Val)
				}
			}
		}
	case *pg_query.Node_RowExpr:
		return "row"
	}
	return "?column?"
}

// exprType is the type of an output expression where the model tells:
// a column reference, a cast to a built-in type, count(...) ("" otherwise).
func exprType(n *pg_query.Node, sc *queryScope) string {
	if tc := n.GetTypeCast(); tc != nil && tc.TypeName != nil && len(tc.TypeName.Names) > 0 && len(tc.TypeName.Typmods) == 0 && len(tc.TypeName.ArrayBounds) == 0 {
		name := tc.TypeName.Names[len(tc.TypeName.Names)-1].GetString_().GetSval()
		if b, ok := builtinTypes[name]; ok {
			return b[0]
		}
		return ""
	}
	if fc := n.GetFuncCall(); fc != nil && len(fc.Funcname) == 1 && fc.Funcname[0].GetString_().GetSval() == "count" && fc.Over == nil {
		return "bigint"
	}
	cr := n.GetColumnRef()
	if cr == nil {
		return ""
	}
	var f []string
	for _, x := range cr.Fields {
		f = append(f, x.GetString_().GetSval())
	}
	for _, it := range sc.items {
		if !it.known || (len(f) == 2 && it.name != f[0]) || len(f) > 2 {
			continue
		}
		for _, c := range it.cols {
			if c.Name == f[len(f)-1] {
				return c.Type
			}
		}
	}
	return ""
}

// describeIssue words a column reference that names no column.
func describeIssue(c colIssue) string {
	if c.rel.Name != "" {
		return fmt.Sprintf("column %s of %s", catalog.QuoteIdent(c.column), c.rel.String())
	}
	seen := map[string]bool{}
	var names []string
	for _, q := range c.in {
		if !seen[q.String()] {
			seen[q.String()] = true
			names = append(names, q.String())
		}
	}
	sort.Strings(names)
	return fmt.Sprintf("column %s (not a column of %s)", catalog.QuoteIdent(c.column), strings.Join(names, ", "))
}
