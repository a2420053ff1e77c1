package workspace

import (
	"context"
	"time"
)

// RecordSyncSuccess records a successful schema sync of a database that
// stored no new snapshot (its schema was unchanged since the latest one).
func (s *Store) RecordSyncSuccess(ctx context.Context, databaseID string, at time.Time) error {
	if at.IsZero() {
		at = time.Now()
	}
	if _, err := s.GetDatabase(ctx, databaseID); err != nil {
		return err
	}
	return setSyncStatus(ctx, s.db, databaseID, at.UTC().Format(snapshotTime), "", "")
}
