package main

import (
	"bytes"
	"encoding/json"
	"math/rand"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/review"
)

// The hand-written encoder is checked against encoding/json, its oracle.
func checkReviewEntry(t *testing.T, e reviewEntry) {
	t.Helper()
	want, err := json.MarshalIndent(&e, "  ", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if got := appendReviewEntry(nil, &e); !bytes.Equal(got, want) {
		t.Fatalf("entry %+v:\ngot  %s\nwant %s", e, got, want)
	}
}

func TestAppendReviewEntry(t *testing.T) {
	tricky := []string{"", "plain", `quote " and \ backslash`, "tab\tnew\nline\rcr\bbs\fff", "\x00\x01\x1f\x7f",
		"<html> & </html>", "é ü 日本 😀", "line\u2028sep\u2029para", "bad \xff\xfe utf8 \xc3", "\xe2\x80", "a\u0085b\u00a0c"}
	for i, s := range tricky {
		e := reviewEntry{File: s, Line: i, Column: -i, Level: review.Level(s), Rule: s, Title: s, Message: s}
		checkReviewEntry(t, e)
		e.Statement = &review.Span{Start: i, End: 1 << 40, Line: 3, Column: 4, EndLine: -5}
		checkReviewEntry(t, e)
		e.Rewrite = &review.Rewrite{Steps: []review.RewriteStep{{SQL: s, NonTransactional: true}, {SQL: s, NewUnit: true}}, Plan: s}
		checkReviewEntry(t, e)
		e.Rewrite = &review.Rewrite{Plan: s}
		checkReviewEntry(t, e)
	}
	r := rand.New(rand.NewSource(1))
	for n := 0; n < 2000; n++ {
		str := func() string {
			b := make([]byte, r.Intn(40))
			for i := range b {
				b[i] = byte(r.Intn(256))
			}
			return string(b)
		}
		e := reviewEntry{File: str(), Line: r.Int(), Column: r.Intn(100), Level: review.Warning, Rule: str(), Title: str(), Message: str()}
		if r.Intn(2) == 0 {
			e.Statement = &review.Span{Start: r.Int(), End: r.Int(), Line: r.Intn(9), Column: r.Intn(9), EndLine: r.Intn(9)}
		}
		checkReviewEntry(t, e)
	}
}

func FuzzAppendReviewEntry(f *testing.F) {
	f.Add("a.sql", "rule", "msg <&>\u2028", 1)
	f.Add("\xff", "", "\x00", 0)
	f.Fuzz(func(t *testing.T, file, rule, msg string, line int) {
		checkReviewEntry(t, reviewEntry{File: file, Line: line, Level: review.Error, Rule: rule, Title: msg, Message: msg,
			Statement: &review.Span{Line: line}})
	})
}
