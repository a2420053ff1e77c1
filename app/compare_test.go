package app

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/pgtest"
	"github.com/tidemark-dev/tidemark/internal/workspace"
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

func TestCompareDatabasesPlansValidatesAndWarns(t *testing.T) {
	f := newCompareFixture(t, true, map[string]string{"a": baseDDL, "b": changeDDL})
	cs := f.h.app.Compare()

	r, err := cs.Compare(CompareRequest{Source: f.db("a"), Target: f.db("b")})
	if err != nil {
		t.Fatal(err)
	}
	if r.Identical || r.Validation.Status != ValidationValidated || len(r.Validation.Refusals) != 0 {
		t.Fatalf("result: identical=%v validation=%+v", r.Identical, r.Validation)
	}
	add, ok := findStatement(r, "ADD COLUMN price numeric")
	if !ok || !add.Transactional {
		t.Fatalf("no transactional ADD COLUMN in %+v", r.Statements)
	}
	idx, ok := findStatement(r, "CREATE INDEX items_name_idx")
	if !ok || !strings.Contains(strings.Join(hazardTypes(idx), ","), "builds_index") {
		t.Fatalf("index statement %+v (found %v)", idx, ok)
	}
	if !strings.Contains(r.SourceDDL, "CREATE TABLE public.items") || strings.Contains(r.SourceDDL, "price") ||
		!strings.Contains(r.TargetDDL, "price numeric") || !strings.Contains(r.TargetDDL, "items_name_idx") {
		t.Fatalf("DDL:\n%s\n---\n%s", r.SourceDDL, r.TargetDDL)
	}
	if !strings.Contains(r.Script, "-- hazard builds_index") || !strings.Contains(r.Script, "ADD COLUMN price numeric;") {
		t.Fatalf("script:\n%s", r.Script)
	}
	if !strings.HasPrefix(r.SourceLabel, "Local / ") || r.Unsupported == nil || r.ColumnOrder == nil {
		t.Fatalf("label %q unsupported %v column order %v", r.SourceLabel, r.Unsupported, r.ColumnOrder)
	}
	// One progress task per comparison, through the four steps, finished without error.
	var steps []string
	for _, p := range f.h.progress() {
		if p.ID == "compare" {
			steps = append(steps, p.Step)
		}
	}
	want := "Inspecting the source|Inspecting the target|Planning the migration|Validating the plan on a scratch database|Done"
	if strings.Join(steps, "|") != want {
		t.Fatalf("progress steps %q", steps)
	}

	// The other way round drops the column and the index: data loss is flagged.
	back, err := cs.Compare(CompareRequest{Source: f.db("b"), Target: f.db("a")})
	if err != nil {
		t.Fatal(err)
	}
	drop, ok := findStatement(back, "DROP COLUMN price")
	if !ok || !strings.Contains(strings.Join(hazardTypes(drop), ","), "deletes_data") || back.Validation.Status != ValidationValidated {
		t.Fatalf("drop column %+v; validation %+v", drop, back.Validation)
	}

	// Online mode builds the index concurrently, outside a transaction, with timeouts.
	on, err := cs.Compare(CompareRequest{Source: f.db("a"), Target: f.db("b"), Online: true})
	if err != nil {
		t.Fatal(err)
	}
	conc, ok := findStatement(on, "CREATE INDEX CONCURRENTLY")
	if !ok || conc.Transactional || conc.LockTimeoutMs <= 0 || !on.Online || on.Validation.Status != ValidationValidated {
		t.Fatalf("online index %+v; validation %+v", conc, on.Validation)
	}
}

func TestCompareIdenticalIsEmpty(t *testing.T) {
	f := newCompareFixture(t, true, map[string]string{"a": changeDDL, "b": changeDDL})
	r, err := f.h.app.Compare().Compare(CompareRequest{Source: f.db("a"), Target: f.db("b")})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Identical || len(r.Statements) != 0 || r.Validation.Status != ValidationValidated || r.SourceDDL != r.TargetDDL {
		t.Fatalf("identical: %+v", r)
	}
	if !strings.Contains(r.Script, "No changes") {
		t.Fatalf("script %q", r.Script)
	}
}

func TestCompareWithoutScratchServer(t *testing.T) {
	f := newCompareFixture(t, false, map[string]string{"a": baseDDL, "b": changeDDL})
	cs := f.h.app.Compare()
	// Two databases still compare; validation is skipped, saying how to enable it.
	r, err := cs.Compare(CompareRequest{Source: f.db("a"), Target: f.db("b")})
	if err != nil {
		t.Fatal(err)
	}
	if r.Validation.Status != ValidationSkipped || !strings.Contains(r.Validation.Reason, "start the sample instance") || len(r.Statements) == 0 {
		t.Fatalf("validation %+v, %d statements", r.Validation, len(r.Statements))
	}
	// SQL needs a scratch database to load into: a clear error.
	_, err = cs.Compare(CompareRequest{Source: CompareSide{Kind: SideFile, SQL: baseDDL}, Target: f.db("b")})
	if ue := userErr(t, err); ue.Field != "source" || !strings.Contains(ue.Message, "start the sample instance") {
		t.Fatalf("no scratch: %+v", ue)
	}
	if st, _ := cs.Settings(); st.ScratchInstanceID != "" {
		t.Fatalf("settings %+v", st)
	}
}

func TestCompareFileSideThroughScratchServer(t *testing.T) {
	f := newCompareFixture(t, true, map[string]string{"b": changeDDL})
	cs := f.h.app.Compare()
	path := filepath.Join(t.TempDir(), "items.sql")
	if err := os.WriteFile(path, []byte(baseDDL+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := cs.Compare(CompareRequest{Source: CompareSide{Kind: SideFile, Path: path}, Target: f.db("b")})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := findStatement(r, "ADD COLUMN price"); !ok || r.SourceLabel != "items.sql" || r.Validation.Status != ValidationValidated {
		t.Fatalf("file side: %+v", r)
	}
	// Pasted SQL wins over the path and is labelled as such; identical to the database.
	r, err = cs.Compare(CompareRequest{Source: CompareSide{Kind: SideFile, SQL: changeDDL, Path: path}, Target: f.db("b")})
	if err != nil || !r.Identical || r.SourceLabel != "pasted SQL" {
		t.Fatalf("pasted: %+v %v", r, err)
	}
	// An unparseable file: PostgreSQL's message, the file and line, the SQLSTATE.
	bad := "CREATE TABLE ok (id int);\nCREATE TABEL broken (id int);\n"
	if err := os.WriteFile(path, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = cs.Compare(CompareRequest{Source: f.db("b"), Target: CompareSide{Kind: SideFile, Path: path}})
	if ue := userErr(t, err); ue.SQLState != "42601" || !strings.HasPrefix(ue.Message, path+":2: syntax error") {
		t.Fatalf("bad file: %+v", ue)
	}
	// No scratch database is left behind.
	c := pgtest.Conn(t, pgsrv.AdminURL)
	var n int
	if err := c.QueryRow(context.Background(), "SELECT count(*) FROM pg_database WHERE datname LIKE 'tidemark_scratch_%'").Scan(&n); err != nil || n != 0 {
		t.Fatalf("scratch databases left: %d %v", n, err)
	}
	// A missing file names the side.
	_, err = cs.Compare(CompareRequest{Source: CompareSide{Kind: SideFile, Path: filepath.Join(t.TempDir(), "nope.sql")}, Target: f.db("b")})
	if ue := userErr(t, err); ue.Field != "source" || !strings.Contains(ue.Message, "no such file") {
		t.Fatalf("missing file: %+v", ue)
	}
}

func TestCompareScratchServerWithoutCreateDB(t *testing.T) {
	f := newCompareFixture(t, false, map[string]string{"b": changeDDL})
	pgtest.MustExec(t, pgsrv.AdminURL, "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tm_nocreate') THEN CREATE ROLE tm_nocreate LOGIN; END IF; END $$")
	in := pgInput(t, "Weak")
	in.User = "tm_nocreate"
	weak, err := f.h.app.Instances().Create(in)
	if err != nil {
		t.Fatal(err)
	}
	cs := f.h.app.Compare()
	if st, err := cs.SetScratchInstance(weak.ID); err != nil || st.ScratchInstanceID != weak.ID {
		t.Fatalf("set scratch: %+v %v", st, err)
	}
	_, err = cs.Compare(CompareRequest{Source: CompareSide{Kind: SideFile, SQL: baseDDL}, Target: f.db("b")})
	ue := userErr(t, err)
	if ue.SQLState != "42501" || !strings.Contains(ue.Message, "pasted SQL into a scratch database on Weak") || !strings.Contains(ue.Message, "permission denied to create database") {
		t.Fatalf("no CREATEDB: %+v", ue)
	}
	// Two databases still compare; the validation that could not run is said to be skipped, with why.
	r, err := cs.Compare(CompareRequest{Source: f.db("b"), Target: f.db("b")})
	if err != nil {
		t.Fatal(err)
	}
	if r.Validation.Status != ValidationSkipped || !strings.Contains(r.Validation.Reason, "could not be validated on Weak") {
		t.Fatalf("validation %+v", r.Validation)
	}
	// The failed comparison finished its progress task with the error.
	var last Progress
	for _, p := range f.h.progress() {
		if p.ID == "compare" && p.Error != "" {
			last = p
		}
	}
	if !last.Finished || !strings.Contains(last.Error, "SQLSTATE 42501") {
		t.Fatalf("progress %+v", last)
	}
}

func TestCompareRefusalSurfacesTheEngine(t *testing.T) {
	// A domain whose base type changes must be dropped and re-created, and a
	// table column uses it: the engine refuses rather than lose the table.
	from := "CREATE DOMAIN public.amount AS integer; CREATE TABLE public.orders (id integer PRIMARY KEY, total public.amount);"
	to := "CREATE DOMAIN public.amount AS bigint; CREATE TABLE public.orders (id integer PRIMARY KEY, total public.amount);"
	f := newCompareFixture(t, true, map[string]string{"a": from, "b": to})
	r, err := f.h.app.Compare().Compare(CompareRequest{Source: f.db("a"), Target: f.db("b")})
	if err != nil {
		t.Fatal(err)
	}
	if r.Validation.Status != ValidationRefused || len(r.Validation.Refusals) == 0 || len(r.Statements) != 0 || r.Script != "" || r.Identical {
		t.Fatalf("refusal: %+v", r)
	}
	found := false
	for _, x := range r.Validation.Refusals {
		if strings.Contains(x.Object, "orders") && strings.Contains(x.Reason, "amount") {
			found = true
		}
	}
	if !found {
		t.Fatalf("refusals %+v do not name the table and its cause", r.Validation.Refusals)
	}
	if !strings.Contains(r.TargetDDL, "bigint") {
		t.Fatalf("the DDL of both sides is still shown: %q", r.TargetDDL)
	}
}

func TestCompareSnapshotSide(t *testing.T) {
	f := newCompareFixture(t, true, map[string]string{"a": baseDDL, "b": changeDDL})
	ctx := context.Background()
	// Snapshot database a as the schema sync stores it: the model as JSON.
	d, err := f.h.app.ws.GetDatabase(ctx, f.ids["a"])
	if err != nil {
		t.Fatal(err)
	}
	c := pgtest.Conn(t, pgsrv.DBURL(d.Name))
	res, err := catalog.Inspect(ctx, c, catalog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	model, _ := json.Marshal(res.Schema)
	info, err := f.h.app.ws.AddSnapshot(ctx, workspace.Snapshot{SnapshotInfo: workspace.SnapshotInfo{DatabaseID: d.ID, Fingerprint: res.Fingerprint,
		Unsupported: []workspace.SnapshotObject{{Kind: "rule", Schema: "public", Name: "r1", Detail: "rule r1 on items"}}}, Model: model})
	if err != nil {
		t.Fatal(err)
	}
	cs := f.h.app.Compare()
	snaps, err := cs.Snapshots(d.ID)
	if err != nil || len(snaps) != 1 || snaps[0].ID != info.ID || snaps[0].TakenAt == "" {
		t.Fatalf("snapshots %+v %v", snaps, err)
	}
	// The database changes after the snapshot: comparing the snapshot with the database shows it.
	pgtest.MustExec(t, pgsrv.DBURL(d.Name), "ALTER TABLE public.items ADD COLUMN price numeric")
	r, err := cs.Compare(CompareRequest{Source: CompareSide{Kind: SideSnapshot, SnapshotID: info.ID}, Target: f.db("a")})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := findStatement(r, "ADD COLUMN price"); !ok || r.Validation.Status != ValidationValidated || !strings.Contains(r.SourceLabel, "snapshot") {
		t.Fatalf("snapshot vs database: %+v", r)
	}
	if len(r.Unsupported) != 1 || r.Unsupported[0].Side != "source" || r.Unsupported[0].Name != "r1" {
		t.Fatalf("unsupported %+v", r.Unsupported)
	}
	// A whole inspection result stored as the model works as well.
	full, _ := json.Marshal(res)
	info2, err := f.h.app.ws.AddSnapshot(ctx, workspace.Snapshot{SnapshotInfo: workspace.SnapshotInfo{DatabaseID: d.ID, Fingerprint: res.Fingerprint}, Model: full})
	if err != nil {
		t.Fatal(err)
	}
	r, err = cs.Compare(CompareRequest{Source: CompareSide{Kind: SideSnapshot, SnapshotID: info2.ID}, Target: CompareSide{Kind: SideSnapshot, SnapshotID: info.ID}})
	if err != nil || !r.Identical {
		t.Fatalf("snapshot vs same snapshot: %+v %v", r, err)
	}
	_, err = cs.Compare(CompareRequest{Source: CompareSide{Kind: SideSnapshot, SnapshotID: "nope"}, Target: f.db("a")})
	if ue := userErr(t, err); !strings.Contains(ue.Message, "snapshot") {
		t.Fatalf("unknown snapshot: %+v", ue)
	}
}

func TestCompareBadRequests(t *testing.T) {
	h := newApp(t, "", false)
	cs := h.app.Compare()
	for _, tc := range []struct {
		req   CompareRequest
		field string
		msg   string
	}{
		{CompareRequest{}, "source", "choose the source"},
		{CompareRequest{Source: CompareSide{Kind: SideDatabase, DatabaseID: "x"}, Target: CompareSide{Kind: "table"}}, "target", `unknown target kind "table"`},
		{CompareRequest{Source: CompareSide{Kind: SideFile, SQL: "  "}, Target: CompareSide{Kind: SideDatabase, DatabaseID: "x"}}, "source", "paste SQL"},
		{CompareRequest{Source: CompareSide{Kind: SideDatabase, DatabaseID: "x"}, Target: CompareSide{Kind: SideSnapshot}}, "target", "choose the target snapshot"},
	} {
		_, err := cs.Compare(tc.req)
		if ue := userErr(t, err); ue.Field != tc.field || !strings.Contains(ue.Message, tc.msg) {
			t.Errorf("%+v: %+v", tc.req, ue)
		}
	}
	_, err := cs.Compare(CompareRequest{Source: CompareSide{Kind: SideDatabase, DatabaseID: "missing"}, Target: CompareSide{Kind: SideDatabase, DatabaseID: "missing"}})
	if ue := userErr(t, err); !strings.Contains(ue.Message, "source database") {
		t.Fatalf("unknown database: %+v", ue)
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
