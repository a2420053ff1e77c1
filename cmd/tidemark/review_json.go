package main

import (
	"encoding/json"
	"strconv"
	"unicode/utf8"
)

// appendReviewEntry appends e as json.MarshalIndent(&e, "  ", "  ") renders
// it, byte for byte (checked by a test), without reflection: a review of a
// long migration history prints hundreds of thousands of entries, and
// encoding them generically cost as much as reviewing them.
func appendReviewEntry(b []byte, e *reviewEntry) []byte {
	b = append(b, "{\n    \"file\": "...)
	b = appendJSONString(b, e.File)
	b = append(b, ",\n    \"line\": "...)
	b = strconv.AppendInt(b, int64(e.Line), 10)
	b = append(b, ",\n    \"column\": "...)
	b = strconv.AppendInt(b, int64(e.Column), 10)
	b = append(b, ",\n    \"level\": "...)
	b = appendJSONString(b, string(e.Level))
	b = append(b, ",\n    \"rule\": "...)
	b = appendJSONString(b, e.Rule)
	b = append(b, ",\n    \"title\": "...)
	b = appendJSONString(b, e.Title)
	b = append(b, ",\n    \"message\": "...)
	b = appendJSONString(b, e.Message)
	if s := e.Statement; s != nil {
		b = append(b, ",\n    \"statement\": {\n      \"start\": "...)
		b = strconv.AppendInt(b, int64(s.Start), 10)
		b = append(b, ",\n      \"end\": "...)
		b = strconv.AppendInt(b, int64(s.End), 10)
		b = append(b, ",\n      \"line\": "...)
		b = strconv.AppendInt(b, int64(s.Line), 10)
		b = append(b, ",\n      \"column\": "...)
		b = strconv.AppendInt(b, int64(s.Column), 10)
		b = append(b, ",\n      \"endLine\": "...)
		b = strconv.AppendInt(b, int64(s.EndLine), 10)
		b = append(b, "\n    }"...)
	}
	if e.Rewrite != nil { // rare: the generic encoder is fast enough
		rw, err := json.MarshalIndent(e.Rewrite, "    ", "  ")
		if err == nil {
			b = append(b, ",\n    \"rewrite\": "...)
			b = append(b, rw...)
		}
	}
	return append(b, "\n  }"...)
}

// appendJSONString appends s as a JSON string the way encoding/json does
// (HTML-safe: <, > and & escaped; U+2028, U+2029 escaped; invalid UTF-8
// replaced by U+FFFD).
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
