package migrate

import (
	"strings"
	"testing"
)

func TestChecksumNormalisation(t *testing.T) {
	base := "CREATE TABLE t (id int);\nINSERT INTO t VALUES (1);\n"
	sum := Checksum([]byte(base))
	if !strings.HasPrefix(sum, "sha256:v1:") || len(sum) != len("sha256:v1:")+64 {
		t.Fatalf("checksum %q: want sha256:v1:<64 hex>", sum)
	}
	same := map[string]string{
		"CRLF":          strings.ReplaceAll(base, "\n", "\r\n"),
		"CR":            strings.ReplaceAll(base, "\n", "\r"),
		"BOM":           "\uFEFF" + base,
		"BOM+CRLF":      "\uFEFF" + strings.ReplaceAll(base, "\n", "\r\n"),
		"mixed endings": "CREATE TABLE t (id int);\r\nINSERT INTO t VALUES (1);\n",
	}
	for name, s := range same {
		if got := Checksum([]byte(s)); got != sum {
			t.Errorf("%s: checksum %s, want %s (same content)", name, got, sum)
		}
	}
	differ := map[string]string{
		"changed value":      strings.Replace(base, "(1)", "(2)", 1),
		"trailing space":     base + " ",
		"blank line":         base + "\n",
		"BOM in the middle":  "CREATE TABLE t (id int);\uFEFF\nINSERT INTO t VALUES (1);\n",
		"CRCR is two lines":  strings.Replace(base, "\n", "\r\r", 1),
		"missing final line": strings.TrimSuffix(base, "\n"),
	}
	for name, s := range differ {
		if got := Checksum([]byte(s)); got == sum {
			t.Errorf("%s: checksum unchanged, want a different one", name)
		}
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"":                   "",
		"a\r\nb\rc\n":        "a\nb\nc\n",
		"\uFEFFx":            "x",
		"\uFEFF\uFEFFx":      "\uFEFFx", // only the leading mark
		"\r\n\r\n":           "\n\n",
		"x\r":                "x\n",
		"no line endings":    "no line endings",
		"\r\r\n":             "\n\n",
		"tab\tstays\r\nhere": "tab\tstays\nhere",
	} {
		if got := string(Normalize([]byte(in))); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}
