package app

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/pgtest"
	"github.com/tidemark-dev/tidemark/internal/testcorpus"
)

// schemaDB creates a database on the test server, registers the server as an
// instance, syncs it and returns the database's record id and its URL.
func schemaDB(t *testing.T, h *harness, setup string) (string, string) {
	t.Helper()
	dbURL := pgsrv.NewDB(t)
	if setup != "" {
		pgtest.MustExec(t, dbURL, setup)
	}
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	name := strings.TrimPrefix(u.Path, "/")
	in := pgInput(t, "pg-"+name)
	inst, err := h.app.Instances().Create(in)
	if err != nil {
		t.Fatal(err)
	}
	dbs, err := h.app.Instances().Sync(inst.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dbs {
		if d.Name == name {
			return d.ID, dbURL
		}
	}
	t.Fatalf("database %s not listed by the instance sync", name)
	return "", ""
}

const shopSchema = `
CREATE SCHEMA shop;
CREATE TYPE shop.status AS ENUM ('new', 'paid', 'shipped');
CREATE SEQUENCE shop.invoice_no START 1000;
CREATE TABLE shop.customers (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL UNIQUE);
CREATE TABLE shop.orders (
    id bigserial PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES shop.customers (id) ON DELETE CASCADE,
    status shop.status NOT NULL DEFAULT 'new',
    total numeric(12,2) CHECK (total >= 0)
);
CREATE INDEX orders_customer_idx ON shop.orders (customer_id) WHERE status <> 'shipped';
CREATE FUNCTION shop.touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TRIGGER orders_touch BEFORE UPDATE ON shop.orders FOR EACH ROW EXECUTE FUNCTION shop.touch();
ALTER TABLE shop.orders ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_orders ON shop.orders FOR SELECT USING (customer_id > 0);
CREATE VIEW shop.open_orders AS SELECT id, total FROM shop.orders WHERE status <> 'shipped';
CREATE MATERIALIZED VIEW shop.totals AS SELECT customer_id, sum(total) AS total FROM shop.orders GROUP BY customer_id;
CREATE PROCEDURE shop.archive(days integer) LANGUAGE sql AS $$SELECT 1$$;
COMMENT ON TABLE shop.orders IS 'one row per order';
CREATE TABLE public.audit (at timestamptz, note text);
CREATE RULE audit_readonly AS ON DELETE TO public.audit DO INSTEAD NOTHING;
`

// find returns the tree node with id, searching depth first.
func find(nodes []TreeNode, id string) *TreeNode {
	for i := range nodes {
		if nodes[i].ID == id {
			return &nodes[i]
		}
		if n := find(nodes[i].Children, id); n != nil {
			return n
		}
	}
	return nil
}

func ids(nodes []TreeNode) []string {
	var out []string
	for _, n := range nodes {
		out = append(out, n.ID)
		out = append(out, ids(n.Children)...)
	}
	return out
}

func TestSchemaSyncTreeObjectsAndDDL(t *testing.T) {
	h := newApp(t, "", false)
	dbID, dbURL := schemaDB(t, h, shopSchema)
	svc := h.app.Schema()

	// Never synced: an empty summary, a clear message for the rest.
	sum, err := svc.Summary(dbID)
	if err != nil || sum.Synced || sum.LastAttemptAt != "" || sum.LastError != "" {
		t.Fatalf("summary before sync = %+v, %v", sum, err)
	}
	if l, err := svc.Latest(dbID); err != nil || l.ID != "" {
		t.Fatalf("latest before sync = %+v, %v", l, err)
	}
	if _, err := svc.Tree(dbID); err == nil || !strings.Contains(userErr(t, err).Message, "has not been synced yet") {
		t.Fatalf("tree before sync: %v", err)
	}
	if _, err := svc.Summary("no-such-id"); err == nil {
		t.Fatal("summary of an unknown database succeeded")
	}

	sum, err = svc.Sync(dbID)
	if err != nil {
		t.Fatal(err)
	}
	if !sum.Synced || sum.Snapshot.ID == "" || sum.Snapshot.Fingerprint == "" || sum.Snapshot.TakenAt == "" || sum.LastError != "" ||
		!strings.HasPrefix(sum.Snapshot.ServerVersion, "1") || sum.Snapshot.DDLSize == 0 {
		t.Fatalf("summary = %+v", sum)
	}
	c := sum.Counts
	if c.Tables != 3 || c.Views != 1 || c.MaterializedViews != 1 || c.Functions != 1 || c.Procedures != 1 || c.Types != 1 || c.Sequences != 2 {
		t.Fatalf("counts = %+v", c)
	}
	var rule bool
	for _, o := range sum.Snapshot.Unsupported {
		rule = rule || (o.Kind == string(catalog.KindRule) && strings.Contains(o.Name+o.Detail, "audit_readonly"))
	}
	if !rule {
		t.Fatalf("the rule is not reported as unsupported: %+v", sum.Snapshot.Unsupported)
	}
	ev := h.progress()
	last := ev[len(ev)-1]
	if last.ID != "schema-sync-"+dbID || !last.Finished || last.Error != "" || last.Done != last.Total || len(ev) < 4 {
		t.Fatalf("progress = %+v", ev)
	}

	// The whole DDL is exactly catalog.Dump of the database.
	ddl, err := svc.DDL(dbID)
	if err != nil {
		t.Fatal(err)
	}
	conn := pgtest.Conn(t, dbURL)
	res, err := catalog.Inspect(context.Background(), conn, catalog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if want := string(catalog.Dump(res.Schema, catalog.DumpOptions{})); ddl != want {
		t.Fatalf("DDL differs from catalog.Dump:\n%s\n---\n%s", ddl, want)
	}
	if res.Fingerprint != sum.Snapshot.Fingerprint {
		t.Fatalf("fingerprint %s, catalog says %s", sum.Snapshot.Fingerprint, res.Fingerprint)
	}

	tree, err := svc.Tree(dbID)
	if err != nil {
		t.Fatal(err)
	}
	if tree.SnapshotID != sum.Snapshot.ID {
		t.Fatalf("tree of snapshot %s, latest is %s", tree.SnapshotID, sum.Snapshot.ID)
	}
	orders := find(tree.Nodes, "table:shop.orders")
	if orders == nil || orders.Kind != "table" {
		t.Fatalf("no shop.orders in the tree: %v", ids(tree.Nodes))
	}
	for _, want := range []struct{ id, kind string }{
		{"schema:shop", "schema"}, {"schema:public", "schema"}, {"table:shop.customers", "table"}, {"table:public.audit", "table"},
		{"view:shop.open_orders", "view"}, {"view:shop.totals", "matview"}, {"function:shop.touch()", "function"},
		{"function:shop.archive(IN days integer)", "procedure"}, {"type:shop.status", "type"}, {"sequence:shop.invoice_no", "sequence"},
		{"table:shop.orders/column:customer_id", "column"}, {"table:shop.orders/index:orders_customer_idx", "index"},
		{"table:shop.orders/index:orders_pkey", "index"}, {"table:shop.orders/constraint:orders_customer_id_fkey", "constraint"},
		{"table:shop.orders/constraint:orders_total_check", "constraint"}, {"table:shop.orders/trigger:orders_touch", "trigger"},
		{"table:shop.orders/policy:own_orders", "policy"},
	} {
		n := find(tree.Nodes, want.id)
		if n == nil || n.Kind != want.kind {
			t.Errorf("node %s (%s): %+v; tree: %v", want.id, want.kind, n, ids(tree.Nodes))
		}
	}
	if col := find(tree.Nodes, "table:shop.orders/column:total"); col == nil || col.Detail != "numeric(12,2)" {
		t.Errorf("column total = %+v", col)
	}

	// Every node id resolves, and every object has DDL that is in the whole dump.
	for _, id := range ids(tree.Nodes) {
		if strings.HasPrefix(id, "group:") {
			continue
		}
		d, err := svc.Object(dbID, id)
		if err != nil {
			t.Errorf("object %s: %v", id, err)
			continue
		}
		if d.ID != id || d.DDL == "" {
			t.Errorf("object %s: %+v", id, d)
		}
	}
	detail := func(id string) ObjectDetail {
		d, err := svc.Object(dbID, id)
		if err != nil {
			t.Fatalf("object %s: %v", id, err)
		}
		return d
	}
	tbl := detail("table:shop.orders")
	for _, want := range []string{"CREATE TABLE shop.orders", "CREATE INDEX orders_customer_idx", "ADD CONSTRAINT orders_customer_id_fkey",
		"CREATE TRIGGER orders_touch", "CREATE POLICY own_orders", "COMMENT ON TABLE shop.orders IS 'one row per order'", "ENABLE ROW LEVEL SECURITY"} {
		if !strings.Contains(tbl.DDL, want) {
			t.Errorf("table DDL lacks %q:\n%s", want, tbl.DDL)
		}
	}
	if strings.Contains(tbl.DDL, "shop.customers (") {
		t.Errorf("table DDL holds another table:\n%s", tbl.DDL)
	}
	// Each object's statements appear verbatim in the whole-database DDL.
	for _, st := range strings.Split(strings.TrimSuffix(tbl.DDL, ";"), ";\n\n") {
		if !strings.Contains(ddl, st+";") {
			t.Errorf("table statement not in the database DDL: %q", st)
		}
	}
	hasProp := func(d ObjectDetail, name, value string) bool {
		for _, p := range d.Properties {
			if p.Name == name && p.Value == value {
				return true
			}
		}
		return false
	}
	if !hasProp(tbl, "Comment", "one row per order") || !hasProp(tbl, "Row-level security", "yes") {
		t.Errorf("table properties = %+v", tbl.Properties)
	}
	if idx := detail("table:shop.orders/index:orders_customer_idx"); !strings.HasPrefix(idx.DDL, "CREATE INDEX orders_customer_idx ON shop.orders") ||
		idx.Parent != "shop.orders" || !hasProp(idx, "Method", "btree") {
		t.Errorf("index = %+v", idx)
	}
	if pk := detail("table:shop.orders/index:orders_pkey"); !strings.Contains(pk.DDL, "PRIMARY KEY (id)") {
		t.Errorf("primary key index DDL = %q", pk.DDL)
	}
	if chk := detail("table:shop.orders/constraint:orders_total_check"); !strings.Contains(chk.DDL, "CHECK") {
		t.Errorf("check constraint DDL = %q", chk.DDL)
	}
	if col := detail("table:shop.orders/column:status"); !strings.Contains(col.DDL, "status shop.status") || !hasProp(col, "Not null", "yes") {
		t.Errorf("column = %+v", col)
	}
	if fn := detail("function:shop.touch()"); !strings.Contains(fn.DDL, "CREATE FUNCTION shop.touch()") || !hasProp(fn, "Language", "plpgsql") {
		t.Errorf("function = %+v", fn)
	}
	if v := detail("view:shop.open_orders"); !strings.Contains(v.DDL, "CREATE VIEW shop.open_orders") {
		t.Errorf("view DDL = %q", v.DDL)
	}
	if _, err := svc.Object(dbID, "table:shop.nope"); err == nil {
		t.Error("an unknown node resolved")
	}

	// A second sync adds to the history; node ids stay the same.
	pgtest.MustExec(t, dbURL, "ALTER TABLE shop.orders ADD COLUMN note text")
	sum2, err := svc.Sync(dbID)
	if err != nil {
		t.Fatal(err)
	}
	if sum2.Snapshot.ID == sum.Snapshot.ID || sum2.Snapshot.Fingerprint == sum.Snapshot.Fingerprint {
		t.Fatalf("second sync = %+v", sum2.Snapshot)
	}
	list, err := svc.Snapshots(dbID)
	if err != nil || len(list) != 2 || list[0].ID != sum2.Snapshot.ID || list[1].ID != sum.Snapshot.ID {
		t.Fatalf("snapshots = %+v, %v", list, err)
	}
	if l, err := svc.Latest(dbID); err != nil || l.ID != sum2.Snapshot.ID {
		t.Fatalf("latest = %+v, %v", l, err)
	}
	tree2, err := svc.Tree(dbID)
	if err != nil {
		t.Fatal(err)
	}
	if find(tree2.Nodes, "table:shop.orders/column:note") == nil || find(tree2.Nodes, "table:shop.orders") == nil {
		t.Fatalf("the new column is missing from the tree after a second sync: %v", ids(tree2.Nodes))
	}

	// Save as.
	path := filepath.Join(t.TempDir(), "shop.sql")
	if err := svc.SaveDDL(dbID, path); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	ddl2, _ := svc.DDL(dbID)
	if err != nil || string(b) != ddl2+"\n" {
		t.Fatalf("saved file differs from the DDL (%v)", err)
	}
	if err := svc.SaveDDL(dbID, ""); err == nil || userErr(t, err).Field != "path" {
		t.Fatalf("empty path: %v", err)
	}
	if err := svc.SaveDDL(dbID, filepath.Join(t.TempDir(), "missing", "x.sql")); err == nil || !strings.Contains(userErr(t, err).Message, "cannot save") {
		t.Fatalf("unwritable path: %v", err)
	}
	if _, err := svc.ChooseSavePath(dbID); err == nil || !strings.Contains(userErr(t, err).Message, "no window") {
		t.Fatalf("dialog without a window: %v", err)
	}
}

func TestSchemaSyncFailureKeepsPreviousSnapshot(t *testing.T) {
	h := newApp(t, "", false)
	dbID, dbURL := schemaDB(t, h, "CREATE TABLE t (id int PRIMARY KEY)")
	svc := h.app.Schema()
	first, err := svc.Sync(dbID)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(dbURL)
	name := strings.TrimPrefix(u.Path, "/")
	if err := pgsrv.Exec(context.Background(), "DROP DATABASE "+name+" WITH (FORCE)"); err != nil {
		t.Fatal(err)
	}
	_, err = svc.Sync(dbID)
	ue := userErr(t, err)
	if ue.SQLState != "3D000" || !strings.Contains(ue.Message, "does not exist") {
		t.Fatalf("sync of a dropped database: %+v", ue)
	}
	ev := h.progress()
	if last := ev[len(ev)-1]; !last.Finished || !strings.Contains(last.Error, "3D000") {
		t.Fatalf("last progress = %+v", last)
	}
	sum, err := svc.Summary(dbID)
	if err != nil {
		t.Fatal(err)
	}
	if !sum.Synced || sum.Snapshot.ID != first.Snapshot.ID || sum.LastSQLState != "3D000" || !strings.Contains(sum.LastError, "does not exist") || sum.LastAttemptAt == "" {
		t.Fatalf("summary after the failure = %+v", sum)
	}
	tree, err := svc.Tree(dbID)
	if err != nil || find(tree.Nodes, "table:public.t") == nil {
		t.Fatalf("the previous snapshot's tree: %v, %v", ids(tree.Nodes), err)
	}
	if list, _ := svc.Snapshots(dbID); len(list) != 1 {
		t.Fatalf("snapshots after a failed sync: %d", len(list))
	}
}

// TestSchemaTreeCoversCorpus is an oracle over real schemas: every object of
// the model is a node of the tree, every node resolves to details with DDL,
// and the DDL of the tree's objects is exactly the dump's statements — each
// object's statements are in the whole DDL, and every statement of the dump
// (but those of kinds the tree does not show) belongs to some object.
func TestSchemaTreeCoversCorpus(t *testing.T) {
	for _, name := range []string{"pagila.sql", "danbooru.sql"} {
		t.Run(name, func(t *testing.T) {
			file := testcorpus.Path(t, "schemas", name)
			h := newApp(t, "", false)
			dbID, dbURL := schemaDB(t, h, "")
			cmd := exec.Command(filepath.Join(pgsrv.BinDir, "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", dbURL, "-f", file)
			cmd.Dir = filepath.Dir(file)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("load %s: %v\n%s", name, err, out)
			}
			svc := h.app.Schema()
			if _, err := svc.Sync(dbID); err != nil {
				t.Fatal(err)
			}
			ddl, err := svc.DDL(dbID)
			if err != nil {
				t.Fatal(err)
			}
			tree, err := svc.Tree(dbID)
			if err != nil {
				t.Fatal(err)
			}
			res, err := catalog.Inspect(context.Background(), pgtest.Conn(t, dbURL), catalog.Options{})
			if err != nil {
				t.Fatal(err)
			}
			m := res.Schema
			if want := string(catalog.Dump(m, catalog.DumpOptions{})); ddl != want {
				t.Fatal("the snapshot's DDL differs from catalog.Dump of the database")
			}
			var want []string
			for _, x := range m.Tables {
				k := x.Ref().Key()
				want = append(want, k)
				for _, c := range x.Columns {
					want = append(want, k+"/column:"+catalog.QuoteIdent(c.Name))
				}
				for _, c := range x.Constraints {
					want = append(want, k+"/constraint:"+catalog.QuoteIdent(c.Name))
				}
				for _, c := range x.Indexes {
					want = append(want, k+"/index:"+catalog.QuoteIdent(c.Name))
				}
				for _, c := range x.Triggers {
					want = append(want, k+"/trigger:"+catalog.QuoteIdent(c.Name))
				}
			}
			for _, x := range m.Views {
				want = append(want, x.Ref().Key())
			}
			for _, x := range m.Functions {
				want = append(want, x.Ref().Key())
			}
			for _, x := range m.Types {
				want = append(want, x.Ref().Key())
			}
			for _, x := range m.Sequences {
				want = append(want, x.Ref().Key())
			}
			for _, id := range want {
				if find(tree.Nodes, id) == nil {
					t.Errorf("model object %s is not in the tree", id)
				}
			}
			if len(want) < 50 {
				t.Fatalf("only %d objects: the corpus did not load", len(want))
			}

			nodes := catalog.DumpNodes(m, catalog.DumpOptions{})
			var all []string
			for _, n := range nodes {
				all = append(all, n.Statements...)
			}
			covered := map[string]bool{}
			for _, id := range ids(tree.Nodes) {
				if strings.HasPrefix(id, "group:") {
					continue
				}
				d, err := svc.Object(dbID, id)
				if err != nil {
					t.Fatalf("object %s: %v", id, err)
				}
				if d.DDL == "" {
					t.Errorf("object %s has no DDL", id)
				}
				if strings.Contains(id, "/") {
					continue // sub-objects: fragments or their own statements, checked through their owner
				}
				// The object's DDL is a sequence of the dump's statements (bodies may
				// hold ";\n\n", so match whole statements rather than split).
				rest := d.DDL
				for rest != "" {
					best := ""
					for _, st := range all {
						if len(st) > len(best) && strings.HasPrefix(rest, st+";") && (len(rest) == len(st)+1 || strings.HasPrefix(rest[len(st)+1:], "\n\n")) {
							best = st
						}
					}
					if best == "" {
						t.Errorf("%s: DDL holds a statement that is not in the dump: %.200q", id, rest)
						break
					}
					covered[best] = true
					rest = strings.TrimPrefix(rest[len(best)+1:], "\n\n")
				}
			}
			for _, n := range nodes {
				switch k := n.Key; {
				case strings.HasPrefix(k, "operator:"), strings.HasPrefix(k, "acl:operator:"), strings.HasPrefix(k, "collation:"),
					strings.HasPrefix(k, "event_trigger:"), strings.HasPrefix(k, "defacl:"):
					continue // kinds the tree does not show
				}
				for _, st := range n.Statements {
					if !covered[st] {
						t.Errorf("dump statement of %s belongs to no object of the tree: %q", n.Key, st)
					}
				}
			}
		})
	}
}

func TestSchemaSyncReportsSkippedSchemas(t *testing.T) {
	h := newApp(t, "", false)
	dbURL := pgsrv.NewDB(t)
	u, _ := url.Parse(dbURL)
	name := strings.TrimPrefix(u.Path, "/")
	role := "limited_" + name
	pgtest.MustExec(t, dbURL, `CREATE SCHEMA vault; CREATE TABLE vault.secrets (id int);
		CREATE TABLE public.visible (id int);
		DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '`+role+`') THEN CREATE ROLE `+role+` LOGIN; END IF; END$$;`)
	t.Cleanup(func() { _ = pgsrv.Exec(context.Background(), "DROP ROLE IF EXISTS "+role) })
	in := pgInput(t, "limited")
	in.User, in.Database = role, name
	inst, err := h.app.Instances().Create(in)
	if err != nil {
		t.Fatal(err)
	}
	dbs, err := h.app.Instances().Sync(inst.ID)
	if err != nil {
		t.Fatal(err)
	}
	var dbID string
	for _, d := range dbs {
		if d.Name == name {
			dbID = d.ID
		}
	}
	if dbID == "" {
		t.Fatalf("database %s not listed for %s", name, role)
	}
	sum, err := h.app.Schema().Sync(dbID)
	if err != nil {
		t.Fatal(err)
	}
	var skipped bool
	for _, o := range sum.Snapshot.Skipped {
		skipped = skipped || (o.Name == "vault" && o.Detail != "")
	}
	if !skipped {
		t.Fatalf("schema vault not reported as skipped: %+v", sum.Snapshot.Skipped)
	}
	tree, err := h.app.Schema().Tree(dbID)
	if err != nil {
		t.Fatal(err)
	}
	if find(tree.Nodes, "table:public.visible") == nil || find(tree.Nodes, "table:vault.secrets") != nil {
		t.Fatalf("tree of the limited role: %v", ids(tree.Nodes))
	}
}
