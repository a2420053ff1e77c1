package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// sarifSchema compiles the official SARIF 2.1.0 schema kept in testdata.
func sarifSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	f, err := os.Open(filepath.Join("testdata", "sarif", "sarif-2.1.0-rtm.5.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	const id = "https://schemastore.example/sarif-2.1.0-rtm.5.json"
	if err := c.AddResource(id, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(id)
	if err != nil {
		t.Fatalf("compile the SARIF schema: %v", err)
	}
	return sch
}

func validateSARIF(sch *jsonschema.Schema, data string) error {
	v, err := jsonschema.UnmarshalJSON(strings.NewReader(data))
	if err != nil {
		return err
	}
	return sch.Validate(v)
}

// TestReviewSARIFSchema validates `review --format sarif` output against
// the official SARIF 2.1.0 schema.
func TestReviewSARIFSchema(t *testing.T) {
	sch := sarifSchema(t)
	a := writeSQL(t, "a.sql", "DELETE FROM t;\nCREATE TABLE x (\n  a int\n);\n")
	b := writeSQL(t, "b.sql", "SELECT (;\n")
	c := writeSQL(t, "c.sql", "SELECT 1;\n")
	for _, files := range [][]string{{a, b}, {c}} {
		out, _, _ := runCLI(t, append([]string{"review", "--format", "sarif"}, files...)...)
		if err := validateSARIF(sch, out); err != nil {
			t.Errorf("SARIF for %v does not validate: %v\n%s", files, err, out)
		}
	}
	// The validator itself must reject a broken log.
	if err := validateSARIF(sch, `{"version":"2.1.0","runs":[{"tool":{"driver":{}},"results":[{"level":"fatal","message":{}}]}]}`); err == nil {
		t.Error("the validator accepted an invalid log")
	}
}
