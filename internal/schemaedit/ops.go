package schemaedit

// OpKind names an edit operation. The values are stable: they are the
// "op" of the JSON operations file (tidemark schema edit --ops).
type OpKind string

// Edit operations.
const (
	CreateSchema     OpKind = "create_schema"
	RenameSchema     OpKind = "rename_schema"
	DropSchema       OpKind = "drop_schema"
	CreateTable      OpKind = "create_table"
	RenameTable      OpKind = "rename_table"
	DropTable        OpKind = "drop_table"
	RestoreTable     OpKind = "restore_table"
	CommentTable     OpKind = "comment_table"
	AddColumn        OpKind = "add_column"
	RenameColumn     OpKind = "rename_column"
	DropColumn       OpKind = "drop_column"
	AlterColumn      OpKind = "alter_column"
	AddIndex         OpKind = "add_index"
	RenameIndex      OpKind = "rename_index"
	DropIndex        OpKind = "drop_index"
	AddConstraint    OpKind = "add_constraint"
	RenameConstraint OpKind = "rename_constraint"
	DropConstraint   OpKind = "drop_constraint"
	DropView         OpKind = "drop_view"
	AddEnumValue     OpKind = "add_enum_value"
	RenameEnumValue  OpKind = "rename_enum_value"
)

// Op is one staged edit. Schema and Table locate the object; Name is the
// schema, column, index, constraint or enum value the op acts on (for
// create_schema and drop_schema the schema; for table ops Table is the
// table); To is the new name of a rename; Type is the enum of enum ops.
type Op struct {
	Op     OpKind `json:"op"`
	Schema string `json:"schema,omitempty"`
	Table  string `json:"table,omitempty"`
	Name   string `json:"name,omitempty"`
	To     string `json:"to,omitempty"`
	Type   string `json:"type,omitempty"`
	// After places a new enum value after this one (default: last).
	After string `json:"after,omitempty"`
	// Columns of create_table; PrimaryKey its primary key columns.
	Columns    []ColumnSpec `json:"columns,omitempty"`
	PrimaryKey []string     `json:"primary_key,omitempty"`
	// Comment of comment_table (nil removes it).
	Comment    *string         `json:"comment,omitempty"`
	Column     *ColumnSpec     `json:"column,omitempty"`
	Set        *ColumnChange   `json:"set,omitempty"`
	Index      *IndexSpec      `json:"index,omitempty"`
	Constraint *ConstraintSpec `json:"constraint,omitempty"`
	// View is the definition of create_view and alter_view (apply_views.go).
	View *ViewSpec `json:"view,omitempty"`
	// Sequence holds the properties of create_sequence and alter_sequence (apply_sequences.go).
	Sequence *SequenceSpec `json:"sequence,omitempty"`
	// Kind is the kind of object a comment op comments on (apply_comments.go).
	Kind string `json:"kind,omitempty"`
}

// ColumnSpec is a new column.
type ColumnSpec struct {
	Name    string  `json:"name"`
	Type    string  `json:"type"`
	Default *string `json:"default,omitempty"`
	NotNull bool    `json:"not_null,omitempty"`
	// Identity is "always" or "by_default" for an identity column.
	Identity string  `json:"identity,omitempty"`
	Comment  *string `json:"comment,omitempty"`
}

// ColumnChange is what alter_column changes; nil fields stay as they are.
type ColumnChange struct {
	Type        *string `json:"type,omitempty"`
	Default     *string `json:"default,omitempty"`
	DropDefault bool    `json:"drop_default,omitempty"`
	NotNull     *bool   `json:"not_null,omitempty"`
	// Identity is "always", "by_default" or "none".
	Identity *string `json:"identity,omitempty"`
	Comment  *string `json:"comment,omitempty"`
	// DropComment removes the comment.
	DropComment bool `json:"drop_comment,omitempty"`
}

// IndexSpec is a new index over columns.
type IndexSpec struct {
	Name    string   `json:"name"`
	Columns []string `json:"columns"`
	Unique  bool     `json:"unique,omitempty"`
	// Method is btree (default), hash, gin, gist or brin.
	Method string `json:"method,omitempty"`
	// Where is the predicate of a partial index.
	Where string `json:"where,omitempty"`
}

// ConstraintSpec is a new table constraint.
type ConstraintSpec struct {
	Name string `json:"name"`
	// Type is primary_key, unique, check or foreign_key.
	Type    string   `json:"type"`
	Columns []string `json:"columns,omitempty"`
	// Check is the expression of a check constraint.
	Check string `json:"check,omitempty"`
	// The referenced table (schema defaults to the table's) and columns.
	RefSchema  string   `json:"ref_schema,omitempty"`
	RefTable   string   `json:"ref_table,omitempty"`
	RefColumns []string `json:"ref_columns,omitempty"`
	// OnDelete and OnUpdate: no_action (default), restrict, cascade, set_null, set_default.
	OnDelete string `json:"on_delete,omitempty"`
	OnUpdate string `json:"on_update,omitempty"`
}

// Mark is what an edit did to an object.
type Mark string

// Marks.
const (
	Created Mark = "created"
	Changed Mark = "changed"
	Dropped Mark = "dropped"
)

// Problem is a validation finding: the op (by position) and field at
// fault and a sentence for the user.
type Problem struct {
	Op      int    `json:"op"`
	Object  string `json:"object"`
	Field   string `json:"field"`
	Message string `json:"message"`
}
