package diff

import (
	"fmt"
	"strings"

	"github.com/tidemark-dev/tidemark/internal/catalog"
)

func tx(sql string, hz ...Hazard) Statement {
	return Statement{SQL: sql, Transactional: true, Hazards: hz}
}

func hz(t HazardType, format string, args ...any) Hazard {
	return Hazard{Type: t, Message: fmt.Sprintf(format, args...)}
}

func lockHz(name string) Hazard {
	return hz(HazardAccessExclusive, "takes an ACCESS EXCLUSIVE lock on %s: reads and writes wait until it commits", name)
}

func funcWord(k catalog.FunctionKind) string {
	switch k {
	case catalog.FunctionProcedure:
		return "PROCEDURE"
	case catalog.FunctionAggregate:
		return "AGGREGATE"
	}
	return "FUNCTION"
}

// dropStatements drops fo. removed is true when the object does not exist
// in the target (rather than being re-created).
func (p *planner) dropStatements(fo *obj, removed bool) []Statement {
	var out []Statement
	breaks := func(what string) []Hazard {
		if removed {
			return []Hazard{hz(HazardBreaksClients, "drops %s: clients using it fail", what)}
		}
		r := p.reasons[fo.key]
		if r == "" {
			r = "it changes"
		}
		return []Hazard{hz(HazardRecreatesDependent, "drops and re-creates %s because %s; it is missing until re-created", what, r)}
	}
	switch fo.kind {
	case kSchema:
		name := catalog.QuoteIdent(fo.ns.Name)
		out = append(out, tx("DROP SCHEMA "+name, breaks("schema "+name)...))
	case kExtension:
		name := catalog.QuoteIdent(fo.ext.Name)
		out = append(out, tx("DROP EXTENSION "+name, breaks("extension "+name)...))
	case kCollation:
		name := fo.coll.QualifiedName.String()
		out = append(out, tx("DROP COLLATION "+name, breaks("collation "+name)...))
	case kType:
		word := "TYPE"
		if fo.typ.Kind == catalog.TypeDomain {
			word = "DOMAIN"
		}
		name := fo.typ.QualifiedName.String()
		out = append(out, tx("DROP "+word+" "+name, breaks(strings.ToLower(word)+" "+name)...))
	case kFunction:
		w := funcWord(fo.fn.Kind)
		h := breaks(strings.ToLower(w) + " " + fo.fn.Signature())
		if tk := p.renamed[fo.key]; tk != "" {
			h = append(h, hz(HazardBreaksClients, "calls passing arguments to %s by name must use its new parameter names: %s",
				fo.fn.QualifiedName.String(), p.ti.objs[tk].fn.Signature()))
		}
		out = append(out, tx("DROP "+w+" "+fo.fn.Signature(), h...))
	case kOperator:
		out = append(out, tx("DROP OPERATOR "+fo.op.Signature(), breaks("operator "+fo.op.Signature())...))
	case kSequence:
		name := fo.seq.QualifiedName.String()
		out = append(out, tx("DROP SEQUENCE "+name, breaks("sequence "+name)...))
	case kOwned:
		out = append(out, tx("ALTER SEQUENCE "+fo.seq.QualifiedName.String()+" OWNED BY NONE"))
	case kTable:
		name := fo.table.QualifiedName.String()
		h := []Hazard{hz(HazardDeletesData, "drops table %s and every row in it", name), lockHz(name)}
		if removed {
			h = append(h, hz(HazardBreaksClients, "drops table %s: clients using it fail", name))
		} else {
			h = append(h, hz(HazardRecreatesDependent, "table %s is dropped and re-created because %s", name, p.reasons[fo.key]))
		}
		out = append(out, tx("DROP TABLE "+name, h...))
	case kAttach:
		t := fo.table
		out = append(out, tx("ALTER TABLE "+t.PartitionOf.String()+" DETACH PARTITION "+t.QualifiedName.String(),
			hz(HazardAccessExclusive, "takes an ACCESS EXCLUSIVE lock on %s and %s", t.PartitionOf.String(), t.QualifiedName.String()),
			hz(HazardBreaksClients, "rows of %s are no longer seen through %s", t.QualifiedName.String(), t.PartitionOf.String())))
	case kView:
		word := "VIEW"
		if fo.view.Materialized {
			word = "MATERIALIZED VIEW"
		}
		name := fo.view.QualifiedName.String()
		out = append(out, tx("DROP "+word+" "+name, breaks(strings.ToLower(word)+" "+name)...))
	case kConstraint:
		name := catalog.QuoteIdent(fo.con.Name)
		h := []Hazard{lockHz(fo.rel.String())}
		if removed && (fo.con.Type == catalog.ConstraintPrimaryKey || fo.con.Type == catalog.ConstraintUnique) {
			h = append(h, hz(HazardBreaksClients, "drops constraint %s: ON CONFLICT clauses and foreign keys relying on it fail", fo.con.Name))
		}
		out = append(out, tx("ALTER TABLE "+fo.rel.String()+" DROP CONSTRAINT "+name, h...))
	case kIndex:
		name := catalog.QuoteQualified(fo.rel.Schema, fo.idx.Name)
		if p.opts.Online && !fo.idx.Partitioned {
			out = append(out, Statement{SQL: "DROP INDEX CONCURRENTLY " + name, Transactional: false,
				Hazards: []Hazard{hz(HazardNonTransactional, "DROP INDEX CONCURRENTLY cannot run inside a transaction block")}})
		} else {
			out = append(out, tx("DROP INDEX "+name, lockHz(fo.rel.String())))
		}
	case kTrigger:
		out = append(out, tx("DROP TRIGGER "+catalog.QuoteIdent(fo.trg.Name)+" ON "+fo.rel.String(), lockHz(fo.rel.String())))
	case kPolicy:
		out = append(out, tx("DROP POLICY "+catalog.QuoteIdent(fo.pol.Name)+" ON "+fo.rel.String(), lockHz(fo.rel.String())))
	case kStatistics:
		name := catalog.QuoteQualified(fo.stx.Schema, fo.stx.Name)
		out = append(out, tx("DROP STATISTICS "+name))
	case kRule:
		out = append(out, tx("DROP RULE "+catalog.QuoteIdent(fo.rule.Name)+" ON "+fo.rel.String(), lockHz(fo.rel.String())))
	case kEventTrigger:
		out = append(out, tx("DROP EVENT TRIGGER "+catalog.QuoteIdent(fo.evt.Name)))
	case kCast:
		out = append(out, tx("DROP CAST ("+fo.cast.Name()+")"))
	case kForeignWrapper:
		out = append(out, tx("DROP FOREIGN DATA WRAPPER "+catalog.QuoteIdent(fo.fdw.Name)))
	case kForeignServer:
		out = append(out, tx("DROP SERVER "+catalog.QuoteIdent(fo.srv.Name)))
	case kForeignTable:
		out = append(out, tx("DROP FOREIGN TABLE "+fo.ft.QualifiedName.String(),
			hz(HazardBreaksClients, "queries of %s fail until it is created again (its rows stay on the foreign server)", fo.ft.QualifiedName.String())))
	case kOpFamily:
		out = append(out, tx("DROP "+fo.opf.Target(), breaks(strings.ToLower(fo.opf.Target()))...))
	case kOpClass:
		out = append(out, tx("DROP "+fo.opc.Target(), breaks(strings.ToLower(fo.opc.Target()))...))
	case kTSDict:
		out = append(out, tx("DROP TEXT SEARCH DICTIONARY "+fo.tsd.QualifiedName.String()))
	case kTSConfig:
		out = append(out, tx("DROP TEXT SEARCH CONFIGURATION "+fo.tsc.QualifiedName.String()))
	case kPublication:
		out = append(out, tx("DROP PUBLICATION "+catalog.QuoteIdent(fo.pub.Name),
			hz(HazardBreaksClients, "subscribers of publication %s stop receiving changes until it is created again", fo.pub.Name)))
	case kACL:
		newOwner := ""
		if to := p.ti.objs[fo.owner]; to != nil {
			newOwner = objectOwner(to)
		}
		revokes, grants := undoACL(fo.stmts, newOwner)
		for _, s := range append(revokes, grants...) {
			out = append(out, tx(s))
		}
	case kIndexExtra, kIndexAttach:
	default:
		p.refusef(fo.key, "must be dropped, and Tidemark cannot plan dropping this object")
	}
	switch fo.kind {
	case kIndex, kTrigger, kPolicy, kConstraint, kStatistics, kRule:
		if !removed && len(out) > 0 {
			r := p.reasons[fo.key]
			if r == "" {
				r = "it changes"
			}
			out[0].Hazards = append(out[0].Hazards, hz(HazardRecreatesDependent, "dropped and re-created because %s; missing until re-created", r))
		}
	}
	return out
}

// createStatements creates to (Dump's statements) with hazards, in online
// form when asked.
func (p *planner) createStatements(to *obj, replaced bool) []Statement {
	newOwner := to.owner != "" && p.created(to.owner)
	var out []Statement
	plain := func() {
		for _, s := range to.stmts {
			out = append(out, tx(s))
		}
	}
	switch to.kind {
	case kIndex:
		if newOwner || len(to.stmts) == 0 {
			plain()
			break
		}
		rel := to.rel.String()
		def := to.stmts[0]
		if p.opts.concurrently(to.rel, to.idx) && !to.idx.Partitioned && strings.HasPrefix(def, "CREATE ") {
			def = strings.Replace(def, " INDEX ", " INDEX CONCURRENTLY ", 1)
			out = append(out, Statement{SQL: def, Transactional: false, Hazards: []Hazard{
				hz(HazardBuildsIndex, "builds index %s on %s concurrently (writes continue; takes longer)", to.idx.Name, rel),
				hz(HazardNonTransactional, "CREATE INDEX CONCURRENTLY cannot run inside a transaction block; if it fails it leaves an invalid index to drop")}})
		} else {
			out = append(out, tx(def, hz(HazardBuildsIndex, "builds index %s on %s, blocking writes to it until done", to.idx.Name, rel)))
		}
		for _, s := range to.stmts[1:] {
			out = append(out, tx(s))
		}
	case kConstraint:
		if newOwner || len(to.stmts) == 0 {
			plain()
			break
		}
		out = append(out, p.addConstraint(to)...)
	case kAttach:
		t := to.table
		for _, s := range to.stmts {
			out = append(out, tx(s, hz(HazardValidatesScan, "scans %s to check its rows fit the partition bound (unless a matching CHECK constraint proves it)", t.QualifiedName.String())))
		}
	case kView:
		if len(to.stmts) > 0 && to.view.Materialized && !to.view.WithNoData {
			out = append(out, tx(to.stmts[0], hz(HazardRewritesTable, "runs the query of materialized view %s to fill it", to.view.QualifiedName.String())))
			for _, s := range to.stmts[1:] {
				out = append(out, tx(s))
			}
			break
		}
		plain()
	case kTrigger, kPolicy, kRule:
		if newOwner {
			plain()
			break
		}
		for i, s := range to.stmts {
			if i == 0 {
				out = append(out, tx(s, hz(HazardAccessExclusive, "locks %s while the %s is created", to.rel.String(), map[objKind]string{kTrigger: "trigger", kPolicy: "policy", kRule: "rule"}[to.kind])))
			} else {
				out = append(out, tx(s))
			}
		}
	default:
		plain()
	}
	return out
}

// addConstraint adds a constraint to an existing table.
func (p *planner) addConstraint(to *obj) []Statement {
	c := to.con
	rel := to.rel.String()
	name := catalog.QuoteIdent(c.Name)
	t := p.ti.s.Table(to.rel)
	partitioned := t != nil && t.Kind == catalog.TablePartitioned
	stmt := to.stmts[0]
	var out []Statement
	validate := func() Statement {
		return tx("ALTER TABLE "+rel+" VALIDATE CONSTRAINT "+name,
			hz(HazardValidatesScan, "scans %s to validate %s (SHARE UPDATE EXCLUSIVE lock: reads and writes continue)", rel, c.Name))
	}
	switch c.Type {
	case catalog.ConstraintForeignKey, catalog.ConstraintCheck:
		if c.NotValid {
			return append(out, tx(stmt, lockHz(rel)))
		}
		if p.opts.notValidFirst(to.rel, c.Name) && !(partitioned && c.Type == catalog.ConstraintForeignKey) {
			out = append(out, tx(stmt+" NOT VALID", lockHz(rel)))
			out = append(out, validate())
		} else {
			h := []Hazard{hz(HazardValidatesScan, "scans %s to check %s while holding its lock", rel, c.Name)}
			if c.Type == catalog.ConstraintCheck {
				h = append(h, lockHz(rel))
			} else {
				h = append(h, hz(HazardAccessExclusive, "takes SHARE ROW EXCLUSIVE locks on %s and the referenced table for the whole scan: writes wait", rel))
			}
			out = append(out, tx(stmt, h...))
		}
		for _, s := range to.stmts[1:] {
			out = append(out, tx(s))
		}
		return out
	case catalog.ConstraintPrimaryKey, catalog.ConstraintUnique:
		var ix *catalog.Index
		if t != nil && c.Index != "" {
			ix = t.Index(c.Index)
		}
		if p.opts.Online && !partitioned && ix != nil && strings.HasPrefix(ix.Definition, "CREATE UNIQUE INDEX ") {
			out = append(out, Statement{SQL: strings.Replace(ix.Definition, "CREATE UNIQUE INDEX ", "CREATE UNIQUE INDEX CONCURRENTLY ", 1), Transactional: false,
				Hazards: []Hazard{hz(HazardBuildsIndex, "builds unique index %s on %s concurrently (writes continue)", ix.Name, rel),
					hz(HazardNonTransactional, "CREATE INDEX CONCURRENTLY cannot run inside a transaction block; if it fails it leaves an invalid index to drop")}})
			word := "UNIQUE"
			if c.Type == catalog.ConstraintPrimaryKey {
				word = "PRIMARY KEY"
			}
			add := "ALTER TABLE " + rel + " ADD CONSTRAINT " + name + " " + word + " USING INDEX " + catalog.QuoteIdent(ix.Name)
			if c.Deferrable {
				add += " DEFERRABLE"
				if c.InitiallyDeferred {
					add += " INITIALLY DEFERRED"
				}
			}
			h := []Hazard{lockHz(rel)}
			if c.Type == catalog.ConstraintPrimaryKey {
				h = append(h, hz(HazardValidatesScan, "sets the key columns of %s NOT NULL, scanning it unless they already are", rel))
			}
			out = append(out, tx(add, h...))
		} else {
			out = append(out, tx(stmt, hz(HazardBuildsIndex, "builds the index of %s on %s", c.Name, rel), lockHz(rel)))
		}
		for _, s := range to.stmts[1:] {
			out = append(out, tx(s))
		}
		return out
	}
	out = append(out, tx(stmt, hz(HazardBuildsIndex, "builds the index of %s on %s", c.Name, rel), lockHz(rel)))
	for _, s := range to.stmts[1:] {
		out = append(out, tx(s))
	}
	return out
}

// seqOptions renders the sequence options that differ between f and t (all when f is nil).
func seqOptions(f, t *catalog.Sequence, set string) []string {
	var o []string
	if f == nil || f.DataType != t.DataType {
		if set == "" {
			o = append(o, "AS "+t.DataType)
		}
	}
	if f == nil || f.Increment != t.Increment {
		o = append(o, fmt.Sprintf("%sINCREMENT BY %d", set, t.Increment))
	}
	if f == nil || f.Min != t.Min {
		o = append(o, fmt.Sprintf("%sMINVALUE %d", set, t.Min))
	}
	if f == nil || f.Max != t.Max {
		o = append(o, fmt.Sprintf("%sMAXVALUE %d", set, t.Max))
	}
	if f == nil || f.Start != t.Start {
		o = append(o, fmt.Sprintf("%sSTART WITH %d", set, t.Start))
	}
	if f == nil || f.Cache != t.Cache {
		o = append(o, fmt.Sprintf("%sCACHE %d", set, t.Cache))
	}
	if f == nil || f.Cycle != t.Cycle {
		if t.Cycle {
			o = append(o, set+"CYCLE")
		} else {
			o = append(o, set+"NO CYCLE")
		}
	}
	return o
}

func alterSequence(f, t *catalog.Sequence) []Statement {
	var out []Statement
	name := t.QualifiedName.String()
	if o := seqOptions(f, t, ""); len(o) > 0 {
		out = append(out, tx("ALTER SEQUENCE "+name+" "+strings.Join(o, " ")))
	}
	if f.Unlogged != t.Unlogged {
		if t.Unlogged {
			out = append(out, tx("ALTER SEQUENCE "+name+" SET UNLOGGED"))
		} else {
			out = append(out, tx("ALTER SEQUENCE "+name+" SET LOGGED"))
		}
	}
	return out
}

// objectOwner is the owning role of an object that has an ACL.
func objectOwner(o *obj) string {
	switch {
	case o.ns != nil:
		return o.ns.Owner
	case o.typ != nil:
		return o.typ.Owner
	case o.fn != nil:
		return o.fn.Owner
	case o.seq != nil:
		return o.seq.Owner
	case o.table != nil:
		return o.table.Owner
	case o.view != nil:
		return o.view.Owner
	}
	return ""
}
