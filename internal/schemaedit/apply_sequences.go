package schemaedit

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/diff"
	"github.com/tidemark-dev/tidemark/internal/usererr"
)

// Sequence operations (stand-alone sequences; an identity column's
// sequence follows its column).
const (
	// CreateSequence creates a sequence: schema, name, sequence.
	CreateSequence OpKind = "create_sequence"
	// AlterSequence changes a sequence's properties: schema, name, sequence (unset fields stay).
	AlterSequence OpKind = "alter_sequence"
	// RenameSequence renames a sequence: schema, name, to.
	RenameSequence OpKind = "rename_sequence"
	// DropSequence drops a sequence: schema, name.
	DropSequence OpKind = "drop_sequence"
)

// SequenceSpec holds a sequence's properties; unset fields take
// PostgreSQL's defaults on create_sequence (bigint, increment 1, the
// type's range, start at the minimum for an ascending sequence and at the
// maximum for a descending one, cache 1, no cycle) and stay as they are
// on alter_sequence.
type SequenceSpec struct {
	// DataType is smallint, integer or bigint.
	DataType  *string   `json:"data_type,omitempty"`
	Start     *SeqValue `json:"start,omitempty"`
	Increment *SeqValue `json:"increment,omitempty"`
	Min       *SeqValue `json:"min,omitempty"`
	Max       *SeqValue `json:"max,omitempty"`
	Cache     *SeqValue `json:"cache,omitempty"`
	Cycle     *bool     `json:"cycle,omitempty"`
}

// SeqValue is a sequence value. It reads a JSON number or a string of
// digits: the desktop sends strings, since a JavaScript number cannot
// hold every bigint (9223372036854775807 among them).
type SeqValue int64

// UnmarshalJSON reads a number or a quoted number.
func (v *SeqValue) UnmarshalJSON(b []byte) error {
	text := strings.TrimSpace(string(b))
	if unq, err := strconv.Unquote(text); err == nil {
		text = strings.TrimSpace(unq)
	}
	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		return fmt.Errorf("a sequence value is a whole number from %d to %d, not %s", int64(math.MinInt64), int64(math.MaxInt64), string(b))
	}
	*v = SeqValue(n)
	return nil
}

func sequenceKey(schema, name string) string {
	return "sequence:" + catalog.QuoteQualified(schema, name)
}

// seqRange is the range of a sequence type.
var seqRange = map[string][2]int64{
	"smallint": {math.MinInt16, math.MaxInt16},
	"integer":  {math.MinInt32, math.MaxInt32},
	"bigint":   {math.MinInt64, math.MaxInt64},
}

// seqType resolves the spellings of a sequence's type.
func seqType(t string) (string, bool) {
	switch strings.ToLower(strings.TrimSpace(t)) {
	case "smallint", "int2":
		return "smallint", true
	case "integer", "int", "int4":
		return "integer", true
	case "bigint", "int8":
		return "bigint", true
	}
	return "", false
}

// applySequence applies the sequence operations.
func (st *state) applySequence(i int, op Op) error {
	s := &st.cur
	q := catalog.QualifiedName{Schema: op.Schema, Name: op.Name}
	switch op.Op {
	case CreateSequence:
		if err := needName("name", op.Name); err != nil {
			return err
		}
		if s.Namespace(op.Schema) == nil {
			return usererr.Invalid("schema", "there is no schema %s", catalog.QuoteIdent(op.Schema))
		}
		if what := relationNamed(s, op.Schema, op.Name); what != "" {
			return usererr.Invalid("name", "%s is already the name of %s", q.String(), what)
		}
		seq := catalog.Sequence{QualifiedName: q, DataType: "bigint", Increment: 1, Cache: 1, Comment: op.Comment}
		spec := SequenceSpec{}
		if op.Sequence != nil {
			spec = *op.Sequence
		}
		if err := setSequence(&seq, spec, true); err != nil {
			return err
		}
		s.Sequences = append(s.Sequences, seq)
		sort.SliceStable(s.Sequences, func(a, b int) bool { return s.Sequences[a].QualifiedName.Less(s.Sequences[b].QualifiedName) })
		st.mark(i, sequenceKey(op.Schema, op.Name), Created)
	case AlterSequence:
		seq := s.Sequence(q)
		if seq == nil {
			return usererr.Invalid("name", "there is no sequence %s", q.String())
		}
		if op.Sequence == nil {
			return usererr.Invalid("sequence", "alter_sequence needs what to change (sequence)")
		}
		next := *seq
		if err := setSequence(&next, *op.Sequence, false); err != nil {
			return err
		}
		*seq = next
		st.mark(i, sequenceKey(op.Schema, op.Name), Changed)
	case RenameSequence:
		if err := needName("to", op.To); err != nil {
			return err
		}
		if s.Sequence(q) == nil {
			return usererr.Invalid("name", "there is no sequence %s", q.String())
		}
		if what := relationNamed(s, op.Schema, op.To); what != "" {
			return usererr.Invalid("to", "%s is already the name of %s", catalog.QuoteQualified(op.Schema, op.To), what)
		}
		if err := st.rename(diff.Rename{Kind: diff.RenameSequence, Schema: op.Schema, From: op.Name, To: op.To}); err != nil {
			return err
		}
		st.reorigin(func(id objID) objID {
			if id.kind == diff.RenameSequence && id.schema == op.Schema && id.name == op.Name {
				id.name = op.To
			}
			return id
		})
		st.rekey(func(k string) string {
			if k == sequenceKey(op.Schema, op.Name) {
				return sequenceKey(op.Schema, op.To)
			}
			return k
		})
		st.mark(i, sequenceKey(op.Schema, op.To), Changed)
	case DropSequence:
		seq := s.Sequence(q)
		if seq == nil {
			return usererr.Invalid("name", "there is no sequence %s", q.String())
		}
		if seq.OwnedBy != nil {
			return usererr.Invalid("name", "sequence %s belongs to column %s of %s: drop the column (or its default) instead",
				q.String(), catalog.QuoteIdent(seq.OwnedBy.Column), seq.OwnedBy.Table.String())
		}
		if t, c := defaultUsing(s, q); c != "" {
			return usererr.Invalid("name", "column %s of %s takes its default from sequence %s: change that default first",
				catalog.QuoteIdent(c), t.String(), q.String())
		}
		s.Sequences = filter(s.Sequences, func(x catalog.Sequence) bool { return x.QualifiedName != q })
		delete(st.origin, objID{diff.RenameSequence, op.Schema, "", op.Name})
		st.mark(i, sequenceKey(op.Schema, op.Name), Dropped)
	default:
		return usererr.Invalid("op", "unknown sequence operation %q", op.Op)
	}
	return nil
}

// setSequence applies spec to seq and checks the result as CREATE or
// ALTER SEQUENCE would. On create, unset bounds and start follow the
// type and the direction; on alter, a bound left at its type's limit
// follows a type change, as ALTER SEQUENCE ... AS does.
func setSequence(seq *catalog.Sequence, spec SequenceSpec, create bool) error {
	oldType := seq.DataType
	if spec.DataType != nil {
		t, ok := seqType(*spec.DataType)
		if !ok {
			return usererr.Invalid("data_type", "a sequence is smallint, integer or bigint, not %q", *spec.DataType)
		}
		seq.DataType = t
	}
	if spec.Increment != nil {
		if *spec.Increment == 0 {
			return usererr.Invalid("increment", "the increment cannot be 0")
		}
		seq.Increment = int64(*spec.Increment)
	}
	r := seqRange[seq.DataType]
	old := seqRange[oldType]
	up := seq.Increment > 0
	switch {
	case spec.Min != nil:
		seq.Min = int64(*spec.Min)
	case create && up:
		seq.Min = 1
	case create:
		seq.Min = r[0]
	case seq.Min == old[0]:
		seq.Min = r[0]
	}
	switch {
	case spec.Max != nil:
		seq.Max = int64(*spec.Max)
	case create && up:
		seq.Max = r[1]
	case create:
		seq.Max = -1
	case seq.Max == old[1]:
		seq.Max = r[1]
	}
	switch {
	case spec.Start != nil:
		seq.Start = int64(*spec.Start)
	case create && up:
		seq.Start = seq.Min
	case create:
		seq.Start = seq.Max
	}
	if spec.Cache != nil {
		seq.Cache = int64(*spec.Cache)
	}
	if spec.Cycle != nil {
		seq.Cycle = *spec.Cycle
	}
	switch {
	case seq.Min < r[0] || seq.Max > r[1]:
		return usererr.Invalid("min", "the range %d to %d does not fit in %s (%d to %d)", seq.Min, seq.Max, seq.DataType, r[0], r[1])
	case seq.Min >= seq.Max:
		return usererr.Invalid("min", "the minimum (%d) must be less than the maximum (%d)", seq.Min, seq.Max)
	case seq.Start < seq.Min || seq.Start > seq.Max:
		return usererr.Invalid("start", "the start (%d) must lie between the minimum (%d) and the maximum (%d)", seq.Start, seq.Min, seq.Max)
	case seq.Cache < 1:
		return usererr.Invalid("cache", "the cache must be at least 1, not %d", seq.Cache)
	}
	return nil
}

// defaultUsing finds a column whose default calls nextval on sequence q.
func defaultUsing(s *catalog.Schema, q catalog.QualifiedName) (catalog.QualifiedName, string) {
	re := regexp.MustCompile(`nextval\('` + regexp.QuoteMeta(strings.ReplaceAll(q.String(), "'", "''")) + `'`)
	bare := regexp.MustCompile(`nextval\('` + regexp.QuoteMeta(strings.ReplaceAll(catalog.QuoteIdent(q.Name), "'", "''")) + `'`)
	for _, t := range s.Tables {
		for _, c := range t.Columns {
			if c.Default == nil {
				continue
			}
			if re.MatchString(*c.Default) || (q.Schema == "public" && bare.MatchString(*c.Default)) {
				return t.QualifiedName, c.Name
			}
		}
	}
	return catalog.QualifiedName{}, ""
}

// sequenceOrigins are the stand-alone sequences of the original model,
// for the rename intents (see Editor.replay).
func sequenceOrigins(s *catalog.Schema) []objID {
	var out []objID
	for _, q := range s.Sequences {
		out = append(out, objID{diff.RenameSequence, q.Schema, "", q.Name})
	}
	return out
}
