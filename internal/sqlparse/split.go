package sqlparse

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	pg_query "github.com/pganalyze/pg_query_go/v6"
	pgparser "github.com/pganalyze/pg_query_go/v6/parser"
)

// Kind is the broad class of a statement.
type Kind string

// Statement kinds. DDL, DML and Query follow PostgreSQL's log_statement
// classes, with GRANT/REVOKE/roles split out as DCL.
const (
	DDL                Kind = "DDL"
	DML                Kind = "DML"
	DCL                Kind = "DCL"
	TransactionControl Kind = "TransactionControl"
	Utility            Kind = "Utility"
	Query              Kind = "Query" // SELECT, VALUES, TABLE (without INTO)
	MetaCommand        Kind = "MetaCommand"
	Empty              Kind = "Empty" // no statement (Classify of a nil node)
)

// Statement is one statement of a script with its exact position.
type Statement struct {
	Text       string // exact source bytes of the statement (without the terminating ';')
	Start, End int    // byte offsets in the source, [Start, End)
	// PrefixStart is where the whitespace and comments before the statement
	// begin (just after the previous statement or meta-command); the comments
	// in [PrefixStart, Start) belong to this statement.
	PrefixStart  int
	Line, Column int // 1-based position of the first token; Column counts characters
	EndLine      int // 1-based line of the last byte of the statement
	Kind         Kind
	Tag          string // command tag, e.g. "CREATE INDEX", "ALTER TABLE"; for meta-commands the command (`\connect`)
	// NonTransactional is set when the statement cannot run inside a
	// transaction block on current PostgreSQL (see IsNonTransactional).
	NonTransactional bool
	Node             *pg_query.Node // nil for meta-commands

	// Data is the inline data of COPY ... FROM STDIN (the lines between the
	// statement and the terminating "\." line, with their newlines);
	// DataStart/DataEnd span the block including the "\." line. Zero
	// otherwise; HasData tells the two apart.
	HasData            bool
	Data               string
	DataStart, DataEnd int
}

// SyntaxError is a script PostgreSQL's parser rejects.
type SyntaxError struct {
	Line, Column int    // 1-based; Column counts characters
	Offset       int    // byte offset in the source
	Message      string // the parser's message, e.g. `syntax error at or near "TABLEX"`
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Column, e.Message)
}

// LatestServerVersion is the server_version_num Split assumes when flagging
// non-transactional statements.
const LatestServerVersion = 170000

// Split cuts src into statements in source order, each with its exact byte
// span, position, classification and parse tree. psql meta-commands become
// MetaCommand statements (consumers decide whether to refuse them); COPY ...
// FROM STDIN data stays with its statement. A script the parser rejects
// yields a *SyntaxError.
func Split(src string) ([]Statement, error) {
	if !utf8.ValidString(src) || strings.IndexByte(src, 0) >= 0 {
		// The server rejects such input too (SQLSTATE 22021).
		off := 0
		for off < len(src) {
			r, w := utf8.DecodeRuneInString(src[off:])
			if r == utf8.RuneError && w == 1 || r == 0 {
				break
			}
			off += w
		}
		line, col := Position(src, off)
		return nil, &SyntaxError{Line: line, Column: col, Offset: off,
			Message: fmt.Sprintf("invalid byte sequence for encoding \"UTF8\": 0x%02x", src[off])}
	}
	segs := scanScript(src)
	text := src
	hasSpecial := false
	for _, sg := range segs {
		if sg.kind != segSQL {
			hasSpecial = true
			break
		}
	}
	if hasSpecial {
		// Hide what the server never sees, keeping every byte offset:
		// a meta-command ends the statement before it (like \g), data is blanked.
		b := []byte(src)
		for _, sg := range segs {
			switch sg.kind {
			case segMeta:
				b[sg.start] = ';'
				for k := sg.start + 1; k < sg.end; k++ {
					b[k] = ' '
				}
			case segCopyData:
				for k := sg.start; k < sg.end; k++ {
					if b[k] != '\n' {
						b[k] = ' '
					}
				}
			}
		}
		text = string(b)
	}
	lines := newLineIndex(src)
	res, err := pg_query.Parse(text)
	if err != nil {
		return nil, syntaxError(text, lines, err)
	}
	out := make([]Statement, 0, len(res.Stmts)+4)
	for _, rs := range res.Stmts {
		loc := int(rs.StmtLocation)
		end := len(text)
		if rs.StmtLen > 0 {
			end = loc + int(rs.StmtLen)
		}
		first, last, ok := tokenBounds(text, loc, end)
		if !ok {
			continue
		}
		st := Statement{
			Text:        src[first:last],
			Start:       first,
			End:         last,
			PrefixStart: loc,
			Node:        rs.Stmt,
		}
		st.Kind, st.Tag = Classify(rs.Stmt)
		st.NonTransactional = IsNonTransactional(rs.Stmt, LatestServerVersion)
		out = append(out, st)
	}
	if hasSpecial {
		for _, sg := range segs {
			switch sg.kind {
			case segMeta:
				out = append(out, Statement{
					Text: src[sg.start:sg.end], Start: sg.start, End: sg.end, PrefixStart: sg.start,
					Kind: MetaCommand, Tag: metaName(src[sg.start:sg.end]),
				})
			}
		}
		sort.SliceStable(out, func(i, j int) bool { return out[i].Start < out[j].Start })
		// A statement after a meta-command starts its prefix after it.
		for i := 1; i < len(out); i++ {
			if out[i-1].Kind == MetaCommand && out[i].PrefixStart < out[i-1].End {
				out[i].PrefixStart = out[i-1].End
			}
		}
		for _, sg := range segs {
			if sg.kind != segCopyData {
				continue
			}
			// The block belongs to the last statement before it.
			k := sort.Search(len(out), func(i int) bool { return out[i].Start >= sg.start }) - 1
			if k >= 0 && !out[k].HasData {
				d := src[sg.start:sg.end]
				if strings.HasSuffix(d, `\.`) {
					d = d[:len(d)-2]
				}
				out[k].HasData, out[k].Data, out[k].DataStart, out[k].DataEnd = true, d, sg.start, sg.end
			}
		}
	}
	for i := range out {
		st := &out[i]
		st.Line, st.Column = lines.position(src, st.Start)
		st.EndLine, _ = lines.position(src, max(st.End-1, st.Start))
	}
	return out, nil
}

// metaName is the command word of a meta-command line ("\connect db" -> `\connect`).
func metaName(line string) string {
	end := 1
	for end < len(line) && line[end] != ' ' && line[end] != '\t' && line[end] != '\\' {
		end++
	}
	return line[:end]
}

// syntaxError converts the parser's error (whose cursor counts characters of
// text) into a positioned *SyntaxError.
func syntaxError(text string, lines lineIndex, err error) error {
	var pe *pgparser.Error
	if !errors.As(err, &pe) {
		return fmt.Errorf("parse: %w", err)
	}
	off := len(text)
	if pe.Cursorpos > 0 {
		off = charToByte(text, pe.Cursorpos-1)
	}
	line, col := lines.position(text, off)
	return &SyntaxError{Line: line, Column: col, Offset: off, Message: pe.Message}
}

// charToByte returns the byte offset of the n-th (0-based) character of s.
func charToByte(s string, n int) int {
	i := 0
	for k := 0; k < n && i < len(s); k++ {
		_, w := utf8.DecodeRuneInString(s[i:])
		i += w
	}
	return i
}

// lineIndex maps byte offsets to 1-based lines and columns.
type lineIndex []int // byte offset of each line start

func newLineIndex(src string) lineIndex {
	idx := lineIndex{0}
	for i := 0; i < len(src); i++ {
		if src[i] == '\n' {
			idx = append(idx, i+1)
		}
	}
	return idx
}

// position returns the 1-based line and character column of byte offset off.
func (l lineIndex) position(src string, off int) (line, col int) {
	off = min(max(off, 0), len(src))
	k := sort.Search(len(l), func(i int) bool { return l[i] > off }) - 1
	return k + 1, utf8.RuneCountInString(src[l[k]:off]) + 1
}

// Position returns the 1-based line and character column of byte offset off in src.
func Position(src string, off int) (line, column int) {
	return newLineIndex(src).position(src, off)
}
