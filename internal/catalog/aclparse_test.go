package catalog

import (
	"reflect"
	"testing"
)

func TestParseACL(t *testing.T) {
	got, err := parseACL([]string{`postgres=arwdDxt/postgres`, `=r/postgres`, `"we ""ird"=r*w/"a=b"`, `bob=X*/postgres`})
	if err != nil {
		t.Fatal(err)
	}
	want := []Grant{
		{"postgres", "postgres", "INSERT", false}, {"postgres", "postgres", "SELECT", false}, {"postgres", "postgres", "UPDATE", false},
		{"postgres", "postgres", "DELETE", false}, {"postgres", "postgres", "TRUNCATE", false}, {"postgres", "postgres", "REFERENCES", false},
		{"postgres", "postgres", "TRIGGER", false},
		{"PUBLIC", "postgres", "SELECT", false},
		{`we "ird`, "a=b", "SELECT", true}, {`we "ird`, "a=b", "UPDATE", false},
		{"bob", "postgres", "EXECUTE", true},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("parseACL:\n got %+v\nwant %+v", got, want)
	}
	for _, bad := range []string{"x", "a=r", "a=q/b", `"a=r/b`} {
		if _, err := parseACL([]string{bad}); err == nil {
			t.Errorf("parseACL(%q) succeeded", bad)
		}
	}
}
