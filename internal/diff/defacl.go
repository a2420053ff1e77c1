package diff

import (
	"sort"

	"github.com/tidemark-dev/tidemark/internal/catalog"
)

// Default privileges (ALTER DEFAULT PRIVILEGES) apply to every object
// created while they are in effect, so an object the plan creates may start
// with privileges that neither model gives it: the source's default
// privileges still hold when it is created (or the target's already do),
// and which entries apply depends on the role that runs the plan. Dump's
// privilege statements start from the built-in defaults, and an object whose
// target privileges are the built-in ones has none at all. So each object
// created where some default privileges could apply first has what they
// could have granted taken back and, when its target privileges are the
// built-in ones, those restored.

// defaultPrivilegeResets adds, for every object the plan creates, the
// statements that undo what default privileges of either model could give
// it, ahead of its own privilege statements (or in an action of their own,
// after its creation, when it has none).
func (p *planner) defaultPrivilegeResets(keys []string) {
	if !p.priv || (len(p.fi.s.DefaultPrivileges) == 0 && len(p.ti.s.DefaultPrivileges) == 0) {
		return
	}
	for _, k := range keys {
		to := p.ti.objs[k]
		if to == nil || !p.created(k) || p.creates[k] == nil {
			continue
		}
		t, ok := aclTargetOf(to)
		if !ok || t.owner == "" {
			continue
		}
		grantees, global := p.defaultGrantees(t)
		if len(grantees) == 0 && !global {
			continue
		}
		aclKey := catalog.ACLNodeKey(k)
		var own []string // the object's own privilege statements, if any
		if ao := p.ti.objs[aclKey]; ao != nil {
			own = ao.stmts
		}
		var st []Statement
		revoked := map[string]bool{}
		for _, g := range grantees {
			s := "REVOKE ALL ON " + t.word + " " + t.name + " FROM " + granteeSQL(g)
			revoked[g] = true
			if !containsStr(own, s) {
				st = append(st, tx(s))
			}
		}
		if len(own) == 0 {
			// The target has the built-in privileges: the owner's and
			// PUBLIC's, which a global entry may have withheld.
			if global || revoked[t.owner] {
				st = append(st, tx("GRANT ALL ON "+t.word+" "+t.name+" TO "+granteeSQL(t.owner)))
			}
			if t.public != "" && (global || revoked["PUBLIC"]) {
				st = append(st, tx("GRANT "+t.public+" ON "+t.word+" "+t.name+" TO PUBLIC"))
			}
		}
		if len(st) == 0 {
			continue
		}
		if a := p.creates[aclKey]; a != nil {
			a.stmts = append(st, a.stmts...)
			continue
		}
		p.creates[aclKey] = &action{kind: actCreate, key: aclKey, order: to.order, stmts: st, after: []*action{p.creates[k]}}
	}
}

// aclTarget is how GRANT and REVOKE name an object, whose owner it is, and
// what default privileges entries apply to it.
type aclTarget struct {
	word, name string
	owner      string
	// objectType and schema select the default privileges entries
	// (pg_default_acl) that apply when the object is created.
	objectType, schema string
	// public is the privilege PUBLIC holds by default ("" for none).
	public string
}

func aclTargetOf(o *obj) (aclTarget, bool) {
	switch o.kind {
	case kSchema:
		return aclTarget{word: "SCHEMA", name: catalog.QuoteIdent(o.ns.Name), owner: o.ns.Owner, objectType: "schemas"}, true
	case kType:
		t := o.typ
		return aclTarget{word: "TYPE", name: t.QualifiedName.String(), owner: t.Owner, objectType: "types", schema: t.Schema, public: "USAGE"}, true
	case kFunction:
		f := o.fn
		word := "FUNCTION"
		if f.Kind == catalog.FunctionProcedure {
			word = "PROCEDURE"
		}
		return aclTarget{word: word, name: f.Signature(), owner: f.Owner, objectType: "functions", schema: f.Schema, public: "EXECUTE"}, true
	case kSequence:
		q := o.seq
		return aclTarget{word: "SEQUENCE", name: q.QualifiedName.String(), owner: q.Owner, objectType: "sequences", schema: q.Schema}, true
	case kTable:
		t := o.table
		return aclTarget{word: "TABLE", name: t.QualifiedName.String(), owner: t.Owner, objectType: "tables", schema: t.Schema}, true
	case kView:
		v := o.view
		return aclTarget{word: "TABLE", name: v.QualifiedName.String(), owner: v.Owner, objectType: "tables", schema: v.Schema}, true
	}
	return aclTarget{}, false
}

// defaultGrantees lists (sorted) the grantees of every default privileges
// entry, in either model, that could apply when t is created, whichever role
// creates it; global reports whether one of them is a global entry, which
// replaces the built-in privileges instead of adding to them.
func (p *planner) defaultGrantees(t aclTarget) (grantees []string, global bool) {
	seen := map[string]bool{}
	for _, s := range []*catalog.Schema{p.fi.s, p.ti.s} {
		for _, d := range s.DefaultPrivileges {
			if d.ObjectType != t.objectType || (d.Schema != "" && d.Schema != t.schema) {
				continue
			}
			if d.Schema == "" {
				global = true
			}
			for _, g := range d.Grants {
				if !seen[g.Grantee] {
					seen[g.Grantee] = true
					grantees = append(grantees, g.Grantee)
				}
			}
		}
	}
	sort.Strings(grantees)
	return grantees, global
}

// granteeSQL renders a grantee as GRANT and REVOKE name it.
func granteeSQL(g string) string {
	if g == "PUBLIC" {
		return "PUBLIC"
	}
	return catalog.QuoteIdent(g)
}
