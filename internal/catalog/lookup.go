package catalog

// Lookups over a model. They scan linearly (models are small next to a
// catalog round trip); callers doing many lookups should build their own maps.

// Namespace returns the schema named name, or nil.
func (s *Schema) Namespace(name string) *Namespace {
	for i := range s.Namespaces {
		if s.Namespaces[i].Name == name {
			return &s.Namespaces[i]
		}
	}
	return nil
}

// Table returns the table q, or nil.
func (s *Schema) Table(q QualifiedName) *Table {
	for i := range s.Tables {
		if s.Tables[i].QualifiedName == q {
			return &s.Tables[i]
		}
	}
	return nil
}

// View returns the view or materialized view q, or nil.
func (s *Schema) View(q QualifiedName) *View {
	for i := range s.Views {
		if s.Views[i].QualifiedName == q {
			return &s.Views[i]
		}
	}
	return nil
}

// Type returns the user-defined type q, or nil.
func (s *Schema) Type(q QualifiedName) *Type {
	for i := range s.Types {
		if s.Types[i].QualifiedName == q {
			return &s.Types[i]
		}
	}
	return nil
}

// Sequence returns the sequence q, or nil.
func (s *Schema) Sequence(q QualifiedName) *Sequence {
	for i := range s.Sequences {
		if s.Sequences[i].QualifiedName == q {
			return &s.Sequences[i]
		}
	}
	return nil
}

// Function returns the function, procedure or aggregate q with identity
// arguments args (as pg_get_function_identity_arguments renders them), or nil.
func (s *Schema) Function(q QualifiedName, args string) *Function {
	for i := range s.Functions {
		if s.Functions[i].QualifiedName == q && s.Functions[i].Args == args {
			return &s.Functions[i]
		}
	}
	return nil
}

// Column returns the column named name, or nil.
func (t *Table) Column(name string) *Column {
	for i := range t.Columns {
		if t.Columns[i].Name == name {
			return &t.Columns[i]
		}
	}
	return nil
}

// Constraint returns the constraint named name, or nil.
func (t *Table) Constraint(name string) *Constraint {
	for i := range t.Constraints {
		if t.Constraints[i].Name == name {
			return &t.Constraints[i]
		}
	}
	return nil
}

// Index returns the index named name, or nil.
func (t *Table) Index(name string) *Index {
	for i := range t.Indexes {
		if t.Indexes[i].Name == name {
			return &t.Indexes[i]
		}
	}
	return nil
}

// PrimaryKey returns the table's primary key constraint, or nil.
func (t *Table) PrimaryKey() *Constraint {
	for i := range t.Constraints {
		if t.Constraints[i].Type == ConstraintPrimaryKey {
			return &t.Constraints[i]
		}
	}
	return nil
}

// Ref returns the reference of the table, for dependency edges.
func (t *Table) Ref() ObjectRef {
	return ObjectRef{Kind: KindTable, Schema: t.Schema, Name: t.Name}
}

// Ref returns the reference of the view.
func (v *View) Ref() ObjectRef { return ObjectRef{Kind: KindView, Schema: v.Schema, Name: v.Name} }

// Ref returns the reference of the type.
func (t *Type) Ref() ObjectRef { return ObjectRef{Kind: KindType, Schema: t.Schema, Name: t.Name} }

// Ref returns the reference of the sequence.
func (q *Sequence) Ref() ObjectRef {
	return ObjectRef{Kind: KindSequence, Schema: q.Schema, Name: q.Name}
}

// Ref returns the reference of the function (with its identity arguments).
func (f *Function) Ref() ObjectRef {
	return ObjectRef{Kind: KindFunction, Schema: f.Schema, Name: f.Name, Args: f.Args}
}

// Ref returns the reference of the operator (operand types as Args).
func (o *Operator) Ref() ObjectRef {
	return ObjectRef{Kind: KindOperator, Schema: o.Schema, Name: o.Name, Args: o.Left + ", " + o.Right}
}
