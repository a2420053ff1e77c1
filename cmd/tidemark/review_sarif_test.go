package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// sarifSchema returns the official SARIF 2.1.0 JSON schema, as shipped in the
// npm package @microsoft/jest-sarif (installed once into the user cache),
// and the node_modules directory holding its validator (ajv).
func sarifSchema(t *testing.T) (schema, nodeModules string) {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node is not installed: cannot validate against the SARIF schema")
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		t.Skipf("no user cache dir: %v", err)
	}
	dir := filepath.Join(cache, "tidemark", "sarif-validator")
	nodeModules = filepath.Join(dir, "node_modules")
	schema = filepath.Join(nodeModules, "@microsoft", "jest-sarif", "lib", "schemas", "sarif-2.1.0-rtm.5.json")
	if _, err := os.Stat(schema); err == nil {
		return schema, nodeModules
	}
	if _, err := exec.LookPath("npm"); err != nil {
		t.Skip("npm is not installed: cannot fetch the SARIF schema")
	}
	out, err := exec.Command("npm", "install", "--prefix", dir, "--no-audit", "--no-fund", "@microsoft/jest-sarif@1.0.0-beta.0").CombinedOutput()
	if err != nil {
		t.Skipf("cannot install the SARIF schema package: %v\n%s", err, out)
	}
	return schema, nodeModules
}

const validateSARIF = `
const Ajv = require('ajv');
const fs = require('fs');
const schema = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const data = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
const ajv = new Ajv({ allErrors: true, schemaId: 'auto' });
ajv.addMetaSchema(require('ajv/lib/refs/json-schema-draft-04.json'));
if (!ajv.validate(schema, data)) { console.log(JSON.stringify(ajv.errors, null, 2)); process.exit(1); }
`

// TestReviewSARIFSchema validates `review --format sarif` output against
// the official SARIF 2.1.0 schema.
func TestReviewSARIFSchema(t *testing.T) {
	schema, nodeModules := sarifSchema(t)
	dir := t.TempDir()
	a := writeSQL(t, "a.sql", "DELETE FROM t;\nCREATE TABLE x (\n  a int\n);\n")
	b := writeSQL(t, "b.sql", "SELECT (;\n")
	c := writeSQL(t, "c.sql", "SELECT 1;\n")
	script := filepath.Join(dir, "validate.js")
	if err := os.WriteFile(script, []byte(validateSARIF), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, files := range [][]string{{a, b}, {c}} {
		out, _, _ := runCLI(t, append([]string{"review", "--format", "sarif"}, files...)...)
		f := filepath.Join(dir, "out.sarif")
		if err := os.WriteFile(f, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("node", script, schema, f)
		cmd.Env = append(os.Environ(), "NODE_PATH="+nodeModules)
		if res, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("SARIF for %v does not validate: %v\n%s", files, err, res)
		}
	}
	// The validator itself must reject a broken log.
	bad := filepath.Join(dir, "bad.sarif")
	os.WriteFile(bad, []byte(`{"version":"2.1.0","runs":[{"tool":{"driver":{}},"results":[{"level":"fatal","message":{}}]}]}`), 0o644)
	cmd := exec.Command("node", script, schema, bad)
	cmd.Env = append(os.Environ(), "NODE_PATH="+nodeModules)
	if res, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(res), "keyword") {
		t.Errorf("validator accepted an invalid log: %s", res)
	}
}
