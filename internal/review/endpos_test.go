package review

import (
	"testing"

	"github.com/tidemark-dev/tidemark/internal/sqlparse"
)

func TestAdviceEndPosition(t *testing.T) {
	src := "SELECT 1;\nDELETE FROM t\n  WHERE é = 1;\n-- done"
	lines := sqlparse.NewLineIndex(src)
	cases := []struct {
		name      string
		a         Advice
		line, col int
	}{
		{"end of its statement", Advice{Line: 2, Column: 1, Statement: Span{Line: 2, Start: 10, End: 37}}, 3, 13},
		{"script-level advice: end of its line", Advice{Line: 1, Column: 1}, 1, 10},
		{"last line without newline", Advice{Line: 4, Column: 1}, 4, 8},
		{"span ending before the advice: its line", Advice{Line: 3, Column: 3, Statement: Span{End: 5}}, 3, 15},
		{"no position", Advice{}, 0, 0},
	}
	for _, c := range cases {
		if l, col := c.a.EndPosition(src, lines); l != c.line || col != c.col {
			t.Errorf("%s: EndPosition = %d:%d, want %d:%d", c.name, l, col, c.line, c.col)
		}
	}
}
