package query

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Format is an output format of results.
type Format string

// The formats.
const (
	CSV       Format = "csv"
	JSONArray Format = "json"  // one JSON array of objects
	JSONLines Format = "jsonl" // one JSON object a line
	SQL       Format = "sql"   // INSERT statements
	Table     Format = "table" // aligned text for terminals (holds the rows it prints)
	XLSX      Format = "xlsx"  // an Excel workbook (binary; to a file)
)

// Formats lists the formats a writer exists for.
func Formats() []Format { return []Format{Table, CSV, JSONArray, JSONLines, SQL, XLSX} }

// Writer is a Sink that writes one result in a format as rows arrive; Close
// finishes it (the closing bracket of a JSON array, the table itself).
type Writer interface {
	Sink
	Close() error
}

// NewWriter returns a streaming writer of format to w. table names the
// target of SQL INSERTs.
func NewWriter(w io.Writer, format Format, table string) (Writer, error) {
	if format == XLSX {
		b := NewXLSXBook(w)
		return &singleXLSX{xlsxSheet: b.Sheet(table).(*xlsxSheet), book: b}, nil
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	switch format {
	case CSV:
		return &csvWriter{w: bw}, nil
	case JSONArray:
		return &jsonWriter{w: bw, array: true}, nil
	case JSONLines:
		return &jsonWriter{w: bw}, nil
	case SQL:
		if table == "" {
			table = "result"
		}
		return &sqlWriter{w: bw, table: table}, nil
	case Table:
		return &tableWriter{w: bw}, nil
	}
	return nil, fmt.Errorf("unknown format %q (use one of table, csv, json, jsonl, sql, xlsx)", format)
}

// csvWriter writes CSV as PostgreSQL's COPY ... CSV HEADER does: NULL is an
// empty unquoted field, an empty string is "", a field is quoted when it
// holds a delimiter, quote, CR or LF (or is \.).
type csvWriter struct {
	w *bufio.Writer
}

func (c *csvWriter) Columns(cols []Column) error {
	for i, col := range cols {
		if i > 0 {
			c.w.WriteByte(',')
		}
		c.field([]byte(col.Name))
	}
	_, err := c.w.WriteString("\n")
	return err
}

func (c *csvWriter) Row(vals [][]byte) error {
	for i, v := range vals {
		if i > 0 {
			c.w.WriteByte(',')
		}
		if v != nil {
			c.field(v)
		}
	}
	return c.w.WriteByte('\n')
}

func (c *csvWriter) field(v []byte) {
	quote := len(v) == 0 || string(v) == `\.`
	if !quote {
		for _, b := range v {
			if b == ',' || b == '"' || b == '\n' || b == '\r' {
				quote = true
				break
			}
		}
	}
	if !quote {
		c.w.Write(v)
		return
	}
	c.w.WriteByte('"')
	for _, b := range v {
		if b == '"' {
			c.w.WriteByte('"')
		}
		c.w.WriteByte(b)
	}
	c.w.WriteByte('"')
}

func (c *csvWriter) Close() error { return c.w.Flush() }

// jsonWriter writes objects keyed by column name; numbers, booleans and
// json/jsonb values keep their JSON type, everything else is a string, NULL
// is null.
type jsonWriter struct {
	w     *bufio.Writer
	array bool
	cols  []Column
	keys  [][]byte
	n     int
}

func (j *jsonWriter) Columns(cols []Column) error {
	j.cols = cols
	j.keys = make([][]byte, len(cols))
	for i, c := range cols {
		k, _ := json.Marshal(c.Name)
		j.keys[i] = k
	}
	if j.array {
		return j.w.WriteByte('[')
	}
	return nil
}

func (j *jsonWriter) Row(vals [][]byte) error {
	if j.array && j.n > 0 {
		j.w.WriteByte(',')
	}
	if j.array {
		j.w.WriteByte('\n')
	}
	j.n++
	j.w.WriteByte('{')
	for i, v := range vals {
		if i > 0 {
			j.w.WriteByte(',')
		}
		j.w.Write(j.keys[i])
		j.w.WriteByte(':')
		writeJSONValue(j.w, j.cols[i].OID, v)
	}
	j.w.WriteByte('}')
	if !j.array {
		return j.w.WriteByte('\n')
	}
	return nil
}

func (j *jsonWriter) Close() error {
	if j.array {
		if j.cols == nil {
			j.w.WriteByte('[')
		}
		if j.n > 0 {
			j.w.WriteByte('\n')
		}
		j.w.WriteString("]\n")
	}
	return j.w.Flush()
}

// Built-in type OIDs the writers treat specially.
const (
	oidBool    = 16
	oidBytea   = 17
	oidInt8    = 20
	oidInt2    = 21
	oidInt4    = 23
	oidOID     = 26
	oidJSON    = 114
	oidFloat4  = 700
	oidFloat8  = 701
	oidNumeric = 1700
	oidJSONB   = 3802
)

func writeJSONValue(w *bufio.Writer, oid uint32, v []byte) {
	switch {
	case v == nil:
		w.WriteString("null")
	case oid == oidBool:
		if len(v) > 0 && v[0] == 't' {
			w.WriteString("true")
		} else {
			w.WriteString("false")
		}
	case oid == oidInt2 || oid == oidInt4 || oid == oidInt8 || oid == oidOID:
		w.Write(v)
	case oid == oidFloat4 || oid == oidFloat8 || oid == oidNumeric:
		// NaN and Infinity have no JSON number.
		if _, err := strconv.ParseFloat(string(v), 64); err == nil && !strings.ContainsAny(string(v), "nNiI") {
			w.Write(v)
		} else {
			writeJSONString(w, v)
		}
	case oid == oidJSON || oid == oidJSONB:
		w.Write(v)
	default:
		writeJSONString(w, v)
	}
}

func writeJSONString(w *bufio.Writer, v []byte) {
	const hex = "0123456789abcdef"
	w.WriteByte('"')
	for i := 0; i < len(v); {
		b := v[i]
		if b < utf8.RuneSelf {
			switch {
			case b == '"' || b == '\\':
				w.WriteByte('\\')
				w.WriteByte(b)
			case b == '\n':
				w.WriteString(`\n`)
			case b == '\r':
				w.WriteString(`\r`)
			case b == '\t':
				w.WriteString(`\t`)
			case b < 0x20:
				w.WriteString(`\u00`)
				w.WriteByte(hex[b>>4])
				w.WriteByte(hex[b&0xf])
			default:
				w.WriteByte(b)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(v[i:])
		if r == utf8.RuneError && n == 1 {
			w.WriteString(`\ufffd`)
		} else {
			w.Write(v[i : i+n])
		}
		i += n
	}
	w.WriteByte('"')
}

// sqlWriter writes one INSERT per row with typed literals, so running the
// output recreates the rows in a table of the same shape.
type sqlWriter struct {
	w     *bufio.Writer
	table string
	cols  []Column
	head  string
}

func (s *sqlWriter) Columns(cols []Column) error {
	s.cols = cols
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = quoteIdent(c.Name)
	}
	s.head = "INSERT INTO " + s.table + " (" + strings.Join(names, ", ") + ") VALUES ("
	return nil
}

func (s *sqlWriter) Row(vals [][]byte) error {
	s.w.WriteString(s.head)
	for i, v := range vals {
		if i > 0 {
			s.w.WriteString(", ")
		}
		if v == nil {
			s.w.WriteString("NULL")
			continue
		}
		s.w.WriteString(quoteLiteral(string(v)))
		if t := s.cols[i].Type; t != "" && t != "text" {
			s.w.WriteString("::")
			s.w.WriteString(t)
		}
	}
	_, err := s.w.WriteString(");\n")
	return err
}

func (s *sqlWriter) Close() error { return s.w.Flush() }

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// tableWriter prints an aligned table like psql (it holds the rows to
// align them; use csv or json for large results).
type tableWriter struct {
	w    *bufio.Writer
	cols []Column
	rows [][]string
}

// NullDisplay is how the table format and the grid show NULL.
const NullDisplay = "NULL"

func (t *tableWriter) Columns(cols []Column) error { t.cols = cols; return nil }

func (t *tableWriter) Row(vals [][]byte) error {
	r := make([]string, len(vals))
	for i, v := range vals {
		if v == nil {
			r[i] = NullDisplay
		} else {
			r[i] = strings.NewReplacer("\n", `\n`, "\t", `\t`).Replace(string(v))
		}
	}
	t.rows = append(t.rows, r)
	return nil
}

func (t *tableWriter) Close() error {
	if t.cols == nil {
		return t.w.Flush()
	}
	width := make([]int, len(t.cols))
	for i, c := range t.cols {
		width[i] = utf8.RuneCountInString(c.Name)
	}
	for _, r := range t.rows {
		for i, v := range r {
			width[i] = max(width[i], utf8.RuneCountInString(v))
		}
	}
	line := func(vals []string) {
		for i, v := range vals {
			if i > 0 {
				t.w.WriteString(" | ")
			}
			t.w.WriteString(v)
			if i < len(vals)-1 {
				t.w.WriteString(strings.Repeat(" ", width[i]-utf8.RuneCountInString(v)))
			}
		}
		t.w.WriteByte('\n')
	}
	names := make([]string, len(t.cols))
	seps := make([]string, len(t.cols))
	for i, c := range t.cols {
		names[i] = c.Name
		seps[i] = strings.Repeat("-", width[i])
	}
	line(names)
	t.w.WriteString(strings.Join(seps, "-+-") + "\n")
	for _, r := range t.rows {
		line(r)
	}
	fmt.Fprintf(t.w, "(%d row%s)\n", len(t.rows), map[bool]string{true: "", false: "s"}[len(t.rows) == 1])
	return t.w.Flush()
}
