// Package testcorpus locates the shared external test corpus (../shared/corpus
// relative to the project root) for tests, skipping them with a message when it
// is absent.
package testcorpus

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the corpus directory, or skips t when it does not exist.
// TIDEMARK_CORPUS overrides the location.
func Dir(t testing.TB) string {
	t.Helper()
	if d := os.Getenv("TIDEMARK_CORPUS"); d != "" {
		return d
	}
	root, err := moduleRoot()
	if err != nil {
		t.Skipf("skipping: cannot find the project root: %v", err)
	}
	d := filepath.Join(root, "..", "shared", "corpus")
	if st, err := os.Stat(d); err != nil || !st.IsDir() {
		t.Skipf("skipping: external corpus not found at %s (set TIDEMARK_CORPUS)", d)
	}
	return d
}

// Path returns a path inside the corpus, skipping t when the corpus is absent.
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
