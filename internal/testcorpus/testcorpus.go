// Package testcorpus locates the external test corpora kept in the
// repository (testdata/corpus: migra's diff fixtures, Bytebase's SQL-review
// cases, the pagila and danbooru schemas). A test that needs them fails when
// they are missing: an oracle never skips quietly.
package testcorpus

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the corpus directory, failing t when it does not exist.
// TIDEMARK_CORPUS overrides the location.
func Dir(t testing.TB) string {
	t.Helper()
	d := os.Getenv("TIDEMARK_CORPUS")
	if d == "" {
		root, err := moduleRoot()
		if err != nil {
			t.Fatalf("test corpus: cannot find the project root: %v", err)
		}
		d = filepath.Join(root, "testdata", "corpus")
	}
	if st, err := os.Stat(d); err != nil || !st.IsDir() {
		t.Fatalf("test corpus not found at %s (it is part of the repository; TIDEMARK_CORPUS overrides the location)", d)
	}
	return d
}

// Path returns a path inside the corpus, failing t when the corpus is absent.
func Path(t testing.TB, elem ...string) string {
	t.Helper()
	return filepath.Join(append([]string{Dir(t)}, elem...)...)
}

func moduleRoot() (string, error) {
	d, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		p := filepath.Dir(d)
		if p == d {
			return "", os.ErrNotExist
		}
		d = p
	}
}
