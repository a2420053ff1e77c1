package drift

import (
	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/diff"
)

// Plans are the two migrations a drift report offers: Revert turns the
// live database back into the expected schema; Codify turns the expected
// schema into the live one (the migration to add to the repository so the
// out-of-band change becomes part of the history).
type Plans struct {
	Revert diff.Plan `json:"revert"`
	Codify diff.Plan `json:"codify"`
	// RevertError and CodifyError say why a plan could not be made (a
	// change internal/diff refuses to plan); the plan is then empty.
	RevertError string `json:"revert_error,omitempty"`
	CodifyError string `json:"codify_error,omitempty"`
}

// Migrations plans the revert (live → expected) and codify (expected →
// live) migrations with internal/diff, unvalidated, leaving Tidemark's own
// schema out and owners and privileges unless both models hold them. A
// kind one side's version did not model yet is left alone (see align).
func Migrations(expected, live *catalog.Result) Plans {
	expected, live = align(expected, live)
	priv := expected.Schema.Privileges && live.Schema.Privileges
	es, ls := prepare(&expected.Schema, priv, false), prepare(&live.Schema, priv, false)
	opts := diff.Options{NoPrivileges: !priv}
	var p Plans
	var err error
	if p.Revert, err = diff.Diff(ls, es, opts); err != nil {
		p.Revert, p.RevertError = diff.Plan{}, err.Error()
	}
	if p.Codify, err = diff.Diff(es, ls, opts); err != nil {
		p.Codify, p.CodifyError = diff.Plan{}, err.Error()
	}
	return p
}
