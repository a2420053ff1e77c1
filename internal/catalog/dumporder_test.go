package catalog

import (
	"bytes"
	"math/rand"
	"testing"
)

// Dump renders the same bytes whatever order the model's lists are in (it
// does not rely on Normalize).
func TestDumpIgnoresListOrder(t *testing.T) {
	one := func() *string { s := "c"; return &s }
	s := Schema{
		Privileges: true,
		Namespaces: []Namespace{{Name: "a", Owner: "o"}, {Name: "b", Owner: "o", ACL: []Grant{{"o", "o", "USAGE", false}, {"r", "o", "USAGE", false}, {"o", "o", "CREATE", false}}}},
		Types: []Type{
			{QualifiedName: QualifiedName{"a", "d"}, Kind: TypeDomain, BaseType: "integer",
				Constraints: []DomainConstraint{{Name: "z", Definition: "CHECK ((VALUE > 0))"}, {Name: "y", Definition: "CHECK ((VALUE < 9))"}}},
			{QualifiedName: QualifiedName{"a", "e"}, Kind: TypeEnum, Labels: []string{"x", "w"}},
		},
		Tables: []Table{
			{QualifiedName: QualifiedName{"b", "t2"}, Kind: TableRegular, Columns: []Column{{Name: "id", Type: "integer"}},
				Constraints: []Constraint{{Name: "t2_fk", Type: ConstraintForeignKey, Definition: "FOREIGN KEY (id) REFERENCES a.t1(id)", RefTable: &QualifiedName{"a", "t1"}}}},
			{QualifiedName: QualifiedName{"a", "t1"}, Kind: TableRegular, Owner: "o",
				Columns: []Column{{Name: "id", Type: "integer", NotNull: true}, {Name: "v", Type: "text", Comment: one()}},
				Constraints: []Constraint{
					{Name: "c2", Type: ConstraintCheck, Definition: "CHECK ((id > 1))"},
					{Name: "c1", Type: ConstraintCheck, Definition: "CHECK ((id > 0))"},
					{Name: "t1_pkey", Type: ConstraintPrimaryKey, Definition: "PRIMARY KEY (id)", Index: "t1_pkey"},
				},
				Indexes:  []Index{{Name: "t1_v", Definition: "CREATE INDEX t1_v ON a.t1 USING btree (v)"}, {Name: "t1_pkey", Constraint: "t1_pkey"}},
				Policies: []Policy{{Name: "p", Permissive: true, Command: "ALL", Roles: []string{"r2", "r1"}, Using: "true"}},
				ACL:      []Grant{{"r", "o", "SELECT", false}, {"r", "o", "INSERT", true}},
			},
		},
	}
	want := Dump(s, DumpOptions{})
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 20; i++ {
		c := s.Clone()
		shuffle(r, c.Namespaces)
		shuffle(r, c.Types)
		shuffle(r, c.Tables)
		for j := range c.Tables {
			shuffle(r, c.Tables[j].Constraints)
			shuffle(r, c.Tables[j].Indexes)
			shuffle(r, c.Tables[j].ACL)
			for k := range c.Tables[j].Policies {
				shuffle(r, c.Tables[j].Policies[k].Roles)
			}
		}
		for j := range c.Types {
			shuffle(r, c.Types[j].Constraints)
		}
		shuffle(r, c.Namespaces[1].ACL)
		if got := Dump(c, DumpOptions{}); !bytes.Equal(got, want) {
			t.Fatalf("dump depends on list order:\n%s\n---\n%s", got, want)
		}
	}
	if s.Tables[0].Name != "t2" || s.Tables[1].Constraints[0].Name != "c2" {
		t.Errorf("Dump modified its input")
	}
}

func shuffle[T any](r *rand.Rand, s []T) {
	r.Shuffle(len(s), func(i, j int) { s[i], s[j] = s[j], s[i] })
}

func TestDumpExtensionOutsideModel(t *testing.T) {
	s := Schema{
		Namespaces: []Namespace{{Name: "app"}},
		Extensions: []Extension{{Name: "citext", Schema: "ext", Version: "1.6"}, {Name: "hstore", Schema: "app", Version: "1.8"}},
	}
	d := string(Dump(s, DumpOptions{NoHeader: true}))
	want := "CREATE SCHEMA app;\n\nCREATE SCHEMA IF NOT EXISTS ext;\n\nCREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA ext VERSION '1.6';\n\n" +
		"CREATE EXTENSION IF NOT EXISTS hstore WITH SCHEMA app VERSION '1.8';"
	if d != want {
		t.Errorf("dump:\n%s\nwant:\n%s", d, want)
	}
}
