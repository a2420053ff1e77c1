package schemagen

import (
	"strings"
	"testing"
)

func TestGenerateIsSeeded(t *testing.T) {
	a := Generate(7, Options{Tables: 60})
	if b := Generate(7, Options{Tables: 60}); a != b {
		t.Fatal("same seed, different scripts")
	}
	if c := Generate(8, Options{Tables: 60}); a == c {
		t.Fatal("different seeds, same script")
	}
	tables := strings.Count(a, "CREATE TABLE ")
	if tables < 60 || !strings.Contains(a, "PARTITION BY RANGE") || !strings.Contains(a, "INHERITS") ||
		!strings.Contains(a, "FOREIGN KEY") || !strings.Contains(a, "CREATE VIEW") || !strings.Contains(a, "CREATE MATERIALIZED VIEW") ||
		!strings.Contains(a, "AS ENUM") || !strings.Contains(a, "CREATE DOMAIN") || !strings.Contains(a, "CREATE FUNCTION") {
		t.Errorf("script lacks expected kinds (%d tables):\n%.2000s", tables, a)
	}
	if big := Generate(7, Options{Tables: 600}); strings.Count(big, "CREATE TABLE ") < 600 || !strings.Contains(big, "CREATE SCHEMA s1") {
		t.Errorf("600-table script too small or in one schema")
	}
}
