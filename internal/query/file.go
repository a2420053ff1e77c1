package query

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// OutputFile is an export's file while it is written: a temporary file beside
// the target, renamed to the target by Commit, removed by Abort, so that a
// failed or cancelled export never leaves a partial file (nor replaces an
// existing one).
type OutputFile struct {
	*os.File
	path string
	done bool
}

// CreateOutput starts writing the file at path.
func CreateOutput(path string) (*OutputFile, error) {
	if path == "" {
		return nil, errors.New("export: no file given")
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return nil, fmt.Errorf("export to %s: it is a directory", path)
	}
	f, err := os.CreateTemp(dir, "."+base+".*.part")
	if err != nil {
		return nil, fmt.Errorf("export to %s: %w", path, err)
	}
	return &OutputFile{File: f, path: path}, nil
}

// Path is the target's path.
func (o *OutputFile) Path() string { return o.path }

// Commit closes the file and renames it to the target.
func (o *OutputFile) Commit() error {
	if o.done {
		return errors.New("export: the file was already finished")
	}
	o.done = true
	tmp := o.File.Name()
	if err := o.File.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("export to %s: %w", o.path, err)
	}
	if err := os.Chmod(tmp, 0o644); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("export to %s: %w", o.path, err)
	}
	if err := os.Rename(tmp, o.path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("export to %s: %w", o.path, err)
	}
	return nil
}

// Abort closes and removes the temporary file; the target is untouched. It
// does nothing after Commit.
func (o *OutputFile) Abort() {
	if o.done {
		return
	}
	o.done = true
	o.File.Close()
	os.Remove(o.File.Name())
}
