package app

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/tidemark-dev/tidemark/internal/erd"
	"github.com/tidemark-dev/tidemark/internal/usererr"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// SchemaDiagram is an ER diagram's content (internal/erd) with the
// snapshot it was drawn from.
type SchemaDiagram struct {
	DatabaseID string      `json:"databaseId"`
	SnapshotID string      `json:"snapshotId"`
	TakenAt    string      `json:"takenAt"` // RFC3339
	Diagram    erd.Diagram `json:"diagram"`
}

// Diagram returns the ER diagram of the latest snapshot of a database,
// of the given schemas (all when none are given).
func (s *SchemaService) Diagram(databaseID string, schemas []string) (SchemaDiagram, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	db, err := s.a.ws.GetDatabase(ctx, databaseID)
	if err != nil {
		return SchemaDiagram{}, fail(err)
	}
	snap, err := s.a.syncer.Latest(ctx, databaseID)
	if errors.Is(err, workspace.ErrNotFound) {
		return SchemaDiagram{}, fail(&usererr.Error{Message: fmt.Sprintf("database %s has not been synced yet; sync it to draw its diagram", db.Name)})
	}
	if err != nil {
		return SchemaDiagram{}, fail(err)
	}
	return SchemaDiagram{DatabaseID: databaseID, SnapshotID: snap.Info.ID, TakenAt: rfc3339(snap.Info.TakenAt),
		Diagram: erd.Build(&snap.Schema, erd.Options{Schemas: schemas})}, nil
}

// Diagram returns the ER diagram of an editing session's edited model, of
// the given schemas (all when none are given), with the session's marks;
// what the session dropped is drawn from the original model, marked dropped.
func (s *SchemaEditService) Diagram(sessionID string, schemas []string) (SchemaDiagram, error) {
	es, err := s.session(sessionID)
	if err != nil {
		return SchemaDiagram{}, fail(err)
	}
	s.mu.Lock()
	cur, base := es.ed.Schema(), es.ed.Base()
	marks := map[string]string{}
	for k, m := range es.ed.Marks() {
		marks[k] = string(m)
	}
	s.mu.Unlock()
	return SchemaDiagram{DatabaseID: es.database.ID, SnapshotID: es.snapshot.ID, TakenAt: rfc3339(es.snapshot.TakenAt),
		Diagram: erd.Build(&cur, erd.Options{Schemas: schemas, Marks: marks, Base: &base})}, nil
}

// diagramFormats are the export formats of a diagram, with the dialog's filter.
var diagramFormats = map[string]runtime.FileFilter{
	"svg": {DisplayName: "SVG images (*.svg)", Pattern: "*.svg"},
	"png": {DisplayName: "PNG images (*.png)", Pattern: "*.png"},
}

// ChooseDiagramPath asks for a file to export a database's diagram to (the
// native save dialog), format "svg" or "png"; "" when the user cancels.
func (s *SchemaService) ChooseDiagramPath(databaseID, format string) (string, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	filter, ok := diagramFormats[format]
	if !ok {
		return "", fail(usererr.Invalid("format", "a diagram is exported as svg or png, not %q", format))
	}
	db, err := s.a.ws.GetDatabase(ctx, databaseID)
	if err != nil {
		return "", fail(err)
	}
	wctx := s.a.base()
	if wctx.Value("frontend") == nil {
		return "", fail(&usererr.Error{Message: "no window to show a save dialog in"})
	}
	path, err := runtime.SaveFileDialog(wctx, runtime.SaveDialogOptions{
		Title:           "Export the diagram of " + db.Name,
		DefaultFilename: db.Name + "-diagram." + format,
		Filters:         []runtime.FileFilter{filter},
	})
	if err != nil {
		return "", fail(fmt.Errorf("save dialog: %w", err))
	}
	return path, nil
}

// pngSignature starts every PNG file.
var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// SaveDiagram writes an exported diagram to path: format "svg" with the
// SVG document as data, or "png" with the image's bytes in base64 (a data:
// URL is accepted too, as a canvas produces it).
func (s *SchemaService) SaveDiagram(path, format, data string) error {
	if strings.TrimSpace(path) == "" {
		return fail(usererr.Invalid("path", "choose a file to export the diagram to"))
	}
	var out []byte
	switch format {
	case "svg":
		if !strings.Contains(data[:min(len(data), 512)], "<svg") {
			return fail(usererr.Invalid("data", "the diagram to export is not an SVG document"))
		}
		out = []byte(data)
	case "png":
		if i := strings.Index(data, ","); strings.HasPrefix(data, "data:") && i > 0 {
			data = data[i+1:]
		}
		b, err := base64.StdEncoding.DecodeString(data)
		if err != nil || !bytes.HasPrefix(b, pngSignature) {
			return fail(usererr.Invalid("data", "the diagram to export is not a PNG image"))
		}
		out = b
	default:
		return fail(usererr.Invalid("format", "a diagram is exported as svg or png, not %q", format))
	}
	if err := os.WriteFile(path, out, 0o644); err != nil {
		return fail(&usererr.Error{Message: fmt.Sprintf("cannot export the diagram to %s: %v", path, errors.Unwrap(err)), Field: "path", Err: err})
	}
	return nil
}
