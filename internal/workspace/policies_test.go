package workspace

import (
	"context"
	"errors"
	"testing"
)

func TestReviewPolicies(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := open(t, dir, OpenOptions{})

	if _, found, err := s.GetReviewPolicy(ctx, "prod"); found || err != nil {
		t.Fatalf("fresh workspace: found=%v err=%v; want no stored policy", found, err)
	}
	if _, _, err := s.GetReviewPolicy(ctx, "nope"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown environment: err = %v, want ErrNotFound", err)
	}
	if _, err := s.SaveReviewPolicy(ctx, ReviewPolicy{EnvironmentID: "nope", Template: "basic", YAML: "name: x\n"}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("save for unknown environment: err = %v, want ErrNotFound", err)
	}
	for _, bad := range []ReviewPolicy{
		{EnvironmentID: "prod", Template: "", YAML: "name: x\n"},
		{EnvironmentID: "prod", Template: "advanced", YAML: "  \n"},
	} {
		if _, err := s.SaveReviewPolicy(ctx, bad); !errors.Is(err, ErrInvalid) {
			t.Fatalf("save %+v: err = %v, want ErrInvalid", bad, err)
		}
	}

	first := "name: advanced\nrules:\n  - id: table.require-pk\n    level: error\n"
	saved, err := s.SaveReviewPolicy(ctx, ReviewPolicy{EnvironmentID: "prod", Template: "advanced", YAML: first})
	if err != nil || saved.UpdatedAt.IsZero() {
		t.Fatalf("save: %+v, %v", saved, err)
	}
	second := "name: advanced\nrules:\n  - id: table.require-pk\n    level: off\n"
	if _, err := s.SaveReviewPolicy(ctx, ReviewPolicy{EnvironmentID: "prod", Template: "basic", YAML: second}); err != nil {
		t.Fatal(err)
	}
	got, found, err := s.GetReviewPolicy(ctx, "prod")
	if err != nil || !found || got.YAML != second || got.Template != "basic" || got.EnvironmentID != "prod" {
		t.Fatalf("after replace: %+v found=%v err=%v", got, found, err)
	}
	// Other environments are untouched.
	if _, found, _ := s.GetReviewPolicy(ctx, "test"); found {
		t.Fatal("test environment got a policy it was never given")
	}

	// The policy survives a reopen, byte for byte.
	s.Close()
	s2 := open(t, dir, OpenOptions{})
	got, found, err = s2.GetReviewPolicy(ctx, "prod")
	if err != nil || !found || got.YAML != second {
		t.Fatalf("after reopen: %+v found=%v err=%v", got, found, err)
	}

	if err := s2.DeleteReviewPolicy(ctx, "prod"); err != nil {
		t.Fatal(err)
	}
	if _, found, _ := s2.GetReviewPolicy(ctx, "prod"); found {
		t.Fatal("deleted policy still found")
	}
	if err := s2.DeleteReviewPolicy(ctx, "prod"); err != nil {
		t.Fatalf("deleting an absent policy: %v", err)
	}
}
