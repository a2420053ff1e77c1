package review

import (
	"cmp"
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/proto"

	"github.com/tidemark-dev/tidemark/internal/sqlparse"
)

// SyntaxError is the parser's error for SQL that does not parse, with its
// line and column: what Review and FixScript return for such a script.
type SyntaxError = sqlparse.SyntaxError

// Advice is one finding of a review.
type Advice struct {
	Rule    string `json:"rule"`
	Level   Level  `json:"level"`
	Title   string `json:"title"`
	Message string `json:"message"`
	File    string `json:"file,omitempty"`
	// Line and Column (1-based; Column counts characters) point at the
	// offending element: the statement start, a column definition, a
	// function call...
	Line   int `json:"line"`
	Column int `json:"column"`
	// Statement is the span of the statement the advice belongs to (empty
	// for advice about the file as a whole).
	Statement Span `json:"statement"`
	// Rewrite is the safe form of the statement, for the rules that have
	// one (nil otherwise). See Fix for the whole file.
	Rewrite *Rewrite `json:"rewrite,omitempty"`
}

// Span is a statement's position in the source.
type Span struct {
	Start   int `json:"start"` // byte offsets, [Start, End)
	End     int `json:"end"`
	Line    int `json:"line"`
	Column  int `json:"column"`
	EndLine int `json:"endLine"`
}

// Options tune one review.
type Options struct {
	// File names the script in advice (optional).
	File string
	// Policy selects rules, levels and payloads; nil = the default template.
	Policy *Policy
	// Catalog is the target's schema the script is simulated against; nil =
	// an empty catalog with unknown contents.
	Catalog *Catalog
	// Live gives rules that need the database (EXPLAIN-based row estimates,
	// dry runs, ownership) a connection; nil = those rules stay silent.
	Live Live
	// ServerVersion is the target's server_version_num (0 = the newest
	// supported version).
	ServerVersion int
	// Runner is what will run the file: RunnerTidemark (the default, "")
	// wraps each transactional file in a transaction and sets lock_timeout
	// and statement_timeout itself; RunnerOther is psql or another tool that
	// runs the file as written.
	Runner string
}

// Runners a file can be reviewed for.
const (
	RunnerTidemark = "tidemark"
	RunnerOther    = "other"
)

// tidemarkRunner reports whether the file runs through Tidemark's runner.
func (o Options) tidemarkRunner() bool { return o.Runner == "" || o.Runner == RunnerTidemark }

// Result is the outcome of a review.
type Result struct {
	Advice     []Advice             `json:"advice"`
	Statements []sqlparse.Statement `json:"-"`
	Catalog    *Catalog             `json:"-"` // the simulated final state
	Counts     map[Level]int        `json:"counts"`
}

// HasErrors reports whether any advice is error-level.
func (r *Result) HasErrors() bool { return r.Counts[Error] > 0 }

// run is the state of one review.
type run struct {
	gctx   context.Context
	reg    *Registry
	src    string
	opts   Options
	stmts  []sqlparse.Statement
	cat    *Catalog
	lines  sqlparse.LineIndex
	advice []pendingAdvice
	state  map[string]any

	facts   stmtFacts // tree facts of the statement factsAt, shared by rules
	factsAt int

	inTx    []bool // per statement: inside an explicit transaction block
	txOpen  bool   // a block is open after the statements so far
	txBegin int    // the statement that opened it
	// blockOf maps a statement inside an explicit block to the statement
	// that opened the block (statements outside blocks are not in it).
	blockOf map[int]int
	// nonTx is set once the file holds a statement that cannot run in a
	// transaction block: Tidemark's runner then runs the file statement by
	// statement.
	nonTx bool
	// ownTx is set once the file opens a transaction block of its own:
	// Tidemark's runner then runs each block as written, as a unit, and each
	// statement outside a block alone (as psql would).
	ownTx bool
}

// sameTransaction reports whether statements i and j (i < j) run in one
// transaction. Exact in finish hooks, when the whole file is known: with
// Tidemark's runner a transactional file is one transaction and a file
// holding a non-transactional statement runs each statement alone; with
// another runner, or a file with transaction blocks of its own, statements
// share a transaction only inside one explicit BEGIN ... COMMIT block.
func (rn *run) sameTransaction(i, j int) bool {
	if i < 0 || j < 0 {
		return false
	}
	if rn.opts.tidemarkRunner() && !rn.ownTx {
		return !rn.nonTx
	}
	bi, iok := rn.blockOf[i]
	bj, jok := rn.blockOf[j]
	return iok && jok && bi == bj
}

type pendingAdvice struct {
	Advice
	stmt int // statement index, -1 = file
}

// ctx is what a rule's check sees.
type ctx struct {
	*run
	rule    *rule
	level   Level
	payload Payload
	i       int                 // statement index; -1 in finish hooks
	st      *sqlparse.Statement // nil in finish hooks
	node    *pg_query.Node
	res     map[string]*regexp.Regexp
}

// regexp compiles a pattern once per review and rule.
func (c *ctx) regexp(pattern string) (*regexp.Regexp, error) {
	if re, ok := c.res[pattern]; ok {
		return re, nil
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, err
	}
	if c.res == nil || len(c.res) > 1024 {
		c.res = map[string]*regexp.Regexp{}
	}
	c.res[pattern] = re
	return re, nil
}

// Review checks src (a SQL script) against the policy. A script the parser
// rejects returns a *sqlparse.SyntaxError (SyntaxError). The script is parsed in chunks
// and each parse tree is released once reviewed, so Result.Statements carry
// no Node.
func (r *Registry) Review(gctx context.Context, src string, o Options) (*Result, error) {
	rn, active, err := r.newRun(gctx, src, o)
	if err != nil {
		return nil, err
	}
	rn.stmts = make([]sqlparse.Statement, 0, strings.Count(src, ";")+1) // about one statement per ';'
	err = sqlparse.SplitFunc(src, func(batch []sqlparse.Statement) error {
		for k := range batch {
			if err := rn.step(active, batch[k], true); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return rn.finish(active), nil
}

// ReviewStatements reviews an already split script (stmts from
// sqlparse.Split(src)); the statements' parse trees are left in place.
func (r *Registry) ReviewStatements(gctx context.Context, src string, stmts []sqlparse.Statement, o Options) (*Result, error) {
	rn, active, err := r.newRun(gctx, src, o)
	if err != nil {
		return nil, err
	}
	for _, st := range stmts {
		if err := rn.step(active, st, false); err != nil {
			return nil, err
		}
	}
	return rn.finish(active), nil
}

type activeRule struct {
	r *rule
	c *ctx // reused for every statement
}

func (r *Registry) newRun(gctx context.Context, src string, o Options) (*run, []activeRule, error) {
	pol := o.Policy
	if pol == nil {
		var err error
		if pol, err = r.Template(TemplateDefault); err != nil {
			return nil, nil, err
		}
	}
	if err := r.Validate(pol); err != nil {
		return nil, nil, fmt.Errorf("invalid policy: %w", err)
	}
	rn := &run{gctx: gctx, reg: r, src: src, opts: o, cat: o.Catalog.clone(), state: map[string]any{}, txBegin: -1, factsAt: -1}
	rn.lines = sqlparse.NewLineIndex(src)
	var active []activeRule
	for _, rc := range pol.Rules {
		if rc.Level == Off {
			continue
		}
		x := r.byID[rc.ID]
		pl := x.Default.clone()
		if rc.Payload != nil {
			pl = rc.Payload.clone()
		}
		active = append(active, activeRule{r: x, c: &ctx{run: rn, rule: x, level: rc.Level, payload: pl, i: -1}})
	}
	return rn, active, nil
}

// step reviews one statement, then applies it to the catalog.
func (rn *run) step(active []activeRule, st sqlparse.Statement, release bool) error {
	i := len(rn.stmts)
	if i%256 == 0 {
		if err := rn.gctx.Err(); err != nil {
			return err
		}
	}
	rn.stmts = append(rn.stmts, st)
	sp := &rn.stmts[i]
	from := len(rn.advice)
	for _, a := range active {
		if a.r.stmt == nil || sp.Node == nil && !a.r.meta {
			continue
		}
		a.c.i, a.c.st, a.c.node = i, sp, sp.Node
		a.r.stmt(a.c)
	}
	rn.attachRewrites(from, sp.Node)
	rn.cat.apply(sp.Node, i)
	rn.trackTransaction(sp, i)
	if release {
		sp.Node = nil
	}
	return nil
}

func (rn *run) finish(active []activeRule) *Result {
	for _, a := range active {
		if a.r.finish != nil {
			a.c.i, a.c.st, a.c.node = -1, nil, nil
			a.r.finish(a.c)
		}
	}
	res := &Result{Statements: rn.stmts, Catalog: rn.cat, Counts: map[Level]int{}}
	res.Advice = sortAdvice(rn.suppress(active))
	for _, a := range res.Advice {
		res.Counts[a.Level]++
	}
	return res
}

// sortAdvice orders advice by position, then rule, keeping the order of
// equal ones (a stable sort). It sorts indexes and permutes once: moving the
// advice structs themselves through a stable sort costs more than the
// review of a long file.
func sortAdvice(adv []Advice) []Advice {
	idx := make([]int32, len(adv))
	for i := range idx {
		idx[i] = int32(i)
	}
	slices.SortFunc(idx, func(i, j int32) int {
		a, b := &adv[i], &adv[j]
		if c := cmp.Compare(a.Line, b.Line); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Column, b.Column); c != 0 {
			return c
		}
		if c := strings.Compare(a.Rule, b.Rule); c != 0 {
			return c
		}
		return cmp.Compare(i, j)
	})
	out := make([]Advice, len(adv))
	for k, i := range idx {
		out[k] = adv[i]
	}
	return out
}

// trackTransaction follows explicit transaction blocks: txOpen is the state
// before the next statement, txBegin the statement that opened it.
func (rn *run) trackTransaction(st *sqlparse.Statement, i int) {
	rn.inTx = append(rn.inTx, rn.txOpen)
	if rn.txOpen {
		if rn.blockOf == nil {
			rn.blockOf = map[int]int{}
		}
		rn.blockOf[i] = rn.txBegin
	}
	if !rn.nonTx && st.Node != nil && sqlparse.IsNonTransactional(st.Node, rn.opts.ServerVersion) {
		rn.nonTx = true
	}
	if st.Kind != sqlparse.TransactionControl {
		return
	}
	switch st.Tag {
	case "BEGIN", "START TRANSACTION":
		rn.txOpen, rn.txBegin, rn.ownTx = true, i, true
		if rn.blockOf == nil {
			rn.blockOf = map[int]int{}
		}
		rn.blockOf[i] = i
	case "COMMIT", "PREPARE TRANSACTION":
		rn.txOpen = false
	case "ROLLBACK":
		if ts := st.Node.GetTransactionStmt(); ts == nil || ts.Kind != pg_query.TransactionStmtKind_TRANS_STMT_ROLLBACK_TO {
			rn.txOpen = false
		}
	}
}

// pos returns the 1-based line and character column of byte offset off.
func (rn *run) pos(off int) (int, int) { return rn.lines.Position(rn.src, off) }

func (rn *run) span(i int) Span {
	if i < 0 || i >= len(rn.stmts) {
		return Span{}
	}
	st := &rn.stmts[i]
	return Span{Start: st.Start, End: st.End, Line: st.Line, Column: st.Column, EndLine: st.EndLine}
}

// add records an advice of c's rule at byte offset off of statement i.
func (c *ctx) add(i, off int, msg string) {
	line, col := 1, 1
	if off >= 0 {
		line, col = c.pos(off)
	}
	c.advice = append(c.advice, pendingAdvice{Advice: Advice{
		Rule: c.rule.ID, Level: c.level, Title: c.rule.Title, Message: msg, File: c.opts.File,
		Line: line, Column: col, Statement: c.span(i),
	}, stmt: i})
}

// reportInfo flags the current statement at its first token at info level
// (a note that never blocks), whatever level the policy gives the rule.
func (c *ctx) reportInfo(format string, args ...any) {
	c.add(c.i, c.st.Start, fmt.Sprintf(format, args...))
	c.advice[len(c.advice)-1].Level = Info
}

// report flags the current statement at its first token.
func (c *ctx) report(format string, args ...any) {
	c.add(c.i, c.st.Start, fmt.Sprintf(format, args...))
}

// reportAt flags the current statement at a parse-tree location (as found
// in the statement's Node; -1 = the statement start).
func (c *ctx) reportAt(loc int, format string, args ...any) {
	if loc >= 0 {
		loc += c.st.NodeOffset
	}
	if loc < c.st.Start || loc > c.st.End {
		loc = c.st.Start
	}
	c.add(c.i, loc, fmt.Sprintf(format, args...))
}

// reportStmt flags statement i (finish hooks) at its start, or at the start
// of its last line when atEnd.
func (c *ctx) reportStmt(i int, atEnd bool, format string, args ...any) {
	if i < 0 || i >= len(c.stmts) {
		c.add(-1, 0, fmt.Sprintf(format, args...))
		return
	}
	off := c.stmts[i].Start
	if atEnd {
		if l := c.stmts[i].EndLine; l-1 < len(c.lines) {
			off = max(c.lines[l-1], off)
		}
	}
	c.add(i, off, fmt.Sprintf(format, args...))
}

// stmtFacts are what several rules look for in a statement's tree, found by
// one walk and shared.
type stmtFacts struct {
	relations []*pg_query.RangeVar   // every relation reference, in tree order
	ctes      map[string]bool        // names of CTEs defined anywhere
	selects   []*pg_query.SelectStmt // every SELECT (subqueries included)
	likes     []*pg_query.A_Expr     // LIKE / ILIKE expressions
}

// facts walks the current statement's tree once and caches what rules need.
func (c *ctx) facts() *stmtFacts {
	if c.factsAt == c.i {
		return &c.run.facts
	}
	f := stmtFacts{ctes: map[string]bool{}}
	if c.node != nil {
		w := treeWalker{
			node: func(n *pg_query.Node) bool {
				switch v := n.Node.(type) {
				case *pg_query.Node_RangeVar:
					f.relations = append(f.relations, v.RangeVar)
				case *pg_query.Node_CommonTableExpr:
					f.ctes[v.CommonTableExpr.Ctename] = true
				case *pg_query.Node_SelectStmt:
					f.selects = append(f.selects, v.SelectStmt)
				case *pg_query.Node_AExpr:
					if k := v.AExpr.Kind; k == pg_query.A_Expr_Kind_AEXPR_LIKE || k == pg_query.A_Expr_Kind_AEXPR_ILIKE {
						f.likes = append(f.likes, v.AExpr)
					}
				}
				return true
			},
			msg: func(m proto.Message) bool {
				switch v := m.(type) {
				case *pg_query.RangeVar:
					f.relations = append(f.relations, v)
				case *pg_query.SelectStmt:
					f.selects = append(f.selects, v)
				}
				return true
			},
		}
		w.walkNode(c.node)
	}
	c.run.facts, c.factsAt = f, c.i
	return &c.run.facts
}

// text returns the current statement's source.
func (c *ctx) text() string { return c.st.Text }

// ruleState returns per-review state for the current rule, creating it with mk.
func ruleState[T any](c *ctx, mk func() *T) *T {
	if v, ok := c.state[c.rule.ID]; ok {
		return v.(*T)
	}
	v := mk()
	c.state[c.rule.ID] = v
	return v
}

// ---- suppression ----

const ignoreDirective = "tidemark:ignore"

type directive struct {
	rules []string
	stmt  int // -1 = whole file
	off   int
	used  map[string]bool
}

// directives finds `-- tidemark:ignore rule ...` comments. A directive in
// the comments before the first statement that is separated from it by a
// blank line (or `tidemark:ignore-file` anywhere) covers the file; otherwise
// it covers the statement it precedes or is written in, or the statement
// that ends on its line.
func (rn *run) directives() []*directive {
	var out []*directive
	prevEnd := 0
	for i := 0; i <= len(rn.stmts); i++ {
		start, end := prevEnd, len(rn.src)
		if i < len(rn.stmts) {
			end = rn.stmts[i].End
		}
		if end <= start {
			continue
		}
		if !strings.Contains(rn.src[start:end], ignoreDirective) {
			if i < len(rn.stmts) {
				prevEnd = rn.stmts[i].End
			}
			continue
		}
		for _, cm := range sqlparse.Comments(rn.src, start, end) {
			text := strings.TrimSpace(cm.Text)
			fileLevel := false
			switch {
			case strings.HasPrefix(text, ignoreDirective+"-file"):
				text = strings.TrimPrefix(text, ignoreDirective+"-file")
				fileLevel = true
			case strings.HasPrefix(text, ignoreDirective):
				text = strings.TrimPrefix(text, ignoreDirective)
			default:
				continue
			}
			ids := strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
			d := &directive{rules: ids, stmt: i, off: cm.Start, used: map[string]bool{}}
			switch {
			case i >= len(rn.stmts) && i > 0:
				d.stmt = -1
				if l, _ := rn.pos(cm.Start); l == rn.stmts[i-1].EndLine && !fileLevel {
					d.stmt = i - 1
				}
			case fileLevel || i >= len(rn.stmts):
				d.stmt = -1
			case i == 0 && cm.End < rn.stmts[0].Start && strings.Contains(rn.src[cm.End:rn.stmts[0].Start], "\n\n"):
				d.stmt = -1
			case i > 0 && cm.End <= rn.stmts[i].Start:
				// a trailing comment on the line where the previous statement ends
				if l, _ := rn.pos(cm.Start); l == rn.stmts[i-1].EndLine {
					d.stmt = i - 1
				}
			}
			out = append(out, d)
		}
		if i < len(rn.stmts) {
			prevEnd = rn.stmts[i].End
		}
	}
	return out
}

// suppress drops advice covered by directives and reports directives that
// suppress nothing (rule review.unused-ignore).
func (rn *run) suppress(active []activeRule) []Advice {
	dirs := rn.directives()
	out := make([]Advice, 0, len(rn.advice))
	for _, a := range rn.advice {
		hidden := false
		for _, d := range dirs {
			if (d.stmt == -1 || d.stmt == a.stmt) && containsString(d.rules, a.Rule) {
				d.used[a.Rule] = true
				hidden = true
			}
		}
		if !hidden {
			out = append(out, a.Advice)
		}
	}
	var unused *activeRule
	for k := range active {
		if active[k].r.ID == ruleUnusedIgnore {
			unused = &active[k]
		}
	}
	if unused == nil {
		return out
	}
	c := unused.c
	rn.advice = nil
	activeIDs := map[string]bool{} // a rule the policy turns off is not reported as unused
	for _, a := range active {
		activeIDs[a.r.ID] = true
	}
	for _, d := range dirs {
		if containsString(d.rules, ruleUnusedIgnore) {
			continue // the author silenced this check for the directive itself
		}
		if len(d.rules) == 0 {
			c.add(d.stmt, d.off, "tidemark:ignore names no rule; write the rule ids to ignore, e.g. -- tidemark:ignore table.require-pk")
			continue
		}
		for _, id := range d.rules {
			switch {
			case rn.reg.byID[id] == nil:
				c.add(d.stmt, d.off, fmt.Sprintf("tidemark:ignore names unknown rule %q", id))
			case !d.used[id] && activeIDs[id]:
				c.add(d.stmt, d.off, fmt.Sprintf("tidemark:ignore %s suppresses nothing here; remove it", id))
			}
		}
	}
	for _, a := range rn.advice {
		out = append(out, a.Advice)
	}
	return out
}

// EndPosition is where an advice's highlight ends in src (the script it was
// given by, indexed by lines): the end of its statement, or of its line for
// advice about the whole script (or a statement span that ends before the
// advice). Positions are 1-based lines and character columns.
func (a Advice) EndPosition(src string, lines sqlparse.LineIndex) (line, col int) {
	end := -1
	if a.Statement.End > 0 && a.Statement.End <= len(src) {
		end = a.Statement.End
	}
	if a.Line >= 1 && a.Line <= len(lines) && end < lines[a.Line-1] {
		end = lines.LineEnd(src, a.Line)
	}
	if end < 0 {
		return a.Line, a.Column
	}
	return lines.Position(src, end)
}
