package schemasync_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/pgtest"
	"github.com/tidemark-dev/tidemark/internal/schemasync"
	"github.com/tidemark-dev/tidemark/internal/usererr"
	"github.com/tidemark-dev/tidemark/internal/workspace"
	"github.com/tidemark-dev/tidemark/internal/wstest"
)

var srv *pgtest.Server

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m, &srv)) }

func TestSyncStoresSnapshotWithoutTidemarkSchema(t *testing.T) {
	f := wstest.New(t, srv)
	d, _ := f.Database(t, `CREATE TABLE items (id int PRIMARY KEY, name text);
		CREATE SCHEMA tidemark; CREATE TABLE tidemark.migration_history (id int);`)
	s := schemasync.New(f.WS, f.Conns)
	ctx := context.Background()
	if _, err := s.Latest(ctx, d.ID); !errors.Is(err, workspace.ErrNotFound) {
		t.Fatalf("Latest before any sync: %v, want ErrNotFound", err)
	}
	var steps []int
	snap, err := s.Sync(ctx, d.ID, func(step int, _ string) { steps = append(steps, step) })
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) != schemasync.Steps {
		t.Fatalf("steps = %v", steps)
	}
	if !strings.Contains(snap.DDL, "CREATE TABLE public.items") || strings.Contains(snap.DDL, "tidemark") || len(snap.Schema.Tables) != 1 {
		t.Fatalf("snapshot DDL:\n%s", snap.DDL)
	}
	latest, err := s.Latest(ctx, d.ID)
	if err != nil || latest != snap {
		t.Fatalf("Latest = %p, %v; want the snapshot just taken, from memory", latest, err)
	}
	// A fresh Syncer decodes the stored model: the same schema.
	again, err := schemasync.New(f.WS, f.Conns).Latest(ctx, d.ID)
	if err != nil || again.Info.ID != snap.Info.ID || again.DDL != snap.DDL || len(again.Schema.Tables) != 1 {
		t.Fatalf("decoded snapshot = %+v, %v", again.Info, err)
	}
	// A failure is recorded with its SQLSTATE; the previous snapshot stays the latest.
	pgtest.MustExec(t, srv.AdminURL, `DROP DATABASE "`+d.Name+`" WITH (FORCE)`)
	_, err = s.Sync(ctx, d.ID, nil)
	var ue *usererr.Error
	if !errors.As(err, &ue) || ue.SQLState != "3D000" || !strings.Contains(ue.Message, d.Name) {
		t.Fatalf("sync of a dropped database: %v", err)
	}
	st, err := f.WS.SyncStatus(ctx, d.ID)
	if err != nil || st.SQLState != "3D000" || st.Error == "" {
		t.Fatalf("sync status = %+v, %v", st, err)
	}
	if l, err := s.Latest(ctx, d.ID); err != nil || l.Info.ID != snap.Info.ID {
		t.Fatalf("latest after a failed sync = %v, %v", l, err)
	}
}
