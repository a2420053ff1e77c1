package sqlparse

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/tidemark-dev/tidemark/internal/testcorpus"
)

type wantStmt struct {
	text       string
	line, col  int
	kind       Kind
	tag        string
	nonTx      bool
	data       string // COPY data, when hasData
	hasData    bool
	endLine    int // 0 = same as line
	prefixText string
}

func TestSplit(t *testing.T) {
	cases := []struct {
		name string
		src  string
		want []wantStmt
	}{
		{"two statements", "SELECT 1;\n  CREATE TABLE t (id int);", []wantStmt{
			{text: "SELECT 1", line: 1, col: 1, kind: Query, tag: "SELECT"},
			{text: "CREATE TABLE t (id int)", line: 2, col: 3, kind: DDL, tag: "CREATE TABLE", prefixText: "\n  "},
		}},
		{"no final semicolon, trailing comment", "UPDATE t SET a = 1 -- trailing\n", []wantStmt{
			{text: "UPDATE t SET a = 1", line: 1, col: 1, kind: DML, tag: "UPDATE"},
		}},
		{"dollar quotes", "CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $$ ; $body$ LANGUAGE sql;\nSELECT $$a;b$$;", []wantStmt{
			{text: "CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $$ ; $body$ LANGUAGE sql", line: 1, col: 1, kind: DDL, tag: "CREATE FUNCTION"},
			{text: "SELECT $$a;b$$", line: 2, col: 1, kind: Query, tag: "SELECT", prefixText: "\n"},
		}},
		{"nested comments", "/* a /* b; */ c; */ SELECT 1; /* x */ SELECT 2", []wantStmt{
			{text: "SELECT 1", line: 1, col: 21, kind: Query, tag: "SELECT", prefixText: "/* a /* b; */ c; */ "},
			{text: "SELECT 2", line: 1, col: 39, kind: Query, tag: "SELECT", prefixText: " /* x */ "},
		}},
		{"E strings and quoted identifiers", "SELECT E'it\\'s;', 'a''b;', \"we;ird\"\"\";SELECT 2;", []wantStmt{
			{text: "SELECT E'it\\'s;', 'a''b;', \"we;ird\"\"\"", line: 1, col: 1, kind: Query, tag: "SELECT"},
			{text: "SELECT 2", line: 1, col: 39, kind: Query, tag: "SELECT"},
		}},
		{"BEGIN ATOMIC body", "CREATE PROCEDURE p() LANGUAGE sql\nBEGIN ATOMIC\n  INSERT INTO t VALUES (1);\n  SELECT CASE WHEN true THEN 1 END;\nEND;\nSELECT 3;", []wantStmt{
			{text: "CREATE PROCEDURE p() LANGUAGE sql\nBEGIN ATOMIC\n  INSERT INTO t VALUES (1);\n  SELECT CASE WHEN true THEN 1 END;\nEND", line: 1, col: 1, endLine: 5, kind: DDL, tag: "CREATE PROCEDURE"},
			{text: "SELECT 3", line: 6, col: 1, kind: Query, tag: "SELECT", prefixText: "\n"},
		}},
		{"meta-command", "SELECT 1;\n\\connect other\nSELECT 2;\n", []wantStmt{
			{text: "SELECT 1", line: 1, col: 1, kind: Query, tag: "SELECT"},
			{text: "\\connect other", line: 2, col: 1, kind: MetaCommand, tag: "\\connect"},
			{text: "SELECT 2", line: 3, col: 1, kind: Query, tag: "SELECT", prefixText: "\n"},
		}},
		{"copy from stdin", "COPY t (a, b) FROM stdin;\n1\tx;y\n2\t\\N\n\\.\nSELECT 1;", []wantStmt{
			{text: "COPY t (a, b) FROM stdin", line: 1, col: 1, kind: DML, tag: "COPY", hasData: true, data: "1\tx;y\n2\t\\N\n"},
			{text: "SELECT 1", line: 5, col: 1, kind: Query, tag: "SELECT"},
		}},
		{"multibyte columns", "SELECT 'é';  SELECT 'ü'", []wantStmt{
			{text: "SELECT 'é'", line: 1, col: 1, kind: Query, tag: "SELECT"},
			{text: "SELECT 'ü'", line: 1, col: 14, kind: Query, tag: "SELECT"},
		}},
		{"non-transactional", "CREATE INDEX CONCURRENTLY i ON t (a);\nDROP INDEX CONCURRENTLY i;\nREINDEX INDEX CONCURRENTLY i;\nVACUUM t;\nANALYZE t;\nALTER TYPE e ADD VALUE 'x';\nALTER TABLE p DETACH PARTITION c CONCURRENTLY;\nCREATE DATABASE d;\nALTER SYSTEM SET work_mem = '1MB';\nCLUSTER;\nCLUSTER t;\nBEGIN;\nCOMMIT;\nGRANT SELECT ON t TO r;", []wantStmt{
			{text: "CREATE INDEX CONCURRENTLY i ON t (a)", line: 1, col: 1, kind: DDL, tag: "CREATE INDEX", nonTx: true},
			{text: "DROP INDEX CONCURRENTLY i", line: 2, col: 1, kind: DDL, tag: "DROP INDEX", nonTx: true},
			{text: "REINDEX INDEX CONCURRENTLY i", line: 3, col: 1, kind: Utility, tag: "REINDEX", nonTx: true},
			{text: "VACUUM t", line: 4, col: 1, kind: Utility, tag: "VACUUM", nonTx: true},
			{text: "ANALYZE t", line: 5, col: 1, kind: Utility, tag: "ANALYZE"},
			{text: "ALTER TYPE e ADD VALUE 'x'", line: 6, col: 1, kind: DDL, tag: "ALTER TYPE"},
			{text: "ALTER TABLE p DETACH PARTITION c CONCURRENTLY", line: 7, col: 1, kind: DDL, tag: "ALTER TABLE", nonTx: true},
			{text: "CREATE DATABASE d", line: 8, col: 1, kind: DDL, tag: "CREATE DATABASE", nonTx: true},
			{text: "ALTER SYSTEM SET work_mem = '1MB'", line: 9, col: 1, kind: Utility, tag: "ALTER SYSTEM", nonTx: true},
			{text: "CLUSTER", line: 10, col: 1, kind: Utility, tag: "CLUSTER", nonTx: true},
			{text: "CLUSTER t", line: 11, col: 1, kind: Utility, tag: "CLUSTER"},
			{text: "BEGIN", line: 12, col: 1, kind: TransactionControl, tag: "BEGIN"},
			{text: "COMMIT", line: 13, col: 1, kind: TransactionControl, tag: "COMMIT"},
			{text: "GRANT SELECT ON t TO r", line: 14, col: 1, kind: DCL, tag: "GRANT"},
		}},
		{"only comments", "-- nothing here\n/* still nothing */\n", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Split(tc.src)
			if err != nil {
				t.Fatalf("Split: %v", err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %d statements, want %d: %+v", len(got), len(tc.want), got)
			}
			for i, w := range tc.want {
				g := got[i]
				if g.Text != w.text || g.Text != tc.src[g.Start:g.End] {
					t.Errorf("#%d text %q (span %q), want %q", i, g.Text, tc.src[g.Start:g.End], w.text)
				}
				if g.Line != w.line || g.Column != w.col {
					t.Errorf("#%d at %d:%d, want %d:%d", i, g.Line, g.Column, w.line, w.col)
				}
				el := w.endLine
				if el == 0 {
					el = w.line
				}
				if g.EndLine != el {
					t.Errorf("#%d end line %d, want %d", i, g.EndLine, el)
				}
				if g.Kind != w.kind || g.Tag != w.tag {
					t.Errorf("#%d kind/tag %s/%q, want %s/%q", i, g.Kind, g.Tag, w.kind, w.tag)
				}
				if g.NonTransactional != w.nonTx {
					t.Errorf("#%d non-transactional %v, want %v", i, g.NonTransactional, w.nonTx)
				}
				if g.HasData != w.hasData || g.Data != w.data {
					t.Errorf("#%d data %v %q, want %v %q", i, g.HasData, g.Data, w.hasData, w.data)
				}
				if w.prefixText != "" && tc.src[g.PrefixStart:g.Start] != w.prefixText {
					t.Errorf("#%d prefix %q, want %q", i, tc.src[g.PrefixStart:g.Start], w.prefixText)
				}
				if (g.Node == nil) != (w.kind == MetaCommand) {
					t.Errorf("#%d node presence wrong: %v", i, g.Node)
				}
			}
		})
	}
}

func TestSplitSyntaxError(t *testing.T) {
	cases := []struct {
		src        string
		line, col  int
		msgContain string
	}{
		{"SELECT 1;\nCREATE TABLEX t (a int);", 2, 8, `syntax error at or near "TABLEX"`},
		{"SELECT 'ü';\n  SELEC 1;", 2, 3, `syntax error at or near "SELEC"`},
		{"SELECT 1;\nSELECT 'open", 2, 8, "unterminated quoted string"},
		{"SELECT (1", 1, 10, "syntax error at end of input"},
		{"\\set x 1\nSELECT FROM WHERE;", 2, 13, `syntax error at or near "WHERE"`},
	}
	for _, tc := range cases {
		_, err := Split(tc.src)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Fatalf("%q: got %v, want *SyntaxError", tc.src, err)
		}
		if se.Line != tc.line || se.Column != tc.col || !strings.Contains(se.Message, tc.msgContain) {
			t.Errorf("%q: got %d:%d %q, want %d:%d containing %q", tc.src, se.Line, se.Column, se.Message, tc.line, tc.col, tc.msgContain)
		}
		if l, c := Position(tc.src, se.Offset); l != se.Line || c != se.Column {
			t.Errorf("%q: offset %d maps to %d:%d, not %d:%d", tc.src, se.Offset, l, c, se.Line, se.Column)
		}
	}
}

func TestIsNonTransactionalVersions(t *testing.T) {
	res, err := pg_query.Parse("ALTER TYPE mood ADD VALUE 'meh'")
	if err != nil {
		t.Fatal(err)
	}
	n := res.Stmts[0].Stmt
	if !IsNonTransactional(n, 110000) {
		t.Error("ADD VALUE on PostgreSQL 11 must be non-transactional")
	}
	if IsNonTransactional(n, 120000) || IsNonTransactional(n, 0) {
		t.Error("ADD VALUE on PostgreSQL 12+ runs in a transaction")
	}
	for src, want := range map[string]bool{
		"CREATE SUBSCRIPTION s CONNECTION 'x' PUBLICATION p":                          true,
		"CREATE SUBSCRIPTION s CONNECTION 'x' PUBLICATION p WITH (connect = false)":   false,
		"CREATE SUBSCRIPTION s CONNECTION 'x' PUBLICATION p WITH (create_slot = off)": false,
		"ALTER SUBSCRIPTION s REFRESH PUBLICATION":                                    true,
		"ALTER SUBSCRIPTION s SET PUBLICATION p WITH (refresh = false)":               false,
		"ALTER DATABASE d SET TABLESPACE x":                                           true,
		"ALTER DATABASE d CONNECTION LIMIT 3":                                         false,
		"REINDEX SCHEMA s":                                                            true,
		"REINDEX TABLE t":                                                             false,
		"DISCARD ALL":                                                                 true,
		"DISCARD PLANS":                                                               false,
		"CREATE TABLESPACE x LOCATION '/tmp'":                                         true,
		"DROP TABLESPACE x":                                                           true,
		"DROP DATABASE d":                                                             true,
		"VACUUM (ANALYZE) t":                                                          true,
		"CREATE INDEX i ON t (a)":                                                     false,
	} {
		r, err := pg_query.Parse(src)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		if got := IsNonTransactional(r.Stmts[0].Stmt, 0); got != want {
			t.Errorf("%s: %v, want %v", src, got, want)
		}
	}
}

// checkSplit asserts the invariants every Split result must hold.
func checkSplit(t *testing.T, src string) {
	t.Helper()
	stmts, err := Split(src)
	if err != nil {
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Fatalf("non-syntax error: %v", err)
		}
		if se.Offset < 0 || se.Offset > len(src) || se.Line < 1 || se.Column < 1 {
			t.Fatalf("syntax error out of range: %+v", se)
		}
		return
	}
	prev := 0
	type span struct{ a, b int }
	var spans []span
	for i, s := range stmts {
		if s.Start < prev || s.Start >= s.End || s.End > len(src) || s.PrefixStart > s.Start || s.PrefixStart < 0 {
			t.Fatalf("#%d span [%d,%d) prefix %d out of order (prev end %d, len %d)", i, s.Start, s.End, s.PrefixStart, prev, len(src))
		}
		if s.Text != src[s.Start:s.End] {
			t.Fatalf("#%d text differs from its span", i)
		}
		prev = s.End
		spans = append(spans, span{s.Start, s.End})
		if s.HasData {
			if s.DataStart < s.End || s.DataEnd < s.DataStart || s.DataEnd > len(src) || !strings.HasPrefix(src[s.DataStart:], s.Data) {
				t.Fatalf("#%d data span [%d,%d) out of range", i, s.DataStart, s.DataEnd)
			}
			if s.Tag != "COPY" {
				t.Fatalf("#%d: data attached to a %s statement", i, s.Tag)
			}
			spans = append(spans, span{s.DataStart, s.DataEnd})
		}
		if l, c := Position(src, s.Start); l != s.Line || c != s.Column {
			t.Fatalf("#%d position %d:%d, want %d:%d", i, s.Line, s.Column, l, c)
		}
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].a < spans[j].a })
	for i := 1; i < len(spans); i++ {
		if spans[i].a < spans[i-1].b {
			t.Fatalf("spans overlap: %v and %v", spans[i-1], spans[i])
		}
	}
	// Plain SQL the parser accepts as a whole: every piece parses alone into
	// exactly one statement, and the psql-style scanner cuts the same pieces.
	if _, err := pg_query.Parse(src); err != nil {
		return
	}
	for _, sg := range scanScript(src) {
		if sg.kind != segSQL {
			return
		}
	}
	for i, s := range stmts {
		r, err := pg_query.Parse(s.Text)
		if err != nil {
			t.Fatalf("#%d %q does not parse alone: %v", i, s.Text, err)
		}
		if len(r.Stmts) != 1 {
			t.Fatalf("#%d %q parses into %d statements", i, s.Text, len(r.Stmts))
		}
	}
	var segs []segment
	for _, sg := range scanScript(src) {
		if _, _, ok := tokenBounds(src, sg.start, sg.end); ok && !onlySemicolons(src[sg.start:sg.end]) {
			segs = append(segs, sg)
		}
	}
	if len(segs) != len(stmts) {
		t.Fatalf("scanner cut %d pieces, parser %d", len(segs), len(stmts))
	}
	for i := range segs {
		if segs[i].start != stmts[i].Start || segs[i].end != stmts[i].End {
			t.Fatalf("#%d scanner [%d,%d) vs parser [%d,%d)", i, segs[i].start, segs[i].end, stmts[i].Start, stmts[i].End)
		}
	}
}

func onlySemicolons(s string) bool { return strings.Trim(s, "; \t\r\n") == "" }

func FuzzSplit(f *testing.F) {
	seeds := []string{
		"SELECT 1; SELECT 2",
		"CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;",
		"/* a /* b */ ; */ SELECT E'\\';'",
		"CREATE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 2 END; END; SELECT 3;",
		"\\connect db\nCOPY t FROM stdin;\n1\n\\.\nSELECT 1;",
		"SELECT U&'d\\0061t\\+000061', B'101', X'1F', $1 FROM \"t;\"",
		"SELECT 'é'; -- trailing",
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		checkSplit(t, src)
		checkChunking(t, src)
	})
}

// TestSplitCorpus cross-checks the splitter against PostgreSQL's own split
// (pg_query SplitWithParser) on real schema files.
func TestSplitCorpus(t *testing.T) {
	dir := testcorpus.Dir(t)
	files, _ := filepath.Glob(filepath.Join(dir, "schemas", "*.sql"))
	more, _ := filepath.Glob(filepath.Join(dir, "migra-fixtures", "*", "*.sql"))
	files = append(files, more...)
	if len(files) == 0 {
		t.Fatal("no corpus SQL files: the corpus is part of the repository (testdata/corpus)")
	}
	total := 0
	for _, fn := range files {
		b, err := os.ReadFile(fn)
		if err != nil {
			t.Fatal(err)
		}
		src := string(b)
		stmts, err := Split(src)
		if err != nil {
			t.Errorf("%s: %v", fn, err)
			continue
		}
		theirs, err := pg_query.SplitWithParser(src, true)
		if err != nil {
			t.Errorf("%s: pg_query split: %v", fn, err)
			continue
		}
		if len(theirs) != len(stmts) {
			t.Errorf("%s: %d statements, pg_query %d", fn, len(stmts), len(theirs))
			continue
		}
		for i := range stmts {
			// pg_query trims whitespace only; ours also drops leading comments.
			if !strings.HasSuffix(theirs[i], stmts[i].Text) {
				t.Errorf("%s #%d: %q vs pg_query %q", fn, i, stmts[i].Text, theirs[i])
				break
			}
		}
		checkSplit(t, src)
		total += len(stmts)
	}
	t.Logf("%d files, %d statements agree with pg_query's split", len(files), total)
}

// TestSplitChunked checks that a script large enough to be parsed in
// parallel chunks splits exactly like one parse of the whole script.
func TestSplitChunked(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 6000; i++ {
		switch i % 6 {
		case 0:
			fmt.Fprintf(&b, "SELECT col_%d FROM t WHERE a = 'é;%d';\n", i, i)
		case 1:
			fmt.Fprintf(&b, "CREATE FUNCTION f%d() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT 1;\nEND;\n", i)
		case 2:
			fmt.Fprintf(&b, "/* c; */ UPDATE t SET a = $$x;%d$$ WHERE id = %d;\n", i, i)
		case 3:
			fmt.Fprintf(&b, "COPY t (a) FROM stdin;\nrow;%d\n\\.\n", i)
		case 4:
			fmt.Fprintf(&b, "\\echo %d\n", i)
		case 5:
			fmt.Fprintf(&b, "INSERT INTO t (a) VALUES (E'\\';%d');\n", i)
		}
	}
	src := b.String()
	if len(src) < 3*chunkBytes {
		t.Fatalf("script too small to chunk: %d bytes", len(src))
	}
	got, err := Split(src)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 6000 {
		t.Fatalf("%d statements, want 6000", len(got))
	}
	// Reference: one parse of the whole (blanked) script, one chunk.
	ref := buildStatements(src, blank(src, 0, len(src), scanScript(src)), 0, mustParse(t, blank(src, 0, len(src), scanScript(src))), scanScript(src), NewLineIndex(src))
	if len(ref) != len(got) {
		t.Fatalf("reference has %d statements, chunked %d", len(ref), len(got))
	}
	chunked := 0
	for i := range got {
		g, r := got[i], ref[i]
		if g.Text != r.Text || g.Start != r.Start || g.PrefixStart != r.PrefixStart || g.Line != r.Line || g.Tag != r.Tag || g.Data != r.Data {
			t.Fatalf("#%d differs:\n%+v\n%+v", i, g, r)
		}
		if g.NodeOffset > 0 {
			chunked++
		}
		if sel := g.Node.GetSelectStmt(); sel != nil {
			cr := sel.TargetList[0].GetResTarget().Val.GetColumnRef()
			loc := int(cr.Location) + g.NodeOffset
			if want := fmt.Sprintf("col_%d", i); !strings.HasPrefix(src[loc:], want) {
				t.Fatalf("#%d: node location + NodeOffset points at %q, want %q", i, src[loc:loc+10], want)
			}
		}
	}
	if chunked == 0 {
		t.Fatal("no statement came from a later chunk")
	}
	// A syntax error deep in the script is reported where it is.
	bad := src + "SELECT 1;\nSELEC 2;\n"
	_, err = Split(bad)
	var se *SyntaxError
	if !errors.As(err, &se) || se.Line != strings.Count(src, "\n")+2 || se.Column != 1 {
		t.Fatalf("got %v (%+v)", err, se)
	}
}

func mustParse(t *testing.T, s string) *pg_query.ParseResult {
	t.Helper()
	r, err := pg_query.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestObjects(t *testing.T) {
	cases := map[string][]Object{
		"CREATE INDEX CONCURRENTLY i ON app.t (a)":                        {{"index", "app", "i"}, {"table", "app", "t"}},
		"WITH x AS (SELECT 1) SELECT * FROM x JOIN public.u ON true, v":   {{"table", "public", "u"}, {"table", "", "v"}},
		"DROP TABLE a, s.b CASCADE":                                       {{"table", "", "a"}, {"table", "s", "b"}},
		"CREATE VIEW v AS SELECT id FROM t":                               {{"view", "", "v"}, {"table", "", "t"}},
		"ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES u (b)": {{"table", "", "t"}, {"table", "", "u"}},
		"INSERT INTO t (a) SELECT a FROM t WHERE a > 1":                   {{"table", "", "t"}},
		"ALTER TYPE mood ADD VALUE 'x'":                                   {{"type", "", "mood"}},
		"CREATE FUNCTION s.f() RETURNS int LANGUAGE sql AS 'select 1'":    {{"function", "s", "f"}},
		"ALTER INDEX i RENAME TO j":                                       {{"index", "", "i"}},
		"DROP DATABASE d":                                                 {{"database", "", "d"}},
	}
	for src, want := range cases {
		r, err := pg_query.Parse(src)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		if got := Objects(r.Stmts[0].Stmt); !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %v\nwant %v", src, got, want)
		}
	}
}

// checkChunking splits src in one piece and in 1-byte chunks (a cut after
// every statement): the statements must be the same.
func checkChunking(t *testing.T, src string) {
	t.Helper()
	collect := func(size int) ([]Statement, error) {
		var out []Statement
		err := splitFunc(src, size, func(b []Statement) error {
			out = append(out, b...)
			return nil
		})
		return out, err
	}
	whole, errW := collect(len(src) + 1)
	tiny, errT := collect(1)
	if (errW == nil) != (errT == nil) {
		t.Fatalf("whole: %v, chunked: %v", errW, errT)
	}
	if errW != nil {
		if errW.Error() != errT.Error() {
			t.Fatalf("errors differ: whole %q, chunked %q", errW, errT)
		}
		return
	}
	if len(whole) != len(tiny) {
		t.Fatalf("whole: %d statements, chunked: %d", len(whole), len(tiny))
	}
	for i := range whole {
		a, b := whole[i], tiny[i]
		if a.Text != b.Text || a.Start != b.Start || a.PrefixStart != b.PrefixStart || a.Kind != b.Kind || a.Tag != b.Tag ||
			a.Data != b.Data || a.HasData != b.HasData || a.Line != b.Line || a.NonTransactional != b.NonTransactional {
			t.Fatalf("#%d differs:\n whole %+v\n chunk %+v", i, a, b)
		}
	}
}

func TestSplitChunkBoundaries(t *testing.T) {
	for _, src := range []string{
		"SELECT 1; SELECT 2;\n\\echo x\nCOPY t FROM stdin;\na;b\n\\.\nSELECT 'a;b';",
		"CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END; SELECT 3;",
		"SELECT 1;\nSELEC 2;\nSELECT 3;",
		"/* ; */ SELECT $$;$$; -- ;\nSELECT E'\\';';",
	} {
		checkChunking(t, src)
	}
}
