package migrate

import (
	"sort"
	"testing"
)

func TestParseVersion(t *testing.T) {
	for _, tc := range []struct {
		in      string
		wantErr bool
	}{
		{"1", false}, {"1.2.10", false}, {"0001", false}, {"20240101120000", false}, {"0", false},
		{"99999999999999999999999999999", false},
		{"", true}, {"1.", true}, {".1", true}, {"1..2", true}, {"v1", true}, {"1_2", true}, {"1.a", true}, {"-1", true},
	} {
		v, err := ParseVersion(tc.in)
		if (err != nil) != tc.wantErr {
			t.Errorf("ParseVersion(%q) error = %v, want error %v", tc.in, err, tc.wantErr)
			continue
		}
		if err == nil && v.String() != tc.in {
			t.Errorf("ParseVersion(%q).String() = %q", tc.in, v.String())
		}
	}
}

func TestVersionCompare(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"1", "1", 0},
		{"1.10", "1.9", 1},
		{"1.9", "1.10", -1},
		{"2", "1.999", 1},
		{"0001", "1", 0},
		{"1.0", "1", 0},
		{"1.0.0", "1", 0},
		{"1.0.1", "1", 1},
		{"20240101120000", "20231231235959", 1},
		{"99999999999999999999999", "99999999999999999999998", 1},
		{"10", "9", 1},
		{"1.2.3", "1.2.3.0.0", 0},
	} {
		a, b := MustParseVersion(tc.a), MustParseVersion(tc.b)
		if got := a.Compare(b); got != tc.want {
			t.Errorf("Compare(%s, %s) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
		if got := b.Compare(a); got != -tc.want {
			t.Errorf("Compare(%s, %s) = %d, want %d (antisymmetry)", tc.b, tc.a, got, -tc.want)
		}
		if (canonical(a) == canonical(b)) != (tc.want == 0) {
			t.Errorf("canonical(%s)=%q canonical(%s)=%q disagree with Compare", tc.a, canonical(a), tc.b, canonical(b))
		}
	}
}

func TestVersionSortIsTotalOrder(t *testing.T) {
	in := []string{"1.10", "1.9", "1", "1.2", "0.1", "10", "2", "1.1.1", "20240101120000", "3.0.1"}
	vs := make([]Version, len(in))
	for i, s := range in {
		vs[i] = MustParseVersion(s)
	}
	sort.Slice(vs, func(i, j int) bool { return vs[i].Less(vs[j]) })
	want := []string{"0.1", "1", "1.1.1", "1.2", "1.9", "1.10", "2", "3.0.1", "10", "20240101120000"}
	for i := range want {
		if vs[i].String() != want[i] {
			t.Fatalf("sorted[%d] = %s, want %s (all: %v)", i, vs[i], want[i], vs)
		}
	}
}
