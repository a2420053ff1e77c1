package review

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// apply simulates statement i on the catalog, the way PostgreSQL would
// change it, so later statements and final checks see the new state.
// Statements that would fail on the server (missing objects) change nothing.
func (c *Catalog) apply(n *pg_query.Node, i int) {
	if n == nil {
		return
	}
	c.at = i
	switch s := n.Node.(type) {
	case *pg_query.Node_CreateSchemaStmt:
		c.AddSchema(s.CreateSchemaStmt.Schemaname)
	case *pg_query.Node_CreateStmt:
		c.applyCreateTable(s.CreateStmt, i)
	case *pg_query.Node_CreateTableAsStmt:
		if into := s.CreateTableAsStmt.Into; into != nil && into.Rel != nil {
			kind := "table"
			if s.CreateTableAsStmt.Objtype == pg_query.ObjectType_OBJECT_MATVIEW {
				kind = "matview"
			}
			c.newTable(into.Rel, kind, i)
		}
	case *pg_query.Node_ViewStmt:
		c.newTable(s.ViewStmt.View, "view", i)
	case *pg_query.Node_IndexStmt:
		c.applyCreateIndex(s.IndexStmt, i)
	case *pg_query.Node_AlterTableStmt:
		c.applyAlterTable(s.AlterTableStmt, i)
	case *pg_query.Node_RenameStmt:
		c.applyRename(s.RenameStmt, i)
	case *pg_query.Node_DropStmt:
		c.applyDrop(s.DropStmt)
	case *pg_query.Node_CommentStmt:
		c.applyComment(s.CommentStmt, i)
	case *pg_query.Node_VariableSetStmt:
		if v := s.VariableSetStmt; v.Name == "search_path" && v.Kind == pg_query.VariableSetKind_VAR_SET_VALUE {
			var path []string
			for _, a := range v.Args {
				if sv, ok := constString(a); ok {
					path = append(path, sv)
				}
			}
			c.SearchPath = path
		}
	}
}

func (c *Catalog) newTable(rv *pg_query.RangeVar, kind string, i int) *Table {
	schema := rv.Schemaname
	if schema == "" {
		schema = c.defaultSchema()
	}
	t := &Table{Schema: schema, Name: rv.Relname, Kind: kind, Rows: 0}
	c.AddTable(t)
	t.commentAt = -1
	t.created, t.createdAt, t.lastTouch, t.lastAlter = true, i, i, i
	t.partialCols = kind != "table" && kind != "partitioned" // CTAS, views: columns not tracked
	return t
}

func (c *Catalog) applyCreateTable(cs *pg_query.CreateStmt, i int) {
	if cs.IfNotExists && c.resolve(cs.Relation.Schemaname, cs.Relation.Relname) != nil {
		return
	}
	kind := "table"
	switch {
	case cs.Partspec != nil:
		kind = "partitioned"
	case cs.Partbound != nil:
		kind = "partition"
	}
	t := c.newTable(cs.Relation, kind, i)
	cols, cons := tableElts(cs)
	for _, cd := range cols {
		c.addColumn(t, cd, i)
	}
	for _, e := range cs.TableElts {
		if e.GetTableLikeClause() != nil {
			t.partialCols = true
		}
	}
	if len(cs.InhRelations) > 0 || cs.OfTypename != nil {
		t.partialCols = true
	}
	for _, k := range cons {
		c.addConstraint(t, k, nil)
	}
}

// addColumn adds a column definition with its inline constraints.
func (c *Catalog) addColumn(t *Table, cd *pg_query.ColumnDef, i int) {
	cons := colConstraints(cd)
	col := &Column{Name: cd.Colname, Type: typeDisplay(cd.TypeName), NotNull: hasNotNull(cons) || cd.IsNotNull,
		HasDefault: defaultExpr(cons) != nil || isSerial(cd.TypeName) || hasConstraint(cons, pg_query.ConstrType_CONSTR_IDENTITY) != nil ||
			hasConstraint(cons, pg_query.ConstrType_CONSTR_GENERATED) != nil,
		Identity: hasConstraint(cons, pg_query.ConstrType_CONSTR_IDENTITY) != nil, addedAt: i, commentAt: -1}
	if cd.CollClause != nil {
		col.Collation = lastName(cd.CollClause.Collname)
	}
	t.Columns = append(t.Columns, col)
	for _, k := range cons {
		c.addConstraint(t, k, []string{cd.Colname})
	}
}

// addConstraint adds a PK/UNIQUE/FK/CHECK/EXCLUDE constraint (column-level
// when cols is given) with its backing index.
func (c *Catalog) addConstraint(t *Table, k *pg_query.Constraint, cols []string) {
	keys := keyNames(k.Keys)
	if len(keys) == 0 {
		keys = cols
	}
	kc := &Constraint{Name: k.Conname, Columns: keys, NotValid: k.SkipValidation, addedAt: c.at, validAt: c.at}
	switch k.Contype {
	case pg_query.ConstrType_CONSTR_PRIMARY:
		kc.Type = "p"
		if kc.Name == "" {
			kc.Name = t.Name + "_pkey"
		}
		for _, name := range keys {
			if col := t.Column(name); col != nil {
				col.NotNull = true
			}
		}
	case pg_query.ConstrType_CONSTR_UNIQUE:
		kc.Type = "u"
		if kc.Name == "" {
			kc.Name = t.uniqueName(t.Name + "_" + strings.Join(keys, "_") + "_key")
		}
	case pg_query.ConstrType_CONSTR_EXCLUSION:
		kc.Type = "x"
		if kc.Name == "" {
			kc.Name = t.uniqueName(t.Name + "_excl")
		}
	case pg_query.ConstrType_CONSTR_FOREIGN:
		kc.Type = "f"
		kc.Columns = keyNames(k.FkAttrs)
		if len(kc.Columns) == 0 {
			kc.Columns = cols
		}
		kc.RefCols = keyNames(k.PkAttrs)
		if k.Pktable != nil {
			kc.RefTable = k.Pktable.Relname
		}
		if kc.Name == "" {
			kc.Name = t.uniqueName(t.Name + "_" + strings.Join(kc.Columns, "_") + "_fkey")
		}
	case pg_query.ConstrType_CONSTR_CHECK:
		kc.Type = "c"
		if nt := k.RawExpr.GetNullTest(); nt != nil && nt.Nulltesttype == pg_query.NullTestType_IS_NOT_NULL {
			if cr := nt.Arg.GetColumnRef(); cr != nil && len(cr.Fields) == 1 {
				kc.notNullOf = cr.Fields[0].GetString_().GetSval()
			}
		}
		if kc.Name == "" {
			col := ""
			if len(cols) > 0 {
				col = "_" + cols[0]
			}
			kc.Name = t.uniqueName(t.Name + col + "_check")
		}
	default:
		return
	}
	if kc.Type == "p" || kc.Type == "u" || kc.Type == "x" {
		ix := &Index{Name: kc.Name, Columns: keys, Unique: kc.Type != "x", Primary: kc.Type == "p", Constraint: kc.Name}
		if k.Indexname != "" { // ADD CONSTRAINT ... USING INDEX: the index is renamed to the constraint
			if old := t.Index(k.Indexname); old != nil {
				ix.Columns = old.Columns
				kc.Columns = old.Columns
				c.removeIndex(t, old.Name)
				if kc.Type == "p" {
					for _, name := range old.Columns {
						if col := t.Column(name); col != nil {
							col.NotNull = true
						}
					}
				}
			}
		}
		kc.Index = ix.Name
		t.Indexes = append(t.Indexes, ix)
		c.indexes[t.Schema+"."+ix.Name] = t
	}
	t.Constraints = append(t.Constraints, kc)
}

// uniqueName appends a number when name is already used by a constraint or index.
func (t *Table) uniqueName(name string) string {
	if t.Constraint(name) == nil && t.Index(name) == nil {
		return name
	}
	for n := 1; ; n++ {
		cand := name + itoa(n)
		if t.Constraint(cand) == nil && t.Index(cand) == nil {
			return cand
		}
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}

func (c *Catalog) removeIndex(t *Table, name string) {
	for j, ix := range t.Indexes {
		if ix.Name == name {
			t.Indexes = append(t.Indexes[:j:j], t.Indexes[j+1:]...)
			delete(c.indexes, t.Schema+"."+name)
			return
		}
	}
}

func (c *Catalog) removeConstraint(t *Table, name string) bool {
	for j, k := range t.Constraints {
		if k.Name == name {
			t.Constraints = append(t.Constraints[:j:j], t.Constraints[j+1:]...)
			if k.Index != "" {
				c.removeIndex(t, k.Index)
			}
			if k.Type == "p" {
				for _, cn := range k.Columns {
					_ = cn // PostgreSQL keeps NOT NULL after dropping a primary key (before 17 it is a separate attnotnull flag)
				}
			}
			return true
		}
	}
	return false
}

func (c *Catalog) applyCreateIndex(is *pg_query.IndexStmt, i int) {
	if is.Relation == nil {
		return
	}
	t := c.resolve(is.Relation.Schemaname, is.Relation.Relname)
	if t == nil {
		return
	}
	cols := indexColumns(is)
	name := is.Idxname
	if name == "" {
		part := strings.Join(nonEmpty(cols), "_")
		if part == "" {
			part = "expr"
		}
		suffix := "_idx"
		if is.Unique {
			suffix = "_key"
		}
		name = t.uniqueName(t.Name + "_" + part + suffix)
	} else if is.IfNotExists && t.Index(name) != nil {
		return
	}
	ix := &Index{Name: name, Columns: cols, Unique: is.Unique, Primary: is.Primary}
	t.Indexes = append(t.Indexes, ix)
	c.indexes[t.Schema+"."+name] = t
	t.lastTouch = i
}

func nonEmpty(s []string) []string {
	out := s[:0:0]
	for _, x := range s {
		if x != "" {
			out = append(out, x)
		}
	}
	return out
}

func (c *Catalog) applyAlterTable(at *pg_query.AlterTableStmt, i int) {
	if at.Relation == nil {
		return
	}
	t := c.resolve(at.Relation.Schemaname, at.Relation.Relname)
	if t == nil {
		if at.Objtype == pg_query.ObjectType_OBJECT_INDEX {
			return
		}
		return
	}
	if at.Objtype != pg_query.ObjectType_OBJECT_TABLE && at.Objtype != pg_query.ObjectType_OBJECT_FOREIGN_TABLE {
		t.lastTouch = i
		return
	}
	t.lastTouch, t.lastAlter = i, i
	for _, cmd := range alterCmds(at) {
		switch cmd.Subtype {
		case pg_query.AlterTableType_AT_AddColumn:
			if cd := cmd.Def.GetColumnDef(); cd != nil {
				if t.Column(cd.Colname) != nil {
					continue
				}
				c.addColumn(t, cd, i)
			}
		case pg_query.AlterTableType_AT_DropColumn:
			c.dropColumn(t, cmd.Name)
		case pg_query.AlterTableType_AT_AlterColumnType:
			if col := t.Column(cmd.Name); col != nil {
				if cd := cmd.Def.GetColumnDef(); cd != nil {
					col.Type = typeDisplay(cd.TypeName)
					if cd.CollClause != nil {
						col.Collation = lastName(cd.CollClause.Collname)
					}
				}
			}
		case pg_query.AlterTableType_AT_SetNotNull:
			if col := t.Column(cmd.Name); col != nil {
				col.NotNull = true
			}
		case pg_query.AlterTableType_AT_DropNotNull:
			if col := t.Column(cmd.Name); col != nil {
				col.NotNull = false
			}
		case pg_query.AlterTableType_AT_ColumnDefault:
			if col := t.Column(cmd.Name); col != nil {
				col.HasDefault = cmd.Def != nil
			}
		case pg_query.AlterTableType_AT_AddConstraint:
			if k := cmd.Def.GetConstraint(); k != nil {
				c.addConstraint(t, k, nil)
			}
		case pg_query.AlterTableType_AT_DropConstraint:
			c.removeConstraint(t, cmd.Name)
		case pg_query.AlterTableType_AT_ValidateConstraint:
			if k := t.Constraint(cmd.Name); k != nil {
				if k.NotValid {
					k.validAt = i
				}
				k.NotValid = false
			}
		case pg_query.AlterTableType_AT_AttachPartition, pg_query.AlterTableType_AT_DetachPartition:
		}
	}
}

// dropColumn removes a column and, as PostgreSQL does, every index and
// constraint that uses it.
func (c *Catalog) dropColumn(t *Table, name string) {
	found := false
	for j, col := range t.Columns {
		if col.Name == name {
			t.Columns = append(t.Columns[:j:j], t.Columns[j+1:]...)
			found = true
			break
		}
	}
	if !found {
		return
	}
	for _, k := range append([]*Constraint(nil), t.Constraints...) {
		if containsString(k.Columns, name) {
			c.removeConstraint(t, k.Name)
		}
	}
	for _, ix := range append([]*Index(nil), t.Indexes...) {
		if containsString(ix.Columns, name) {
			c.removeIndex(t, ix.Name)
		}
	}
}

func (c *Catalog) applyRename(rs *pg_query.RenameStmt, i int) {
	switch rs.RenameType {
	case pg_query.ObjectType_OBJECT_TABLE, pg_query.ObjectType_OBJECT_VIEW, pg_query.ObjectType_OBJECT_MATVIEW, pg_query.ObjectType_OBJECT_FOREIGN_TABLE:
		t := c.resolve(rs.Relation.Schemaname, rs.Relation.Relname)
		if t == nil {
			return
		}
		delete(c.tables, t.Schema+"."+t.Name)
		t.Name = rs.Newname
		c.tables[t.Schema+"."+t.Name] = t
		t.lastTouch, t.lastAlter = i, i
	case pg_query.ObjectType_OBJECT_COLUMN:
		t := c.resolve(rs.Relation.Schemaname, rs.Relation.Relname)
		if t == nil {
			return
		}
		if col := t.Column(rs.Subname); col != nil {
			col.Name = rs.Newname
			for _, k := range t.Constraints {
				renameIn(k.Columns, rs.Subname, rs.Newname)
			}
			for _, ix := range t.Indexes {
				renameIn(ix.Columns, rs.Subname, rs.Newname)
			}
		}
		t.lastTouch, t.lastAlter = i, i
	case pg_query.ObjectType_OBJECT_TABCONSTRAINT:
		t := c.resolve(rs.Relation.Schemaname, rs.Relation.Relname)
		if t == nil {
			return
		}
		if k := t.Constraint(rs.Subname); k != nil {
			k.Name = rs.Newname
			if ix := t.Index(k.Index); ix != nil {
				c.renameIndex(t, ix, rs.Newname)
				k.Index = rs.Newname
			}
		}
		t.lastTouch, t.lastAlter = i, i
	case pg_query.ObjectType_OBJECT_INDEX:
		schema := rs.Relation.Schemaname
		if schema == "" {
			schema = c.defaultSchema()
		}
		t := c.IndexTable(schema, rs.Relation.Relname)
		if t == nil {
			return
		}
		if ix := t.Index(rs.Relation.Relname); ix != nil {
			if k := t.Constraint(ix.Constraint); k != nil {
				k.Name = rs.Newname
				k.Index = rs.Newname
			}
			c.renameIndex(t, ix, rs.Newname)
		}
		t.lastTouch = i
	}
}

func (c *Catalog) renameIndex(t *Table, ix *Index, name string) {
	delete(c.indexes, t.Schema+"."+ix.Name)
	ix.Name = name
	if ix.Constraint != "" {
		ix.Constraint = name
	}
	c.indexes[t.Schema+"."+name] = t
}

func renameIn(list []string, from, to string) {
	for j, s := range list {
		if s == from {
			list[j] = to
		}
	}
}

func (c *Catalog) applyDrop(ds *pg_query.DropStmt) {
	for _, o := range ds.Objects {
		names := o.GetList()
		if names == nil {
			continue
		}
		schema, name := schemaOf(names.Items), lastName(names.Items)
		switch ds.RemoveType {
		case pg_query.ObjectType_OBJECT_TABLE, pg_query.ObjectType_OBJECT_VIEW, pg_query.ObjectType_OBJECT_MATVIEW, pg_query.ObjectType_OBJECT_FOREIGN_TABLE:
			if t := c.resolve(schema, name); t != nil {
				for _, ix := range t.Indexes {
					delete(c.indexes, t.Schema+"."+ix.Name)
				}
				delete(c.tables, t.Schema+"."+t.Name)
			}
		case pg_query.ObjectType_OBJECT_INDEX:
			if schema == "" {
				schema = c.defaultSchema()
			}
			if t := c.IndexTable(schema, name); t != nil {
				c.removeIndex(t, name)
			}
		case pg_query.ObjectType_OBJECT_SCHEMA:
			delete(c.schemas, name)
		}
	}
}

func (c *Catalog) applyComment(cs *pg_query.CommentStmt, i int) {
	var comment *string
	if cs.Comment != "" {
		s := cs.Comment
		comment = &s
	}
	names := cs.Object.GetList()
	switch cs.Objtype {
	case pg_query.ObjectType_OBJECT_TABLE, pg_query.ObjectType_OBJECT_VIEW, pg_query.ObjectType_OBJECT_MATVIEW:
		if names == nil {
			return
		}
		if t := c.resolve(schemaOf(names.Items), lastName(names.Items)); t != nil {
			t.Comment = comment
			t.commentAt = i
			t.lastTouch = i
		}
	case pg_query.ObjectType_OBJECT_COLUMN:
		if names == nil || len(names.Items) < 2 {
			return
		}
		items := names.Items
		col := strVal(items[len(items)-1])
		tbl := items[:len(items)-1]
		if t := c.resolve(schemaOf(tbl), lastName(tbl)); t != nil {
			if cc := t.Column(col); cc != nil {
				cc.Comment = comment
				cc.commentAt = i
			}
			t.lastTouch = i
		}
	}
}
