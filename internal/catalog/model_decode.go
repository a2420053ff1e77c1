package catalog

import (
	"encoding/json"
	"fmt"
)

// DecodeModel reads a stored schema model: a JSON Schema (as schema
// snapshots store it), or a whole JSON Result (as `tidemark dump --format
// json` prints it, whose unsupported objects then come along). It is the one
// decoder of stored models.
func DecodeModel(b []byte) (*Result, error) {
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(b, &probe); err != nil {
		return nil, fmt.Errorf("read the schema model: %w", err)
	}
	if _, ok := probe["schema"]; ok {
		if _, ok := probe["fingerprint"]; ok {
			var res Result
			if err := json.Unmarshal(b, &res); err != nil {
				return nil, fmt.Errorf("read the schema model: %w", err)
			}
			return &res, nil
		}
	}
	res := &Result{}
	if err := json.Unmarshal(b, &res.Schema); err != nil {
		return nil, fmt.Errorf("read the schema model: %w", err)
	}
	return res, nil
}
