package anomaly

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/tidemark-dev/tidemark/internal/usererr"
	"github.com/tidemark-dev/tidemark/internal/workflow"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// BaselineRequest is the issue that establishes a new baseline of a
// database: once rolled out, its live schema — drift included — is the
// expected one (the workflow's baseline check lists what it accepts).
func BaselineRequest(d workspace.Database) workflow.CreateRequest {
	return workflow.CreateRequest{Type: workflow.TypeBaseline, Title: "Establish new baseline of " + d.Name, ProjectID: d.ProjectID,
		DatabaseIDs: []string{d.ID},
		Description: "Accepts the live schema of " + d.Name + ", changes made outside Tidemark included, as its expected schema."}
}

// Drift decodes a schema drift anomaly's details.
func (a Anomaly) Drift() (DriftDetails, error) {
	var d DriftDetails
	if a.Kind != KindSchemaDrift {
		return d, usererr.Invalid("anomaly", "anomaly %d is %s, not schema drift", a.ID, a.Kind)
	}
	if err := json.Unmarshal(a.Details, &d); err != nil {
		return d, fmt.Errorf("anomaly %d: details: %w", a.ID, err)
	}
	return d, nil
}

// RevertRequest is the schema change issue that reverts an open drift
// anomaly: its SQL is the revert migration (live → expected).
func RevertRequest(a Anomaly) (workflow.CreateRequest, error) {
	d, err := a.Drift()
	if err != nil {
		return workflow.CreateRequest{}, err
	}
	switch {
	case !a.Open():
		return workflow.CreateRequest{}, usererr.Invalid("anomaly", "anomaly %d has resolved: there is no drift to revert", a.ID)
	case d.RevertError != "":
		return workflow.CreateRequest{}, usererr.Invalid("anomaly", "the revert of this drift cannot be planned: %s", d.RevertError)
	case strings.TrimSpace(d.Revert) == "":
		return workflow.CreateRequest{}, usererr.Invalid("anomaly", "anomaly %d has no revert migration", a.ID)
	}
	return workflow.CreateRequest{Type: workflow.TypeSchemaChange, Title: "Revert drift of " + a.DatabaseName, ProjectID: a.ProjectID,
		DatabaseIDs: []string{a.DatabaseID}, SQL: d.Revert,
		Description: "Turns " + a.DatabaseName + " back into its expected schema: " + strings.TrimPrefix(a.Summary, "Schema drift: ") + "."}, nil
}
