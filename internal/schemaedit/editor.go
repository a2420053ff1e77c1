// Package schemaedit is the schema editor's model: staged edits over a
// deep copy of a catalog.Schema. Every operation (schemas, tables,
// columns, indexes, constraints, enum values) is applied to the copy at
// once and recorded with its mark (created, changed, dropped); undo, redo
// and discard replay the recorded operations from the original model.
// Validate finds what would make the migration fail or surprise (in words
// a user understands), and Preview hands the original and edited models to
// internal/diff with the renames the operations imply, so the DDL is never
// built by hand and a renamed object is renamed, not dropped and re-added.
package schemaedit

import (
	"fmt"
	"strings"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/diff"
	"github.com/tidemark-dev/tidemark/internal/usererr"
)

// Editor holds the original model and the staged operations.
type Editor struct {
	base catalog.Schema
	ops  []Op
	pos  int // ops[:pos] are applied; ops[pos:] can be redone
	st   *state
	// target, when set (a design, see NewDesign), is what Preview plans
	// from instead of base.
	target *catalog.Schema
}

// objID names an object of the original model by its current name.
type objID struct {
	kind                diff.RenameKind
	schema, table, name string
}

// state is the result of replaying operations on the original model.
type state struct {
	cur catalog.Schema
	// origin holds the objects of the original model that still exist,
	// by their current names: renaming one of them is a rename intent.
	origin  map[objID]bool
	renames []diff.Rename
	marks   map[string]Mark
	lastOp  map[string]int
	// dropped are the original tables dropped in this session, for restore.
	dropped map[catalog.QualifiedName]droppedTable
}

type droppedTable struct {
	table  catalog.Table
	seqs   []catalog.Sequence
	origin []objID
}

// New starts an editing session over a copy of base (base is not changed).
func New(base *catalog.Schema) *Editor {
	e := &Editor{base: base.Clone()}
	e.base.Normalize()
	e.st = e.replay(nil)
	return e
}

func (e *Editor) replay(ops []Op) *state {
	st := &state{cur: e.base.Clone(), origin: map[objID]bool{}, marks: map[string]Mark{}, lastOp: map[string]int{},
		dropped: map[catalog.QualifiedName]droppedTable{}}
	s := &st.cur
	for _, n := range s.Namespaces {
		st.origin[objID{kind: diff.RenameSchema, name: n.Name}] = true
	}
	for _, t := range s.Tables {
		st.origin[objID{diff.RenameTable, t.Schema, "", t.Name}] = true
		for _, c := range t.Columns {
			st.origin[objID{diff.RenameColumn, t.Schema, t.Name, c.Name}] = true
		}
		for _, c := range t.Constraints {
			st.origin[objID{diff.RenameConstraint, t.Schema, t.Name, c.Name}] = true
		}
		for _, x := range t.Indexes {
			st.origin[objID{diff.RenameIndex, t.Schema, "", x.Name}] = true
		}
	}
	for _, ty := range s.Types {
		for _, l := range ty.Labels {
			st.origin[objID{diff.RenameEnumValue, ty.Schema, ty.Name, l}] = true
		}
	}
	for _, id := range append(viewOrigins(s), sequenceOrigins(s)...) {
		st.origin[id] = true
	}
	for i, op := range ops {
		if err := st.apply(i, op); err != nil {
			// Only operations that applied were recorded.
			panic(fmt.Sprintf("schemaedit: replaying operation %d: %v", i, err))
		}
	}
	return st
}

func (st *state) clone() *state {
	c := &state{cur: st.cur.Clone(), origin: map[objID]bool{}, marks: map[string]Mark{}, lastOp: map[string]int{},
		dropped: map[catalog.QualifiedName]droppedTable{}, renames: append([]diff.Rename(nil), st.renames...)}
	for k, v := range st.origin {
		c.origin[k] = v
	}
	for k, v := range st.marks {
		c.marks[k] = v
	}
	for k, v := range st.lastOp {
		c.lastOp[k] = v
	}
	for k, v := range st.dropped {
		c.dropped[k] = v
	}
	return c
}

// Apply stages op. An operation that cannot apply (unknown object, name
// taken, unknown type) is refused with a *usererr.Error and nothing changes.
// Applying after an undo discards what could have been redone.
func (e *Editor) Apply(op Op) error {
	next := e.st.clone()
	if err := next.apply(e.pos, op); err != nil {
		return err
	}
	e.ops = append(e.ops[:e.pos:e.pos], op)
	e.pos++
	e.st = next
	return nil
}

// Undo takes back the last applied operation; false when there is none.
func (e *Editor) Undo() bool {
	if e.pos == 0 {
		return false
	}
	e.pos--
	e.st = e.replay(e.ops[:e.pos])
	return true
}

// Redo applies again the last operation undone; false when there is none.
func (e *Editor) Redo() bool {
	if e.pos == len(e.ops) {
		return false
	}
	if err := e.st.apply(e.pos, e.ops[e.pos]); err != nil {
		panic(fmt.Sprintf("schemaedit: redoing operation %d: %v", e.pos, err))
	}
	e.pos++
	return true
}

// DiscardAll drops every staged operation.
func (e *Editor) DiscardAll() {
	e.ops, e.pos = nil, 0
	e.st = e.replay(nil)
}

// Ops returns the applied operations in order.
func (e *Editor) Ops() []Op { return append([]Op(nil), e.ops[:e.pos]...) }

// Schema returns a copy of the edited model.
func (e *Editor) Schema() catalog.Schema { return e.st.cur.Clone() }

// Base returns a copy of the original model.
func (e *Editor) Base() catalog.Schema { return e.base.Clone() }

// Renames returns the rename intents the applied operations imply
// (renames of objects of the original model), in order.
func (e *Editor) Renames() []diff.Rename { return append([]diff.Rename(nil), e.st.renames...) }

// Marks returns each edited object's mark by key: "schema:s", "table:s.t",
// "column:s.t.c", "index:s.i", "constraint:s.t.c", "type:s.e",
// "enum_value:s.e.'v'" (names quoted as in SQL).
func (e *Editor) Marks() map[string]Mark {
	out := map[string]Mark{}
	for k, v := range e.st.marks {
		out[k] = v
	}
	return out
}

// Preview validates the edits and returns the migration from the original
// model to the edited one, planned by internal/diff with the renames the
// operations imply. Owners and privileges are left out: the editor does not
// edit them, and new objects get the server's defaults.
func (e *Editor) Preview(opts diff.Options) (diff.Plan, error) {
	if ps := e.Validate(); len(ps) > 0 {
		return diff.Plan{}, problemsError(ps)
	}
	from, renames := &e.base, e.Renames()
	if e.target != nil {
		from, renames = e.target, applicableRenames(e.target, renames)
	}
	opts.Renames = append(renames, opts.Renames...)
	opts = e.withOnlineChoices(opts)
	opts.NoPrivileges = true
	return diff.Diff(from, &e.st.cur, opts)
}

func problemsError(ps []Problem) error {
	msg := ps[0].Message
	if len(ps) > 1 {
		msg = fmt.Sprintf("%s (and %d more problems)", msg, len(ps)-1)
	}
	var lines []string
	for _, p := range ps {
		lines = append(lines, p.Object+": "+p.Message)
	}
	return &usererr.Error{Message: msg, Field: ps[0].Field, Detail: strings.Join(lines, "\n")}
}

// Keys of marks.
func schemaKey(s string) string { return "schema:" + catalog.QuoteIdent(s) }
func tableKey(s, t string) string {
	return "table:" + catalog.QuoteQualified(s, t)
}
func columnKey(s, t, c string) string {
	return "column:" + catalog.QuoteQualified(s, t) + "." + catalog.QuoteIdent(c)
}
func indexKey(s, i string) string { return "index:" + catalog.QuoteQualified(s, i) }
func constraintKey(s, t, c string) string {
	return "constraint:" + catalog.QuoteQualified(s, t) + "." + catalog.QuoteIdent(c)
}
func typeKey(s, t string) string { return "type:" + catalog.QuoteQualified(s, t) }
func enumValueKey(s, t, v string) string {
	return "enum_value:" + catalog.QuoteQualified(s, t) + "." + catalog.QuoteLiteral(v)
}

// mark records what op i did to the object key: a created object stays
// created when changed, and disappears from the marks when dropped.
func (st *state) mark(i int, key string, m Mark) {
	st.lastOp[key] = i
	old, had := st.marks[key]
	switch {
	case m == Dropped && had && old == Created:
		delete(st.marks, key)
	case m == Changed && had:
	default:
		st.marks[key] = m
	}
}

// rekey moves marks whose key f changes (a renamed object and what lies
// under it) to their new keys.
func (st *state) rekey(f func(string) string) {
	moved := map[string]Mark{}
	for k, v := range st.marks {
		if nk := f(k); nk != k {
			delete(st.marks, k)
			moved[nk] = v
		}
	}
	for k, v := range moved {
		st.marks[k] = v
	}
	last := map[string]int{}
	for k, v := range st.lastOp {
		if nk := f(k); nk != k {
			delete(st.lastOp, k)
			last[nk] = v
		}
	}
	for k, v := range last {
		st.lastOp[k] = v
	}
}

// prefixer returns a rekey function replacing prefix old (then "." or
// end) of keys of the given kinds by new.
func prefixer(kinds []string, old, new string) func(string) string {
	return func(k string) string {
		for _, kind := range kinds {
			o, n := kind+":"+old, kind+":"+new
			if k == o {
				return n
			}
			if strings.HasPrefix(k, o+".") {
				return n + strings.TrimPrefix(k, o)
			}
		}
		return k
	}
}
