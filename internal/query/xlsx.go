package query

import (
	"archive/zip"
	"fmt"
	"io"
	"math/big"
	"strconv"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// XLSX limits: rows a sheet holds (the header included) and characters a
// cell holds.
const (
	xlsxMaxRows      = excelize.TotalRows
	xlsxMaxCellChars = excelize.TotalCellChars
)

// XLSXBook writes results as an Excel workbook, one sheet per result, with
// excelize's StreamWriter: rows go to a temporary file as they arrive, so
// memory does not grow with the rows; closing the book compresses them
// into the workbook written straight to w. A sheet starts with the column names; booleans and
// numbers that a spreadsheet holds exactly are typed cells, NULL is an empty
// cell, everything else is PostgreSQL's text. A value too long for a cell or
// a result too long for a sheet fails the export rather than being cut.
type XLSXBook struct {
	w      io.Writer
	f      *excelize.File
	sheets int
	cur    *xlsxSheet
}

// NewXLSXBook returns a workbook written to w when it is closed. The ZIP
// archive is written straight to w (excelize would otherwise assemble it in
// memory first).
func NewXLSXBook(w io.Writer) *XLSXBook {
	f := excelize.NewFile()
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(w) })
	return &XLSXBook{w: w, f: f}
}

// Sheet returns the writer of the next result, as a sheet called name (or
// "Result N", N counting the sheets, when name is empty). The sheet is made
// when its columns arrive (a statement without rows makes none) and ends
// the previous one.
func (b *XLSXBook) Sheet(name string) Writer {
	if r := []rune(name); len(r) > excelize.MaxSheetNameLength {
		name = string(r[:excelize.MaxSheetNameLength])
	}
	return &xlsxSheet{b: b, name: name}
}

// Close finishes the workbook, writes it to w and removes its temporary
// files. A workbook with no result has one empty sheet.
func (b *XLSXBook) Close() error {
	defer b.f.Close()
	if err := b.flush(); err != nil {
		return err
	}
	// The archive goes to w through the zip writer set above; the buffer
	// Write fills stays empty.
	if err := b.f.Write(io.Discard); err != nil {
		return fmt.Errorf("write the XLSX workbook: %w", err)
	}
	return nil
}

// Abort drops the workbook without writing it, removing its temporary
// files (a failed run); after Close it does nothing.
func (b *XLSXBook) Abort() { _ = b.f.Close() }

func (b *XLSXBook) flush() error {
	if b.cur == nil || b.cur.sw == nil {
		return nil
	}
	s := b.cur
	b.cur = nil
	if err := s.sw.Flush(); err != nil {
		return fmt.Errorf("XLSX sheet %q: %w", s.name, err)
	}
	return nil
}

// xlsxSheet is one result's sheet. The sheet is created when its columns
// arrive, so statements without rows add none.
type xlsxSheet struct {
	b    *XLSXBook
	name string
	sw   *excelize.StreamWriter
	cols []Column
	row  int
	vals []any
}

func (s *xlsxSheet) Columns(cols []Column) error {
	b := s.b
	if err := b.flush(); err != nil {
		return err
	}
	b.sheets++
	if s.name == "" {
		s.name = "Result " + strconv.Itoa(b.sheets)
	}
	if b.sheets == 1 {
		// The new file's default sheet becomes the first result's.
		if err := b.f.SetSheetName(b.f.GetSheetName(0), s.name); err != nil {
			return fmt.Errorf("XLSX sheet %q: %w", s.name, err)
		}
	} else if _, err := b.f.NewSheet(s.name); err != nil {
		return fmt.Errorf("XLSX sheet %q: %w", s.name, err)
	}
	sw, err := b.f.NewStreamWriter(s.name)
	if err != nil {
		return fmt.Errorf("XLSX sheet %q: %w", s.name, err)
	}
	s.sw, s.cols, b.cur = sw, cols, s
	s.vals = make([]any, len(cols))
	for i, c := range cols {
		s.vals[i] = c.Name
	}
	return s.put()
}

func (s *xlsxSheet) Row(vals [][]byte) error {
	if s.row >= xlsxMaxRows {
		return fmt.Errorf("the result has more than %d rows, the most an XLSX sheet holds: export it as CSV or JSON", xlsxMaxRows-1)
	}
	for i, v := range vals {
		if v == nil {
			s.vals[i] = nil
			continue
		}
		if n := utf8.RuneCount(v); n > xlsxMaxCellChars {
			return fmt.Errorf("row %d, column %q: a value of %d characters is longer than the %d an XLSX cell holds: export it as CSV or JSON",
				s.row, s.cols[i].Name, n, xlsxMaxCellChars)
		}
		s.vals[i] = xlsxValue(s.cols[i].OID, v)
	}
	return s.put()
}

func (s *xlsxSheet) put() error {
	s.row++
	cell, _ := excelize.CoordinatesToCellName(1, s.row)
	if err := s.sw.SetRow(cell, s.vals); err != nil {
		return fmt.Errorf("XLSX sheet %q row %d: %w", s.name, s.row-1, err)
	}
	return nil
}

// Close ends a single-result workbook (NewWriter with XLSX).
func (s *xlsxSheet) Close() error { return nil }

// xlsxValue is a typed cell value: booleans, and numbers whose value a
// double holds exactly (1.50 is 1.5; 9007199254740993 and NaN are not) are
// typed, the rest is text.
func xlsxValue(oid uint32, v []byte) any {
	switch oid {
	case oidBool:
		switch string(v) {
		case "t":
			return true
		case "f":
			return false
		}
	case oidInt2, oidInt4, oidInt8, oidOID, oidFloat4, oidFloat8, oidNumeric:
		if f, err := strconv.ParseFloat(string(v), 64); err == nil {
			exact, ok1 := new(big.Rat).SetString(string(v))
			held, ok2 := new(big.Rat).SetString(strconv.FormatFloat(f, 'f', -1, 64))
			if ok1 && ok2 && exact.Cmp(held) == 0 {
				return f
			}
		}
	}
	return string(v)
}

// singleXLSX is the Writer of NewWriter with XLSX: a workbook of one result.
type singleXLSX struct {
	*xlsxSheet
	book *XLSXBook
}

func (x *singleXLSX) Close() error { return x.book.Close() }
