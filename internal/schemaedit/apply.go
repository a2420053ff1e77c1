package schemaedit

import (
	"regexp"
	"sort"
	"strings"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/diff"
	"github.com/tidemark-dev/tidemark/internal/usererr"
)

var allKinds = []string{"schema", "table", "column", "index", "constraint", "type", "enum_value", "view", "sequence"}

func (st *state) apply(i int, op Op) error {
	s := &st.cur
	switch op.Op {
	case CreateSchema:
		if err := needName("name", op.Name); err != nil {
			return err
		}
		if s.Namespace(op.Name) != nil {
			return usererr.Invalid("name", "a schema named %s already exists", catalog.QuoteIdent(op.Name))
		}
		s.Namespaces = append(s.Namespaces, catalog.Namespace{Name: op.Name})
		st.mark(i, schemaKey(op.Name), Created)
	case RenameSchema:
		if err := needName("to", op.To); err != nil {
			return err
		}
		if err := st.rename(diff.Rename{Kind: diff.RenameSchema, From: op.Name, To: op.To}); err != nil {
			return err
		}
		st.reorigin(func(id objID) objID {
			if id.kind == diff.RenameSchema && id.name == op.Name {
				id.name = op.To
			} else if id.schema == op.Name {
				id.schema = op.To
			}
			return id
		})
		st.rekey(prefixer(allKinds, catalog.QuoteIdent(op.Name), catalog.QuoteIdent(op.To)))
		st.mark(i, schemaKey(op.To), Changed)
	case DropSchema:
		return st.dropSchema(i, op.Name)
	case CreateTable:
		return st.createTable(i, op)
	case RenameTable:
		if err := needName("to", op.To); err != nil {
			return err
		}
		if err := st.rename(diff.Rename{Kind: diff.RenameTable, Schema: op.Schema, From: op.Table, To: op.To}); err != nil {
			return err
		}
		st.reorigin(func(id objID) objID {
			switch {
			case id.kind == diff.RenameTable && id.schema == op.Schema && id.name == op.Table:
				id.name = op.To
			case (id.kind == diff.RenameColumn || id.kind == diff.RenameConstraint) && id.schema == op.Schema && id.table == op.Table:
				id.table = op.To
			}
			return id
		})
		st.rekey(prefixer([]string{"table", "column", "constraint"}, catalog.QuoteQualified(op.Schema, op.Table), catalog.QuoteQualified(op.Schema, op.To)))
		st.mark(i, tableKey(op.Schema, op.To), Changed)
	case DropTable:
		t, err := st.table(op.Schema, op.Table)
		if err != nil {
			return err
		}
		st.dropTable(i, t)
	case RestoreTable:
		q := catalog.QualifiedName{Schema: op.Schema, Name: op.Table}
		d, ok := st.dropped[q]
		if !ok {
			return usererr.Invalid("table", "table %s was not dropped in this session", q.String())
		}
		if what := relationNamed(s, op.Schema, op.Table); what != "" {
			return usererr.Invalid("table", "cannot restore table %s: %s is now the name of %s", q.String(), q.String(), what)
		}
		restored := catalog.Schema{Tables: []catalog.Table{d.table}, Sequences: d.seqs}.Clone()
		s.Tables = append(s.Tables, restored.Tables...)
		s.Sequences = append(s.Sequences, restored.Sequences...)
		for _, id := range d.origin {
			st.origin[id] = true
		}
		delete(st.dropped, q)
		delete(st.marks, tableKey(op.Schema, op.Table))
		st.lastOp[tableKey(op.Schema, op.Table)] = i
	case CommentTable:
		t, err := st.table(op.Schema, op.Table)
		if err != nil {
			return err
		}
		t.Comment = op.Comment
		st.mark(i, tableKey(t.Schema, t.Name), Changed)
	case AddColumn:
		t, err := st.table(op.Schema, op.Table)
		if err != nil {
			return err
		}
		if op.Column == nil {
			return usererr.Invalid("column", "add_column needs the column")
		}
		c, err := st.newColumn(t.QualifiedName, *op.Column)
		if err != nil {
			return err
		}
		if t.Column(c.Name) != nil {
			return usererr.Invalid("column", "table %s already has a column %s", t.QualifiedName.String(), catalog.QuoteIdent(c.Name))
		}
		t.Columns = append(t.Columns, c)
		addTypeDep(t, c)
		st.mark(i, columnKey(t.Schema, t.Name, c.Name), Created)
		st.mark(i, tableKey(t.Schema, t.Name), Changed)
	case RenameColumn:
		if err := needName("to", op.To); err != nil {
			return err
		}
		if err := st.rename(diff.Rename{Kind: diff.RenameColumn, Schema: op.Schema, Table: op.Table, From: op.Name, To: op.To}); err != nil {
			return err
		}
		st.reorigin(func(id objID) objID {
			if id.kind == diff.RenameColumn && id.schema == op.Schema && id.table == op.Table && id.name == op.Name {
				id.name = op.To
			}
			return id
		})
		st.rekey(prefixer([]string{"column"}, catalog.QuoteQualified(op.Schema, op.Table)+"."+catalog.QuoteIdent(op.Name),
			catalog.QuoteQualified(op.Schema, op.Table)+"."+catalog.QuoteIdent(op.To)))
		st.mark(i, columnKey(op.Schema, op.Table, op.To), Changed)
		st.mark(i, tableKey(op.Schema, op.Table), Changed)
	case DropColumn:
		t, err := st.table(op.Schema, op.Table)
		if err != nil {
			return err
		}
		at := -1
		for j := range t.Columns {
			if t.Columns[j].Name == op.Name {
				at = j
			}
		}
		if at < 0 {
			return usererr.Invalid("column", "table %s has no column %s", t.QualifiedName.String(), catalog.QuoteIdent(op.Name))
		}
		t.Columns = append(t.Columns[:at], t.Columns[at+1:]...)
		s.Sequences = removeOwned(s.Sequences, t.QualifiedName, op.Name)
		delete(st.origin, objID{diff.RenameColumn, t.Schema, t.Name, op.Name})
		st.mark(i, columnKey(t.Schema, t.Name, op.Name), Dropped)
		st.mark(i, tableKey(t.Schema, t.Name), Changed)
	case AlterColumn:
		return st.alterColumn(i, op)
	case MoveColumn:
		return st.moveColumn(i, op)
	case AddIndex:
		return st.addIndex(i, op)
	case DropIndex:
		owner, x := findIndex(s, op.Schema, op.Name)
		if x == nil {
			return usererr.Invalid("index", "there is no index %s", catalog.QuoteQualified(op.Schema, op.Name))
		}
		if x.Constraint != "" {
			return usererr.Invalid("index", "index %s enforces constraint %s: drop the constraint instead",
				catalog.QuoteQualified(op.Schema, op.Name), catalog.QuoteIdent(x.Constraint))
		}
		removeIndex(owner, op.Name)
		delete(st.origin, objID{diff.RenameIndex, op.Schema, "", op.Name})
		st.mark(i, indexKey(op.Schema, op.Name), Dropped)
	case RenameIndex:
		if err := st.rename(diff.Rename{Kind: diff.RenameIndex, Schema: op.Schema, From: op.Name, To: op.To}); err != nil {
			return err
		}
		st.reorigin(func(id objID) objID {
			if id.kind == diff.RenameIndex && id.schema == op.Schema && id.name == op.Name {
				id.name = op.To
			}
			return id
		})
		st.rekey(func(k string) string {
			if k == indexKey(op.Schema, op.Name) {
				return indexKey(op.Schema, op.To)
			}
			return k
		})
		st.mark(i, indexKey(op.Schema, op.To), Changed)
	case AddConstraint:
		return st.addConstraint(i, op)
	case RenameConstraint:
		if err := st.rename(diff.Rename{Kind: diff.RenameConstraint, Schema: op.Schema, Table: op.Table, From: op.Name, To: op.To}); err != nil {
			return err
		}
		st.reorigin(func(id objID) objID {
			if id.kind == diff.RenameConstraint && id.schema == op.Schema && id.table == op.Table && id.name == op.Name {
				id.name = op.To
			}
			return id
		})
		st.rekey(func(k string) string {
			if k == constraintKey(op.Schema, op.Table, op.Name) {
				return constraintKey(op.Schema, op.Table, op.To)
			}
			return k
		})
		st.mark(i, constraintKey(op.Schema, op.Table, op.To), Changed)
		st.mark(i, tableKey(op.Schema, op.Table), Changed)
	case DropView:
		q := catalog.QualifiedName{Schema: op.Schema, Name: op.Name}
		if s.View(q) == nil {
			return usererr.Invalid("name", "there is no view %s", q.String())
		}
		s.Views = filter(s.Views, func(v catalog.View) bool { return v.QualifiedName != q })
		delete(st.origin, objID{diff.RenameView, op.Schema, "", op.Name})
		st.mark(i, "view:"+q.String(), Dropped)
	case DropConstraint:
		t, err := st.table(op.Schema, op.Table)
		if err != nil {
			return err
		}
		c := t.Constraint(op.Name)
		if c == nil {
			return usererr.Invalid("constraint", "table %s has no constraint %s", t.QualifiedName.String(), catalog.QuoteIdent(op.Name))
		}
		if c.Index != "" {
			removeIndex(relOwner{table: t}, c.Index)
			delete(st.origin, objID{diff.RenameIndex, t.Schema, "", c.Index})
		}
		var keep []catalog.Constraint
		for _, k := range t.Constraints {
			if k.Name != op.Name {
				keep = append(keep, k)
			}
		}
		t.Constraints = keep
		delete(st.origin, objID{diff.RenameConstraint, t.Schema, t.Name, op.Name})
		st.mark(i, constraintKey(t.Schema, t.Name, op.Name), Dropped)
		st.mark(i, tableKey(t.Schema, t.Name), Changed)
	case AddEnumValue:
		ty := s.Type(catalog.QualifiedName{Schema: op.Schema, Name: op.Type})
		if ty == nil || ty.Kind != catalog.TypeEnum {
			return usererr.Invalid("type", "there is no enum %s", catalog.QuoteQualified(op.Schema, op.Type))
		}
		if op.Name == "" {
			return usererr.Invalid("name", "the new value is empty")
		}
		pos := len(ty.Labels)
		for j, l := range ty.Labels {
			if l == op.Name {
				return usererr.Invalid("name", "%s already has the value %s", ty.QualifiedName.String(), catalog.QuoteLiteral(op.Name))
			}
			if l == op.After {
				pos = j + 1
			}
		}
		if op.After != "" && (pos == len(ty.Labels) && (len(ty.Labels) == 0 || ty.Labels[len(ty.Labels)-1] != op.After)) {
			return usererr.Invalid("after", "%s has no value %s", ty.QualifiedName.String(), catalog.QuoteLiteral(op.After))
		}
		ty.Labels = append(ty.Labels[:pos], append([]string{op.Name}, ty.Labels[pos:]...)...)
		st.mark(i, enumValueKey(ty.Schema, ty.Name, op.Name), Created)
		st.mark(i, typeKey(ty.Schema, ty.Name), Changed)
	case RenameEnumValue:
		if err := st.rename(diff.Rename{Kind: diff.RenameEnumValue, Schema: op.Schema, Type: op.Type, From: op.Name, To: op.To}); err != nil {
			return err
		}
		st.reorigin(func(id objID) objID {
			if id.kind == diff.RenameEnumValue && id.schema == op.Schema && id.table == op.Type && id.name == op.Name {
				id.name = op.To
			}
			return id
		})
		st.rekey(func(k string) string {
			if k == enumValueKey(op.Schema, op.Type, op.Name) {
				return enumValueKey(op.Schema, op.Type, op.To)
			}
			return k
		})
		st.mark(i, enumValueKey(op.Schema, op.Type, op.To), Changed)
		st.mark(i, typeKey(op.Schema, op.Type), Changed)
	case CreateView, AlterView, RenameView:
		return st.applyView(i, op)
	case CreateSequence, AlterSequence, RenameSequence, DropSequence:
		return st.applySequence(i, op)
	case CommentOn:
		return st.applyComment(i, op)
	case SetUnlogged:
		return st.setUnlogged(i, op)
	case PartitionTable:
		return st.partitionTable(i, op)
	default:
		return usererr.Invalid("op", "unknown operation %q", op.Op)
	}
	return nil
}

func needName(field, name string) error {
	if strings.TrimSpace(name) == "" {
		return usererr.Invalid(field, "the name is empty")
	}
	if len(name) > 63 {
		return usererr.Invalid(field, "%s is longer than 63 bytes, the longest name PostgreSQL keeps", catalog.QuoteIdent(name))
	}
	return nil
}

// rename applies r to the edited model as PostgreSQL applies it and, when
// the object comes from the original model, records the rename intent.
func (st *state) rename(r diff.Rename) error {
	if err := needName("to", r.To); err != nil && r.Kind != diff.RenameEnumValue {
		return err
	}
	id := objID{kind: r.Kind, schema: r.Schema, table: r.Table, name: r.From}
	switch r.Kind {
	case diff.RenameSchema:
		id.schema = ""
	case diff.RenameEnumValue:
		id.table = r.Type
	}
	fromOriginal := st.origin[id]
	// An index and the constraint it enforces are renamed together.
	var alsoIndex, alsoConstraint *objID
	if r.Kind == diff.RenameConstraint {
		if t := st.cur.Table(catalog.QualifiedName{Schema: r.Schema, Name: r.Table}); t != nil {
			if c := t.Constraint(r.From); c != nil && c.Index != "" {
				alsoIndex = &objID{diff.RenameIndex, r.Schema, "", c.Index}
			}
		}
	}
	if r.Kind == diff.RenameIndex {
		if owner, x := findIndex(&st.cur, r.Schema, r.From); x != nil && x.Constraint != "" && owner.table != nil {
			alsoConstraint = &objID{diff.RenameConstraint, r.Schema, owner.table.Name, x.Constraint}
		}
	}
	next, _, err := diff.ApplyRenames(&st.cur, []diff.Rename{r})
	if err != nil {
		return err
	}
	st.cur = next
	if fromOriginal {
		st.renames = append(st.renames, r)
	}
	for _, also := range []*objID{alsoIndex, alsoConstraint} {
		if also != nil && st.origin[*also] {
			delete(st.origin, *also)
			also.name = r.To
			st.origin[*also] = true
		}
	}
	return nil
}

// reorigin renames the original objects' ids through f.
func (st *state) reorigin(f func(objID) objID) {
	next := map[objID]bool{}
	for id := range st.origin {
		next[f(id)] = true
	}
	st.origin = next
}

func (st *state) table(schema, name string) (*catalog.Table, error) {
	q := catalog.QualifiedName{Schema: schema, Name: name}
	t := st.cur.Table(q)
	if t == nil {
		return nil, usererr.Invalid("table", "there is no table %s", q.String())
	}
	return t, nil
}

func (st *state) dropTable(i int, t *catalog.Table) {
	s := &st.cur
	q := t.QualifiedName
	d := droppedTable{table: *t}
	for id := range st.origin {
		if (id.kind == diff.RenameTable && id.schema == q.Schema && id.name == q.Name) ||
			((id.kind == diff.RenameColumn || id.kind == diff.RenameConstraint) && id.schema == q.Schema && id.table == q.Name) {
			d.origin = append(d.origin, id)
		}
	}
	for _, x := range t.Indexes {
		id := objID{diff.RenameIndex, q.Schema, "", x.Name}
		if st.origin[id] {
			d.origin = append(d.origin, id)
		}
	}
	for _, id := range d.origin {
		delete(st.origin, id)
	}
	var keepSeq []catalog.Sequence
	for _, seq := range s.Sequences {
		if seq.OwnedBy != nil && seq.OwnedBy.Table == q {
			d.seqs = append(d.seqs, seq)
			continue
		}
		keepSeq = append(keepSeq, seq)
	}
	s.Sequences = keepSeq
	var keep []catalog.Table
	for _, x := range s.Tables {
		if x.QualifiedName != q {
			keep = append(keep, x)
		}
	}
	s.Tables = keep
	if len(d.origin) > 0 {
		st.dropped[q] = d
	}
	st.mark(i, tableKey(q.Schema, q.Name), Dropped)
}

func (st *state) dropSchema(i int, name string) error {
	s := &st.cur
	if s.Namespace(name) == nil {
		return usererr.Invalid("name", "there is no schema %s", catalog.QuoteIdent(name))
	}
	for _, x := range s.Extensions {
		if x.Schema == name {
			return usererr.Invalid("name", "schema %s holds extension %s: move or drop the extension first", catalog.QuoteIdent(name), catalog.QuoteIdent(x.Name))
		}
	}
	var tables []*catalog.Table
	for j := range s.Tables {
		if s.Tables[j].Schema == name {
			tables = append(tables, &s.Tables[j])
		}
	}
	var qs []catalog.QualifiedName
	for _, t := range tables {
		qs = append(qs, t.QualifiedName)
	}
	for _, q := range qs {
		st.dropTable(i, s.Table(q))
	}
	s.Views = filter(s.Views, func(v catalog.View) bool { return v.Schema != name })
	s.Types = filter(s.Types, func(v catalog.Type) bool { return v.Schema != name })
	s.Sequences = filter(s.Sequences, func(v catalog.Sequence) bool { return v.Schema != name })
	s.Functions = filter(s.Functions, func(v catalog.Function) bool { return v.Schema != name })
	s.Operators = filter(s.Operators, func(v catalog.Operator) bool { return v.Schema != name })
	s.Collations = filter(s.Collations, func(v catalog.Collation) bool { return v.Schema != name })
	s.Namespaces = filter(s.Namespaces, func(v catalog.Namespace) bool { return v.Name != name })
	s.DefaultPrivileges = filter(s.DefaultPrivileges, func(v catalog.DefaultPrivilege) bool { return v.Schema != name })
	for id := range st.origin {
		if id.schema == name || (id.kind == diff.RenameSchema && id.name == name) {
			delete(st.origin, id)
		}
	}
	st.mark(i, schemaKey(name), Dropped)
	return nil
}

func filter[T any](xs []T, keep func(T) bool) []T {
	var out []T
	for _, x := range xs {
		if keep(x) {
			out = append(out, x)
		}
	}
	return out
}

func (st *state) newColumn(table catalog.QualifiedName, spec ColumnSpec) (catalog.Column, error) {
	if err := needName("column", spec.Name); err != nil {
		return catalog.Column{}, err
	}
	rt, ok := resolveType(&st.cur, spec.Type)
	if !ok {
		return catalog.Column{}, unknownType(spec.Type)
	}
	c := catalog.Column{Name: spec.Name, Type: rt.text, TypeRef: rt.ref, NotNull: spec.NotNull, Comment: spec.Comment}
	if spec.Default != nil && strings.TrimSpace(*spec.Default) != "" {
		d := strings.TrimSpace(*spec.Default)
		c.Default = &d
	}
	if spec.Identity != "" {
		if err := setIdentity(&c, spec.Identity, table); err != nil {
			return catalog.Column{}, err
		}
	}
	if strings.TrimSpace(spec.Collation) != "" {
		if err := setCollation(&st.cur, &c, spec.Collation); err != nil {
			return catalog.Column{}, err
		}
	}
	if strings.TrimSpace(spec.Generated) != "" {
		// The columns it uses are checked against the table when it
		// exists (add_column); create_table checks them once all are known.
		if err := setGenerated(&c, spec.Generated, st.cur.Table(table)); err != nil {
			return catalog.Column{}, err
		}
	}
	return c, nil
}

func unknownType(t string) error {
	return usererr.Invalid("type", "unknown type %q: use a built-in type (%s, ...) or one of the database's enums, domains and composite types",
		t, strings.Join(Suggestions, ", "))
}

// setIdentity makes c an identity column (or not) with the sequence
// PostgreSQL creates for it: <table>_<column>_seq, of the column's type,
// from 1 by 1.
func setIdentity(c *catalog.Column, identity string, table catalog.QualifiedName) error {
	switch identity {
	case "none", "":
		c.Identity, c.IdentitySequence = "", nil
		return nil
	case "always", "by_default":
	default:
		return usererr.Invalid("identity", "identity is always, by_default or none, not %q", identity)
	}
	maxes := map[string]int64{"smallint": 32767, "integer": 2147483647, "bigint": 9223372036854775807}
	max, ok := maxes[c.Type]
	if !ok {
		return usererr.Invalid("identity", "an identity column must be smallint, integer or bigint, not %s", c.Type)
	}
	if c.Identity == "" {
		name := table.Name + "_" + c.Name + "_seq"
		if len(name) > 63 {
			name = name[:63]
		}
		c.IdentitySequence = &catalog.Sequence{QualifiedName: catalog.QualifiedName{Schema: table.Schema, Name: name},
			DataType: c.Type, Start: 1, Increment: 1, Min: 1, Max: max, Cache: 1}
	}
	if c.Default != nil {
		return usererr.Invalid("identity", "column %s has a default: an identity column cannot have one", catalog.QuoteIdent(c.Name))
	}
	c.Identity = identity
	c.NotNull = true
	return nil
}

// addTypeDep records that t uses the model's own type of column c, so the
// type is created before the table.
func addTypeDep(t *catalog.Table, c catalog.Column) {
	if c.TypeRef.Schema == "pg_catalog" || c.TypeRef.Name == "" {
		return
	}
	ref := catalog.ObjectRef{Kind: catalog.KindType, Schema: c.TypeRef.Schema, Name: c.TypeRef.Name}
	for _, r := range t.DependsOn {
		if r == ref {
			return
		}
	}
	t.DependsOn = append(t.DependsOn, ref)
}

func (st *state) createTable(i int, op Op) error {
	s := &st.cur
	if err := needName("table", op.Table); err != nil {
		return err
	}
	if s.Namespace(op.Schema) == nil {
		return usererr.Invalid("schema", "there is no schema %s", catalog.QuoteIdent(op.Schema))
	}
	if what := relationNamed(s, op.Schema, op.Table); what != "" {
		return usererr.Invalid("table", "%s is already the name of %s", catalog.QuoteQualified(op.Schema, op.Table), what)
	}
	t := catalog.Table{QualifiedName: catalog.QualifiedName{Schema: op.Schema, Name: op.Table}, Kind: catalog.TableRegular, Comment: op.Comment, Unlogged: op.Unlogged}
	for _, spec := range op.Columns {
		c, err := st.newColumn(t.QualifiedName, spec)
		if err != nil {
			return err
		}
		if t.Column(c.Name) != nil {
			return usererr.Invalid("column", "column %s appears twice", catalog.QuoteIdent(c.Name))
		}
		if c.IdentitySequence != nil {
			c.IdentitySequence.Unlogged = op.Unlogged // an unlogged table's identity sequence is unlogged
		}
		t.Columns = append(t.Columns, c)
		addTypeDep(&t, c)
	}
	for _, c := range t.Columns {
		if c.Generated != "" {
			n, err := parseExpr("generated", "the generated expression", c.Generated)
			if err != nil {
				return err
			}
			if err := checkExprColumns("generated", "the generated expression of "+catalog.QuoteIdent(c.Name), &t, n, c.Name, true); err != nil {
				return err
			}
		}
	}
	if op.PartitionBy != nil {
		if op.Unlogged {
			return usererr.Invalid("unlogged", "a partitioned table cannot be UNLOGGED (its partitions can)")
		}
		if err := setPartitioning(&t, op.PartitionBy); err != nil {
			return err
		}
	}
	s.Tables = append(s.Tables, t)
	st.mark(i, tableKey(op.Schema, op.Table), Created)
	if len(op.PrimaryKey) > 0 {
		tp := s.Table(t.QualifiedName)
		for _, name := range op.PrimaryKey {
			if c := tp.Column(name); c != nil {
				c.NotNull = true // CREATE TABLE makes primary key columns NOT NULL
			}
		}
		return st.addConstraint(i, Op{Schema: op.Schema, Table: op.Table, Constraint: &ConstraintSpec{Type: "primary_key", Columns: op.PrimaryKey}})
	}
	return nil
}

func (st *state) alterColumn(i int, op Op) error {
	t, err := st.table(op.Schema, op.Table)
	if err != nil {
		return err
	}
	c := t.Column(op.Name)
	if c == nil {
		return usererr.Invalid("column", "table %s has no column %s", t.QualifiedName.String(), catalog.QuoteIdent(op.Name))
	}
	ch := op.Set
	if ch == nil {
		return usererr.Invalid("set", "alter_column needs what to change (set)")
	}
	if ch.Type != nil {
		rt, ok := resolveType(&st.cur, *ch.Type)
		if !ok {
			return unknownType(*ch.Type)
		}
		c.Type, c.TypeRef = rt.text, rt.ref
		if c.Collation != "" && !collatable(rt) {
			c.Collation = "" // the new type takes no collation: it gets none, as ALTER COLUMN TYPE does
		}
		addTypeDep(t, *c)
	}
	if ch.Collation != nil {
		// Planned as a type change (ALTER COLUMN ... TYPE ... COLLATE).
		if err := setCollation(&st.cur, c, *ch.Collation); err != nil {
			return err
		}
	}
	if ch.Generated != nil {
		if st.origin[objID{diff.RenameColumn, t.Schema, t.Name, c.Name}] && strings.TrimSpace(*ch.Generated) != c.Generated {
			if c.Generated == "" {
				return usererr.Invalid("generated", "column %s already exists: PostgreSQL cannot make an existing column generated; add a new generated column (and drop this one if it is no longer needed)", catalog.QuoteIdent(c.Name))
			}
			return usererr.Invalid("generated", "column %s already exists: PostgreSQL 15 cannot change or remove the expression of an existing generated column; add a new column with the new expression instead", catalog.QuoteIdent(c.Name))
		}
		if err := setGenerated(c, *ch.Generated, t); err != nil {
			return err
		}
	}
	if ch.DropDefault {
		c.Default = nil
	}
	if ch.Default != nil {
		if strings.TrimSpace(*ch.Default) == "" {
			c.Default = nil
		} else {
			if c.Generated != "" {
				return usererr.Invalid("default", "column %s is generated: it cannot have a default", catalog.QuoteIdent(c.Name))
			}
			d := strings.TrimSpace(*ch.Default)
			c.Default = &d
		}
	}
	if ch.Identity != nil {
		if c.Generated != "" && *ch.Identity != "none" && *ch.Identity != "" {
			return usererr.Invalid("identity", "column %s is generated: it cannot also be an identity column", catalog.QuoteIdent(c.Name))
		}
		if err := setIdentity(c, *ch.Identity, t.QualifiedName); err != nil {
			return err
		}
	}
	if ch.NotNull != nil {
		if !*ch.NotNull && c.Identity != "" {
			return usererr.Invalid("not_null", "column %s is an identity column, which is always NOT NULL", catalog.QuoteIdent(c.Name))
		}
		c.NotNull = *ch.NotNull
	}
	if ch.DropComment {
		c.Comment = nil
	}
	if ch.Comment != nil {
		v := *ch.Comment
		c.Comment = &v
	}
	st.mark(i, columnKey(t.Schema, t.Name, c.Name), Changed)
	st.mark(i, tableKey(t.Schema, t.Name), Changed)
	return nil
}

func (st *state) addIndex(i int, op Op) error {
	t, err := st.table(op.Schema, op.Table)
	if err != nil {
		return err
	}
	spec := op.Index
	if spec == nil || (len(spec.Columns) == 0 && len(spec.Keys) == 0) {
		return usererr.Invalid("index", "an index needs at least one column or expression")
	}
	name := spec.Name
	if name == "" {
		name = defaultIndexName(t.Name, spec)
	}
	if err := needName("index", name); err != nil {
		return err
	}
	if what := relationNamed(&st.cur, t.Schema, name); what != "" {
		return usererr.Invalid("index", "%s is already the name of %s", catalog.QuoteQualified(t.Schema, name), what)
	}
	method := spec.Method
	if method == "" {
		method = "btree"
	}
	switch method {
	case "btree", "hash", "gin", "gist", "brin", "spgist":
	default:
		return usererr.Invalid("method", "unknown index method %q (btree, hash, gin, gist, brin, spgist)", method)
	}
	if spec.Unique && method != "btree" {
		return usererr.Invalid("unique", "only btree indexes can be unique, not %s", method)
	}
	x := catalog.Index{Name: name, Method: method, Unique: spec.Unique, Valid: true, Partitioned: t.Kind == catalog.TablePartitioned}
	keys, err := indexKeys(&st.cur, t, method, spec)
	if err != nil {
		return err
	}
	x.Keys = keys
	if x.Include, err = includeColumns(t, method, spec.Include, keys); err != nil {
		return err
	}
	if w := strings.TrimSpace(spec.Where); w != "" {
		n, err := parseExpr("where", "the WHERE predicate", w)
		if err != nil {
			return err
		}
		if err := checkExprColumns("where", "the WHERE predicate", t, n, "", false); err != nil {
			return err
		}
		x.Predicate = "(" + w + ")"
	}
	if x.Unique && t.Kind == catalog.TablePartitioned {
		var cols []string
		for _, k := range keys {
			if k.Column == "" {
				return usererr.Invalid("keys", "table %s is partitioned: a unique index on it cannot have expression keys", t.QualifiedName.String())
			}
			cols = append(cols, k.Column)
		}
		if err := checkPartitionKeyCovered(t, "unique index", "columns", cols); err != nil {
			return err
		}
	}
	if err := st.checkConcurrently(t, spec.Concurrently); err != nil {
		return err
	}
	x.Definition = indexDef(t.QualifiedName, &x)
	t.Indexes = append(t.Indexes, x)
	st.mark(i, indexKey(t.Schema, name), Created)
	return nil
}

// indexDef renders an index as pg_get_indexdef does (ON ONLY for a
// partitioned table's; expression keys in parentheses, which is always
// valid), with operator classes, orders and INCLUDE columns.
func indexDef(table catalog.QualifiedName, x *catalog.Index) string {
	var b strings.Builder
	b.WriteString("CREATE ")
	if x.Unique {
		b.WriteString("UNIQUE ")
	}
	b.WriteString("INDEX " + catalog.QuoteIdent(x.Name) + " ON ")
	if x.Partitioned {
		b.WriteString("ONLY ")
	}
	b.WriteString(table.String() + " USING " + x.Method + " (")
	for j, k := range x.Keys {
		if j > 0 {
			b.WriteString(", ")
		}
		if k.Column != "" {
			b.WriteString(catalog.QuoteIdent(k.Column))
		} else {
			b.WriteString("(" + k.Expression + ")")
		}
		if k.OpClass != "" {
			b.WriteString(" " + strings.TrimPrefix(k.OpClass, "pg_catalog."))
		}
		switch {
		case k.Descending && k.NullsLast:
			b.WriteString(" DESC NULLS LAST")
		case k.Descending:
			b.WriteString(" DESC")
		case k.NullsFirst:
			b.WriteString(" NULLS FIRST")
		}
	}
	b.WriteString(")")
	if len(x.Include) > 0 {
		var inc []string
		for _, c := range x.Include {
			inc = append(inc, catalog.QuoteIdent(c))
		}
		b.WriteString(" INCLUDE (" + strings.Join(inc, ", ") + ")")
	}
	if x.Predicate != "" {
		b.WriteString(" WHERE " + x.Predicate)
	}
	return b.String()
}

var fkActions = map[string]string{"": "", "no_action": "", "restrict": "RESTRICT", "cascade": "CASCADE", "set_null": "SET NULL", "set_default": "SET DEFAULT"}

func (st *state) addConstraint(i int, op Op) error {
	t, err := st.table(op.Schema, op.Table)
	if err != nil {
		return err
	}
	spec := op.Constraint
	if spec == nil {
		return usererr.Invalid("constraint", "add_constraint needs the constraint")
	}
	for _, col := range spec.Columns {
		if t.Column(col) == nil {
			return usererr.Invalid("columns", "table %s has no column %s", t.QualifiedName.String(), catalog.QuoteIdent(col))
		}
	}
	cols := func() string {
		var q []string
		for _, c := range spec.Columns {
			q = append(q, catalog.QuoteIdent(c))
		}
		return strings.Join(q, ", ")
	}
	name := spec.Name
	suffix := map[string]string{"primary_key": "pkey", "unique": "key", "foreign_key": "fkey", "check": "check"}[spec.Type]
	if suffix == "" {
		return usererr.Invalid("type", "constraint type is primary_key, unique, check or foreign_key, not %q", spec.Type)
	}
	if name == "" {
		name = defaultConstraintName(t.Name, spec)
	}
	if (spec.Deferrable || spec.InitiallyDeferred) && spec.Type == "check" {
		return usererr.Invalid("deferrable", "a check constraint cannot be deferrable (primary keys, unique constraints and foreign keys can)")
	}
	if err := st.checkNotValidFirst(t, spec); err != nil {
		return err
	}
	if pk := t.PrimaryKey(); pk != nil && spec.Type == "primary_key" {
		return usererr.Invalid("type", "table %s already has a primary key (%s)", t.QualifiedName.String(), catalog.QuoteIdent(pk.Name))
	}
	if t.Constraint(name) != nil {
		return usererr.Invalid("name", "table %s already has a constraint %s", t.QualifiedName.String(), catalog.QuoteIdent(name))
	}
	c := catalog.Constraint{Name: name, Columns: append([]string(nil), spec.Columns...),
		Deferrable: spec.Deferrable || spec.InitiallyDeferred, InitiallyDeferred: spec.InitiallyDeferred}
	switch spec.Type {
	case "primary_key", "unique":
		if len(spec.Columns) == 0 {
			return usererr.Invalid("columns", "a %s constraint needs columns", strings.ReplaceAll(spec.Type, "_", " "))
		}
		if err := checkPartitionKeyCovered(t, map[string]string{"primary_key": "primary key", "unique": "unique constraint"}[spec.Type], "columns", spec.Columns); err != nil {
			return err
		}
		if spec.Type == "primary_key" {
			c.Type = catalog.ConstraintPrimaryKey
			c.Definition = "PRIMARY KEY (" + cols() + ")"
		} else {
			c.Type = catalog.ConstraintUnique
			c.Definition = "UNIQUE (" + cols() + ")"
		}
		c.Definition += deferrableSuffix(&c)
		if what := relationNamed(&st.cur, t.Schema, name); what != "" {
			return usererr.Invalid("name", "the constraint's index takes the name %s, which is already the name of %s", catalog.QuoteQualified(t.Schema, name), what)
		}
		c.Index = name
		x := catalog.Index{Name: name, Method: "btree", Unique: true, Primary: c.Type == catalog.ConstraintPrimaryKey, Constraint: name, Valid: true,
			Partitioned: t.Kind == catalog.TablePartitioned}
		for _, col := range spec.Columns {
			x.Keys = append(x.Keys, catalog.IndexKey{Column: col})
		}
		x.Definition = indexDef(t.QualifiedName, &x)
		t.Indexes = append(t.Indexes, x)
	case "check":
		if strings.TrimSpace(spec.Check) == "" {
			return usererr.Invalid("check", "a check constraint needs its expression")
		}
		n, err := parseExpr("check", "the check expression", spec.Check)
		if err != nil {
			return err
		}
		if err := checkExprColumns("check", "the check expression", t, n, "", false); err != nil {
			return err
		}
		c.Type = catalog.ConstraintCheck
		c.Definition = "CHECK (" + strings.TrimSpace(spec.Check) + ")"
		if len(c.Columns) == 0 {
			c.Columns = columnsUsed(t, spec.Check)
		}
	case "foreign_key":
		if len(spec.Columns) == 0 {
			return usererr.Invalid("columns", "a foreign key needs columns")
		}
		rs := spec.RefSchema
		if rs == "" {
			rs = t.Schema
		}
		rq := catalog.QualifiedName{Schema: rs, Name: spec.RefTable}
		rt := st.cur.Table(rq)
		if rt == nil {
			return usererr.Invalid("ref_table", "there is no table %s to reference", rq.String())
		}
		refCols := spec.RefColumns
		if len(refCols) == 0 {
			pk := rt.PrimaryKey()
			if pk == nil {
				return usererr.Invalid("ref_columns", "table %s has no primary key: name the referenced columns", rq.String())
			}
			refCols = pk.Columns
		}
		if len(refCols) != len(spec.Columns) {
			return usererr.Invalid("ref_columns", "the foreign key has %d columns and references %d", len(spec.Columns), len(refCols))
		}
		if k := deferrableKeyOn(rt, refCols); k != "" {
			return usererr.Invalid("ref_columns", "the referenced key %s of %s is deferrable: PostgreSQL cannot use a deferrable key for a foreign key; reference a key that is not deferrable",
				catalog.QuoteIdent(k), rq.String())
		}
		for _, col := range refCols {
			if rt.Column(col) == nil {
				return usererr.Invalid("ref_columns", "table %s has no column %s", rq.String(), catalog.QuoteIdent(col))
			}
		}
		upd, ok1 := fkActions[spec.OnUpdate]
		del, ok2 := fkActions[spec.OnDelete]
		if !ok1 || !ok2 {
			return usererr.Invalid("on_delete", "actions are no_action, restrict, cascade, set_null or set_default")
		}
		c.Type = catalog.ConstraintForeignKey
		c.RefTable = &rq
		c.RefColumns = append([]string(nil), refCols...)
		c.MatchType = "simple"
		c.OnUpdate, c.OnDelete = orDefault(spec.OnUpdate), orDefault(spec.OnDelete)
		var rc []string
		for _, col := range refCols {
			rc = append(rc, catalog.QuoteIdent(col))
		}
		def := "FOREIGN KEY (" + cols() + ") REFERENCES " + rq.String() + "(" + strings.Join(rc, ", ") + ")"
		if upd != "" {
			def += " ON UPDATE " + upd
		}
		if del != "" {
			def += " ON DELETE " + del
		}
		c.Definition = def + deferrableSuffix(&c)
	}
	t.Constraints = append(t.Constraints, c)
	sort.SliceStable(t.Constraints, func(a, b int) bool { return t.Constraints[a].Name < t.Constraints[b].Name })
	st.mark(i, constraintKey(t.Schema, t.Name, name), Created)
	st.mark(i, tableKey(t.Schema, t.Name), Changed)
	return nil
}

func orDefault(a string) string {
	if a == "" {
		return "no_action"
	}
	return a
}

func removeOwned(seqs []catalog.Sequence, t catalog.QualifiedName, col string) []catalog.Sequence {
	return filter(seqs, func(q catalog.Sequence) bool {
		return q.OwnedBy == nil || q.OwnedBy.Table != t || q.OwnedBy.Column != col
	})
}

// relOwner is the table or materialized view an index belongs to.
type relOwner struct {
	table *catalog.Table
	view  *catalog.View
}

func findIndex(s *catalog.Schema, schema, name string) (relOwner, *catalog.Index) {
	for i := range s.Tables {
		t := &s.Tables[i]
		if t.Schema == schema {
			for j := range t.Indexes {
				if t.Indexes[j].Name == name {
					return relOwner{table: t}, &t.Indexes[j]
				}
			}
		}
	}
	for i := range s.Views {
		v := &s.Views[i]
		if v.Schema == schema {
			for j := range v.Indexes {
				if v.Indexes[j].Name == name {
					return relOwner{view: v}, &v.Indexes[j]
				}
			}
		}
	}
	return relOwner{}, nil
}

func removeIndex(o relOwner, name string) {
	keep := func(x catalog.Index) bool { return x.Name != name }
	if o.table != nil {
		o.table.Indexes = filter(o.table.Indexes, keep)
	} else if o.view != nil {
		o.view.Indexes = filter(o.view.Indexes, keep)
	}
}

// relationNamed says what in schema already holds name in the namespace
// tables, views, sequences, indexes and types share ("" when free).
func relationNamed(s *catalog.Schema, schema, name string) string {
	q := catalog.QualifiedName{Schema: schema, Name: name}
	switch {
	case s.Table(q) != nil:
		return "a table"
	case s.View(q) != nil:
		return "a view"
	case s.Sequence(q) != nil:
		return "a sequence"
	case s.Type(q) != nil:
		return "a type"
	}
	if _, x := findIndex(s, schema, name); x != nil {
		return "an index"
	}
	for _, t := range s.Tables {
		for _, c := range t.Columns {
			if c.IdentitySequence != nil && c.IdentitySequence.QualifiedName == q {
				return "a sequence"
			}
		}
	}
	return ""
}

// columnsUsed lists the columns of t an expression names (in the table's
// order, as PostgreSQL records a check constraint's columns).
func columnsUsed(t *catalog.Table, expr string) []string {
	var out []string
	for _, c := range t.Columns {
		q := regexp.QuoteMeta(catalog.QuoteIdent(c.Name))
		if regexp.MustCompile(`(^|[^A-Za-z0-9_$."])` + q + `($|[^A-Za-z0-9_$"(])`).MatchString(expr) {
			out = append(out, c.Name)
		}
	}
	return out
}
