package sqlparse

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// Object is a database object a statement names.
type Object struct {
	Type   string `json:"type"`   // "table" (any relation), "index", "view", "sequence", "function", "type", "schema", "database", ...
	Schema string `json:"schema"` // "" when not written
	Name   string `json:"name"`
}

// Objects returns the objects a statement creates, alters, drops or reads,
// in order of first appearance and without duplicates. Relations named in
// queries are reported as "table" (the parser cannot tell tables from views);
// references to CTEs are left out.
func Objects(n *pg_query.Node) []Object {
	if n == nil {
		return nil
	}
	var out []Object
	seen := map[Object]bool{}
	add := func(typ, schema, name string) {
		if name == "" {
			return
		}
		o := Object{Type: typ, Schema: schema, Name: name}
		if !seen[o] {
			seen[o] = true
			out = append(out, o)
		}
	}
	addList := func(typ string, names []*pg_query.Node) {
		parts := make([]string, 0, len(names))
		for _, x := range names {
			parts = append(parts, x.GetString_().GetSval())
		}
		switch len(parts) {
		case 0:
		case 1:
			add(typ, "", parts[0])
		default:
			add(typ, parts[len(parts)-2], parts[len(parts)-1])
		}
	}
	// What the statement defines or removes first.
	switch s := n.Node.(type) {
	case *pg_query.Node_IndexStmt:
		schema := ""
		if s.IndexStmt.Relation != nil {
			schema = s.IndexStmt.Relation.Schemaname
		}
		add("index", schema, s.IndexStmt.Idxname)
	case *pg_query.Node_ViewStmt:
		add("view", s.ViewStmt.View.Schemaname, s.ViewStmt.View.Relname)
	case *pg_query.Node_CreateSeqStmt:
		add("sequence", s.CreateSeqStmt.Sequence.Schemaname, s.CreateSeqStmt.Sequence.Relname)
	case *pg_query.Node_AlterSeqStmt:
		add("sequence", s.AlterSeqStmt.Sequence.Schemaname, s.AlterSeqStmt.Sequence.Relname)
	case *pg_query.Node_CreateFunctionStmt:
		addList("function", s.CreateFunctionStmt.Funcname)
	case *pg_query.Node_CreateSchemaStmt:
		add("schema", "", s.CreateSchemaStmt.Schemaname)
	case *pg_query.Node_CreatedbStmt:
		add("database", "", s.CreatedbStmt.Dbname)
	case *pg_query.Node_DropdbStmt:
		add("database", "", s.DropdbStmt.Dbname)
	case *pg_query.Node_CreateEnumStmt:
		addList("type", s.CreateEnumStmt.TypeName)
	case *pg_query.Node_AlterEnumStmt:
		addList("type", s.AlterEnumStmt.TypeName)
	case *pg_query.Node_CreateDomainStmt:
		addList("domain", s.CreateDomainStmt.Domainname)
	case *pg_query.Node_AlterDomainStmt:
		addList("domain", s.AlterDomainStmt.TypeName)
	case *pg_query.Node_CreateExtensionStmt:
		add("extension", "", s.CreateExtensionStmt.Extname)
	case *pg_query.Node_DropStmt:
		typ := strings.ToLower(ObjectTypeName(s.DropStmt.RemoveType))
		for _, o := range s.DropStmt.Objects {
			switch {
			case o.GetList() != nil:
				addList(typ, o.GetList().Items)
			case o.GetString_() != nil:
				add(typ, "", o.GetString_().Sval)
			case o.GetTypeName() != nil:
				addList(typ, o.GetTypeName().Names)
			case o.GetObjectWithArgs() != nil:
				addList(typ, o.GetObjectWithArgs().Objname)
			}
		}
	case *pg_query.Node_RenameStmt:
		if s.RenameStmt.RenameType == pg_query.ObjectType_OBJECT_INDEX && s.RenameStmt.Relation != nil {
			add("index", s.RenameStmt.Relation.Schemaname, s.RenameStmt.Relation.Relname)
		}
	}
	// Relations named anywhere in the statement.
	ctes := map[string]bool{}
	Walk(n, func(m proto.Message) bool {
		if c, ok := m.(*pg_query.CommonTableExpr); ok {
			ctes[c.Ctename] = true
		}
		return true
	})
	Walk(n, func(m proto.Message) bool {
		rv, ok := m.(*pg_query.RangeVar)
		if !ok || rv.Relname == "" || rv.Schemaname == "" && ctes[rv.Relname] {
			return true
		}
		if v := n.GetViewStmt(); v != nil && v.View == rv {
			return true
		}
		if q := n.GetCreateSeqStmt(); q != nil && q.Sequence == rv {
			return true
		}
		if q := n.GetAlterSeqStmt(); q != nil && q.Sequence == rv {
			return true
		}
		if r := n.GetRenameStmt(); r != nil && r.Relation == rv && r.RenameType == pg_query.ObjectType_OBJECT_INDEX {
			return true
		}
		add("table", rv.Schemaname, rv.Relname)
		return true
	})
	return out
}

// Walk calls fn on every message of the parse tree under msg (msg
// included), descending below a message only while fn returns true. The
// *pg_query.Node wrappers of the tree's oneofs are passed through without a
// call: fn sees the concrete nodes (SelectStmt, ColumnRef, ...).
func Walk(msg proto.Message, fn func(m proto.Message) bool) {
	var visit func(m protoreflect.Message)
	visit = func(m protoreflect.Message) {
		if !m.IsValid() {
			return
		}
		if _, isNode := m.Interface().(*pg_query.Node); !isNode && !fn(m.Interface()) {
			return
		}
		m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
			if fd.Kind() != protoreflect.MessageKind || fd.IsMap() {
				return true
			}
			if fd.IsList() {
				l := v.List()
				for i := 0; i < l.Len(); i++ {
					visit(l.Get(i).Message())
				}
				return true
			}
			visit(v.Message())
			return true
		})
	}
	visit(msg.ProtoReflect())
}
