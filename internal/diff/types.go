package diff

import (
	"strings"

	"github.com/tidemark-dev/tidemark/internal/catalog"
)

// isSubsequence reports whether a appears in b in order.
func isSubsequence(a, b []string) bool {
	i := 0
	for _, x := range b {
		if i < len(a) && a[i] == x {
			i++
		}
	}
	return i == len(a)
}

func (p *planner) compareType(k string, fo, to *obj) {
	if equalStrings(fo.stmts, to.stmts) {
		p.status[k] = stSame
		return
	}
	f, t := fo.typ, to.typ
	set := func(st []Statement) {
		if len(st) == 0 {
			p.status[k] = stSame
			return
		}
		p.status[k] = stAlter
		p.alters[k] = st
	}
	replace := func(why string) {
		p.status[k] = stReplace
		p.reasons[k] = why
	}
	if f.Kind != t.Kind {
		replace("its kind changes")
		return
	}
	name := t.QualifiedName.String()
	switch t.Kind {
	case catalog.TypeEnum:
		if isSubsequence(f.Labels, t.Labels) {
			var st []Statement
			have := append([]string(nil), f.Labels...)
			for i, l := range t.Labels {
				if containsStr(have, l) {
					continue
				}
				pos := ""
				if i > 0 {
					pos = " AFTER " + catalog.QuoteLiteral(t.Labels[i-1])
				} else if len(have) > 0 {
					pos = " BEFORE " + catalog.QuoteLiteral(have[0])
				}
				have = append(have, l)
				st = append(st, Statement{SQL: "ALTER TYPE " + name + " ADD VALUE " + catalog.QuoteLiteral(l) + pos, Transactional: false,
					Hazards: []Hazard{hz(HazardNonTransactional, "the new value %s cannot be used until this statement commits: run it on its own", l)}})
			}
			set(st)
			return
		}
		p.swaps[k] = true
		set(p.enumSwap(f, t, to))
	case catalog.TypeDomain:
		if f.BaseType != t.BaseType || f.Collation != t.Collation {
			replace("its base type or collation changes")
			return
		}
		a := "ALTER DOMAIN " + name + " "
		var st []Statement
		if !equalPtr(f.Default, t.Default) {
			if t.Default == nil {
				st = append(st, tx(a+"DROP DEFAULT"))
			} else {
				st = append(st, tx(a+"SET DEFAULT "+*t.Default))
			}
		}
		if f.NotNull != t.NotNull {
			if t.NotNull {
				st = append(st, tx(a+"SET NOT NULL", hz(HazardValidatesScan, "scans every column of domain %s for NULLs", name)))
			} else {
				st = append(st, tx(a+"DROP NOT NULL"))
			}
		}
		fc := map[string]catalog.DomainConstraint{}
		for _, c := range f.Constraints {
			fc[c.Name] = c
		}
		tcs := map[string]bool{}
		for _, c := range t.Constraints {
			tcs[c.Name] = true
		}
		for _, c := range f.Constraints {
			if !tcs[c.Name] {
				st = append(st, tx(a+"DROP CONSTRAINT "+catalog.QuoteIdent(c.Name)))
			}
		}
		for _, c := range t.Constraints {
			old, ok := fc[c.Name]
			if ok && old.Definition == c.Definition && old.NotValid == c.NotValid {
				continue
			}
			if ok && old.Definition == c.Definition && old.NotValid && !c.NotValid {
				st = append(st, tx(a+"VALIDATE CONSTRAINT "+catalog.QuoteIdent(c.Name), hz(HazardValidatesScan, "scans every column of domain %s", name)))
				continue
			}
			if ok {
				st = append(st, tx(a+"DROP CONSTRAINT "+catalog.QuoteIdent(c.Name)))
			}
			s := a + "ADD CONSTRAINT " + catalog.QuoteIdent(c.Name) + " " + catalog.Reloadable(c.Definition)
			if c.NotValid {
				st = append(st, tx(s+" NOT VALID"))
			} else {
				st = append(st, tx(s, hz(HazardValidatesScan, "scans every column of domain %s to check %s", name, c.Name)))
			}
		}
		set(st)
	case catalog.TypeComposite:
		a := "ALTER TYPE " + name + " "
		var st []Statement
		for _, fa := range f.Attributes {
			if attr(t, fa.Name) == nil {
				st = append(st, tx(a+"DROP ATTRIBUTE "+catalog.QuoteIdent(fa.Name)))
			}
		}
		for _, ta := range t.Attributes {
			fa := attr(f, ta.Name)
			def := ta.Type
			if ta.Collation != "" {
				def += " COLLATE " + ta.Collation
			}
			if fa == nil {
				st = append(st, tx(a+"ADD ATTRIBUTE "+catalog.QuoteIdent(ta.Name)+" "+def))
			} else if fa.Type != ta.Type || fa.Collation != ta.Collation {
				st = append(st, tx(a+"ALTER ATTRIBUTE "+catalog.QuoteIdent(ta.Name)+" TYPE "+def))
			}
		}
		set(st)
	default:
		replace("a range type cannot be changed in place")
	}
}

func attr(t *catalog.Type, name string) *catalog.Attribute {
	for i := range t.Attributes {
		if t.Attributes[i].Name == name {
			return &t.Attributes[i]
		}
	}
	return nil
}

// enumSwap replaces an enum whose values are removed or reordered: the old
// type is renamed away, the new one created, columns re-cast through text,
// and the old type dropped. Views, routines, checks and indexes using the
// type are re-created around it (propagate).
func (p *planner) enumSwap(f, t *catalog.Type, to *obj) []Statement {
	name := t.QualifiedName.String()
	old := truncIdent(t.Name + "__tidemark_old")
	oldQ := catalog.QuoteQualified(t.Schema, old)
	st := []Statement{tx("ALTER TYPE " + name + " RENAME TO " + catalog.QuoteIdent(old))}
	for _, s := range to.stmts {
		st = append(st, tx(s))
	}
	for i := range p.ti.s.Tables {
		tt := &p.ti.s.Tables[i]
		ft := p.fi.s.Table(tt.QualifiedName)
		if ft == nil || ft.Kind != tt.Kind {
			continue
		}
		tname := tt.QualifiedName.String()
		for j := range tt.Columns {
			tc := &tt.Columns[j]
			fc := ft.Column(tc.Name)
			if fc == nil || tc.TypeRef != t.QualifiedName || fc.TypeRef != t.QualifiedName || fc.Generated != tc.Generated {
				continue
			}
			if tc.Inherited && sameParents(ft, tt) {
				continue
			}
			col := catalog.QuoteIdent(tc.Name)
			via := "text"
			if strings.HasSuffix(tc.Type, "[]") {
				via = "text[]"
			}
			if fc.Default != nil {
				st = append(st, tx("ALTER TABLE "+tname+" ALTER COLUMN "+col+" DROP DEFAULT"))
			}
			using := " USING " + col + "::" + via + "::" + tc.Type
			if tc.Generated != "" {
				using = ""
			}
			st = append(st, tx("ALTER TABLE "+tname+" ALTER COLUMN "+col+" TYPE "+tc.Type+using,
				hz(HazardRewritesTable, "re-casting %s.%s to the new %s rewrites the table", tname, col, name), lockHz(tname),
				hz(HazardValidatesScan, "fails if a row of %s holds a value %s no longer has", tname, name)))
			if tc.Default != nil {
				st = append(st, tx("ALTER TABLE "+tname+" ALTER COLUMN "+col+" SET DEFAULT "+*tc.Default))
			}
		}
	}
	st = append(st, tx("DROP TYPE "+oldQ))
	return st
}
