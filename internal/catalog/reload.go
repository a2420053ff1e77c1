package catalog

import "strings"

// Reloadable rewrites an expression as PostgreSQL deparses it
// (pg_get_constraintdef, pg_get_expr) so that parsing it again stores the same
// expression. PostgreSQL's deparser is not a fixed point for one shape users
// write all the time: `col IN ('a', 'b')` on a varchar column is stored as
// `col::text = ANY (ARRAY['a'::varchar, 'b'::varchar]::text[])` (an array of
// varchar coerced to text[]), but the parser pushes a cast written directly on
// an ARRAY constructor down into its elements, so reloading that text stores
// `ARRAY['a'::varchar::text, ...]` instead — a different expression, and a
// plan that never converges. Casting the constructor to its own element type
// first (`(ARRAY[...])::character varying[]::text[]`) keeps the coercion on the
// whole array, and PostgreSQL deparses the result back to the original text.
// The rewrite applies wherever such an expression is deparsed — CHECK and
// exclusion constraints, index definitions and predicates, policies, trigger
// conditions, generated columns, view queries — and never inside literals or
// quoted names. Anything else is returned unchanged.
func Reloadable(expr string) string {
	const open = "(ARRAY["
	if !strings.Contains(expr, open) {
		return expr
	}
	var b strings.Builder
	last := 0 // expr[:last] is written
	for i := 0; i < len(expr); i++ {
		switch c := expr[i]; {
		case c == '\'' || c == '"':
			// Literals and quoted names are copied as they are.
			if k := closeQuote(expr, i); k > i {
				i = k
				continue
			}
			b.WriteString(expr[last:])
			return b.String()
		case c == '(' && strings.HasPrefix(expr[i:], open):
			end := closeBracket(expr, i+len(open)) // index of the ']' closing ARRAY[
			if end < 0 || !strings.HasPrefix(expr[end:], "])::") {
				continue
			}
			elem := commonCast(splitTop(expr[i+len(open) : end]))
			target := castType(expr[end+len("])::"):])
			b.WriteString(expr[last : end+2]) // through "])"
			if elem != "" && target != "" && target != elem+"[]" {
				b.WriteString("::" + elem + "[]")
			}
			last = end + 2
			i = end + 1
		}
	}
	b.WriteString(expr[last:])
	return b.String()
}

// closeQuote returns the index of the quote closing the literal or quoted
// name opened at s[i] (a doubled quote stands for itself), or -1.
func closeQuote(s string, i int) int {
	q := s[i]
	for j := i + 1; j < len(s); j++ {
		if s[j] != q {
			continue
		}
		if j+1 < len(s) && s[j+1] == q {
			j++
			continue
		}
		return j
	}
	return -1
}

// closeBracket returns the index of the ']' matching an already opened '['
// at depth 1, starting at from; -1 when unbalanced. Quoted literals and
// identifiers are skipped.
func closeBracket(s string, from int) int {
	depth := 1
	for i := from; i < len(s); i++ {
		switch c := s[i]; c {
		case '\'', '"':
			k := closeQuote(s, i)
			if k < 0 {
				return -1
			}
			i = k
		case '[', '(':
			depth++
		case ']', ')':
			depth--
			if depth == 0 {
				if c != ']' {
					return -1
				}
				return i
			}
		}
	}
	return -1
}

// splitTop splits a list at top-level commas.
func splitTop(s string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\'', '"':
			if k := closeQuote(s, i); k > i {
				i = k
			}
		case '(', '[':
			depth++
		case ')', ']':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, strings.TrimSpace(s[start:i]))
				start = i + 1
			}
		}
	}
	return append(out, strings.TrimSpace(s[start:]))
}

// commonCast is the type every element is cast to with a trailing
// "'literal'::type" (or "NULL::type"), or "" when they differ or one is not
// such a constant.
func commonCast(elems []string) string {
	typ := ""
	for _, e := range elems {
		var t string
		switch {
		case strings.HasPrefix(e, "NULL::"):
			t = strings.TrimPrefix(e, "NULL::")
		case strings.HasPrefix(e, "'"):
			k := closeQuote(e, 0)
			if k < 0 || !strings.HasPrefix(e[k+1:], "::") {
				return ""
			}
			t = e[k+3:]
		default:
			return ""
		}
		if t == "" || strings.ContainsAny(t, "'()") || (typ != "" && t != typ) {
			return ""
		}
		typ = t
	}
	return typ
}

// castType reads the type name at the start of s (up to the closing
// parenthesis, comma or space that ends the cast).
func castType(s string) string {
	end := len(s)
	for i, c := range s {
		if c == ')' || c == ',' || c == ' ' {
			// "character varying[]" holds a space: keep words joined by one.
			if c == ' ' && i+1 < len(s) && s[i+1] != ')' && s[i+1] != ',' && !strings.HasPrefix(s[i+1:], "=") && !isOperatorStart(s[i+1]) {
				continue
			}
			end = i
			break
		}
	}
	return s[:end]
}

func isOperatorStart(c byte) bool { return strings.IndexByte("=<>!~+-*/%|&^#@OA", c) >= 0 }
