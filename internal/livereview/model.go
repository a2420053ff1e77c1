package livereview

import (
	"context"
	"errors"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/review"
)

// ModelCatalog is the review catalog of a schema model, for ReviewModel
// (built once per model: a caller reviewing often against the same model
// keeps it).
func ModelCatalog(s *catalog.Schema) *review.Catalog { return review.FromSchema(s) }

// ReviewModel reviews sql under the policy of environment envID against a
// schema model's catalog (ModelCatalog) instead of a database: no
// connection is made, so there are no row estimates and the rules that ask
// the database stay silent. It is the schema editor's inline advice on the
// migration it previews (the checks later review the same SQL
// against the live database). label describes the model in the outcome's
// Target.
func (r *Reviewer) ReviewModel(ctx context.Context, sql, envID string, cat *review.Catalog, serverVersion int, label string) (*Outcome, error) {
	pol, _, _, err := r.Policy(ctx, envID)
	if err != nil {
		return nil, err
	}
	t := &Target{Catalog: cat, ServerVersion: serverVersion, Description: label}
	out := &Outcome{Policy: pol, Target: t.describe()}
	res, err := r.reg.Review(ctx, sql, t.Options(pol))
	if err != nil {
		errors.As(err, &out.Syntax)
		return out, err
	}
	out.Result, out.sql = res, sql
	return out, nil
}
