package catalog

import (
	"bytes"
	"container/heap"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// DumpOptions tune Dump. The zero value dumps everything the model holds.
type DumpOptions struct {
	// NoPrivileges leaves out OWNER TO, GRANT/REVOKE and ALTER DEFAULT
	// PRIVILEGES even when the model holds them.
	NoPrivileges bool
	// NoComments leaves out COMMENT ON statements.
	NoComments bool
	// NoHeader leaves out the leading SET statements.
	NoHeader bool
}

// Dump renders s as DDL that loads into an empty database (with psql or as
// one multi-statement string). The output depends only on the schema, not
// on the order objects were created in: statements are ordered by a
// topological sort of the dependencies (pg_depend edges captured by Inspect
// plus references in the model), ties broken by a fixed rank per statement
// kind and then by name. Schemas, extensions, types, functions, sequences,
// tables and views come first; foreign keys, triggers, policies, event
// triggers and privileges after everything they could use.
//
// Dump only reads s. It does not need s normalised: every statement is a
// node with a unique key, nodes are ordered by key, and the few lists
// rendered inside one statement (a domain's constraints, a table's inline
// CHECK constraints, a policy's roles) are sorted where they are rendered.
func Dump(s Schema, opts DumpOptions) []byte { return dump(s, opts, parallelTables) }

// dump is Dump, rendering tables on several goroutines from parallelFrom tables.
func dump(s Schema, opts DumpOptions, parallelFrom int) []byte {
	d := newDumper(&s, opts, parallelFrom)
	d.build()
	nodes := d.order()
	size := 256
	for _, n := range nodes {
		for _, st := range n.stmts {
			size += len(st) + 3
		}
	}
	var b bytes.Buffer
	b.Grow(size)
	if !opts.NoHeader {
		b.WriteString("-- Schema dump by Tidemark. Load with psql or as one script into an empty database.\n\n")
		b.WriteString("SET check_function_bodies = false;\n")
		b.WriteString("SET client_min_messages = warning;\n")
		b.WriteString("SET search_path = '';\n\n")
	}
	for _, n := range nodes {
		for _, st := range n.stmts {
			b.WriteString(st)
			b.WriteString(";\n\n")
		}
	}
	return bytes.TrimRight(b.Bytes(), "\n")
}

// Statement ranks: the tie-break between statements whose dependencies are
// all met, so the script reads like pg_dump's (and does not depend on
// creation order).
const (
	rankSchema = iota
	rankExtension
	rankCollation
	rankType
	rankFunction
	rankOperator
	rankOpFamily
	rankOpClass
	rankTextSearch
	rankCast
	rankForeign
	rankSequence
	rankTable
	rankView
	rankOwnedBy
	rankAttach
	rankConstraint
	rankIndex
	rankIndexAttach
	rankBarrier
	rankForeignKey
	rankStatistics
	rankRule
	rankTrigger
	rankPolicy
	rankEventTrigger
	rankPublication
	rankACL
	rankDefaultACL
)

type node struct {
	key   string
	rank  int
	stmts []string
	deps  []string
	// post marks statements placed after every schema object (behind the barrier).
	post    bool
	pending int
	users   []*node
	done    bool
}

type dumper struct {
	s     *Schema
	opts  DumpOptions
	priv  bool
	nodes map[string]*node
	// tables finds a table by name; partitions lists a partitioned
	// table's partitions (in model order).
	tables     map[QualifiedName]*Table
	partitions map[QualifiedName][]*Table
	// foreignParts lists the node keys of a partitioned table's foreign
	// partitions (their node attaches them).
	foreignParts map[QualifiedName][]string
	// rec, when set, records adds instead of making nodes (see renderTables).
	rec *[]addOp
	// parallelFrom is the number of tables from which renderTables uses
	// several goroutines.
	parallelFrom int
	// post collects the keys of nodes that wait for the barrier.
	pre []string
}

const barrierKey = "~barrier"

// newDumper prepares a dumper of s: its lookups built, no node made yet.
func newDumper(s *Schema, opts DumpOptions, parallelFrom int) *dumper {
	d := &dumper{parallelFrom: parallelFrom, s: s, opts: opts, priv: s.Privileges && !opts.NoPrivileges, nodes: map[string]*node{},
		tables: make(map[QualifiedName]*Table, len(s.Tables)), partitions: map[QualifiedName][]*Table{},
		foreignParts: map[QualifiedName][]string{}}
	for i := range s.Tables {
		t := &s.Tables[i]
		d.tables[t.QualifiedName] = t
		if t.PartitionOf != nil {
			d.partitions[*t.PartitionOf] = append(d.partitions[*t.PartitionOf], t)
		}
	}
	for i := range s.ForeignTables {
		if t := &s.ForeignTables[i]; t.PartitionOf != nil {
			d.foreignParts[*t.PartitionOf] = append(d.foreignParts[*t.PartitionOf], t.Ref().Key())
		}
	}
	return d
}

// addOp is an add (or, with aliasOf set, an alias) recorded while tables
// are rendered on several goroutines, replayed in table order afterwards.
type addOp struct {
	key, aliasOf string
	rank         int
	stmts, deps  []string
}

func (d *dumper) add(key string, rank int, stmts []string, deps ...string) *node {
	if d.rec != nil {
		// copied: the caller may reuse its slices, as it may when add copies them
		*d.rec = append(*d.rec, addOp{key: key, rank: rank, stmts: slices.Clone(stmts), deps: slices.Clone(deps)})
		return nil
	}
	n, ok := d.nodes[key]
	if !ok {
		n = &node{key: key, rank: rank}
		d.nodes[key] = n
	}
	n.stmts = append(n.stmts, stmts...)
	n.deps = append(n.deps, deps...)
	if rank >= rankBarrier {
		n.post = true
	} else {
		d.pre = append(d.pre, key)
	}
	return n
}

// refKey maps a dependency reference to the node that creates the object.
func (d *dumper) refKey(r ObjectRef) string {
	switch r.Kind {
	case KindIndex:
		// An index may be created by a constraint: find its table.
		return "index:" + QuoteQualified(r.Schema, r.Name)
	case KindConstraint:
		return "constraint:" + QuoteQualified(r.Schema, r.Table) + "." + QuoteIdent(r.Name)
	}
	return r.Key()
}

func (d *dumper) refKeys(rs []ObjectRef) []string {
	out := make([]string, 0, len(rs))
	for _, r := range rs {
		out = append(out, d.refKey(r))
	}
	return out
}

func schemaKey(name string) string { return ObjectRef{Kind: KindSchema, Name: name}.Key() }

func (d *dumper) comment(stmts *[]string, what string, c *string) {
	if c == nil || d.opts.NoComments {
		return
	}
	*stmts = append(*stmts, "COMMENT ON "+what+" IS "+QuoteLiteral(*c))
}

func (d *dumper) owner(stmts *[]string, what, owner string) {
	if !d.priv || owner == "" {
		return
	}
	*stmts = append(*stmts, "ALTER "+what+" OWNER TO "+QuoteIdent(owner))
}

func (d *dumper) build() {
	s := d.s
	d.add(barrierKey, rankBarrier, nil)
	for _, n := range s.Namespaces {
		var st []string
		if n.Name == "public" {
			st = append(st, "CREATE SCHEMA IF NOT EXISTS public")
		} else {
			st = append(st, "CREATE SCHEMA "+QuoteIdent(n.Name))
		}
		d.owner(&st, "SCHEMA "+QuoteIdent(n.Name), n.Owner)
		d.comment(&st, "SCHEMA "+QuoteIdent(n.Name), n.Comment)
		d.add(schemaKey(n.Name), rankSchema, st)
		d.acl(schemaKey(n.Name), "SCHEMA", QuoteIdent(n.Name), aclSchema, n.Owner, n.ACL)
	}
	for _, e := range s.Extensions {
		var st []string
		if s.Namespace(e.Schema) == nil && e.Schema != "pg_catalog" {
			// The extension lives in a schema left out of the model (a
			// filtered inspection): make sure it exists.
			st = append(st, "CREATE SCHEMA IF NOT EXISTS "+QuoteIdent(e.Schema))
		}
		st = append(st, fmt.Sprintf("CREATE EXTENSION IF NOT EXISTS %s WITH SCHEMA %s VERSION %s",
			QuoteIdent(e.Name), QuoteIdent(e.Schema), QuoteLiteral(e.Version)))
		d.comment(&st, "EXTENSION "+QuoteIdent(e.Name), e.Comment)
		d.add(ObjectRef{Kind: KindExtension, Name: e.Name}.Key(), rankExtension, st,
			append(d.refKeys(e.DependsOn), schemaKey(e.Schema))...)
	}
	for _, c := range s.Collations {
		d.collation(c)
	}
	for i := range s.Types {
		d.typ(&s.Types[i])
	}
	for i := range s.Functions {
		d.function(&s.Functions[i])
	}
	for i := range s.Operators {
		d.operator(&s.Operators[i])
	}
	for i := range s.OperatorFamilies {
		d.opFamily(&s.OperatorFamilies[i])
	}
	for i := range s.OperatorClasses {
		d.opClass(&s.OperatorClasses[i])
	}
	for i := range s.TextSearchDicts {
		d.tsDict(&s.TextSearchDicts[i])
	}
	for i := range s.TextSearchConfigs {
		d.tsConfig(&s.TextSearchConfigs[i])
	}
	for i := range s.Casts {
		d.cast(&s.Casts[i])
	}
	for i := range s.ForeignWrappers {
		d.foreignWrapper(&s.ForeignWrappers[i])
	}
	for i := range s.ForeignServers {
		d.foreignServer(&s.ForeignServers[i])
	}
	for i := range s.ForeignTables {
		d.foreignTable(&s.ForeignTables[i])
	}
	for i := range s.Sequences {
		d.sequence(&s.Sequences[i])
	}
	d.renderTables()
	for i := range s.Views {
		d.view(&s.Views[i])
	}
	for _, e := range s.EventTriggers {
		d.eventTrigger(e)
	}
	for i := range s.Publications {
		d.publication(&s.Publications[i])
	}
	if d.priv {
		for _, p := range s.DefaultPrivileges {
			d.defaultPrivilege(p)
		}
	}
}

// parallelTables is the number of tables from which Dump renders tables on
// several goroutines (below it, starting them costs more than it saves).
const parallelTables = 512

// renderTables renders every table: on several goroutines for a large
// schema, each recording its adds, which are then replayed in table order,
// so the nodes are exactly the ones one goroutine would make.
func (d *dumper) renderTables() {
	tables := d.s.Tables
	workers := min(runtime.GOMAXPROCS(0), 8)
	if len(tables) < d.parallelFrom || workers < 2 {
		for i := range tables {
			d.table(&tables[i])
		}
		return
	}
	ops := make([][]addOp, workers)
	per := (len(tables) + workers - 1) / workers
	var wg sync.WaitGroup
	for w := range ops {
		lo, hi := w*per, min((w+1)*per, len(tables))
		if lo >= hi {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := *d // shares the read-only lookups; makes no nodes
			r.rec = &ops[w]
			for i := lo; i < hi; i++ {
				r.table(&tables[i])
			}
		}()
	}
	wg.Wait()
	for _, list := range ops {
		for _, op := range list {
			if op.aliasOf != "" {
				d.nodes[op.key] = d.nodes[op.aliasOf]
				continue
			}
			d.add(op.key, op.rank, op.stmts, op.deps...)
		}
	}
}

func (d *dumper) collation(c Collation) {
	var opts []string
	switch c.Provider {
	case "icu":
		opts = append(opts, "provider = icu", "locale = "+QuoteLiteral(c.Locale))
	case "builtin":
		opts = append(opts, "provider = builtin", "locale = "+QuoteLiteral(c.Locale))
	default:
		opts = append(opts, "provider = libc")
		if c.LcCollate == c.LcCtype {
			opts = append(opts, "locale = "+QuoteLiteral(c.LcCollate))
		} else {
			opts = append(opts, "lc_collate = "+QuoteLiteral(c.LcCollate), "lc_ctype = "+QuoteLiteral(c.LcCtype))
		}
	}
	if !c.Deterministic {
		opts = append(opts, "deterministic = false")
	}
	name := c.QualifiedName.String()
	st := []string{"CREATE COLLATION " + name + " (" + strings.Join(opts, ", ") + ")"}
	d.owner(&st, "COLLATION "+name, c.Owner)
	d.comment(&st, "COLLATION "+name, c.Comment)
	d.add(ObjectRef{Kind: KindCollation, Schema: c.Schema, Name: c.Name}.Key(), rankCollation, st, schemaKey(c.Schema))
}

func (d *dumper) typ(t *Type) {
	name := t.QualifiedName.String()
	word := "TYPE"
	var st []string
	switch t.Kind {
	case TypeEnum:
		labels := make([]string, len(t.Labels))
		for i, l := range t.Labels {
			labels[i] = "\n    " + QuoteLiteral(l)
		}
		st = append(st, "CREATE TYPE "+name+" AS ENUM ("+strings.Join(labels, ",")+"\n)")
	case TypeComposite:
		attrs := make([]string, len(t.Attributes))
		for i, a := range t.Attributes {
			attrs[i] = "\n    " + QuoteIdent(a.Name) + " " + a.Type
			if a.Collation != "" {
				attrs[i] += " COLLATE " + a.Collation
			}
		}
		st = append(st, "CREATE TYPE "+name+" AS ("+strings.Join(attrs, ",")+"\n)")
		for _, a := range t.Attributes {
			d.comment(&st, "COLUMN "+name+"."+QuoteIdent(a.Name), a.Comment)
		}
	case TypeRange:
		opts := []string{"SUBTYPE = " + t.Subtype}
		if t.SubtypeOpClass != "" {
			opts = append(opts, "SUBTYPE_OPCLASS = "+t.SubtypeOpClass)
		}
		if t.RangeCollation != "" {
			opts = append(opts, "COLLATION = "+t.RangeCollation)
		}
		if t.Canonical != "" {
			opts = append(opts, "CANONICAL = "+t.Canonical)
		}
		if t.SubtypeDiff != "" {
			opts = append(opts, "SUBTYPE_DIFF = "+t.SubtypeDiff)
		}
		if t.MultirangeName != "" {
			opts = append(opts, "MULTIRANGE_TYPE_NAME = "+QuoteQualified(t.Schema, t.MultirangeName))
		}
		st = append(st, "CREATE TYPE "+name+" AS RANGE (\n    "+strings.Join(opts, ",\n    ")+"\n)")
	case TypeDomain:
		word = "DOMAIN"
		var b strings.Builder
		b.WriteString("CREATE DOMAIN " + name + " AS " + t.BaseType)
		if t.Collation != "" {
			b.WriteString(" COLLATE " + t.Collation)
		}
		if t.Default != nil {
			b.WriteString(" DEFAULT " + *t.Default)
		}
		if t.NotNull {
			b.WriteString(" NOT NULL")
		}
		cons := sortedByName(t.Constraints, func(c DomainConstraint) string { return c.Name })
		for _, c := range cons {
			if !c.NotValid {
				b.WriteString("\n    CONSTRAINT " + QuoteIdent(c.Name) + " " + Reloadable(c.Definition))
			}
		}
		st = append(st, b.String())
		for _, c := range cons {
			if c.NotValid {
				st = append(st, "ALTER DOMAIN "+name+" ADD CONSTRAINT "+QuoteIdent(c.Name)+" "+Reloadable(c.Definition)+" NOT VALID")
			}
			d.comment(&st, "CONSTRAINT "+QuoteIdent(c.Name)+" ON DOMAIN "+name, c.Comment)
		}
	}
	d.owner(&st, word+" "+name, t.Owner)
	d.comment(&st, word+" "+name, t.Comment)
	d.add(t.Ref().Key(), rankType, st, append(d.refKeys(t.DependsOn), schemaKey(t.Schema))...)
	d.acl(t.Ref().Key(), "TYPE", name, aclType, t.Owner, t.ACL)
}

func funcWord(k FunctionKind) string {
	switch k {
	case FunctionProcedure:
		return "PROCEDURE"
	case FunctionAggregate:
		return "AGGREGATE"
	}
	return "FUNCTION"
}

// signature renders name(args) for ALTER/COMMENT/GRANT on a routine.
func (f *Function) signature() string {
	args := f.Args
	if f.Kind == FunctionAggregate && args == "" {
		args = "*"
	}
	return f.QualifiedName.String() + "(" + args + ")"
}

func (d *dumper) function(f *Function) {
	word := funcWord(f.Kind)
	var st []string
	if f.Kind == FunctionAggregate {
		args := f.ArgsFull
		if args == "" {
			args = "*"
		}
		st = append(st, "CREATE AGGREGATE "+f.QualifiedName.String()+"("+args+") (\n    "+
			strings.ReplaceAll(f.Aggregate, "\n", "\n    ")+"\n)")
	} else {
		st = append(st, strings.Replace(f.Definition, "CREATE OR REPLACE ", "CREATE ", 1))
	}
	sig := f.signature()
	d.owner(&st, word+" "+sig, f.Owner)
	d.comment(&st, word+" "+sig, f.Comment)
	d.add(f.Ref().Key(), rankFunction, st, append(d.refKeys(f.DependsOn), schemaKey(f.Schema))...)
	d.acl(f.Ref().Key(), aclWordFunction(f.Kind), sig, aclFunction, f.Owner, f.ACL)
}

func aclWordFunction(k FunctionKind) string {
	if k == FunctionProcedure {
		return "PROCEDURE"
	}
	return "FUNCTION"
}

func (o *Operator) signature() string {
	l, r := o.Left, o.Right
	if l == "" {
		l = "NONE"
	}
	return QuoteIdent(o.Schema) + "." + o.Name + " (" + l + ", " + r + ")"
}

func (d *dumper) operator(o *Operator) {
	opts := []string{"FUNCTION = " + o.Function}
	if o.Left != "" {
		opts = append(opts, "LEFTARG = "+o.Left)
	}
	opts = append(opts, "RIGHTARG = "+o.Right)
	if o.Commutator != "" {
		opts = append(opts, "COMMUTATOR = "+operatorRef(o.Commutator))
	}
	if o.Negator != "" {
		opts = append(opts, "NEGATOR = "+operatorRef(o.Negator))
	}
	if o.Restrict != "" {
		opts = append(opts, "RESTRICT = "+o.Restrict)
	}
	if o.Join != "" {
		opts = append(opts, "JOIN = "+o.Join)
	}
	if o.Hashes {
		opts = append(opts, "HASHES")
	}
	if o.Merges {
		opts = append(opts, "MERGES")
	}
	st := []string{"CREATE OPERATOR " + QuoteIdent(o.Schema) + "." + o.Name + " (\n    " + strings.Join(opts, ",\n    ") + "\n)"}
	d.owner(&st, "OPERATOR "+o.signature(), o.Owner)
	d.comment(&st, "OPERATOR "+o.signature(), o.Comment)
	d.add(o.Ref().Key(), rankOperator, st, append(d.refKeys(o.DependsOn), schemaKey(o.Schema))...)
}

// sequenceOptions renders the options of a sequence, all explicit.
func sequenceOptions(q *Sequence, withType bool) string {
	var o []string
	if withType {
		o = append(o, "AS "+q.DataType)
	}
	o = append(o, fmt.Sprintf("START WITH %d", q.Start), fmt.Sprintf("INCREMENT BY %d", q.Increment),
		fmt.Sprintf("MINVALUE %d", q.Min), fmt.Sprintf("MAXVALUE %d", q.Max), fmt.Sprintf("CACHE %d", q.Cache))
	if q.Cycle {
		o = append(o, "CYCLE")
	} else {
		o = append(o, "NO CYCLE")
	}
	return strings.Join(o, "\n    ")
}

func (d *dumper) sequence(q *Sequence) {
	name := q.QualifiedName.String()
	create := "CREATE SEQUENCE "
	if q.Unlogged {
		create = "CREATE UNLOGGED SEQUENCE "
	}
	st := []string{create + name + "\n    " + sequenceOptions(q, true)}
	d.owner(&st, "SEQUENCE "+name, q.Owner)
	d.comment(&st, "SEQUENCE "+name, q.Comment)
	d.add(q.Ref().Key(), rankSequence, st, schemaKey(q.Schema))
	if q.OwnedBy != nil {
		tk := ObjectRef{Kind: KindTable, Schema: q.OwnedBy.Table.Schema, Name: q.OwnedBy.Table.Name}.Key()
		if d.tables[q.OwnedBy.Table] == nil {
			tk = ObjectRef{Kind: KindView, Schema: q.OwnedBy.Table.Schema, Name: q.OwnedBy.Table.Name}.Key()
		}
		d.add("owned:"+q.Ref().Key(), rankOwnedBy,
			[]string{"ALTER SEQUENCE " + name + " OWNED BY " + q.OwnedBy.Table.String() + "." + QuoteIdent(q.OwnedBy.Column)},
			q.Ref().Key(), tk)
	}
	d.acl(q.Ref().Key(), "SEQUENCE", name, aclSequence, q.Owner, q.ACL)
}

func (d *dumper) columnDef(c *Column) string {
	var b strings.Builder
	b.WriteString(QuoteIdent(c.Name) + " " + c.Type)
	if c.Collation != "" {
		b.WriteString(" COLLATE " + c.Collation)
	}
	if c.Generated != "" {
		b.WriteString(" GENERATED ALWAYS AS (" + Reloadable(c.Generated) + ") STORED")
	}
	if c.Default != nil {
		b.WriteString(" DEFAULT " + *c.Default)
	}
	if c.NotNull {
		b.WriteString(" NOT NULL")
	}
	if c.Identity != "" {
		if c.Identity == "always" {
			b.WriteString(" GENERATED ALWAYS AS IDENTITY")
		} else {
			b.WriteString(" GENERATED BY DEFAULT AS IDENTITY")
		}
		if q := c.IdentitySequence; q != nil {
			b.WriteString(" (\n        SEQUENCE NAME " + q.QualifiedName.String() + "\n        " +
				strings.ReplaceAll(sequenceOptions(q, false), "\n    ", "\n        ") + "\n    )")
		}
	}
	return b.String()
}

func (d *dumper) table(t *Table) {
	name := t.QualifiedName.String()
	key := t.Ref().Key()
	deps := append(d.refKeys(t.DependsOn), schemaKey(t.Schema))
	isPartition := t.PartitionOf != nil
	var elems []string
	var after []string
	for i := range t.Columns {
		c := &t.Columns[i]
		if c.Inherited && !isPartition && len(t.Inherits) > 0 {
			// Comes from a parent: only properties set on the child itself.
			var pc *Column
			for _, p := range t.Inherits {
				if pt := d.tables[p]; pt != nil {
					if pc = pt.Column(c.Name); pc != nil {
						break
					}
				}
			}
			if pc != nil {
				if c.Default != nil && (pc.Default == nil || *pc.Default != *c.Default) {
					after = append(after, "ALTER TABLE ONLY "+name+" ALTER COLUMN "+QuoteIdent(c.Name)+" SET DEFAULT "+*c.Default)
				}
				if c.NotNull && !pc.NotNull {
					after = append(after, "ALTER TABLE ONLY "+name+" ALTER COLUMN "+QuoteIdent(c.Name)+" SET NOT NULL")
				}
			}
		} else {
			elems = append(elems, d.columnDef(c))
		}
		alter := "ALTER TABLE ONLY " + name + " ALTER COLUMN " + QuoteIdent(c.Name)
		if c.StatsTarget != nil {
			after = append(after, fmt.Sprintf("%s SET STATISTICS %d", alter, *c.StatsTarget))
		}
		if c.Storage != "" {
			after = append(after, alter+" SET STORAGE "+strings.ToUpper(c.Storage))
		}
		if c.Compression != "" {
			after = append(after, alter+" SET COMPRESSION "+c.Compression)
		}
		if len(c.Options) > 0 {
			after = append(after, alter+" SET ("+strings.Join(c.Options, ", ")+")")
		}
	}
	// CHECK constraints go inline so inheritance children (created later)
	// inherit them, and partitions carry them before ATTACH PARTITION, which
	// requires them. NOT VALID ones are added afterwards.
	for _, c := range sortedByName(t.Constraints, func(c Constraint) string { return c.Name }) {
		if c.Type != ConstraintCheck || c.NotValid {
			continue
		}
		if c.Inherited && !isPartition {
			continue
		}
		elems = append(elems, ConstraintDefinition(&c))
		deps = append(deps, d.refKeys(c.DependsOn)...)
	}
	var b strings.Builder
	b.WriteString("CREATE ")
	if t.Unlogged {
		b.WriteString("UNLOGGED ")
	}
	b.WriteString("TABLE " + name + " (")
	for i, e := range elems {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("\n    " + e)
	}
	if len(elems) > 0 {
		b.WriteString("\n")
	}
	b.WriteString(")")
	if len(t.Inherits) > 0 && !isPartition {
		ps := make([]string, len(t.Inherits))
		for i, p := range t.Inherits {
			ps[i] = p.String()
			deps = append(deps, ObjectRef{Kind: KindTable, Schema: p.Schema, Name: p.Name}.Key())
		}
		b.WriteString("\nINHERITS (" + strings.Join(ps, ", ") + ")")
	}
	if t.Kind == TablePartitioned {
		b.WriteString("\nPARTITION BY " + t.PartitionKey)
	}
	if t.AccessMethod != "" {
		b.WriteString("\nUSING " + QuoteIdent(t.AccessMethod))
	}
	if len(t.Options) > 0 {
		b.WriteString("\nWITH (" + strings.Join(t.Options, ", ") + ")")
	}
	st := []string{b.String()}
	st = append(st, after...)
	switch t.ReplicaIdentity {
	case "full", "nothing":
		st = append(st, "ALTER TABLE ONLY "+name+" REPLICA IDENTITY "+strings.ToUpper(t.ReplicaIdentity))
	}
	if t.RLSEnabled {
		st = append(st, "ALTER TABLE "+name+" ENABLE ROW LEVEL SECURITY")
	}
	if t.RLSForced {
		st = append(st, "ALTER TABLE "+name+" FORCE ROW LEVEL SECURITY")
	}
	d.owner(&st, "TABLE "+name, t.Owner)
	d.comment(&st, "TABLE "+name, t.Comment)
	for _, c := range t.Columns {
		d.comment(&st, "COLUMN "+name+"."+QuoteIdent(c.Name), c.Comment)
	}
	d.add(key, rankTable, st, deps...)

	var attachKeys []string
	if isPartition {
		ak := "attach:" + key
		d.add(ak, rankAttach, []string{"ALTER TABLE ONLY " + t.PartitionOf.String() + " ATTACH PARTITION " + name + " " + t.PartitionBound},
			key, ObjectRef{Kind: KindTable, Schema: t.PartitionOf.Schema, Name: t.PartitionOf.Name}.Key())
	}
	if t.Kind == TablePartitioned {
		// The partitioned table's own indexes and constraints are created
		// after every partition is attached (so attaching creates nothing).
		for _, o := range d.partitions[t.QualifiedName] {
			attachKeys = append(attachKeys, "attach:"+o.Ref().Key())
		}
		attachKeys = append(attachKeys, d.foreignParts[t.QualifiedName]...)
	}

	for i := range t.Constraints {
		d.constraint(t, &t.Constraints[i], attachKeys)
	}
	for i := range t.Indexes {
		d.index(t.QualifiedName, key, &t.Indexes[i], attachKeys)
	}
	for i := range t.Triggers {
		d.trigger(t.QualifiedName, key, "TABLE", &t.Triggers[i])
	}
	for i := range t.Policies {
		p := &t.Policies[i]
		var pb strings.Builder
		pb.WriteString("CREATE POLICY " + QuoteIdent(p.Name) + " ON " + name)
		if p.Permissive {
			pb.WriteString(" AS PERMISSIVE")
		} else {
			pb.WriteString(" AS RESTRICTIVE")
		}
		pb.WriteString(" FOR " + p.Command)
		roles := make([]string, len(p.Roles))
		for i, r := range sortedByName(p.Roles, func(r string) string { return r }) {
			if r == "PUBLIC" {
				roles[i] = "PUBLIC"
			} else {
				roles[i] = QuoteIdent(r)
			}
		}
		pb.WriteString(" TO " + strings.Join(roles, ", "))
		if p.Using != "" {
			pb.WriteString("\n    USING (" + Reloadable(p.Using) + ")")
		}
		if p.WithCheck != "" {
			pb.WriteString("\n    WITH CHECK (" + Reloadable(p.WithCheck) + ")")
		}
		pst := []string{pb.String()}
		d.comment(&pst, "POLICY "+QuoteIdent(p.Name)+" ON "+name, p.Comment)
		d.add("policy:"+key+"."+QuoteIdent(p.Name), rankPolicy, pst, key, barrierKey)
	}
	for i := range t.Statistics {
		d.statistics(key, &t.Statistics[i])
	}
	for i := range t.Rules {
		d.rule(t.QualifiedName, t.Ref(), &t.Rules[i])
	}
	d.acl(key, "TABLE", name, aclTable, t.Owner, t.ACL)
	d.columnACLs(name, t.Columns)
}

// rule renders a rewrite rule of table or view rel (reference ref). It
// comes after every schema object, as its actions may use any.
func (d *dumper) rule(rel QualifiedName, ref ObjectRef, r *Rule) {
	name := rel.String()
	st := []string{strings.TrimSuffix(Reloadable(r.Definition), ";")}
	switch r.Enabled {
	case "replica":
		st = append(st, "ALTER TABLE "+name+" ENABLE REPLICA RULE "+QuoteIdent(r.Name))
	case "always":
		st = append(st, "ALTER TABLE "+name+" ENABLE ALWAYS RULE "+QuoteIdent(r.Name))
	case "disabled":
		st = append(st, "ALTER TABLE "+name+" DISABLE RULE "+QuoteIdent(r.Name))
	}
	d.comment(&st, "RULE "+QuoteIdent(r.Name)+" ON "+name, r.Comment)
	d.add(RuleNodeKey(ref, r.Name), rankRule, st, append([]string{ref.Key(), schemaKey(rel.Schema), barrierKey}, d.refKeys(r.DependsOn)...)...)
}

// statistics renders an extended statistics object of the table with key
// tkey. It comes after every schema object, as expressions may use any.
func (d *dumper) statistics(tkey string, x *Statistics) {
	name := QuoteQualified(x.Schema, x.Name)
	st := []string{Reloadable(x.Definition)}
	if x.StatsTarget != nil {
		st = append(st, fmt.Sprintf("ALTER STATISTICS %s SET STATISTICS %d", name, *x.StatsTarget))
	}
	d.owner(&st, "STATISTICS "+name, x.Owner)
	d.comment(&st, "STATISTICS "+name, x.Comment)
	d.add(StatisticsNodeKey(x.Schema, x.Name), rankStatistics, st, tkey, schemaKey(x.Schema), barrierKey)
}

func (d *dumper) columnACLs(name string, cols []Column) {
	if !d.priv {
		return
	}
	var st []string
	for _, c := range cols {
		for _, g := range groupGrants(c.ACL) {
			st = append(st, "GRANT "+strings.Join(g.privs, ", ")+" ("+QuoteIdent(c.Name)+") ON TABLE "+name+" TO "+grantee(g.grantee)+g.option())
		}
	}
	if len(st) > 0 {
		d.add("colacl:"+name, rankACL, st, barrierKey)
	}
}

func constraintKey(t QualifiedName, name string) string {
	return "constraint:" + QuoteQualified(t.Schema, t.Name) + "." + QuoteIdent(name)
}

func (d *dumper) constraint(t *Table, c *Constraint, attachKeys []string) {
	name := t.QualifiedName.String()
	key := constraintKey(t.QualifiedName, c.Name)
	tkey := t.Ref().Key()
	deps := append([]string{tkey}, d.refKeys(c.DependsOn)...)
	var st []string
	rank := rankConstraint
	switch c.Type {
	case ConstraintCheck:
		if !c.NotValid || c.Inherited {
			// Inline in CREATE TABLE (or inherited): only its comment here.
			if c.Comment != nil && !d.opts.NoComments && !(c.Inherited && t.PartitionOf == nil) {
				d.comment(&st, "CONSTRAINT "+QuoteIdent(c.Name)+" ON "+name, c.Comment)
				d.add(key, rankConstraint, st, deps...)
			}
			return
		}
		st = append(st, "ALTER TABLE "+name+" ADD "+ConstraintDefinition(c))
	case ConstraintForeignKey:
		if c.Inherited {
			return // cloned from the partitioned parent's foreign key
		}
		rank = rankForeignKey
		only := "ONLY "
		if t.Kind == TablePartitioned {
			only = ""
		}
		st = append(st, "ALTER TABLE "+only+name+" ADD CONSTRAINT "+QuoteIdent(c.Name)+" "+c.Definition)
		deps = append(deps, barrierKey)
		if c.RefTable != nil {
			deps = append(deps, ObjectRef{Kind: KindTable, Schema: c.RefTable.Schema, Name: c.RefTable.Name}.Key())
		}
	default:
		st = append(st, "ALTER TABLE ONLY "+name+" ADD CONSTRAINT "+QuoteIdent(c.Name)+" "+Reloadable(c.Definition))
		deps = append(deps, attachKeys...)
	}
	d.comment(&st, "CONSTRAINT "+QuoteIdent(c.Name)+" ON "+name, c.Comment)
	n := d.add(key, rank, st, deps...)
	if c.Index != "" {
		// Other objects refer to the index (foreign keys, attach): alias it.
		alias := "index:" + QuoteQualified(t.Schema, c.Index)
		if d.rec != nil {
			*d.rec = append(*d.rec, addOp{key: alias, aliasOf: key})
		} else {
			d.nodes[alias] = n
		}
	}
}

func (d *dumper) index(table QualifiedName, tkey string, x *Index, attachKeys []string) {
	ikey := "index:" + QuoteQualified(table.Schema, x.Name)
	qname := QuoteQualified(table.Schema, x.Name)
	var st []string
	var partIdx []string
	if x.Constraint == "" {
		def := Reloadable(x.Definition)
		if x.Partitioned && x.Valid && len(d.foreignParts[table]) > 0 {
			// ON ONLY then ATTACH would leave it invalid for good: a foreign
			// partition has no index to attach. Created on the whole tree
			// after its partitions' indexes, it adopts those and skips the
			// foreign partitions, as when it was first built.
			def = strings.Replace(def, " ON ONLY ", " ON ", 1)
			for _, p := range d.partitions[table] {
				for _, px := range p.Indexes {
					if px.ParentIndex != nil && *px.ParentIndex == (QualifiedName{Schema: table.Schema, Name: x.Name}) {
						partIdx = append(partIdx, "index:"+QuoteQualified(p.Schema, px.Name))
					}
				}
			}
		}
		st = append(st, def)
		d.comment(&st, "INDEX "+qname, x.Comment)
	} else if x.Comment != nil && !d.opts.NoComments {
		st = append(st, "COMMENT ON INDEX "+qname+" IS "+QuoteLiteral(*x.Comment))
	}
	for i, k := range x.Keys {
		if k.StatsTarget != nil {
			st = append(st, fmt.Sprintf("ALTER INDEX %s ALTER COLUMN %d SET STATISTICS %d", qname, i+1, *k.StatsTarget))
		}
	}
	if x.ReplicaIdentity {
		st = append(st, "ALTER TABLE ONLY "+table.String()+" REPLICA IDENTITY USING INDEX "+QuoteIdent(x.Name))
	}
	if x.Clustered {
		st = append(st, "ALTER TABLE "+table.String()+" CLUSTER ON "+QuoteIdent(x.Name))
	}
	deps := append([]string{tkey}, d.refKeys(x.DependsOn)...)
	deps = append(deps, attachKeys...)
	deps = append(deps, partIdx...)
	if x.Constraint != "" {
		ck := constraintKey(table, x.Constraint)
		deps = append(deps, ck)
		if len(st) > 0 {
			d.add("indexextra:"+ikey, rankIndex, st, deps...)
		}
	} else {
		d.add(ikey, rankIndex, st, deps...)
	}
	if x.ParentIndex != nil {
		pkey := "index:" + QuoteQualified(x.ParentIndex.Schema, x.ParentIndex.Name)
		d.add("attach:"+ikey, rankIndexAttach,
			[]string{"ALTER INDEX " + x.ParentIndex.String() + " ATTACH PARTITION " + qname},
			ikey, pkey, "attach:"+tkey)
	}
}

func (d *dumper) trigger(table QualifiedName, tkey, word string, tr *Trigger) {
	st := []string{Reloadable(tr.Definition)}
	switch tr.Enabled {
	case "D":
		st = append(st, "ALTER "+word+" "+table.String()+" DISABLE TRIGGER "+QuoteIdent(tr.Name))
	case "R":
		st = append(st, "ALTER "+word+" "+table.String()+" ENABLE REPLICA TRIGGER "+QuoteIdent(tr.Name))
	case "A":
		st = append(st, "ALTER "+word+" "+table.String()+" ENABLE ALWAYS TRIGGER "+QuoteIdent(tr.Name))
	}
	d.comment(&st, "TRIGGER "+QuoteIdent(tr.Name)+" ON "+table.String(), tr.Comment)
	d.add("trigger:"+tkey+"."+QuoteIdent(tr.Name), rankTrigger, st, tkey, barrierKey)
}

func (d *dumper) view(v *View) {
	name := v.QualifiedName.String()
	key := v.Ref().Key()
	var b strings.Builder
	word := "VIEW"
	if v.Materialized {
		word = "MATERIALIZED VIEW"
		b.WriteString("CREATE MATERIALIZED VIEW " + name)
		if v.AccessMethod != "" && v.AccessMethod != "heap" {
			b.WriteString(" USING " + QuoteIdent(v.AccessMethod))
		}
	} else {
		b.WriteString("CREATE VIEW " + name)
	}
	if len(v.Options) > 0 {
		b.WriteString(" WITH (" + strings.Join(v.Options, ", ") + ")")
	}
	b.WriteString(" AS\n" + Reloadable(v.Definition))
	if v.Materialized {
		if v.WithNoData {
			b.WriteString("\n  WITH NO DATA")
		} else {
			b.WriteString("\n  WITH DATA")
		}
	}
	st := []string{b.String()}
	for _, c := range v.Columns {
		if c.Default != nil {
			st = append(st, "ALTER VIEW "+name+" ALTER COLUMN "+QuoteIdent(c.Name)+" SET DEFAULT "+*c.Default)
		}
	}
	d.owner(&st, word+" "+name, v.Owner)
	d.comment(&st, word+" "+name, v.Comment)
	for _, c := range v.Columns {
		d.comment(&st, "COLUMN "+name+"."+QuoteIdent(c.Name), c.Comment)
	}
	d.add(key, rankView, st, append(d.refKeys(v.DependsOn), schemaKey(v.Schema))...)
	for i := range v.Indexes {
		d.index(v.QualifiedName, key, &v.Indexes[i], nil)
	}
	for i := range v.Triggers {
		d.trigger(v.QualifiedName, key, word, &v.Triggers[i])
	}
	for i := range v.Rules {
		d.rule(v.QualifiedName, v.Ref(), &v.Rules[i])
	}
	for i := range v.Statistics {
		d.statistics(key, &v.Statistics[i])
	}
	d.acl(key, "TABLE", name, aclTable, v.Owner, v.ACL)
	cols := make([]Column, len(v.Columns))
	for i, c := range v.Columns {
		cols[i] = Column{Name: c.Name, ACL: c.ACL}
	}
	d.columnACLs(name, cols)
}

// Target names the family in ALTER, DROP and COMMENT ON:
// "OPERATOR FAMILY s.f USING btree".
func (f *OperatorFamily) Target() string {
	return "OPERATOR FAMILY " + f.QualifiedName.String() + " USING " + QuoteIdent(f.Method)
}

// Target names the class in ALTER, DROP and COMMENT ON:
// "OPERATOR CLASS s.c USING btree".
func (c *OperatorClass) Target() string {
	return "OPERATOR CLASS " + c.QualifiedName.String() + " USING " + QuoteIdent(c.Method)
}

// Clause renders the member as CREATE OPERATOR CLASS and ALTER OPERATOR
// FAMILY ... ADD take it: "OPERATOR 1 public.<(integer,integer)" or
// "FUNCTION 1 (integer, integer) public.cmp(integer,integer)".
func (m OpMember) Clause() string {
	n := strconv.Itoa(m.Number)
	if m.Function {
		return "FUNCTION " + n + " (" + m.Left + ", " + m.Right + ") " + m.Object
	}
	c := "OPERATOR " + n + " " + m.Object
	if m.SortFamily != "" {
		c += " FOR ORDER BY " + m.SortFamily
	}
	return c
}

// DropClause renders the member as ALTER OPERATOR FAMILY ... DROP takes
// it: "OPERATOR 1 (integer, integer)".
func (m OpMember) DropClause() string {
	w := "OPERATOR "
	if m.Function {
		w = "FUNCTION "
	}
	return w + strconv.Itoa(m.Number) + " (" + m.Left + ", " + m.Right + ")"
}

// OpFamilyAdd renders ALTER OPERATOR FAMILY ... ADD of members.
func OpFamilyAdd(f *OperatorFamily, ms []OpMember) string {
	cl := make([]string, len(ms))
	for i, m := range ms {
		cl[i] = m.Clause()
	}
	return "ALTER " + f.Target() + " ADD\n    " + strings.Join(cl, ",\n    ")
}

// OpFamilyDrop renders ALTER OPERATOR FAMILY ... DROP of members.
func OpFamilyDrop(f *OperatorFamily, ms []OpMember) string {
	cl := make([]string, len(ms))
	for i, m := range ms {
		cl[i] = m.DropClause()
	}
	return "ALTER " + f.Target() + " DROP\n    " + strings.Join(cl, ",\n    ")
}

// opFamily renders an operator family and its loose members (every
// family explicitly, also one a CREATE OPERATOR CLASS made implicitly: the
// class then names it with FAMILY, which builds the same catalog).
func (d *dumper) opFamily(f *OperatorFamily) {
	st := []string{"CREATE " + f.Target()}
	if len(f.Members) > 0 {
		st = append(st, OpFamilyAdd(f, f.Members))
	}
	d.owner(&st, f.Target(), f.Owner)
	d.comment(&st, f.Target(), f.Comment)
	d.add(f.Ref().Key(), rankOpFamily, st, append(d.refKeys(f.DependsOn), schemaKey(f.Schema))...)
}

// opClass renders an operator class after its family, types, operators
// and functions.
func (d *dumper) opClass(c *OperatorClass) {
	var b strings.Builder
	b.WriteString("CREATE OPERATOR CLASS " + c.QualifiedName.String())
	if c.Default {
		b.WriteString(" DEFAULT")
	}
	b.WriteString(" FOR TYPE " + c.Type + " USING " + QuoteIdent(c.Method) + " FAMILY " + c.Family.String() + " AS\n    ")
	var items []string
	for _, m := range c.Members {
		items = append(items, m.Clause())
	}
	if c.Storage != "" || len(items) == 0 {
		// (a class with no member still needs an item: STORAGE of its own
		// type is not recorded)
		st := c.Storage
		if st == "" {
			st = c.Type
		}
		items = append(items, "STORAGE "+st)
	}
	b.WriteString(strings.Join(items, ",\n    "))
	st := []string{b.String()}
	d.owner(&st, c.Target(), c.Owner)
	d.comment(&st, c.Target(), c.Comment)
	fam := ObjectRef{Kind: KindOperatorFamily, Schema: c.Family.Schema, Name: c.Family.Name, Args: c.Method}
	d.add(c.Ref().Key(), rankOpClass, st, append(d.refKeys(append(slices.Clone(c.DependsOn), fam)), schemaKey(c.Schema))...)
}

// tsDict renders a text search dictionary.
func (d *dumper) tsDict(x *TextSearchDict) {
	name := x.QualifiedName.String()
	def := "CREATE TEXT SEARCH DICTIONARY " + name + " (TEMPLATE = " + x.Template
	if x.Options != "" {
		def += ", " + x.Options
	}
	st := []string{def + ")"}
	d.owner(&st, "TEXT SEARCH DICTIONARY "+name, x.Owner)
	d.comment(&st, "TEXT SEARCH DICTIONARY "+name, x.Comment)
	d.add(x.Ref().Key(), rankTextSearch, st, schemaKey(x.Schema))
}

// TSMappingStatement adds (or, with alter, changes) a configuration's
// mapping of one token type.
func TSMappingStatement(cfg QualifiedName, m TSMapping, alter bool) string {
	verb := " ADD MAPPING FOR "
	if alter {
		verb = " ALTER MAPPING FOR "
	}
	dicts := make([]string, len(m.Dicts))
	for i, d := range m.Dicts {
		dicts[i] = d.String()
	}
	return "ALTER TEXT SEARCH CONFIGURATION " + cfg.String() + verb + m.Token + " WITH " + strings.Join(dicts, ", ")
}

// tsConfig renders a text search configuration after the dictionaries it
// maps to.
func (d *dumper) tsConfig(c *TextSearchConfig) {
	name := c.QualifiedName.String()
	st := []string{"CREATE TEXT SEARCH CONFIGURATION " + name + " (PARSER = " + c.Parser + ")"}
	deps := []string{schemaKey(c.Schema)}
	seen := map[string]bool{}
	for _, m := range c.Mappings {
		st = append(st, TSMappingStatement(c.QualifiedName, m, false))
		for _, dict := range m.Dicts {
			if k := (ObjectRef{Kind: KindTSDict, Schema: dict.Schema, Name: dict.Name}).Key(); !seen[k] {
				seen[k] = true
				deps = append(deps, k)
			}
		}
	}
	d.owner(&st, "TEXT SEARCH CONFIGURATION "+name, c.Owner)
	d.comment(&st, "TEXT SEARCH CONFIGURATION "+name, c.Comment)
	d.add(c.Ref().Key(), rankTextSearch, st, deps...)
}

func fdwOptions(opts []string) string {
	if len(opts) == 0 {
		return ""
	}
	return " OPTIONS (" + strings.Join(opts, ", ") + ")"
}

func (d *dumper) foreignWrapper(w *ForeignDataWrapper) {
	name := QuoteIdent(w.Name)
	def := "CREATE FOREIGN DATA WRAPPER " + name
	if w.Handler != "" {
		def += " HANDLER " + w.Handler
	}
	if w.Validator != "" {
		def += " VALIDATOR " + w.Validator
	}
	st := []string{def + fdwOptions(w.Options)}
	d.owner(&st, "FOREIGN DATA WRAPPER "+name, w.Owner)
	d.comment(&st, "FOREIGN DATA WRAPPER "+name, w.Comment)
	d.add(w.Key(), rankForeign, st)
}

func (d *dumper) foreignServer(s *ForeignServer) {
	name := QuoteIdent(s.Name)
	def := "CREATE SERVER " + name
	if s.Type != nil {
		def += " TYPE " + QuoteLiteral(*s.Type)
	}
	if s.Version != nil {
		def += " VERSION " + QuoteLiteral(*s.Version)
	}
	def += " FOREIGN DATA WRAPPER " + QuoteIdent(s.Wrapper)
	st := []string{def + fdwOptions(s.Options)}
	d.owner(&st, "SERVER "+name, s.Owner)
	d.comment(&st, "SERVER "+name, s.Comment)
	d.add(ForeignServerKey(s.Name), rankForeign, st, (&ForeignDataWrapper{Name: s.Wrapper}).Key())
}

// foreignTable renders a foreign table after its server and column types.
func (d *dumper) foreignTable(t *ForeignTable) {
	name := t.QualifiedName.String()
	key := t.Ref().Key()
	deps := []string{schemaKey(t.Schema), ForeignServerKey(t.Server)}
	cols := make([]string, len(t.Columns))
	var after []string
	for i, c := range t.Columns {
		s := "    " + QuoteIdent(c.Name) + " " + c.Type + fdwOptions(c.Options)
		if c.Collation != "" {
			s += " COLLATE " + c.Collation
		}
		if c.NotNull {
			s += " NOT NULL"
		}
		if c.Default != nil {
			s += " DEFAULT " + *c.Default
		}
		cols[i] = s
		deps = append(deps, ObjectRef{Kind: KindType, Schema: c.TypeRef.Schema, Name: c.TypeRef.Name}.Key())
		d.comment(&after, "COLUMN "+name+"."+QuoteIdent(c.Name), c.Comment)
	}
	// Valid CHECK constraints inline (a partition's inherited ones too:
	// ATTACH PARTITION requires them), NOT VALID ones added afterwards.
	for _, c := range t.Checks {
		def := "CONSTRAINT " + QuoteIdent(c.Name) + " " + c.Definition
		if c.NotValid {
			after = append(after, "ALTER FOREIGN TABLE "+name+" ADD "+def+" NOT VALID")
		} else {
			cols = append(cols, "    "+def)
		}
		d.comment(&after, "CONSTRAINT "+QuoteIdent(c.Name)+" ON "+name, c.Comment)
	}
	body := ""
	if len(cols) > 0 {
		body = "\n" + strings.Join(cols, ",\n") + "\n"
	}
	st := []string{"CREATE FOREIGN TABLE " + name + " (" + body + ") SERVER " + QuoteIdent(t.Server) + fdwOptions(t.Options)}
	st = append(st, after...)
	if t.PartitionOf != nil {
		// Attached in its own node would not fit the diff's model of a
		// foreign table (replaced whole): its statements attach it.
		st = append(st, "ALTER TABLE ONLY "+t.PartitionOf.String()+" ATTACH PARTITION "+name+" "+t.PartitionBound)
		deps = append(deps, ObjectRef{Kind: KindTable, Schema: t.PartitionOf.Schema, Name: t.PartitionOf.Name}.Key())
	}
	d.owner(&st, "FOREIGN TABLE "+name, t.Owner)
	d.comment(&st, "FOREIGN TABLE "+name, t.Comment)
	d.add(key, rankTable, st, deps...)
	for i := range t.Statistics {
		d.statistics(key, &t.Statistics[i])
	}
	d.acl(key, "TABLE", name, aclTable, t.Owner, t.ACL)
}

// cast renders a user-defined cast after its function and types.
func (d *dumper) cast(c *Cast) {
	var b strings.Builder
	b.WriteString("CREATE CAST (" + c.Name() + ")")
	switch c.Method {
	case "binary":
		b.WriteString(" WITHOUT FUNCTION")
	case "inout":
		b.WriteString(" WITH INOUT")
	default:
		b.WriteString(" WITH FUNCTION " + c.Function)
	}
	switch c.Context {
	case "assignment":
		b.WriteString(" AS ASSIGNMENT")
	case "implicit":
		b.WriteString(" AS IMPLICIT")
	}
	st := []string{b.String()}
	d.comment(&st, "CAST ("+c.Name()+")", c.Comment)
	d.add(c.Ref().Key(), rankCast, st, d.refKeys(c.DependsOn)...)
}

// PublicationObjects renders what a publication publishes as CREATE and
// ALTER PUBLICATION ... SET take it: "TABLE s.t (a, b) WHERE (...), TABLES
// IN SCHEMA s" ("" for none).
func PublicationObjects(p *Publication) string {
	var parts []string
	for _, t := range p.Tables {
		s := "TABLE " + t.Table.String()
		if len(t.Columns) > 0 {
			cols := make([]string, len(t.Columns))
			for i, c := range t.Columns {
				cols[i] = QuoteIdent(c)
			}
			s += " (" + strings.Join(cols, ", ") + ")"
		}
		if t.Where != "" {
			s += " WHERE (" + Reloadable(t.Where) + ")"
		}
		parts = append(parts, s)
	}
	for _, n := range p.Schemas {
		parts = append(parts, "TABLES IN SCHEMA "+QuoteIdent(n))
	}
	return strings.Join(parts, ", ")
}

// PublicationOptions renders a publication's WITH options.
func PublicationOptions(p *Publication) string {
	return "publish = " + QuoteLiteral(strings.Join(p.Publish, ", ")) + ", publish_via_partition_root = " + strconv.FormatBool(p.ViaRoot)
}

// publication renders a publication after every table it lists (and
// every object a row filter may use).
func (d *dumper) publication(p *Publication) {
	name := QuoteIdent(p.Name)
	var b strings.Builder
	b.WriteString("CREATE PUBLICATION " + name)
	if p.AllTables {
		b.WriteString(" FOR ALL TABLES")
	} else if objs := PublicationObjects(p); objs != "" {
		b.WriteString(" FOR " + objs)
	}
	b.WriteString(" WITH (" + PublicationOptions(p) + ")")
	st := []string{b.String()}
	d.owner(&st, "PUBLICATION "+name, p.Owner)
	d.comment(&st, "PUBLICATION "+name, p.Comment)
	deps := []string{barrierKey}
	for _, t := range p.Tables {
		deps = append(deps, ObjectRef{Kind: KindTable, Schema: t.Table.Schema, Name: t.Table.Name}.Key())
	}
	for _, n := range p.Schemas {
		deps = append(deps, schemaKey(n))
	}
	d.add(PublicationNodeKey(p.Name), rankPublication, st, deps...)
}

func (d *dumper) eventTrigger(e EventTrigger) {
	var b strings.Builder
	b.WriteString("CREATE EVENT TRIGGER " + QuoteIdent(e.Name) + " ON " + QuoteIdent(e.Event))
	if len(e.Tags) > 0 {
		tags := make([]string, len(e.Tags))
		for i, t := range e.Tags {
			tags[i] = QuoteLiteral(t)
		}
		b.WriteString("\n    WHEN TAG IN (" + strings.Join(tags, ", ") + ")")
	}
	b.WriteString("\n    EXECUTE FUNCTION " + e.Function.String() + "()")
	st := []string{b.String()}
	switch e.Enabled {
	case "D":
		st = append(st, "ALTER EVENT TRIGGER "+QuoteIdent(e.Name)+" DISABLE")
	case "R":
		st = append(st, "ALTER EVENT TRIGGER "+QuoteIdent(e.Name)+" ENABLE REPLICA")
	case "A":
		st = append(st, "ALTER EVENT TRIGGER "+QuoteIdent(e.Name)+" ENABLE ALWAYS")
	}
	d.owner(&st, "EVENT TRIGGER "+QuoteIdent(e.Name), e.Owner)
	d.comment(&st, "EVENT TRIGGER "+QuoteIdent(e.Name), e.Comment)
	d.add("event_trigger:"+QuoteIdent(e.Name), rankEventTrigger, st, barrierKey)
}

// order sorts the nodes topologically; among ready nodes the lowest (rank,
// key) goes first. A dependency cycle (which a valid catalog should not
// produce) is broken at its lowest node, so Dump always terminates.
func (d *dumper) order() []*node {
	// The barrier waits for every pre-data node.
	bar := d.nodes[barrierKey]
	bar.deps = append(bar.deps, d.pre...)
	seen := map[*node]bool{}
	var all []*node
	for _, n := range d.nodes {
		if !seen[n] {
			seen[n] = true
			all = append(all, n)
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].key < all[j].key })
	for _, n := range all {
		uniq := map[*node]bool{}
		for _, k := range n.deps {
			m, ok := d.nodes[k]
			if !ok || m == n || uniq[m] {
				continue
			}
			uniq[m] = true
			n.pending++
			m.users = append(m.users, n)
		}
	}
	h := &nodeHeap{}
	for _, n := range all {
		if n.pending == 0 {
			heap.Push(h, n)
		}
	}
	out := make([]*node, 0, len(all))
	for len(out) < len(all) {
		if h.Len() == 0 {
			// Cycle: release the lowest remaining node.
			var best *node
			for _, n := range all {
				if !n.done && (best == nil || less(n, best)) {
					best = n
				}
			}
			best.pending = 0
			heap.Push(h, best)
		}
		n := heap.Pop(h).(*node)
		if n.done {
			continue
		}
		n.done = true
		out = append(out, n)
		for _, u := range n.users {
			u.pending--
			if u.pending == 0 && !u.done {
				heap.Push(h, u)
			}
		}
	}
	return out
}

func less(a, b *node) bool {
	if a.rank != b.rank {
		return a.rank < b.rank
	}
	return a.key < b.key
}

type nodeHeap []*node

func (h nodeHeap) Len() int           { return len(h) }
func (h nodeHeap) Less(i, j int) bool { return less(h[i], h[j]) }
func (h nodeHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *nodeHeap) Push(x any)        { *h = append(*h, x.(*node)) }
func (h *nodeHeap) Pop() any {
	old := *h
	n := old[len(old)-1]
	*h = old[:len(old)-1]
	return n
}

// sortedByName returns a sorted copy of list (the input is left alone).
func sortedByName[T any](list []T, name func(T) string) []T {
	out := append([]T(nil), list...)
	sort.SliceStable(out, func(i, j int) bool { return name(out[i]) < name(out[j]) })
	return out
}
