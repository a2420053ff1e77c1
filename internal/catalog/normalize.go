package catalog

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"runtime"
	"sort"
	"sync"
)

// Normalize sorts every list of the model into its canonical order, in place,
// so equal schemas are equal values (and marshal to equal JSON). Column order,
// enum label order, composite attribute order, index key order, trigger event
// order and inheritance parent order are kept: they are meaningful.
func (s *Schema) Normalize() {
	s.fillNil()
	sort.Slice(s.Namespaces, func(i, j int) bool { return s.Namespaces[i].Name < s.Namespaces[j].Name })
	for i := range s.Namespaces {
		sortGrants(s.Namespaces[i].ACL)
	}
	sort.Slice(s.Extensions, func(i, j int) bool { return s.Extensions[i].Name < s.Extensions[j].Name })
	for i := range s.Extensions {
		s.Extensions[i].DependsOn = sortRefs(s.Extensions[i].DependsOn)
	}
	sort.Slice(s.Collations, func(i, j int) bool { return s.Collations[i].QualifiedName.Less(s.Collations[j].QualifiedName) })
	sort.Slice(s.Types, func(i, j int) bool { return s.Types[i].QualifiedName.Less(s.Types[j].QualifiedName) })
	for i := range s.Types {
		t := &s.Types[i]
		sort.Slice(t.Constraints, func(a, b int) bool { return t.Constraints[a].Name < t.Constraints[b].Name })
		sortGrants(t.ACL)
		t.DependsOn = sortRefs(t.DependsOn)
	}
	sort.Slice(s.Sequences, func(i, j int) bool { return s.Sequences[i].QualifiedName.Less(s.Sequences[j].QualifiedName) })
	for i := range s.Sequences {
		sortGrants(s.Sequences[i].ACL)
	}
	sort.Slice(s.Tables, func(i, j int) bool { return s.Tables[i].QualifiedName.Less(s.Tables[j].QualifiedName) })
	for i := range s.Tables {
		normalizeTable(&s.Tables[i])
	}
	sort.Slice(s.Views, func(i, j int) bool { return s.Views[i].QualifiedName.Less(s.Views[j].QualifiedName) })
	for i := range s.Views {
		v := &s.Views[i]
		normalizeIndexes(v.Indexes)
		sort.Slice(v.Triggers, func(a, b int) bool { return v.Triggers[a].Name < v.Triggers[b].Name })
		sortRules(v.Rules)
		sortStatistics(v.Statistics)
		sortGrants(v.ACL)
		for c := range v.Columns {
			sortGrants(v.Columns[c].ACL)
		}
		v.DependsOn = sortRefs(v.DependsOn)
	}
	sort.Slice(s.Functions, func(i, j int) bool {
		a, b := s.Functions[i], s.Functions[j]
		if a.QualifiedName != b.QualifiedName {
			return a.QualifiedName.Less(b.QualifiedName)
		}
		return a.Args < b.Args
	})
	for i := range s.Functions {
		f := &s.Functions[i]
		sort.Strings(f.Config)
		sortGrants(f.ACL)
		f.DependsOn = sortRefs(f.DependsOn)
	}
	sort.Slice(s.Operators, func(i, j int) bool {
		a, b := s.Operators[i], s.Operators[j]
		if a.QualifiedName != b.QualifiedName {
			return a.QualifiedName.Less(b.QualifiedName)
		}
		if a.Left != b.Left {
			return a.Left < b.Left
		}
		return a.Right < b.Right
	})
	for i := range s.Operators {
		s.Operators[i].DependsOn = sortRefs(s.Operators[i].DependsOn)
	}
	sort.Slice(s.EventTriggers, func(i, j int) bool { return s.EventTriggers[i].Name < s.EventTriggers[j].Name })
	sort.Slice(s.Publications, func(i, j int) bool { return s.Publications[i].Name < s.Publications[j].Name })
	sort.Slice(s.Casts, func(i, j int) bool { return s.Casts[i].Name() < s.Casts[j].Name() })
	sort.Slice(s.ForeignWrappers, func(i, j int) bool { return s.ForeignWrappers[i].Name < s.ForeignWrappers[j].Name })
	sort.Slice(s.ForeignServers, func(i, j int) bool { return s.ForeignServers[i].Name < s.ForeignServers[j].Name })
	sort.Slice(s.ForeignTables, func(i, j int) bool { return s.ForeignTables[i].QualifiedName.Less(s.ForeignTables[j].QualifiedName) })
	for i := range s.ForeignTables {
		sortGrants(s.ForeignTables[i].ACL)
		sortStatistics(s.ForeignTables[i].Statistics)
		ck := s.ForeignTables[i].Checks
		sort.Slice(ck, func(a, b int) bool { return ck[a].Name < ck[b].Name })
	}
	sort.Slice(s.TextSearchDicts, func(i, j int) bool {
		return s.TextSearchDicts[i].QualifiedName.Less(s.TextSearchDicts[j].QualifiedName)
	})
	sort.Slice(s.TextSearchConfigs, func(i, j int) bool {
		return s.TextSearchConfigs[i].QualifiedName.Less(s.TextSearchConfigs[j].QualifiedName)
	})
	for i := range s.Casts {
		s.Casts[i].DependsOn = sortRefs(s.Casts[i].DependsOn)
	}
	sort.Slice(s.OperatorFamilies, func(i, j int) bool {
		return s.OperatorFamilies[i].Ref().Key() < s.OperatorFamilies[j].Ref().Key()
	})
	for i := range s.OperatorFamilies {
		f := &s.OperatorFamilies[i]
		sortOpMembers(f.Members)
		f.DependsOn = sortRefs(f.DependsOn)
	}
	sort.Slice(s.OperatorClasses, func(i, j int) bool {
		return s.OperatorClasses[i].Ref().Key() < s.OperatorClasses[j].Ref().Key()
	})
	for i := range s.OperatorClasses {
		c := &s.OperatorClasses[i]
		sortOpMembers(c.Members)
		c.DependsOn = sortRefs(c.DependsOn)
	}
	for i := range s.Publications {
		p := &s.Publications[i]
		sort.Slice(p.Tables, func(a, b int) bool { return p.Tables[a].Table.Less(p.Tables[b].Table) })
		sort.Strings(p.Schemas)
	}
	sort.Slice(s.DefaultPrivileges, func(i, j int) bool {
		a, b := s.DefaultPrivileges[i], s.DefaultPrivileges[j]
		if a.Role != b.Role {
			return a.Role < b.Role
		}
		if a.Schema != b.Schema {
			return a.Schema < b.Schema
		}
		return a.ObjectType < b.ObjectType
	})
	for i := range s.DefaultPrivileges {
		sortGrants(s.DefaultPrivileges[i].Grants)
	}
}

func normalizeTable(t *Table) {
	for c := range t.Columns {
		col := &t.Columns[c]
		sortGrants(col.ACL)
	}
	sort.Slice(t.Constraints, func(a, b int) bool { return t.Constraints[a].Name < t.Constraints[b].Name })
	for c := range t.Constraints {
		t.Constraints[c].DependsOn = sortRefs(t.Constraints[c].DependsOn)
	}
	normalizeIndexes(t.Indexes)
	sort.Slice(t.Triggers, func(a, b int) bool { return t.Triggers[a].Name < t.Triggers[b].Name })
	sort.Slice(t.Policies, func(a, b int) bool { return t.Policies[a].Name < t.Policies[b].Name })
	for p := range t.Policies {
		sort.Strings(t.Policies[p].Roles)
	}
	sortRules(t.Rules)
	sortStatistics(t.Statistics)
	sortGrants(t.ACL)
	t.DependsOn = sortRefs(t.DependsOn)
}

func normalizeIndexes(ix []Index) {
	sort.Slice(ix, func(a, b int) bool { return ix[a].Name < ix[b].Name })
	for i := range ix {
		ix[i].DependsOn = sortRefs(ix[i].DependsOn)
	}
}

func sortGrants(g []Grant) {
	sort.Slice(g, func(i, j int) bool {
		a, b := g[i], g[j]
		if a.Grantee != b.Grantee {
			return a.Grantee < b.Grantee
		}
		if a.Privilege != b.Privilege {
			return a.Privilege < b.Privilege
		}
		if a.Grantor != b.Grantor {
			return a.Grantor < b.Grantor
		}
		return !a.Grantable && b.Grantable
	})
}

// sortRefs sorts references by key and drops duplicates.
func sortRefs(r []ObjectRef) []ObjectRef {
	if len(r) == 0 {
		return nil
	}
	sort.Slice(r, func(i, j int) bool { return r[i].Key() < r[j].Key() })
	out := r[:1]
	for _, x := range r[1:] {
		if x != out[len(out)-1] {
			out = append(out, x)
		}
	}
	return out
}

// Fingerprint is the hex SHA-256 of the canonical JSON of the normalised
// schema. It does not modify s. Equal schemas have equal fingerprints.
func (s Schema) Fingerprint() string {
	c := s.Clone()
	c.Normalize()
	return c.hash()
}

// hash is the fingerprint of an already normalised schema: SHA-256 of its
// JSON (json.Encoder, HTML escaping off). Tables, the bulk of a large model,
// are encoded on several goroutines; the bytes hashed are exactly the ones
// one Encoder would write (hashSerial, checked by a test).
func (s *Schema) hash() string {
	if len(s.Tables) < 256 {
		return s.hashSerial()
	}
	head := *s
	head.Tables = []Table{}
	b, err := encodeJSON(&head)
	if err != nil {
		panic("catalog: marshal schema: " + err.Error())
	}
	const marker = `"tables":[]`
	i := bytes.Index(b, []byte(marker))
	if i < 0 {
		return s.hashSerial()
	}
	workers := min(runtime.GOMAXPROCS(0), 8)
	chunks := make([][]byte, workers)
	var wg sync.WaitGroup
	per := (len(s.Tables) + workers - 1) / workers
	for w := 0; w < workers; w++ {
		lo, hi := w*per, min((w+1)*per, len(s.Tables))
		if lo >= hi {
			continue
		}
		wg.Add(1)
		go func(w, lo, hi int) {
			defer wg.Done()
			var buf bytes.Buffer
			for k := lo; k < hi; k++ {
				e, err := encodeJSON(&s.Tables[k])
				if err != nil {
					panic("catalog: marshal table: " + err.Error())
				}
				if k > lo {
					buf.WriteByte(',')
				}
				buf.Write(e)
			}
			chunks[w] = buf.Bytes()
		}(w, lo, hi)
	}
	wg.Wait()
	h := sha256.New()
	h.Write(b[:i+len(marker)-1])
	first := true
	for _, c := range chunks {
		if len(c) == 0 {
			continue
		}
		if !first {
			h.Write([]byte{','})
		}
		first = false
		h.Write(c)
	}
	h.Write(b[i+len(marker)-1:])
	return hex.EncodeToString(h.Sum(nil))
}

// hashSerial is hash in one pass.
func (s *Schema) hashSerial() string {
	b, err := encodeJSON(s)
	if err != nil {
		// The model holds only strings, numbers, bools, slices and pointers: cannot fail.
		panic("catalog: marshal schema: " + err.Error())
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// encodeJSON is json.Encoder's output (HTML escaping off) with its trailing
// newline kept.
func encodeJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	b := buf.Bytes()
	if _, ok := v.(*Table); ok {
		b = bytes.TrimSuffix(b, []byte("\n"))
	}
	return b, nil
}

// fillNil replaces nil lists that always marshal (no omitempty) with empty
// ones, so a nil and an empty list cannot make equal schemas differ.
func (s *Schema) fillNil() {
	if s.Namespaces == nil {
		s.Namespaces = []Namespace{}
	}
	if s.Extensions == nil {
		s.Extensions = []Extension{}
	}
	if s.Collations == nil {
		s.Collations = []Collation{}
	}
	if s.Types == nil {
		s.Types = []Type{}
	}
	if s.Sequences == nil {
		s.Sequences = []Sequence{}
	}
	if s.Tables == nil {
		s.Tables = []Table{}
	}
	if s.Views == nil {
		s.Views = []View{}
	}
	if s.Functions == nil {
		s.Functions = []Function{}
	}
	if s.Operators == nil {
		s.Operators = []Operator{}
	}
	if s.EventTriggers == nil {
		s.EventTriggers = []EventTrigger{}
	}
	if s.DefaultPrivileges == nil {
		s.DefaultPrivileges = []DefaultPrivilege{}
	}
	for i := range s.Tables {
		if s.Tables[i].Columns == nil {
			s.Tables[i].Columns = []Column{}
		}
		for j := range s.Tables[i].Indexes {
			if s.Tables[i].Indexes[j].Keys == nil {
				s.Tables[i].Indexes[j].Keys = []IndexKey{}
			}
		}
	}
	for i := range s.Views {
		if s.Views[i].Columns == nil {
			s.Views[i].Columns = []ViewColumn{}
		}
		for j := range s.Views[i].Indexes {
			if s.Views[i].Indexes[j].Keys == nil {
				s.Views[i].Indexes[j].Keys = []IndexKey{}
			}
		}
	}
	for i := range s.DefaultPrivileges {
		if s.DefaultPrivileges[i].Grants == nil {
			s.DefaultPrivileges[i].Grants = []Grant{}
		}
	}
}

// sortOpMembers orders operator class or family members as DDL lists them:
// operators by strategy, then support functions by number, each then by
// operand types.
func sortOpMembers(m []OpMember) {
	sort.Slice(m, func(i, j int) bool {
		a, b := m[i], m[j]
		if a.Function != b.Function {
			return !a.Function
		}
		if a.Number != b.Number {
			return a.Number < b.Number
		}
		if a.Left != b.Left {
			return a.Left < b.Left
		}
		return a.Right < b.Right
	})
}

func sortRules(rs []Rule) {
	sort.Slice(rs, func(a, b int) bool { return rs[a].Name < rs[b].Name })
	for r := range rs {
		rs[r].DependsOn = sortRefs(rs[r].DependsOn)
	}
}

func sortStatistics(xs []Statistics) {
	sort.Slice(xs, func(a, b int) bool {
		x, y := xs[a], xs[b]
		if x.Schema != y.Schema {
			return x.Schema < y.Schema
		}
		return x.Name < y.Name
	})
}
