package catalog_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/catalog/schemagen"
	"github.com/tidemark-dev/tidemark/internal/pgtest"
)

// A reading connection lost in the middle of a parallel inspection fails
// the inspection (never a partial model), and Inspect returns: the other
// readers are stopped and waited for.
func TestInspectParallelReaderLost(t *testing.T) {
	u := pg.NewDB(t)
	if err := psql(t, u, "", []byte(schemagen.Generate(7, schemagen.Options{Tables: 400}))); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	admin := pgtest.Conn(t, u)
	var db string
	if err := admin.QueryRow(ctx, "SELECT current_database()").Scan(&db); err != nil {
		t.Fatal(err)
	}
	for attempt := 0; attempt < 10; attempt++ {
		conn := pgtest.Conn(t, u)
		main := conn.PgConn().PID()
		done := make(chan struct{})
		var killed []uint32
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			// Terminate the first other connection seen running a catalog query.
			defer wg.Done()
			for {
				select {
				case <-done:
					return
				default:
				}
				var pid uint32
				err := admin.QueryRow(ctx, `SELECT pid FROM pg_catalog.pg_stat_activity
					WHERE datname = $1 AND pid NOT IN ($2, pg_catalog.pg_backend_pid()) AND state = 'active'
					  AND query LIKE '-- %' LIMIT 1`, db, main).Scan(&pid)
				if err == nil {
					if _, err := admin.Exec(ctx, "SELECT pg_catalog.pg_terminate_backend($1)", pid); err == nil {
						killed = append(killed, pid)
						return
					}
				} else if !errors.Is(err, pgx.ErrNoRows) {
					t.Error(err)
					return
				}
			}
		}()
		res, err := catalog.Inspect(ctx, conn, catalog.Options{Parallel: 3})
		close(done)
		wg.Wait()
		if len(killed) == 0 {
			continue // the readers finished before one could be caught
		}
		if err == nil {
			// The killed reader may have had no query left to run.
			t.Logf("attempt %d: reader %d terminated, inspection complete (%d connections)", attempt, killed[0], res.Connections)
			continue
		}
		if !strings.HasPrefix(err.Error(), "inspect ") {
			t.Fatalf("error %q does not say which step failed", err)
		}
		// The main connection is still usable: the failure was the reader's.
		if _, err := conn.Exec(ctx, "SELECT 1"); err != nil {
			t.Fatalf("main connection after a reader was lost: %v", err)
		}
		return
	}
	t.Fatal(fmt.Errorf("no inspection saw a reader lost in 10 attempts"))
}

// When no extra connection can be opened (the role's connection limit),
// Inspect reads everything on its own connection.
func TestInspectParallelNoExtraConnections(t *testing.T) {
	u := pg.NewDB(t)
	pgtest.MustExec(t, u, `
		DO $$ BEGIN
		  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tm_one_conn') THEN
		    CREATE ROLE tm_one_conn LOGIN CONNECTION LIMIT 1;
		  END IF;
		END $$;
		CREATE TABLE public.t (id int PRIMARY KEY, v text DEFAULT 'x');
		CREATE INDEX ON public.t (v);`)
	cfg, err := pgx.ParseConfig(u)
	if err != nil {
		t.Fatal(err)
	}
	cfg.User = "tm_one_conn"
	ctx := context.Background()
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	res, err := catalog.Inspect(ctx, conn, catalog.Options{Parallel: 3})
	if err != nil {
		t.Fatal(err)
	}
	if res.Connections != 1 || res.Schema.Table(catalog.QualifiedName{Schema: "public", Name: "t"}) == nil {
		t.Fatalf("%d connections, tables %+v", res.Connections, res.Schema.Tables)
	}
	want := inspectURL(t, u, catalog.Options{})
	if res.Fingerprint != want.Fingerprint {
		t.Errorf("model read on one connection differs from the usual one")
	}
}
