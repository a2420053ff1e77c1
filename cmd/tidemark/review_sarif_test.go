package main

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// sarifSchemaSHA256 is the digest of testdata/sarif/sarif-2.1.0-rtm.5.json
// as its README records it: the schema is the yardstick, so it must not drift.
const sarifSchemaSHA256 = "2d99159ae54a3eea97f81781cff48780548657c35949f4b7f25e99a2ba4de4f8"

// sarifSchema compiles the official SARIF 2.1.0 schema kept in testdata.
func sarifSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "sarif", "sarif-2.1.0-rtm.5.json"))
	if err != nil {
		t.Fatal(err)
	}
	if sum := fmt.Sprintf("%x", sha256.Sum256(raw)); sum != sarifSchemaSHA256 {
		t.Fatalf("the vendored SARIF schema changed: sha256 %s, want %s (testdata/sarif/README.md)", sum, sarifSchemaSHA256)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	// The schema's own id, so that its internal references resolve within it.
	const id = "https://raw.githubusercontent.com/schemastore/schemastore/master/src/schemas/json/sarif-2.1.0-rtm.5.json"
	c := jsonschema.NewCompiler()
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
