package workspace

import (
	"context"
	"errors"
	"testing"
)

func TestProjectRepoLink(t *testing.T) {
	ctx := context.Background()
	s := open(t, t.TempDir(), OpenOptions{})
	p, err := s.CreateProject(ctx, "hr")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetProjectRepo(ctx, p.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("no link yet: %v", err)
	}
	for _, bad := range []ProjectRepo{{ProjectID: p.ID}, {ProjectID: p.ID, Path: "/r", URL: "file:///r.git"}} {
		if _, err := s.SetProjectRepo(ctx, bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("SetProjectRepo(%+v) = %v, want invalid", bad, err)
		}
	}
	if _, err := s.SetProjectRepo(ctx, ProjectRepo{ProjectID: "nope", Path: "/r"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown project: %v", err)
	}
	r, err := s.SetProjectRepo(ctx, ProjectRepo{ProjectID: p.ID, Path: "/r", BaseDir: "bytebase"})
	if err != nil || r.Branch != "main" || r.BaseDir != "bytebase" || r.LastCommit != "" {
		t.Fatalf("set: %+v %v", r, err)
	}
	if err := s.AdvanceProjectRepo(ctx, p.ID, "", "c1"); err != nil {
		t.Fatal(err)
	}
	if err := s.AdvanceProjectRepo(ctx, p.ID, "", "c2"); !errors.Is(err, ErrConflict) {
		t.Fatalf("stale advance: %v", err)
	}
	// Changing only the naming keeps the position; another branch starts over.
	if r, err = s.SetProjectRepo(ctx, ProjectRepo{ProjectID: p.ID, Path: "/r", BaseDir: "db"}); err != nil || r.LastCommit != "c1" || r.LastFetchAt.IsZero() {
		t.Fatalf("same repository: %+v %v", r, err)
	}
	if r, err = s.SetProjectRepo(ctx, ProjectRepo{ProjectID: p.ID, Path: "/r", Branch: "trunk"}); err != nil || r.LastCommit != "" {
		t.Fatalf("other branch: %+v %v", r, err)
	}
	if l, err := s.ListProjectRepos(ctx); err != nil || len(l) != 1 {
		t.Fatalf("list: %+v %v", l, err)
	}

	f := GitOpsFile{ProjectID: p.ID, Path: "prod/hr##1##ddl##a.sql", Blob: "b1", DatabaseID: "d", Version: "1", Issue: 3, TaskID: "t1", Commit: "c1"}
	if err := s.SaveGitOpsFile(ctx, f); err != nil {
		t.Fatal(err)
	}
	if err := s.RenameGitOpsFile(ctx, p.ID, f.Path, "prod/hr##1##ddl##b.sql"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetGitOpsFile(ctx, p.ID, f.Path); !errors.Is(err, ErrNotFound) {
		t.Fatalf("old path: %v", err)
	}
	got, err := s.GetGitOpsFile(ctx, p.ID, "prod/hr##1##ddl##b.sql")
	if err != nil || got.Blob != "b1" || got.Issue != 3 {
		t.Fatalf("renamed: %+v %v", got, err)
	}
	got.Deleted = true
	if err := s.SaveGitOpsFile(ctx, got); err != nil {
		t.Fatal(err)
	}
	if fs, err := s.TaskGitOpsFiles(ctx, 3, "t1"); err != nil || len(fs) != 0 {
		t.Fatalf("deleted files are not the task's: %+v %v", fs, err)
	}
}

func TestProjectRepoWatchState(t *testing.T) {
	ctx := context.Background()
	s := open(t, t.TempDir(), OpenOptions{})
	p, err := s.CreateProject(ctx, "shop")
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []ProjectRepo{{ProjectID: p.ID, Path: "/r", PollMinutes: -1}, {ProjectID: p.ID, Path: "/r", Auth: "password"}} {
		if _, err := s.SetProjectRepo(ctx, bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("SetProjectRepo(%+v) = %v, want invalid", bad, err)
		}
	}
	r, err := s.SetProjectRepo(ctx, ProjectRepo{ProjectID: p.ID, URL: "https://git.example.com/shop.git", PollMinutes: 5, Auth: AuthToken, AuthUser: "ci"})
	if err != nil || r.PollMinutes != 5 || r.Auth != AuthToken || r.AuthUser != "ci" {
		t.Fatalf("link = %+v, %v", r, err)
	}
	if err := s.RecordFetch(ctx, p.ID, "", `{"commits":1}`); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordFetch(ctx, p.ID, "fetch: connection refused", ""); err != nil {
		t.Fatal(err)
	}
	if r, _ = s.GetProjectRepo(ctx, p.ID); r.LastError != "fetch: connection refused" || r.LastResult != `{"commits":1}` {
		t.Fatalf("a failed fetch keeps the last result: %+v", r)
	}
	if err := s.SaveGitOpsUnmatched(ctx, p.ID, []GitOpsUnmatched{{Path: "b.sql", Reason: "bad name"}, {Path: "a.sql", Reason: "no version"}}); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveGitOpsUnmatched(ctx, p.ID, []GitOpsUnmatched{{Path: "a.sql", Reason: "still no version", Commit: "c2"}}); err != nil {
		t.Fatal(err)
	}
	us, err := s.ListGitOpsUnmatched(ctx, p.ID)
	if err != nil || len(us) != 2 || us[0].Path != "a.sql" || us[0].Reason != "still no version" || us[0].Commit != "c2" {
		t.Fatalf("unmatched = %+v, %v", us, err)
	}
	if err := s.ForgetGitOpsUnmatched(ctx, p.ID, []string{"a.sql"}); err != nil {
		t.Fatal(err)
	}
	if us, _ = s.ListGitOpsUnmatched(ctx, p.ID); len(us) != 1 || us[0].Path != "b.sql" {
		t.Fatalf("after forget: %+v", us)
	}
	// another repository starts the watch over: nothing of the old one stays
	if r, err = s.SetProjectRepo(ctx, ProjectRepo{ProjectID: p.ID, Path: "/other"}); err != nil || r.LastError != "" || r.LastResult != "" {
		t.Fatalf("relink = %+v, %v", r, err)
	}
	if us, _ = s.ListGitOpsUnmatched(ctx, p.ID); len(us) != 0 {
		t.Fatalf("unmatched after relink: %+v", us)
	}
	if err := s.DeleteProjectRepo(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetProjectRepo(ctx, p.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("after unlink: %v", err)
	}
	if err := s.DeleteProjectRepo(ctx, p.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unlink twice: %v", err)
	}
}
