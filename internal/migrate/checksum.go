package migrate

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
)

// ChecksumPrefix starts every checksum this version computes. The "v1" names
// the normalisation (BOM stripped, CRLF and lone CR turned into LF), so a future
// change to it can be told apart from a modified file.
const ChecksumPrefix = "sha256:v1:"

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// Normalize returns content with a leading UTF-8 byte order mark removed and
// every line ending (CRLF, lone CR) turned into LF. A file checked out with
// different line endings on another machine keeps its checksum.
func Normalize(content []byte) []byte {
	content = bytes.TrimPrefix(content, utf8BOM)
	if bytes.IndexByte(content, '\r') < 0 {
		return content
	}
	out := make([]byte, 0, len(content))
	for i := 0; i < len(content); i++ {
		c := content[i]
		if c == '\r' {
			if i+1 < len(content) && content[i+1] == '\n' {
				continue // CRLF: keep the LF that follows
			}
			c = '\n'
		}
		out = append(out, c)
	}
	return out
}

// Checksum returns "sha256:v1:<hex>" over the normalised content (see Normalize).
func Checksum(content []byte) string {
	sum := sha256.Sum256(Normalize(content))
	return ChecksumPrefix + hex.EncodeToString(sum[:])
}
