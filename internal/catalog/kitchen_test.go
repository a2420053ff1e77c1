package catalog_test

import (
	"context"
	"os"
	"testing"
)

// kitchenRoles creates the roles testdata/kitchen_sink.sql grants to.
func kitchenRoles(t *testing.T) {
	t.Helper()
	err := pg.Exec(context.Background(), `DO $$ BEGIN
		IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tidemark_reader') THEN CREATE ROLE tidemark_reader; END IF;
		IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tidemark_writer') THEN CREATE ROLE tidemark_writer; END IF;
		IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tidemark_owner') THEN CREATE ROLE tidemark_owner; END IF;
		END $$`)
	if err != nil {
		t.Fatalf("create roles: %v", err)
	}
}

func TestRoundTripKitchenSink(t *testing.T) {
	pg.NewDB(t)
	kitchenRoles(t)
	sql, err := os.ReadFile("testdata/kitchen_sink.sql")
	if err != nil {
		t.Fatal(err)
	}
	_, err = roundTrip(t, func(t *testing.T, url string) error { return psql(t, url, "", sql) })
	if err != nil {
		t.Fatal(err)
	}
}
