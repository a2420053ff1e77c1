package sqlparse

import (
	"errors"
	"fmt"
	"runtime"
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
	// NodeOffset is the byte offset of the text Node was parsed from: add it
	// to locations inside Node to get offsets in the source.
	NodeOffset int

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

// Error renders the parser message with its position.
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
	var out []Statement
	err := SplitFunc(src, func(batch []Statement) error {
		out = append(out, batch...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// chunkBytes is the size past which the script is cut (at a statement
// boundary) into separately parsed chunks.
const chunkBytes = 64 << 10

type chunk struct {
	start, end int       // byte range of src
	segs       []segment // the segments inside
	stmts      []Statement
	err        error
}

// SplitFunc is Split for large scripts: it parses the script in chunks (in
// parallel, bounded) and calls fn with each chunk's statements in source
// order, so a caller that drops the parse trees it is done with keeps memory
// flat. Node locations are relative to Statement.NodeOffset. When the script
// does not parse, fn may already have received the batches before the error.
func SplitFunc(src string, fn func(batch []Statement) error) error {
	return splitFunc(src, chunkBytes, fn)
}

// splitFunc is SplitFunc with the chunk size as a parameter (tests cut
// scripts into tiny chunks to exercise every boundary).
func splitFunc(src string, chunkSize int, fn func(batch []Statement) error) error {
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
		return &SyntaxError{Line: line, Column: col, Offset: off,
			Message: fmt.Sprintf("invalid byte sequence for encoding \"UTF8\": 0x%02x", src[off])}
	}
	lines := NewLineIndex(src)
	chunks := makeChunks(src, scanScript(src), chunkSize)
	workers := max(1, min(runtime.GOMAXPROCS(0), len(chunks)))
	if workers == 1 {
		for _, ch := range chunks {
			parseChunk(src, ch, lines)
			if ch.err != nil {
				return recoverChunk(src, chunks, ch, lines, fn)
			}
			if err := fn(ch.stmts); err != nil {
				return err
			}
			ch.stmts = nil
		}
		return nil
	}
	// Parse ahead on all cores, deliver in order, at most 2*workers chunks in flight.
	done := make([]chan struct{}, len(chunks))
	for i := range done {
		done[i] = make(chan struct{})
	}
	sem := make(chan struct{}, 2*workers)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		next := make(chan int)
		for w := 0; w < workers; w++ {
			go func() {
				for i := range next {
					parseChunk(src, chunks[i], lines)
					close(done[i])
				}
			}()
		}
		defer close(next)
		for i := range chunks {
			select {
			case sem <- struct{}{}:
			case <-stop:
				return
			}
			select {
			case next <- i:
			case <-stop:
				return
			}
		}
	}()
	for i, ch := range chunks {
		<-done[i]
		<-sem
		if ch.err != nil {
			return recoverChunk(src, chunks, ch, lines, fn)
		}
		if err := fn(ch.stmts); err != nil {
			return err
		}
		ch.stmts = nil
	}
	return nil
}

// makeChunks groups segments into chunks cut after a statement's ';' once a
// chunk holds chunkBytes (never between COPY FROM STDIN and its data).
func makeChunks(src string, segs []segment, chunkSize int) []*chunk {
	var out []*chunk
	cur := &chunk{start: 0}
	pendingCopy := false // a COPY FROM STDIN whose data block has not been seen yet
	for _, sg := range segs {
		cur.segs = append(cur.segs, sg)
		switch {
		case sg.kind == segSQL && sg.copyStdin && sg.semi >= 0:
			pendingCopy = true
		case sg.kind == segCopyData:
			pendingCopy = false
		}
		if sg.kind == segSQL && sg.semi >= 0 && !pendingCopy && sg.semi+1-cur.start >= chunkSize {
			cur.end = sg.semi + 1
			out = append(out, cur)
			cur = &chunk{start: sg.semi + 1}
		}
	}
	cur.end = len(src)
	return append(out, cur)
}

// blank returns src[start:end] with what the server never sees hidden
// (same length): a meta-command ends the statement before it (like \g),
// COPY data becomes spaces.
func blank(src string, start, end int, segs []segment) string {
	special := false
	for _, sg := range segs {
		if sg.kind != segSQL {
			special = true
			break
		}
	}
	if !special {
		return src[start:end]
	}
	b := []byte(src[start:end])
	for _, sg := range segs {
		switch sg.kind {
		case segMeta:
			b[sg.start-start] = ';'
			for k := sg.start + 1; k < sg.end; k++ {
				b[k-start] = ' '
			}
		case segCopyData:
			for k := sg.start; k < sg.end; k++ {
				if b[k-start] != '\n' {
					b[k-start] = ' '
				}
			}
		}
	}
	return string(b)
}

// parseChunk parses one chunk into positioned statements (or an error).
func parseChunk(src string, ch *chunk, lines LineIndex) {
	text := blank(src, ch.start, ch.end, ch.segs)
	res, err := pg_query.Parse(text)
	if err != nil {
		ch.err = err
		return
	}
	ch.stmts = buildStatements(src, text, ch.start, res, ch.segs, lines)
}

// buildStatements turns a parse result of text (= blanked src[base:]) into statements.
func buildStatements(src, text string, base int, res *pg_query.ParseResult, segs []segment, lines LineIndex) []Statement {
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
			Text:        src[base+first : base+last],
			Start:       base + first,
			End:         base + last,
			PrefixStart: base + loc,
			Node:        rs.Stmt,
			NodeOffset:  base,
		}
		st.Kind, st.Tag = Classify(rs.Stmt)
		st.NonTransactional = IsNonTransactional(rs.Stmt, LatestServerVersion)
		out = append(out, st)
	}
	special := false
	for _, sg := range segs {
		if sg.kind == segMeta {
			special = true
			out = append(out, Statement{
				Text: src[sg.start:sg.end], Start: sg.start, End: sg.end, PrefixStart: sg.start,
				Kind: MetaCommand, Tag: metaName(src[sg.start:sg.end]),
			})
		}
		if sg.kind == segCopyData {
			special = true
		}
	}
	if special {
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
			// The block belongs to the last COPY ... FROM STDIN before it.
			k := sort.Search(len(out), func(i int) bool { return out[i].Start >= sg.start }) - 1
			for k >= 0 && !isCopyFromStdin(out[k].Node) {
				k--
			}
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
		st.Line, st.Column = lines.Position(src, st.Start)
		st.EndLine, _ = lines.Position(src, max(st.End-1, st.Start))
	}
	return out
}

func isCopyFromStdin(n *pg_query.Node) bool {
	cs := n.GetCopyStmt()
	return cs != nil && cs.IsFrom && cs.Filename == "" && !cs.IsProgram
}

// recoverChunk handles a chunk that failed to parse: the whole rest of the
// script (from that chunk on) is parsed in one piece, which gives the
// parser's own error, or — should the chunk cut have been wrong — the
// statements, which are delivered.
func recoverChunk(src string, chunks []*chunk, failed *chunk, lines LineIndex, fn func([]Statement) error) error {
	var segs []segment
	found := false
	for _, ch := range chunks {
		if ch == failed {
			found = true
		}
		if found {
			segs = append(segs, ch.segs...)
		}
	}
	text := blank(src, failed.start, len(src), segs)
	res, err := pg_query.Parse(text)
	if err != nil {
		return syntaxError(text, failed.start, src, lines, err)
	}
	return fn(buildStatements(src, text, failed.start, res, segs, lines))
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
// text, which starts at byte base of src) into a positioned *SyntaxError.
func syntaxError(text string, base int, src string, lines LineIndex, err error) error {
	var pe *pgparser.Error
	if !errors.As(err, &pe) {
		return fmt.Errorf("parse: %w", err)
	}
	off := len(text)
	if pe.Cursorpos > 0 {
		off = charToByte(text, pe.Cursorpos-1)
	}
	off += base
	line, col := lines.Position(src, off)
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

// LineIndex maps byte offsets of a source text to 1-based lines and
// character columns: the one way Tidemark turns offsets into positions.
type LineIndex []int // byte offset of each line start

// NewLineIndex indexes the line starts of src.
func NewLineIndex(src string) LineIndex {
	idx := LineIndex{0}
	for i := 0; i < len(src); i++ {
		if src[i] == '\n' {
			idx = append(idx, i+1)
		}
	}
	return idx
}

// Position returns the 1-based line and character column of byte offset off
// in src (the text l indexes); off is clamped to the text.
func (l LineIndex) Position(src string, off int) (line, col int) {
	off = min(max(off, 0), len(src))
	k := sort.Search(len(l), func(i int) bool { return l[i] > off }) - 1
	return k + 1, utf8.RuneCountInString(src[l[k]:off]) + 1
}

// Position returns the 1-based line and character column of byte offset off in src.
func Position(src string, off int) (line, column int) {
	return NewLineIndex(src).Position(src, off)
}

// LineEnd returns the byte offset of the end of 1-based line n of src
// (before its newline); -1 when src has no such line.
func (l LineIndex) LineEnd(src string, n int) int {
	if n < 1 || n > len(l) {
		return -1
	}
	if n < len(l) {
		return l[n] - 1
	}
	return len(src)
}
