package diff

import (
	"container/heap"
	"sort"
)

// actKind is the phase of an action; it is also the tie-break between
// actions whose dependencies are met: drops of dependent objects first, then
// changes in place, then creations, then drops of the things removed
// objects were built on (types, functions, schemas).
type actKind int

const (
	actDrop actKind = iota
	actAlter
	actCreate
	actLateDrop
)

// action is one node of the plan graph: the statements that drop, alter or
// create one object.
type action struct {
	kind  actKind
	key   string
	order int // position in the source (drops) or target (others) dump
	stmts []Statement
	after []*action

	pending int
	users   []*action
	done    bool
	seq     int
}

func (a *action) less(b *action) bool {
	if a.kind != b.kind {
		return a.kind < b.kind
	}
	if a.kind == actDrop || a.kind == actLateDrop {
		// Drops go in reverse creation order.
		if a.order != b.order {
			return a.order > b.order
		}
	} else if a.order != b.order {
		return a.order < b.order
	}
	return a.key < b.key
}

type actionHeap []*action

func (h actionHeap) Len() int           { return len(h) }
func (h actionHeap) Less(i, j int) bool { return h[i].less(h[j]) }
func (h actionHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *actionHeap) Push(x any)        { *h = append(*h, x.(*action)) }
func (h *actionHeap) Pop() any {
	old := *h
	n := old[len(old)-1]
	*h = old[:len(old)-1]
	return n
}

// sortActions orders the actions topologically (an action runs after every
// action in its after list), breaking ties by phase and dump position. It
// reports the keys of actions caught in a dependency cycle, which it
// releases in tie-break order so the result is still total.
func sortActions(acts []*action) ([]*action, []string) {
	sort.Slice(acts, func(i, j int) bool { return acts[i].less(acts[j]) })
	for i, a := range acts {
		a.seq = i
	}
	for _, a := range acts {
		seen := map[*action]bool{}
		for _, b := range a.after {
			if b == a || seen[b] {
				continue
			}
			seen[b] = true
			a.pending++
			b.users = append(b.users, a)
		}
	}
	h := &actionHeap{}
	for _, a := range acts {
		if a.pending == 0 {
			heap.Push(h, a)
		}
	}
	var cycle []string
	out := make([]*action, 0, len(acts))
	for len(out) < len(acts) {
		if h.Len() == 0 {
			var best *action
			for _, a := range acts {
				if !a.done && (best == nil || a.less(best)) {
					best = a
				}
			}
			cycle = append(cycle, best.key)
			best.pending = 0
			heap.Push(h, best)
		}
		a := heap.Pop(h).(*action)
		if a.done {
			continue
		}
		a.done = true
		out = append(out, a)
		for _, u := range a.users {
			u.pending--
			if u.pending == 0 && !u.done {
				heap.Push(h, u)
			}
		}
	}
	return out, cycle
}
