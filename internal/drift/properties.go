package drift

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"

	"github.com/tidemark-dev/tidemark/internal/catalog"
)

// properties lists what differs between two versions of one object (both
// pointers to the same catalog model type). It runs only for objects whose
// rendered DDL differs, so its cost does not matter for large schemas.
func properties(e, l any, priv bool) []Change {
	var out []Change
	ev, lv := reflect.ValueOf(e).Elem(), reflect.ValueOf(l).Elem()
	if ev.Type() != lv.Type() {
		return nil
	}
	skip := map[string]bool{}
	if _, ok := e.(*catalog.Function); ok {
		// The definition renders every other field: report it only when
		// nothing more precise differs.
		skip["definition"] = true
	}
	fields("", ev, lv, priv, skip, &out)
	if len(out) == 0 && len(skip) > 0 {
		fields("", ev, lv, priv, nil, &out)
	}
	if oe, ol := ev.FieldByName("Owner"), lv.FieldByName("Owner"); priv && oe.IsValid() && oe.Kind() == reflect.String && oe.String() != ol.String() {
		// An owner holds every privilege implicitly: those move with
		// ownership and are not changes of their own.
		kept := out[:0]
		for _, c := range out {
			if c.Property == "privilege" && ((c.Action == Dropped && strings.HasSuffix(c.From, " to "+oe.String())) ||
				(c.Action == Added && strings.HasSuffix(c.To, " to "+ol.String()))) {
				continue
			}
			kept = append(kept, c)
		}
		out = kept
	}
	if te, ok := e.(*catalog.Table); ok {
		tl := l.(*catalog.Table)
		if !qnPtrEq(te.PartitionOf, tl.PartitionOf) || !sliceEq(te.Inherits, tl.Inherits, func(x, y *catalog.QualifiedName) bool { return *x == *y }) {
			// Attaching or detaching a partition flips the inherited marks
			// of its columns and constraints: that is the same change.
			kept := out[:0]
			for _, c := range out {
				if !strings.HasSuffix(c.Property, " inherited") {
					kept = append(kept, c)
				}
			}
			out = kept
		}
	}
	return out
}

// collections are the named sub-object lists, by JSON field name, with the
// word a change's property starts with.
var collections = map[string]string{
	"columns":     "column",
	"constraints": "constraint",
	"indexes":     "index",
	"triggers":    "trigger",
	"policies":    "policy",
	"statistics":  "statistics",
	"rules":       "rule",
	"attributes":  "attribute",
}

// fields compares the struct values a and b field by field (by JSON name),
// appending a Change per differing field; prefix starts each property.
func fields(prefix string, a, b reflect.Value, priv bool, skip map[string]bool, out *[]Change) {
	t := a.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous || !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" || name == "depends_on" || name == "type_ref" || skip[name] {
			continue
		}
		if !priv && (name == "owner" || name == "acl" || name == "privileges") {
			continue
		}
		fa, fb := a.Field(i), b.Field(i)
		if reflect.DeepEqual(fa.Interface(), fb.Interface()) {
			continue
		}
		switch {
		case name == "acl":
			grants(prefix+"privilege", fa.Interface().([]catalog.Grant), fb.Interface().([]catalog.Grant), out)
		case name == "labels":
			labels(prefix, fa.Interface().([]string), fb.Interface().([]string), out)
		case collections[name] != "" && fa.Kind() == reflect.Slice:
			named(prefix+collections[name]+" ", fa, fb, priv, out)
		default:
			*out = append(*out, change(prefix+strings.ReplaceAll(name, "_", " "), text(fa), text(fb)))
		}
	}
}

// named compares two lists of sub-objects by their Name.
func named(prefix string, a, b reflect.Value, priv bool, out *[]Change) {
	index := func(v reflect.Value) (map[string]reflect.Value, []string) {
		m := map[string]reflect.Value{}
		var order []string
		for i := 0; i < v.Len(); i++ {
			x := v.Index(i)
			n := x.FieldByName("Name").String()
			m[n] = x
			order = append(order, n)
		}
		return m, order
	}
	am, aorder := index(a)
	bm, border := index(b)
	for _, n := range aorder {
		x := am[n]
		y, ok := bm[n]
		if !ok {
			*out = append(*out, Change{Property: prefix + n, Action: Dropped, From: summary(x)})
			continue
		}
		if reflect.DeepEqual(x.Interface(), y.Interface()) {
			continue
		}
		if d := x.FieldByName("Definition"); d.IsValid() {
			if dy := y.FieldByName("Definition"); d.String() != dy.String() {
				*out = append(*out, change(prefix+n, d.String(), dy.String()))
				continue
			}
		}
		fields(prefix+n+" ", x, y, priv, nil, out)
	}
	for _, n := range border {
		if _, ok := am[n]; !ok {
			*out = append(*out, Change{Property: prefix + n, Action: Added, To: summary(bm[n])})
		}
	}
}

// summary describes a sub-object for an added or dropped change: a column
// or attribute's type, an index's, constraint's or trigger's definition, a
// policy's command and roles.
func summary(v reflect.Value) string {
	switch x := v.Interface().(type) {
	case catalog.Column:
		return catalog.ColumnDefinition(&x)
	case catalog.Policy:
		s := "FOR " + x.Command + " TO " + strings.Join(x.Roles, ", ")
		if x.Using != "" {
			s += " USING (" + x.Using + ")"
		}
		if x.WithCheck != "" {
			s += " WITH CHECK (" + x.WithCheck + ")"
		}
		return s
	}
	if d := v.FieldByName("Definition"); d.IsValid() && d.String() != "" {
		return d.String()
	}
	if d := v.FieldByName("Type"); d.IsValid() && d.Kind() == reflect.String {
		return d.String()
	}
	return text(v)
}

func change(property, from, to string) Change {
	c := Change{Property: property, Action: Altered, From: from, To: to}
	switch {
	case from == "" && to != "":
		c.Action = Added
	case to == "" && from != "":
		c.Action = Dropped
	}
	return c
}

// grants reports privileges granted and revoked.
func grants(property string, a, b []catalog.Grant, out *[]Change) {
	render := func(g catalog.Grant) string {
		s := g.Privilege + " to " + g.Grantee
		if g.Grantable {
			s += " with grant option"
		}
		return s
	}
	as, bs := map[string]bool{}, map[string]bool{}
	for _, g := range a {
		as[render(g)] = true
	}
	for _, g := range b {
		bs[render(g)] = true
	}
	seen := map[string]bool{}
	for _, g := range a {
		if r := render(g); !bs[r] && !seen[r] {
			seen[r] = true
			*out = append(*out, Change{Property: property, Action: Dropped, From: r})
		}
	}
	for _, g := range b {
		if r := render(g); !as[r] && !seen[r] {
			seen[r] = true
			*out = append(*out, Change{Property: property, Action: Added, To: r})
		}
	}
}

// labels reports enum values added, dropped or reordered.
func labels(prefix string, a, b []string, out *[]Change) {
	in := func(xs []string, s string) bool {
		for _, x := range xs {
			if x == s {
				return true
			}
		}
		return false
	}
	n := len(*out)
	for _, s := range a {
		if !in(b, s) {
			*out = append(*out, Change{Property: prefix + "value", Action: Dropped, From: s})
		}
	}
	for _, s := range b {
		if !in(a, s) {
			*out = append(*out, Change{Property: prefix + "value", Action: Added, To: s})
		}
	}
	if len(*out) == n {
		*out = append(*out, change(prefix+"values", strings.Join(a, ", "), strings.Join(b, ", ")))
	}
}

// text renders a field value for a Change.
func text(v reflect.Value) string {
	switch x := v.Interface().(type) {
	case string:
		return x
	case *string:
		if x == nil {
			return ""
		}
		return *x
	case bool:
		if x {
			return "true"
		}
		return "false"
	case catalog.QualifiedName:
		return x.String()
	case *catalog.QualifiedName:
		if x == nil {
			return ""
		}
		return x.String()
	case []string:
		return strings.Join(x, ", ")
	case int64:
		return strconv.FormatInt(x, 10)
	case *int:
		if x == nil {
			return ""
		}
		return strconv.Itoa(*x)
	case *catalog.Sequence:
		if x == nil {
			return ""
		}
		s := "AS " + x.DataType + " START " + strconv.FormatInt(x.Start, 10) + " INCREMENT " + strconv.FormatInt(x.Increment, 10) +
			" MINVALUE " + strconv.FormatInt(x.Min, 10) + " MAXVALUE " + strconv.FormatInt(x.Max, 10) + " CACHE " + strconv.FormatInt(x.Cache, 10)
		if x.Cycle {
			s += " CYCLE"
		}
		return s
	}
	if (v.Kind() == reflect.Pointer || v.Kind() == reflect.Slice) && v.IsNil() {
		return ""
	}
	b, err := json.Marshal(v.Interface())
	if err != nil {
		return ""
	}
	return string(b)
}
