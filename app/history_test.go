package app

import (
	"context"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/change"
	"github.com/tidemark-dev/tidemark/internal/migrate"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// TestHistoryBinding: HistoryService maps change.Service's history into the
// wire types and its failures into wire errors. Changes reach a database
// through issues (WorkflowService) or the CLI; here the use-case writes them
// directly. What a change does — checks, snapshots, the runner, reconcile —
// is tested in internal/change.
func TestHistoryBinding(t *testing.T) {
	h := newApp(t, "", false)
	hs := h.app.History()
	ctx := context.Background()
	dbID, dbURL := registerDB(t, h, "test", `CREATE TABLE accounts (id int PRIMARY KEY);`)

	if list, err := hs.List(dbID); err != nil || list == nil || len(list) != 0 {
		t.Fatalf("fresh history = %#v, %v", list, err)
	}
	stmt := "CREATE TABLE invoices (id bigint PRIMARY KEY, account_id int REFERENCES accounts (id));\n"
	applied, err := h.app.changes.Apply(ctx, change.Request{DatabaseID: dbID, Version: "20260301120000", Type: "ddl", Description: "add invoices",
		Statement: stmt, Source: workspace.SourceUI, Issue: 7}, nil)
	if err != nil {
		t.Fatal(err)
	}
	list, err := hs.List(dbID)
	if err != nil || len(list) != 1 {
		t.Fatalf("history = %+v, %v", list, err)
	}
	ch := list[0]
	if ch.ID != applied.ID || ch.Status != "done" || ch.Source != "ui" || ch.SeenOnSync || ch.Version != "20260301120000" || ch.Type != "ddl" || ch.DatabaseID != dbID ||
		ch.Description != "add invoices" || ch.RunID == "" || !strings.HasPrefix(ch.Checksum, migrate.ChecksumPrefix) || ch.AppliedAt == "" ||
		ch.BeforeSnapshotID == "" || ch.AfterSnapshotID == "" || ch.AppliedBy == "" || ch.Host == "" || ch.Issue != 7 {
		t.Fatalf("listed change = %+v", ch)
	}
	d, err := hs.Get(dbID, ch.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.Change != ch || !d.HasBefore || !d.HasAfter || !d.HasObjects || d.Statement != stmt ||
		!strings.Contains(d.AfterDDL, "CREATE TABLE public.invoices") || strings.Contains(d.BeforeDDL, "invoices") {
		t.Fatalf("detail = %+v", d)
	}
	if len(d.Objects) != 1 || d.Objects[0] != (ObjectChange{Action: "added", Kind: "table", Schema: "public", Name: "invoices"}) {
		t.Fatalf("changed objects = %+v", d.Objects)
	}

	// A failure keeps PostgreSQL's SQLSTATE and the failing line on the wire.
	if _, err := h.app.changes.Apply(ctx, change.Request{DatabaseID: dbID, Version: "20260301120200", Type: "ddl", Source: workspace.SourceUI,
		Statement: "CREATE TABLE notes (id int PRIMARY KEY);\n\nALTER TABLE missing ADD COLUMN x int;\n"}, nil); err == nil {
		t.Fatal("a failing change applied")
	}
	list, err = hs.List(dbID)
	if err != nil || len(list) != 2 {
		t.Fatalf("history = %+v, %v", list, err)
	}
	if c := list[0]; c.Status != "failed" || c.SQLState != "42P01" || c.FailedLine != 3 || !strings.Contains(c.FailedStatement, "ALTER TABLE missing") ||
		c.Error == "" || c.AfterSnapshotID != "" || c.BeforeSnapshotID == "" || c.Issue != 0 {
		t.Fatalf("recorded failure = %+v", c)
	}

	// Reconcile brings in another machine's rows.
	r, err := migrate.NewRunner(dbURL, migrate.Options{Host: "ci-runner-7", AppliedBy: "ci-bot"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.ApplyChange(ctx, migrate.Change{Version: "20260301130000", Type: migrate.TypeDDL, SQL: "CREATE TABLE b (id int);"}, migrate.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	list, err = hs.Reconcile(dbID)
	if err != nil || len(list) != 3 {
		t.Fatalf("after Reconcile: %+v, %v", list, err)
	}
	if other := list[0]; other.Source != "other machine" || !other.SeenOnSync || other.Host != "ci-runner-7" || other.AppliedBy != "ci-bot" {
		t.Fatalf("the other machine's row = %+v", other)
	}
	if _, err := hs.Get(dbID, "no-such-change"); !strings.Contains(userErr(t, err).Message, "not found") {
		t.Fatalf("unknown change: %v", err)
	}
}
