package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/diff"
	"github.com/tidemark-dev/tidemark/internal/livereview"
	"github.com/tidemark-dev/tidemark/internal/review"
	"github.com/tidemark-dev/tidemark/internal/schemaedit"
	"github.com/tidemark-dev/tidemark/internal/schemasync"
	"github.com/tidemark-dev/tidemark/internal/usererr"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// maxEditSessions bounds how many editing sessions stay open at once (the
// oldest is closed when a new one would pass it).
const maxEditSessions = 8

// EditorState is an editing session as the schema editor shows it: the
// edited model with marks, and the validation problems of the edits.
type EditorState struct {
	SessionID    string `json:"sessionId"`
	DatabaseID   string `json:"databaseId"`
	DatabaseName string `json:"databaseName"`
	SnapshotID   string `json:"snapshotId"`
	TakenAt      string `json:"takenAt"` // RFC3339, of the snapshot edited
	Production   bool   `json:"production"`
	// Design names the design the session edits (a file or a snapshot,
	// previewed against the database's snapshot); "" when it edits the
	// database's own model.
	Design   string               `json:"design"`
	Model    schemaedit.View      `json:"model"`
	Problems []schemaedit.Problem `json:"problems"`
}

// EditPreview is the migration of an editing session: the statements with
// their hazards (planned by internal/diff), the whole script, and the
// rename intents it starts with. Problems, when there are any, replace the
// plan: they must be fixed first.
type EditPreview struct {
	SQL        string               `json:"sql"`
	Statements []diff.Statement     `json:"statements"`
	Renames    []diff.Rename        `json:"renames"`
	Warnings   []string             `json:"warnings"`
	Online     bool                 `json:"online"`
	Problems   []schemaedit.Problem `json:"problems"`
	// Review is the migration's review under the environment's policy.
	Review EditReview `json:"review"`
}

// SchemaEditChanged is the payload of the "schemaedit:changed" event, sent
// after every staged edit, undo, redo or discard.
type SchemaEditChanged struct {
	SessionID  string `json:"sessionId"`
	DatabaseID string `json:"databaseId"`
	Ops        int    `json:"ops"`
}

type editSession struct {
	id       string
	database workspace.Database
	snapshot workspace.SnapshotInfo
	prod     bool
	design   string // label of the design edited, "" for the database's own model
	ed       *schemaedit.Editor
	// reviewCat is the review catalog of the model previews start from
	// (built on the first review).
	reviewCat *review.Catalog
}

// SchemaEditService binds the schema editor (internal/schemaedit): a
// session edits a copy of the latest snapshot's model of a database;
// Preview asks internal/diff for the migration.
type SchemaEditService struct {
	a *App

	mu       sync.Mutex
	next     int
	sessions map[string]*editSession
	order    []string
}

// Open starts an editing session over the latest snapshot of a database
// (syncing it first when it was never synced, with the sync's progress
// events).
func (s *SchemaEditService) Open(databaseID string) (EditorState, error) {
	ctx, cancel := s.a.call(schemaSyncLimit)
	defer cancel()
	db, err := s.a.ws.GetDatabase(ctx, databaseID)
	if err != nil {
		return EditorState{}, fail(err)
	}
	snap, err := s.latest(ctx, databaseID)
	if err != nil {
		return EditorState{}, fail(err)
	}
	prod, err := s.production(ctx, db)
	if err != nil {
		return EditorState{}, fail(err)
	}
	es := &editSession{database: db, snapshot: snap.Info, prod: prod, ed: schemaedit.New(&snap.Schema)}
	s.register(es)
	return s.state(es), nil
}

// register names a new session and keeps it, closing the oldest past
// maxEditSessions.
func (s *SchemaEditService) register(es *editSession) {
	s.mu.Lock()
	s.next++
	es.id = "edit-" + strconv.Itoa(s.next)
	if s.sessions == nil {
		s.sessions = map[string]*editSession{}
	}
	s.sessions[es.id] = es
	s.order = append(s.order, es.id)
	for len(s.order) > maxEditSessions {
		delete(s.sessions, s.order[0])
		s.order = s.order[1:]
	}
	s.mu.Unlock()
}

// latest returns the database's latest snapshot, syncing it first (with
// the sync's progress events) when it was never synced.
func (s *SchemaEditService) latest(ctx context.Context, databaseID string) (*schemasync.Snapshot, error) {
	snap, err := s.a.syncer.Latest(ctx, databaseID)
	if errors.Is(err, workspace.ErrNotFound) {
		if _, err := s.a.schema.Sync(databaseID); err != nil {
			return nil, err
		}
		snap, err = s.a.syncer.Latest(ctx, databaseID)
	}
	return snap, err
}

func (s *SchemaEditService) production(ctx context.Context, db workspace.Database) (bool, error) {
	if db.EnvironmentID == "" {
		return false, nil
	}
	env, err := s.a.ws.GetEnvironment(ctx, db.EnvironmentID)
	if err != nil {
		return false, err
	}
	return env.Protected, nil
}

// Apply stages one edit operation; a refused operation changes nothing and
// its error names the field.
func (s *SchemaEditService) Apply(sessionID string, op schemaedit.Op) (EditorState, error) {
	return s.change(sessionID, func(e *schemaedit.Editor) error { return e.Apply(op) })
}

// Undo takes back the last edit (nothing happens when there is none).
func (s *SchemaEditService) Undo(sessionID string) (EditorState, error) {
	return s.change(sessionID, func(e *schemaedit.Editor) error { e.Undo(); return nil })
}

// Redo applies again the last edit undone.
func (s *SchemaEditService) Redo(sessionID string) (EditorState, error) {
	return s.change(sessionID, func(e *schemaedit.Editor) error { e.Redo(); return nil })
}

// Discard drops every staged edit.
func (s *SchemaEditService) Discard(sessionID string) (EditorState, error) {
	return s.change(sessionID, func(e *schemaedit.Editor) error { e.DiscardAll(); return nil })
}

// State returns the session as it is.
func (s *SchemaEditService) State(sessionID string) (EditorState, error) {
	return s.change(sessionID, nil)
}

// Ops returns the staged operations (the JSON tidemark schema edit --ops reads).
func (s *SchemaEditService) Ops(sessionID string) ([]schemaedit.Op, error) {
	es, err := s.session(sessionID)
	if err != nil {
		return nil, fail(err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ops := es.ed.Ops()
	if ops == nil {
		ops = []schemaedit.Op{}
	}
	return ops, nil
}

// Preview returns the migration from the snapshot to the edited model;
// online plans for a busy database (concurrent index builds, NOT VALID then
// VALIDATE, timeouts).
func (s *SchemaEditService) Preview(sessionID string, online bool) (EditPreview, error) {
	es, err := s.session(sessionID)
	if err != nil {
		return EditPreview{}, fail(err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := EditPreview{Statements: []diff.Statement{}, Renames: []diff.Rename{}, Warnings: []string{}, Online: online, Problems: []schemaedit.Problem{},
		Review: EditReview{Advice: []Advice{}}}
	// PreviewReport validates first; the problems are listed only when it
	// refused (validating once on the common path: a large model takes a while).
	r, err := es.ed.PreviewReport(diff.Options{Online: online})
	if err != nil {
		if ps := es.ed.Validate(); len(ps) > 0 {
			out.Problems = ps
			return out, nil
		}
		return EditPreview{}, fail(err)
	}
	out.SQL, out.Renames = r.Plan.SQL(), r.Renames
	if r.Plan.Statements != nil {
		out.Statements = r.Plan.Statements
	}
	if r.Plan.Warnings != nil {
		out.Warnings = r.Plan.Warnings
	}
	out.Review = s.advise(es, out.SQL)
	return out, nil
}

// TargetPreview is the migration of the session's edits on one target
// database, planned on that database's own model (its latest snapshot), or
// why it has none: Error names the database and, when one was refused on
// its model, the operation (ErrorOp, from 1).
type TargetPreview struct {
	DatabaseID   string `json:"databaseId"`
	DatabaseName string `json:"databaseName"`
	// Production: the database's environment is protected (the UI then
	// plans online unless the user chose otherwise).
	Production  bool                 `json:"production"`
	SQL         string               `json:"sql"`
	Statements  []diff.Statement     `json:"statements"`
	Renames     []diff.Rename        `json:"renames"`
	Warnings    []string             `json:"warnings"`
	Problems    []schemaedit.Problem `json:"problems"`
	Error       string               `json:"error"`
	ErrorOp     int                  `json:"errorOp"`
	ErrorDetail string               `json:"errorDetail"`
	// Review is the target's migration reviewed under its environment's
	// policy, against its own model.
	Review EditReview `json:"review"`
}

// TargetsPreview is the session's edits previewed on several databases, one
// entry per database in the order asked. OK: every database has a
// migration, so an issue with one task per database can be created.
type TargetsPreview struct {
	Online  bool            `json:"online"`
	OK      bool            `json:"ok"`
	Targets []TargetPreview `json:"targets"`
}

// PreviewTargets applies the session's edits to the model of each database
// (the session's own database keeps the model being edited; the others use
// their latest snapshot, synced first when never synced) and returns each
// one's migration or its problem (schemaedit.PlanDatabases). A design
// session (OpenDesign) is the desired state of every database instead: each
// gets the migration from its own model to the edited design
// (schemaedit.PlanDesign). Nothing is created or applied.
func (s *SchemaEditService) PreviewTargets(sessionID string, databaseIDs []string, online bool) (TargetsPreview, error) {
	es, err := s.session(sessionID)
	if err != nil {
		return TargetsPreview{}, fail(err)
	}
	s.mu.Lock()
	// own is the session database's model: the snapshot edited, or a
	// design's target (the design itself is base)
	ops, base, own, design := es.ed.Ops(), es.ed.Base(), es.ed.Target(), es.ed.Design()
	s.mu.Unlock()
	ctx, cancel := s.a.call(schemaSyncLimit)
	defer cancel()
	prod := map[string]bool{es.database.ID: es.prod}
	// what each other target's review needs: its environment and model
	type reviewed struct {
		env     string
		model   *catalog.Schema
		version int
	}
	others := map[string]reviewed{}
	model := func(ctx context.Context, id string) (schemaedit.Target, error) {
		if id == es.database.ID {
			return schemaedit.Target{DatabaseID: id, Database: es.database.Name, Schema: &own}, nil
		}
		db, err := s.a.ws.GetDatabase(ctx, id)
		if err != nil {
			return schemaedit.Target{}, err
		}
		if prod[id], err = s.production(ctx, db); err != nil {
			return schemaedit.Target{Database: db.Name}, err
		}
		snap, err := s.latest(ctx, id)
		if err != nil {
			return schemaedit.Target{Database: db.Name}, err
		}
		others[id] = reviewed{env: db.EnvironmentID, model: &snap.Schema, version: snap.Info.ServerVersion}
		return schemaedit.Target{DatabaseID: id, Database: db.Name, Schema: &snap.Schema}, nil
	}
	var r schemaedit.MultiReport
	if design {
		r, err = schemaedit.PlanDesign(ctx, databaseIDs, model, &base, ops, diff.Options{Online: online})
	} else {
		r, err = schemaedit.PlanDatabases(ctx, databaseIDs, model, ops, diff.Options{Online: online})
	}
	if err != nil {
		return TargetsPreview{}, fail(err)
	}
	out := TargetsPreview{Online: online, OK: r.OK, Targets: make([]TargetPreview, 0, len(r.Targets))}
	for _, t := range r.Targets {
		tp := TargetPreview{DatabaseID: t.DatabaseID, DatabaseName: t.Database, Production: prod[t.DatabaseID], SQL: t.SQL, Statements: []diff.Statement{},
			Renames: []diff.Rename{}, Warnings: []string{}, Problems: t.Problems}
		if t.Report != nil {
			if t.Report.Plan.Statements != nil {
				tp.Statements = t.Report.Plan.Statements
			}
			if t.Report.Plan.Warnings != nil {
				tp.Warnings = t.Report.Plan.Warnings
			}
			tp.Renames = t.Report.Renames
		}
		if t.Error != nil {
			tp.Error, tp.ErrorOp, tp.ErrorDetail = t.Error.Message, t.Error.Op, t.Error.Detail
		}
		switch o, ok := others[t.DatabaseID]; {
		case t.Error != nil:
			tp.Review = EditReview{Advice: []Advice{}}
		case t.DatabaseID == es.database.ID:
			s.mu.Lock()
			tp.Review = s.advise(es, tp.SQL)
			s.mu.Unlock()
		case ok:
			var cat *review.Catalog
			if o.env != "" {
				cat = livereview.ModelCatalog(o.model)
			}
			tp.Review = s.adviseOn(o.env, t.Database, cat, o.version, tp.SQL)
		default:
			tp.Review = EditReview{Advice: []Advice{}}
		}
		out.Targets = append(out.Targets, tp)
	}
	return out, nil
}

// DesiredSQL renders the edited model as desired-state DDL (what loads
// into an empty database), through catalog.Dump.
func (s *SchemaEditService) DesiredSQL(sessionID string) (string, error) {
	es, err := s.session(sessionID)
	if err != nil {
		return "", fail(err)
	}
	s.mu.Lock()
	model := es.ed.Schema()
	s.mu.Unlock()
	return string(catalog.Dump(model, catalog.DumpOptions{})), nil
}

// ChooseSavePath asks for a .sql file to save the edited model to (the
// native save dialog); "" when the user cancels.
func (s *SchemaEditService) ChooseSavePath(sessionID string) (string, error) {
	es, err := s.session(sessionID)
	if err != nil {
		return "", fail(err)
	}
	wctx := s.a.base()
	if wctx.Value("frontend") == nil {
		return "", fail(&usererr.Error{Message: "no window to show a save dialog in"})
	}
	path, err := runtime.SaveFileDialog(wctx, runtime.SaveDialogOptions{
		Title:           "Save the edited schema of " + es.database.Name,
		DefaultFilename: es.database.Name + "-design.sql",
		Filters:         []runtime.FileFilter{{DisplayName: "SQL files (*.sql)", Pattern: "*.sql"}},
	})
	if err != nil {
		return "", fail(fmt.Errorf("save dialog: %w", err))
	}
	return path, nil
}

// SaveSQL writes the edited model's desired-state DDL to path.
func (s *SchemaEditService) SaveSQL(sessionID, path string) error {
	if strings.TrimSpace(path) == "" {
		return fail(usererr.Invalid("path", "choose a file to save the schema to"))
	}
	text, err := s.DesiredSQL(sessionID)
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		return fail(&usererr.Error{Message: fmt.Sprintf("cannot save the schema to %s: %v", path, errors.Unwrap(err)), Field: "path", Err: err})
	}
	return nil
}

// Close ends a session (closing an unknown one does nothing).
func (s *SchemaEditService) Close(sessionID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.sessions, sessionID)
	for i, id := range s.order {
		if id == sessionID {
			s.order = append(s.order[:i], s.order[i+1:]...)
			break
		}
	}
}

func (s *SchemaEditService) session(id string) (*editSession, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	es, ok := s.sessions[id]
	if !ok {
		return nil, &usererr.Error{Message: fmt.Sprintf("the editing session %s is closed; open the schema editor again", id)}
	}
	return es, nil
}

func (s *SchemaEditService) change(sessionID string, f func(*schemaedit.Editor) error) (EditorState, error) {
	es, err := s.session(sessionID)
	if err != nil {
		return EditorState{}, fail(err)
	}
	if f != nil {
		s.mu.Lock()
		err = f(es.ed)
		s.mu.Unlock()
		if err != nil {
			return EditorState{}, fail(err)
		}
	}
	st := s.state(es)
	if f != nil {
		s.a.emit("schemaedit:changed", SchemaEditChanged{SessionID: es.id, DatabaseID: es.database.ID, Ops: st.Model.Ops})
	}
	return st, nil
}

func (s *SchemaEditService) state(es *editSession) EditorState {
	s.mu.Lock()
	defer s.mu.Unlock()
	ps := es.ed.Validate()
	if ps == nil {
		ps = []schemaedit.Problem{}
	}
	return EditorState{SessionID: es.id, DatabaseID: es.database.ID, DatabaseName: es.database.Name, SnapshotID: es.snapshot.ID,
		TakenAt: rfc3339(es.snapshot.TakenAt), Production: es.prod, Design: es.design, Model: es.ed.View(), Problems: ps}
}
