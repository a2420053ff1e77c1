package query

import (
	"bytes"
	"context"
	"math/big"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/tidemark-dev/tidemark/internal/pgtest"
	"github.com/tidemark-dev/tidemark/internal/sqlparse"
)

// TestXLSXReadBack exports results as XLSX, opens the workbook with excelize
// and compares every cell with the rows PostgreSQL returned: text exactly,
// typed booleans and numbers by value, NULL as an empty cell; a script's
// results are one sheet each.
func TestXLSXReadBack(t *testing.T) {
	url := srv.NewDB(t)
	pgtest.MustExec(t, url, sampleSetup+`CREATE TABLE nums (n numeric, b bigint, f float8);
		INSERT INTO nums VALUES (0.1, 9007199254740993, 'NaN'), (1.50, 42, 2.5), (NULL, -1, '-Infinity');`)
	ctx := context.Background()
	s := open(t, url, Options{})
	const script = "SELECT * FROM items ORDER BY id; SELECT 1 AS one WHERE false; SHOW TimeZone; SELECT * FROM nums ORDER BY b"
	var grids []*Grid
	if _, err := s.Run(ctx, script, RunOptions{Sink: func(int, sqlparse.Statement) Sink { g := &Grid{}; grids = append(grids, g); return g }}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	book := NewXLSXBook(&buf)
	if _, err := s.Run(ctx, script, RunOptions{Sink: func(int, sqlparse.Statement) Sink { return book.Sheet("") }}); err != nil {
		t.Fatal(err)
	}
	if err := book.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("open the workbook: %v", err)
	}
	defer f.Close()
	if got := f.GetSheetList(); strings.Join(got, "|") != "Result 1|Result 2|Result 3|Result 4" {
		t.Fatalf("sheets %v", got)
	}
	typed := map[string]excelize.CellType{}
	for i, g := range grids {
		sheet := f.GetSheetName(i)
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != len(g.Rows)+1 {
			t.Fatalf("%s: %d rows, want %d and the header", sheet, len(rows), len(g.Rows))
		}
		for c, col := range g.Cols {
			if got := cellAt(rows, 0, c); got != col.Name {
				t.Errorf("%s header %d: %q, want %q", sheet, c, got, col.Name)
			}
		}
		for r, row := range g.Rows {
			for c, cell := range row {
				name, _ := excelize.CoordinatesToCellName(c+1, r+2)
				ct, err := f.GetCellType(sheet, name)
				if err != nil {
					t.Fatal(err)
				}
				got := cellAt(rows, r+1, c)
				switch {
				case cell.Null:
					if got != "" || ct != excelize.CellTypeUnset {
						t.Errorf("%s!%s: NULL read back as %q (type %v)", sheet, name, got, ct)
					}
				case ct == excelize.CellTypeBool:
					if want := map[string]string{"t": "1", "f": "0"}[cell.Text]; got != want {
						t.Errorf("%s!%s: boolean %q read back as %q", sheet, name, cell.Text, got)
					}
				case ct == numberCell && got != "":
					if !sameNumber(got, cell.Text) {
						t.Errorf("%s!%s: number %q read back as %q", sheet, name, cell.Text, got)
					}
				default:
					if got != cell.Text {
						t.Errorf("%s!%s: %q read back as %q (type %v)", sheet, name, cell.Text, got, ct)
					}
				}
				typed[g.Cols[c].Name+"="+cell.Text] = ct
			}
		}
	}
	// What became a typed cell and what stayed text.
	for v, want := range map[string]excelize.CellType{"id=1": numberCell, "price=1.50": numberCell, "ok=t": excelize.CellTypeBool,
		"n=0.1": numberCell, "b=9007199254740993": excelize.CellTypeInlineString, "f=NaN": excelize.CellTypeInlineString,
		"f=-Infinity": excelize.CellTypeInlineString, "name=plain": excelize.CellTypeInlineString} {
		if got, ok := typed[v]; !ok || got != want {
			t.Errorf("%s: cell type %v (seen %v), want %v", v, got, ok, want)
		}
	}
	// A statement without rows makes no sheet.
	adm := open(t, url, Options{Admin: true})
	var ab bytes.Buffer
	abook := NewXLSXBook(&ab)
	if _, err := adm.Run(ctx, "SET work_mem = '8MB'; SELECT 1 AS a", RunOptions{Sink: func(int, sqlparse.Statement) Sink { return abook.Sheet("") }}); err != nil {
		t.Fatal(err)
	}
	if err := abook.Close(); err != nil {
		t.Fatal(err)
	}
	if af, err := excelize.OpenReader(&ab); err != nil || strings.Join(af.GetSheetList(), "|") != "Result 1" {
		t.Errorf("admin script sheets: %v", err)
	} else {
		af.Close()
	}
	// A value longer than a cell holds fails the export, naming the limit.
	var w bytes.Buffer
	one, _ := NewWriter(&w, XLSX, "long")
	_, err = s.Run(ctx, "SELECT repeat('x', 40000) AS big", RunOptions{Sink: func(int, sqlparse.Statement) Sink { return one }})
	if err == nil || !strings.Contains(err.Error(), "32767") || !strings.Contains(err.Error(), `"big"`) {
		t.Errorf("a 40,000-character value: %v", err)
	}
}

// numberCell is how excelize reports a number cell: one without a type
// attribute (the default type in the file format).
const numberCell = excelize.CellTypeUnset

func cellAt(rows [][]string, r, c int) string {
	if r >= len(rows) || c >= len(rows[r]) {
		return ""
	}
	return rows[r][c]
}

// sameNumber reports whether two decimal texts are the same number.
func sameNumber(a, b string) bool {
	x, ok1 := new(big.Rat).SetString(a)
	y, ok2 := new(big.Rat).SetString(b)
	return ok1 && ok2 && x.Cmp(y) == 0
}
