package app

import (
	"testing"

	"github.com/tidemark-dev/tidemark/internal/pgtest"
)

// Sync now refreshes each database, storing a snapshot only when the schema
// changed; the interval is per instance and validated.
func TestMonitorSyncNowAndInterval(t *testing.T) {
	h := newApp(t, t.TempDir(), false)
	dbID, dbURL := registerDB(t, h, "test", `CREATE TABLE t1 (id int)`)
	list, err := h.app.Instances().List()
	if err != nil || len(list) != 1 {
		t.Fatalf("instances %v %v", list, err)
	}
	inst := list[0].ID
	if m, err := h.app.Monitor().SyncInterval(inst); err != nil || m != 10 {
		t.Fatalf("default interval %d %v, want 10", m, err)
	}
	if err := h.app.Monitor().SetSyncInterval(inst, 30); err != nil {
		t.Fatal(err)
	}
	if m, _ := h.app.Monitor().SyncInterval(inst); m != 30 {
		t.Fatalf("interval %d after setting 30", m)
	}
	if err := h.app.Monitor().SetSyncInterval(inst, 7); err == nil {
		t.Fatal("interval 7 accepted")
	}
	stored := func(want bool) {
		t.Helper()
		r, err := h.app.Monitor().SyncNow(inst)
		if err != nil || r.Error != "" {
			t.Fatalf("sync now: %+v %v", r, err)
		}
		for _, d := range r.Databases {
			if d.DatabaseID == dbID {
				if d.Stored != want || d.Error != "" {
					t.Fatalf("database result %+v, want stored=%v", d, want)
				}
				return
			}
		}
		t.Fatalf("database not in %+v", r)
	}
	stored(true)
	stored(false)
	pgtest.MustExec(t, dbURL, `ALTER TABLE t1 ADD COLUMN age integer`)
	stored(true)
}
