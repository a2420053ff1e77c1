package diff

import "github.com/tidemark-dev/tidemark/internal/catalog"

// alterOpFamily changes the loose members of operator family f into those
// of t in place (ALTER OPERATOR FAMILY ... DROP, then ADD), so its classes
// and the indexes using them stay. A member registered for the same number
// and operand types but with another operator or function is dropped and
// added again.
func alterOpFamily(f, t *catalog.OperatorFamily) []Statement {
	type slot struct {
		fn          bool
		n           int
		left, right string
	}
	id := func(m catalog.OpMember) slot { return slot{m.Function, m.Number, m.Left, m.Right} }
	want := map[slot]catalog.OpMember{}
	for _, m := range t.Members {
		want[id(m)] = m
	}
	have := map[slot]catalog.OpMember{}
	var drop []catalog.OpMember
	for _, m := range f.Members {
		have[id(m)] = m
		if w, ok := want[id(m)]; !ok || w != m {
			drop = append(drop, m)
		}
	}
	var add []catalog.OpMember
	for _, m := range t.Members {
		if h, ok := have[id(m)]; !ok || h != m {
			add = append(add, m)
		}
	}
	var out []Statement
	if len(drop) > 0 {
		out = append(out, tx(catalog.OpFamilyDrop(t, drop)))
	}
	if len(add) > 0 {
		out = append(out, tx(catalog.OpFamilyAdd(t, add)))
	}
	return out
}
