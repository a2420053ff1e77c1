package workspace

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ReviewPolicy is the SQL review policy an environment carries, kept as the
// review engine's YAML. The workspace stores it as text; parsing and
// validation belong to the review engine.
type ReviewPolicy struct {
	EnvironmentID string
	// Template is the built-in template the policy started from (basic, advanced).
	Template  string
	YAML      string
	UpdatedAt time.Time
}

// GetReviewPolicy returns the stored policy of an environment; found is false
// when the environment has none yet (it then uses its default template). An
// unknown environment is ErrNotFound.
func (s *Store) GetReviewPolicy(ctx context.Context, environmentID string) (p ReviewPolicy, found bool, err error) {
	if _, err := s.GetEnvironment(ctx, environmentID); err != nil {
		return ReviewPolicy{}, false, err
	}
	var updated string
	err = s.db.QueryRowContext(ctx, `SELECT environment_id, template, policy, updated_at FROM review_policies WHERE environment_id = ?`, environmentID).
		Scan(&p.EnvironmentID, &p.Template, &p.YAML, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return ReviewPolicy{}, false, nil
	}
	if err != nil {
		return ReviewPolicy{}, false, fmt.Errorf("read review policy of environment %s: %w", environmentID, err)
	}
	p.UpdatedAt = parseTime(updated)
	return p, true, nil
}

// SaveReviewPolicy stores (or replaces) an environment's policy.
func (s *Store) SaveReviewPolicy(ctx context.Context, p ReviewPolicy) (ReviewPolicy, error) {
	if _, err := s.GetEnvironment(ctx, p.EnvironmentID); err != nil {
		return ReviewPolicy{}, err
	}
	if strings.TrimSpace(p.Template) == "" {
		return ReviewPolicy{}, fmt.Errorf("review policy of environment %s: template must not be empty: %w", p.EnvironmentID, ErrInvalid)
	}
	if strings.TrimSpace(p.YAML) == "" {
		return ReviewPolicy{}, fmt.Errorf("review policy of environment %s: policy text must not be empty: %w", p.EnvironmentID, ErrInvalid)
	}
	ts := now()
	_, err := s.db.ExecContext(ctx, `INSERT INTO review_policies (environment_id, template, policy, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (environment_id) DO UPDATE SET template = excluded.template, policy = excluded.policy, updated_at = excluded.updated_at`,
		p.EnvironmentID, p.Template, p.YAML, ts)
	if err != nil {
		return ReviewPolicy{}, fmt.Errorf("save review policy of environment %s: %w", p.EnvironmentID, err)
	}
	p.UpdatedAt = parseTime(ts)
	return p, nil
}

// DeleteReviewPolicy forgets an environment's stored policy, so it falls back
// to its default template (absent is fine).
func (s *Store) DeleteReviewPolicy(ctx context.Context, environmentID string) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM review_policies WHERE environment_id = ?`, environmentID); err != nil {
		return fmt.Errorf("delete review policy of environment %s: %w", environmentID, err)
	}
	return nil
}
