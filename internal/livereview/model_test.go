package livereview_test

import (
	"context"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/livereview"
	"github.com/tidemark-dev/tidemark/internal/pgtest"
	"github.com/tidemark-dev/tidemark/internal/review"
	"github.com/tidemark-dev/tidemark/internal/sqlparse"
	"github.com/tidemark-dev/tidemark/internal/usererr"
)

// TestReviewModel: reviewed against a model (the schema editor's preview),
// the catalog rules see its tables without connecting; the policy is the
// environment's; a script that does not parse gives the parser's error.
func TestReviewModel(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	_, u := f.Database(t, ordersSQL)
	res, err := catalog.Inspect(ctx, pgtest.Conn(t, u), catalog.Options{NoPrivileges: true})
	if err != nil {
		t.Fatal(err)
	}
	cat := livereview.ModelCatalog(&res.Schema)
	out, err := f.rev.ReviewModel(ctx, "ALTER TABLE nosuch ADD COLUMN x int;\nALTER TABLE orders ADD COLUMN y int;", "prod", cat, res.ServerVersion, "the snapshot of hr")
	if err != nil {
		t.Fatal(err)
	}
	if !has(found(out), "table.must-exist@1") || has(found(out), "table.must-exist@2") {
		t.Errorf("advice against the model = %v", found(out))
	}
	if out.Target != "the snapshot of hr" || out.Policy.Name != review.TemplateDefault || len(out.Findings()) != len(out.Advice) {
		t.Errorf("outcome target %q policy %q", out.Target, out.Policy.Name)
	}
	test, err := f.rev.ReviewModel(ctx, badScript, "test", cat, res.ServerVersion, "")
	if err != nil || test.HasErrors() || test.Policy.Name != review.TemplateTest {
		t.Errorf("test policy: %v %v", found(test), err)
	}
	bad, err := f.rev.ReviewModel(ctx, "CREATE TABLEX t();", "prod", cat, res.ServerVersion, "")
	if se, ok := err.(*sqlparse.SyntaxError); !ok || bad == nil || bad.Syntax != se || !strings.Contains(se.Message, "TABLEX") {
		t.Errorf("syntax error: %v", err)
	}
	if _, err := f.rev.ReviewModel(ctx, "SELECT 1", "", cat, 0, ""); usererr.From(err).Field != "environmentId" {
		t.Errorf("no environment: %v", err)
	}
}
