package app

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/migrate"
	"github.com/tidemark-dev/tidemark/internal/pgtest"
)

// historyDB creates a database on the test server, registers the server as an
// instance in env and syncs it; it returns the database's record id and URL.
func historyDB(t *testing.T, h *harness, env, setup string) (string, string) {
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
	in := pgInput(t, "pg-"+env+"-"+name)
	in.EnvironmentID = env
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

type targetRow struct {
	status, source, sqlstate string
}

// targetHistory reads tidemark.migration_history of the database by version.
func targetHistory(t *testing.T, dbURL, version string) []targetRow {
	t.Helper()
	c := pgtest.Conn(t, dbURL)
	rows, err := c.Query(context.Background(), `SELECT status, source, coalesce(error_sqlstate, '') FROM tidemark.migration_history WHERE version = $1 ORDER BY id`, version)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []targetRow
	for rows.Next() {
		var r targetRow
		if err := rows.Scan(&r.status, &r.source, &r.sqlstate); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

func tableExists(t *testing.T, dbURL, name string) bool {
	t.Helper()
	var ok bool
	if err := pgtest.Conn(t, dbURL).QueryRow(context.Background(), `SELECT to_regclass($1) IS NOT NULL`, name).Scan(&ok); err != nil {
		t.Fatal(err)
	}
	return ok
}

// lineSet is the set of non-empty lines of a DDL text.
func lineSet(s string) map[string]bool {
	out := map[string]bool{}
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) != "" {
			out[l] = true
		}
	}
	return out
}

// ddlAdded returns the lines of the after DDL missing from the before DDL (in
// the after's order) and fails when the after DDL lost a line.
func ddlAdded(t *testing.T, d ChangeDetail) string {
	t.Helper()
	before, after := lineSet(d.BeforeDDL), lineSet(d.AfterDDL)
	for l := range before {
		if !after[l] {
			t.Errorf("after snapshot lost a line: %q", l)
		}
	}
	var added []string
	for _, l := range strings.Split(d.AfterDDL, "\n") {
		if strings.TrimSpace(l) != "" && !before[l] {
			added = append(added, l)
		}
	}
	return strings.Join(added, "\n")
}

func TestHistoryApplyRecordsChangeWithSnapshots(t *testing.T) {
	h := newApp(t, "", false)
	hs := h.app.History()
	dbID, dbURL := historyDB(t, h, "test", `CREATE TABLE accounts (id int PRIMARY KEY);`)

	if list, err := hs.List(dbID); err != nil || list == nil || len(list) != 0 {
		t.Fatalf("fresh history = %#v, %v", list, err)
	}
	req := ApplyChangeRequest{DatabaseID: dbID, Version: "20260301120000", Type: "ddl", Description: "add invoices",
		Statement: "CREATE TABLE invoices (id bigint PRIMARY KEY, account_id int REFERENCES accounts (id));\nCREATE INDEX invoices_account_idx ON invoices (account_id);\n"}
	chk, err := hs.Check(req)
	if err != nil || chk.NeedsConfirm || chk.Production || len(chk.Destructive) != 0 || chk.EnvironmentName != "Test" {
		t.Fatalf("check = %+v, %v; want no confirmation in Test", chk, err)
	}
	ch, err := hs.Apply(req)
	if err != nil {
		t.Fatal(err)
	}
	if ch.Status != "done" || ch.Source != "ui" || ch.SeenOnSync || ch.Version != req.Version || ch.Type != "ddl" ||
		ch.Description != "add invoices" || ch.RunID == "" || !strings.HasPrefix(ch.Checksum, migrate.ChecksumPrefix) ||
		ch.BeforeSnapshotID == "" || ch.AfterSnapshotID == "" || ch.BeforeSnapshotID == ch.AfterSnapshotID || ch.AppliedBy == "" || ch.Host == "" {
		t.Fatalf("applied change = %+v", ch)
	}
	if !tableExists(t, dbURL, "public.invoices") {
		t.Fatal("invoices was not created")
	}
	if got := targetHistory(t, dbURL, req.Version); len(got) != 1 || got[0].status != "done" || got[0].source != "ui" {
		t.Fatalf("target history = %+v; want one done ui row", got)
	}

	// The detail's snapshots differ by the change alone: Tidemark's own
	// bookkeeping schema (created by the first change) is not the user's.
	d, err := hs.Get(dbID, ch.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !d.HasBefore || !d.HasAfter || d.Statement != req.Statement || d.Change.ID != ch.ID {
		t.Fatalf("detail = %+v", d)
	}
	added := ddlAdded(t, d)
	for _, want := range []string{"CREATE TABLE public.invoices", "invoices_account_idx"} {
		if !strings.Contains(added, want) {
			t.Fatalf("the after snapshot does not add %q; added:\n%s", want, added)
		}
	}
	if strings.Contains(d.AfterDDL, "tidemark") {
		t.Fatalf("the after snapshot shows Tidemark's own schema:\n%s", d.AfterDDL)
	}
	if !d.HasObjects || len(d.Objects) != 1 || d.Objects[0] != (ObjectChange{Action: "added", Kind: "table", Schema: "public", Name: "invoices"}) {
		t.Fatalf("changed objects = %+v (has %v); want the added table public.invoices", d.Objects, d.HasObjects)
	}
	if strings.Contains(d.BeforeDDL, "invoices") {
		t.Fatal("the before snapshot already has invoices")
	}
	// A second change: its snapshots differ by exactly the new table.
	second, err := hs.Apply(ApplyChangeRequest{DatabaseID: dbID, Version: "20260301120500", Type: "ddl", Statement: "CREATE TABLE payments (pay_id int PRIMARY KEY);"})
	if err != nil {
		t.Fatal(err)
	}
	if second.BeforeSnapshotID == ch.AfterSnapshotID {
		t.Fatal("the second change reused the first one's snapshot instead of taking its own")
	}
	d2, err := hs.Get(dbID, second.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(ddlAdded(t, d2), "\n") {
		if !strings.Contains(l, "payments") && !strings.Contains(l, "pay_id") && strings.TrimSpace(l) != ");" {
			t.Errorf("the second change's after snapshot adds an unrelated line: %q", l)
		}
	}

	// Progress: the apply's own events end finished without error.
	var last Progress
	n := 0
	for _, p := range h.progress() {
		if p.ID == "history-apply-"+dbID {
			last = p
			n++
		}
	}
	if n < 3 || !last.Finished || last.Error != "" || last.Done != last.Total {
		t.Fatalf("progress: %d events, last %+v", n, last)
	}

	// The same version again, or a lower one, is refused before anything runs.
	snaps, _ := h.app.Schema().Snapshots(dbID)
	for _, v := range []string{req.Version, "20260301110000"} {
		again := req
		again.Version, again.Statement = v, "CREATE TABLE other (id int PRIMARY KEY);"
		_, err = hs.Apply(again)
		if ue := userErr(t, err); ue.Field != "version" || !strings.Contains(ue.Message, v) {
			t.Fatalf("version %s again: %+v", v, ue)
		}
	}
	if tableExists(t, dbURL, "public.other") {
		t.Fatal("a refused change ran")
	}
	if after, _ := h.app.Schema().Snapshots(dbID); len(after) != len(snaps) {
		t.Fatalf("refused changes took snapshots: %d -> %d", len(snaps), len(after))
	}
	if list, _ := hs.List(dbID); len(list) != 2 || list[0].ID != second.ID || list[1].ID != ch.ID {
		t.Fatalf("history after refusals = %+v", list)
	}
}

func TestHistoryApplyFailureKeepsSQLStateAndIsNotDone(t *testing.T) {
	h := newApp(t, "", false)
	hs := h.app.History()
	dbID, dbURL := historyDB(t, h, "test", `CREATE TABLE accounts (id int PRIMARY KEY);`)
	req := ApplyChangeRequest{DatabaseID: dbID, Version: "2", Type: "ddl", Description: "broken",
		Statement: "CREATE TABLE notes (id int PRIMARY KEY);\n\nALTER TABLE missing ADD COLUMN x int;\n"}
	_, err := hs.Apply(req)
	ue := userErr(t, err)
	if ue.SQLState != "42P01" || !strings.Contains(ue.Message, `"missing" does not exist`) ||
		!strings.Contains(ue.Detail, "line 3") || !strings.Contains(ue.Detail, "ALTER TABLE missing") {
		t.Fatalf("error = %+v; want 42P01 with the statement and its line", ue)
	}
	if tableExists(t, dbURL, "public.notes") {
		t.Fatal("the failed change's first statement stayed applied")
	}
	got := targetHistory(t, dbURL, "2")
	if len(got) != 1 || got[0].status != "failed" || got[0].sqlstate != "42P01" {
		t.Fatalf("target history = %+v; want one failed row", got)
	}
	list, err := hs.List(dbID)
	if err != nil || len(list) != 1 {
		t.Fatalf("workspace history = %+v, %v", list, err)
	}
	if c := list[0]; c.Status != "failed" || c.SQLState != "42P01" || c.FailedLine != 3 || c.AfterSnapshotID != "" || c.BeforeSnapshotID == "" || c.Source != "ui" {
		t.Fatalf("recorded failure = %+v", c)
	}
	var last Progress
	for _, p := range h.progress() {
		if p.ID == "history-apply-"+dbID {
			last = p
		}
	}
	if !last.Finished || !strings.Contains(last.Error, "42P01") {
		t.Fatalf("last progress = %+v", last)
	}
	// The version failed, so it can be fixed and applied.
	req.Statement = "CREATE TABLE notes (id int PRIMARY KEY);\n"
	if ch, err := hs.Apply(req); err != nil || ch.Status != "done" {
		t.Fatalf("fixed change: %+v, %v", ch, err)
	}
	// A syntax error is refused before anything runs, naming its line.
	_, err = hs.Apply(ApplyChangeRequest{DatabaseID: dbID, Version: "3", Type: "ddl", Statement: "SELECT 1;\nCREATE TABEL x ();"})
	if ue := userErr(t, err); ue.Field != "statement" || !strings.Contains(ue.Message, "2:") {
		t.Fatalf("syntax error: %+v", ue)
	}
	if got := targetHistory(t, dbURL, "3"); len(got) != 0 {
		t.Fatalf("a syntax error reached the target: %+v", got)
	}
}

func TestHistoryReconcileAddsOtherMachinesRows(t *testing.T) {
	h := newApp(t, "", false)
	hs := h.app.History()
	dbID, dbURL := historyDB(t, h, "test", ``)
	mine, err := hs.Apply(ApplyChangeRequest{DatabaseID: dbID, Version: "1", Type: "ddl", Statement: "CREATE TABLE a (id int PRIMARY KEY);"})
	if err != nil {
		t.Fatal(err)
	}
	// Another machine applies version 2 with the migration runner directly.
	r, err := migrate.NewRunner(dbURL, migrate.Options{Host: "ci-runner-7", AppliedBy: "ci-bot"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.ApplyChange(context.Background(), migrate.Change{Version: "2", Type: migrate.TypeDDL, Description: "from ci", SQL: "CREATE TABLE b (id int PRIMARY KEY);"}, migrate.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	if list, _ := hs.List(dbID); len(list) != 1 {
		t.Fatalf("before Reconcile the workspace already lists %d changes", len(list))
	}
	for range 2 { // twice: nothing is added twice
		list, err := hs.Reconcile(dbID)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 {
			t.Fatalf("after Reconcile: %+v", list)
		}
		other, own := list[0], list[1]
		if other.Version != "2" || !other.SeenOnSync || other.Source != "other machine" || other.Host != "ci-runner-7" ||
			other.AppliedBy != "ci-bot" || other.Status != "done" || other.Description != "from ci" || other.BeforeSnapshotID != "" {
			t.Fatalf("row from the other machine = %+v", other)
		}
		if own.ID != mine.ID || own.SeenOnSync || own.Source != "ui" || own.AfterSnapshotID != mine.AfterSnapshotID {
			t.Fatalf("own row after Reconcile = %+v, want %+v", own, mine)
		}
	}
	list, _ := hs.List(dbID)
	d, err := hs.Get(dbID, list[0].ID)
	if err != nil || d.HasBefore || d.HasAfter || !strings.Contains(d.Statement, "CREATE TABLE b") {
		t.Fatalf("detail of the other machine's row = %+v, %v", d, err)
	}
	// The app's next version must be above the other machine's.
	_, err = hs.Apply(ApplyChangeRequest{DatabaseID: dbID, Version: "2", Type: "ddl", Statement: "CREATE TABLE c (id int PRIMARY KEY);"})
	if ue := userErr(t, err); ue.Field != "version" || !strings.Contains(ue.Message, "already applied") {
		t.Fatalf("version taken by another machine: %+v", ue)
	}
}

func TestHistoryConfirmation(t *testing.T) {
	h := newApp(t, "", false)
	hs := h.app.History()
	testID, testURL := historyDB(t, h, "test", `CREATE TABLE logs (id int PRIMARY KEY); CREATE TABLE tmp (id int);`)
	prodID, prodURL := historyDB(t, h, "prod", `CREATE TABLE logs (id int PRIMARY KEY);`)

	chk, err := hs.Check(ApplyChangeRequest{DatabaseID: testID, Statement: "DELETE FROM logs WHERE id = 1;\nDELETE FROM logs;\nTRUNCATE tmp;\nDROP TABLE tmp;\nUPDATE logs SET id = 2 WHERE id = 3;"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"line 2: DELETE without WHERE", "line 3: TRUNCATE", "line 4: DROP TABLE"}
	if !chk.NeedsConfirm || chk.Production || strings.Join(chk.Destructive, "|") != strings.Join(want, "|") {
		t.Fatalf("check = %+v; want destructive %v", chk, want)
	}
	drop := ApplyChangeRequest{DatabaseID: testID, Version: "1", Type: "ddl", Statement: "DROP TABLE tmp;"}
	_, err = hs.Apply(drop)
	if ue := userErr(t, err); ue.Field != "confirm" || !strings.Contains(ue.Message, "DROP TABLE") {
		t.Fatalf("unconfirmed drop: %+v", ue)
	}
	if !tableExists(t, testURL, "public.tmp") {
		t.Fatal("an unconfirmed drop ran")
	}
	drop.Confirm = true
	if _, err := hs.Apply(drop); err != nil || tableExists(t, testURL, "public.tmp") {
		t.Fatalf("confirmed drop: %v", err)
	}

	add := ApplyChangeRequest{DatabaseID: prodID, Version: "1", Type: "ddl", Statement: "CREATE TABLE audit (id int PRIMARY KEY);"}
	chk, err = hs.Check(add)
	if err != nil || !chk.NeedsConfirm || !chk.Production || chk.EnvironmentName != "Prod" || len(chk.Destructive) != 0 {
		t.Fatalf("prod check = %+v, %v", chk, err)
	}
	_, err = hs.Apply(add)
	if ue := userErr(t, err); ue.Field != "confirm" || !strings.Contains(ue.Message, "Prod") {
		t.Fatalf("unconfirmed prod apply: %+v", ue)
	}
	if tableExists(t, prodURL, "public.audit") {
		t.Fatal("an unconfirmed prod change ran")
	}
	add.Confirm = true
	if ch, err := hs.Apply(add); err != nil || ch.Status != "done" || !tableExists(t, prodURL, "public.audit") {
		t.Fatalf("confirmed prod apply: %+v, %v", ch, err)
	}

	// A baseline marks a database as at a version without running anything.
	freshID, freshURL := historyDB(t, h, "test", `CREATE TABLE legacy (id int PRIMARY KEY);`)
	_, err = hs.Apply(ApplyChangeRequest{DatabaseID: freshID, Version: "7", Type: "baseline", Statement: "DROP TABLE legacy;"})
	if ue := userErr(t, err); ue.Field != "statement" {
		t.Fatalf("baseline with a statement: %+v", ue)
	}
	base, err := hs.Apply(ApplyChangeRequest{DatabaseID: freshID, Version: "7", Type: "baseline", Description: "existing schema"})
	if err != nil || base.Type != "baseline" || base.Status != "done" || base.Version != "7" || base.BeforeSnapshotID == "" {
		t.Fatalf("baseline: %+v, %v", base, err)
	}
	if got := targetHistory(t, freshURL, "7"); len(got) != 1 || got[0].source != "baseline" || !tableExists(t, freshURL, "public.legacy") {
		t.Fatalf("baseline in the target: %+v", got)
	}
	_, err = hs.Apply(ApplyChangeRequest{DatabaseID: freshID, Version: "6", Type: "ddl", Statement: "CREATE TABLE x (id int PRIMARY KEY);"})
	if ue := userErr(t, err); ue.Field != "version" {
		t.Fatalf("version below the baseline: %+v", ue)
	}
}
