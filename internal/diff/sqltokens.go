package diff

import (
	"strings"

	"github.com/tidemark-dev/tidemark/internal/catalog"
)

// Token-level rewriting of the SQL texts the model keeps (view queries,
// index and constraint definitions, defaults, ...). PostgreSQL stores those
// as parse trees that point at objects by OID, so after a rename its
// deparsers print the new name; the rewriters below make a model's texts
// read as PostgreSQL will print them after the rename. Names are matched
// as PostgreSQL prints them (quote_ident, so a bare token is compared byte
// for byte: keywords are printed in upper case, identifiers in lower case),
// string literals and dollar-quoted bodies are left alone except where a
// literal is a regclass or enum constant.

type tokKind byte

const (
	tIdent  tokKind = 'i' // bare identifier or keyword
	tQuoted tokKind = 'q' // "quoted identifier"
	tString tokKind = 's' // 'literal', E'literal'
	tDollar tokKind = 'd' // $tag$ ... $tag$
	tSpace  tokKind = ' ' // white space and comments
	tPunct  tokKind = 'p' // anything else, one character (or "::")
)

type token struct {
	kind tokKind
	text string
}

func isIdentStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

func isIdentChar(c byte) bool { return isIdentStart(c) || c >= '0' && c <= '9' || c == '$' }

// tokenize splits s into tokens whose texts concatenate back to s.
func tokenize(s string) []token {
	var out []token
	for i := 0; i < len(s); {
		c := s[i]
		j := i + 1
		kind := tPunct
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			kind = tSpace
			for j < len(s) && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n' || s[j] == '\r') {
				j++
			}
		case c == '-' && i+1 < len(s) && s[i+1] == '-':
			kind = tSpace
			for j < len(s) && s[j] != '\n' {
				j++
			}
		case c == '/' && i+1 < len(s) && s[i+1] == '*':
			kind = tSpace
			if k := strings.Index(s[i+2:], "*/"); k >= 0 {
				j = i + 2 + k + 2
			} else {
				j = len(s)
			}
		case c == '\'' || ((c == 'E' || c == 'e') && i+1 < len(s) && s[i+1] == '\''):
			kind = tString
			if c != '\'' {
				j++
			}
			esc := c != '\''
			for j < len(s) {
				if esc && s[j] == '\\' {
					j += 2
					continue
				}
				if s[j] == '\'' {
					if j+1 < len(s) && s[j+1] == '\'' {
						j += 2
						continue
					}
					j++
					break
				}
				j++
			}
		case c == '"':
			kind = tQuoted
			for j < len(s) {
				if s[j] == '"' {
					if j+1 < len(s) && s[j+1] == '"' {
						j += 2
						continue
					}
					j++
					break
				}
				j++
			}
		case c == '$':
			k := j
			for k < len(s) && (isIdentChar(s[k]) && s[k] != '$') {
				k++
			}
			if k < len(s) && s[k] == '$' && (k == j || isIdentStart(s[j])) {
				tag := s[i : k+1]
				kind = tDollar
				if e := strings.Index(s[k+1:], tag); e >= 0 {
					j = k + 1 + e + len(tag)
				} else {
					j = len(s)
				}
			} else {
				for j < len(s) && s[j] >= '0' && s[j] <= '9' {
					j++ // $1 parameter
				}
			}
		case isIdentStart(c):
			kind = tIdent
			for j < len(s) && isIdentChar(s[j]) {
				j++
			}
		case c >= '0' && c <= '9':
			kind = tIdent // numbers: never equal to a quoted name
			for j < len(s) && (isIdentChar(s[j]) || s[j] == '.' && j+1 < len(s) && s[j+1] >= '0' && s[j+1] <= '9') {
				j++
			}
		case c == ':' && i+1 < len(s) && s[i+1] == ':':
			j = i + 2
		}
		if j > len(s) {
			j = len(s)
		}
		out = append(out, token{kind, s[i:j]})
		i = j
	}
	return out
}

func join(toks []token) string {
	var b strings.Builder
	for _, t := range toks {
		b.WriteString(t.text)
	}
	return b.String()
}

// isName reports whether t is the identifier name as PostgreSQL prints it.
func (t token) isName(name string) bool {
	return (t.kind == tIdent || t.kind == tQuoted) && t.text == catalog.QuoteIdent(name)
}

func (t token) isIdent() bool { return t.kind == tIdent || t.kind == tQuoted }

// next returns the index of the next significant token after i (or len).
func next(toks []token, i int) int {
	for i++; i < len(toks) && toks[i].kind == tSpace; i++ {
	}
	return i
}

// prev returns the index of the previous significant token before i (or -1).
func prev(toks []token, i int) int {
	for i--; i >= 0 && toks[i].kind == tSpace; i-- {
	}
	return i
}

func at(toks []token, i int) token {
	if i < 0 || i >= len(toks) {
		return token{}
	}
	return toks[i]
}

// literalValue is the value of a standard string literal token (” undone).
func literalValue(t token) (string, bool) {
	if t.kind != tString || !strings.HasPrefix(t.text, "'") || len(t.text) < 2 {
		return "", false
	}
	return strings.ReplaceAll(t.text[1:len(t.text)-1], "''", "'"), true
}

// castTarget returns the text of the type a literal at i is cast to
// ("public.mood", "regclass"), or "".
func castTarget(toks []token, i int) string {
	j := next(toks, i)
	if at(toks, j).text != "::" {
		return ""
	}
	j = next(toks, j)
	if !at(toks, j).isIdent() {
		return ""
	}
	name := toks[j].text
	if k := next(toks, j); at(toks, k).text == "." && at(toks, next(toks, k)).isIdent() {
		name += "." + toks[next(toks, k)].text
	}
	return name
}

// renameSchemaRefs rewrites the qualifier old of qualified names
// (old.x → new.x) and of regclass-like literals ('old.x'::regclass).
func renameSchemaRefs(s, old, new string) string {
	if !strings.Contains(s, catalog.QuoteIdent(old)) {
		return s
	}
	toks := tokenize(s)
	changed := false
	for i, t := range toks {
		switch {
		case t.isName(old) && at(toks, next(toks, i)).text == "." && at(toks, prev(toks, i)).text != ".":
			toks[i].text = catalog.QuoteIdent(new)
			changed = true
		case t.kind == tString:
			v, ok := literalValue(t)
			if !ok || !strings.HasPrefix(castTarget(toks, i), "reg") {
				continue
			}
			if pre := catalog.QuoteIdent(old) + "."; strings.HasPrefix(v, pre) {
				toks[i].text = catalog.QuoteLiteral(catalog.QuoteIdent(new) + "." + strings.TrimPrefix(v, pre))
				changed = true
			}
		}
	}
	if !changed {
		return s
	}
	return join(toks)
}

// renameRelationRefs rewrites schema.old to schema.new (and regclass
// literals naming it); with qualifiers, also old.x (a column qualified by
// the relation's name, as view queries print them) to new.x.
func renameRelationRefs(s, schema, old, new string, qualifiers bool) string {
	if !strings.Contains(s, catalog.QuoteIdent(old)) {
		return s
	}
	toks := tokenize(s)
	changed := false
	qualified := catalog.QuoteQualified(schema, old)
	for i, t := range toks {
		switch {
		case t.isName(old):
			p := prev(toks, i)
			if at(toks, p).text == "." {
				if at(toks, prev(toks, p)).isName(schema) && at(toks, prev(toks, prev(toks, p))).text != "." {
					toks[i].text = catalog.QuoteIdent(new)
					changed = true
				}
				continue
			}
			if qualifiers && at(toks, next(toks, i)).text == "." {
				toks[i].text = catalog.QuoteIdent(new)
				changed = true
			}
		case t.kind == tString:
			if v, ok := literalValue(t); ok && v == qualified && strings.HasPrefix(castTarget(toks, i), "reg") {
				toks[i].text = catalog.QuoteLiteral(catalog.QuoteQualified(schema, new))
				changed = true
			}
		}
	}
	if !changed {
		return s
	}
	return join(toks)
}

// renameColumnRefs rewrites references to column old: bare ones (when
// bare is set; not a function name, not qualified, not a qualifier) and
// the ones qualified by one of quals. In a view query (view set), a
// select-list item that is only the renamed column keeps its output name
// (PostgreSQL prints "t.new AS old").
func renameColumnRefs(s, old, new string, bare bool, quals []string, view bool) string {
	if !strings.Contains(s, catalog.QuoteIdent(old)) {
		return s
	}
	toks := tokenize(s)
	changed := false
	type frame struct{ selectList bool }
	stack := []frame{{}}
	for i, t := range toks {
		top := &stack[len(stack)-1]
		switch {
		case t.text == "(":
			stack = append(stack, frame{})
			continue
		case t.text == ")":
			if len(stack) > 1 {
				stack = stack[:len(stack)-1]
			}
			continue
		case t.kind == tIdent && t.text == "SELECT":
			top.selectList = true
			continue
		case t.kind == tIdent && isClauseKeyword(t.text):
			top.selectList = false
			continue
		}
		if !t.isName(old) {
			continue
		}
		p, n := prev(toks, i), next(toks, i)
		if at(toks, n).text == "." || at(toks, n).text == "(" {
			continue
		}
		start := i
		if at(toks, p).text == "." {
			q := prev(toks, p)
			ok := false
			for _, name := range quals {
				if at(toks, q).isName(name) && at(toks, prev(toks, q)).text != "." {
					ok = true
				}
			}
			if !ok {
				continue
			}
			start = q
		} else if !bare || at(toks, p).text == "::" {
			continue
		}
		toks[i].text = catalog.QuoteIdent(new)
		changed = true
		if view && top.selectList {
			before, after := at(toks, prev(toks, start)), at(toks, n)
			whole := before.text == "," || before.text == "SELECT" || before.text == "DISTINCT"
			ends := after.text == "," || after.text == "FROM" || after.text == "" || after.text == ";"
			if whole && ends {
				toks[i].text += " AS " + catalog.QuoteIdent(old)
			}
		}
	}
	if !changed {
		return s
	}
	return join(toks)
}

func isClauseKeyword(w string) bool {
	switch w {
	case "FROM", "WHERE", "GROUP", "HAVING", "ORDER", "LIMIT", "OFFSET", "WINDOW", "UNION", "INTERSECT", "EXCEPT", "FETCH", "INTO", "VALUES", "RETURNING":
		return true
	}
	return false
}

// renameEnumLiterals rewrites 'old'::typ constants to 'new'::typ (typ as
// format_type prints it).
func renameEnumLiterals(s, typ, old, new string) string {
	lit := catalog.QuoteLiteral(old)
	if !strings.Contains(s, lit) {
		return s
	}
	toks := tokenize(s)
	changed := false
	for i, t := range toks {
		if t.kind == tString && t.text == lit && castTarget(toks, i) == typ {
			toks[i].text = catalog.QuoteLiteral(new)
			changed = true
		}
	}
	if !changed {
		return s
	}
	return join(toks)
}

// renameFirstIdentAfter replaces the first identifier token equal to old
// after the bare keyword prefix (an index's name in its definition).
func renameFirstIdentAfter(s, prefix, old, new string) string {
	toks := tokenize(s)
	seen := false
	for i, t := range toks {
		if seen && t.isName(old) {
			toks[i].text = catalog.QuoteIdent(new)
			return join(toks)
		}
		if t.kind == tIdent && t.text == prefix {
			seen = true
		}
	}
	return s
}
