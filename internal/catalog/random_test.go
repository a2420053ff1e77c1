package catalog_test

import (
	"fmt"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/catalog/schemagen"
)

// TestRoundTripGenerated runs the round-trip oracle over seeded random
// schemas mixing many object kinds (small sizes, so it stays quick).
func TestRoundTripGenerated(t *testing.T) {
	for seed := int64(1); seed <= 4; seed++ {
		t.Run(fmt.Sprintf("seed%d", seed), func(t *testing.T) {
			sql := schemagen.Generate(seed, schemagen.Options{Tables: 40, Schemas: 2})
			res, err := roundTrip(t, func(t *testing.T, url string) error { return psql(t, url, "", []byte(sql)) })
			if err != nil {
				t.Fatal(err)
			}
			s := res.Schema
			var idx, fks int
			for _, tb := range s.Tables {
				idx += len(tb.Indexes)
				for _, c := range tb.Constraints {
					if c.Type == catalog.ConstraintForeignKey {
						fks++
					}
				}
			}
			if len(s.Tables) < 40 || len(s.Views) < 2 || len(s.Types) < 2 || len(s.Functions) < 2 || idx < 40 || fks < 5 {
				t.Fatalf("generated schema too small to mean anything: %d tables, %d views, %d types, %d functions, %d indexes, %d foreign keys",
					len(s.Tables), len(s.Views), len(s.Types), len(s.Functions), idx, fks)
			}
			t.Logf("%d tables, %d views, %d types, %d functions, %d indexes, %d foreign keys",
				len(s.Tables), len(s.Views), len(s.Types), len(s.Functions), idx, fks)
		})
	}
}
