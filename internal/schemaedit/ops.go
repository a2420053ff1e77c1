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
	// SetUnlogged makes an existing table UNLOGGED (unlogged true) or
	// LOGGED again (false).
	SetUnlogged OpKind = "set_unlogged"
	// PartitionTable partitions a table created in the session by
	// partition_by (none: not partitioned).
	PartitionTable OpKind = "partition_table"
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
	// After places a new enum value after this one (default: last); for
	// move_column it is the column the moved one goes after ("" = first).
	After string `json:"after,omitempty"`
	// Columns of create_table; PrimaryKey its primary key columns.
	Columns    []ColumnSpec `json:"columns,omitempty"`
	PrimaryKey []string     `json:"primary_key,omitempty"`
	// PartitionBy makes create_table's (or partition_table's) table partitioned.
	PartitionBy *PartitionSpec `json:"partition_by,omitempty"`
	// Unlogged creates an UNLOGGED table (create_table), or is what
	// set_unlogged sets (false: LOGGED).
	Unlogged bool `json:"unlogged,omitempty"`
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
	// Args are the identity arguments of the function a comment op comments on.
	Args string `json:"args,omitempty"`
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
	// Generated is the expression of a GENERATED ALWAYS AS (...) STORED
	// column (no default, no identity; it may use the table's other,
	// non-generated columns).
	Generated string `json:"generated,omitempty"`
	// Collation is the column's collation ("C", "en_US", a schema's own
	// collation); empty: the type's default.
	Collation string `json:"collation,omitempty"`
}

// PartitionSpec is the partitioning of a new table: PARTITION BY
// method (columns).
type PartitionSpec struct {
	// Method is range, list or hash.
	Method string `json:"method"`
	// Columns are the partition key columns (one for list).
	Columns []string `json:"columns"`
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
	// Collation changes the collation ("" back to the type's default);
	// PostgreSQL does it as a type change (ALTER COLUMN ... TYPE ... COLLATE).
	Collation *string `json:"collation,omitempty"`
	// Generated sets ("" removes) the expression of a column created in the
	// session; PostgreSQL 15 cannot make an existing column generated or
	// change its expression, so that is refused.
	Generated *string `json:"generated,omitempty"`
}

// IndexSpec is a new index. Its keys are Columns (plain columns in
// ascending order) or Keys (columns or expressions with order and
// operator class), not both.
type IndexSpec struct {
	Name    string   `json:"name"`
	Columns []string `json:"columns,omitempty"`
	// Keys are the index keys in order when they need more than a column name.
	Keys   []IndexKeySpec `json:"keys,omitempty"`
	Unique bool           `json:"unique,omitempty"`
	// Method is btree (default), hash, gin, gist or brin.
	Method string `json:"method,omitempty"`
	// Where is the predicate of a partial index.
	Where string `json:"where,omitempty"`
	// Include are the INCLUDE (non-key) columns (btree and gist).
	Include []string `json:"include,omitempty"`
	// Concurrently chooses how the index is built on an existing table:
	// true CREATE INDEX CONCURRENTLY (writes go on; outside a transaction),
	// false a plain build (writes wait). Unset follows the preview's online
	// option. An index of a table created in the session is built with it.
	Concurrently *bool `json:"concurrently,omitempty"`
}

// IndexKeySpec is one index key: a column or an expression (as SQL, e.g.
// "lower(email)"), with its order and operator class.
type IndexKeySpec struct {
	Column     string `json:"column,omitempty"`
	Expression string `json:"expression,omitempty"`
	// Order is asc (default) or desc; Nulls is first or last (default: last
	// for asc, first for desc). btree only.
	Order string `json:"order,omitempty"`
	Nulls string `json:"nulls,omitempty"`
	// OpClass is the operator class (text_pattern_ops, jsonb_path_ops, ...);
	// empty: the type's default for the method.
	OpClass string `json:"opclass,omitempty"`
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
	// Deferrable and InitiallyDeferred (primary key, unique, foreign key):
	// DEFERRABLE [INITIALLY DEFERRED]; initially deferred implies deferrable.
	Deferrable        bool `json:"deferrable,omitempty"`
	InitiallyDeferred bool `json:"initially_deferred,omitempty"`
	// NotValidFirst chooses how a foreign key or check is added to an
	// existing table: true ADD ... NOT VALID then VALIDATE CONSTRAINT (the
	// scan does not block writes), false added and checked at once. Unset
	// follows the preview's online option.
	NotValidFirst *bool `json:"not_valid_first,omitempty"`
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
