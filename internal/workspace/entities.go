package workspace

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Environment is a stage databases move through (Test → Prod), ordered by Position.
type Environment struct {
	ID       string // slug
	Name     string
	Position int
	// Protected marks a production environment (see Production).
	Protected bool
	// Rollout is the environment's rollout policy as set: "" (follow
	// Production), RolloutAutomatic or RolloutManual. See RolloutPolicy.
	Rollout string
}

// Rollout policies of an environment.
const (
	RolloutAutomatic = "automatic" // a task starts as soon as its gates open
	RolloutManual    = "manual"    // someone clicks Roll out
)

// RolloutPolicy is the policy in force: the one set, else manual for a
// production environment and automatic for the others.
func (e Environment) RolloutPolicy() string {
	switch e.Rollout {
	case RolloutAutomatic, RolloutManual:
		return e.Rollout
	}
	if e.Production() {
		return RolloutManual
	}
	return RolloutAutomatic
}

// Production reports whether e is a production environment. It is the one
// definition every rule asks: the review policy's default template, the
// confirmation before applying a change, and approvals. An environment is
// production when it is marked protected (the default Prod is; others are
// marked with SetEnvironmentProtected) — never by its position, so adding a
// stage after Prod does not quietly make it production.
func (e Environment) Production() bool { return e.Protected }

// PasswordMode says where an instance's password comes from. The password itself
// is never stored in the workspace.
type PasswordMode string

// Password modes.
const (
	PasswordKeychain PasswordMode = "keychain" // OS keychain, keyed by instance id
	PasswordPgpass   PasswordMode = "pgpass"   // ~/.pgpass or $PGPASSFILE
	PasswordEnv      PasswordMode = "env"      // $PGPASSWORD
	PasswordSession  PasswordMode = "session"  // asked each session, kept in memory
	PasswordNone     PasswordMode = "none"     // no password (trust, peer, cert)
)

// Valid reports whether m is one of the known modes.
func (m PasswordMode) Valid() bool {
	switch m {
	case PasswordKeychain, PasswordPgpass, PasswordEnv, PasswordSession, PasswordNone:
		return true
	}
	return false
}

// Instance is a PostgreSQL server registered in the workspace.
type Instance struct {
	ID            string
	Name          string
	EnvironmentID string
	Host          string
	Port          int
	User          string
	Database      string // default/maintenance database; empty = same as User
	SSLMode       string
	PasswordMode  PasswordMode
	IsSample      bool
	LastSyncAt    time.Time // zero when never synced
	LastError     string
	CreatedAt     time.Time
}

// Project groups databases.
type Project struct {
	ID            string
	Name          string
	Archived      bool
	DatabaseCount int
	CreatedAt     time.Time
	// AllowSelfApproval lets an issue's creator approve it (default true).
	AllowSelfApproval bool
}

// Database is a database found on an instance by sync.
type Database struct {
	ID            string
	InstanceID    string
	InstanceName  string
	EnvironmentID string // the override when set, else the instance's environment
	Name          string
	Owner         string
	Encoding      string
	SizeBytes     int64
	ProjectID     string // empty = unassigned
	SyncedAt      time.Time
}

// DatabaseInfo is what a sync reports for one database.
type DatabaseInfo struct {
	Name      string
	Owner     string
	Encoding  string
	SizeBytes int64
}

func parseTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339, s)
	return t
}

func notFound(kind, id string) error {
	return fmt.Errorf("%s %q: %w", kind, id, ErrNotFound)
}

func cleanName(kind, name string) (string, error) {
	n := strings.TrimSpace(name)
	if n == "" {
		return "", fmt.Errorf("%s name must not be empty: %w", kind, ErrInvalid)
	}
	if len(n) > 200 {
		return "", fmt.Errorf("%s name is longer than 200 characters: %w", kind, ErrInvalid)
	}
	return n, nil
}

// ---- environments ----

// ListEnvironments returns all environments ordered by position.
func (s *Store) ListEnvironments(ctx context.Context) ([]Environment, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, position, protected, rollout FROM environments ORDER BY position, id`)
	if err != nil {
		return nil, fmt.Errorf("list environments: %w", err)
	}
	defer rows.Close()
	var out []Environment
	for rows.Next() {
		var e Environment
		if err := rows.Scan(&e.ID, &e.Name, &e.Position, &e.Protected, &e.Rollout); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// GetEnvironment returns one environment.
func (s *Store) GetEnvironment(ctx context.Context, id string) (Environment, error) {
	var e Environment
	err := s.db.QueryRowContext(ctx, `SELECT id, name, position, protected, rollout FROM environments WHERE id = ?`, id).
		Scan(&e.ID, &e.Name, &e.Position, &e.Protected, &e.Rollout)
	if errors.Is(err, sql.ErrNoRows) {
		return e, notFound("environment", id)
	}
	return e, err
}

// SetEnvironmentProtected marks an environment as production (protected) or not.
func (s *Store) SetEnvironmentProtected(ctx context.Context, id string, protected bool) (Environment, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE environments SET protected = ? WHERE id = ?`, protected, id)
	if err != nil {
		return Environment{}, fmt.Errorf("set environment %s protected: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return Environment{}, notFound("environment", id)
	}
	return s.GetEnvironment(ctx, id)
}

// SetEnvironmentRollout sets an environment's rollout policy: "" (follow
// Production), RolloutAutomatic or RolloutManual.
func (s *Store) SetEnvironmentRollout(ctx context.Context, id, policy string) (Environment, error) {
	switch policy {
	case "", RolloutAutomatic, RolloutManual:
	default:
		return Environment{}, fmt.Errorf("rollout policy %q: use automatic or manual: %w", policy, ErrInvalid)
	}
	res, err := s.db.ExecContext(ctx, `UPDATE environments SET rollout = ? WHERE id = ?`, policy, id)
	if err != nil {
		return Environment{}, fmt.Errorf("set environment %s rollout: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return Environment{}, notFound("environment", id)
	}
	return s.GetEnvironment(ctx, id)
}

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

// Slug turns a name into an id: lower case letters and digits joined by dashes.
func Slug(name string) string {
	s := strings.Trim(nonSlug.ReplaceAllString(strings.ToLower(name), "-"), "-")
	if len(s) > 40 {
		s = strings.TrimRight(s[:40], "-")
	}
	return s
}

// CreateEnvironment adds an environment at the end of the order. Its id is a
// slug of the name (made unique with a numeric suffix).
func (s *Store) CreateEnvironment(ctx context.Context, name string) (Environment, error) {
	n, err := cleanName("environment", name)
	if err != nil {
		return Environment{}, err
	}
	base := Slug(n)
	if base == "" {
		base = "env"
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return Environment{}, err
	}
	defer tx.Rollback()
	id := base
	for i := 2; ; i++ {
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM environments WHERE id = ?`, id).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			break
		}
		if err != nil {
			return Environment{}, err
		}
		id = fmt.Sprintf("%s-%d", base, i)
	}
	var pos int
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(position), -1) + 1 FROM environments`).Scan(&pos); err != nil {
		return Environment{}, err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO environments (id, name, position, protected, created_at) VALUES (?, ?, ?, 0, ?)`, id, n, pos, now())
	if isUnique(err) {
		return Environment{}, fmt.Errorf("an environment named %q %w", n, ErrDuplicate)
	}
	if err != nil {
		return Environment{}, fmt.Errorf("create environment: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return Environment{}, err
	}
	return Environment{ID: id, Name: n, Position: pos}, nil
}

// RenameEnvironment changes an environment's display name (its id stays).
func (s *Store) RenameEnvironment(ctx context.Context, id, name string) (Environment, error) {
	n, err := cleanName("environment", name)
	if err != nil {
		return Environment{}, err
	}
	res, err := s.db.ExecContext(ctx, `UPDATE environments SET name = ? WHERE id = ?`, n, id)
	if isUnique(err) {
		return Environment{}, fmt.Errorf("an environment named %q %w", n, ErrDuplicate)
	}
	if err != nil {
		return Environment{}, fmt.Errorf("rename environment: %w", err)
	}
	if k, _ := res.RowsAffected(); k == 0 {
		return Environment{}, notFound("environment", id)
	}
	return s.GetEnvironment(ctx, id)
}

// ReorderEnvironments sets the order; ids must list every environment exactly once.
func (s *Store) ReorderEnvironments(ctx context.Context, ids []string) ([]Environment, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var total int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM environments`).Scan(&total); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			return nil, fmt.Errorf("reorder environments: %q is listed twice: %w", id, ErrInvalid)
		}
		seen[id] = true
	}
	if len(ids) != total {
		return nil, fmt.Errorf("reorder environments: give all %d environment ids, got %d: %w", total, len(ids), ErrInvalid)
	}
	for i, id := range ids {
		res, err := tx.ExecContext(ctx, `UPDATE environments SET position = ? WHERE id = ?`, i, id)
		if err != nil {
			return nil, err
		}
		if k, _ := res.RowsAffected(); k == 0 {
			return nil, notFound("environment", id)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return s.ListEnvironments(ctx)
}

// ---- instances ----

const instanceCols = `id, name, environment_id, host, port, user_name, database_name, sslmode, password_mode, is_sample, coalesce(last_sync_at, ''), last_error, created_at`

func scanInstance(sc interface{ Scan(...any) error }) (Instance, error) {
	var in Instance
	var mode, synced, created string
	err := sc.Scan(&in.ID, &in.Name, &in.EnvironmentID, &in.Host, &in.Port, &in.User, &in.Database, &in.SSLMode, &mode, &in.IsSample, &synced, &in.LastError, &created)
	in.PasswordMode = PasswordMode(mode)
	in.LastSyncAt = parseTime(synced)
	in.CreatedAt = parseTime(created)
	return in, err
}

// ListInstances returns all instances ordered by name.
func (s *Store) ListInstances(ctx context.Context) ([]Instance, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+instanceCols+` FROM instances ORDER BY name COLLATE NOCASE`)
	if err != nil {
		return nil, fmt.Errorf("list instances: %w", err)
	}
	defer rows.Close()
	var out []Instance
	for rows.Next() {
		in, err := scanInstance(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	return out, rows.Err()
}

// GetInstance returns one instance by id.
func (s *Store) GetInstance(ctx context.Context, id string) (Instance, error) {
	in, err := scanInstance(s.db.QueryRowContext(ctx, `SELECT `+instanceCols+` FROM instances WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return in, notFound("instance", id)
	}
	return in, err
}

// GetInstanceByName returns one instance by name (case-insensitive).
func (s *Store) GetInstanceByName(ctx context.Context, name string) (Instance, error) {
	in, err := scanInstance(s.db.QueryRowContext(ctx, `SELECT `+instanceCols+` FROM instances WHERE name = ? COLLATE NOCASE`, strings.TrimSpace(name)))
	if errors.Is(err, sql.ErrNoRows) {
		return in, fmt.Errorf("no instance named %q: %w", name, ErrNotFound)
	}
	return in, err
}

func (s *Store) checkInstance(ctx context.Context, in *Instance) error {
	n, err := cleanName("instance", in.Name)
	if err != nil {
		return err
	}
	in.Name = n
	in.Host = strings.TrimSpace(in.Host)
	if in.Host == "" {
		return fmt.Errorf("instance %q: host must not be empty: %w", n, ErrInvalid)
	}
	if in.Port < 1 || in.Port > 65535 {
		return fmt.Errorf("instance %q: port %d is out of range (1-65535): %w", n, in.Port, ErrInvalid)
	}
	if strings.TrimSpace(in.User) == "" {
		return fmt.Errorf("instance %q: user must not be empty: %w", n, ErrInvalid)
	}
	if in.SSLMode == "" {
		in.SSLMode = "prefer"
	}
	if in.PasswordMode == "" {
		in.PasswordMode = PasswordNone
	}
	if !in.PasswordMode.Valid() {
		return fmt.Errorf("instance %q: unknown password mode %q: %w", n, in.PasswordMode, ErrInvalid)
	}
	if in.EnvironmentID == "" {
		in.EnvironmentID = "test"
	}
	if _, err := s.GetEnvironment(ctx, in.EnvironmentID); err != nil {
		return fmt.Errorf("instance %q: %w", n, err)
	}
	return nil
}

// CreateInstance registers an instance; its ID is generated. Names are unique
// (case-insensitive): a duplicate is refused with ErrDuplicate.
func (s *Store) CreateInstance(ctx context.Context, in Instance) (Instance, error) {
	if err := s.checkInstance(ctx, &in); err != nil {
		return Instance{}, err
	}
	in.ID = uuid.NewString()
	in.CreatedAt = time.Now().UTC().Truncate(time.Second)
	_, err := s.db.ExecContext(ctx, `INSERT INTO instances (id, name, environment_id, host, port, user_name, database_name, sslmode, password_mode, is_sample, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		in.ID, in.Name, in.EnvironmentID, in.Host, in.Port, in.User, in.Database, in.SSLMode, string(in.PasswordMode), in.IsSample, in.CreatedAt.Format(time.RFC3339))
	if isUnique(err) {
		return Instance{}, fmt.Errorf("an instance named %q %w; choose another name", in.Name, ErrDuplicate)
	}
	if err != nil {
		return Instance{}, fmt.Errorf("create instance %q: %w", in.Name, err)
	}
	return s.GetInstance(ctx, in.ID)
}

// UpdateInstance replaces an instance's settings (not its id, sample flag or sync state).
func (s *Store) UpdateInstance(ctx context.Context, in Instance) (Instance, error) {
	if err := s.checkInstance(ctx, &in); err != nil {
		return Instance{}, err
	}
	res, err := s.db.ExecContext(ctx, `UPDATE instances SET name = ?, environment_id = ?, host = ?, port = ?, user_name = ?, database_name = ?, sslmode = ?, password_mode = ? WHERE id = ?`,
		in.Name, in.EnvironmentID, in.Host, in.Port, in.User, in.Database, in.SSLMode, string(in.PasswordMode), in.ID)
	if isUnique(err) {
		return Instance{}, fmt.Errorf("an instance named %q %w; choose another name", in.Name, ErrDuplicate)
	}
	if err != nil {
		return Instance{}, fmt.Errorf("update instance %q: %w", in.Name, err)
	}
	if k, _ := res.RowsAffected(); k == 0 {
		return Instance{}, notFound("instance", in.ID)
	}
	return s.GetInstance(ctx, in.ID)
}

// DeleteInstance removes an instance and its database records from the
// workspace. It never touches the server.
func (s *Store) DeleteInstance(ctx context.Context, id string) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM instances WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("delete instance: %w", err)
	}
	if k, _ := res.RowsAffected(); k == 0 {
		return notFound("instance", id)
	}
	return nil
}

// SetInstanceSyncError records the outcome of a failed sync or connection check
// (empty msg clears it).
func (s *Store) SetInstanceSyncError(ctx context.Context, id, msg string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE instances SET last_error = ? WHERE id = ?`, msg, id)
	return err
}

// ReplaceDatabases stores the result of a sync: databases no longer on the server
// are removed, new ones added, and existing ones keep their id, project
// assignment and environment override. It also marks the instance synced.
func (s *Store) ReplaceDatabases(ctx context.Context, instanceID string, dbs []DatabaseInfo) ([]Database, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	ts := now()
	res, err := tx.ExecContext(ctx, `UPDATE instances SET last_sync_at = ?, last_error = '' WHERE id = ?`, ts, instanceID)
	if err != nil {
		return nil, fmt.Errorf("sync instance: %w", err)
	}
	if k, _ := res.RowsAffected(); k == 0 {
		return nil, notFound("instance", instanceID)
	}
	keep := make([]any, 0, len(dbs)+1)
	keep = append(keep, instanceID)
	marks := make([]string, 0, len(dbs))
	for _, d := range dbs {
		_, err := tx.ExecContext(ctx, `INSERT INTO databases (id, instance_id, name, owner, encoding, size_bytes, synced_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (instance_id, name) DO UPDATE SET owner = excluded.owner, encoding = excluded.encoding,
				size_bytes = excluded.size_bytes, synced_at = excluded.synced_at`,
			uuid.NewString(), instanceID, d.Name, d.Owner, d.Encoding, d.SizeBytes, ts)
		if err != nil {
			return nil, fmt.Errorf("store database %q: %w", d.Name, err)
		}
		keep = append(keep, d.Name)
		marks = append(marks, "?")
	}
	q := `DELETE FROM databases WHERE instance_id = ?`
	if len(marks) > 0 {
		q += ` AND name NOT IN (` + strings.Join(marks, ",") + `)`
	}
	if _, err := tx.ExecContext(ctx, q, keep...); err != nil {
		return nil, fmt.Errorf("remove vanished databases: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return s.ListDatabases(ctx, DatabaseFilter{InstanceID: instanceID})
}

// ---- databases ----

// DatabaseFilter selects databases; empty fields match everything.
type DatabaseFilter struct {
	InstanceID string
	ProjectID  string
}

const databaseSelect = `SELECT d.id, d.instance_id, i.name, coalesce(d.environment_id, i.environment_id), d.name, d.owner, d.encoding,
	d.size_bytes, coalesce(d.project_id, ''), d.synced_at
	FROM databases d JOIN instances i ON i.id = d.instance_id`

func scanDatabase(sc interface{ Scan(...any) error }) (Database, error) {
	var d Database
	var synced string
	err := sc.Scan(&d.ID, &d.InstanceID, &d.InstanceName, &d.EnvironmentID, &d.Name, &d.Owner, &d.Encoding, &d.SizeBytes, &d.ProjectID, &synced)
	d.SyncedAt = parseTime(synced)
	return d, err
}

// ListDatabases returns databases ordered by instance name, then database name.
func (s *Store) ListDatabases(ctx context.Context, f DatabaseFilter) ([]Database, error) {
	q := databaseSelect + ` WHERE (? = '' OR d.instance_id = ?) AND (? = '' OR d.project_id = ?)
		ORDER BY i.name COLLATE NOCASE, d.name`
	rows, err := s.db.QueryContext(ctx, q, f.InstanceID, f.InstanceID, f.ProjectID, f.ProjectID)
	if err != nil {
		return nil, fmt.Errorf("list databases: %w", err)
	}
	defer rows.Close()
	out := []Database{}
	for rows.Next() {
		d, err := scanDatabase(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// GetDatabase returns one database by id.
func (s *Store) GetDatabase(ctx context.Context, id string) (Database, error) {
	d, err := scanDatabase(s.db.QueryRowContext(ctx, databaseSelect+` WHERE d.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return d, notFound("database", id)
	}
	return d, err
}

// FindDatabase returns the database called name on an instance.
func (s *Store) FindDatabase(ctx context.Context, instanceID, name string) (Database, error) {
	d, err := scanDatabase(s.db.QueryRowContext(ctx, databaseSelect+` WHERE d.instance_id = ? AND d.name = ?`, instanceID, name))
	if errors.Is(err, sql.ErrNoRows) {
		return d, notFound("database", name)
	}
	return d, err
}

// AssignProject puts a database in a project; an empty projectID unassigns it.
// Archived projects take no new databases.
func (s *Store) AssignProject(ctx context.Context, databaseID, projectID string) (Database, error) {
	if projectID != "" {
		p, err := s.GetProject(ctx, projectID)
		if err != nil {
			return Database{}, err
		}
		if p.Archived {
			return Database{}, fmt.Errorf("project %q is archived; unarchive it before assigning databases: %w", p.Name, ErrInvalid)
		}
	}
	res, err := s.db.ExecContext(ctx, `UPDATE databases SET project_id = ? WHERE id = ?`, nullStr(projectID), databaseID)
	if err != nil {
		return Database{}, fmt.Errorf("assign project: %w", err)
	}
	if k, _ := res.RowsAffected(); k == 0 {
		return Database{}, notFound("database", databaseID)
	}
	return s.GetDatabase(ctx, databaseID)
}

// SetDatabaseEnvironment overrides the environment of one database (empty
// envID: back to its instance's environment).
func (s *Store) SetDatabaseEnvironment(ctx context.Context, databaseID, envID string) (Database, error) {
	if envID != "" {
		if _, err := s.GetEnvironment(ctx, envID); err != nil {
			return Database{}, err
		}
	}
	res, err := s.db.ExecContext(ctx, `UPDATE databases SET environment_id = ? WHERE id = ?`, nullStr(envID), databaseID)
	if err != nil {
		return Database{}, fmt.Errorf("set database environment: %w", err)
	}
	if k, _ := res.RowsAffected(); k == 0 {
		return Database{}, notFound("database", databaseID)
	}
	return s.GetDatabase(ctx, databaseID)
}

// ---- projects ----

const projectSelect = `SELECT p.id, p.name, p.archived, p.created_at, p.allow_self_approval,
	(SELECT count(*) FROM databases d WHERE d.project_id = p.id) FROM projects p`

func scanProject(sc interface{ Scan(...any) error }) (Project, error) {
	var p Project
	var created string
	err := sc.Scan(&p.ID, &p.Name, &p.Archived, &created, &p.AllowSelfApproval, &p.DatabaseCount)
	p.CreatedAt = parseTime(created)
	return p, err
}

// ListProjects returns projects ordered by name, with their database counts.
func (s *Store) ListProjects(ctx context.Context, includeArchived bool) ([]Project, error) {
	rows, err := s.db.QueryContext(ctx, projectSelect+` WHERE ? OR NOT p.archived ORDER BY p.name COLLATE NOCASE`, includeArchived)
	if err != nil {
		return nil, fmt.Errorf("list projects: %w", err)
	}
	defer rows.Close()
	out := []Project{}
	for rows.Next() {
		p, err := scanProject(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// GetProject returns one project.
func (s *Store) GetProject(ctx context.Context, id string) (Project, error) {
	p, err := scanProject(s.db.QueryRowContext(ctx, projectSelect+` WHERE p.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return p, notFound("project", id)
	}
	return p, err
}

// GetProjectByName returns one project by name (case-insensitive).
func (s *Store) GetProjectByName(ctx context.Context, name string) (Project, error) {
	p, err := scanProject(s.db.QueryRowContext(ctx, projectSelect+` WHERE p.name = ? COLLATE NOCASE`, strings.TrimSpace(name)))
	if errors.Is(err, sql.ErrNoRows) {
		return p, fmt.Errorf("no project named %q: %w", name, ErrNotFound)
	}
	return p, err
}

// CreateProject adds a project; names are unique (case-insensitive).
func (s *Store) CreateProject(ctx context.Context, name string) (Project, error) {
	n, err := cleanName("project", name)
	if err != nil {
		return Project{}, err
	}
	id := uuid.NewString()
	_, err = s.db.ExecContext(ctx, `INSERT INTO projects (id, name, created_at) VALUES (?, ?, ?)`, id, n, now())
	if isUnique(err) {
		return Project{}, fmt.Errorf("a project named %q %w", n, ErrDuplicate)
	}
	if err != nil {
		return Project{}, fmt.Errorf("create project: %w", err)
	}
	return s.GetProject(ctx, id)
}

// RenameProject changes a project's name.
func (s *Store) RenameProject(ctx context.Context, id, name string) (Project, error) {
	n, err := cleanName("project", name)
	if err != nil {
		return Project{}, err
	}
	res, err := s.db.ExecContext(ctx, `UPDATE projects SET name = ? WHERE id = ?`, n, id)
	if isUnique(err) {
		return Project{}, fmt.Errorf("a project named %q %w", n, ErrDuplicate)
	}
	if err != nil {
		return Project{}, fmt.Errorf("rename project: %w", err)
	}
	if k, _ := res.RowsAffected(); k == 0 {
		return Project{}, notFound("project", id)
	}
	return s.GetProject(ctx, id)
}

// SetProjectArchived archives or unarchives a project. Its databases stay assigned.
func (s *Store) SetProjectArchived(ctx context.Context, id string, archived bool) (Project, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE projects SET archived = ? WHERE id = ?`, archived, id)
	if err != nil {
		return Project{}, fmt.Errorf("archive project: %w", err)
	}
	if k, _ := res.RowsAffected(); k == 0 {
		return Project{}, notFound("project", id)
	}
	return s.GetProject(ctx, id)
}

// SetProjectSelfApproval sets whether an issue's creator may approve it.
func (s *Store) SetProjectSelfApproval(ctx context.Context, id string, allow bool) (Project, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE projects SET allow_self_approval = ? WHERE id = ?`, allow, id)
	if err != nil {
		return Project{}, fmt.Errorf("set project self-approval: %w", err)
	}
	if k, _ := res.RowsAffected(); k == 0 {
		return Project{}, notFound("project", id)
	}
	return s.GetProject(ctx, id)
}

// ---- settings ----

// Setting returns a setting's value and whether it is set.
func (s *Store) Setting(ctx context.Context, key string) (string, bool, error) {
	var v string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("read setting %s: %w", key, err)
	}
	return v, true, nil
}

// SetSetting stores a setting.
func (s *Store) SetSetting(ctx context.Context, key, value string) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	if err != nil {
		return fmt.Errorf("write setting %s: %w", key, err)
	}
	return nil
}

// DeleteSetting removes a setting (absent is fine).
func (s *Store) DeleteSetting(ctx context.Context, key string) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM settings WHERE key = ?`, key)
	return err
}
