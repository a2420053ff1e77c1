package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/tidemark-dev/tidemark/internal/pgtest"
)

// compareFixture is an app with the pgtest server registered as an instance
// (superuser, so it can also hold scratch databases) and a few databases.
type compareFixture struct {
	h    *harness
	inst Instance
	ids  map[string]string // database name -> id
}

// newCompareFixture creates one database per DDL script, syncs the instance
// and returns the databases' ids by the keys of ddl.
func newCompareFixture(t *testing.T, scratch bool, ddl map[string]string) *compareFixture {
	t.Helper()
	h := newApp(t, "", false)
	inst, err := h.app.Instances().Create(pgInput(t, "Local"))
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for key, sql := range ddl {
		u := pgsrv.NewDB(t)
		if sql != "" {
			pgtest.MustExec(t, u, sql)
		}
		names[strings.TrimPrefix(mustParse(t, u).Path, "/")] = key
	}
	dbs, err := h.app.Instances().Sync(inst.ID)
	if err != nil {
		t.Fatal(err)
	}
	f := &compareFixture{h: h, inst: inst, ids: map[string]string{}}
	for _, d := range dbs {
		if key, ok := names[d.Name]; ok {
			f.ids[key] = d.ID
		}
	}
	if len(f.ids) != len(ddl) {
		t.Fatalf("synced %d of %d databases", len(f.ids), len(ddl))
	}
	if scratch {
		if _, err := h.app.Compare().SetScratchInstance(inst.ID); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func (f *compareFixture) db(key string) CompareSide {
	return CompareSide{Kind: SideDatabase, DatabaseID: f.ids[key]}
}

const (
	baseDDL   = "CREATE TABLE public.items (id integer PRIMARY KEY, name text NOT NULL);"
	changeDDL = baseDDL + " ALTER TABLE public.items ADD COLUMN price numeric; CREATE INDEX items_name_idx ON public.items (name);"
)

func hazardTypes(st CompareStatement) []string {
	var out []string
	for _, h := range st.Hazards {
		if h.Message == "" {
			return []string{"hazard " + h.Type + " without a message"}
		}
		out = append(out, h.Type)
	}
	return out
}

func findStatement(r CompareResult, sub string) (CompareStatement, bool) {
	for _, st := range r.Statements {
		if strings.Contains(st.SQL, sub) {
			return st, true
		}
	}
	return CompareStatement{}, false
}

// TestCompareBinding: CompareService maps its sides into compare.Request,
// the result into the wire types (statements with hazards and timeouts in
// milliseconds, both sides' DDL, the script, validation, unsupported objects
// by side), the steps into progress events and failures into wire errors;
// and its scratch setting decides where SQL is loaded. The comparisons
// themselves are tested in internal/compare.
func TestCompareBinding(t *testing.T) {
	f := newCompareFixture(t, true, map[string]string{
		"a":    baseDDL + " CREATE CONVERSION public.items_keep FOR 'LATIN1' TO 'UTF8' FROM pg_catalog.iso8859_1_to_utf8;",
		"b":    changeDDL,
		"from": "CREATE DOMAIN public.amount AS integer; CREATE TABLE public.orders (id integer PRIMARY KEY, total public.amount);",
		"to":   "CREATE DOMAIN public.amount AS bigint; CREATE TABLE public.orders (id integer PRIMARY KEY, total public.amount);",
	})
	cs := f.h.app.Compare()
	if st, err := cs.Settings(); err != nil || st.ScratchInstanceID != f.inst.ID {
		t.Fatalf("settings %+v, %v", st, err)
	}

	r, err := cs.Compare(CompareRequest{Source: f.db("a"), Target: f.db("b"), Online: true})
	if err != nil {
		t.Fatal(err)
	}
	if r.Identical || !r.Online || r.Validation.Status != ValidationValidated || r.Validation.Refusals == nil || r.Notes == nil || r.ColumnOrder == nil ||
		!strings.HasPrefix(r.SourceLabel, "Local / ") || !strings.HasPrefix(r.TargetLabel, "Local / ") {
		t.Fatalf("result: %+v", r)
	}
	add, ok := findStatement(r, "ADD COLUMN price numeric")
	if !ok || !add.Transactional || add.Object == "" {
		t.Fatalf("no transactional ADD COLUMN in %+v", r.Statements)
	}
	idx, ok := findStatement(r, "CREATE INDEX CONCURRENTLY items_name_idx")
	if !ok || idx.Transactional || idx.LockTimeoutMs <= 0 || idx.StatementTimeoutMs < 0 || !strings.Contains(strings.Join(hazardTypes(idx), ","), "builds_index") {
		t.Fatalf("online index statement %+v (found %v)", idx, ok)
	}
	if !strings.Contains(r.SourceDDL, "CREATE TABLE public.items") || strings.Contains(r.SourceDDL, "price") || !strings.Contains(r.TargetDDL, "price numeric") ||
		!strings.Contains(r.Script, "-- hazard builds_index") || !strings.Contains(r.Script, "ADD COLUMN price numeric;") {
		t.Fatalf("DDL:\n%s\n---\n%s\nscript:\n%s", r.SourceDDL, r.TargetDDL, r.Script)
	}
	if len(r.Unsupported) != 1 || r.Unsupported[0].Side != "source" || r.Unsupported[0].Kind != "conversion" || r.Unsupported[0].Name == "" {
		t.Fatalf("unsupported %+v", r.Unsupported)
	}
	var steps []string
	for _, p := range f.h.progress() {
		if p.ID == "compare" {
			steps = append(steps, p.Step)
		}
	}
	if want := "Inspecting the source|Inspecting the target|Planning the migration|Validating the plan on a scratch database|Done"; strings.Join(steps, "|") != want {
		t.Fatalf("progress steps %q", steps)
	}

	// A snapshot side (the snapshots the schema sync takes) and pasted SQL
	// loaded on the scratch server: identical to the database; privileges,
	// asked for, are left out with a note since a side is SQL.
	if _, err := f.h.app.Schema().Sync(f.ids["b"]); err != nil {
		t.Fatal(err)
	}
	snaps, err := cs.Snapshots(f.ids["b"])
	if err != nil || len(snaps) != 1 || snaps[0].ID == "" || snaps[0].DatabaseID != f.ids["b"] || snaps[0].TakenAt == "" || snaps[0].Fingerprint == "" {
		t.Fatalf("snapshots %+v %v", snaps, err)
	}
	same, err := cs.Compare(CompareRequest{Source: CompareSide{Kind: SideSnapshot, SnapshotID: snaps[0].ID}, Target: CompareSide{Kind: SideFile, SQL: changeDDL}, IncludePrivileges: true})
	if err != nil || !same.Identical || len(same.Statements) != 0 || same.Statements == nil || !strings.Contains(same.SourceLabel, "snapshot") ||
		same.TargetLabel != "pasted SQL" || len(same.Notes) == 0 || !strings.Contains(same.Script, "No changes") {
		t.Fatalf("snapshot vs pasted SQL: %+v, %v", same, err)
	}

	// A refused plan offers neither statements nor a script.
	ref, err := cs.Compare(CompareRequest{Source: f.db("from"), Target: f.db("to")})
	if err != nil || ref.Validation.Status != ValidationRefused || len(ref.Validation.Refusals) == 0 || ref.Validation.Refusals[0].Reason == "" ||
		len(ref.Statements) != 0 || ref.Script != "" || ref.Identical || !strings.Contains(ref.TargetDDL, "bigint") {
		t.Fatalf("refusal: %+v, %v", ref, err)
	}

	// Failures: a rejected SQL side with PostgreSQL's SQLSTATE (and the
	// progress task finished with it), a bad request naming its field.
	_, err = cs.Compare(CompareRequest{Source: f.db("b"), Target: CompareSide{Kind: SideFile, SQL: "SELECT 1;\nCREATE TABEL broken (id int);"}})
	if ue := userErr(t, err); ue.SQLState != "42601" || !strings.HasPrefix(ue.Message, "pasted SQL:2: syntax error") {
		t.Fatalf("rejected SQL: %+v", ue)
	}
	ev := f.h.progress()
	if last := ev[len(ev)-1]; last.ID != "compare" || !last.Finished || !strings.Contains(last.Error, "42601") {
		t.Fatalf("last progress %+v", last)
	}
	if _, err := cs.Compare(CompareRequest{Target: f.db("b")}); userErr(t, err).Field != "source" {
		t.Fatalf("no source: %v", err)
	}

	// Without a scratch server (no instance chosen, the sample stopped) the
	// databases still compare, unvalidated, and SQL cannot be loaded.
	if st, err := cs.SetScratchInstance(""); err != nil || st.ScratchInstanceID != "" {
		t.Fatalf("clear scratch: %+v %v", st, err)
	}
	if st, _ := cs.Settings(); st.ScratchInstanceID != "" {
		t.Fatalf("settings after clearing %+v", st)
	}
	r, err = cs.Compare(CompareRequest{Source: f.db("a"), Target: f.db("b")})
	if err != nil || r.Validation.Status != ValidationSkipped || !strings.Contains(r.Validation.Reason, "start the sample instance") || len(r.Statements) == 0 {
		t.Fatalf("without scratch: %+v, %v", r.Validation, err)
	}
	_, err = cs.Compare(CompareRequest{Source: CompareSide{Kind: SideFile, SQL: baseDDL}, Target: f.db("b")})
	if ue := userErr(t, err); ue.Field != "source" || !strings.Contains(ue.Message, "start the sample instance") {
		t.Fatalf("SQL without scratch: %+v", ue)
	}
	if _, err := cs.SetScratchInstance("missing"); err == nil {
		t.Fatal("an unknown scratch instance was accepted")
	}
}

type fakeDialogs struct {
	path  string
	saved runtime.SaveDialogOptions
}

func (d *fakeDialogs) save(_ context.Context, o runtime.SaveDialogOptions) (string, error) {
	d.saved = o
	return d.path, nil
}
func (d *fakeDialogs) open(context.Context, runtime.OpenDialogOptions) (string, error) {
	return d.path, nil
}

func TestSaveMigrationAndPickFile(t *testing.T) {
	h := newApp(t, "", false)
	cs := h.app.Compare()
	// Without the window there is no dialog: a clear error, never a crash.
	if _, err := cs.SaveMigration("SELECT 1;", "m.sql"); !strings.Contains(userErr(t, err).Message, "needs the Tidemark window") {
		t.Fatalf("headless save: %v", err)
	}
	if _, err := cs.PickFile(); !strings.Contains(userErr(t, err).Message, "needs the Tidemark window") {
		t.Fatalf("headless pick: %v", err)
	}
	d := &fakeDialogs{path: filepath.Join(t.TempDir(), "out.sql")}
	cs.dialogs = d
	p, err := cs.SaveMigration("ALTER TABLE t ADD COLUMN c int;\n", "")
	if err != nil || p != d.path || d.saved.DefaultFilename != "migration.sql" {
		t.Fatalf("save: %q %v %+v", p, err, d.saved)
	}
	if b, _ := os.ReadFile(p); string(b) != "ALTER TABLE t ADD COLUMN c int;\n" {
		t.Fatalf("saved %q", b)
	}
	if got, err := cs.PickFile(); err != nil || got != d.path {
		t.Fatalf("pick: %q %v", got, err)
	}
	d.path = "" // cancelled
	if p, err := cs.SaveMigration("x", "a.sql"); p != "" || err != nil {
		t.Fatalf("cancelled save: %q %v", p, err)
	}
}
