package workspace

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"
)

func TestQueryHistory(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := open(t, dir, OpenOptions{})
	_, dbs := snapshotDBs(t, s, "shop", "other")
	db, other := dbs[0].ID, dbs[1].ID
	if got, err := s.ListQueries(ctx, db, "", 0); err != nil || got == nil || len(got) != 0 {
		t.Fatalf("empty history: %#v %v", got, err)
	}
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 123_456_789, time.UTC)
	a, err := s.RecordQuery(ctx, QueryRun{DatabaseID: db, Statement: "SELECT * FROM orders", Mode: QueryReadOnly, RanAt: t0, Duration: 1234567 * time.Microsecond, Rows: 1000})
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.RecordQuery(ctx, QueryRun{DatabaseID: db, Statement: "DELETE FROM orders", Mode: QueryReadOnly, RanAt: t0.Add(time.Second),
		Error: "refused by the read-only allow-list fence: DELETE is not a read-only statement"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.RecordQuery(ctx, QueryRun{DatabaseID: db, Statement: "ALTER TABLE Orders ADD COLUMN note text", Mode: QueryAdmin, RanAt: t0.Add(2 * time.Second)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.RecordQuery(ctx, QueryRun{DatabaseID: other, Statement: "SELECT 1 AS orders", Mode: QueryReadOnly}); err != nil {
		t.Fatal(err)
	}
	got, err := s.ListQueries(ctx, db, "", 0)
	if err != nil || !reflect.DeepEqual(got, []QueryRun{c, b, a}) {
		t.Fatalf("history %+v %v", got, err)
	}
	if !got[2].RanAt.Equal(t0.Truncate(time.Millisecond)) || got[2].Duration != 1234*time.Millisecond || got[2].Rows != 1000 {
		t.Errorf("round trip %+v", got[2])
	}
	// Search is case-insensitive; % and _ are literal; a limit keeps the newest.
	for _, tc := range []struct {
		search string
		limit  int
		want   []QueryRun
	}{{"ORDERS", 0, []QueryRun{c, b, a}}, {"alter", 0, []QueryRun{c}}, {"%", 0, []QueryRun{}}, {"", 2, []QueryRun{c, b}}} {
		if got, err := s.ListQueries(ctx, db, tc.search, tc.limit); err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("search %q limit %d: %+v %v", tc.search, tc.limit, got, err)
		}
	}
	// The history survives reopening the workspace.
	s.Close()
	s = open(t, dir, OpenOptions{})
	if got, err := s.ListQueries(ctx, db, "", 0); err != nil || len(got) != 3 {
		t.Errorf("after reopen: %d %v", len(got), err)
	}
	if _, err := s.RecordQuery(ctx, QueryRun{DatabaseID: "nope", Statement: "SELECT 1", Mode: QueryAdmin}); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown database: %v", err)
	}
	if _, err := s.RecordQuery(ctx, QueryRun{DatabaseID: db, Statement: "SELECT 1", Mode: "sudo"}); err == nil {
		t.Error("unknown mode accepted")
	}
}
