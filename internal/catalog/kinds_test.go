package catalog_test

import (
	"testing"

	"github.com/tidemark-dev/tidemark/internal/catalog"
)

// TestLegacy: the unsupported entries earlier versions wrote (each form a
// version used before its kind was modelled) are recognised; what this
// version still reports is not.
func TestLegacy(t *testing.T) {
	for _, c := range []struct {
		o    catalog.Object
		want bool
	}{
		{catalog.Object{Kind: catalog.KindStatistics, Name: "s", Detail: "extended statistics"}, true},
		{catalog.Object{Kind: catalog.KindStatistics, Name: "s", Detail: "extended statistics on app.mv"}, true},
		{catalog.Object{Kind: catalog.KindStatistics, Name: "s", Detail: "extended statistics on a relation of another schema: other.t"}, false},
		{catalog.Object{Kind: catalog.KindStatistics, Name: "s", Detail: "extended statistics on a relation not modelled"}, false},
		{catalog.Object{Kind: catalog.KindRule, Name: "r", Detail: "rule on app.t"}, true},
		{catalog.Object{Kind: catalog.KindRule, Name: "r", Detail: "rule on view app.v"}, true},
		{catalog.Object{Kind: catalog.KindForeignTable, Name: "f", Detail: "foreign table"}, true},
		{catalog.Object{Kind: catalog.KindForeignTable, Name: "f", Detail: "foreign table (a partition or inheritance child)"}, true},
		{catalog.Object{Kind: catalog.KindForeignTable, Name: "f", Detail: "foreign table (an inheritance child)"}, false},
		{catalog.Object{Kind: catalog.KindOperatorClass, Name: "c", Detail: "operator class for btree"}, true},
		{catalog.Object{Kind: catalog.KindOperatorFamily, Name: "f", Detail: "operator family for hash"}, true},
		{catalog.Object{Kind: catalog.KindTextSearch, Name: "p", Detail: "text search parser"}, false},
		{catalog.Object{Kind: catalog.KindConversion, Name: "c", Detail: "conversion"}, false},
	} {
		if got := catalog.Legacy(c.o); got != c.want {
			t.Errorf("Legacy(%s %q) = %v, want %v", c.o.Kind, c.o.Detail, got, c.want)
		}
	}
}
