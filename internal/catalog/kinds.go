package catalog

import "strings"

// Kinds the model gained after its first format. Before each was modelled,
// Inspect listed its objects in Result.Unsupported, so a stored model from
// that time does not hold them but names them there. Such an entry is
// recognised by Legacy, and StripKind takes a kind out of a current model
// so both sides can be compared on the same terms.

// LaterKinds are the kinds the model gained after its first format, in the
// order they were added.
func LaterKinds() []ObjectKind {
	return []ObjectKind{KindStatistics, KindRule, KindPublication, KindCast, KindTextSearch,
		KindForeignWrapper, KindForeignServer, KindForeignTable, KindOperatorFamily, KindOperatorClass}
}

// Legacy reports whether an unsupported object was reported by a version
// that did not model its kind yet: the current version reports what it
// still does not model of a later kind with another detail (statistics on
// a relation other than a table say which relation), or not at all.
func Legacy(o Object) bool {
	switch o.Kind {
	case KindStatistics:
		// first "extended statistics" (all), then "extended statistics on
		// s.mv" (those not on tables); now only statistics on a relation of
		// a schema not included, or a relation not modelled, are reported
		return o.Detail == "extended statistics" || (strings.HasPrefix(o.Detail, "extended statistics on ") &&
			!strings.HasPrefix(o.Detail, "extended statistics on a relation "))
	case KindRule:
		// first "rule on s.t", then "rule on view s.v"; now none
		return strings.HasPrefix(o.Detail, "rule on ")
	case KindPublication, KindCast, KindForeignWrapper, KindForeignServer, KindOperatorFamily, KindOperatorClass:
		return true // no longer reported at all
	case KindForeignTable:
		// first all ("foreign table"), then partitions and inheritance
		// children; now only inheritance children are reported
		return o.Detail == "foreign table" || o.Detail == "foreign table (a partition or inheritance child)"
	case KindTextSearch:
		// parsers and templates are still reported; configurations and
		// dictionaries are modelled
		return o.Detail == "text search configuration" || o.Detail == "text search dictionary"
	}
	return false
}

// LegacyKinds returns the later kinds that objs (a Result's Unsupported)
// names the way an older version did, each once, in LaterKinds order.
func LegacyKinds(objs []Object) []ObjectKind {
	seen := map[ObjectKind]bool{}
	for _, o := range objs {
		if Legacy(o) {
			seen[o.Kind] = true
		}
	}
	var out []ObjectKind
	for _, k := range LaterKinds() {
		if seen[k] {
			out = append(out, k)
		}
	}
	return out
}

// StripKind removes the objects of later kind k from s (in place) and
// returns them as the Objects an older version reported instead (so they
// match its entries, see Legacy).
func (s *Schema) StripKind(k ObjectKind) []Object {
	var out []Object
	switch k {
	case KindStatistics:
		for i := range s.Tables {
			t := &s.Tables[i]
			for _, x := range t.Statistics {
				out = append(out, Object{Kind: KindStatistics, Schema: x.Schema, Name: x.Name, Detail: "extended statistics"})
			}
			t.Statistics = nil
		}
		for i := range s.Views {
			v := &s.Views[i]
			for _, x := range v.Statistics {
				out = append(out, Object{Kind: KindStatistics, Schema: x.Schema, Name: x.Name, Detail: "extended statistics on " + v.QualifiedName.String()})
			}
			v.Statistics = nil
		}
		for i := range s.ForeignTables {
			f := &s.ForeignTables[i]
			for _, x := range f.Statistics {
				out = append(out, Object{Kind: KindStatistics, Schema: x.Schema, Name: x.Name, Detail: "extended statistics on " + f.QualifiedName.String()})
			}
			f.Statistics = nil
		}
	case KindRule:
		for i := range s.Tables {
			t := &s.Tables[i]
			for _, r := range t.Rules {
				out = append(out, Object{Kind: KindRule, Schema: t.Schema, Name: r.Name, Detail: "rule on " + t.QualifiedName.String()})
			}
			t.Rules = nil
		}
		for i := range s.Views {
			v := &s.Views[i]
			for _, r := range v.Rules {
				out = append(out, Object{Kind: KindRule, Schema: v.Schema, Name: r.Name, Detail: "rule on view " + v.QualifiedName.String()})
			}
			v.Rules = nil
		}
	case KindPublication:
		for _, p := range s.Publications {
			out = append(out, Object{Kind: KindPublication, Name: p.Name, Detail: "publication"})
		}
		s.Publications = nil
	case KindCast:
		for i := range s.Casts {
			out = append(out, Object{Kind: KindCast, Name: s.Casts[i].Name(), Detail: "cast"})
		}
		s.Casts = nil
	case KindTextSearch:
		for _, x := range s.TextSearchConfigs {
			out = append(out, Object{Kind: KindTextSearch, Schema: x.Schema, Name: x.Name, Detail: "text search configuration"})
		}
		for _, x := range s.TextSearchDicts {
			out = append(out, Object{Kind: KindTextSearch, Schema: x.Schema, Name: x.Name, Detail: "text search dictionary"})
		}
		s.TextSearchConfigs, s.TextSearchDicts = nil, nil
	case KindForeignWrapper:
		for _, w := range s.ForeignWrappers {
			out = append(out, Object{Kind: KindForeignWrapper, Name: w.Name, Detail: "foreign-data wrapper"})
		}
		s.ForeignWrappers = nil
	case KindForeignServer:
		for _, x := range s.ForeignServers {
			out = append(out, Object{Kind: KindForeignServer, Name: x.Name, Detail: "foreign server"})
		}
		s.ForeignServers = nil
	case KindForeignTable:
		for _, x := range s.ForeignTables {
			out = append(out, Object{Kind: KindForeignTable, Schema: x.Schema, Name: x.Name, Detail: "foreign table"})
		}
		s.ForeignTables = nil
	case KindOperatorFamily:
		// An older version listed only the families no class of the same
		// name had made.
		implicit := map[QualifiedName]bool{}
		for _, c := range s.OperatorClasses {
			if c.Family == c.QualifiedName {
				implicit[c.QualifiedName] = true
			}
		}
		for _, f := range s.OperatorFamilies {
			if !implicit[f.QualifiedName] {
				out = append(out, Object{Kind: KindOperatorFamily, Schema: f.Schema, Name: f.Name, Detail: "operator family for " + f.Method})
			}
		}
		s.OperatorFamilies = nil
	case KindOperatorClass:
		for _, c := range s.OperatorClasses {
			out = append(out, Object{Kind: KindOperatorClass, Schema: c.Schema, Name: c.Name, Detail: "operator class for " + c.Method})
		}
		s.OperatorClasses = nil
	}
	return out
}
