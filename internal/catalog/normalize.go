package catalog

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sort"
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

// hash is the fingerprint of an already normalised schema.
func (s *Schema) hash() string {
	h := sha256.New()
	enc := json.NewEncoder(h)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		// The model holds only strings, numbers, bools, slices and pointers: cannot fail.
		panic("catalog: marshal schema: " + err.Error())
	}
	return hex.EncodeToString(h.Sum(nil))
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
