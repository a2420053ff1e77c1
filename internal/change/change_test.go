package change_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/change"
	"github.com/tidemark-dev/tidemark/internal/migrate"
	"github.com/tidemark-dev/tidemark/internal/pg"
	"github.com/tidemark-dev/tidemark/internal/pgtest"
	"github.com/tidemark-dev/tidemark/internal/schemasync"
	"github.com/tidemark-dev/tidemark/internal/schematree"
	"github.com/tidemark-dev/tidemark/internal/usererr"
	"github.com/tidemark-dev/tidemark/internal/workspace"
	"github.com/tidemark-dev/tidemark/internal/wstest"
)

var srv *pgtest.Server

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m, &srv)) }

func setup(t *testing.T, sql string) (*wstest.Fixture, *change.Service, workspace.Database, string) {
	t.Helper()
	f := wstest.New(t, srv)
	d, u := f.Database(t, sql)
	syncer := schemasync.New(f.WS, f.Conns)
	return f, change.New(f.WS, f.Conns, syncer), d, u
}

func field(t *testing.T, err error) *usererr.Error {
	t.Helper()
	var ue *usererr.Error
	if !errors.As(err, &ue) {
		t.Fatalf("error %v (%T) is not a *usererr.Error", err, err)
	}
	return ue
}

func count(t *testing.T, u, sql string) int {
	t.Helper()
	var n int
	if err := pgtest.Conn(t, u).QueryRow(context.Background(), sql).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestApplyRecordsChangeWithSnapshotsAndObjects(t *testing.T) {
	f, svc, d, u := setup(t, "CREATE TABLE accounts (id int PRIMARY KEY, name text);")
	ctx := context.Background()
	var steps []change.Step
	c, err := svc.Apply(ctx, change.Request{DatabaseID: d.ID, Version: "1", Type: "ddl", Description: "invoices",
		Statement: "CREATE TABLE invoices (id bigint PRIMARY KEY, account_id int REFERENCES accounts);\nALTER TABLE accounts ADD COLUMN email text;"},
		func(s change.Step) { steps = append(steps, s) })
	if err != nil {
		t.Fatal(err)
	}
	if c.Status != migrate.StatusDone || c.Source != workspace.SourceUI || c.SeenOnSync || c.BeforeSnapshotID == "" || c.AfterSnapshotID == "" ||
		c.BeforeSnapshotID == c.AfterSnapshotID || c.RunID == "" || !strings.HasPrefix(c.Checksum, migrate.ChecksumPrefix) ||
		c.AppliedBy == "" || c.Host == "" || c.Description != "invoices" {
		t.Fatalf("change = %+v", c)
	}
	if last := steps[len(steps)-1]; last.Done != last.Total || last.Name != "Done" {
		t.Fatalf("last progress step = %+v", last)
	}
	if n := count(t, u, "SELECT count(*) FROM tidemark.migration_history WHERE version = '1' AND status = 'done' AND source = 'ui'"); n != 1 {
		t.Fatalf("target history rows = %d", n)
	}
	det, err := svc.Detail(ctx, d.ID, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []schematree.Change{
		{Action: schematree.Altered, Kind: "table", Schema: "public", Name: "accounts"},
		{Action: schematree.Added, Kind: "table", Schema: "public", Name: "invoices"},
	}
	if !det.HasObjects || len(det.Objects) != len(want) || det.Objects[0] != want[0] || det.Objects[1] != want[1] {
		t.Fatalf("objects = %+v, want %+v", det.Objects, want)
	}
	if strings.Contains(det.AfterDDL, "tidemark") || strings.Contains(det.BeforeDDL, "invoices") {
		t.Fatalf("before/after DDL:\n%s\n---\n%s", det.BeforeDDL, det.AfterDDL)
	}
	// Aligned: the unchanged schema object comes first on both sides, at the same line.
	if strings.SplitN(det.BeforeDDL, "\n", 2)[0] != strings.SplitN(det.AfterDDL, "\n", 2)[0] {
		t.Fatalf("texts do not start alike:\n%s\n---\n%s", det.BeforeDDL, det.AfterDDL)
	}
	// A second change takes snapshots of its own: they differ by exactly its table.
	second, err := svc.Apply(ctx, change.Request{DatabaseID: d.ID, Version: "2", Type: "ddl", Statement: "CREATE TABLE payments (pay_id int PRIMARY KEY);"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if second.BeforeSnapshotID == c.AfterSnapshotID {
		t.Fatal("the second change reused the first one's snapshot instead of taking its own")
	}
	det2, err := svc.Detail(ctx, d.ID, second.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(det2.Objects) != 1 || det2.Objects[0] != (schematree.Change{Action: schematree.Added, Kind: "table", Schema: "public", Name: "payments"}) {
		t.Fatalf("objects of the second change = %+v", det2.Objects)
	}
	list, err := f.WS.ListChanges(ctx, d.ID)
	if err != nil || len(list) != 2 || list[0].ID != second.ID || list[1].ID != c.ID {
		t.Fatalf("workspace history = %+v, %v; want newest first", list, err)
	}
}

func TestApplyRefusesBeforeAnyWork(t *testing.T) {
	f, svc, d, u := setup(t, "CREATE TABLE t (id int);")
	ctx := context.Background()
	if _, err := svc.Apply(ctx, change.Request{DatabaseID: d.ID, Version: "2", Type: "ddl", Statement: "CREATE TABLE a (id int);"}, nil); err != nil {
		t.Fatal(err)
	}
	snaps := func() int {
		l, err := f.WS.ListSnapshots(ctx, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		return len(l)
	}
	before := snaps()
	cases := []struct {
		name  string
		req   change.Request
		field string
		msg   string
	}{
		{"applied version", change.Request{Version: "2", Type: "ddl", Statement: "SELECT 1;"}, "version", "already applied"},
		{"lower version", change.Request{Version: "1", Type: "ddl", Statement: "SELECT 1;"}, "version", "below the highest"},
		{"bad version", change.Request{Version: "x.y", Type: "ddl", Statement: "SELECT 1;"}, "version", "version"},
		{"bad type", change.Request{Version: "3", Type: "nope", Statement: "SELECT 1;"}, "type", "use ddl, dml or baseline"},
		{"baseline with statement", change.Request{Version: "3", Type: "baseline", Statement: "SELECT 1;"}, "statement", "baseline runs nothing"},
		{"baseline on a changed database", change.Request{Version: "3", Type: "baseline"}, "type", "already has changes"},
		{"syntax error", change.Request{Version: "3", Type: "ddl", Statement: "SELECT 1;\nCREATE TABLEX z ();"}, "statement", "2:"},
		{"destructive without confirm", change.Request{Version: "3", Type: "ddl", Statement: "SELECT 1;\nDROP TABLE t;"}, "confirm", "line 2: DROP TABLE"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.req.DatabaseID = d.ID
			_, err := svc.Apply(ctx, c.req, nil)
			ue := field(t, err)
			if ue.Field != c.field || !strings.Contains(ue.Message, c.msg) || (c.field == "version" && !strings.Contains(ue.Message, c.req.Version)) {
				t.Fatalf("error = %+v, want field %q and %q", ue, c.field, c.msg)
			}
		})
	}
	if got := snaps(); got != before {
		t.Fatalf("refused changes took snapshots: %d -> %d", before, got)
	}
	if n := count(t, u, "SELECT count(*) FROM pg_tables WHERE tablename = 't'"); n != 1 {
		t.Fatal("a refused change ran")
	}
	if n := count(t, u, "SELECT count(*) FROM tidemark.migration_history WHERE version <> '2'"); n != 0 {
		t.Fatalf("refused changes reached the target's history: %d rows", n)
	}
}

func TestDestructiveNeedsConfirmation(t *testing.T) {
	_, svc, d, u := setup(t, "CREATE TABLE logs (id int PRIMARY KEY); CREATE TABLE tmp (id int);")
	ctx := context.Background()
	chk, err := svc.Check(ctx, change.Request{DatabaseID: d.ID,
		Statement: "DELETE FROM logs WHERE id = 1;\nDELETE FROM logs;\nTRUNCATE tmp;\nDROP TABLE tmp;\nUPDATE logs SET id = 2 WHERE id = 3;"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, x := range chk.Destructive {
		got = append(got, x.String())
	}
	want := "line 2: DELETE without WHERE|line 3: TRUNCATE|line 4: DROP TABLE"
	if !chk.NeedsConfirm || chk.Production || strings.Join(got, "|") != want || chk.Environment.Name != "Test" {
		t.Fatalf("check = %+v (%q); want destructive %q in Test", chk, got, want)
	}
	if chk, err := svc.Check(ctx, change.Request{DatabaseID: d.ID, Statement: "CREATE TABLE x (id int);"}); err != nil || chk.NeedsConfirm {
		t.Fatalf("check of a harmless change in Test = %+v, %v", chk, err)
	}
	confirmed(t, svc, change.Request{DatabaseID: d.ID, Version: "1", Type: "ddl", Statement: "DROP TABLE tmp;"}, "line 1: DROP TABLE")
	if n := count(t, u, "SELECT count(*) FROM pg_tables WHERE tablename = 'tmp'"); n != 0 {
		t.Fatal("the confirmed drop did not run")
	}
}

// TestBaseline: a baseline marks a database as at a version without running
// anything; later versions must be above it.
func TestBaseline(t *testing.T) {
	_, svc, d, u := setup(t, "CREATE TABLE legacy (id int PRIMARY KEY);")
	ctx := context.Background()
	base, err := svc.Apply(ctx, change.Request{DatabaseID: d.ID, Version: "7", Type: "baseline", Description: "existing schema"}, nil)
	if err != nil || base.Type != "baseline" || base.Status != migrate.StatusDone || base.Version != "7" || base.BeforeSnapshotID == "" {
		t.Fatalf("baseline = %+v, %v", base, err)
	}
	if n := count(t, u, "SELECT count(*) FROM tidemark.migration_history WHERE version = '7' AND source = 'baseline' AND status = 'done'"); n != 1 {
		t.Fatalf("baseline rows in the target = %d", n)
	}
	if n := count(t, u, "SELECT count(*) FROM pg_tables WHERE tablename = 'legacy'"); n != 1 {
		t.Fatal("the baseline touched the schema")
	}
	_, err = svc.Apply(ctx, change.Request{DatabaseID: d.ID, Version: "6", Type: "ddl", Statement: "CREATE TABLE x (id int);"}, nil)
	if ue := field(t, err); ue.Field != "version" {
		t.Fatalf("version below the baseline: %+v", ue)
	}
}

// confirmed applies req: refused without Confirm (the message saying why),
// applied with it.
func confirmed(t *testing.T, svc *change.Service, req change.Request, why string) {
	t.Helper()
	ctx := context.Background()
	_, err := svc.Apply(ctx, req, nil)
	if ue := field(t, err); ue.Field != "confirm" || !strings.Contains(ue.Message, why) {
		t.Fatalf("unconfirmed: %+v, want %q", ue, why)
	}
	req.Confirm = true
	if _, err := svc.Apply(ctx, req, nil); err != nil {
		t.Fatal(err)
	}
}

func TestProductionNeedsConfirmation(t *testing.T) {
	f, svc, d, u := setup(t, "")
	d = f.Production(t, d)
	ctx := context.Background()
	chk, err := svc.Check(ctx, change.Request{DatabaseID: d.ID, Statement: "CREATE TABLE p (id int);"})
	if err != nil || !chk.Production || !chk.NeedsConfirm || len(chk.Destructive) != 0 || chk.Environment.ID != "prod" {
		t.Fatalf("check = %+v, %v", chk, err)
	}
	confirmed(t, svc, change.Request{DatabaseID: d.ID, Version: "1", Type: "ddl", Statement: "CREATE TABLE p (id int);"}, "production environment")
	if n := count(t, u, "SELECT count(*) FROM pg_tables WHERE tablename = 'p'"); n != 1 {
		t.Fatal("the confirmed change did not run")
	}
	// An environment that is not marked protected is not production, wherever it stands.
	env, err := f.WS.CreateEnvironment(ctx, "Staging")
	if err != nil {
		t.Fatal(err)
	}
	if env.Production() {
		t.Fatal("a new environment after Prod is production")
	}
}

func TestFailedChangeIsRecordedAsFailed(t *testing.T) {
	f, svc, d, u := setup(t, "CREATE TABLE t (id int);")
	ctx := context.Background()
	_, err := svc.Apply(ctx, change.Request{DatabaseID: d.ID, Version: "5", Type: "ddl",
		Statement: "CREATE TABLE ok (id int);\nINSERT INTO missing VALUES (1);"}, nil)
	ue := field(t, err)
	if ue.SQLState != "42P01" || ue.Field != "statement" || !strings.Contains(ue.Message, `"missing" does not exist`) ||
		!strings.Contains(ue.Detail, "Statement 2 of 2, line 2") || !strings.Contains(ue.Detail, "INSERT INTO missing") {
		t.Fatalf("error = %+v", ue)
	}
	if n := count(t, u, "SELECT count(*) FROM pg_tables WHERE tablename = 'ok'"); n != 0 {
		t.Fatal("the failed transactional change left its first statement")
	}
	if n := count(t, u, "SELECT count(*) FROM tidemark.migration_history WHERE version = '5' AND status = 'failed' AND error_sqlstate = '42P01'"); n != 1 {
		t.Fatalf("failed rows in the target = %d", n)
	}
	list, err := f.WS.ListChanges(ctx, d.ID)
	if err != nil || len(list) != 1 {
		t.Fatalf("workspace history = %+v, %v", list, err)
	}
	if c := list[0]; c.Status != migrate.StatusFailed || c.SQLState != "42P01" || c.FailedLine != 2 || c.AfterSnapshotID != "" ||
		c.BeforeSnapshotID == "" || c.Source != workspace.SourceUI {
		t.Fatalf("recorded failure = %+v", c)
	}
	// The version failed, so it can be fixed and applied.
	if c, err := svc.Apply(ctx, change.Request{DatabaseID: d.ID, Version: "5", Type: "ddl", Statement: "CREATE TABLE ok (id int);"}, nil); err != nil || c.Status != migrate.StatusDone {
		t.Fatalf("the fixed change = %+v, %v", c, err)
	}
}

func TestReconcileAttributesSources(t *testing.T) {
	_, svc, d, u := setup(t, "")
	ctx := context.Background()
	// A change applied by `tidemark database apply` on this machine.
	if _, err := svc.Apply(ctx, change.Request{DatabaseID: d.ID, Version: "1", Type: "ddl", Statement: "CREATE TABLE a (id int);",
		Source: workspace.SourceCLI}, nil); err != nil {
		t.Fatal(err)
	}
	// A migration file applied by someone else's runner, written straight to the target.
	cfg, _, err := pg.ParseConnString(u)
	if err != nil {
		t.Fatal(err)
	}
	r, err := migrate.NewRunnerConfig(cfg, migrate.Options{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := migrate.NewChangeMigration(migrate.Change{Version: "2", Type: migrate.TypeDDL, SQL: "CREATE TABLE b (id int);"})
	if err != nil {
		t.Fatal(err)
	}
	m.Source = migrate.SourceFile
	if _, err := r.Apply(ctx, []migrate.Migration{m}, migrate.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	// A change applied by a Tidemark on another machine.
	ci, err := migrate.NewRunnerConfig(cfg, migrate.Options{Host: "ci-runner-7", AppliedBy: "ci-bot"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ci.ApplyChange(ctx, migrate.Change{Version: "3", Type: migrate.TypeDDL, Description: "from ci", SQL: "CREATE TABLE c (id int);"}, migrate.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	for range 2 { // twice: nothing is added twice
		list, err := svc.Reconcile(ctx, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 3 || list[0].Version != "3" {
			t.Fatalf("history after Reconcile = %+v; want 3 rows, newest first", list)
		}
		got := map[string]workspace.Change{}
		for _, c := range list {
			got[c.Version] = c
		}
		if c := got["1"]; c.Source != workspace.SourceCLI || c.SeenOnSync || c.AfterSnapshotID == "" {
			t.Errorf("version 1 = %+v; want source cli, written by this workspace", c)
		}
		if c := got["2"]; c.Source != workspace.SourceCLI || !c.SeenOnSync {
			t.Errorf("version 2 = %+v; want source cli (a file on this host), seen on sync", c)
		}
		if c := got["3"]; c.Source != workspace.SourceOtherMachine || !c.SeenOnSync || c.Host != "ci-runner-7" || c.AppliedBy != "ci-bot" ||
			c.Status != migrate.StatusDone || c.Description != "from ci" || c.BeforeSnapshotID != "" {
			t.Errorf("version 3 = %+v; want the other machine's row", c)
		}
	}
	list, _ := svc.Reconcile(ctx, d.ID)
	det, err := svc.Detail(ctx, d.ID, list[0].ID)
	if err != nil || det.HasBefore || det.HasAfter || det.HasObjects || !strings.Contains(det.Change.Statement, "CREATE TABLE c") {
		t.Fatalf("detail of the other machine's row = %+v, %v", det, err)
	}
}
