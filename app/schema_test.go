package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/schematree"
)

// schemaDB creates a database on the test server holding setup, registers
// the server as an instance in Test and returns the database's record id
// and its URL.
func schemaDB(t *testing.T, h *harness, setup string) (string, string) {
	t.Helper()
	return registerDB(t, h, "test", setup)
}

// sameNodes checks that the wire tree is the tree schematree built.
func sameNodes(t *testing.T, got []TreeNode, want []schematree.Node) {
	t.Helper()
	if got == nil || len(got) != len(want) {
		t.Fatalf("%d nodes, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.ID != w.ID || g.Label != w.Label || g.Kind != w.Kind || g.Detail != w.Detail {
			t.Fatalf("node %+v, want %+v", g, w)
		}
		sameNodes(t, g.Children, w.Children)
	}
}

// TestSchemaBinding: SchemaService maps the sync (schemasync) into the
// summary with progress events, serves the tree, objects and DDL of the
// latest snapshot as schematree builds them, and brings failures and
// missing snapshots to the frontend as wire errors. The tree and sync
// themselves are tested in internal/schematree and internal/schemasync.
func TestSchemaBinding(t *testing.T) {
	h := newApp(t, "", false)
	dbID, dbURL := schemaDB(t, h, `CREATE TABLE public.orders (id int PRIMARY KEY, total numeric(12,2));
		COMMENT ON TABLE public.orders IS 'one row per order';
		CREATE CONVERSION public.orders_keep FOR 'LATIN1' TO 'UTF8' FROM pg_catalog.iso8859_1_to_utf8;`)
	svc := h.app.Schema()

	// Never synced: an empty summary, a clear message for the rest.
	sum, err := svc.Summary(dbID)
	if err != nil || sum.Synced || sum.LastAttemptAt != "" || sum.LastError != "" || sum.Snapshot.Unsupported == nil {
		t.Fatalf("summary before sync = %+v, %v", sum, err)
	}
	if l, err := svc.Latest(dbID); err != nil || l.ID != "" || l.DatabaseID != dbID {
		t.Fatalf("latest before sync = %+v, %v", l, err)
	}
	for _, call := range []func() error{
		func() error { _, err := svc.Tree(dbID); return err },
		func() error { _, err := svc.Object(dbID, "table:public.orders"); return err },
		func() error { _, err := svc.DDL(dbID); return err },
	} {
		if err := call(); !strings.Contains(userErr(t, err).Message, "has not been synced yet") {
			t.Fatalf("before sync: %v", err)
		}
	}
	if _, err := svc.Summary("no-such-id"); !strings.Contains(userErr(t, err).Message, "not found") {
		t.Fatalf("summary of an unknown database: %v", err)
	}

	sum, err = svc.Sync(dbID)
	if err != nil {
		t.Fatal(err)
	}
	snap, err := h.app.syncer.Latest(context.Background(), dbID)
	if err != nil {
		t.Fatal(err)
	}
	s := sum.Snapshot
	if !sum.Synced || sum.DatabaseID != dbID || s.ID != snap.Info.ID || s.Fingerprint != snap.Info.Fingerprint || s.TakenAt == "" ||
		s.ServerVersion != schVersion(snap.Info.ServerVersion) || !strings.HasPrefix(s.ServerVersion, "1") || s.DDLSize != len(snap.DDL) ||
		sum.LastError != "" || sum.LastAttemptAt == "" || sum.Counts.Tables != 1 || sum.Counts.Schemas != 1 || s.Skipped == nil {
		t.Fatalf("summary = %+v", sum)
	}
	if len(s.Unsupported) != 1 || s.Unsupported[0].Kind != string(catalog.KindConversion) || !strings.Contains(s.Unsupported[0].Name+s.Unsupported[0].Detail, "orders_keep") {
		t.Fatalf("unsupported = %+v", s.Unsupported)
	}
	ev := h.progress()
	last := ev[len(ev)-1]
	if last.ID != "schema-sync-"+dbID || !last.Finished || last.Error != "" || last.Done != last.Total || len(ev) < 4 {
		t.Fatalf("progress = %+v", ev)
	}

	// Tree, objects and DDL are the snapshot's, as schematree builds them.
	tr := schematree.New(&snap.Schema)
	tree, err := svc.Tree(dbID)
	if err != nil || tree.SnapshotID != s.ID {
		t.Fatalf("tree of snapshot %s, latest is %s (%v)", tree.SnapshotID, s.ID, err)
	}
	sameNodes(t, tree.Nodes, tr.Nodes())
	for _, id := range []string{"table:public.orders", "table:public.orders/column:total"} {
		got, err := svc.Object(dbID, id)
		want, _ := tr.Object(id)
		if err != nil || got.ID != want.ID || got.Kind != want.Kind || got.Schema != want.Schema || got.Name != want.Name ||
			got.Parent != want.Parent || got.DDL != want.DDL || got.DDL == "" || len(got.Properties) != len(want.Properties) {
			t.Fatalf("object %s = %+v, %v; want %+v", id, got, err, want)
		}
		for i, p := range want.Properties {
			if got.Properties[i] != (Property{Name: p.Name, Value: p.Value}) {
				t.Fatalf("object %s property %d = %+v, want %+v", id, i, got.Properties[i], p)
			}
		}
	}
	if _, err := svc.Object(dbID, "table:public.nope"); !strings.Contains(userErr(t, err).Message, "not in the latest snapshot") {
		t.Fatalf("unknown node: %v", err)
	}
	ddl, err := svc.DDL(dbID)
	if err != nil || ddl != snap.DDL || !strings.Contains(ddl, "CREATE TABLE public.orders") {
		t.Fatalf("DDL = %q, %v", ddl, err)
	}

	// Save as.
	path := filepath.Join(t.TempDir(), "orders.sql")
	if err := svc.SaveDDL(dbID, path); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != ddl+"\n" {
		t.Fatalf("saved file differs from the DDL (%v)", err)
	}
	if err := svc.SaveDDL(dbID, ""); userErr(t, err).Field != "path" {
		t.Fatalf("empty path: %v", err)
	}
	if err := svc.SaveDDL(dbID, filepath.Join(t.TempDir(), "missing", "x.sql")); !strings.Contains(userErr(t, err).Message, "cannot save") {
		t.Fatalf("unwritable path: %v", err)
	}
	if _, err := svc.ChooseSavePath(dbID); !strings.Contains(userErr(t, err).Message, "no window") {
		t.Fatalf("dialog without a window: %v", err)
	}

	// A failed sync reaches the frontend with its SQLSTATE, in the error, the
	// progress and the summary; the previous snapshot stays the one shown.
	if err := pgsrv.Exec(context.Background(), "DROP DATABASE "+strings.TrimPrefix(mustParse(t, dbURL).Path, "/")+" WITH (FORCE)"); err != nil {
		t.Fatal(err)
	}
	_, err = svc.Sync(dbID)
	if ue := userErr(t, err); ue.SQLState != "3D000" || !strings.Contains(ue.Message, "does not exist") {
		t.Fatalf("sync of a dropped database: %+v", ue)
	}
	ev = h.progress()
	if last := ev[len(ev)-1]; !last.Finished || !strings.Contains(last.Error, "3D000") {
		t.Fatalf("last progress = %+v", last)
	}
	sum, err = svc.Summary(dbID)
	if err != nil || !sum.Synced || sum.Snapshot.ID != s.ID || sum.LastSQLState != "3D000" || !strings.Contains(sum.LastError, "does not exist") {
		t.Fatalf("summary after the failure = %+v, %v", sum, err)
	}
	if list, err := svc.Snapshots(dbID); err != nil || len(list) != 1 || list[0].ID != s.ID {
		t.Fatalf("snapshots after a failed sync: %+v, %v", list, err)
	}
}
