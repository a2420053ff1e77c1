// Package catalog is Tidemark's typed model of a PostgreSQL schema: Inspect
// reads it from a live database (a handful of set-based catalog queries in one
// read-only snapshot), Dump renders it as deterministic DDL that loads into an
// empty database, and Normalize/Fingerprint make it comparable.
//
// The model is a plain value: every field is exported, JSON-serialisable with
// stable snake_case names, and free of OIDs, so two databases holding the same
// schema produce equal (and equally fingerprinted) models whatever the order
// their objects were created in. Packages that plan or review changes (diff,
// review) build on it; catalog imports none of them.
//
// Expressions (defaults, checks, index predicates, view queries, function
// bodies) are kept as PostgreSQL renders them (pg_get_expr, pg_get_indexdef,
// pg_get_viewdef, pg_get_functiondef, ...), beside a structured form (columns,
// referenced tables, options) that callers can reason about.
package catalog

// Schema is the whole model of one database. The zero value is an empty
// database. Slices are kept sorted by Normalize (Inspect returns a normalised
// value); columns keep their physical order.
type Schema struct {
	// Privileges reports whether owners, ACLs and default privileges were
	// captured. When false, Owner and ACL fields are empty and Dump emits no
	// OWNER/GRANT/REVOKE statements.
	Privileges bool `json:"privileges"`

	Namespaces        []Namespace        `json:"namespaces"`
	Extensions        []Extension        `json:"extensions"`
	Collations        []Collation        `json:"collations"`
	Types             []Type             `json:"types"`
	Sequences         []Sequence         `json:"sequences"`
	Tables            []Table            `json:"tables"`
	Views             []View             `json:"views"`
	Functions         []Function         `json:"functions"`
	Operators         []Operator         `json:"operators"`
	EventTriggers     []EventTrigger     `json:"event_triggers"`
	DefaultPrivileges []DefaultPrivilege `json:"default_privileges"`
	// Publications are the logical replication publications.
	Publications []Publication `json:"publications,omitempty"`
	// Casts are the user-defined casts.
	Casts []Cast `json:"casts,omitempty"`
	// TextSearchDicts and TextSearchConfigs are the text search
	// dictionaries and configurations.
	TextSearchDicts   []TextSearchDict   `json:"text_search_dictionaries,omitempty"`
	TextSearchConfigs []TextSearchConfig `json:"text_search_configurations,omitempty"`
	// ForeignWrappers, ForeignServers and ForeignTables are the SQL/MED
	// objects (user mappings are not read: their options hold passwords).
	ForeignWrappers []ForeignDataWrapper `json:"foreign_data_wrappers,omitempty"`
	ForeignServers  []ForeignServer      `json:"foreign_servers,omitempty"`
	ForeignTables   []ForeignTable       `json:"foreign_tables,omitempty"`
	// OperatorFamilies and OperatorClasses are the user-defined operator
	// families and classes (index support for types).
	OperatorFamilies []OperatorFamily `json:"operator_families,omitempty"`
	OperatorClasses  []OperatorClass  `json:"operator_classes,omitempty"`
}

// QualifiedName names a schema-scoped object. Name is the bare name; for
// functions, aggregates and operators the argument list is in the object's
// own Args/Identity field.
type QualifiedName struct {
	Schema string `json:"schema"`
	Name   string `json:"name"`
}

// ObjectKind names a kind of database object. The values are stable: they
// appear in ObjectRef keys, in Unsupported and in JSON output.
type ObjectKind string

// Object kinds modelled (and, for the ones after the blank line, only reported).
const (
	KindSchema          ObjectKind = "schema"
	KindExtension       ObjectKind = "extension"
	KindCollation       ObjectKind = "collation"
	KindType            ObjectKind = "type" // enum, domain, composite, range
	KindSequence        ObjectKind = "sequence"
	KindTable           ObjectKind = "table"
	KindView            ObjectKind = "view" // views and materialized views
	KindFunction        ObjectKind = "function"
	KindOperator        ObjectKind = "operator"
	KindEventTrigger    ObjectKind = "event_trigger"
	KindIndex           ObjectKind = "index"
	KindConstraint      ObjectKind = "constraint"
	KindTrigger         ObjectKind = "trigger"
	KindPolicy          ObjectKind = "policy"
	KindDefaultACL      ObjectKind = "default_privileges"
	KindColumn          ObjectKind = "column"
	KindOperatorClass   ObjectKind = "operator_class"
	KindOperatorFamily  ObjectKind = "operator_family"
	KindCast            ObjectKind = "cast"
	KindConversion      ObjectKind = "conversion"
	KindRule            ObjectKind = "rule"
	KindTextSearch      ObjectKind = "text_search"
	KindTSConfig        ObjectKind = "text_search_configuration"
	KindTSDict          ObjectKind = "text_search_dictionary"
	KindForeignTable    ObjectKind = "foreign_table"
	KindForeignServer   ObjectKind = "foreign_server"
	KindForeignWrapper  ObjectKind = "foreign_data_wrapper"
	KindUserMapping     ObjectKind = "user_mapping"
	KindPublication     ObjectKind = "publication"
	KindSubscription    ObjectKind = "subscription"
	KindStatistics      ObjectKind = "statistics"
	KindLanguage        ObjectKind = "language"
	KindTransform       ObjectKind = "transform"
	KindAccessMethod    ObjectKind = "access_method"
	KindTypeOther       ObjectKind = "type_other" // base/pseudo/multirange types created by users
	KindSecurityLabel   ObjectKind = "security_label"
	KindTablespaceUsage ObjectKind = "tablespace" // an object stored outside the default tablespace
)

// ObjectRef identifies one top-level object (or a table's sub-object) across
// databases: kind + schema + name (+ signature for functions and operators,
// + table for sub-objects). Its Key form is used for dependency edges.
type ObjectRef struct {
	Kind   ObjectKind `json:"kind"`
	Schema string     `json:"schema,omitempty"`
	Name   string     `json:"name"`
	// Args is the identity argument list of a function/aggregate/procedure
	// ("integer, text") or the operand types of an operator ("text, text").
	Args string `json:"args,omitempty"`
	// Table is the owning table or view for sub-objects (constraint, trigger,
	// policy, index is schema-scoped and does not use it).
	Table string `json:"table,omitempty"`
}

// Object is something found in the database that the model does not (yet)
// represent. Inspect lists every such object, so nothing is silently dropped.
type Object struct {
	Kind   ObjectKind `json:"kind"`
	Schema string     `json:"schema,omitempty"`
	Name   string     `json:"name"`
	// Detail says why it is listed (e.g. "operator class", "rule _RETURN on x").
	Detail string `json:"detail,omitempty"`
}

// Grant is one privilege of one grantee, as aclexplode reports it. Grantee
// "PUBLIC" stands for the public pseudo-role.
type Grant struct {
	Grantee   string `json:"grantee"`
	Grantor   string `json:"grantor"`
	Privilege string `json:"privilege"` // SELECT, INSERT, USAGE, EXECUTE, ...
	Grantable bool   `json:"grantable,omitempty"`
}

// Namespace is a schema (CREATE SCHEMA). Named Namespace to avoid clashing
// with the Schema model type.
type Namespace struct {
	Name    string  `json:"name"`
	Owner   string  `json:"owner,omitempty"`
	ACL     []Grant `json:"acl,omitempty"`
	Comment *string `json:"comment,omitempty"`
}

// Extension is an installed extension. Its member objects are not modelled.
type Extension struct {
	Name    string  `json:"name"`
	Schema  string  `json:"schema"`
	Version string  `json:"version"`
	Comment *string `json:"comment,omitempty"`
	// DependsOn lists the extensions this one requires.
	DependsOn []ObjectRef `json:"depends_on,omitempty"`
}

// Collation is a user-defined collation.
type Collation struct {
	QualifiedName
	Provider      string  `json:"provider"` // libc, icu, default
	Deterministic bool    `json:"deterministic"`
	LcCollate     string  `json:"lc_collate,omitempty"`
	LcCtype       string  `json:"lc_ctype,omitempty"`
	Locale        string  `json:"locale,omitempty"` // ICU locale (colliculocale / colllocale)
	Owner         string  `json:"owner,omitempty"`
	Comment       *string `json:"comment,omitempty"`
}

// TypeKind distinguishes the user-defined types the model covers.
type TypeKind string

// Type kinds.
const (
	TypeEnum      TypeKind = "enum"
	TypeDomain    TypeKind = "domain"
	TypeComposite TypeKind = "composite"
	TypeRange     TypeKind = "range"
)

// Type is a user-defined enum, domain, composite or range type.
type Type struct {
	QualifiedName
	Kind TypeKind `json:"kind"`

	// Enum: labels in sort order.
	Labels []string `json:"labels,omitempty"`

	// Domain: base type (format_type, schema-qualified when needed), collation,
	// default, NOT NULL and named constraints.
	BaseType    string             `json:"base_type,omitempty"`
	Collation   string             `json:"collation,omitempty"` // qualified, only when not the base type's default
	Default     *string            `json:"default,omitempty"`
	NotNull     bool               `json:"not_null,omitempty"`
	Constraints []DomainConstraint `json:"constraints,omitempty"`

	// Composite: attributes in order.
	Attributes []Attribute `json:"attributes,omitempty"`

	// Range: subtype and options (function names qualified).
	Subtype        string      `json:"subtype,omitempty"`
	SubtypeOpClass string      `json:"subtype_opclass,omitempty"`
	RangeCollation string      `json:"range_collation,omitempty"`
	Canonical      string      `json:"canonical,omitempty"`
	SubtypeDiff    string      `json:"subtype_diff,omitempty"`
	MultirangeName string      `json:"multirange_name,omitempty"` // when not the default name
	Owner          string      `json:"owner,omitempty"`
	ACL            []Grant     `json:"acl,omitempty"`
	Comment        *string     `json:"comment,omitempty"`
	DependsOn      []ObjectRef `json:"depends_on,omitempty"`
}

// DomainConstraint is a CHECK constraint on a domain.
type DomainConstraint struct {
	Name       string  `json:"name"`
	Definition string  `json:"definition"` // pg_get_constraintdef: "CHECK ((VALUE > 0))"
	NotValid   bool    `json:"not_valid,omitempty"`
	Comment    *string `json:"comment,omitempty"`
}

// Attribute is a column of a composite type.
type Attribute struct {
	Name      string  `json:"name"`
	Type      string  `json:"type"`
	Collation string  `json:"collation,omitempty"`
	Comment   *string `json:"comment,omitempty"`
}

// Sequence is a sequence (standalone, serial-owned, or an identity column's:
// identity sequences are modelled on the column, not here).
type Sequence struct {
	QualifiedName
	DataType  string `json:"data_type"` // smallint, integer, bigint
	Start     int64  `json:"start"`
	Increment int64  `json:"increment"`
	Min       int64  `json:"min"`
	Max       int64  `json:"max"`
	Cache     int64  `json:"cache"`
	Cycle     bool   `json:"cycle,omitempty"`
	Unlogged  bool   `json:"unlogged,omitempty"`
	// OwnedBy is the column the sequence belongs to (ALTER SEQUENCE ... OWNED BY).
	OwnedBy *ColumnRef `json:"owned_by,omitempty"`
	Owner   string     `json:"owner,omitempty"`
	ACL     []Grant    `json:"acl,omitempty"`
	Comment *string    `json:"comment,omitempty"`
}

// ColumnRef names a column of a table.
type ColumnRef struct {
	Table  QualifiedName `json:"table"`
	Column string        `json:"column"`
}

// TableKind is the relkind of a table.
type TableKind string

// Table kinds.
const (
	TableRegular     TableKind = "table"
	TablePartitioned TableKind = "partitioned"
)

// Table is a regular or partitioned table (with its sub-objects).
type Table struct {
	QualifiedName
	Kind     TableKind `json:"kind"`
	Unlogged bool      `json:"unlogged,omitempty"`
	// AccessMethod is the table access method when not heap.
	AccessMethod string   `json:"access_method,omitempty"`
	Columns      []Column `json:"columns"`
	// PartitionKey is pg_get_partkeydef for partitioned tables ("RANGE (payment_date)").
	PartitionKey string `json:"partition_key,omitempty"`
	// PartitionOf is the parent of a partition; PartitionBound its bound
	// ("FOR VALUES FROM (...) TO (...)", "DEFAULT").
	PartitionOf    *QualifiedName `json:"partition_of,omitempty"`
	PartitionBound string         `json:"partition_bound,omitempty"`
	// Inherits lists the parents of a (non-partition) inheritance child, in order.
	Inherits    []QualifiedName `json:"inherits,omitempty"`
	Constraints []Constraint    `json:"constraints,omitempty"`
	Indexes     []Index         `json:"indexes,omitempty"`
	Triggers    []Trigger       `json:"triggers,omitempty"`
	Policies    []Policy        `json:"policies,omitempty"`
	// Statistics are the extended statistics objects (CREATE STATISTICS)
	// defined on the table.
	Statistics []Statistics `json:"statistics,omitempty"`
	// Rules are the rewrite rules (CREATE RULE) on the table.
	Rules      []Rule `json:"rules,omitempty"`
	RLSEnabled bool   `json:"rls_enabled,omitempty"`
	RLSForced  bool   `json:"rls_forced,omitempty"`
	// ReplicaIdentity is "default", "nothing", "full" or "index" (the index is
	// marked by Index.ReplicaIdentity).
	ReplicaIdentity string      `json:"replica_identity,omitempty"`
	Options         []string    `json:"options,omitempty"` // reloptions, "fillfactor=70"
	Owner           string      `json:"owner,omitempty"`
	ACL             []Grant     `json:"acl,omitempty"`
	Comment         *string     `json:"comment,omitempty"`
	DependsOn       []ObjectRef `json:"depends_on,omitempty"`
}

// Column is a table column (physical order is kept by Normalize).
type Column struct {
	Name string `json:"name"`
	// Type is format_type(atttypid, atttypmod): typmod and array brackets
	// included, schema-qualified unless in pg_catalog ("character varying(20)[]").
	Type string `json:"type"`
	// TypeRef is the (element) type's schema and name, for dependency reasoning.
	TypeRef   QualifiedName `json:"type_ref"`
	Collation string        `json:"collation,omitempty"` // qualified; only when it differs from the type's default
	Default   *string       `json:"default,omitempty"`   // pg_get_expr; nil when none (or generated)
	NotNull   bool          `json:"not_null,omitempty"`
	// Identity is "always" or "by_default" for identity columns, with its sequence.
	Identity         string    `json:"identity,omitempty"`
	IdentitySequence *Sequence `json:"identity_sequence,omitempty"`
	// Generated is the expression of a GENERATED ALWAYS AS (...) STORED column.
	Generated string `json:"generated,omitempty"`
	// StatsTarget is the per-column statistics target when set (-1/NULL = default).
	StatsTarget *int `json:"stats_target,omitempty"`
	// Storage is plain/external/extended/main when it differs from the type default.
	Storage     string `json:"storage,omitempty"`
	Compression string `json:"compression,omitempty"` // pglz/lz4 when set
	// Inherited marks a column that comes only from a parent (attislocal false);
	// Dump does not repeat it in an inheritance child's column list.
	Inherited bool     `json:"inherited,omitempty"`
	Options   []string `json:"options,omitempty"` // attoptions (n_distinct=...)
	ACL       []Grant  `json:"acl,omitempty"`
	Comment   *string  `json:"comment,omitempty"`
}

// ConstraintType is a table constraint's kind.
type ConstraintType string

// Constraint types.
const (
	ConstraintPrimaryKey ConstraintType = "primary_key"
	ConstraintUnique     ConstraintType = "unique"
	ConstraintForeignKey ConstraintType = "foreign_key"
	ConstraintCheck      ConstraintType = "check"
	ConstraintExclusion  ConstraintType = "exclusion"
)

// Constraint is a table constraint. Definition is pg_get_constraintdef; the
// other fields are its structure.
type Constraint struct {
	Name       string         `json:"name"`
	Type       ConstraintType `json:"type"`
	Definition string         `json:"definition"`
	Columns    []string       `json:"columns,omitempty"`
	// Index is the name of the index enforcing a pk/unique/exclusion constraint.
	Index             string `json:"index,omitempty"`
	NullsNotDistinct  bool   `json:"nulls_not_distinct,omitempty"`
	Deferrable        bool   `json:"deferrable,omitempty"`
	InitiallyDeferred bool   `json:"initially_deferred,omitempty"`
	NotValid          bool   `json:"not_valid,omitempty"`
	NoInherit         bool   `json:"no_inherit,omitempty"`
	// Inherited marks a constraint that comes from a parent table or a
	// partitioned parent (not local): Dump does not create it, PostgreSQL does.
	Inherited bool `json:"inherited,omitempty"`
	// Foreign keys.
	RefTable   *QualifiedName `json:"ref_table,omitempty"`
	RefColumns []string       `json:"ref_columns,omitempty"`
	MatchType  string         `json:"match_type,omitempty"` // simple, full, partial
	OnUpdate   string         `json:"on_update,omitempty"`  // no_action, restrict, cascade, set_null, set_default
	OnDelete   string         `json:"on_delete,omitempty"`
	Comment    *string        `json:"comment,omitempty"`
	DependsOn  []ObjectRef    `json:"depends_on,omitempty"`
}

// Index is an index of a table or materialized view (including the ones
// backing constraints, marked by Constraint).
type Index struct {
	Name string `json:"name"`
	// Definition is pg_get_indexdef, schema-qualified ("CREATE UNIQUE INDEX a ON public.t USING btree (x)").
	Definition string `json:"definition"`
	Method     string `json:"method"`
	Unique     bool   `json:"unique,omitempty"`
	// NullsNotDistinct is UNIQUE NULLS NOT DISTINCT (PostgreSQL 15+).
	NullsNotDistinct bool `json:"nulls_not_distinct,omitempty"`
	Primary          bool `json:"primary,omitempty"`
	// Constraint names the constraint this index enforces, if any; Dump
	// creates such indexes through the constraint.
	Constraint string `json:"constraint,omitempty"`
	// Keys are the key columns/expressions in order; Include the INCLUDE columns.
	Keys    []IndexKey `json:"keys"`
	Include []string   `json:"include,omitempty"`
	// Predicate is the WHERE clause of a partial index.
	Predicate string   `json:"predicate,omitempty"`
	Options   []string `json:"options,omitempty"` // reloptions
	// Partitioned marks an index on a partitioned table; ParentIndex names the
	// partitioned index this one is attached to (for indexes of partitions).
	Partitioned     bool           `json:"partitioned,omitempty"`
	ParentIndex     *QualifiedName `json:"parent_index,omitempty"`
	Valid           bool           `json:"valid"`
	ReplicaIdentity bool           `json:"replica_identity,omitempty"`
	Clustered       bool           `json:"clustered,omitempty"`
	Comment         *string        `json:"comment,omitempty"`
	DependsOn       []ObjectRef    `json:"depends_on,omitempty"`
}

// IndexKey is one key of an index: a column or an expression with its
// collation, operator class and ordering (empty when default).
type IndexKey struct {
	Column     string `json:"column,omitempty"`
	Expression string `json:"expression,omitempty"`
	Collation  string `json:"collation,omitempty"`
	OpClass    string `json:"opclass,omitempty"`
	// OpClassOptions are the operator class's parameters ("siglen=100").
	OpClassOptions []string `json:"opclass_options,omitempty"`
	Descending     bool     `json:"descending,omitempty"`
	// NullsFirst/NullsLast are set only when they differ from the ordering's default.
	NullsFirst bool `json:"nulls_first,omitempty"`
	NullsLast  bool `json:"nulls_last,omitempty"`
	// StatsTarget is the statistics target of an expression key when set
	// (ALTER INDEX ... ALTER COLUMN n SET STATISTICS).
	StatsTarget *int `json:"stats_target,omitempty"`
}

// Trigger is a trigger on a table or view (constraint triggers included;
// internal triggers of foreign keys and triggers cloned onto partitions are not).
type Trigger struct {
	Name string `json:"name"`
	// Definition is pg_get_triggerdef.
	Definition string        `json:"definition"`
	Function   QualifiedName `json:"function"`
	Timing     string        `json:"timing"` // BEFORE, AFTER, INSTEAD OF
	Events     []string      `json:"events"` // INSERT, UPDATE, DELETE, TRUNCATE
	UpdateOf   []string      `json:"update_of,omitempty"`
	ForEachRow bool          `json:"for_each_row,omitempty"`
	When       string        `json:"when,omitempty"`
	// Constraint is true for CREATE CONSTRAINT TRIGGER.
	Constraint        bool `json:"constraint,omitempty"`
	Deferrable        bool `json:"deferrable,omitempty"`
	InitiallyDeferred bool `json:"initially_deferred,omitempty"`
	// Enabled is O (origin, default), D (disabled), R (replica), A (always).
	Enabled string  `json:"enabled"`
	Comment *string `json:"comment,omitempty"`
}

// Policy is a row-level security policy.
type Policy struct {
	Name       string   `json:"name"`
	Permissive bool     `json:"permissive"`
	Command    string   `json:"command"` // ALL, SELECT, INSERT, UPDATE, DELETE
	Roles      []string `json:"roles"`   // "PUBLIC" for public
	Using      string   `json:"using,omitempty"`
	WithCheck  string   `json:"with_check,omitempty"`
	Comment    *string  `json:"comment,omitempty"`
}

// Statistics is an extended statistics object (CREATE STATISTICS) on one
// table. It lives in a schema of its own (Schema), usually the table's.
type Statistics struct {
	Schema string `json:"schema"`
	Name   string `json:"name"`
	// Definition is pg_get_statisticsobjdef, schema-qualified
	// ("CREATE STATISTICS public.s (ndistinct) ON a, b FROM public.t").
	Definition string `json:"definition"`
	// Columns are the plain column keys in order; Kinds the statistics
	// kinds built (ndistinct, dependencies, mcv, expressions).
	Columns []string `json:"columns,omitempty"`
	Kinds   []string `json:"kinds,omitempty"`
	// StatsTarget is ALTER STATISTICS ... SET STATISTICS when set.
	StatsTarget *int    `json:"stats_target,omitempty"`
	Owner       string  `json:"owner,omitempty"`
	Comment     *string `json:"comment,omitempty"`
}

// Rule is a rewrite rule (CREATE RULE) on a table.
type Rule struct {
	Name string `json:"name"`
	// Event is SELECT, INSERT, UPDATE or DELETE.
	Event string `json:"event"`
	// Definition is pg_get_ruledef, schema-qualified and ending in ";"
	// ("CREATE RULE r AS ON DELETE TO public.t DO INSTEAD NOTHING;").
	Definition string `json:"definition"`
	// Enabled is "origin" (the default), "replica", "always" or "disabled"
	// (ALTER TABLE ... ENABLE REPLICA | ALWAYS | DISABLE RULE).
	Enabled string  `json:"enabled,omitempty"`
	Comment *string `json:"comment,omitempty"`
	// DependsOn are the objects its condition and actions use (other than
	// its table).
	DependsOn []ObjectRef `json:"depends_on,omitempty"`
}

// View is a view or a materialized view.
type View struct {
	QualifiedName
	Materialized bool `json:"materialized,omitempty"`
	// Definition is pg_get_viewdef (the query, ending with ";" stripped).
	Definition string `json:"definition"`
	// Columns are the view's output columns in order (name and type).
	Columns []ViewColumn `json:"columns"`
	// CheckOption is "local" or "cascaded" for WITH CHECK OPTION.
	CheckOption     string   `json:"check_option,omitempty"`
	SecurityBarrier bool     `json:"security_barrier,omitempty"`
	SecurityInvoker bool     `json:"security_invoker,omitempty"`
	Options         []string `json:"options,omitempty"` // all reloptions
	// Indexes of a materialized view.
	Indexes  []Index   `json:"indexes,omitempty"`
	Triggers []Trigger `json:"triggers,omitempty"`
	// Rules are the rewrite rules of a view other than its _RETURN rule
	// (which is its definition).
	Rules []Rule `json:"rules,omitempty"`
	// Statistics are the extended statistics on a materialized view.
	Statistics   []Statistics `json:"statistics,omitempty"`
	AccessMethod string       `json:"access_method,omitempty"`
	// WithNoData marks a materialized view that is not populated.
	WithNoData bool        `json:"with_no_data,omitempty"`
	Owner      string      `json:"owner,omitempty"`
	ACL        []Grant     `json:"acl,omitempty"`
	Comment    *string     `json:"comment,omitempty"`
	DependsOn  []ObjectRef `json:"depends_on,omitempty"`
}

// ViewColumn is an output column of a view.
type ViewColumn struct {
	Name    string  `json:"name"`
	Type    string  `json:"type"`
	Default *string `json:"default,omitempty"` // ALTER VIEW ... SET DEFAULT
	ACL     []Grant `json:"acl,omitempty"`
	Comment *string `json:"comment,omitempty"`
}

// FunctionKind distinguishes functions, procedures and aggregates.
type FunctionKind string

// Function kinds.
const (
	FunctionPlain     FunctionKind = "function"
	FunctionProcedure FunctionKind = "procedure"
	FunctionAggregate FunctionKind = "aggregate"
	FunctionWindow    FunctionKind = "window"
)

// Function is a function, procedure or aggregate.
type Function struct {
	QualifiedName
	Kind FunctionKind `json:"kind"`
	// Args is pg_get_function_identity_arguments ("a integer, b text"), the
	// part of the signature that identifies it; ArgsFull includes defaults
	// and modes (pg_get_function_arguments).
	Args     string `json:"args"`
	ArgsFull string `json:"args_full"`
	// Result is pg_get_function_result ("integer", "SETOF record", "TABLE(...)").
	Result   string `json:"result,omitempty"`
	Language string `json:"language"`
	// Definition is pg_get_functiondef (CREATE OR REPLACE FUNCTION ...); empty for aggregates.
	Definition string `json:"definition"`
	// Body is prosrc (or the SQL-standard body from pg_get_function_sqlbody).
	Body       string   `json:"body,omitempty"`
	Volatility string   `json:"volatility,omitempty"` // immutable, stable, volatile
	Strict     bool     `json:"strict,omitempty"`
	Security   string   `json:"security,omitempty"` // definer when SECURITY DEFINER
	Leakproof  bool     `json:"leakproof,omitempty"`
	Parallel   string   `json:"parallel,omitempty"` // safe, restricted, unsafe
	Cost       float64  `json:"cost,omitempty"`
	Rows       float64  `json:"rows,omitempty"`
	Config     []string `json:"config,omitempty"` // SET options ("search_path=public")
	// Aggregate is the CREATE AGGREGATE body for aggregates
	// ("SFUNC = ..., STYPE = ...").
	Aggregate string      `json:"aggregate,omitempty"`
	Owner     string      `json:"owner,omitempty"`
	ACL       []Grant     `json:"acl,omitempty"`
	Comment   *string     `json:"comment,omitempty"`
	DependsOn []ObjectRef `json:"depends_on,omitempty"`
}

// Operator is a user-defined operator.
type Operator struct {
	QualifiedName
	Left       string      `json:"left,omitempty"` // left operand type, empty for prefix operators
	Right      string      `json:"right"`
	Function   string      `json:"function"` // qualified function name
	Commutator string      `json:"commutator,omitempty"`
	Negator    string      `json:"negator,omitempty"`
	Restrict   string      `json:"restrict,omitempty"`
	Join       string      `json:"join,omitempty"`
	Hashes     bool        `json:"hashes,omitempty"`
	Merges     bool        `json:"merges,omitempty"`
	Owner      string      `json:"owner,omitempty"`
	Comment    *string     `json:"comment,omitempty"`
	DependsOn  []ObjectRef `json:"depends_on,omitempty"`
}

// ForeignDataWrapper is a foreign-data wrapper not created by an extension.
type ForeignDataWrapper struct {
	Name string `json:"name"`
	// Handler and Validator are function names ("" for none).
	Handler   string `json:"handler,omitempty"`
	Validator string `json:"validator,omitempty"`
	// Options are rendered as OPTIONS takes them: "host 'db1'".
	Options []string `json:"options,omitempty"`
	Owner   string   `json:"owner,omitempty"`
	Comment *string  `json:"comment,omitempty"`
}

// Key is the wrapper's DumpNode key.
func (w *ForeignDataWrapper) Key() string { return "foreign_data_wrapper:" + QuoteIdent(w.Name) }

// ForeignServer is a foreign server.
type ForeignServer struct {
	Name    string   `json:"name"`
	Wrapper string   `json:"wrapper"`
	Type    *string  `json:"type,omitempty"`
	Version *string  `json:"version,omitempty"`
	Options []string `json:"options,omitempty"`
	Owner   string   `json:"owner,omitempty"`
	Comment *string  `json:"comment,omitempty"`
}

// ForeignServerKey is the DumpNode key of server name.
func ForeignServerKey(name string) string { return "foreign_server:" + QuoteIdent(name) }

// ForeignTable is a foreign table (a partition too; not an inheritance child).
type ForeignTable struct {
	QualifiedName
	Server  string          `json:"server"`
	Options []string        `json:"options,omitempty"`
	Columns []ForeignColumn `json:"columns"`
	// PartitionOf and PartitionBound ("FOR VALUES IN (1)") are set for a
	// partition of a partitioned table.
	PartitionOf    *QualifiedName `json:"partition_of,omitempty"`
	PartitionBound string         `json:"partition_bound,omitempty"`
	// Checks are its CHECK constraints, by name.
	Checks []ForeignCheck `json:"checks,omitempty"`
	// Statistics are the extended statistics on the foreign table.
	Statistics []Statistics `json:"statistics,omitempty"`
	Owner      string       `json:"owner,omitempty"`
	ACL        []Grant      `json:"acl,omitempty"`
	Comment    *string      `json:"comment,omitempty"`
}

// Ref is the foreign table's reference.
func (t *ForeignTable) Ref() ObjectRef {
	return ObjectRef{Kind: KindForeignTable, Schema: t.Schema, Name: t.Name}
}

// ForeignCheck is a CHECK constraint of a foreign table (PostgreSQL does
// not enforce it; the planner trusts it).
type ForeignCheck struct {
	Name string `json:"name"`
	// Definition is pg_get_constraintdef without " NOT VALID".
	Definition string `json:"definition"`
	NotValid   bool   `json:"not_valid,omitempty"`
	// Inherited marks a partition's constraint that comes from its parent.
	Inherited bool    `json:"inherited,omitempty"`
	Comment   *string `json:"comment,omitempty"`
}

// ForeignColumn is a column of a foreign table.
type ForeignColumn struct {
	Name      string        `json:"name"`
	Type      string        `json:"type"`
	TypeRef   QualifiedName `json:"type_ref"`
	NotNull   bool          `json:"not_null,omitempty"`
	Default   *string       `json:"default,omitempty"`
	Collation string        `json:"collation,omitempty"`
	Options   []string      `json:"options,omitempty"`
	Comment   *string       `json:"comment,omitempty"`
}

// OperatorFamily is an operator family (CREATE OPERATOR FAMILY) with its
// loose members: the operators and support functions added to the family
// itself (ALTER OPERATOR FAMILY ... ADD, or a cross-type member of a
// CREATE OPERATOR CLASS), not bound to one of its classes.
type OperatorFamily struct {
	QualifiedName
	// Method is the index access method ("btree").
	Method  string     `json:"method"`
	Members []OpMember `json:"members,omitempty"`
	Owner   string     `json:"owner,omitempty"`
	Comment *string    `json:"comment,omitempty"`
	// DependsOn are the operators and functions its members use.
	DependsOn []ObjectRef `json:"depends_on,omitempty"`
}

// Ref is the family's reference (the access method as Args: families of
// different methods may share a name).
func (f *OperatorFamily) Ref() ObjectRef {
	return ObjectRef{Kind: KindOperatorFamily, Schema: f.Schema, Name: f.Name, Args: f.Method}
}

// OperatorClass is an operator class (CREATE OPERATOR CLASS): how an index
// of an access method handles a type, in its family.
type OperatorClass struct {
	QualifiedName
	Method string `json:"method"`
	// Type is the input type, as format_type renders it.
	Type string `json:"type"`
	// Default marks the default class of Type for Method.
	Default bool `json:"default,omitempty"`
	// Family is the family it belongs to (same method).
	Family QualifiedName `json:"family"`
	// Storage is the type stored in the index when it differs from Type.
	Storage string `json:"storage,omitempty"`
	// Members are the operators and support functions bound to the class.
	Members []OpMember `json:"members,omitempty"`
	Owner   string     `json:"owner,omitempty"`
	Comment *string    `json:"comment,omitempty"`
	// DependsOn are its family, types, operators and functions.
	DependsOn []ObjectRef `json:"depends_on,omitempty"`
}

// Ref is the class's reference (the access method as Args).
func (c *OperatorClass) Ref() ObjectRef {
	return ObjectRef{Kind: KindOperatorClass, Schema: c.Schema, Name: c.Name, Args: c.Method}
}

// OpMember is an operator (strategy) or support function of an operator
// class or family.
type OpMember struct {
	// Function marks a support function; otherwise an operator.
	Function bool `json:"function,omitempty"`
	// Number is the strategy or support number.
	Number int `json:"number"`
	// Left and Right are the operand types it is registered for.
	Left  string `json:"left"`
	Right string `json:"right"`
	// Object is the operator (regoperator: "public.<(integer,integer)") or
	// the function (regprocedure: "public.cmp(integer,integer)").
	Object string `json:"object"`
	// SortFamily is the btree family an ordering operator sorts by
	// (FOR ORDER BY), qualified; "" for a search operator.
	SortFamily string `json:"sort_family,omitempty"`
}

// TextSearchDict is a text search dictionary.
type TextSearchDict struct {
	QualifiedName
	// Template is the qualified template ("pg_catalog.simple").
	Template string `json:"template"`
	// Options are the init options as CREATE takes them
	// ("stopwords = 'english'"), "" for none.
	Options string  `json:"options,omitempty"`
	Owner   string  `json:"owner,omitempty"`
	Comment *string `json:"comment,omitempty"`
}

// Ref is the dictionary's reference.
func (d *TextSearchDict) Ref() ObjectRef {
	return ObjectRef{Kind: KindTSDict, Schema: d.Schema, Name: d.Name}
}

// TextSearchConfig is a text search configuration.
type TextSearchConfig struct {
	QualifiedName
	// Parser is the qualified parser (`pg_catalog."default"`).
	Parser string `json:"parser"`
	// Mappings are in the parser's token type order.
	Mappings []TSMapping `json:"mappings,omitempty"`
	Owner    string      `json:"owner,omitempty"`
	Comment  *string     `json:"comment,omitempty"`
}

// Ref is the configuration's reference.
func (c *TextSearchConfig) Ref() ObjectRef {
	return ObjectRef{Kind: KindTSConfig, Schema: c.Schema, Name: c.Name}
}

// TSMapping maps a token type to dictionaries, tried in order.
type TSMapping struct {
	Token string          `json:"token"`
	Dicts []QualifiedName `json:"dicts"`
}

// Cast is a user-defined cast (CREATE CAST).
type Cast struct {
	// Source and Target are the types as format_type renders them.
	Source string `json:"source"`
	Target string `json:"target"`
	// Method is "function" (WITH FUNCTION), "binary" (WITHOUT FUNCTION) or
	// "inout" (WITH INOUT).
	Method string `json:"method"`
	// Function is the cast function's qualified signature
	// ("public.int_to_pair(integer)") when Method is "function".
	Function string `json:"function,omitempty"`
	// Context is "explicit", "assignment" (AS ASSIGNMENT) or "implicit".
	Context string  `json:"context"`
	Comment *string `json:"comment,omitempty"`
	// DependsOn are its function and types.
	DependsOn []ObjectRef `json:"depends_on,omitempty"`
}

// Name is how a cast is named in DDL and reports: "integer AS public.pair".
func (c *Cast) Name() string { return c.Source + " AS " + c.Target }

// Ref is the cast's reference.
func (c *Cast) Ref() ObjectRef { return ObjectRef{Kind: KindCast, Name: c.Name()} }

// Publication is a logical replication publication (CREATE PUBLICATION).
type Publication struct {
	Name string `json:"name"`
	// AllTables is FOR ALL TABLES; otherwise Tables and Schemas (FOR TABLES
	// IN SCHEMA) say what it publishes.
	AllTables bool               `json:"all_tables,omitempty"`
	Tables    []PublicationTable `json:"tables,omitempty"`
	Schemas   []string           `json:"schemas,omitempty"`
	// Publish are the operations published, of insert, update, delete and
	// truncate, in that order.
	Publish []string `json:"publish"`
	// ViaRoot is publish_via_partition_root.
	ViaRoot bool    `json:"via_root,omitempty"`
	Owner   string  `json:"owner,omitempty"`
	Comment *string `json:"comment,omitempty"`
}

// PublicationTable is a table a publication lists, with its column list
// and row filter (PostgreSQL 15).
type PublicationTable struct {
	Table   QualifiedName `json:"table"`
	Columns []string      `json:"columns,omitempty"`
	Where   string        `json:"where,omitempty"`
}

// EventTrigger is an event trigger.
type EventTrigger struct {
	Name     string        `json:"name"`
	Event    string        `json:"event"`
	Tags     []string      `json:"tags,omitempty"`
	Function QualifiedName `json:"function"`
	Enabled  string        `json:"enabled"` // O, D, R, A
	Owner    string        `json:"owner,omitempty"`
	Comment  *string       `json:"comment,omitempty"`
}

// DefaultPrivilege is one ALTER DEFAULT PRIVILEGES entry: the privileges
// Role's future objects of ObjectType (in Schema, or everywhere) get.
type DefaultPrivilege struct {
	Role       string  `json:"role"`
	Schema     string  `json:"schema,omitempty"`
	ObjectType string  `json:"object_type"` // tables, sequences, functions, types, schemas
	Grants     []Grant `json:"grants"`
}

// Result is what Inspect returns: the model, what it could not model, and
// where it came from.
type Result struct {
	Schema        Schema `json:"schema"`
	ServerVersion int    `json:"server_version"` // server_version_num, e.g. 150014
	Fingerprint   string `json:"fingerprint"`
	// Unsupported lists objects the model does not represent (never silently dropped).
	Unsupported []Object `json:"unsupported"`
	// Skipped lists schemas that could not be read, with the reason.
	Skipped []Object `json:"skipped,omitempty"`
	// Connections is how many connections read the catalog (1, or more when
	// read in parallel on one shared snapshot).
	Connections int `json:"connections"`
}
