package gitops

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/utils/merkletrie"
)

// Actions of a changed file between two commits.
const (
	Added    = "added"
	Modified = "modified"
	Deleted  = "deleted"
	Renamed  = "renamed"
)

// Changed is a file that differs between two trees.
type Changed struct {
	Action string `json:"action"`
	Path   string `json:"path"` // the new path (the old one for a deletion)
	// From is the old path of a rename.
	From string `json:"from,omitempty"`
	// Same is set on a rename whose content did not change.
	Same bool `json:"-"`
}

// OpenRepo opens the git repository at dir (or the one dir is inside).
func OpenRepo(dir string) (*git.Repository, error) {
	r, err := git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{DetectDotGit: true})
	if err != nil {
		return nil, fmt.Errorf("open the git repository at %s: %w", dir, err)
	}
	return r, nil
}

// ResolveCommit resolves a revision (a branch, a remote branch such as
// origin/main, a tag, a hash, HEAD) to its commit.
func ResolveCommit(r *git.Repository, rev string) (*object.Commit, error) {
	h, err := r.ResolveRevision(plumbing.Revision(rev))
	if err != nil {
		return nil, fmt.Errorf("resolve %q: %w", rev, err)
	}
	c, err := r.CommitObject(*h)
	if err != nil {
		return nil, fmt.Errorf("read commit %s: %w", h, err)
	}
	return c, nil
}

// MergeBase is the best common ancestor of a and b (nil when none: the
// histories are unrelated).
func MergeBase(a, b *object.Commit) (*object.Commit, error) {
	bases, err := a.MergeBase(b)
	if err != nil {
		return nil, fmt.Errorf("merge base of %s and %s: %w", a.Hash, b.Hash, err)
	}
	if len(bases) == 0 {
		return nil, nil
	}
	sort.Slice(bases, func(i, j int) bool { return bases[i].Committer.When.After(bases[j].Committer.When) })
	return bases[0], nil
}

// DiffCommits lists the files that differ between from's tree and to's
// (from nil: every file of to is added), renames detected, sorted by path.
func DiffCommits(ctx context.Context, from, to *object.Commit) ([]Changed, error) {
	toTree, err := to.Tree()
	if err != nil {
		return nil, fmt.Errorf("tree of %s: %w", to.Hash, err)
	}
	var fromTree *object.Tree
	if from != nil {
		if fromTree, err = from.Tree(); err != nil {
			return nil, fmt.Errorf("tree of %s: %w", from.Hash, err)
		}
	}
	return DiffTrees(ctx, fromTree, toTree)
}

// DiffTrees lists the files that differ between two trees (a nil tree is
// empty), renames detected, sorted by path.
func DiffTrees(ctx context.Context, from, to *object.Tree) ([]Changed, error) {
	chs, err := object.DiffTreeWithOptions(ctx, from, to, &object.DiffTreeOptions{DetectRenames: true, RenameScore: 60, RenameLimit: 0, OnlyExactRenames: false})
	if err != nil {
		return nil, fmt.Errorf("diff trees: %w", err)
	}
	out := make([]Changed, 0, len(chs))
	for _, ch := range chs {
		a, err := ch.Action()
		if err != nil {
			return nil, fmt.Errorf("diff trees: %w", err)
		}
		switch a {
		case merkletrie.Insert:
			out = append(out, Changed{Action: Added, Path: ch.To.Name})
		case merkletrie.Delete:
			out = append(out, Changed{Action: Deleted, Path: ch.From.Name})
		case merkletrie.Modify:
			if ch.From.Name != ch.To.Name {
				out = append(out, Changed{Action: Renamed, Path: ch.To.Name, From: ch.From.Name, Same: ch.From.TreeEntry.Hash == ch.To.TreeEntry.Hash})
			} else {
				out = append(out, Changed{Action: Modified, Path: ch.To.Name})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

// ReadFile reads a file of a tree; ok is false when the tree has no such
// file.
func ReadFile(t *object.Tree, path string) (content string, ok bool, err error) {
	f, err := t.File(path)
	if errors.Is(err, object.ErrFileNotFound) || errors.Is(err, object.ErrDirectoryNotFound) || errors.Is(err, object.ErrEntryNotFound) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("read %s: %w", path, err)
	}
	rd, err := f.Blob.Reader()
	if err != nil {
		return "", false, fmt.Errorf("read %s: %w", path, err)
	}
	defer rd.Close()
	b, err := io.ReadAll(rd)
	if err != nil {
		return "", false, fmt.Errorf("read %s: %w", path, err)
	}
	return string(b), true, nil
}

// TreePaths lists the paths of a tree's files.
func TreePaths(t *object.Tree) ([]string, error) {
	var out []string
	err := t.Files().ForEach(func(f *object.File) error {
		out = append(out, f.Name)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list files: %w", err)
	}
	return out, nil
}

// ConfigAt reads tidemark.yaml from a tree, or the defaults when the tree
// has none.
func ConfigAt(t *object.Tree) (*Config, error) {
	s, ok, err := ReadFile(t, ConfigFile)
	if err != nil {
		return nil, err
	}
	if !ok {
		return DefaultConfig(), nil
	}
	return ParseConfig([]byte(s))
}
