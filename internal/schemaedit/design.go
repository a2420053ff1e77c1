package schemaedit

import (
	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/diff"
)

// NewDesign starts an editing session over a design: a model that is not
// the target database's (a desired-state .sql file saved earlier, a
// snapshot, a JSON model). The edits, their marks, undo and validation are
// relative to the design; Preview plans the migration from target (the
// database the design is for) to the edited design. A rename made in the
// session is passed to the diff only when target holds the renamed object
// under its old name (the design may have created it, or target may have
// renamed it already). Neither argument is changed.
func NewDesign(design, target *catalog.Schema) *Editor {
	e := New(design)
	t := target.Clone()
	t.Normalize()
	e.target = &t
	return e
}

// Design reports whether the session edits a design (see NewDesign).
func (e *Editor) Design() bool { return e.target != nil }

// Target is the model Preview plans from: the target of a design, else the
// original model.
func (e *Editor) Target() catalog.Schema {
	if e.target != nil {
		return e.target.Clone()
	}
	return e.base.Clone()
}

// PlannedRenames are the renames Preview passes to the diff: the session's
// (Renames), or for a design those that apply to its target.
func (e *Editor) PlannedRenames() []diff.Rename {
	if e.target != nil {
		return applicableRenames(e.target, e.Renames())
	}
	return e.Renames()
}

// applicableRenames keeps, in order, the renames that apply to s with the
// ones kept before them applied: those whose object s holds under the old
// name and whose new name s leaves free.
func applicableRenames(s *catalog.Schema, renames []diff.Rename) []diff.Rename {
	var out []diff.Rename
	cur := s
	for _, r := range renames {
		next, _, err := diff.ApplyRenames(cur, []diff.Rename{r})
		if err != nil {
			continue
		}
		out = append(out, r)
		cur = &next
	}
	return out
}
