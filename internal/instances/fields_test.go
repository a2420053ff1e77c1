package instances

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/usererr"
)

// TestValidateSharedCases runs the instance-field cases the desktop form's
// own checks are tested on (frontend/src/components/instances), so the two
// cannot drift apart.
func TestValidateSharedCases(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "instance-fields.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct {
		Name  string `json:"name"`
		Input struct {
			Host, User, Database, SSLMode, URL string
			Port                               int
		} `json:"input"`
		Field string `json:"field"`
	}
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) < 10 {
		t.Fatalf("only %d shared cases", len(cases))
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			in := c.Input
			_, err := Validate(Fields{URL: in.URL, Host: in.Host, Port: in.Port, User: in.User, Database: in.Database, SSLMode: in.SSLMode})
			var ue *usererr.Error
			switch {
			case c.Field == "" && err != nil:
				t.Fatalf("rejected: %v", err)
			case c.Field != "" && !errors.As(err, &ue):
				t.Fatalf("accepted (%v), want field %s rejected", err, c.Field)
			case c.Field != "" && ue.Field != c.Field:
				t.Fatalf("rejected field %q (%v), want %q", ue.Field, err, c.Field)
			}
		})
	}
}
