package workspace

import (
	"context"
	"errors"
	"reflect"
	"testing"
)

func TestQueryTabs(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := open(t, dir, OpenOptions{})
	in, dbs := snapshotDBs(t, s, "shop", "other")
	if got, err := s.ListQueryTabs(ctx); err != nil || got == nil || len(got) != 0 {
		t.Fatalf("no tabs: %#v %v", got, err)
	}
	tabs := []QueryTab{
		{ID: "t2", Title: "Orders", DatabaseID: dbs[0].ID, SQL: "SELECT *\nFROM orders -- é ;", Limit: 500, TimeoutSeconds: 10},
		{ID: "t1", Title: "Scratch", SQL: "", Limit: -1, Active: true},
		{ID: "t3", Title: "Other", DatabaseID: dbs[1].ID, SQL: "SELECT 1"},
	}
	if err := s.SaveQueryTabs(ctx, tabs); err != nil {
		t.Fatal(err)
	}
	if got, err := s.ListQueryTabs(ctx); err != nil || !reflect.DeepEqual(got, tabs) {
		t.Fatalf("round trip (order kept):\n got %+v %v\nwant %+v", got, err, tabs)
	}
	// Saving replaces the whole set, and it survives reopening the workspace.
	tabs = []QueryTab{tabs[2], tabs[0]}
	if err := s.SaveQueryTabs(ctx, tabs); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = open(t, dir, OpenOptions{})
	if got, err := s.ListQueryTabs(ctx); err != nil || !reflect.DeepEqual(got, tabs) {
		t.Fatalf("after reopen: %+v %v", got, err)
	}
	// Refused sets change nothing.
	for _, tc := range []struct {
		name string
		tabs []QueryTab
		want error
	}{
		{"empty id", []QueryTab{{ID: " "}}, ErrInvalid},
		{"duplicate id", []QueryTab{{ID: "a"}, {ID: "a"}}, ErrInvalid},
		{"two active", []QueryTab{{ID: "a", Active: true}, {ID: "b", Active: true}}, ErrInvalid},
		{"negative timeout", []QueryTab{{ID: "a", TimeoutSeconds: -1}}, ErrInvalid},
		{"unknown database", []QueryTab{{ID: "a"}, {ID: "b", DatabaseID: "nope"}}, ErrNotFound},
	} {
		if err := s.SaveQueryTabs(ctx, tc.tabs); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
		if got, err := s.ListQueryTabs(ctx); err != nil || !reflect.DeepEqual(got, tabs) {
			t.Errorf("%s changed the tabs: %+v %v", tc.name, got, err)
		}
	}
	// A database removed by a sync leaves its tab (and text) without a database.
	if _, err := s.ReplaceDatabases(ctx, in.ID, []DatabaseInfo{{Name: dbs[0].Name}}); err != nil {
		t.Fatal(err)
	}
	got, err := s.ListQueryTabs(ctx)
	if err != nil || len(got) != 2 || got[0].DatabaseID != "" || got[0].SQL != "SELECT 1" || got[1].DatabaseID != dbs[0].ID {
		t.Fatalf("after the database went away: %+v %v", got, err)
	}
	if err := s.SaveQueryTabs(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if got, err := s.ListQueryTabs(ctx); err != nil || len(got) != 0 {
		t.Fatalf("cleared: %+v %v", got, err)
	}
}
