package drift

import (
	"context"
	"fmt"
	"slices"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/migrate"
	"github.com/tidemark-dev/tidemark/internal/pg"
	"github.com/tidemark-dev/tidemark/internal/scratch"
)

// Expected schemas that are not a stored model are built on a scratch
// server: a SQL dump is loaded, or a directory's migration files are applied
// by the migration runner (as `tidemark migrate apply` would apply them), in
// a scratch database that is dropped afterwards. Their objects belong to the
// scratch role, so they are inspected without owners and privileges (and
// Compare then leaves those out).

// LoadSQL loads src (named file, for error positions) into a scratch
// database on serverURL and inspects it within schemas (all when empty).
func LoadSQL(ctx context.Context, serverURL, file, src string, schemas []string) (*catalog.Result, error) {
	return onScratch(ctx, serverURL, schemas, func(db *scratch.DB) error { return db.Load(ctx, file, src) })
}

// LoadMigrations applies migs (as migrate.LoadDir returns them) to a
// scratch database on serverURL with the migration runner and inspects the
// result within schemas (Tidemark's history schema left out).
func LoadMigrations(ctx context.Context, serverURL string, migs []migrate.Migration, schemas []string) (*catalog.Result, error) {
	return onScratch(ctx, serverURL, schemas, func(db *scratch.DB) error {
		r, err := migrate.NewRunner(db.URL, migrate.Options{AppliedBy: "tidemark drift"})
		if err != nil {
			return err
		}
		if _, err := r.Apply(ctx, migs, migrate.ApplyOptions{}); err != nil {
			return fmt.Errorf("apply the migrations: %w", err)
		}
		return nil
	})
}

func onScratch(ctx context.Context, serverURL string, schemas []string, fill func(*scratch.DB) error) (res *catalog.Result, err error) {
	db, err := scratch.Create(ctx, serverURL)
	if err != nil {
		return nil, err
	}
	defer func() {
		if derr := db.Drop(context.WithoutCancel(ctx)); derr != nil && err == nil {
			err = derr
		}
	}()
	if err := fill(db); err != nil {
		return nil, err
	}
	conn, err := pg.ConnectURL(ctx, db.URL)
	if err != nil {
		return nil, fmt.Errorf("connect to the scratch database: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	return catalog.Inspect(ctx, conn, catalog.Options{Schemas: schemas, NoPrivileges: true})
}

// Scope narrows a stored model (which holds every schema) to schemas, as
// inspecting with catalog.Options.Schemas would; extensions and event
// triggers belong to the whole database and stay. Empty schemas: res
// itself. res is not changed.
func Scope(res *catalog.Result, schemas []string) *catalog.Result {
	if len(schemas) == 0 || res == nil {
		return res
	}
	in := func(s string) bool { return slices.Contains(schemas, s) }
	out := *res
	s := out.Schema.Clone()
	s.Namespaces = keep(s.Namespaces, func(n catalog.Namespace) bool { return in(n.Name) })
	s.Collations = keep(s.Collations, func(x catalog.Collation) bool { return in(x.Schema) })
	s.Types = keep(s.Types, func(x catalog.Type) bool { return in(x.Schema) })
	s.Sequences = keep(s.Sequences, func(x catalog.Sequence) bool { return in(x.Schema) })
	s.Tables = keep(s.Tables, func(x catalog.Table) bool { return in(x.Schema) })
	s.Views = keep(s.Views, func(x catalog.View) bool { return in(x.Schema) })
	s.Functions = keep(s.Functions, func(x catalog.Function) bool { return in(x.Schema) })
	s.Operators = keep(s.Operators, func(x catalog.Operator) bool { return in(x.Schema) })
	s.DefaultPrivileges = keep(s.DefaultPrivileges, func(x catalog.DefaultPrivilege) bool { return x.Schema == "" || in(x.Schema) })
	out.Schema = s
	out.Unsupported = keep(append([]catalog.Object(nil), res.Unsupported...), func(x catalog.Object) bool { return x.Schema == "" || in(x.Schema) })
	return &out
}
