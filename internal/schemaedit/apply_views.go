package schemaedit

import (
	"sort"
	"strings"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/diff"
	"github.com/tidemark-dev/tidemark/internal/usererr"
)

// View operations (drop_view is DropView in ops.go; it drops a view or a
// materialized view).
const (
	// CreateView creates a view or materialized view: schema, name, view.
	CreateView OpKind = "create_view"
	// AlterView changes a view's definition: schema, name, view.definition.
	AlterView OpKind = "alter_view"
	// RenameView renames a view or materialized view: schema, name, to.
	RenameView OpKind = "rename_view"
)

// ViewSpec is the definition of a view: the query it shows, checked with
// PostgreSQL's grammar and read against the model (the relations and
// columns it names must exist).
type ViewSpec struct {
	// Definition is the query; alter_view keeps the current one when it is
	// empty and an option is set.
	Definition string `json:"definition"`
	// Materialized makes create_view create a materialized view (WITH DATA).
	Materialized bool `json:"materialized,omitempty"`
	// Options of a view (nil: unchanged; on create_view: none):
	// CheckOption is "local", "cascaded" or "" (no WITH CHECK OPTION);
	// SecurityBarrier and SecurityInvoker are the view options.
	CheckOption     *string `json:"check_option,omitempty"`
	SecurityBarrier *bool   `json:"security_barrier,omitempty"`
	SecurityInvoker *bool   `json:"security_invoker,omitempty"`
	// WithNoData leaves a materialized view unpopulated (WITH NO DATA);
	// changing it on an existing one re-creates it.
	WithNoData *bool `json:"with_no_data,omitempty"`
}

// hasOptions reports whether the spec sets any option.
func (v *ViewSpec) hasOptions() bool {
	return v.CheckOption != nil || v.SecurityBarrier != nil || v.SecurityInvoker != nil || v.WithNoData != nil
}

// setViewOptions applies spec's options to v (its reloptions rebuilt, the
// others kept): WITH CHECK OPTION and the security options are for views,
// WITH NO DATA for materialized views.
func setViewOptions(v *catalog.View, spec *ViewSpec) error {
	word := "a view"
	if v.Materialized {
		word = "a materialized view"
	}
	if v.Materialized && (spec.CheckOption != nil || spec.SecurityBarrier != nil || spec.SecurityInvoker != nil) {
		return usererr.Invalid("view", "%s has no WITH CHECK OPTION, security_barrier or security_invoker: those are options of views", word)
	}
	if !v.Materialized && spec.WithNoData != nil {
		return usererr.Invalid("with_no_data", "WITH NO DATA is for materialized views: %s holds no rows of its own", word)
	}
	if c := spec.CheckOption; c != nil {
		switch *c {
		case "", "local", "cascaded":
			v.CheckOption = *c
		default:
			return usererr.Invalid("check_option", "the check option is local, cascaded or none, not %q", *c)
		}
	}
	if spec.SecurityBarrier != nil {
		v.SecurityBarrier = *spec.SecurityBarrier
	}
	if spec.SecurityInvoker != nil {
		v.SecurityInvoker = *spec.SecurityInvoker
	}
	if spec.WithNoData != nil {
		v.WithNoData = *spec.WithNoData
	}
	if v.Materialized {
		return nil
	}
	var opts []string
	for _, o := range v.Options {
		switch k, _, _ := strings.Cut(o, "="); k {
		case "check_option", "security_barrier", "security_invoker":
		default:
			opts = append(opts, o)
		}
	}
	if v.CheckOption != "" {
		opts = append(opts, "check_option="+v.CheckOption)
	}
	if v.SecurityBarrier {
		opts = append(opts, "security_barrier=true")
	}
	if v.SecurityInvoker {
		opts = append(opts, "security_invoker=true")
	}
	sort.Strings(opts)
	v.Options = opts
	return nil
}

func viewKey(schema, name string) string { return "view:" + catalog.QuoteQualified(schema, name) }

// applyView applies the view operations.
func (st *state) applyView(i int, op Op) error {
	switch op.Op {
	case CreateView:
		return st.createView(i, op)
	case AlterView:
		return st.alterView(i, op)
	case RenameView:
		return st.renameView(i, op)
	}
	return usererr.Invalid("op", "unknown view operation %q", op.Op)
}

// checkedView parses def and reads it against the model: a syntax error,
// a relation or column the model does not hold, or two output columns of
// the same name are refused. It returns the definition to keep (names of
// relations the user left unqualified are qualified with public, as
// PostgreSQL resolves them and as pg_get_viewdef renders them, so later
// renames follow), its output columns (nil when a * cannot be expanded)
// and the relations it reads.
func (st *state) checkedView(def string) (string, []catalog.ViewColumn, []relUse, error) {
	text, sel, err := parseViewQuery(def)
	if err != nil {
		return "", nil, nil, err
	}
	r := &viewReader{s: &st.cur}
	r.query(sel, nil)
	if len(r.missing) > 0 {
		return "", nil, nil, usererr.Invalid("definition", "the view reads %s, which does not exist", r.missing[0])
	}
	if len(r.issues) > 0 {
		return "", nil, nil, usererr.Invalid("definition", "the view uses %s, which does not exist", describeIssue(r.issues[0]))
	}
	cols, ok := outputColumns(&st.cur, sel, nil)
	if ok {
		seen := map[string]bool{}
		for _, c := range cols {
			if seen[c.Name] {
				return "", nil, nil, usererr.Invalid("definition", "the view returns two columns named %s: give one of them another name (AS ...)", catalog.QuoteIdent(c.Name))
			}
			seen[c.Name] = true
		}
	} else {
		cols = nil
	}
	// Qualify from the end, so earlier offsets stay right.
	uses := append([]relUse(nil), r.rels...)
	sort.Slice(uses, func(a, b int) bool { return uses[a].insert > uses[b].insert })
	for _, u := range uses {
		if u.insert >= 0 && u.insert <= len(text) {
			text = text[:u.insert] + catalog.QuoteIdent(u.rel.Schema) + "." + text[u.insert:]
		}
	}
	return text, cols, r.rels, nil
}

// relationDeps are the dependency references of the relations a view reads.
func relationDeps(uses []relUse) []catalog.ObjectRef {
	var out []catalog.ObjectRef
	seen := map[catalog.ObjectRef]bool{}
	for _, u := range uses {
		ref := catalog.ObjectRef{Kind: catalog.KindTable, Schema: u.rel.Schema, Name: u.rel.Name}
		if u.view {
			ref.Kind = catalog.KindView
		}
		if !seen[ref] {
			seen[ref] = true
			out = append(out, ref)
		}
	}
	return out
}

func (st *state) createView(i int, op Op) error {
	s := &st.cur
	if err := needName("name", op.Name); err != nil {
		return err
	}
	if s.Namespace(op.Schema) == nil {
		return usererr.Invalid("schema", "there is no schema %s", catalog.QuoteIdent(op.Schema))
	}
	if what := relationNamed(s, op.Schema, op.Name); what != "" {
		return usererr.Invalid("name", "%s is already the name of %s", catalog.QuoteQualified(op.Schema, op.Name), what)
	}
	if op.View == nil {
		return usererr.Invalid("view", "create_view needs the view's definition (view.definition)")
	}
	def, cols, uses, err := st.checkedView(op.View.Definition)
	if err != nil {
		return err
	}
	if cols == nil {
		// A * over a subquery or function: the columns are left to the
		// database (the next sync reads them); views over this one are
		// then not checked column by column.
		cols = []catalog.ViewColumn{}
	}
	v := catalog.View{QualifiedName: catalog.QualifiedName{Schema: op.Schema, Name: op.Name}, Materialized: op.View.Materialized,
		Definition: def, Columns: cols, Comment: op.Comment, DependsOn: relationDeps(uses)}
	if err := setViewOptions(&v, op.View); err != nil {
		return err
	}
	s.Views = append(s.Views, v)
	sort.SliceStable(s.Views, func(a, b int) bool { return s.Views[a].QualifiedName.Less(s.Views[b].QualifiedName) })
	st.mark(i, viewKey(op.Schema, op.Name), Created)
	return nil
}

func (st *state) alterView(i int, op Op) error {
	q := catalog.QualifiedName{Schema: op.Schema, Name: op.Name}
	v := st.cur.View(q)
	if v == nil {
		return usererr.Invalid("name", "there is no view %s", q.String())
	}
	if op.View == nil {
		return usererr.Invalid("view", "alter_view needs the new definition (view.definition) or an option")
	}
	if strings.TrimSpace(op.View.Definition) == "" && op.View.hasOptions() {
		// only options: the query stays
		c := *v
		c.Options = append([]string(nil), v.Options...)
		if err := setViewOptions(&c, op.View); err != nil {
			return err
		}
		*v = c
		st.mark(i, viewKey(op.Schema, op.Name), Changed)
		return nil
	}
	def, cols, uses, err := st.checkedView(op.View.Definition)
	if err != nil {
		return err
	}
	if cols == nil {
		cols = v.Columns // a * over what the model cannot tell: assume the columns stay
	}
	old := v.Columns
	next := make([]catalog.ViewColumn, len(cols))
	for j, c := range cols {
		next[j] = catalog.ViewColumn{Name: c.Name, Type: c.Type}
		if j < len(old) && old[j].Name == c.Name && c.Type == "" {
			next[j].Type = old[j].Type // the same column where the model cannot tell its type
		}
		for _, o := range old {
			if o.Name == c.Name {
				next[j].Comment, next[j].Default, next[j].ACL = o.Comment, o.Default, o.ACL
			}
		}
	}
	var deps []catalog.ObjectRef
	for _, d := range v.DependsOn {
		if d.Kind != catalog.KindTable && d.Kind != catalog.KindView {
			deps = append(deps, d) // functions, types: kept
		}
	}
	c := *v
	c.Options = append([]string(nil), v.Options...)
	if err := setViewOptions(&c, op.View); err != nil {
		return err
	}
	*v = c
	v.Definition, v.Columns, v.DependsOn = def, next, append(deps, relationDeps(uses)...)
	st.mark(i, viewKey(op.Schema, op.Name), Changed)
	return nil
}

func (st *state) renameView(i int, op Op) error {
	if err := needName("to", op.To); err != nil {
		return err
	}
	if st.cur.View(catalog.QualifiedName{Schema: op.Schema, Name: op.Name}) == nil {
		return usererr.Invalid("name", "there is no view %s", catalog.QuoteQualified(op.Schema, op.Name))
	}
	if what := relationNamed(&st.cur, op.Schema, op.To); what != "" {
		return usererr.Invalid("to", "%s is already the name of %s", catalog.QuoteQualified(op.Schema, op.To), what)
	}
	if err := st.rename(diff.Rename{Kind: diff.RenameView, Schema: op.Schema, From: op.Name, To: op.To}); err != nil {
		return err
	}
	st.reorigin(func(id objID) objID {
		if id.kind == diff.RenameView && id.schema == op.Schema && id.name == op.Name {
			id.name = op.To
		}
		return id
	})
	st.rekey(func(k string) string {
		if k == viewKey(op.Schema, op.Name) {
			return viewKey(op.Schema, op.To)
		}
		return k
	})
	st.mark(i, viewKey(op.Schema, op.To), Changed)
	return nil
}

// validateViews reports views the edits broke: a view that reads a table
// or view no longer in the model, or uses a column no longer there (a
// column dropped or renamed after the view was written). add is
// Validate's reporter (problems only where an edit is the cause).
func (st *state) validateViews(add func(key string, causes []string, field, format string, args ...any)) {
	s := &st.cur
	for vi := range s.Views {
		v := &s.Views[vi]
		key := viewKey(v.Schema, v.Name)
		word := "view"
		if v.Materialized {
			word = "materialized view"
		}
		touched := st.touched(key)
		for _, d := range v.DependsOn {
			var gone bool
			var dkey, what string
			switch d.Kind {
			case catalog.KindTable:
				gone, dkey, what = s.Table(catalog.QualifiedName{Schema: d.Schema, Name: d.Name}) == nil, tableKey(d.Schema, d.Name), "table"
			case catalog.KindView:
				gone, dkey, what = s.View(catalog.QualifiedName{Schema: d.Schema, Name: d.Name}) == nil, viewKey(d.Schema, d.Name), "view"
			default:
				continue
			}
			touched = touched || st.touched(dkey)
			if gone {
				add(key, []string{key, dkey, schemaKey(d.Schema)}, "definition", "%s %s reads %s %s, which is dropped: drop the %s too, or keep the %s",
					word, v.QualifiedName.String(), what, catalog.QuoteQualified(d.Schema, d.Name), word, what)
			}
		}
		if !touched {
			continue // neither the view nor what it reads was edited
		}
		_, sel, err := parseViewQuery(v.Definition)
		if err != nil {
			continue // refused when written; a definition from the database parses
		}
		r := &viewReader{s: s}
		r.query(sel, nil)
		said := map[string]bool{}
		for _, c := range r.issues {
			if said[describeIssue(c)] {
				continue
			}
			said[describeIssue(c)] = true
			causes := []string{key}
			if c.rel.Name != "" {
				causes = append(causes, columnKey(c.rel.Schema, c.rel.Name, c.column), tableKey(c.rel.Schema, c.rel.Name), viewKey(c.rel.Schema, c.rel.Name))
			}
			for _, q := range c.in {
				causes = append(causes, tableKey(q.Schema, q.Name), viewKey(q.Schema, q.Name))
			}
			add(key, causes, "definition", "%s %s no longer compiles: it uses %s, which no longer exists (dropped or renamed); change the view's definition or keep the column",
				word, v.QualifiedName.String(), describeIssue(c))
		}
	}
}

// touched reports whether an edit of the session touched the object key.
func (st *state) touched(key string) bool {
	_, ok := st.lastOp[key]
	return ok
}

// viewOrigins are the views of the original model by name, for the rename
// intents (see Editor.replay).
func viewOrigins(s *catalog.Schema) []objID {
	var out []objID
	for _, v := range s.Views {
		out = append(out, objID{diff.RenameView, v.Schema, "", v.Name})
	}
	return out
}

// droppedOf lists the names of schema's objects of a kind ("view",
// "sequence") dropped in the session, from their marks.
func (st *state) droppedOf(kind, schema string) []string {
	prefix := kind + ":" + catalog.QuoteIdent(schema) + "."
	out := []string{}
	for k, m := range st.marks {
		if m == Dropped && strings.HasPrefix(k, prefix) {
			out = append(out, unquote(strings.TrimPrefix(k, prefix)))
		}
	}
	sort.Strings(out)
	return out
}
