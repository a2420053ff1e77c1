package workflow

import (
	"context"
	"fmt"
	"strings"

	"github.com/tidemark-dev/tidemark/internal/drift"
	"github.com/tidemark-dev/tidemark/internal/usererr"
)

// CheckDrift is the check of a task whose database changed outside
// Tidemark: a warning on a schema or data change (roll out anyway, or
// establish a new baseline first), and on a baseline the list of what it
// accepts.
const CheckDrift CheckKind = "drift"

// liveDrift refreshes the database's schema (a snapshot only when it
// changed), reconciles its change history from the target, and compares the
// live schema with the expected one (internal/drift).
func (s *Service) liveDrift(ctx context.Context, databaseID string) (*drift.Expectation, drift.Report, error) {
	snap, _, err := s.d.Sync.Refresh(ctx, databaseID, nil)
	if err != nil {
		return nil, drift.Report{}, err
	}
	if s.d.Changes != nil {
		if _, err := s.d.Changes.Reconcile(ctx, databaseID); err != nil {
			return nil, drift.Report{}, err
		}
	}
	exp, err := drift.Expected(ctx, s.d.WS, s.d.Sync, databaseID)
	if err != nil {
		return nil, drift.Report{}, err
	}
	if exp.Result == nil { // no expectation yet: the live schema becomes it
		return exp, drift.Report{Status: drift.StatusNone, Objects: []drift.Object{}}, nil
	}
	return exp, drift.Compare(exp.Result, drift.SnapshotResult(snap)), nil
}

// since names what the expected schema stands for.
func since(exp *drift.Expectation) string {
	switch exp.Source {
	case drift.FromBaseline:
		return "baseline " + exp.Version
	case drift.FromChange:
		return "version " + exp.Version
	}
	return "the first sync on " + exp.TakenAt.UTC().Format("2006-01-02 15:04 UTC")
}

// driftResults lists each drifted object with what changed.
func driftResults(rep drift.Report, st CheckStatus) []Result {
	out := []Result{}
	for _, o := range rep.Objects {
		var parts []string
		for _, ch := range o.Changes {
			switch ch.Action {
			case drift.Added:
				parts = append(parts, ch.Property+" added: "+oneLine(ch.To))
			case drift.Dropped:
				parts = append(parts, ch.Property+" dropped: "+oneLine(ch.From))
			default:
				parts = append(parts, ch.Property+" changed: "+oneLine(ch.From)+" → "+oneLine(ch.To))
			}
		}
		out = append(out, Result{Status: st, Title: o.Action + " " + strings.ReplaceAll(o.Kind, "_", " ") + " " + o.QualifiedName(),
			Message: strings.Join(parts, "; ")})
	}
	return out
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// driftCheck is the warning of a schema or data change whose database
// drifted; ok is false when it did not (or its schema cannot be read now:
// the other checks report that).
func (s *Service) driftCheck(ctx context.Context, t *Task) (Check, bool) {
	if t.DatabaseID == "" {
		return Check{}, false
	}
	exp, rep, err := s.liveDrift(ctx, t.DatabaseID)
	if err != nil || !rep.Drifted() {
		return Check{}, false
	}
	return Check{Kind: CheckDrift, Status: CheckWarning, Basis: "a fresh sync of " + t.DatabaseName,
		Summary: fmt.Sprintf("the database changed outside Tidemark since %s: %d object(s) differ — roll out anyway, or establish a new baseline first",
			since(exp), len(rep.Objects)),
		Results: driftResults(rep, CheckWarning)}, true
}

// baselineDriftCheck lists the drift a baseline accepts: once rolled out,
// the live schema, these objects included, is the expected one.
func (s *Service) baselineDriftCheck(ctx context.Context, t *Task) Check {
	exp, rep, err := s.liveDrift(ctx, t.DatabaseID)
	if err != nil {
		return Check{Kind: CheckDrift, Status: CheckWarning, Summary: "the live schema could not be read, so the drift this baseline accepts is not known: " + usererr.From(err).Error()}
	}
	if !rep.Drifted() {
		return Check{Kind: CheckDrift, Status: CheckSuccess, Basis: "a fresh sync of " + t.DatabaseName,
			Summary: "no drift: the live schema is the expected one (" + since(exp) + ")"}
	}
	return Check{Kind: CheckDrift, Status: CheckSuccess, Basis: "a fresh sync of " + t.DatabaseName,
		Summary: fmt.Sprintf("accepts the drift since %s: %d object(s) become part of the expected schema", since(exp), len(rep.Objects)),
		Results: driftResults(rep, CheckSuccess)}
}
