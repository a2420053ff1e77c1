package diff

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/tidemark-dev/tidemark/internal/catalog"
)

// Options tune Diff and Compute.
type Options struct {
	// Online makes the plan safe to run against a busy database: indexes are
	// built and dropped CONCURRENTLY, foreign keys and checks are added NOT
	// VALID and validated separately, SET NOT NULL goes through a validated
	// check, primary keys and unique constraints are attached to concurrently
	// built indexes, and every statement carries lock and statement timeouts.
	Online bool
	// NoPrivileges leaves owners, GRANT/REVOKE and default privileges out of
	// the comparison (they are compared only when both models hold them).
	NoPrivileges bool
	// LockTimeout and StatementTimeout of online statements (defaults 3s and
	// 1 minute); LongStatementTimeout is used for statements that scan or
	// rewrite a table or build an index (default 6 hours).
	LockTimeout          time.Duration
	StatementTimeout     time.Duration
	LongStatementTimeout time.Duration

	// Scratch is the URL of a server where Compute may create (and drop) a
	// scratch database to validate the plan. Empty: no validation.
	Scratch string
	// SkipValidation turns plan validation off even when Scratch is set.
	// Prefer WithoutValidation, which says so at the call site.
	SkipValidation bool
	// Inspect is the scope (schemas, privileges) the models were inspected
	// with; validation re-inspects the scratch copy with it.
	Inspect catalog.Options

	// Renames are objects the caller knows were renamed (see Rename): the
	// plan renames them first and compares the rest from the renamed
	// source, so nothing renamed is dropped and created again.
	Renames []Rename

	// Concurrently chooses, index by index, how a new index on an existing
	// table is built: true CONCURRENTLY (outside a transaction block), false
	// in the transaction, whatever Online says. Keys are the index's schema
	// and name in the target model; indexes not named follow Online. An
	// index of a partitioned table is never built concurrently (PostgreSQL
	// cannot), nor one created with its table.
	Concurrently map[catalog.QualifiedName]bool
	// NotValidFirst chooses, constraint by constraint, whether a foreign key
	// or check added to an existing table is added NOT VALID and validated
	// by a second statement (true) or added and checked at once (false),
	// whatever Online says; constraints not named follow Online. A foreign
	// key of a partitioned table is always added at once (PostgreSQL refuses
	// NOT VALID there).
	NotValidFirst map[ConstraintRef]bool
}

// ConstraintRef names a table constraint: the table's schema and name and
// the constraint's name, in the target model.
type ConstraintRef struct {
	Table catalog.QualifiedName
	Name  string
}

// concurrently reports whether the new index x of table rel is built
// CONCURRENTLY: the per-index choice when there is one, else Online.
func (o Options) concurrently(rel catalog.QualifiedName, x *catalog.Index) bool {
	if v, ok := o.Concurrently[catalog.QualifiedName{Schema: rel.Schema, Name: x.Name}]; ok {
		return v
	}
	return o.Online
}

// notValidFirst reports whether constraint name added to table rel goes
// NOT VALID then VALIDATE: the per-constraint choice, else Online.
func (o Options) notValidFirst(rel catalog.QualifiedName, name string) bool {
	if v, ok := o.NotValidFirst[ConstraintRef{Table: rel, Name: name}]; ok {
		return v
	}
	return o.Online
}

// WithoutValidation returns o with plan validation turned off: Compute will
// return the plan unapplied (Plan.Validated false).
func (o Options) WithoutValidation() Options {
	o.SkipValidation = true
	return o
}

func (o Options) timeouts() (lock, stmt, long time.Duration) {
	lock, stmt, long = o.LockTimeout, o.StatementTimeout, o.LongStatementTimeout
	if lock <= 0 {
		lock = 3 * time.Second
	}
	if stmt <= 0 {
		stmt = time.Minute
	}
	if long <= 0 {
		long = 6 * time.Hour
	}
	return
}

type status int

const (
	stSame status = iota
	stAlter
	stReplace
	stAdd
	stRemove
)

type planner struct {
	opts    Options
	priv    bool // owners and privileges are compared
	fi, ti  *index
	status  map[string]status
	alters  map[string][]Statement
	destr   map[string]string // table key -> why dependents must be rebuilt
	swaps   map[string]bool   // enum types replaced by a new type
	reasons map[string]string // why an object is re-created
	refuse  []Refusal

	drops, alts, creates map[string]*action
	allF, allT           map[string][]string // ordering reverse deps (from) / deps (to)
	// renamed pairs a removed routine's key with the key of the routine
	// added in its place (only parameter names differ).
	renamed map[string]string
	// deferred are parts of table changes (by table key) that must wait for
	// the drop of another object: an identity whose sequence takes the name
	// of a sequence the plan drops (a serial's, when it becomes identity).
	deferred map[string]*deferredChange
	// tails are the actions of the deferred table changes, by table key.
	tails map[string]*action
}

// deferredChange is part of a table's change run as an action of its own,
// after the drops of the objects waitFor (keys) and after the rest of the
// table's change.
type deferredChange struct {
	stmts   []Statement
	waitFor []string
}

// Diff plans the statements that turn from into to. It does no I/O; see
// Compute for a validated plan. A change it cannot plan is returned as a
// *RefusalError naming the objects and why.
func Diff(from, to *catalog.Schema, opts Options) (Plan, error) {
	if from == nil {
		from = &catalog.Schema{}
	}
	if to == nil {
		to = &catalog.Schema{}
	}
	var renames []Statement
	if len(opts.Renames) > 0 {
		renamed, st, err := ApplyRenames(from, opts.Renames)
		if err != nil {
			return Plan{}, err
		}
		from, renames = &renamed, st
	}
	f, t := from.Clone(), to.Clone()
	f.Normalize()
	t.Normalize()
	prune(&f, &t)
	priv := f.Privileges && t.Privileges && !opts.NoPrivileges
	p := &planner{
		opts: opts, priv: priv, fi: buildIndex(&f, priv), ti: buildIndex(&t, priv),
		status: map[string]status{}, alters: map[string][]Statement{}, destr: map[string]string{},
		swaps: map[string]bool{}, reasons: map[string]string{},
		drops: map[string]*action{}, alts: map[string]*action{}, creates: map[string]*action{},
		tails: map[string]*action{}, renamed: map[string]string{}, deferred: map[string]*deferredChange{},
	}
	plan, err := p.run()
	if err != nil || len(renames) == 0 {
		return plan, err
	}
	if opts.Online {
		lock, stmt, _ := opts.timeouts()
		for i := range renames {
			renames[i].LockTimeout, renames[i].StatementTimeout = lock, stmt
		}
	}
	plan.Statements = append(renames, plan.Statements...)
	return plan, nil
}

func (p *planner) refusef(obj, format string, args ...any) {
	p.refuse = append(p.refuse, Refusal{Object: obj, Reason: fmt.Sprintf(format, args...)})
}

func (p *planner) run() (Plan, error) {
	keys := map[string]bool{}
	for k := range p.fi.objs {
		keys[k] = true
	}
	for k := range p.ti.objs {
		keys[k] = true
	}
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	for _, k := range sorted {
		fo, to := p.fi.objs[k], p.ti.objs[k]
		switch {
		case to == nil:
			p.status[k] = stRemove
		case fo == nil:
			p.status[k] = stAdd
		default:
			p.compare(k, fo, to)
		}
	}
	p.pairRenamedRoutines(sorted)
	p.propagate(sorted)
	if len(p.refuse) > 0 {
		return Plan{}, &RefusalError{Refusals: p.refuse}
	}
	p.buildActions(sorted)
	if len(p.refuse) > 0 {
		return Plan{}, &RefusalError{Refusals: p.refuse}
	}
	p.edges()
	var acts []*action
	for _, m := range []map[string]*action{p.drops, p.alts, p.creates, p.tails} {
		for _, a := range m {
			acts = append(acts, a)
		}
	}
	ordered, cycle := sortActions(acts)
	plan := Plan{Online: p.opts.Online, Statements: []Statement{}}
	if len(cycle) > 0 {
		// The plan may still be right (validation decides), but say so.
		plan.Warnings = append(plan.Warnings, "dependency cycle: the order of the statements for "+strings.Join(cycle, ", ")+" was chosen by the tie-break")
	}
	lock, stmt, long := p.opts.timeouts()
	for _, a := range ordered {
		for _, s := range a.stmts {
			s.Object = a.key
			if p.opts.Online {
				s.LockTimeout = lock
				s.StatementTimeout = stmt
				if s.HasHazard(HazardBuildsIndex) || s.HasHazard(HazardValidatesScan) || s.HasHazard(HazardRewritesTable) {
					s.StatementTimeout = long
				}
			}
			plan.Statements = append(plan.Statements, s)
		}
	}
	for _, s := range plan.Statements {
		if strings.HasPrefix(s.SQL, "CREATE FUNCTION ") || strings.HasPrefix(s.SQL, "CREATE OR REPLACE FUNCTION ") ||
			strings.HasPrefix(s.SQL, "CREATE PROCEDURE ") || strings.HasPrefix(s.SQL, "CREATE OR REPLACE PROCEDURE ") {
			// Routine bodies may use objects created later in the plan
			// (PostgreSQL does not record such dependencies): check them at
			// call time, as pg_dump does.
			set := Statement{SQL: "SET check_function_bodies = false", Transactional: true, Object: "session"}
			if p.opts.Online {
				set.LockTimeout, set.StatementTimeout = lock, stmt
			}
			plan.Statements = append([]Statement{set}, plan.Statements...)
			break
		}
	}
	plan.ColumnOrder = p.columnOrder(sorted)
	return plan, nil
}

// columnOrder lists altered tables whose resulting column order differs from the target's.
func (p *planner) columnOrder(keys []string) []string {
	var out []string
	for _, k := range keys {
		fo, to := p.fi.objs[k], p.ti.objs[k]
		if fo == nil || to == nil || fo.kind != kTable || p.status[k] == stReplace {
			continue
		}
		var res []string
		for _, c := range fo.table.Columns {
			if to.table.Column(c.Name) != nil && !generatedChanged(fo.table.Column(c.Name), to.table.Column(c.Name)) {
				res = append(res, c.Name)
			}
		}
		for _, c := range to.table.Columns {
			if !containsStr(res, c.Name) {
				res = append(res, c.Name)
			}
		}
		var want []string
		for _, c := range to.table.Columns {
			want = append(want, c.Name)
		}
		if !equalStrings(res, want) {
			out = append(out, to.table.QualifiedName.String())
		}
	}
	return out
}

func containsStr(s []string, x string) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}

// compare decides what happens to an object present on both sides.
func (p *planner) compare(k string, fo, to *obj) {
	set := func(st []Statement) {
		if len(st) == 0 {
			p.status[k] = stSame
			return
		}
		p.status[k] = stAlter
		p.alters[k] = st
	}
	replace := func(why string) {
		p.status[k] = stReplace
		p.reasons[k] = why
	}
	if fo.kind != to.kind {
		replace("its kind changes")
		return
	}
	switch fo.kind {
	case kTable:
		st, destructive, repl := p.alterTable(fo.table, to.table)
		if repl != "" {
			replace(repl)
			return
		}
		if destructive != "" {
			p.destr[k] = destructive
		}
		set(st)
	case kType:
		p.compareType(k, fo, to)
	case kFunction:
		if equalStrings(fo.stmts, to.stmts) {
			set(nil)
			return
		}
		f, t := fo.fn, to.fn
		if f.Kind != t.Kind || f.Kind == catalog.FunctionAggregate || f.Result != t.Result || f.ArgsFull != t.ArgsFull {
			replace("its signature or result type changes")
			return
		}
		set([]Statement{{SQL: t.Definition, Transactional: true}})
	case kView:
		p.compareView(k, fo, to)
	case kTSConfig:
		if equalStrings(fo.stmts, to.stmts) {
			set(nil)
			return
		}
		if fo.tsc.Parser != to.tsc.Parser {
			replace("its parser changes")
			return
		}
		set(alterTSMappings(fo.tsc, to.tsc))
	case kPublication:
		if equalStrings(fo.stmts, to.stmts) {
			set(nil)
			return
		}
		st, ok := alterPublication(fo.pub, to.pub)
		if !ok {
			replace("it changes between FOR ALL TABLES and a list")
			return
		}
		set(st)
	case kOpFamily:
		if equalStrings(fo.stmts, to.stmts) {
			set(nil)
			return
		}
		set(alterOpFamily(fo.opf, to.opf))
	case kSequence:
		set(alterSequence(fo.seq, to.seq))
	case kExtension:
		var st []Statement
		name := catalog.QuoteIdent(to.ext.Name)
		if fo.ext.Schema != to.ext.Schema {
			st = append(st, Statement{SQL: "ALTER EXTENSION " + name + " SET SCHEMA " + catalog.QuoteIdent(to.ext.Schema), Transactional: true})
		}
		if fo.ext.Version != to.ext.Version {
			st = append(st, Statement{SQL: "ALTER EXTENSION " + name + " UPDATE TO " + catalog.QuoteLiteral(to.ext.Version), Transactional: true})
		}
		set(st)
	case kOwned, kIndexExtra:
		if equalStrings(fo.stmts, to.stmts) {
			set(nil)
			return
		}
		var st []Statement
		for _, s := range to.stmts {
			st = append(st, Statement{SQL: s, Transactional: true})
		}
		if fo.kind == kIndexExtra {
			if fo.idx.Clustered && !to.idx.Clustered {
				st = append(st, Statement{SQL: "ALTER TABLE " + to.rel.String() + " SET WITHOUT CLUSTER", Transactional: true})
			}
			if fo.idx.ReplicaIdentity && !to.idx.ReplicaIdentity {
				st = append(st, Statement{SQL: "ALTER TABLE " + to.rel.String() + " REPLICA IDENTITY DEFAULT", Transactional: true})
			}
		}
		set(st)
	case kConstraint:
		if equalStrings(fo.stmts, to.stmts) {
			set(nil)
			return
		}
		f, t := fo.con, to.con
		if f.NotValid && !t.NotValid && strings.TrimSuffix(f.Definition, " NOT VALID") == t.Definition {
			set([]Statement{{SQL: "ALTER TABLE " + to.rel.String() + " VALIDATE CONSTRAINT " + catalog.QuoteIdent(t.Name), Transactional: true,
				Hazards: []Hazard{{HazardValidatesScan, "scans " + to.rel.String() + " to validate " + t.Name + " (SHARE UPDATE EXCLUSIVE lock: reads and writes continue)"}}}})
			return
		}
		replace("its definition changes")
	case kACL:
		if equalStrings(fo.stmts, to.stmts) {
			set(nil)
			return
		}
		var st []Statement
		revokes, _ := undoACL(fo.stmts, "")
		for _, s := range revokes {
			st = append(st, Statement{SQL: s, Transactional: true})
		}
		for _, s := range to.stmts {
			st = append(st, Statement{SQL: s, Transactional: true})
		}
		set(st)
	case kSchema:
		set(nil)
	case kIndex:
		// A partitioned index is dumped ON the whole tree instead of ON ONLY
		// when the table has foreign partitions: the same index.
		if equalStrings(fo.stmts, to.stmts) || equalStrings(wholeTree(fo.stmts), wholeTree(to.stmts)) {
			set(nil)
			return
		}
		replace("its definition changes")
	default:
		if equalStrings(fo.stmts, to.stmts) {
			set(nil)
			return
		}
		if fo.kind == kOther {
			p.refusef(k, "changed, and Tidemark cannot plan changes to this object")
			return
		}
		replace("its definition changes")
	}
}

func (p *planner) compareView(k string, fo, to *obj) {
	if equalStrings(fo.stmts, to.stmts) {
		p.status[k] = stSame
		return
	}
	f, t := fo.view, to.view
	compatible := !f.Materialized && !t.Materialized && len(t.Columns) >= len(f.Columns) &&
		len(fo.stmts) > 0 && len(to.stmts) > 0 && strings.HasPrefix(to.stmts[0], "CREATE VIEW ")
	if compatible {
		for i, c := range f.Columns {
			if t.Columns[i].Name != c.Name || t.Columns[i].Type != c.Type {
				compatible = false
				break
			}
		}
	}
	if !compatible {
		p.status[k] = stReplace
		if f.Materialized {
			p.reasons[k] = "a materialized view's query cannot be changed in place"
		} else {
			p.reasons[k] = "its columns change in a way CREATE OR REPLACE VIEW cannot do"
		}
		return
	}
	name := t.QualifiedName.String()
	st := []Statement{{SQL: "CREATE OR REPLACE VIEW " + strings.TrimPrefix(to.stmts[0], "CREATE VIEW "), Transactional: true,
		Hazards: []Hazard{{HazardAccessExclusive, "CREATE OR REPLACE VIEW takes an ACCESS EXCLUSIVE lock on " + name + " (brief)"}}}}
	for _, c := range f.Columns {
		if c.Default == nil {
			continue
		}
		if tc := viewColumn(t, c.Name); tc == nil || tc.Default == nil {
			st = append(st, Statement{SQL: "ALTER VIEW " + name + " ALTER COLUMN " + catalog.QuoteIdent(c.Name) + " DROP DEFAULT", Transactional: true})
		}
	}
	for _, s := range to.stmts[1:] {
		if strings.HasPrefix(s, "ALTER VIEW ") {
			st = append(st, Statement{SQL: s, Transactional: true})
		}
	}
	p.status[k] = stAlter
	p.alters[k] = st
}

func viewColumn(v *catalog.View, name string) *catalog.ViewColumn {
	for i := range v.Columns {
		if v.Columns[i].Name == name {
			return &v.Columns[i]
		}
	}
	return nil
}

// propagate re-creates everything that depends on an object that is
// re-created, on a table column whose type changes or that is dropped, or
// on an enum that is replaced.
func (p *planner) propagate(keys []string) {
	var queue []string
	mark := func(u, cause, why string) {
		if p.ti.objs[u] == nil {
			return // removed anyway
		}
		switch p.status[u] {
		case stReplace, stAdd, stRemove:
			return
		}
		if fo := p.fi.objs[u]; fo != nil && fo.kind == kTable {
			if !tableUses(fo.table, cause) {
				// Only its CHECK constraints use cause: they are nodes
				// of their own, re-created by their own edges.
				return
			}
			p.refusef(u, "depends on %s, which must be dropped and re-created (%s); Tidemark does not drop and re-create a table with its data", cause, why)
			return
		}
		p.status[u] = stReplace
		p.reasons[u] = "depends on " + cause + ", which " + why
		delete(p.alters, u)
		queue = append(queue, u)
	}
	for _, k := range keys {
		switch p.status[k] {
		case stReplace:
			queue = append(queue, k)
		case stRemove:
			if p.renamed[k] != "" {
				// Replaced by the routine that takes its signature.
				queue = append(queue, k)
				continue
			}
			// What still exists in the target but used a removed object
			// is re-created (tables drop the use by altering themselves).
			for _, u := range p.fi.users[k] {
				if fo := p.fi.objs[u]; fo.kind != kTable && fo.kind != kACL {
					mark(u, k, "is dropped")
				}
			}
		}
	}
	for _, k := range keys {
		if why, ok := p.destr[k]; ok {
			for _, u := range p.fi.users[k] {
				switch p.fi.objs[u].kind {
				case kView, kFunction, kTrigger, kPolicy, kRule, kOther:
					mark(u, k, why)
				}
			}
		}
		if p.swaps[k] {
			for _, u := range p.fi.users[k] {
				if p.fi.objs[u].kind != kTable {
					mark(u, k, "is replaced by a new type with the target's values")
				}
			}
		}
	}
	for len(queue) > 0 {
		k := queue[0]
		queue = queue[1:]
		why := "is dropped and re-created"
		if r := p.reasons[k]; r != "" {
			why = "is dropped and re-created because " + r
		}
		for _, u := range p.fi.users[k] {
			mark(u, k, why)
		}
	}
}

// tableUses reports whether table t itself (a column's type, default or
// generation expression) depends on the object with key k, as opposed to
// only its CHECK constraints.
func tableUses(t *catalog.Table, k string) bool {
	for _, r := range t.DependsOn {
		if refKey(r) == k {
			return true
		}
	}
	return false
}

func (p *planner) dropped(k string) bool {
	s, ok := p.status[k]
	return ok && (s == stRemove || s == stReplace)
}

func (p *planner) created(k string) bool {
	s, ok := p.status[k]
	return ok && (s == stAdd || s == stReplace)
}

// implicitDrop reports whether dropping something else already drops k.
func (p *planner) implicitDrop(o *obj) bool {
	if o.owner != "" && p.dropped(o.owner) {
		return true
	}
	switch o.kind {
	case kIndexAttach, kIndexExtra:
		return true
	case kConstraint:
		return o.con.Inherited
	case kIndex:
		return o.idx.ParentIndex != nil
	case kOwned:
		return p.dropped(o.seq.Ref().Key())
	case kSequence:
		// A sequence owned by a column goes with the column or its table.
		if ob := o.seq.OwnedBy; ob != nil {
			tk := catalog.ObjectRef{Kind: catalog.KindTable, Schema: ob.Table.Schema, Name: ob.Table.Name}.Key()
			if p.dropped(tk) {
				return true
			}
			ft, tt := p.fi.s.Table(ob.Table), p.ti.s.Table(ob.Table)
			if ft != nil && tt != nil {
				tc := tt.Column(ob.Column)
				return tc == nil || generatedChanged(ft.Column(ob.Column), tc)
			}
		}
	}
	return false
}

// implicitCreate reports whether creating something else already creates k.
func (p *planner) implicitCreate(o *obj) bool {
	if o.kind == kConstraint && o.con.Type == catalog.ConstraintCheck {
		if o.owner != "" && p.created(o.owner) {
			return o.inline
		}
		return o.con.Inherited
	}
	if o.kind == kACL && len(o.stmts) == 0 {
		return true
	}
	return len(o.stmts) == 0 && len(o.deco) == 0
}

// pairRenamedRoutines pairs each routine removed with the routine added
// under the same schema, name and argument types: only parameter names
// differ. PostgreSQL identifies routines by argument types, so the new one
// cannot be created while the old one exists, and CREATE OR REPLACE cannot
// rename parameters ("cannot change name of input parameter"). The pair is
// planned as one routine replaced: the old one, and whatever uses it, is
// dropped before the new one is created, and what used it is created again
// after (or the change is refused, as for any routine that is replaced).
func (p *planner) pairRenamedRoutines(keys []string) {
	added := map[string]string{} // identity -> key of the added routine
	for _, k := range keys {
		if o := p.ti.objs[k]; p.status[k] == stAdd && o.kind == kFunction {
			added[routineIdentity(o.fn)] = k
		}
	}
	if len(added) == 0 {
		return
	}
	for _, k := range keys {
		o := p.fi.objs[k]
		if p.status[k] != stRemove || o.kind != kFunction {
			continue
		}
		if tk, ok := added[routineIdentity(o.fn)]; ok {
			p.renamed[k] = tk
			p.reasons[k] = "its parameters are renamed, which CREATE OR REPLACE cannot do"
		}
	}
}

// routineIdentity is what PostgreSQL identifies a routine by: schema, name
// and argument types (modes included, parameter names left out).
func routineIdentity(f *catalog.Function) string {
	return f.QualifiedName.String() + "(" + argTypes(f.Args) + ")"
}

// argTypes reduces pg_get_function_identity_arguments ("x integer, VARIADIC
// ys text[]") to the argument modes and types ("integer, VARIADIC text[]").
// IN, the default mode (which procedures spell out), is left out.
func argTypes(args string) string {
	var out []string
	for _, a := range splitTopLevel(args) {
		words := identWords(a)
		if len(words) == 0 {
			continue
		}
		mode := ""
		if len(words) > 1 {
			switch strings.ToUpper(words[0]) {
			case "IN":
				words = words[1:]
			case "OUT", "INOUT", "VARIADIC":
				mode, words = strings.ToUpper(words[0])+" ", words[1:]
			}
		}
		if len(words) > 1 && !multiWordType(words) {
			words = words[1:] // the parameter's name
		}
		out = append(out, mode+strings.Join(words, " "))
	}
	return strings.Join(out, ", ")
}

// splitTopLevel splits s at the commas outside parentheses, brackets and
// double quotes.
func splitTopLevel(s string) []string {
	var parts []string
	depth, start, quoted := 0, 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '(' || c == '[':
			depth++
		case c == ')' || c == ']':
			depth--
		case c == ',' && depth == 0:
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	return append(parts, s[start:])
}

// identWords splits s at the spaces outside double quotes and parentheses
// (a quoted name or a type such as public."my type" stays one word).
func identWords(s string) []string {
	var out []string
	var b strings.Builder
	depth, quoted := 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '(':
			depth++
		case c == ')':
			depth--
		case c == ' ' && depth == 0:
			if b.Len() > 0 {
				out = append(out, b.String())
				b.Reset()
			}
			continue
		}
		b.WriteByte(c)
	}
	if b.Len() > 0 {
		out = append(out, b.String())
	}
	return out
}

// multiWordType reports whether words are one of the type names of several
// words that format_type renders (with or without array brackets).
func multiWordType(words []string) bool {
	t := strings.Join(words, " ")
	for strings.HasSuffix(t, "[]") {
		t = strings.TrimSuffix(t, "[]")
	}
	switch t {
	case "character varying", "bit varying", "double precision",
		"timestamp without time zone", "timestamp with time zone",
		"time without time zone", "time with time zone":
		return true
	}
	return false
}

func lateDropKind(k objKind) bool {
	switch k {
	case kType, kFunction, kOperator, kSequence, kCollation, kSchema, kExtension:
		return true
	}
	return false
}

func (p *planner) buildActions(keys []string) {
	for _, k := range keys {
		st := p.status[k]
		fo, to := p.fi.objs[k], p.ti.objs[k]
		if st == stRemove || st == stReplace {
			if !p.implicitDrop(fo) {
				kind := actDrop
				renamed := p.renamed[k] != ""
				if st == stRemove && lateDropKind(fo.kind) && !renamed {
					kind = actLateDrop
				}
				stmts := p.dropStatements(fo, st == stRemove && !renamed)
				if len(stmts) > 0 {
					p.drops[k] = &action{kind: kind, key: k, order: fo.order, stmts: stmts}
				}
			}
		}
		if st == stAdd || st == stReplace {
			var stmts []Statement
			if !p.implicitCreate(to) {
				stmts = p.createStatements(to, st == stReplace)
			}
			for _, d := range to.deco {
				stmts = append(stmts, Statement{SQL: d, Transactional: true})
			}
			if len(stmts) > 0 {
				p.creates[k] = &action{kind: actCreate, key: k, order: to.order, stmts: stmts}
			}
		}
		if st == stAlter || st == stSame {
			stmts := p.alters[k]
			if p.swaps[k] && len(stmts) > 0 {
				// The old enum goes last, after every table stops using it.
				last := stmts[len(stmts)-1]
				stmts = stmts[:len(stmts)-1]
				p.drops["swapdrop:"+k] = &action{kind: actLateDrop, key: "swapdrop:" + k, order: fo.order, stmts: []Statement{last}}
			}
			stmts = append(stmts, p.decoChanges(fo, to)...)
			if len(stmts) > 0 {
				p.alts[k] = &action{kind: actAlter, key: k, order: to.order, stmts: stmts}
			}
		}
	}
	for tk, d := range p.deferred {
		p.tails[tk] = &action{kind: actAlter, key: "deferred:" + tk, order: p.ti.objs[tk].order, stmts: d.stmts}
	}
	p.defaultPrivilegeResets(keys)
}

// decoChanges turns comment and owner differences into statements.
func (p *planner) decoChanges(fo, to *obj) []Statement {
	if equalStrings(fo.deco, to.deco) {
		return nil
	}
	oldC, newC := commentsByTarget(fo.deco), commentsByTarget(to.deco)
	var out []Statement
	for _, s := range to.deco {
		if t, ok := commentTarget(s); ok {
			if oldC[t] != s {
				out = append(out, Statement{SQL: s, Transactional: true})
			}
			continue
		}
		if !containsStr(fo.deco, s) {
			out = append(out, Statement{SQL: s, Transactional: true})
		}
	}
	for _, s := range fo.deco {
		t, ok := commentTarget(s)
		if !ok || newC[t] != "" {
			continue
		}
		if strings.HasPrefix(t, "COLUMN ") && !p.ti.colTargets[t] {
			continue
		}
		if strings.HasPrefix(t, "CONSTRAINT ") && strings.Contains(t, " ON DOMAIN ") {
			name := strings.TrimPrefix(t, "CONSTRAINT ")
			name = name[:strings.Index(name, " ON DOMAIN ")]
			if to.typ == nil || !domainHas(to.typ, name) {
				continue
			}
		}
		out = append(out, Statement{SQL: "COMMENT ON " + t + " IS NULL", Transactional: true})
	}
	return out
}

func domainHas(t *catalog.Type, quoted string) bool {
	for _, c := range t.Constraints {
		if catalog.QuoteIdent(c.Name) == quoted {
			return true
		}
	}
	return false
}

func commentsByTarget(stmts []string) map[string]string {
	m := map[string]string{}
	for _, s := range stmts {
		if t, ok := commentTarget(s); ok {
			m[t] = s
		}
	}
	return m
}

// commentTarget extracts X of "COMMENT ON X IS '...'" (quoted identifiers
// in X may contain anything).
func commentTarget(s string) (string, bool) {
	const pre = "COMMENT ON "
	if !strings.HasPrefix(s, pre) {
		return "", false
	}
	inQuote := false
	for i := len(pre); i < len(s); i++ {
		c := s[i]
		if c == '"' {
			inQuote = !inQuote
			continue
		}
		if !inQuote && strings.HasPrefix(s[i:], " IS ") {
			rest := s[i+4:]
			if strings.HasPrefix(rest, "'") || strings.HasPrefix(rest, "E'") || rest == "NULL" {
				return s[len(pre):i], true
			}
		}
	}
	return "", false
}

// undoACL returns statements that take the privileges set by stmts (Dump's
// REVOKE ALL / GRANT lines for one object) back to the built-in defaults.
//
// The revokes take back every grant; the grants restore the defaults (the
// owner's privileges go to newOwner when it is not empty, for objects whose
// owner changes in the same plan).
func undoACL(stmts []string, newOwner string) (revokes, grants []string) {
	for _, s := range stmts {
		prefix := ""
		body := s
		if strings.HasPrefix(s, "ALTER DEFAULT PRIVILEGES ") {
			i := strings.Index(s, " GRANT ")
			j := strings.Index(s, " REVOKE ")
			if j >= 0 && (i < 0 || j < i) {
				i = j
			}
			if i < 0 {
				continue
			}
			prefix, body = s[:i+1], s[i+1:]
		}
		switch {
		case strings.HasPrefix(body, "GRANT "):
			b := strings.TrimSuffix(body, " WITH GRANT OPTION")
			i := strings.LastIndex(b, " TO ")
			if i < 0 {
				continue
			}
			revokes = append(revokes, prefix+"REVOKE "+strings.TrimPrefix(b[:i], "GRANT ")+" FROM "+b[i+4:]+" CASCADE")
		case strings.HasPrefix(body, "REVOKE ALL ON "):
			i := strings.LastIndex(body, " FROM ")
			if i < 0 {
				continue
			}
			what, who := strings.TrimPrefix(body[:i], "REVOKE ALL ON "), body[i+6:]
			if who == "PUBLIC" {
				priv := ""
				switch {
				case strings.HasPrefix(what, "FUNCTION "), strings.HasPrefix(what, "PROCEDURE "), what == "FUNCTIONS":
					priv = "EXECUTE"
				case strings.HasPrefix(what, "TYPE "), what == "TYPES":
					priv = "USAGE"
				}
				if priv != "" {
					grants = append(grants, prefix+"GRANT "+priv+" ON "+what+" TO PUBLIC")
				}
				continue
			}
			if newOwner != "" && prefix == "" {
				who = catalog.QuoteIdent(newOwner)
			}
			grants = append(grants, prefix+"GRANT ALL ON "+what+" TO "+who)
		}
	}
	return revokes, grants
}

// edges links the actions: drops after the drops and changes of what
// depends on the object (in the source), creations and changes after the
// creations and changes of what the object depends on (in the target).
func (p *planner) edges() {
	p.allF = map[string][]string{}
	for k, o := range p.fi.objs {
		for _, d := range append(append([]string(nil), o.deps...), o.orderDeps...) {
			p.allF[d] = append(p.allF[d], k)
		}
	}
	// dropUsers appends the actions that must run before dropping k.
	var dropBefore func(k string, seen map[string]bool, out *[]*action)
	dropBefore = func(k string, seen map[string]bool, out *[]*action) {
		for _, u := range p.allF[k] {
			if seen[u] {
				continue
			}
			seen[u] = true
			a, b := p.drops[u], p.alts[u]
			if a != nil {
				*out = append(*out, a)
			}
			if b != nil {
				*out = append(*out, b)
			}
			if a == nil && b == nil && p.dropped(u) {
				dropBefore(u, seen, out)
			}
		}
	}
	var createAfter func(k string, seen map[string]bool, out *[]*action)
	createAfter = func(k string, seen map[string]bool, out *[]*action) {
		o := p.ti.objs[k]
		if o == nil {
			return
		}
		for _, d := range append(append([]string(nil), o.deps...), o.orderDeps...) {
			if seen[d] {
				continue
			}
			seen[d] = true
			a, b := p.creates[d], p.alts[d]
			if a != nil {
				*out = append(*out, a)
			}
			if b != nil {
				*out = append(*out, b)
			}
			if a == nil && b == nil && p.created(d) {
				createAfter(d, seen, out)
			}
		}
	}
	for k, a := range p.drops {
		dropBefore(k, map[string]bool{k: true}, &a.after)
	}
	for k, a := range p.alts {
		createAfter(k, map[string]bool{k: true}, &a.after)
		// Dependents being dropped go first.
		for _, u := range p.allF[k] {
			if d := p.drops[u]; d != nil {
				a.after = append(a.after, d)
			}
		}
	}
	for k, a := range p.tails {
		// A deferred table change runs after the rest of the table's
		// change and after the drops it waits for.
		createAfter(k, map[string]bool{k: true}, &a.after)
		if b := p.alts[k]; b != nil {
			a.after = append(a.after, b)
		}
		for _, w := range p.deferred[k].waitFor {
			if d := p.drops[w]; d != nil {
				a.after = append(a.after, d)
			}
		}
	}
	for k, a := range p.creates {
		createAfter(k, map[string]bool{k: true}, &a.after)
		if o := p.ti.objs[k]; o != nil {
			// What is built on a table (an index on a deferred column)
			// waits for the table's deferred change.
			for _, d := range append(append([]string(nil), o.deps...), o.orderDeps...) {
				if t := p.tails[d]; t != nil {
					a.after = append(a.after, t)
				}
			}
		}
		if d := p.drops[k]; d != nil {
			a.after = append(a.after, d)
		}
		// Sub-objects of a new partition go before it is attached, so
		// ATTACH adopts them instead of creating its own.
		if o := p.ti.objs[k]; o != nil && o.owner != "" && (o.kind == kConstraint || o.kind == kIndex) {
			if at := p.creates[catalog.AttachNodeKey(o.owner)]; at != nil {
				if (o.con != nil && o.con.Inherited) || (o.idx != nil && o.idx.ParentIndex != nil) {
					at.after = append(at.after, a)
				}
			}
		}
	}
	for fk, tk := range p.renamed {
		// A routine whose parameters are renamed is created once the old
		// one, which holds its signature, is dropped.
		if a, d := p.creates[tk], p.drops[fk]; a != nil && d != nil {
			a.after = append(a.after, d)
		}
	}
	for k := range p.swaps {
		sd := p.drops["swapdrop:"+k]
		if sd == nil {
			continue
		}
		if a := p.alts[k]; a != nil {
			sd.after = append(sd.after, a)
		}
		for _, u := range p.allF[k] {
			if a := p.alts[u]; a != nil {
				sd.after = append(sd.after, a)
			}
			if a := p.drops[u]; a != nil {
				sd.after = append(sd.after, a)
			}
		}
	}
	// Drops of objects re-created under the same key go before other
	// creations that might collide with them by name (handled by the
	// phase tie-break); late drops of removed types and routines come
	// after every change that stops using them (handled by dropBefore).
}

// wholeTree renders a partitioned index's statements as created on the
// whole partition tree (ON, not ON ONLY).
func wholeTree(stmts []string) []string {
	out := make([]string, len(stmts))
	for i, s := range stmts {
		out[i] = strings.Replace(s, " ON ONLY ", " ON ", 1)
	}
	return out
}
