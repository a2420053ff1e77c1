package app

import (
	"strings"

	"github.com/tidemark-dev/tidemark/internal/livereview"
	"github.com/tidemark-dev/tidemark/internal/review"
)

// EditReview is the review of a previewed migration under the policy of
// the database's environment, against the schema it starts from (no
// connection: the checks review it against the live database).
type EditReview struct {
	Advice []Advice `json:"advice"`
	// Policy names the policy applied ("" when none ran).
	Policy string `json:"policy"`
	// Note says why there is no review ("" when it ran).
	Note string `json:"note"`
}

// adviseOn reviews sql for database (environment envID) against cat, the
// catalog of the model the migration starts from.
func (s *SchemaEditService) adviseOn(envID, dbName string, cat *review.Catalog, version int, sql string) EditReview {
	out := EditReview{Advice: []Advice{}}
	switch {
	case strings.TrimSpace(sql) == "":
		return out
	case envID == "":
		out.Note = dbName + " has no environment, so no review policy applies"
		return out
	}
	ctx, cancel := s.a.call(quick)
	defer cancel()
	res, err := s.a.reviewer.ReviewModel(ctx, sql, envID, cat, version, "the snapshot of "+dbName)
	if res != nil && res.Policy != nil {
		out.Policy = res.Policy.Name
	}
	if err != nil {
		out.Note = "the review did not run: " + userError(err).Error()
		return out
	}
	for _, f := range res.Findings() {
		out.Advice = append(out.Advice, adviceOut(f))
	}
	return out
}

// advise reviews the session's previewed migration; the catalog of the
// model it starts from (which a session never changes) is built once.
// Called with s.mu held.
func (s *SchemaEditService) advise(es *editSession, sql string) EditReview {
	if es.reviewCat == nil && strings.TrimSpace(sql) != "" && es.database.EnvironmentID != "" {
		t := es.ed.Target()
		es.reviewCat = livereview.ModelCatalog(&t)
	}
	return s.adviseOn(es.database.EnvironmentID, es.database.Name, es.reviewCat, es.snapshot.ServerVersion, sql)
}
