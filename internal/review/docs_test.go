package review

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRulesDoc keeps docs/rules.md in step with the registry. Regenerate with
// TIDEMARK_UPDATE_DOCS=1 go test -run TestRulesDoc ./internal/review.
func TestRulesDoc(t *testing.T) {
	reg := NewRegistry()
	doc := RulesMarkdown(reg)
	for _, r := range reg.Rules() {
		if !strings.Contains(doc, "\n### "+r.ID+"\n") {
			t.Errorf("rule %s missing from the reference", r.ID)
		}
	}
	path := filepath.Join("..", "..", "docs", "rules.md")
	if os.Getenv("TIDEMARK_UPDATE_DOCS") == "1" {
		if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	have, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v (generate it with TIDEMARK_UPDATE_DOCS=1)", path, err)
	}
	if string(have) != doc {
		t.Errorf("%s is out of date; regenerate with TIDEMARK_UPDATE_DOCS=1 go test -run TestRulesDoc ./internal/review", path)
	}
}
