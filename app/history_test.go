package app

import (
	"context"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/migrate"
)

// applyEvents returns the progress events of the applies to a database.
func applyEvents(h *harness, dbID string) []Progress {
	var out []Progress
	for _, p := range h.progress() {
		if p.ID == "history-apply-"+dbID {
			out = append(out, p)
		}
	}
	return out
}

// TestHistoryBinding: HistoryService maps requests into change.Service
// (source ui, the confirmation), its results into the wire types, its
// progress into events and its failures into wire errors. What a change
// does — checks, snapshots, the runner, reconcile — is tested in
// internal/change.
func TestHistoryBinding(t *testing.T) {
	h := newApp(t, "", false)
	hs := h.app.History()
	dbID, dbURL := registerDB(t, h, "test", `CREATE TABLE accounts (id int PRIMARY KEY); CREATE TABLE tmp (id int);`)

	if list, err := hs.List(dbID); err != nil || list == nil || len(list) != 0 {
		t.Fatalf("fresh history = %#v, %v", list, err)
	}
	req := ApplyChangeRequest{DatabaseID: dbID, Version: "20260301120000", Type: "ddl", Description: "add invoices",
		Statement: "CREATE TABLE invoices (id bigint PRIMARY KEY, account_id int REFERENCES accounts (id));\n"}
	chk, err := hs.Check(req)
	if err != nil || chk.NeedsConfirm || chk.Production || chk.Destructive == nil || len(chk.Destructive) != 0 || chk.EnvironmentName != "Test" || chk.DatabaseName == "" {
		t.Fatalf("check = %+v, %v", chk, err)
	}
	ch, err := hs.Apply(req)
	if err != nil {
		t.Fatal(err)
	}
	if ch.Status != "done" || ch.Source != "ui" || ch.SeenOnSync || ch.Version != req.Version || ch.Type != "ddl" || ch.DatabaseID != dbID ||
		ch.Description != "add invoices" || ch.RunID == "" || !strings.HasPrefix(ch.Checksum, migrate.ChecksumPrefix) || ch.AppliedAt == "" ||
		ch.BeforeSnapshotID == "" || ch.AfterSnapshotID == "" || ch.AppliedBy == "" || ch.Host == "" {
		t.Fatalf("applied change = %+v", ch)
	}
	ev := applyEvents(h, dbID)
	if len(ev) < 3 || !ev[len(ev)-1].Finished || ev[len(ev)-1].Error != "" || ev[len(ev)-1].Done != ev[len(ev)-1].Total {
		t.Fatalf("progress = %+v", ev)
	}
	d, err := hs.Get(dbID, ch.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.Change != ch || !d.HasBefore || !d.HasAfter || !d.HasObjects || d.Statement != req.Statement ||
		!strings.Contains(d.AfterDDL, "CREATE TABLE public.invoices") || strings.Contains(d.BeforeDDL, "invoices") {
		t.Fatalf("detail = %+v", d)
	}
	if len(d.Objects) != 1 || d.Objects[0] != (ObjectChange{Action: "added", Kind: "table", Schema: "public", Name: "invoices"}) {
		t.Fatalf("changed objects = %+v", d.Objects)
	}

	// Confirm reaches the use-case: a destructive change needs it.
	drop := ApplyChangeRequest{DatabaseID: dbID, Version: "20260301120100", Type: "ddl", Statement: "DROP TABLE tmp;"}
	if chk, err := hs.Check(drop); err != nil || !chk.NeedsConfirm || strings.Join(chk.Destructive, "|") != "line 1: DROP TABLE" {
		t.Fatalf("check of a drop = %+v, %v", chk, err)
	}
	if _, err := hs.Apply(drop); userErr(t, err).Field != "confirm" {
		t.Fatalf("unconfirmed drop: %v", err)
	}
	drop.Confirm = true
	if c, err := hs.Apply(drop); err != nil || c.Status != "done" {
		t.Fatalf("confirmed drop: %+v, %v", c, err)
	}

	// A failure: PostgreSQL's message, SQLSTATE and the failing line reach
	// the frontend, the progress ends with the error, the history lists it.
	_, err = hs.Apply(ApplyChangeRequest{DatabaseID: dbID, Version: "20260301120200", Type: "ddl",
		Statement: "CREATE TABLE notes (id int PRIMARY KEY);\n\nALTER TABLE missing ADD COLUMN x int;\n"})
	if ue := userErr(t, err); ue.SQLState != "42P01" || ue.Field != "statement" || !strings.Contains(ue.Message, `"missing" does not exist`) || !strings.Contains(ue.Detail, "line 3") {
		t.Fatalf("error = %+v", ue)
	}
	ev = applyEvents(h, dbID)
	if last := ev[len(ev)-1]; !last.Finished || !strings.Contains(last.Error, "42P01") {
		t.Fatalf("last progress = %+v", last)
	}
	list, err := hs.List(dbID)
	if err != nil || len(list) != 3 {
		t.Fatalf("history = %+v, %v", list, err)
	}
	if c := list[0]; c.Status != "failed" || c.SQLState != "42P01" || c.FailedLine != 3 || !strings.Contains(c.FailedStatement, "ALTER TABLE missing") ||
		c.Error == "" || c.AfterSnapshotID != "" || c.BeforeSnapshotID == "" {
		t.Fatalf("recorded failure = %+v", c)
	}
	// A request refused before any work is a field error, with no progress task.
	n := len(applyEvents(h, dbID))
	if _, err := hs.Apply(ApplyChangeRequest{DatabaseID: dbID, Version: req.Version, Type: "ddl", Statement: "SELECT 1;"}); userErr(t, err).Field != "version" {
		t.Fatalf("an applied version again: %v", err)
	}
	if len(applyEvents(h, dbID)) != n {
		t.Fatal("a refused request started a progress task")
	}

	// Reconcile brings in another machine's rows.
	r, err := migrate.NewRunner(dbURL, migrate.Options{Host: "ci-runner-7", AppliedBy: "ci-bot"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.ApplyChange(context.Background(), migrate.Change{Version: "20260301130000", Type: migrate.TypeDDL, SQL: "CREATE TABLE b (id int);"}, migrate.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	list, err = hs.Reconcile(dbID)
	if err != nil || len(list) != 4 {
		t.Fatalf("after Reconcile: %+v, %v", list, err)
	}
	if other := list[0]; other.Source != "other machine" || !other.SeenOnSync || other.Host != "ci-runner-7" || other.AppliedBy != "ci-bot" {
		t.Fatalf("the other machine's row = %+v", other)
	}
	if _, err := hs.Get(dbID, "no-such-change"); !strings.Contains(userErr(t, err).Message, "not found") {
		t.Fatalf("unknown change: %v", err)
	}
}
