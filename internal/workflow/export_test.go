package workflow

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/schematree"
)

// ChangedObjects exposes the dry run's comparison to the tests: the objects
// the statements run in tx since state was read changed, against before,
// and whether only some schemas were inspected.
func ChangedObjects(ctx context.Context, tx pgx.Tx, before catalog.Schema, state *catalog.CatalogState) ([]schematree.Change, bool, error) {
	m := &templateModel{schema: before, state: state}
	m.tree = schematree.New(&m.schema)
	return changedObjects(ctx, tx, m)
}
