package migrate

import (
	"fmt"
	"strings"
)

// Version is a migration version: one or more dot-separated non-negative
// integers ("1", "1.2.10", "20240101120000"). Versions compare numerically part by
// part, so 1.10 > 1.9 and 0001 == 1; missing trailing parts count as zero, so
// 1.0 == 1 (such files are duplicates). The zero Version is invalid.
type Version struct {
	raw   string   // as written in the file name or history row
	parts []string // each part without leading zeros ("0" for zero)
}

// ParseVersion parses a dot-separated numeric version. Leading zeros are allowed
// and ignored when comparing; the text as written is kept for display.
func ParseVersion(s string) (Version, error) {
	if s == "" {
		return Version{}, fmt.Errorf("empty version")
	}
	fields := strings.Split(s, ".")
	parts := make([]string, len(fields))
	for i, f := range fields {
		if f == "" {
			return Version{}, fmt.Errorf("version %q: empty part (versions are dot-separated numbers such as 1.2.10)", s)
		}
		for _, r := range f {
			if r < '0' || r > '9' {
				return Version{}, fmt.Errorf("version %q: %q is not a number (versions are dot-separated numbers such as 1.2.10)", s, f)
			}
		}
		p := strings.TrimLeft(f, "0")
		if p == "" {
			p = "0"
		}
		parts[i] = p
	}
	return Version{raw: s, parts: parts}, nil
}

// MustParseVersion is ParseVersion for constants in tests and examples; it panics on error.
func MustParseVersion(s string) Version {
	v, err := ParseVersion(s)
	if err != nil {
		panic(err)
	}
	return v
}

// String returns the version as written.
func (v Version) String() string { return v.raw }

// IsZero reports whether v is the zero (unset) Version.
func (v Version) IsZero() bool { return len(v.parts) == 0 }

// Compare returns -1, 0 or +1 as v is lower than, equal to or higher than w.
func (v Version) Compare(w Version) int {
	n := max(len(v.parts), len(w.parts))
	for i := 0; i < n; i++ {
		a, b := "0", "0"
		if i < len(v.parts) {
			a = v.parts[i]
		}
		if i < len(w.parts) {
			b = w.parts[i]
		}
		if c := compareDigits(a, b); c != 0 {
			return c
		}
	}
	return 0
}

// Less reports whether v sorts before w.
func (v Version) Less(w Version) bool { return v.Compare(w) < 0 }

// Equal reports whether v and w compare equal (1.0 equals 1, 01 equals 1).
func (v Version) Equal(w Version) bool { return v.Compare(w) == 0 }

// compareDigits compares two digit strings without leading zeros, of any length.
func compareDigits(a, b string) int {
	if len(a) != len(b) {
		if len(a) < len(b) {
			return -1
		}
		return 1
	}
	return strings.Compare(a, b)
}
