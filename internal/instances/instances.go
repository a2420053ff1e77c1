// Package instances turns the workspace's registered instances and databases
// into connections: it validates instance fields, finds each instance's
// password (secret.Resolver) and opens connections through pg.Connect. It is
// the adapter between internal/workspace and internal/pg, shared by the
// desktop app, the CLI and every use-case that reaches a database.
package instances

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/tidemark-dev/tidemark/internal/pg"
	"github.com/tidemark-dev/tidemark/internal/secret"
	"github.com/tidemark-dev/tidemark/internal/usererr"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// ConnInfo is the connection info of a workspace instance with its password.
func ConnInfo(in workspace.Instance, password string) pg.ConnInfo {
	return pg.ConnInfo{Host: in.Host, Port: in.Port, User: in.User, Password: password, Database: in.Database, SSLMode: in.SSLMode}
}

// Target is the secret lookup key (host, port, database, user) of ci.
func Target(ci pg.ConnInfo) secret.Target {
	return secret.Target{Host: ci.Host, Port: ci.Port, Database: ci.Database, User: ci.User}
}

// Fields are an instance's connection fields as a form or command line
// gives them: either a URL (which then supplies every field) or the fields.
type Fields struct {
	URL      string
	Host     string
	Port     int // 0: 5432
	User     string
	Password string
	Database string
	SSLMode  string // empty: prefer
}

// Validate checks an instance's connection fields and returns them as
// connection info (defaults filled in). These are the rules of every face;
// the desktop form mirrors them for instant feedback. Errors are
// *usererr.Error naming the field.
func Validate(f Fields) (pg.ConnInfo, error) {
	if f.URL != "" {
		// A URL supplies the fields, and is held to the same rules.
		ci, err := pg.ParseURL(f.URL)
		if err != nil {
			return ci, err
		}
		if _, err := pg.Config(ci); err != nil {
			return ci, err
		}
		return ci, nil
	}
	ci := pg.ConnInfo{Host: strings.TrimSpace(f.Host), Port: f.Port, User: strings.TrimSpace(f.User), Password: f.Password,
		Database: f.Database, SSLMode: strings.TrimSpace(f.SSLMode)}
	if ci.Port == 0 {
		ci.Port = 5432
	}
	if ci.SSLMode == "" {
		ci.SSLMode = "prefer"
	}
	if _, err := pg.Config(ci); err != nil {
		return ci, err
	}
	return ci, nil
}

// Connector finds the connection of a saved instance or database.
type Connector struct {
	WS      *workspace.Store
	Secrets *secret.Resolver
}

// Info returns the connection info of a saved instance with its password.
// An instance whose password should be in the keychain or the session but
// is not there is an error saying what to do.
func (c *Connector) Info(ctx context.Context, in workspace.Instance) (pg.ConnInfo, error) {
	ci := ConnInfo(in, "")
	pw, found, err := c.password(ctx, in)
	if err != nil {
		return pg.ConnInfo{}, &usererr.Error{Message: fmt.Sprintf("instance %q: %v", in.Name, err), Field: "password", Err: err}
	}
	if !found && (in.PasswordMode == workspace.PasswordKeychain || in.PasswordMode == workspace.PasswordSession) {
		return pg.ConnInfo{}, &usererr.Error{Field: "password",
			Message: fmt.Sprintf("no password for instance %q in %s; edit the instance and enter it", in.Name, secret.Describe(string(in.PasswordMode)))}
	}
	ci.Password = pw
	return ci, nil
}

// HasPassword reports whether a password for the instance can be found.
func (c *Connector) HasPassword(ctx context.Context, in workspace.Instance) bool {
	_, found, _ := c.password(ctx, in)
	return found
}

// password looks up the instance's password by its mode. Without a session
// store (the CLI) a password kept for a desktop session is not found.
func (c *Connector) password(ctx context.Context, in workspace.Instance) (string, bool, error) {
	if in.PasswordMode == workspace.PasswordSession && c.Secrets.Session == nil {
		return "", false, nil
	}
	return c.Secrets.Password(ctx, string(in.PasswordMode), in.ID, Target(ConnInfo(in, "")))
}

// Config returns the pgx configuration of a saved instance.
func (c *Connector) Config(ctx context.Context, in workspace.Instance) (*pgx.ConnConfig, pg.ConnInfo, error) {
	ci, err := c.Info(ctx, in)
	if err != nil {
		return nil, ci, err
	}
	cfg, err := pg.Config(ci)
	return cfg, ci, err
}

// Database is a database of the workspace with its instance and connection info.
type Database struct {
	DB       workspace.Database
	Instance workspace.Instance
	Info     pg.ConnInfo
}

// Label names the database for messages: "hr_prod on Sample".
func (d Database) Label() string { return d.DB.Name + " on " + d.Instance.Name }

// Config returns the pgx configuration of the database.
func (d Database) Config() (*pgx.ConnConfig, error) { return pg.Config(d.Info) }

// Database looks up a workspace database and its connection info.
func (c *Connector) Database(ctx context.Context, databaseID string) (Database, error) {
	db, err := c.WS.GetDatabase(ctx, databaseID)
	if err != nil {
		return Database{}, err
	}
	in, err := c.WS.GetInstance(ctx, db.InstanceID)
	if err != nil {
		return Database{}, fmt.Errorf("database %s: %w", db.Name, err)
	}
	ci, err := c.Info(ctx, in)
	if err != nil {
		return Database{}, err
	}
	ci.Database = db.Name
	return Database{DB: db, Instance: in, Info: ci}, nil
}

// Connect opens a connection of its own to the database (closed by the
// caller: an idle pooled connection would keep the user from dropping it).
// Errors name the database and keep the SQLSTATE.
func (d Database) Connect(ctx context.Context) (*pgx.Conn, error) {
	cfg, err := d.Config()
	if err != nil {
		return nil, err
	}
	conn, err := pg.Connect(ctx, cfg)
	if err != nil {
		return nil, usererr.Wrap(fmt.Sprintf("connect to %s: ", d.Label()), err)
	}
	return conn, nil
}

// Opener opens what listing queries run on for a server (a pool the caller
// keeps); nil opens a connection of its own and closes it.
type Opener func(ctx context.Context, cfg *pgx.ConnConfig) (pg.Querier, error)

// Pooled opens listing queries on pools' pool for instance id.
func Pooled(pools *pg.Pools, id string) Opener {
	return func(ctx context.Context, cfg *pgx.ConnConfig) (pg.Querier, error) { return pools.Get(ctx, id, cfg) }
}

// SyncDatabases lists the databases on the instance's server and stores
// them in the workspace, keeping the project assignments of those still
// there. A failure is recorded on the instance (its last error).
func (c *Connector) SyncDatabases(ctx context.Context, in workspace.Instance, open Opener) ([]workspace.Database, error) {
	dbs, err := c.syncDatabases(ctx, in, open)
	if err != nil {
		_ = c.WS.SetInstanceSyncError(context.WithoutCancel(ctx), in.ID, usererr.From(err).Error())
		return nil, err
	}
	return dbs, nil
}

func (c *Connector) syncDatabases(ctx context.Context, in workspace.Instance, open Opener) ([]workspace.Database, error) {
	cfg, ci, err := c.Config(ctx, in)
	if err != nil {
		return nil, err
	}
	var infos []pg.DatabaseInfo
	if open != nil {
		q, err := open(ctx, cfg)
		if err != nil {
			return nil, err
		}
		infos, err = pg.ListDatabasesWith(ctx, q, ci)
		if err != nil {
			return nil, err
		}
	} else if infos, err = pg.ListDatabases(ctx, cfg); err != nil {
		return nil, err
	}
	return SaveDatabases(ctx, c.WS, in.ID, infos)
}

// SaveDatabases stores the databases found on an instance's server (see
// workspace.ReplaceDatabases, which also marks the instance synced).
func SaveDatabases(ctx context.Context, ws *workspace.Store, instanceID string, infos []pg.DatabaseInfo) ([]workspace.Database, error) {
	found := make([]workspace.DatabaseInfo, 0, len(infos))
	for _, d := range infos {
		found = append(found, workspace.DatabaseInfo{Name: d.Name, Owner: d.Owner, Encoding: d.Encoding, SizeBytes: d.SizeBytes})
	}
	return ws.ReplaceDatabases(ctx, instanceID, found)
}

// Test checks a saved instance (connect, read the version) and records the
// outcome on it (its last error).
func (c *Connector) Test(ctx context.Context, in workspace.Instance) (pg.ServerInfo, error) {
	cfg, _, err := c.Config(ctx, in)
	var info pg.ServerInfo
	if err == nil {
		info, err = pg.TestConnection(ctx, cfg)
	}
	msg := ""
	if err != nil {
		msg = usererr.From(err).Error()
	}
	_ = c.WS.SetInstanceSyncError(context.WithoutCancel(ctx), in.ID, msg)
	return info, err
}
