package catalog

import (
	"encoding/json"
	"testing"
)

func TestQuoteIdent(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"abc", "abc"}, {"a_1", "a_1"}, {"_x", "_x"}, {"Abc", `"Abc"`}, {"1a", `"1a"`}, {"a b", `"a b"`},
		{"select", `"select"`}, {"user", `"user"`}, {"order", `"order"`}, {"name", "name"}, {"status", "status"},
		{"value", "value"}, {"a$b", `"a$b"`}, {`we"ird`, `"we""ird"`}, {"", `""`}, {"bıgınt", `"bıgınt"`},
		{"int", `"int"`}, {"json_table", `"json_table"`},
	} {
		if got := QuoteIdent(c.in); got != c.want {
			t.Errorf("QuoteIdent(%q) = %s, want %s", c.in, got, c.want)
		}
	}
	if got := (QualifiedName{Schema: "My", Name: "t"}).String(); got != `"My".t` {
		t.Errorf("QualifiedName.String = %s", got)
	}
	if got := QuoteLiteral(`it's a \ test`); got != `E'it''s a \\ test'` {
		t.Errorf("QuoteLiteral = %s", got)
	}
}

func TestNormalizeAndFingerprint(t *testing.T) {
	a := Schema{
		Tables: []Table{
			{QualifiedName: QualifiedName{Schema: "s", Name: "b"}, Columns: []Column{{Name: "z"}, {Name: "a"}},
				Indexes: []Index{{Name: "y"}, {Name: "x"}}},
			{QualifiedName: QualifiedName{Schema: "s", Name: "a"}},
		},
		Namespaces: []Namespace{{Name: "s"}, {Name: "public"}},
	}
	b := Schema{
		Namespaces: []Namespace{{Name: "public"}, {Name: "s"}},
		Tables: []Table{
			{QualifiedName: QualifiedName{Schema: "s", Name: "a"}, Columns: []Column{}},
			{QualifiedName: QualifiedName{Schema: "s", Name: "b"}, Columns: []Column{{Name: "z"}, {Name: "a"}},
				Indexes: []Index{{Name: "x"}, {Name: "y"}}},
		},
	}
	if a.Fingerprint() != b.Fingerprint() {
		t.Fatalf("same schema, different fingerprints")
	}
	a.Normalize()
	if a.Tables[0].Name != "a" || a.Tables[1].Indexes[0].Name != "x" {
		t.Errorf("not sorted: %+v", a.Tables)
	}
	if a.Tables[1].Columns[0].Name != "z" {
		t.Errorf("column order must be kept")
	}
	c := b.Clone()
	c.Tables[1].Columns[0], c.Tables[1].Columns[1] = c.Tables[1].Columns[1], c.Tables[1].Columns[0]
	if c.Fingerprint() == b.Fingerprint() {
		t.Errorf("column order must change the fingerprint")
	}
	// The JSON form round-trips to an equal fingerprint.
	j, _ := json.Marshal(a)
	var d Schema
	if err := json.Unmarshal(j, &d); err != nil {
		t.Fatal(err)
	}
	if d.Fingerprint() != a.Fingerprint() {
		t.Errorf("fingerprint changed through JSON")
	}
}

// The parallel fingerprint hashes exactly the bytes of the serial one.
func TestHashParallelMatchesSerial(t *testing.T) {
	s := Schema{Privileges: true, Namespaces: []Namespace{{Name: "public"}}}
	for i := 0; i < 1000; i++ {
		c := "c<&>\"x"
		s.Tables = append(s.Tables, Table{QualifiedName: QualifiedName{Schema: "public", Name: "t" + string(rune('a'+i%26)) + string(rune('a'+i/26%26)) + string(rune('a'+i/676))},
			Columns: []Column{{Name: "id", Type: "integer", Comment: &c}}, Comment: &c})
	}
	s.Normalize()
	if a, b := s.hash(), s.hashSerial(); a != b {
		t.Fatalf("parallel hash %s != serial %s", a, b)
	}
	s.Tables = s.Tables[:10]
	if a, b := s.hash(), s.hashSerial(); a != b {
		t.Fatalf("small: %s != %s", a, b)
	}
}
