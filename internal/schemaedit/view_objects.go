package schemaedit

import (
	"sort"
	"strconv"

	"github.com/tidemark-dev/tidemark/internal/catalog"
)

// ViewView is one view or materialized view as the editor shows it.
type ViewView struct {
	Schema       string  `json:"schema"`
	Name         string  `json:"name"`
	Key          string  `json:"key"`
	Mark         Mark    `json:"mark"`
	Materialized bool    `json:"materialized"`
	Definition   string  `json:"definition"`
	Comment      *string `json:"comment"`
	// Columns are the view's output columns, by name.
	Columns []string `json:"columns"`
	// CheckOption ("local", "cascaded", ""), SecurityBarrier and
	// SecurityInvoker are a view's options; WithNoData a materialized view's.
	CheckOption     string `json:"checkOption"`
	SecurityBarrier bool   `json:"securityBarrier"`
	SecurityInvoker bool   `json:"securityInvoker"`
	WithNoData      bool   `json:"withNoData"`
}

// SequenceView is one stand-alone sequence. Its values are strings: a
// JavaScript number cannot hold every bigint.
type SequenceView struct {
	Schema    string  `json:"schema"`
	Name      string  `json:"name"`
	Key       string  `json:"key"`
	Mark      Mark    `json:"mark"`
	DataType  string  `json:"dataType"`
	Start     string  `json:"start"`
	Increment string  `json:"increment"`
	Min       string  `json:"min"`
	Max       string  `json:"max"`
	Cache     string  `json:"cache"`
	Cycle     bool    `json:"cycle"`
	Comment   *string `json:"comment"`
	// OwnedBy is the column the sequence belongs to ("table.column"), "" when none.
	OwnedBy string `json:"ownedBy"`
}

// TypeView is one of the schema's enums, domains and composite types.
type TypeView struct {
	Name    string   `json:"name"`
	Key     string   `json:"key"`
	Mark    Mark     `json:"mark"`
	Kind    string   `json:"kind"`
	Labels  []string `json:"labels"`
	Comment *string  `json:"comment"`
}

// FunctionView is one function, procedure or aggregate (for its comment).
type FunctionView struct {
	Name string `json:"name"`
	// Args are the identity arguments ("k text"), what tells overloads apart.
	Args    string  `json:"args"`
	Kind    string  `json:"kind"`
	Result  string  `json:"result"`
	Key     string  `json:"key"`
	Mark    Mark    `json:"mark"`
	Comment *string `json:"comment"`
}

// objectViews fills the schemas' comments, views, sequences and types,
// the views and sequences dropped in the session, and the comments of
// the tables' indexes and constraints.
func (st *state) objectViews(v *View, bySchema map[string]int) {
	s := &st.cur
	for i := range v.Schemas {
		sc := &v.Schemas[i]
		if n := s.Namespace(sc.Name); n != nil {
			sc.Comment = n.Comment
		}
		sc.Views, sc.Sequences, sc.Types, sc.Functions = []ViewView{}, []SequenceView{}, []TypeView{}, []FunctionView{}
		sc.DroppedViews, sc.DroppedSequences = st.droppedOf("view", sc.Name), st.droppedOf("sequence", sc.Name)
		for ti := range sc.Tables {
			tv := &sc.Tables[ti]
			t := s.Table(catalog.QualifiedName{Schema: tv.Schema, Name: tv.Name})
			if t == nil {
				continue
			}
			for xi := range tv.Indexes {
				if x := t.Index(tv.Indexes[xi].Name); x != nil {
					tv.Indexes[xi].Comment = x.Comment
				}
			}
			for ci := range tv.Constraints {
				if c := t.Constraint(tv.Constraints[ci].Name); c != nil {
					tv.Constraints[ci].Comment = c.Comment
				}
			}
		}
	}
	for _, x := range s.Views {
		i, ok := bySchema[x.Schema]
		if !ok {
			continue
		}
		k := viewKey(x.Schema, x.Name)
		cols := []string{}
		for _, c := range x.Columns {
			cols = append(cols, c.Name)
		}
		v.Schemas[i].Views = append(v.Schemas[i].Views, ViewView{Schema: x.Schema, Name: x.Name, Key: k, Mark: st.marks[k],
			Materialized: x.Materialized, Definition: x.Definition, Comment: x.Comment, Columns: cols,
			CheckOption: x.CheckOption, SecurityBarrier: x.SecurityBarrier, SecurityInvoker: x.SecurityInvoker, WithNoData: x.WithNoData})
	}
	num := func(n int64) string { return strconv.FormatInt(n, 10) }
	for _, q := range s.Sequences {
		i, ok := bySchema[q.Schema]
		if !ok {
			continue
		}
		k := sequenceKey(q.Schema, q.Name)
		sv := SequenceView{Schema: q.Schema, Name: q.Name, Key: k, Mark: st.marks[k], DataType: q.DataType, Start: num(q.Start),
			Increment: num(q.Increment), Min: num(q.Min), Max: num(q.Max), Cache: num(q.Cache), Cycle: q.Cycle, Comment: q.Comment}
		if q.OwnedBy != nil {
			sv.OwnedBy = q.OwnedBy.Table.Name + "." + q.OwnedBy.Column
		}
		v.Schemas[i].Sequences = append(v.Schemas[i].Sequences, sv)
	}
	for _, ty := range s.Types {
		i, ok := bySchema[ty.Schema]
		if !ok || (ty.Kind != catalog.TypeEnum && ty.Kind != catalog.TypeDomain && ty.Kind != catalog.TypeComposite) {
			continue
		}
		k := typeKey(ty.Schema, ty.Name)
		v.Schemas[i].Types = append(v.Schemas[i].Types, TypeView{Name: ty.Name, Key: k, Mark: st.marks[k], Kind: string(ty.Kind),
			Labels: append([]string{}, ty.Labels...), Comment: ty.Comment})
	}
	for fi := range s.Functions {
		f := &s.Functions[fi]
		i, ok := bySchema[f.Schema]
		if !ok {
			continue
		}
		k := functionKey(f)
		v.Schemas[i].Functions = append(v.Schemas[i].Functions, FunctionView{Name: f.Name, Args: f.Args, Kind: string(f.Kind), Result: f.Result,
			Key: k, Mark: st.marks[k], Comment: f.Comment})
	}
	for i := range v.Schemas {
		sc := &v.Schemas[i]
		sort.Slice(sc.Functions, func(a, b int) bool {
			return sc.Functions[a].Name < sc.Functions[b].Name || (sc.Functions[a].Name == sc.Functions[b].Name && sc.Functions[a].Args < sc.Functions[b].Args)
		})
		sort.Slice(sc.Views, func(a, b int) bool { return sc.Views[a].Name < sc.Views[b].Name })
		sort.Slice(sc.Sequences, func(a, b int) bool { return sc.Sequences[a].Name < sc.Sequences[b].Name })
		sort.Slice(sc.Types, func(a, b int) bool { return sc.Types[a].Name < sc.Types[b].Name })
	}
}
