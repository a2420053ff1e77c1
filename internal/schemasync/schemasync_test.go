package schemasync_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/catalog"
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

// TestSyncIsTheCatalogsReading: a snapshot's DDL and fingerprint are those
// of catalog.Inspect and catalog.Dump of the database, objects the model
// does not cover are listed, and every sync adds a snapshot that becomes the
// latest (the one in memory is replaced).
func TestSyncIsTheCatalogsReading(t *testing.T) {
	f := wstest.New(t, srv)
	d, dbURL := f.Database(t, `CREATE TABLE public.audit (at timestamptz, note text);
		CREATE VIEW public.audit_v AS SELECT at, note FROM public.audit;
		CREATE CONVERSION public.audit_conv FOR 'LATIN1' TO 'UTF8' FROM pg_catalog.iso8859_1_to_utf8;`)
	s := schemasync.New(f.WS, f.Conns)
	ctx := context.Background()
	first, err := s.Sync(ctx, d.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := catalog.Inspect(ctx, pgtest.Conn(t, dbURL), catalog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if want := string(catalog.Dump(res.Schema, catalog.DumpOptions{})); first.DDL != want {
		t.Fatalf("DDL differs from catalog.Dump:\n%s\n---\n%s", first.DDL, want)
	}
	if first.Info.Fingerprint != res.Fingerprint || first.Info.ServerVersion != res.ServerVersion || first.Info.ServerVersion < 100000 || first.Info.DDLSize == 0 {
		t.Fatalf("snapshot facts %+v; catalog says fingerprint %s, version %d", first.Info, res.Fingerprint, res.ServerVersion)
	}
	conv := false
	for _, o := range first.Info.Unsupported {
		conv = conv || (o.Kind == string(catalog.KindConversion) && o.Name == "audit_conv")
	}
	if !conv {
		t.Fatalf("the conversion is not listed as unsupported: %+v", first.Info.Unsupported)
	}

	pgtest.MustExec(t, dbURL, "ALTER TABLE public.audit ADD COLUMN who text")
	second, err := s.Sync(ctx, d.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if second.Info.ID == first.Info.ID || second.Info.Fingerprint == first.Info.Fingerprint || !strings.Contains(second.DDL, "who text") {
		t.Fatalf("second sync = %+v", second.Info)
	}
	list, err := f.WS.ListSnapshots(ctx, d.ID)
	if err != nil || len(list) != 2 || list[0].ID != second.Info.ID || list[1].ID != first.Info.ID {
		t.Fatalf("snapshots = %+v, %v", list, err)
	}
	if l, err := s.Latest(ctx, d.ID); err != nil || l.Info.ID != second.Info.ID {
		t.Fatalf("latest = %+v, %v", l, err)
	}
}

// TestSyncReportsSkippedSchemas: a role that may not read a schema syncs
// what it can see, and the snapshot names the schema it skipped, with why.
func TestSyncReportsSkippedSchemas(t *testing.T) {
	f := wstest.New(t, srv)
	d, dbURL := f.Database(t, "")
	role := "limited_" + d.Name
	pgtest.MustExec(t, dbURL, `CREATE SCHEMA vault; CREATE TABLE vault.secrets (id int);
		CREATE TABLE public.visible (id int);
		DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '`+role+`') THEN CREATE ROLE `+role+` LOGIN; END IF; END$$;`)
	t.Cleanup(func() { _ = srv.Exec(context.Background(), "DROP ROLE IF EXISTS "+role) })
	ctx := context.Background()
	in := f.Instance
	in.ID, in.Name, in.User, in.Database = "", "Limited", role, d.Name
	in, err := f.WS.CreateInstance(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Conns.SyncDatabases(ctx, in, nil); err != nil {
		t.Fatal(err)
	}
	ld, err := f.WS.FindDatabase(ctx, in.ID, d.Name)
	if err != nil {
		t.Fatal(err)
	}
	snap, err := schemasync.New(f.WS, f.Conns).Sync(ctx, ld.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	skipped := false
	for _, o := range snap.Info.Skipped {
		skipped = skipped || (o.Name == "vault" && o.Detail != "")
	}
	if !skipped {
		t.Fatalf("schema vault not reported as skipped: %+v", snap.Info.Skipped)
	}
	var tables []string
	for _, x := range snap.Schema.Tables {
		tables = append(tables, x.Ref().Key())
	}
	if strings.Join(tables, ",") != "table:public.visible" {
		t.Fatalf("tables of the limited role: %v", tables)
	}
}
