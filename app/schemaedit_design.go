package app

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/compare"
	"github.com/tidemark-dev/tidemark/internal/schemaedit"
	"github.com/tidemark-dev/tidemark/internal/usererr"
)

// ChooseDesignFile asks for a design to open in the schema editor: a .sql
// file (desired-state DDL, such as Save .sql writes) or a .json model.
// An empty path means the dialog was cancelled.
func (s *SchemaEditService) ChooseDesignFile() (string, error) {
	wctx := s.a.base()
	if wctx.Value("frontend") == nil {
		return "", fail(&usererr.Error{Message: "no window to show a file dialog in"})
	}
	path, err := runtime.OpenFileDialog(wctx, runtime.OpenDialogOptions{
		Title: "Open a schema design",
		Filters: []runtime.FileFilter{{DisplayName: "Schema designs (*.sql, *.json)", Pattern: "*.sql;*.json"},
			{DisplayName: "SQL files (*.sql)", Pattern: "*.sql"}, {DisplayName: "Tidemark models (*.json)", Pattern: "*.json"}},
	})
	if err != nil {
		return "", fail(fmt.Errorf("file dialog: %w", err))
	}
	return path, nil
}

// OpenDesign starts an editing session over a design for a database: the
// model of a .sql file (loaded into a scratch database), of a .json model
// file, or of a stored snapshot (source.kind file, model or snapshot). The
// edits are made to the design; Preview plans the migration from the
// database's latest snapshot to the edited design.
func (s *SchemaEditService) OpenDesign(databaseID string, source CompareSide) (EditorState, error) {
	ctx, cancel := s.a.call(schemaSyncLimit)
	defer cancel()
	src := sideIn(source)
	if src.Kind == compare.File && src.SQL == "" && strings.EqualFold(filepath.Ext(src.Path), ".json") {
		src.Kind = compare.Model
	}
	switch src.Kind {
	case compare.File, compare.Model, compare.Snapshot:
	default:
		return EditorState{}, fail(usererr.Invalid("design", "open a .sql or .json file or a snapshot as the design"))
	}
	db, err := s.a.ws.GetDatabase(ctx, databaseID)
	if err != nil {
		return EditorState{}, fail(err)
	}
	side, err := s.a.comparer.LoadSide(ctx, "design", src, catalog.Options{NoPrivileges: true})
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
	es := &editSession{database: db, snapshot: snap.Info, prod: prod, design: side.Label,
		ed: schemaedit.NewDesign(&side.Result.Schema, &snap.Schema)}
	s.register(es)
	return s.state(es), nil
}
