package diff

import (
	"fmt"
	"sort"
	"strings"

	"github.com/tidemark-dev/tidemark/internal/catalog"
)

func generatedChanged(f, t *catalog.Column) bool {
	return f != nil && t != nil && f.Generated != t.Generated
}

// baseType strips typmods: "character varying(20)[]" -> "character varying[]".
func baseType(t string) string {
	if i := strings.IndexByte(t, '('); i >= 0 {
		if j := strings.IndexByte(t[i:], ')'); j >= 0 {
			t = t[:i] + t[i+j+1:]
		} else {
			t = t[:i]
		}
	}
	return strings.TrimSpace(t)
}

// volatileDefault guesses whether a default forces a rewrite on ADD COLUMN.
func volatileDefault(d string) bool {
	l := strings.ToLower(d)
	for _, f := range []string{"nextval(", "random(", "gen_random_uuid(", "uuid_generate", "clock_timestamp(", "timeofday("} {
		if strings.Contains(l, f) {
			return true
		}
	}
	return false
}

// sameParents reports whether t's column inheritance relationship (partition
// parent or inheritance parents) already exists in f.
func sameParents(f, t *catalog.Table) bool {
	if t.PartitionOf != nil {
		return f.PartitionOf != nil && *f.PartitionOf == *t.PartitionOf
	}
	if len(t.Inherits) == 0 {
		return false
	}
	for _, p := range t.Inherits {
		found := false
		for _, q := range f.Inherits {
			if q == p {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func (p *planner) parentColumns(t *catalog.Table, fromSide bool, col string) []*catalog.Column {
	s := p.ti.s
	if fromSide {
		s = p.fi.s
	}
	var parents []catalog.QualifiedName
	if t.PartitionOf != nil {
		parents = append(parents, *t.PartitionOf)
	}
	parents = append(parents, t.Inherits...)
	var out []*catalog.Column
	for _, q := range parents {
		if pt := s.Table(q); pt != nil {
			if c := pt.Column(col); c != nil {
				out = append(out, c)
			}
		}
	}
	return out
}

// alterTable plans the in-place changes of a table (columns and table-level
// properties; constraints, indexes, triggers, policies and partitions are
// their own objects). destructive says why dependent views and routines must
// be re-created; replace says why the table cannot be altered in place.
func (p *planner) alterTable(f, t *catalog.Table) (out []Statement, destructive, replace string) {
	name := t.QualifiedName.String()
	if f.Kind != t.Kind {
		return nil, "", fmt.Sprintf("it changes from a %s table to a %s table", f.Kind, t.Kind)
	}
	if f.PartitionKey != t.PartitionKey {
		return nil, "", "its partition key changes"
	}
	alter := "ALTER TABLE " + name + " "
	only := "ALTER TABLE ONLY " + name + " "
	inheritsSame := sameParents(f, t)
	// Table-level properties first that columns may depend on.
	for _, par := range f.Inherits {
		if !containsQN(t.Inherits, par) && t.PartitionOf == nil {
			out = append(out, tx(alter+"NO INHERIT "+par.String(), lockHz(name)))
		}
	}
	// Columns.
	for i := range f.Columns {
		fc := &f.Columns[i]
		tc := t.Column(fc.Name)
		if tc == nil {
			if fc.Inherited && (f.PartitionOf != nil || len(f.Inherits) > 0) && !p.parentDropsOnly(f, fc.Name) {
				continue
			}
			col := catalog.QuoteIdent(fc.Name)
			drop := alter
			if p.childKeeps(f, fc.Name) {
				drop = only
			}
			out = append(out, tx(drop+"DROP COLUMN "+col,
				hz(HazardDeletesData, "drops column %s.%s and its data", name, col),
				hz(HazardBreaksClients, "clients reading or writing %s.%s fail", name, col), lockHz(name)))
			destructive = "loses column " + fc.Name
		} else if generatedChanged(fc, tc) {
			col := catalog.QuoteIdent(fc.Name)
			out = append(out, tx(alter+"DROP COLUMN "+col,
				hz(HazardDeletesData, "drops column %s.%s to change how it is generated", name, col), lockHz(name)))
			destructive = "re-creates column " + fc.Name
		}
	}
	for i := range t.Columns {
		tc := &t.Columns[i]
		fc := f.Column(tc.Name)
		col := catalog.QuoteIdent(tc.Name)
		if fc == nil || generatedChanged(fc, tc) {
			if tc.Inherited && inheritsSame {
				continue
			}
			def := catalog.ColumnDefinition(tc)
			h := []Hazard{lockHz(name)}
			switch {
			case tc.Generated != "":
				h = append(h, hz(HazardRewritesTable, "adding generated column %s rewrites %s", tc.Name, name))
			case tc.Identity != "":
				h = append(h, hz(HazardRewritesTable, "adding identity column %s rewrites %s", tc.Name, name))
			case tc.Default != nil && volatileDefault(*tc.Default):
				h = append(h, hz(HazardRewritesTable, "adding column %s with a volatile default rewrites %s", tc.Name, name))
			}
			if tc.NotNull && tc.Default == nil && tc.Identity == "" && tc.Generated == "" {
				h = append(h, hz(HazardBreaksClients, "NOT NULL column %s without a default: fails if %s has rows, and inserts not naming it fail", tc.Name, name))
			}
			add := append([]Statement{tx(alter+"ADD COLUMN "+def, h...)}, columnExtras(only, col, nil, tc)...)
			if k, ok := p.sequenceTaken(tc.IdentitySequence, true); ok && tc.Identity != "" {
				// Its identity sequence takes the name of a sequence the
				// plan drops: the column is added after that drop.
				p.deferAfterDrop(t, k, add...)
				continue
			}
			out = append(out, add...)
			continue
		}
		inherited := tc.Inherited && inheritsSame
		typeChanged := fc.Type != tc.Type || fc.Collation != tc.Collation
		if typeChanged && !inherited {
			if fc.Default != nil {
				out = append(out, tx(alter+"ALTER COLUMN "+col+" DROP DEFAULT"))
			}
			s := alter + "ALTER COLUMN " + col + " TYPE " + tc.Type
			if tc.Collation != "" {
				s += " COLLATE " + tc.Collation
			}
			if baseType(fc.Type) != baseType(tc.Type) && tc.Generated == "" {
				// (Generated columns are recomputed: PostgreSQL refuses USING.)
				via := ""
				if p.isEnum(fc.TypeRef) {
					via = "::text"
					if strings.HasSuffix(fc.Type, "[]") {
						via = "::text[]"
					}
				}
				s += " USING " + col + via + "::" + tc.Type
			}
			out = append(out, tx(s, hz(HazardRewritesTable, "changing the type of %s.%s from %s to %s may rewrite the table and its indexes", name, col, fc.Type, tc.Type), lockHz(name)))
			if tc.Default != nil {
				out = append(out, tx(only+"ALTER COLUMN "+col+" SET DEFAULT "+*tc.Default))
			}
			destructive = "changes the type of column " + tc.Name
		}
		if fc.Identity != "" && tc.Identity == "" {
			// Before the default changes: a column with a default cannot
			// be an identity column, and SET DEFAULT fails on one.
			dropIdentity := tx(alter+"ALTER COLUMN "+col+" DROP IDENTITY", lockHz(name))
			if k, ok := p.sequenceTaken(fc.IdentitySequence, false); ok {
				// A new sequence takes the identity's sequence name (identity
				// back to serial): the identity goes before it is created.
				p.drops[k] = &action{kind: actDrop, key: "identity:" + k, stmts: []Statement{dropIdentity}}
			} else {
				out = append(out, dropIdentity)
			}
		}
		if !(typeChanged && !inherited) && !equalPtr(fc.Default, tc.Default) {
			if tc.Default == nil {
				out = append(out, tx(only+"ALTER COLUMN "+col+" DROP DEFAULT"))
			} else {
				out = append(out, tx(only+"ALTER COLUMN "+col+" SET DEFAULT "+*tc.Default))
			}
		}
		if fc.NotNull != tc.NotNull && !(inherited && p.parentChangesNotNull(t, tc.Name, tc.NotNull)) {
			if tc.NotNull {
				out = append(out, p.setNotNull(name, col)...)
			} else {
				out = append(out, tx(alter+"ALTER COLUMN "+col+" DROP NOT NULL", lockHz(name)))
			}
		}
		// Identity.
		switch {
		case fc.Identity == "" && tc.Identity != "":
			s := alter + "ALTER COLUMN " + col + " ADD GENERATED " + identityWord(tc.Identity) + " AS IDENTITY"
			if q := tc.IdentitySequence; q != nil {
				s += " (SEQUENCE NAME " + q.QualifiedName.String() + " " + strings.Join(seqOptions(nil, q, "")[1:], " ") + ")"
				if k, ok := p.sequenceTaken(q, true); ok {
					// A removed sequence (the serial's) holds the name the
					// identity's sequence takes: the identity is added
					// once that sequence is dropped, which itself waits
					// for every default using it to be dropped.
					p.deferAfterDrop(t, k, tx(s, lockHz(name)))
					break
				}
			}
			out = append(out, tx(s, lockHz(name)))
		case fc.Identity != "" && tc.Identity != "":
			if fc.Identity != tc.Identity {
				out = append(out, tx(alter+"ALTER COLUMN "+col+" SET GENERATED "+identityWord(tc.Identity), lockHz(name)))
			}
			if fc.IdentitySequence != nil && tc.IdentitySequence != nil {
				if o := seqOptions(fc.IdentitySequence, tc.IdentitySequence, "SET "); len(o) > 0 {
					out = append(out, tx(alter+"ALTER COLUMN "+col+" "+strings.Join(o, " "), lockHz(name)))
				}
			}
		}
		out = append(out, columnExtras(only, col, fc, tc)...)
	}
	for _, par := range t.Inherits {
		if !containsQN(f.Inherits, par) && t.PartitionOf == nil {
			out = append(out, tx(alter+"INHERIT "+par.String(), lockHz(name)))
		}
	}
	// Table-level properties.
	if f.Unlogged != t.Unlogged {
		w := "SET LOGGED"
		if t.Unlogged {
			w = "SET UNLOGGED"
		}
		out = append(out, tx(alter+w, hz(HazardRewritesTable, "%s rewrites %s", w, name), lockHz(name)))
	}
	if f.AccessMethod != t.AccessMethod {
		am := t.AccessMethod
		if am == "" {
			am = "heap"
		}
		out = append(out, tx(alter+"SET ACCESS METHOD "+catalog.QuoteIdent(am), hz(HazardRewritesTable, "changing the access method rewrites %s", name), lockHz(name)))
	}
	out = append(out, optionChanges(alter, f.Options, t.Options)...)
	if f.ReplicaIdentity != t.ReplicaIdentity && t.ReplicaIdentity != "index" {
		ri := strings.ToUpper(t.ReplicaIdentity)
		if ri == "" {
			ri = "DEFAULT"
		}
		out = append(out, tx(only+"REPLICA IDENTITY "+ri, lockHz(name)))
	}
	if f.RLSEnabled != t.RLSEnabled {
		if t.RLSEnabled {
			out = append(out, tx(alter+"ENABLE ROW LEVEL SECURITY", hz(HazardBreaksClients, "row level security on %s hides rows from roles no policy admits", name)))
		} else {
			out = append(out, tx(alter+"DISABLE ROW LEVEL SECURITY"))
		}
	}
	if f.RLSForced != t.RLSForced {
		if t.RLSForced {
			out = append(out, tx(alter+"FORCE ROW LEVEL SECURITY"))
		} else {
			out = append(out, tx(alter+"NO FORCE ROW LEVEL SECURITY"))
		}
	}
	return out, destructive, ""
}

// deferAfterDrop moves statements of table t's change into an action of
// their own that runs after the drop of the object with key dropKey (and
// after the rest of t's change); whatever the target builds on t waits for
// it too.
func (p *planner) deferAfterDrop(t *catalog.Table, dropKey string, stmts ...Statement) {
	tk := t.Ref().Key()
	d := p.deferred[tk]
	if d == nil {
		d = &deferredChange{}
		p.deferred[tk] = d
	}
	d.stmts = append(d.stmts, stmts...)
	if !containsStr(d.waitFor, dropKey) {
		d.waitFor = append(d.waitFor, dropKey)
	}
}

// sequenceTaken reports whether the name of identity sequence q belongs to a
// separate sequence that the plan removes (removed: in the source only) or
// adds (in the target only), and returns that sequence's key.
func (p *planner) sequenceTaken(q *catalog.Sequence, removed bool) (string, bool) {
	if q == nil {
		return "", false
	}
	k := catalog.ObjectRef{Kind: catalog.KindSequence, Schema: q.Schema, Name: q.Name}.Key()
	fo, to := p.fi.objs[k], p.ti.objs[k]
	if removed {
		return k, fo != nil && fo.kind == kSequence && to == nil
	}
	return k, to != nil && to.kind == kSequence && fo == nil
}

func (p *planner) setNotNull(name, col string) []Statement {
	if !p.opts.Online {
		return []Statement{tx("ALTER TABLE "+name+" ALTER COLUMN "+col+" SET NOT NULL",
			hz(HazardValidatesScan, "scans %s to check %s has no NULLs while holding an ACCESS EXCLUSIVE lock", name, col), lockHz(name))}
	}
	chk := catalog.QuoteIdent(truncIdent(strings.Trim(col, `"`) + "_not_null_tidemark"))
	return []Statement{
		tx("ALTER TABLE "+name+" ADD CONSTRAINT "+chk+" CHECK ("+col+" IS NOT NULL) NOT VALID", lockHz(name)),
		tx("ALTER TABLE "+name+" VALIDATE CONSTRAINT "+chk, hz(HazardValidatesScan, "scans %s to check %s has no NULLs (SHARE UPDATE EXCLUSIVE lock: reads and writes continue)", name, col)),
		tx("ALTER TABLE "+name+" ALTER COLUMN "+col+" SET NOT NULL", hz(HazardAccessExclusive, "takes an ACCESS EXCLUSIVE lock on %s briefly (the validated check spares the scan)", name)),
		tx("ALTER TABLE " + name + " DROP CONSTRAINT " + chk),
	}
}

func truncIdent(s string) string {
	if len(s) > 63 {
		return s[:63]
	}
	return s
}

// parentChangesNotNull reports whether a parent of t makes the same NOT NULL
// change on col (which then reaches t by recursion).
func (p *planner) parentChangesNotNull(t *catalog.Table, col string, notNull bool) bool {
	for _, c := range p.parentColumns(t, false, col) {
		if c.NotNull == notNull {
			return true
		}
	}
	return false
}

func identityWord(s string) string {
	if s == "always" {
		return "ALWAYS"
	}
	return "BY DEFAULT"
}

func containsQN(s []catalog.QualifiedName, q catalog.QualifiedName) bool {
	for _, x := range s {
		if x == q {
			return true
		}
	}
	return false
}

func equalPtr(a, b *string) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

func equalIntPtr(a, b *int) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

// columnExtras plans statistics, storage, compression and options of a column.
func columnExtras(only, col string, f, t *catalog.Column) []Statement {
	var out []Statement
	a := only + "ALTER COLUMN " + col + " "
	var fStats *int
	var fStorage, fComp string
	var fOpts []string
	if f != nil {
		fStats, fStorage, fComp, fOpts = f.StatsTarget, f.Storage, f.Compression, f.Options
	}
	if !equalIntPtr(fStats, t.StatsTarget) {
		n := -1
		if t.StatsTarget != nil {
			n = *t.StatsTarget
		}
		out = append(out, tx(fmt.Sprintf("%sSET STATISTICS %d", a, n)))
	}
	if fStorage != t.Storage && t.Storage != "" {
		out = append(out, tx(a+"SET STORAGE "+strings.ToUpper(t.Storage)))
	}
	if fComp != t.Compression {
		c := t.Compression
		if c == "" {
			c = "DEFAULT"
		}
		out = append(out, tx(a+"SET COMPRESSION "+c))
	}
	out = append(out, optionChanges(a, fOpts, t.Options)...)
	return out
}

// optionChanges plans RESET/SET of reloptions-style "k=v" lists.
func optionChanges(prefix string, f, t []string) []Statement {
	fm, tm := optMap(f), optMap(t)
	var reset, set []string
	for k := range fm {
		if _, ok := tm[k]; !ok {
			reset = append(reset, k)
		}
	}
	for _, o := range t {
		k := optKey(o)
		if fm[k] != o {
			set = append(set, o)
		}
	}
	sort.Strings(reset)
	var out []Statement
	if len(reset) > 0 {
		out = append(out, tx(prefix+"RESET ("+strings.Join(reset, ", ")+")"))
	}
	if len(set) > 0 {
		out = append(out, tx(prefix+"SET ("+strings.Join(set, ", ")+")"))
	}
	return out
}

func optKey(o string) string {
	if i := strings.IndexByte(o, '='); i >= 0 {
		return o[:i]
	}
	return o
}

func optMap(o []string) map[string]string {
	m := map[string]string{}
	for _, x := range o {
		m[optKey(x)] = x
	}
	return m
}

func (p *planner) isEnum(q catalog.QualifiedName) bool {
	t := p.fi.s.Type(q)
	return t != nil && t.Kind == catalog.TypeEnum
}

// childKeeps reports whether an inheritance child of f keeps column col in
// the target (then the parent drops it with ONLY, leaving the child's copy).
func (p *planner) childKeeps(f *catalog.Table, col string) bool {
	if f.Kind == catalog.TablePartitioned {
		return false
	}
	for i := range p.ti.s.Tables {
		c := &p.ti.s.Tables[i]
		if containsQN(c.Inherits, f.QualifiedName) && c.Column(col) != nil {
			if fc := p.fi.s.Table(c.QualifiedName); fc != nil && containsQN(fc.Inherits, f.QualifiedName) {
				return true
			}
		}
	}
	return false
}

// parentDropsOnly reports whether a parent of f drops col with ONLY (so f
// must drop its own copy).
func (p *planner) parentDropsOnly(f *catalog.Table, col string) bool {
	for _, q := range f.Inherits {
		pf, pt := p.fi.s.Table(q), p.ti.s.Table(q)
		if pf != nil && pt != nil && pf.Column(col) != nil && pt.Column(col) == nil && p.childKeeps(pf, col) {
			return true
		}
	}
	return false
}
