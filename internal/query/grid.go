package query

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxCellBytes is how much of one value a Grid shows; longer values are
// cut (Cell.Truncated), their full text kept aside for the viewer while the
// grid's KeepFull budget lasts (Grid.Full).
const MaxCellBytes = 64 << 10

// Cell is one value of a grid: Null set for NULL, else the text form.
type Cell struct {
	Text      string `json:"text"`
	Null      bool   `json:"null,omitempty"`
	Truncated bool   `json:"truncated,omitempty"`
}

// Grid is a Sink that keeps rows for display (the row limit bounds it).
type Grid struct {
	Cols []Column `json:"columns"`
	Rows [][]Cell `json:"rows"`
	// KeepFull is how many bytes of cut values the grid keeps whole for
	// the viewer (0: none); a value past the budget is cut only.
	KeepFull int `json:"-"`

	full map[[2]int]string // (row, column) -> whole value
	kept int
}

// ErrValueNotKept is Full's error for a cut value the grid did not keep.
var ErrValueNotKept = errors.New("the value is larger than the editor keeps: export the query to read it whole")

// Full returns the whole text of a cell: the cell's text, or for a cut
// value the whole value when it was kept (else ErrValueNotKept). NULL is "".
func (g *Grid) Full(row, col int) (string, error) {
	if row < 0 || row >= len(g.Rows) || col < 0 || col >= len(g.Rows[row]) {
		return "", fmt.Errorf("no cell at row %d, column %d (the result has %d rows)", row+1, col+1, len(g.Rows))
	}
	c := g.Rows[row][col]
	if !c.Truncated {
		return c.Text, nil
	}
	if v, ok := g.full[[2]int{row, col}]; ok {
		return v, nil
	}
	return "", ErrValueNotKept
}

// Columns records the columns.
func (g *Grid) Columns(cols []Column) error { g.Cols = cols; return nil }

// Row copies a row (values are only valid during the call).
func (g *Grid) Row(vals [][]byte) error {
	r := make([]Cell, len(vals))
	for i, v := range vals {
		switch {
		case v == nil:
			r[i] = Cell{Null: true}
		case len(v) > MaxCellBytes:
			cut := MaxCellBytes
			for cut > 0 && !utf8.RuneStart(v[cut]) {
				cut--
			}
			r[i] = Cell{Text: string(v[:cut]), Truncated: true}
			if g.kept+len(v) <= g.KeepFull {
				if g.full == nil {
					g.full = map[[2]int]string{}
				}
				g.full[[2]int{len(g.Rows), i}] = string(v)
				g.kept += len(v)
			}
		default:
			r[i] = Cell{Text: string(v)}
		}
	}
	g.Rows = append(g.Rows, r)
	return nil
}

// PlanNode is one node of an EXPLAIN plan.
type PlanNode struct {
	NodeType    string      `json:"nodeType"`
	Relation    string      `json:"relation,omitempty"`
	StartupCost float64     `json:"startupCost"`
	TotalCost   float64     `json:"totalCost"`
	PlanRows    float64     `json:"planRows"`
	ActualTime  *float64    `json:"actualTotalTime,omitempty"` // ms, EXPLAIN ANALYZE only
	ActualRows  *float64    `json:"actualRows,omitempty"`
	Loops       *float64    `json:"loops,omitempty"`
	Slowest     bool        `json:"slowest,omitempty"` // among the nodes with the most own time
	Detail      string      `json:"detail,omitempty"`  // index, join or filter condition
	Children    []*PlanNode `json:"children,omitempty"`
	selfTime    float64
}

// ParsePlan reads the output of EXPLAIN (FORMAT JSON) into a tree; with
// ANALYZE the nodes with the most time of their own (up to three, at least
// a tenth of the total) are marked Slowest.
func ParsePlan(text string) (*PlanNode, error) {
	var doc []struct {
		Plan map[string]any `json:"Plan"`
	}
	if err := json.Unmarshal([]byte(text), &doc); err != nil {
		return nil, fmt.Errorf("read the plan: %w", err)
	}
	if len(doc) == 0 || doc[0].Plan == nil {
		return nil, fmt.Errorf("read the plan: no plan in the EXPLAIN output")
	}
	root := planNode(doc[0].Plan)
	var all []*PlanNode
	var visit func(n *PlanNode)
	visit = func(n *PlanNode) {
		all = append(all, n)
		for _, c := range n.Children {
			visit(c)
		}
	}
	visit(root)
	if root.ActualTime != nil {
		total := *root.ActualTime * num(root.Loops)
		for range 3 {
			var best *PlanNode
			for _, n := range all {
				if !n.Slowest && (best == nil || n.selfTime > best.selfTime) {
					best = n
				}
			}
			if best == nil || best.selfTime <= 0 || best.selfTime < total/10 {
				break
			}
			best.Slowest = true
		}
	}
	return root, nil
}

func num(p *float64) float64 {
	if p == nil {
		return 1
	}
	return *p
}

func planNode(m map[string]any) *PlanNode {
	f := func(k string) float64 { v, _ := m[k].(float64); return v }
	fp := func(k string) *float64 {
		if v, ok := m[k].(float64); ok {
			return &v
		}
		return nil
	}
	s := func(k string) string { v, _ := m[k].(string); return v }
	n := &PlanNode{NodeType: s("Node Type"), StartupCost: f("Startup Cost"), TotalCost: f("Total Cost"), PlanRows: f("Plan Rows"),
		ActualTime: fp("Actual Total Time"), ActualRows: fp("Actual Rows"), Loops: fp("Actual Loops")}
	if r := s("Relation Name"); r != "" {
		n.Relation = r
		if sch := s("Schema"); sch != "" {
			n.Relation = sch + "." + r
		}
	}
	var det []string
	for _, k := range []string{"Index Name", "Join Type", "Hash Cond", "Index Cond", "Merge Cond", "Filter", "Sort Key"} {
		switch v := m[k].(type) {
		case string:
			det = append(det, k+": "+v)
		case []any:
			parts := make([]string, 0, len(v))
			for _, p := range v {
				parts = append(parts, fmt.Sprint(p))
			}
			det = append(det, k+": "+strings.Join(parts, ", "))
		}
	}
	n.Detail = strings.Join(det, "; ")
	if kids, ok := m["Plans"].([]any); ok {
		for _, k := range kids {
			if km, ok := k.(map[string]any); ok {
				n.Children = append(n.Children, planNode(km))
			}
		}
	}
	if n.ActualTime != nil {
		self := *n.ActualTime * num(n.Loops)
		for _, c := range n.Children {
			if c.ActualTime != nil {
				self -= *c.ActualTime * num(c.Loops)
			}
		}
		n.selfTime = self
	}
	return n
}
