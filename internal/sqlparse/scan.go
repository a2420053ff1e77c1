package sqlparse

import "strings"

// segKind is what a region found by the script scanner holds.
type segKind int

const (
	segSQL      segKind = iota // one SQL statement
	segMeta                    // a psql meta-command line (\connect, \set, ...)
	segCopyData                // the data block of COPY ... FROM STDIN, up to and including the \. line
)

// segment is one region of a script as psql would cut it.
type segment struct {
	kind       segKind
	start, end int // SQL: first token start .. last token end; meta: '\' .. end of line; data: block
	semi       int // SQL: offset of the terminating ';', or -1
	copyStdin  bool
}

// scanner cuts a script the way psql does (psqlscan.l): it knows quotes,
// dollar quotes, nested comments, E” strings, parentheses, SQL-standard
// function bodies (BEGIN ATOMIC ... END), psql meta-commands and COPY FROM
// STDIN data blocks. It never fails: unterminated constructs run to the end.
//
// The statement boundaries Split reports come from the PostgreSQL parser; the
// scanner finds what the parser cannot see (meta-commands, COPY data) and is
// cross-checked against the parser in tests.
type scanner struct {
	src  string
	segs []segment

	// current statement
	start, last int // first token start (-1 none), end of the last token
	depth       int // parentheses
	beginDepth  int // BEGIN ATOMIC ... END nesting
	idents      []string
	prevIdent   string
	prevSemi    bool // the last token was a ';' inside a BEGIN ATOMIC body
	copyStdin   bool
	pendingCopy bool // a COPY FROM STDIN ended: data starts after the next newline
}

func scanScript(src string) []segment {
	s := &scanner{src: src}
	s.reset()
	s.run()
	return s.segs
}

func (s *scanner) reset() {
	s.start, s.last = -1, -1
	s.depth, s.beginDepth = 0, 0
	s.idents = s.idents[:0]
	s.prevIdent = ""
	s.copyStdin = false
}

// token records a token [a, b).
func (s *scanner) token(a, b int) {
	if s.start < 0 {
		s.start = a
	}
	s.last = b
	s.prevSemi = false
}

func (s *scanner) endStmt(semi int) {
	if s.start >= 0 {
		s.segs = append(s.segs, segment{kind: segSQL, start: s.start, end: s.last, semi: semi, copyStdin: s.copyStdin})
		if s.copyStdin && semi >= 0 {
			s.pendingCopy = true
		}
	}
	s.reset()
}

func (s *scanner) run() {
	src := s.src
	n := len(src)
	i := 0
	for i < n {
		c := src[i]
		switch {
		case c == '\n':
			i++
			if s.pendingCopy {
				s.pendingCopy = false
				i = s.copyData(i)
			}
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			i++
		case c == '-' && i+1 < n && src[i+1] == '-':
			for i < n && src[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < n && src[i+1] == '*':
			i = skipBlockComment(src, i)
		case c == '\'':
			j := skipQuoted(src, i, '\'', false)
			s.token(i, j)
			s.prevIdent = ""
			i = j
		case c == '"':
			j := skipQuoted(src, i, '"', false)
			s.token(i, j)
			s.prevIdent = ""
			i = j
		case c == '$':
			j := s.dollar(i)
			s.token(i, j)
			s.prevIdent = ""
			i = j
		case isIdentStart(c):
			i = s.ident(i)
		case c >= '0' && c <= '9':
			j := i + 1
			for j < n && (isIdentCont(src[j]) && src[j] != '$' || src[j] == '.') {
				j++
			}
			s.token(i, j)
			s.prevIdent = ""
			i = j
		case c == '(':
			s.depth++
			s.token(i, i+1)
			s.prevIdent = ""
			i++
		case c == ')':
			if s.depth > 0 {
				s.depth--
			}
			s.token(i, i+1)
			s.prevIdent = ""
			i++
		case c == ';':
			if s.depth == 0 && s.beginDepth == 0 {
				s.endStmt(i)
			} else {
				s.token(i, i+1)
				s.prevSemi = s.depth == 0
				s.prevIdent = ""
			}
			i++
		case c == '\\':
			// A psql meta-command runs to the end of the line. Like psql's \g
			// it ends the statement being typed.
			s.endStmt(-1)
			j := i
			for j < n && src[j] != '\n' {
				j++
			}
			e := j
			if e > i && src[e-1] == '\r' {
				e--
			}
			s.segs = append(s.segs, segment{kind: segMeta, start: i, end: e, semi: -1})
			i = j
		default:
			s.token(i, i+1)
			s.prevIdent = ""
			i++
		}
	}
	s.endStmt(-1)
}

// copyData consumes a COPY FROM STDIN data block starting at i (the start of
// a line) up to the "\." line or the end of input, and returns where scanning
// resumes.
func (s *scanner) copyData(i int) int {
	src := s.src
	n := len(src)
	j := i
	for j < n {
		e := strings.IndexByte(src[j:], '\n')
		lineEnd := n
		if e >= 0 {
			lineEnd = j + e
		}
		line := strings.TrimSuffix(src[j:lineEnd], "\r")
		if line == `\.` {
			s.segs = append(s.segs, segment{kind: segCopyData, start: i, end: j + len(line), semi: -1})
			return lineEnd
		}
		if e < 0 {
			break
		}
		j = lineEnd + 1
	}
	s.segs = append(s.segs, segment{kind: segCopyData, start: i, end: n, semi: -1})
	return n
}

// ident scans an identifier or keyword (or a prefixed string literal E'..',
// B'..', X'..', N'..', U&'..', U&"..") starting at i.
func (s *scanner) ident(i int) int {
	src := s.src
	n := len(src)
	j := i + 1
	for j < n && isIdentCont(src[j]) {
		j++
	}
	word := src[i:j]
	if j < n && j == i+1 {
		switch {
		case src[j] == '\'' && (word == "E" || word == "e"):
			k := skipQuoted(src, j, '\'', true)
			s.token(i, k)
			s.prevIdent = ""
			return k
		case src[j] == '\'' && strings.ContainsAny(word, "BbXxNn"):
			k := skipQuoted(src, j, '\'', false)
			s.token(i, k)
			s.prevIdent = ""
			return k
		case (word == "U" || word == "u") && j+1 < n && src[j] == '&' && (src[j+1] == '\'' || src[j+1] == '"'):
			k := skipQuoted(src, j+1, src[j+1], false)
			s.token(i, k)
			s.prevIdent = ""
			return k
		}
	}
	afterSemi := s.prevSemi
	s.token(i, j)
	lw := strings.ToLower(word)
	s.idents = append(s.idents, lw)
	// SQL-standard bodies: BEGIN ATOMIC stmt; ... END. The END that closes
	// the body follows a ';' (or ATOMIC when the body is empty); any other
	// END belongs to a CASE or is a column label (SELECT 0 end).
	switch lw {
	case "atomic":
		if s.prevIdent == "begin" && s.depth == 0 && s.isCreateRoutine() {
			s.beginDepth++
		}
	case "end":
		if s.beginDepth > 0 && s.depth == 0 && (afterSemi || s.prevIdent == "atomic") {
			s.beginDepth--
		}
	case "stdin":
		if s.prevIdent == "from" && s.depth == 0 && len(s.idents) > 0 && s.idents[0] == "copy" {
			s.copyStdin = true
		}
	}
	s.prevIdent = lw
	return j
}

// isCreateRoutine reports whether the statement so far starts with
// CREATE [OR REPLACE] FUNCTION|PROCEDURE.
func (s *scanner) isCreateRoutine() bool {
	id := s.idents
	if len(id) < 2 || id[0] != "create" {
		return false
	}
	if id[1] == "function" || id[1] == "procedure" {
		return true
	}
	return len(id) >= 4 && id[1] == "or" && id[2] == "replace" && (id[3] == "function" || id[3] == "procedure")
}

// dollar scans at a '$': a dollar-quoted string, a parameter ($1) or a lone '$'.
func (s *scanner) dollar(i int) int {
	src := s.src
	n := len(src)
	j := i + 1
	if j < n && src[j] >= '0' && src[j] <= '9' {
		for j < n && src[j] >= '0' && src[j] <= '9' {
			j++
		}
		return j
	}
	if j < n && isDollarTagStart(src[j]) {
		for j < n && isDollarTagCont(src[j]) {
			j++
		}
	}
	if j >= n || src[j] != '$' {
		return i + 1 // not a delimiter: a lone '$' (the parser will complain)
	}
	delim := src[i : j+1]
	k := strings.Index(src[j+1:], delim)
	if k < 0 {
		return n
	}
	return j + 1 + k + len(delim)
}

// skipQuoted skips a quoted literal or identifier whose opening quote is at
// i. Doubled quotes escape; with backslash, so does '\'.
func skipQuoted(src string, i int, q byte, backslash bool) int {
	n := len(src)
	j := i + 1
	for j < n {
		c := src[j]
		if backslash && c == '\\' {
			j += 2
			continue
		}
		if c == q {
			if j+1 < n && src[j+1] == q {
				j += 2
				continue
			}
			return j + 1
		}
		j++
	}
	return n
}

// skipBlockComment skips a (nested) /* */ comment starting at i.
func skipBlockComment(src string, i int) int {
	n := len(src)
	depth := 0
	j := i
	for j < n {
		if src[j] == '/' && j+1 < n && src[j+1] == '*' {
			depth++
			j += 2
			continue
		}
		if src[j] == '*' && j+1 < n && src[j+1] == '/' {
			depth--
			j += 2
			if depth == 0 {
				return j
			}
			continue
		}
		j++
	}
	return n
}

func isIdentStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= 0x80
}

func isIdentCont(c byte) bool {
	return isIdentStart(c) || c >= '0' && c <= '9' || c == '$'
}

func isDollarTagStart(c byte) bool { return isIdentStart(c) }

func isDollarTagCont(c byte) bool { return isIdentStart(c) || c >= '0' && c <= '9' }

// tokenBounds returns the start of the first token and the end of the last
// token in src[a:b], skipping whitespace and comments; ok is false when the
// range holds no token.
func tokenBounds(src string, a, b int) (first, last int, ok bool) {
	first, last = -1, -1
	i := a
	for i < b {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			i++
			continue
		case c == '-' && i+1 < b && src[i+1] == '-':
			for i < b && src[i] != '\n' {
				i++
			}
			continue
		case c == '/' && i+1 < b && src[i+1] == '*':
			i = min(skipBlockComment(src[:b], i), b)
			continue
		}
		j := i + 1
		switch {
		case c == '\'':
			e := i > a && (src[i-1] == 'E' || src[i-1] == 'e') && (i-1 == a || !isIdentCont(src[i-2]))
			j = skipQuoted(src[:b], i, '\'', e)
		case c == '"':
			j = skipQuoted(src[:b], i, '"', false)
		case c == '$':
			sc := scanner{src: src[:b]}
			j = sc.dollar(i)
		case isIdentStart(c) || c >= '0' && c <= '9':
			for j < b && isIdentCont(src[j]) {
				j++
			}
		}
		if first < 0 {
			first = i
		}
		last = j
		i = j
	}
	return first, last, first >= 0
}

// Comment is a SQL comment found in a script.
type Comment struct {
	Start, End int    // byte span, including the comment markers
	Text       string // the comment text without -- or /* */
}

// Comments returns the comments in src[start:end] (outside string literals,
// quoted identifiers and dollar-quoted bodies), in order.
func Comments(src string, start, end int) []Comment {
	var out []Comment
	start = max(start, 0)
	end = min(end, len(src))
	i := start
	for i < end {
		c := src[i]
		switch {
		case c == '-' && i+1 < end && src[i+1] == '-':
			j := i
			for j < end && src[j] != '\n' {
				j++
			}
			out = append(out, Comment{Start: i, End: j, Text: strings.TrimSuffix(src[i+2:j], "\r")})
			i = j
		case c == '/' && i+1 < end && src[i+1] == '*':
			j := min(skipBlockComment(src[:end], i), end)
			body := src[i+2 : j]
			body = strings.TrimSuffix(body, "*/")
			out = append(out, Comment{Start: i, End: j, Text: body})
			i = j
		case c == '\'':
			e := i > start && (src[i-1] == 'E' || src[i-1] == 'e') && (i-1 == start || !isIdentCont(src[i-2]))
			i = skipQuoted(src[:end], i, '\'', e)
		case c == '"':
			i = skipQuoted(src[:end], i, '"', false)
		case c == '$':
			sc := scanner{src: src[:end]}
			i = sc.dollar(i)
		case isIdentStart(c) || c >= '0' && c <= '9':
			i++
			for i < end && isIdentCont(src[i]) {
				i++
			}
		default:
			i++
		}
	}
	return out
}
