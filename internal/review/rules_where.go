package review

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"
)

func whereFunctionsRule() *rule {
	return &rule{
		RuleInfo: RuleInfo{ID: "statement.where.disallow-functions-and-calculations", Family: "statement",
			Title:     "No functions or calculations on indexed columns in WHERE",
			Rationale: "A condition like upper(email) = 'X' or id + 1 > 5 cannot use a plain index on the column, so the planner falls back to a scan. Compare the bare column (move the calculation to the other side) or create an expression index. Columns are resolved against the simulated catalog through aliases, joins, CTEs and correlated subqueries; only columns that are indexed are reported.",
			Level:     Warning, Example: "SELECT id FROM users WHERE lower(email) = 'a@example.com';"},
		stmt: func(c *ctx) {
			w := &whereWalker{c: c}
			w.statement(c.node, nil, nil)
		},
	}
}

// relation is one FROM item visible in a query scope.
type relation struct {
	name  string   // alias or table name
	table *Table   // catalog table when a base table
	cols  []string // output columns of CTEs/subqueries/functions; nil = unknown
	known bool     // cols is authoritative (or table is set)
}

type scope struct {
	rels  []*relation
	outer *scope
}

type cteEnv struct {
	name string
	cols []string
	next *cteEnv
}

func (e *cteEnv) find(name string) *cteEnv {
	for ; e != nil; e = e.next {
		if e.name == name {
			return e
		}
	}
	return nil
}

type whereWalker struct{ c *ctx }

// statement visits any statement that contains queries.
func (w *whereWalker) statement(n *pg_query.Node, outer *scope, env *cteEnv) {
	if n == nil {
		return
	}
	switch s := n.Node.(type) {
	case *pg_query.Node_SelectStmt:
		w.selectStmt(s.SelectStmt, outer, env)
	case *pg_query.Node_InsertStmt:
		is := s.InsertStmt
		env = w.with(is.WithClause, outer, env)
		w.statement(is.SelectStmt, outer, env)
		sc := &scope{outer: outer}
		w.addRangeVar(sc, is.Relation, env)
		if oc := is.OnConflictClause; oc != nil {
			if oc.Infer != nil {
				w.expr(oc.Infer.WhereClause, sc, env)
			}
			w.expr(oc.WhereClause, sc, env)
			w.sublinks(oc.TargetList, sc, env)
		}
		w.sublinks(is.ReturningList, sc, env)
	case *pg_query.Node_UpdateStmt:
		us := s.UpdateStmt
		env = w.with(us.WithClause, outer, env)
		sc := &scope{outer: outer}
		w.addRangeVar(sc, us.Relation, env)
		quals := w.from(sc, us.FromClause, env)
		w.expr(us.WhereClause, sc, env)
		for _, q := range quals {
			w.expr(q, sc, env)
		}
		w.sublinks(us.TargetList, sc, env)
		w.sublinks(us.ReturningList, sc, env)
	case *pg_query.Node_DeleteStmt:
		ds := s.DeleteStmt
		env = w.with(ds.WithClause, outer, env)
		sc := &scope{outer: outer}
		w.addRangeVar(sc, ds.Relation, env)
		quals := w.from(sc, ds.UsingClause, env)
		w.expr(ds.WhereClause, sc, env)
		for _, q := range quals {
			w.expr(q, sc, env)
		}
		w.sublinks(ds.ReturningList, sc, env)
	case *pg_query.Node_MergeStmt:
		ms := s.MergeStmt
		env = w.with(ms.WithClause, outer, env)
		sc := &scope{outer: outer}
		w.addRangeVar(sc, ms.Relation, env)
		quals := w.from(sc, []*pg_query.Node{ms.SourceRelation}, env)
		for _, q := range quals {
			w.expr(q, sc, env)
		}
		w.expr(ms.JoinCondition, sc, env)
		for _, wc := range ms.MergeWhenClauses {
			if m := wc.GetMergeWhenClause(); m != nil {
				w.expr(m.Condition, sc, env)
				w.sublinks(m.TargetList, sc, env)
				w.sublinks(m.Values, sc, env)
			}
		}
		w.sublinks(ms.ReturningList, sc, env)
	case *pg_query.Node_CreateTableAsStmt:
		w.statement(s.CreateTableAsStmt.Query, outer, env)
	case *pg_query.Node_ViewStmt:
		w.statement(s.ViewStmt.Query, outer, env)
	case *pg_query.Node_ExplainStmt:
		w.statement(s.ExplainStmt.Query, outer, env)
	}
}

// with visits the CTEs of a WITH clause and returns the environment they define.
func (w *whereWalker) with(wc *pg_query.WithClause, outer *scope, env *cteEnv) *cteEnv {
	if wc == nil {
		return env
	}
	if wc.Recursive {
		for _, n := range wc.Ctes {
			if cte := n.GetCommonTableExpr(); cte != nil {
				env = &cteEnv{name: cte.Ctename, cols: cteColumns(cte), next: env}
			}
		}
		for _, n := range wc.Ctes {
			if cte := n.GetCommonTableExpr(); cte != nil {
				w.statement(cte.Ctequery, outer, env)
			}
		}
		return env
	}
	for _, n := range wc.Ctes {
		if cte := n.GetCommonTableExpr(); cte != nil {
			w.statement(cte.Ctequery, outer, env)
			env = &cteEnv{name: cte.Ctename, cols: cteColumns(cte), next: env}
		}
	}
	return env
}

func (w *whereWalker) selectStmt(s *pg_query.SelectStmt, outer *scope, env *cteEnv) {
	if s == nil {
		return
	}
	env = w.with(s.WithClause, outer, env)
	if s.Op != pg_query.SetOperation_SETOP_NONE {
		w.selectStmt(s.Larg, outer, env)
		w.selectStmt(s.Rarg, outer, env)
		return
	}
	sc := &scope{outer: outer}
	quals := w.from(sc, s.FromClause, env)
	w.expr(s.WhereClause, sc, env)
	for _, q := range quals {
		w.expr(q, sc, env)
	}
	w.sublinks(s.TargetList, sc, env)
	w.sublinks([]*pg_query.Node{s.HavingClause}, sc, env)
	w.sublinks(s.GroupClause, sc, env)
	w.sublinks(s.SortClause, sc, env)
	for _, vl := range s.ValuesLists {
		w.sublinks([]*pg_query.Node{vl}, sc, env)
	}
}

// from adds the FROM items to sc and returns the JOIN ... ON conditions to examine.
func (w *whereWalker) from(sc *scope, items []*pg_query.Node, env *cteEnv) []*pg_query.Node {
	var quals []*pg_query.Node
	for _, it := range items {
		if it == nil {
			continue
		}
		switch v := it.Node.(type) {
		case *pg_query.Node_RangeVar:
			w.addRangeVar(sc, v.RangeVar, env)
		case *pg_query.Node_RangeSubselect:
			rs := v.RangeSubselect
			w.statement(rs.Subquery, sc.outer, env)
			r := &relation{}
			if rs.Alias != nil {
				r.name = rs.Alias.Aliasname
			}
			if sel := rs.Subquery.GetSelectStmt(); sel != nil {
				r.cols, r.known = selectColumns(sel)
			}
			if rs.Alias != nil && len(rs.Alias.Colnames) > 0 {
				r.cols, r.known = keyNames(rs.Alias.Colnames), true
			}
			sc.rels = append(sc.rels, r)
		case *pg_query.Node_RangeFunction:
			rf := v.RangeFunction
			r := &relation{}
			if rf.Alias != nil {
				r.name = rf.Alias.Aliasname
				if len(rf.Alias.Colnames) > 0 {
					r.cols, r.known = keyNames(rf.Alias.Colnames), true
				}
			}
			sc.rels = append(sc.rels, r)
		case *pg_query.Node_JoinExpr:
			je := v.JoinExpr
			quals = append(quals, w.from(sc, []*pg_query.Node{je.Larg, je.Rarg}, env)...)
			if je.Quals != nil {
				quals = append(quals, je.Quals)
			}
		default:
			sc.rels = append(sc.rels, &relation{})
		}
	}
	return quals
}

func (w *whereWalker) addRangeVar(sc *scope, rv *pg_query.RangeVar, env *cteEnv) {
	if rv == nil {
		return
	}
	r := &relation{name: rv.Relname}
	if rv.Alias != nil {
		r.name = rv.Alias.Aliasname
	}
	if cte := env.find(rv.Relname); rv.Schemaname == "" && cte != nil {
		r.cols, r.known = cte.cols, cte.cols != nil
	} else if t := w.c.cat.resolve(rv.Schemaname, rv.Relname); t != nil {
		r.table, r.known = t, true
	}
	sc.rels = append(sc.rels, r)
}

// sublinks visits the subqueries inside expressions that are not themselves examined.
func (w *whereWalker) sublinks(nodes []*pg_query.Node, sc *scope, env *cteEnv) {
	for _, n := range nodes {
		if n == nil {
			continue
		}
		walk(n, func(x *pg_query.Node) bool {
			if sl := x.GetSubLink(); sl != nil {
				w.statement(sl.Subselect, sc, env)
				return false
			}
			return true
		})
	}
}

var arithmeticOps = map[string]bool{"+": true, "-": true, "*": true, "/": true, "%": true, "^": true, "||": false}

// expr examines a WHERE/ON condition.
func (w *whereWalker) expr(n *pg_query.Node, sc *scope, env *cteEnv) {
	if n == nil {
		return
	}
	walk(n, func(x *pg_query.Node) bool {
		switch v := x.Node.(type) {
		case *pg_query.Node_SubLink:
			w.statement(v.SubLink.Subselect, sc, env)
			w.expr(v.SubLink.Testexpr, sc, env)
			return false
		case *pg_query.Node_FuncCall:
			fc := v.FuncCall
			direct := false
			for _, a := range fc.Args {
				if col, ok := w.indexedColumn(stripCasts(a), sc); ok {
					w.c.reportAt(int(fc.Location), "Function %q is applied to indexed column %q in the WHERE clause, which prevents index usage", strings.ToUpper(funcName(fc)), col)
					direct = true
				}
			}
			if !direct {
				for _, a := range fc.Args {
					w.expr(a, sc, env)
				}
			}
			return false
		case *pg_query.Node_AExpr:
			e := v.AExpr
			if e.Kind == pg_query.A_Expr_Kind_AEXPR_OP && len(e.Name) == 1 && arithmeticOps[strVal(e.Name[0])] {
				reported := false
				for _, side := range []*pg_query.Node{e.Lexpr, e.Rexpr} {
					if col, ok := w.indexedColumn(stripCasts(side), sc); ok && !reported {
						w.c.reportAt(int(e.Location), "Calculation is applied to indexed column %q in the WHERE clause, which prevents index usage", col)
						reported = true
					}
				}
				if !reported {
					w.expr(e.Lexpr, sc, env)
					w.expr(e.Rexpr, sc, env)
				}
				return false
			}
		}
		return true
	})
}

// indexedColumn resolves a column reference through the scopes and reports
// whether it is an indexed column of a base table.
func (w *whereWalker) indexedColumn(n *pg_query.Node, sc *scope) (string, bool) {
	if n == nil {
		return "", false
	}
	cr := n.GetColumnRef()
	if cr == nil || len(cr.Fields) == 0 {
		return "", false
	}
	col := strVal(cr.Fields[len(cr.Fields)-1])
	if col == "" {
		return "", false
	}
	if len(cr.Fields) >= 2 {
		qual := strVal(cr.Fields[len(cr.Fields)-2])
		for s := sc; s != nil; s = s.outer {
			for _, r := range s.rels {
				if r.name == qual {
					return col, r.table != nil && r.table.Column(col) != nil && r.table.Indexed(col)
				}
			}
		}
		return "", false
	}
	for s := sc; s != nil; s = s.outer {
		stop := false
		for _, r := range s.rels {
			switch {
			case r.table != nil:
				if r.table.Column(col) != nil {
					return col, r.table.Indexed(col)
				}
			case !r.known || containsString(r.cols, col):
				stop = true // a relation whose columns we cannot see may own it
			}
		}
		if stop {
			return "", false
		}
	}
	return "", false
}

// cteColumns returns a CTE's output column names (nil when unknown).
func cteColumns(cte *pg_query.CommonTableExpr) []string {
	if len(cte.Aliascolnames) > 0 {
		return keyNames(cte.Aliascolnames)
	}
	if sel := cte.Ctequery.GetSelectStmt(); sel != nil {
		cols, _ := selectColumns(sel)
		return cols
	}
	return nil
}

// selectColumns returns the output names of a SELECT (false when a * hides them).
func selectColumns(s *pg_query.SelectStmt) ([]string, bool) {
	for s.Op != pg_query.SetOperation_SETOP_NONE && s.Larg != nil {
		s = s.Larg
	}
	var out []string
	for _, t := range s.TargetList {
		rt := t.GetResTarget()
		if rt == nil {
			continue
		}
		switch {
		case rt.Name != "":
			out = append(out, rt.Name)
		case rt.Val.GetColumnRef() != nil:
			f := rt.Val.GetColumnRef().Fields
			if f[len(f)-1].GetAStar() != nil {
				return nil, false
			}
			out = append(out, strVal(f[len(f)-1]))
		case rt.Val.GetFuncCall() != nil:
			out = append(out, funcName(rt.Val.GetFuncCall()))
		default:
			out = append(out, "?column?")
		}
	}
	return out, true
}
