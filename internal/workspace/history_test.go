package workspace

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"
)

func TestChangeHistoryRoundTrip(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := open(t, dir, OpenOptions{})
	_, dbs := snapshotDBs(t, s, "shop", "other")
	db := dbs[0].ID
	before, err := s.AddSnapshot(ctx, Snapshot{SnapshotInfo: SnapshotInfo{DatabaseID: db, Fingerprint: "b"}, DDL: "CREATE TABLE a (id int);\n"})
	if err != nil {
		t.Fatal(err)
	}
	after, err := s.AddSnapshot(ctx, Snapshot{SnapshotInfo: SnapshotInfo{DatabaseID: db, Fingerprint: "a"}, DDL: "CREATE TABLE a (id int);\nCREATE TABLE b (id int);\n"})
	if err != nil {
		t.Fatal(err)
	}

	if got, err := s.ListChanges(ctx, db); err != nil || len(got) != 0 || got == nil {
		t.Fatalf("fresh history = %#v, %v; want an empty, non-nil list", got, err)
	}
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 123_456_789, time.UTC)
	want := Change{
		DatabaseID: db, RunID: "run-1", Version: "20260301120000", Type: "ddl", Status: "done", Description: "add b",
		Checksum: "sha256:v1:abc", Source: SourceUI, AppliedBy: "ann", Host: "laptop", Duration: 1500 * time.Millisecond,
		Statement: "CREATE TABLE b (id int);", BeforeSnapshotID: before.ID, AfterSnapshotID: after.ID, AppliedAt: t0,
	}
	first, err := s.RecordChange(ctx, want)
	if err != nil {
		t.Fatal(err)
	}
	if first.ID == "" || first.RecordedAt.IsZero() || !first.AppliedAt.Equal(t0.Truncate(time.Millisecond)) {
		t.Fatalf("recorded = %+v", first)
	}
	failed, err := s.RecordChange(ctx, Change{
		DatabaseID: db, RunID: "run-2", Version: "20260301130000", Type: "ddl", Status: "failed", Source: SourceUI,
		Error: `relation "nope" does not exist`, SQLState: "42P01", FailedStatement: "ALTER TABLE nope ADD x int", FailedLine: 3,
		BeforeSnapshotID: after.ID, AppliedAt: t0.Add(time.Hour),
	})
	if err != nil {
		t.Fatal(err)
	}

	// Reopening reads back exactly what was written, newest first.
	s.Close()
	s = open(t, dir, OpenOptions{})
	list, err := s.ListChanges(ctx, db)
	if err != nil || len(list) != 2 {
		t.Fatalf("list = %+v, %v", list, err)
	}
	if !reflect.DeepEqual(list[0], failed) || !reflect.DeepEqual(list[1], first) {
		t.Fatalf("list after reopen:\n got %+v\n     %+v\nwant %+v\n     %+v", list[0], list[1], failed, first)
	}
	got, err := s.GetChange(ctx, db, first.ID)
	if err != nil || !reflect.DeepEqual(got, first) {
		t.Fatalf("get = %+v, %v", got, err)
	}
	if list, _ := s.ListChanges(ctx, dbs[1].ID); len(list) != 0 {
		t.Fatalf("another database sees %d changes", len(list))
	}

	// Refusals.
	if _, err := s.RecordChange(ctx, Change{DatabaseID: db, RunID: "run-1", Version: "9", Type: "ddl", Status: "done", Source: SourceUI}); !errors.Is(err, ErrDuplicate) {
		t.Fatalf("same run id twice: %v, want ErrDuplicate", err)
	}
	if _, err := s.RecordChange(ctx, Change{DatabaseID: "nope", RunID: "r", Version: "1", Type: "ddl", Status: "done", Source: SourceUI}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown database: %v, want ErrNotFound", err)
	}
	if _, err := s.RecordChange(ctx, Change{DatabaseID: db, Version: "1", Status: "done", Source: SourceUI}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("no run id or type: %v, want ErrInvalid", err)
	}
	if _, err := s.GetChange(ctx, dbs[1].ID, first.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("change of another database: %v, want ErrNotFound", err)
	}
	if _, err := s.ListChanges(ctx, "nope"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("list of unknown database: %v, want ErrNotFound", err)
	}

	// A deleted snapshot leaves the change without it; removing the database removes its history.
	if _, err := s.DB().ExecContext(ctx, `DELETE FROM schema_snapshots WHERE id = ?`, after.ID); err != nil {
		t.Fatal(err)
	}
	got, _ = s.GetChange(ctx, db, first.ID)
	if got.AfterSnapshotID != "" || got.BeforeSnapshotID != before.ID {
		t.Fatalf("after deleting the after snapshot: before=%q after=%q", got.BeforeSnapshotID, got.AfterSnapshotID)
	}
	if _, err := s.DB().ExecContext(ctx, `DELETE FROM databases WHERE id = ?`, db); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := s.DB().QueryRowContext(ctx, `SELECT count(*) FROM change_history`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("rows left after the database went: %d, %v", n, err)
	}
}

func TestMergeChanges(t *testing.T) {
	ctx := context.Background()
	s := open(t, t.TempDir(), OpenOptions{})
	_, dbs := snapshotDBs(t, s, "shop")
	db := dbs[0].ID
	snap, err := s.AddSnapshot(ctx, Snapshot{SnapshotInfo: SnapshotInfo{DatabaseID: db, Fingerprint: "f"}})
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	mine, err := s.RecordChange(ctx, Change{DatabaseID: db, RunID: "mine", Version: "1", Type: "ddl", Status: "started",
		Source: SourceUI, AfterSnapshotID: snap.ID, AppliedAt: t0})
	if err != nil {
		t.Fatal(err)
	}
	target := []Change{
		// the one this workspace wrote, since finished (resolved as done on another machine)
		{RunID: "mine", Version: "1", Type: "ddl", Status: "done", Source: SourceOtherMachine, SeenOnSync: true, Duration: 2 * time.Second, Checksum: "sha256:v1:x", AppliedAt: t0},
		{RunID: "ci-1", Version: "2", Type: "ddl", Status: "done", Source: SourceOtherMachine, Host: "ci", AppliedBy: "bot", SeenOnSync: true, AppliedAt: t0.Add(time.Minute)},
		{RunID: "ci-2", Version: "3", Type: "dml", Status: "failed", Source: SourceOtherMachine, Host: "ci", SeenOnSync: true, Error: "boom", SQLState: "23505", AppliedAt: t0.Add(2 * time.Minute)},
	}
	added, err := s.MergeChanges(ctx, db, target)
	if err != nil {
		t.Fatal(err)
	}
	if len(added) != 2 || added[0].RunID != "ci-1" || added[1].RunID != "ci-2" || added[0].ID == "" || added[0].DatabaseID != db {
		t.Fatalf("added = %+v", added)
	}
	got, _ := s.GetChange(ctx, db, mine.ID)
	if got.Status != "done" || got.Duration != 2*time.Second || got.Checksum != "sha256:v1:x" ||
		got.Source != SourceUI || got.SeenOnSync || got.AfterSnapshotID != snap.ID {
		t.Fatalf("known row after merge = %+v; want the target's status, its own source and snapshot", got)
	}
	// Merging the same rows again adds nothing and changes nothing.
	again, err := s.MergeChanges(ctx, db, target)
	if err != nil || len(again) != 0 {
		t.Fatalf("second merge added %+v, %v", again, err)
	}
	list, _ := s.ListChanges(ctx, db)
	if len(list) != 3 || list[0].RunID != "ci-2" || !list[0].SeenOnSync || list[0].Host != "ci" || list[0].SQLState != "23505" {
		t.Fatalf("list = %+v", list)
	}
	if _, err := s.MergeChanges(ctx, "nope", target); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown database: %v", err)
	}
	if _, err := s.MergeChanges(ctx, db, []Change{{Version: "4", Type: "ddl", Status: "done", Source: SourceCLI}}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("row without run id: %v", err)
	}
}
