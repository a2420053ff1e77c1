package drift_test

import (
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/drift"
	"github.com/tidemark-dev/tidemark/internal/pgtest"
)

// TestKitchenSinkNoFalsePositives: the catalog's kitchen-sink schema (every
// modelled kind) does not drift from itself after maintenance, after a round
// trip through stored JSON, or when rebuilt from its dump in a fresh
// database (new OIDs, another creation order); and against an empty
// expectation every object is reported added.
func TestKitchenSinkNoFalsePositives(t *testing.T) {
	url := srv.NewDB(t)
	ctx := context.Background()
	if err := srv.Exec(ctx, `DO $$ BEGIN
		IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tidemark_reader') THEN CREATE ROLE tidemark_reader; END IF;
		IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tidemark_writer') THEN CREATE ROLE tidemark_writer; END IF;
		IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tidemark_owner') THEN CREATE ROLE tidemark_owner; END IF;
		END $$`); err != nil {
		t.Fatal(err)
	}
	sql, err := os.ReadFile("../catalog/testdata/kitchen_sink.sql")
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Psql(url, "", sql); err != nil {
		t.Fatal(err)
	}
	expected := inspect(t, url)
	none := func(name string, rep drift.Report) {
		t.Helper()
		if rep.Drifted() {
			b, _ := json.MarshalIndent(rep.Objects, "", "  ")
			t.Fatalf("%s: reported drift:\n%s", name, b)
		}
	}

	for _, s := range []string{"VACUUM FULL", "ANALYZE", "REINDEX SCHEMA app", "CHECKPOINT", "SELECT pg_stat_reset()"} {
		pgtest.MustExec(t, url, s)
	}
	live := inspect(t, url)
	none("after maintenance", drift.Compare(expected, live))

	b, err := json.Marshal(expected.Schema)
	if err != nil {
		t.Fatal(err)
	}
	stored, err := catalog.DecodeModel(b)
	if err != nil {
		t.Fatal(err)
	}
	stored.Unsupported = expected.Unsupported
	none("stored model", drift.Compare(stored, live))

	rebuilt := srv.NewDB(t)
	pgtest.MustExec(t, rebuilt, string(catalog.Dump(expected.Schema, catalog.DumpOptions{})))
	none("rebuilt from its dump", drift.Compare(expected, inspect(t, rebuilt)))

	rep := drift.Compare(&catalog.Result{Schema: catalog.Schema{Privileges: true}}, expected)
	if !rep.Drifted() {
		t.Fatal("no drift against an empty expectation")
	}
	kinds := map[string]int{}
	for _, o := range rep.Objects {
		if o.Action != drift.Added || o.LiveDDL == "" || o.ExpectedDDL != "" {
			t.Errorf("against an empty expectation: %+v", o)
		}
		kinds[o.Kind]++
	}
	for _, k := range []string{"schema", "table", "view", "function", "type", "sequence"} {
		if kinds[k] == 0 {
			t.Errorf("no %s reported added (%v)", k, kinds)
		}
	}
	if n := len(expected.Schema.Tables); kinds["table"] != n {
		t.Errorf("%d tables reported added, the schema has %d", kinds["table"], n)
	}
}
