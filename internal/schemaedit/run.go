package schemaedit

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/diff"
	"github.com/tidemark-dev/tidemark/internal/usererr"
)

// DecodeOps reads an operations file: a JSON array of Op. Unknown fields
// are refused, so a misspelt key does not silently do nothing.
func DecodeOps(data []byte) ([]Op, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var ops []Op
	if err := dec.Decode(&ops); err != nil {
		return nil, usererr.Invalid("ops", "the operations file is not a JSON array of operations: %v", err)
	}
	if dec.More() {
		return nil, usererr.Invalid("ops", "the operations file holds more than one JSON value")
	}
	return ops, nil
}

// Replay starts an editor over base and applies ops in order; the first
// operation refused is named in the error (its position from 1, its op).
func Replay(base *catalog.Schema, ops []Op) (*Editor, error) {
	e := New(base)
	for i, op := range ops {
		if err := e.Apply(op); err != nil {
			ue := usererr.From(err)
			return nil, &usererr.Error{Message: fmt.Sprintf("operation %d (%s): %s", i+1, op.Op, ue.Message), Field: "ops", Detail: ue.Detail, Err: err}
		}
	}
	return e, nil
}

// Report is the preview of an editing session: the plan, the renames it
// starts with and the mark of every edited object. Its JSON form is the
// output of tidemark schema edit --format json.
type Report struct {
	Plan    diff.Plan       `json:"plan"`
	Renames []diff.Rename   `json:"renames"`
	Marks   map[string]Mark `json:"marks"`
}

// PreviewReport validates and previews the session (see Editor.Preview).
func (e *Editor) PreviewReport(opts diff.Options) (Report, error) {
	plan, err := e.Preview(opts)
	if err != nil {
		return Report{}, err
	}
	r := Report{Plan: plan, Renames: e.PlannedRenames(), Marks: e.Marks()}
	if r.Renames == nil {
		r.Renames = []diff.Rename{}
	}
	return r, nil
}
