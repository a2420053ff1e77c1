package workspace

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/google/uuid"
)

// SnapshotObject is an object a schema sync could not model or read: its kind,
// schema, name and why it is listed.
type SnapshotObject struct {
	Kind   string `json:"kind"`
	Schema string `json:"schema,omitempty"`
	Name   string `json:"name"`
	Detail string `json:"detail,omitempty"`
}

// SnapshotInfo describes a stored schema snapshot without its contents.
type SnapshotInfo struct {
	ID            string
	DatabaseID    string
	TakenAt       time.Time
	Duration      time.Duration
	Fingerprint   string
	ServerVersion int // server_version_num
	ModelSize     int // bytes of model JSON
	DDLSize       int // bytes of DDL
	Unsupported   []SnapshotObject
	Skipped       []SnapshotObject
}

// Snapshot is one stored schema snapshot: the catalog model as JSON (the
// workspace does not interpret it) and its DDL.
type Snapshot struct {
	SnapshotInfo
	Model []byte
	DDL   string
}

// SchemaSyncStatus is the outcome of the last schema sync attempt of a
// database. Error is empty when that attempt succeeded.
type SchemaSyncStatus struct {
	DatabaseID  string
	AttemptedAt time.Time // zero when never attempted
	Error       string
	SQLState    string
}

const snapshotTime = "2006-01-02T15:04:05.000Z07:00"

func gz(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	w, err := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(b); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func gunzip(b []byte) ([]byte, error) {
	r, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}

// AddSnapshot stores a successful sync of a database and marks its sync
// status as succeeded, in one transaction. ID is assigned; a zero TakenAt
// means now. The stored snapshot's info is returned.
func (s *Store) AddSnapshot(ctx context.Context, snap Snapshot) (SnapshotInfo, error) {
	info := snap.SnapshotInfo
	if info.DatabaseID == "" {
		return SnapshotInfo{}, fmt.Errorf("add snapshot: no database given: %w", ErrInvalid)
	}
	if info.TakenAt.IsZero() {
		info.TakenAt = time.Now()
	}
	info.TakenAt = info.TakenAt.UTC().Truncate(time.Millisecond)
	info.ID = uuid.NewString()
	info.ModelSize, info.DDLSize = len(snap.Model), len(snap.DDL)
	if info.Unsupported == nil {
		info.Unsupported = []SnapshotObject{}
	}
	if info.Skipped == nil {
		info.Skipped = []SnapshotObject{}
	}
	model, err := gz(snap.Model)
	if err != nil {
		return SnapshotInfo{}, fmt.Errorf("compress snapshot model: %w", err)
	}
	ddl, err := gz([]byte(snap.DDL))
	if err != nil {
		return SnapshotInfo{}, fmt.Errorf("compress snapshot DDL: %w", err)
	}
	uns, err := json.Marshal(info.Unsupported)
	if err != nil {
		return SnapshotInfo{}, err
	}
	skip, err := json.Marshal(info.Skipped)
	if err != nil {
		return SnapshotInfo{}, err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return SnapshotInfo{}, err
	}
	defer tx.Rollback()
	var one int
	if err := tx.QueryRowContext(ctx, `SELECT 1 FROM databases WHERE id = ?`, info.DatabaseID).Scan(&one); errors.Is(err, sql.ErrNoRows) {
		return SnapshotInfo{}, notFound("database", info.DatabaseID)
	} else if err != nil {
		return SnapshotInfo{}, fmt.Errorf("add snapshot: %w", err)
	}
	ts := info.TakenAt.Format(snapshotTime)
	_, err = tx.ExecContext(ctx, `INSERT INTO schema_snapshots (id, database_id, taken_at, duration_ms, fingerprint,
		server_version, model_gz, ddl_gz, model_size, ddl_size, unsupported, skipped) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		info.ID, info.DatabaseID, ts, info.Duration.Milliseconds(), info.Fingerprint, info.ServerVersion,
		model, ddl, info.ModelSize, info.DDLSize, string(uns), string(skip))
	if err != nil {
		return SnapshotInfo{}, fmt.Errorf("add snapshot: %w", err)
	}
	if err := setSyncStatus(ctx, tx, info.DatabaseID, ts, "", ""); err != nil {
		return SnapshotInfo{}, err
	}
	if err := tx.Commit(); err != nil {
		return SnapshotInfo{}, fmt.Errorf("add snapshot: %w", err)
	}
	info.Duration = time.Duration(info.Duration.Milliseconds()) * time.Millisecond
	return info, nil
}

func setSyncStatus(ctx context.Context, ex interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}, dbID, at, msg, sqlstate string) error {
	_, err := ex.ExecContext(ctx, `INSERT INTO schema_sync_status (database_id, attempted_at, error, sqlstate) VALUES (?, ?, ?, ?)
		ON CONFLICT (database_id) DO UPDATE SET attempted_at = excluded.attempted_at, error = excluded.error, sqlstate = excluded.sqlstate`,
		dbID, at, msg, sqlstate)
	if err != nil {
		return fmt.Errorf("record schema sync status: %w", err)
	}
	return nil
}

// RecordSyncFailure records a failed schema sync of a database (its time,
// message and SQLSTATE when there is one). Stored snapshots are kept.
func (s *Store) RecordSyncFailure(ctx context.Context, databaseID string, at time.Time, msg, sqlstate string) error {
	if msg == "" {
		return fmt.Errorf("record sync failure: empty message: %w", ErrInvalid)
	}
	if at.IsZero() {
		at = time.Now()
	}
	if _, err := s.GetDatabase(ctx, databaseID); err != nil {
		return err
	}
	return setSyncStatus(ctx, s.db, databaseID, at.UTC().Format(snapshotTime), msg, sqlstate)
}

// SyncStatus returns the outcome of the last schema sync attempt of a
// database (a zero AttemptedAt when none was made).
func (s *Store) SyncStatus(ctx context.Context, databaseID string) (SchemaSyncStatus, error) {
	st := SchemaSyncStatus{DatabaseID: databaseID}
	var at string
	err := s.db.QueryRowContext(ctx, `SELECT attempted_at, error, sqlstate FROM schema_sync_status WHERE database_id = ?`, databaseID).
		Scan(&at, &st.Error, &st.SQLState)
	if errors.Is(err, sql.ErrNoRows) {
		return st, nil
	}
	if err != nil {
		return st, fmt.Errorf("read schema sync status: %w", err)
	}
	st.AttemptedAt = parseTime(at)
	return st, nil
}

const snapshotInfoCols = `id, database_id, taken_at, duration_ms, fingerprint, server_version, model_size, ddl_size, unsupported, skipped`

func scanSnapshotInfo(sc interface{ Scan(...any) error }, extra ...any) (SnapshotInfo, error) {
	var in SnapshotInfo
	var at, uns, skip string
	var dur int64
	dest := append([]any{&in.ID, &in.DatabaseID, &at, &dur, &in.Fingerprint, &in.ServerVersion, &in.ModelSize, &in.DDLSize, &uns, &skip}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return in, err
	}
	in.TakenAt = parseTime(at)
	in.Duration = time.Duration(dur) * time.Millisecond
	if err := json.Unmarshal([]byte(uns), &in.Unsupported); err != nil {
		return in, fmt.Errorf("snapshot %s: unsupported objects: %w", in.ID, err)
	}
	if err := json.Unmarshal([]byte(skip), &in.Skipped); err != nil {
		return in, fmt.Errorf("snapshot %s: skipped schemas: %w", in.ID, err)
	}
	return in, nil
}

// ListSnapshots returns the snapshots of a database, newest first, without
// their contents.
func (s *Store) ListSnapshots(ctx context.Context, databaseID string) ([]SnapshotInfo, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+snapshotInfoCols+` FROM schema_snapshots WHERE database_id = ?
		ORDER BY taken_at DESC, rowid DESC`, databaseID)
	if err != nil {
		return nil, fmt.Errorf("list snapshots: %w", err)
	}
	defer rows.Close()
	out := []SnapshotInfo{}
	for rows.Next() {
		in, err := scanSnapshotInfo(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	return out, rows.Err()
}

func (s *Store) snapshot(ctx context.Context, where string, arg any, what string) (Snapshot, error) {
	var snap Snapshot
	var model, ddl []byte
	in, err := scanSnapshotInfo(s.db.QueryRowContext(ctx, `SELECT `+snapshotInfoCols+`, model_gz, ddl_gz FROM schema_snapshots
		WHERE `+where+` ORDER BY taken_at DESC, rowid DESC LIMIT 1`, arg), &model, &ddl)
	if errors.Is(err, sql.ErrNoRows) {
		return snap, notFound(what, fmt.Sprint(arg))
	}
	if err != nil {
		return snap, fmt.Errorf("read snapshot: %w", err)
	}
	snap.SnapshotInfo = in
	if snap.Model, err = gunzip(model); err != nil {
		return snap, fmt.Errorf("snapshot %s: model: %w", in.ID, err)
	}
	d, err := gunzip(ddl)
	if err != nil {
		return snap, fmt.Errorf("snapshot %s: DDL: %w", in.ID, err)
	}
	snap.DDL = string(d)
	return snap, nil
}

// GetSnapshot returns one snapshot with its contents.
func (s *Store) GetSnapshot(ctx context.Context, id string) (Snapshot, error) {
	return s.snapshot(ctx, `id = ?`, id, "snapshot")
}

// LatestSnapshot returns the newest snapshot of a database; the error wraps
// ErrNotFound when the database was never synced.
func (s *Store) LatestSnapshot(ctx context.Context, databaseID string) (Snapshot, error) {
	return s.snapshot(ctx, `database_id = ?`, databaseID, "snapshot of database")
}

// LatestSnapshotInfo is LatestSnapshot without the contents (cheap).
func (s *Store) LatestSnapshotInfo(ctx context.Context, databaseID string) (SnapshotInfo, error) {
	in, err := scanSnapshotInfo(s.db.QueryRowContext(ctx, `SELECT `+snapshotInfoCols+` FROM schema_snapshots
		WHERE database_id = ? ORDER BY taken_at DESC, rowid DESC LIMIT 1`, databaseID))
	if errors.Is(err, sql.ErrNoRows) {
		return in, notFound("snapshot of database", databaseID)
	}
	if err != nil {
		return in, fmt.Errorf("read snapshot: %w", err)
	}
	return in, nil
}
