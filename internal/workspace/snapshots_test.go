package workspace

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

func snapshotDBs(t *testing.T, s *Store, names ...string) (Instance, []Database) {
	t.Helper()
	ctx := context.Background()
	in, err := s.CreateInstance(ctx, Instance{Name: "pg", Host: "h", Port: 5432, User: "u"})
	if err != nil {
		t.Fatal(err)
	}
	infos := make([]DatabaseInfo, len(names))
	for i, n := range names {
		infos[i] = DatabaseInfo{Name: n}
	}
	dbs, err := s.ReplaceDatabases(ctx, in.ID, infos)
	if err != nil || len(dbs) != len(names) {
		t.Fatalf("databases: %v, %v", dbs, err)
	}
	return in, dbs
}

func TestSnapshotsRoundTripAndHistory(t *testing.T) {
	ctx := context.Background()
	s := open(t, t.TempDir(), OpenOptions{})
	_, dbs := snapshotDBs(t, s, "a", "b")
	a, b := dbs[0].ID, dbs[1].ID

	if _, err := s.LatestSnapshot(ctx, a); !errors.Is(err, ErrNotFound) {
		t.Fatalf("latest of a never-synced database: %v, want ErrNotFound", err)
	}
	if _, err := s.LatestSnapshotInfo(ctx, a); !errors.Is(err, ErrNotFound) {
		t.Fatalf("latest info of a never-synced database: %v, want ErrNotFound", err)
	}
	if st, err := s.SyncStatus(ctx, a); err != nil || !st.AttemptedAt.IsZero() || st.Error != "" {
		t.Fatalf("status before any sync: %+v, %v", st, err)
	}

	// Contents survive compression byte for byte, including a large, repetitive DDL.
	big := strings.Repeat("CREATE TABLE public.t (id integer);\n\n", 20000)
	base := time.Date(2026, 1, 2, 3, 4, 5, 678_000_000, time.UTC)
	var want []SnapshotInfo
	for i := 0; i < 3; i++ {
		snap := Snapshot{
			SnapshotInfo: SnapshotInfo{
				DatabaseID: a, TakenAt: base.Add(time.Duration(i) * time.Minute), Duration: 1234 * time.Millisecond,
				Fingerprint: fmt.Sprintf("fp%d", i), ServerVersion: 150014,
				Unsupported: []SnapshotObject{{Kind: "rule", Schema: "public", Name: "r", Detail: "rule r on t"}},
			},
			Model: []byte(fmt.Sprintf(`{"tables":[%d]}`, i)),
			DDL:   big + fmt.Sprint(i),
		}
		if i == 2 {
			snap.Skipped = []SnapshotObject{{Kind: "schema", Name: "secret", Detail: "permission denied"}}
		}
		info, err := s.AddSnapshot(ctx, snap)
		if err != nil {
			t.Fatal(err)
		}
		if info.ID == "" || info.ModelSize != len(snap.Model) || info.DDLSize != len(snap.DDL) || !info.TakenAt.Equal(snap.TakenAt) {
			t.Fatalf("stored info %+v", info)
		}
		got, err := s.GetSnapshot(ctx, info.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Model, snap.Model) || got.DDL != snap.DDL {
			t.Fatalf("snapshot %d contents changed in the store", i)
		}
		if !reflect.DeepEqual(got.SnapshotInfo, info) {
			t.Fatalf("get %+v\nwant %+v", got.SnapshotInfo, info)
		}
		want = append([]SnapshotInfo{info}, want...)
	}
	list, err := s.ListSnapshots(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(list, want) {
		t.Fatalf("list (newest first)\n got %+v\nwant %+v", list, want)
	}
	if len(list[0].Skipped) != 1 || list[0].Skipped[0].Name != "secret" || len(list[1].Skipped) != 0 || list[1].Skipped == nil {
		t.Fatalf("skipped schemas: %+v / %+v", list[0].Skipped, list[1].Skipped)
	}
	latest, err := s.LatestSnapshot(ctx, a)
	if err != nil || latest.ID != want[0].ID || string(latest.Model) != `{"tables":[2]}` {
		t.Fatalf("latest = %+v, %v", latest.SnapshotInfo, err)
	}
	if li, err := s.LatestSnapshotInfo(ctx, a); err != nil || !reflect.DeepEqual(li, want[0]) {
		t.Fatalf("latest info = %+v, %v", li, err)
	}
	// Other databases are not affected.
	if l, err := s.ListSnapshots(ctx, b); err != nil || len(l) != 0 {
		t.Fatalf("b's snapshots: %v, %v", l, err)
	}
	// The store is compressed: far smaller than the DDL it holds.
	var stored int
	if err := s.DB().QueryRowContext(ctx, `SELECT sum(length(ddl_gz)) FROM schema_snapshots`).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if stored*10 > 3*len(big) {
		t.Fatalf("stored %d bytes for 3 × %d bytes of DDL: not compressed", stored, len(big))
	}
	if _, err := s.GetSnapshot(ctx, "nope"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown snapshot: %v", err)
	}
}

func TestSnapshotSameSecondOrderedByInsertion(t *testing.T) {
	ctx := context.Background()
	s := open(t, t.TempDir(), OpenOptions{})
	_, dbs := snapshotDBs(t, s, "a")
	at := time.Now()
	var last string
	for i := 0; i < 3; i++ {
		info, err := s.AddSnapshot(ctx, Snapshot{SnapshotInfo: SnapshotInfo{DatabaseID: dbs[0].ID, TakenAt: at, Fingerprint: fmt.Sprint(i)}})
		if err != nil {
			t.Fatal(err)
		}
		last = info.ID
	}
	if l, _ := s.LatestSnapshotInfo(ctx, dbs[0].ID); l.ID != last || l.Fingerprint != "2" {
		t.Fatalf("latest of same-millisecond snapshots = %+v, want the last added", l)
	}
}

func TestSyncFailureKeepsSnapshots(t *testing.T) {
	ctx := context.Background()
	s := open(t, t.TempDir(), OpenOptions{})
	in, dbs := snapshotDBs(t, s, "a")
	a := dbs[0].ID
	first, err := s.AddSnapshot(ctx, Snapshot{SnapshotInfo: SnapshotInfo{DatabaseID: a, Fingerprint: "f"}, Model: []byte("{}"), DDL: "x"})
	if err != nil {
		t.Fatal(err)
	}
	st, err := s.SyncStatus(ctx, a)
	if err != nil || st.Error != "" || st.AttemptedAt.IsZero() {
		t.Fatalf("status after a success: %+v, %v", st, err)
	}
	at := time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)
	if err := s.RecordSyncFailure(ctx, a, at, `database "a" does not exist`, "3D000"); err != nil {
		t.Fatal(err)
	}
	st, err = s.SyncStatus(ctx, a)
	if err != nil || st.Error != `database "a" does not exist` || st.SQLState != "3D000" || !st.AttemptedAt.Equal(at) {
		t.Fatalf("status after a failure: %+v, %v", st, err)
	}
	if l, err := s.LatestSnapshotInfo(ctx, a); err != nil || l.ID != first.ID {
		t.Fatalf("the previous snapshot is gone: %+v, %v", l, err)
	}
	// A later success clears the failure.
	if _, err := s.AddSnapshot(ctx, Snapshot{SnapshotInfo: SnapshotInfo{DatabaseID: a, Fingerprint: "g"}}); err != nil {
		t.Fatal(err)
	}
	if st, _ := s.SyncStatus(ctx, a); st.Error != "" || st.SQLState != "" {
		t.Fatalf("status after recovering: %+v", st)
	}
	// Bad input.
	if err := s.RecordSyncFailure(ctx, a, at, "", ""); !errors.Is(err, ErrInvalid) {
		t.Fatalf("empty message: %v", err)
	}
	if err := s.RecordSyncFailure(ctx, "nope", at, "x", ""); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown database: %v", err)
	}
	if _, err := s.AddSnapshot(ctx, Snapshot{SnapshotInfo: SnapshotInfo{DatabaseID: "nope"}}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("snapshot of an unknown database: %v", err)
	}
	if _, err := s.AddSnapshot(ctx, Snapshot{}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("snapshot without a database: %v", err)
	}
	// Removing the instance removes its databases' snapshots and status.
	if err := s.DeleteInstance(ctx, in.ID); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := s.DB().QueryRowContext(ctx, `SELECT (SELECT count(*) FROM schema_snapshots) + (SELECT count(*) FROM schema_sync_status)`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("rows left after removing the instance: %d, %v", n, err)
	}
}
