package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/tidemark-dev/tidemark/internal/instances"
	"github.com/tidemark-dev/tidemark/internal/pg"
	"github.com/tidemark-dev/tidemark/internal/sample"
	"github.com/tidemark-dev/tidemark/internal/secret"
	"github.com/tidemark-dev/tidemark/internal/version"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// Time limits per kind of call. Connecting has its own 5 s limit inside pg.
const (
	quick       = 30 * time.Second
	syncLimit   = 2 * time.Minute
	sampleLimit = 10 * time.Minute
)

// ---- SystemService ----

// SystemService answers questions about the app itself.
type SystemService struct{ a *App }

// Info returns the version, the workspace path, the keychain state and whether
// this is a first run (no instance registered yet).
func (s *SystemService) Info() (AppInfo, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	list, err := s.a.ws.ListInstances(ctx)
	if err != nil {
		return AppInfo{}, fail(err)
	}
	return AppInfo{
		Version:       version.Version,
		WorkspacePath: s.a.ws.Dir(),
		Keychain:      KeychainInfo{Available: s.a.kcState.Available, Message: s.a.kcState.Message},
		FirstRun:      len(list) == 0,
	}, nil
}

// ---- EnvironmentService ----

// EnvironmentService manages environments.
type EnvironmentService struct{ a *App }

// List returns the environments ordered by position.
func (s *EnvironmentService) List() ([]Environment, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	es, err := s.a.ws.ListEnvironments(ctx)
	if err != nil {
		return nil, fail(err)
	}
	return envsOut(es), nil
}

// Create adds an environment at the end; its id is a slug of the name.
func (s *EnvironmentService) Create(name string) (Environment, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	e, err := s.a.ws.CreateEnvironment(ctx, name)
	if err != nil {
		return Environment{}, fail(err)
	}
	return envOut(e), nil
}

// Rename changes an environment's name (its id stays).
func (s *EnvironmentService) Rename(id, name string) (Environment, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	e, err := s.a.ws.RenameEnvironment(ctx, id, name)
	if err != nil {
		return Environment{}, fail(err)
	}
	return envOut(e), nil
}

// Reorder sets the order; ids must list every environment once.
func (s *EnvironmentService) Reorder(ids []string) ([]Environment, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	es, err := s.a.ws.ReorderEnvironments(ctx, ids)
	if err != nil {
		return nil, fail(err)
	}
	return envsOut(es), nil
}

// SetProtected marks an environment as production (protected) or not:
// production environments need confirmation before a change is applied and
// start from the advanced review policy.
func (s *EnvironmentService) SetProtected(id string, protected bool) (Environment, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	e, err := s.a.ws.SetEnvironmentProtected(ctx, id, protected)
	if err != nil {
		return Environment{}, fail(err)
	}
	return envOut(e), nil
}

// ---- InstanceService ----

// InstanceService manages PostgreSQL instances and their passwords.
type InstanceService struct{ a *App }

func (s *InstanceService) out(ctx context.Context, in workspace.Instance) Instance {
	return Instance{
		ID: in.ID, Name: in.Name, EnvironmentID: in.EnvironmentID, Host: in.Host, Port: in.Port, User: in.User,
		Database: in.Database, SSLMode: in.SSLMode, PasswordMode: string(in.PasswordMode), HasPassword: s.a.conns.HasPassword(ctx, in),
		IsSample: in.IsSample, LastSyncAt: rfc3339(in.LastSyncAt), LastError: in.LastError,
	}
}

// List returns all instances ordered by name.
func (s *InstanceService) List() ([]Instance, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	list, err := s.a.ws.ListInstances(ctx)
	if err != nil {
		return nil, fail(err)
	}
	out := make([]Instance, 0, len(list))
	for _, in := range list {
		out = append(out, s.out(ctx, in))
	}
	return out, nil
}

// ParseURL fills the form from a postgres:// URL or key=value string; the
// error names the bad part (field set).
func (s *InstanceService) ParseURL(url string) (InstanceInput, error) {
	ci, err := pg.ParseURL(url)
	if err != nil {
		return InstanceInput{}, fail(err)
	}
	return InstanceInput{Host: ci.Host, Port: ci.Port, User: ci.User, Password: ci.Password, Database: ci.Database, SSLMode: ci.SSLMode, URL: url}, nil
}

// connInfo reads the connection part of the form (instances.Validate).
func connInfo(in InstanceInput) (pg.ConnInfo, error) {
	return instances.Validate(instances.Fields{URL: in.URL, Host: in.Host, Port: in.Port, User: in.User, Password: in.Password, Database: in.Database, SSLMode: in.SSLMode})
}

// newMode decides where a password goes (or comes from); see secret.Resolver.Choose.
func (s *InstanceService) newMode(ci pg.ConnInfo) (workspace.PasswordMode, secret.Store) {
	mode, store := s.a.resolver.Choose(context.Background(), ci.Password, instances.Target(ci), true)
	return workspace.PasswordMode(mode), store
}

func (s *InstanceService) forget(ctx context.Context, id string) error {
	var errs []error
	if s.a.keychain != nil {
		errs = append(errs, s.a.keychain.Delete(ctx, id))
	}
	errs = append(errs, s.a.session.Delete(ctx, id))
	return errors.Join(errs...)
}

func record(in InstanceInput, ci pg.ConnInfo, mode workspace.PasswordMode) workspace.Instance {
	return workspace.Instance{Name: in.Name, EnvironmentID: in.EnvironmentID, Host: ci.Host, Port: ci.Port, User: ci.User,
		Database: ci.Database, SSLMode: ci.SSLMode, PasswordMode: mode}
}

// Create registers an instance. A password goes to the OS keychain (or to
// memory for this session when no keychain is available); it is never stored
// in the workspace. Duplicate names are refused.
func (s *InstanceService) Create(in InstanceInput) (Instance, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	ci, err := connInfo(in)
	if err != nil {
		return Instance{}, fail(err)
	}
	mode, store := s.newMode(ci)
	inst, err := s.a.ws.CreateInstance(ctx, record(in, ci, mode))
	if err != nil {
		return Instance{}, fail(err)
	}
	if store != nil {
		if err := store.Set(ctx, inst.ID, ci.Password); err != nil {
			_ = s.a.ws.DeleteInstance(ctx, inst.ID)
			return Instance{}, fail(fmt.Errorf("store the password: %w", err))
		}
	}
	s.a.discover(inst.ID)
	return s.out(ctx, inst), nil
}

// Update changes an instance. An empty password with keepPassword keeps the
// stored one; an empty password without it forgets the stored one.
func (s *InstanceService) Update(id string, in InstanceInput) (Instance, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	old, err := s.a.ws.GetInstance(ctx, id)
	if err != nil {
		return Instance{}, fail(err)
	}
	ci, err := connInfo(in)
	if err != nil {
		return Instance{}, fail(err)
	}
	mode := old.PasswordMode
	if ci.Password != "" || !in.KeepPassword {
		var store secret.Store
		mode, store = s.newMode(ci)
		if err := s.forget(ctx, id); err != nil {
			return Instance{}, fail(fmt.Errorf("forget the old password: %w", err))
		}
		if store != nil {
			if err := store.Set(ctx, id, ci.Password); err != nil {
				return Instance{}, fail(fmt.Errorf("store the password: %w", err))
			}
		}
	}
	rec := record(in, ci, mode)
	rec.ID = id
	inst, err := s.a.ws.UpdateInstance(ctx, rec)
	if err != nil {
		return Instance{}, fail(err)
	}
	s.a.pools.Close(id)
	return s.out(ctx, inst), nil
}

// Remove deletes the instance, its database records and its stored password
// from Tidemark. It never connects to the server, let alone changes it.
func (s *InstanceService) Remove(id string) error {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	if err := s.a.ws.DeleteInstance(ctx, id); err != nil {
		return fail(err)
	}
	s.a.pools.Close(id)
	if err := s.forget(ctx, id); err != nil {
		return fail(fmt.Errorf("the instance was removed, but its password could not be deleted from the keychain: %w", err))
	}
	return nil
}

func result(info pg.ServerInfo) ConnectionResult {
	return ConnectionResult{ServerVersion: info.Version, ServerVersionNum: info.VersionNum, LatencyMs: ms(info.Latency)}
}

// TestConnection checks an unsaved form. With an empty password it uses the
// stored password of instance in.ID when keepPassword is set, else ~/.pgpass
// or PGPASSWORD when they have one (as psql would).
func (s *InstanceService) TestConnection(in InstanceInput) (ConnectionResult, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	ci, err := connInfo(in)
	if err != nil {
		return ConnectionResult{}, fail(err)
	}
	if ci.Password == "" {
		t := instances.Target(ci)
		if in.KeepPassword && in.ID != "" {
			if old, err := s.a.ws.GetInstance(ctx, in.ID); err == nil {
				ci.Password, _, _ = s.a.resolver.Password(ctx, string(old.PasswordMode), old.ID, t)
			}
		} else if mode, _ := s.newMode(ci); mode != workspace.PasswordNone {
			ci.Password, _, _ = s.a.resolver.Password(ctx, string(mode), "", t)
		}
	}
	cfg, err := pg.Config(ci)
	if err != nil {
		return ConnectionResult{}, fail(err)
	}
	info, err := pg.TestConnection(ctx, cfg)
	if err != nil {
		return ConnectionResult{}, fail(err)
	}
	return result(info), nil
}

// TestSaved checks a saved instance and records the outcome on it (lastError).
func (s *InstanceService) TestSaved(id string) (ConnectionResult, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	in, err := s.a.ws.GetInstance(ctx, id)
	if err != nil {
		return ConnectionResult{}, fail(err)
	}
	info, err := s.a.conns.Test(ctx, in)
	if err != nil {
		return ConnectionResult{}, fail(err)
	}
	return result(info), nil
}

// Sync lists the server's databases and stores them (keeping project
// assignments of those still there). It emits "progress" events with id
// "sync-<instance id>".
func (s *InstanceService) Sync(id string) ([]Database, error) {
	ctx, cancel := s.a.call(syncLimit)
	defer cancel()
	in, err := s.a.ws.GetInstance(ctx, id)
	if err != nil {
		return nil, fail(err)
	}
	p := Progress{ID: "sync-" + id, Title: "Syncing " + in.Name, Total: 3}
	step := func(name string, done int) {
		p.Step, p.Done = name, done
		s.a.progress(p)
	}
	step("Connecting and listing databases", 0)
	dbs, err := s.a.conns.SyncDatabases(ctx, in, instances.Pooled(s.a.pools, id))
	if err != nil {
		p.Finished, p.Error = true, oneLine(err)
		s.a.progress(p)
		return nil, fail(err)
	}
	p.Step, p.Done, p.Finished = "Done", 3, true
	s.a.progress(p)
	return dbsOut(dbs), nil
}

// ---- DatabaseService ----

// DatabaseService lists databases and assigns them to projects.
type DatabaseService struct{ a *App }

// List returns the databases of one instance, or of all when instanceID is empty.
func (s *DatabaseService) List(instanceID string) ([]Database, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	ds, err := s.a.ws.ListDatabases(ctx, workspace.DatabaseFilter{InstanceID: instanceID})
	if err != nil {
		return nil, fail(err)
	}
	return dbsOut(ds), nil
}

// AssignProject puts a database in a project (empty projectID: unassign).
func (s *DatabaseService) AssignProject(databaseID, projectID string) (Database, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	d, err := s.a.ws.AssignProject(ctx, databaseID, projectID)
	if err != nil {
		return Database{}, fail(err)
	}
	return dbOut(d), nil
}

// ---- ProjectService ----

// ProjectService manages projects.
type ProjectService struct{ a *App }

// List returns projects by name, with their database counts.
func (s *ProjectService) List(includeArchived bool) ([]Project, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	ps, err := s.a.ws.ListProjects(ctx, includeArchived)
	if err != nil {
		return nil, fail(err)
	}
	out := make([]Project, 0, len(ps))
	for _, p := range ps {
		out = append(out, projectOut(p))
	}
	return out, nil
}

// Create adds a project (names are unique, case-insensitive).
func (s *ProjectService) Create(name string) (Project, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	p, err := s.a.ws.CreateProject(ctx, name)
	if err != nil {
		return Project{}, fail(err)
	}
	return projectOut(p), nil
}

// Rename changes a project's name.
func (s *ProjectService) Rename(id, name string) (Project, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	p, err := s.a.ws.RenameProject(ctx, id, name)
	if err != nil {
		return Project{}, fail(err)
	}
	return projectOut(p), nil
}

// Archive hides a project from the default list; its databases stay assigned.
func (s *ProjectService) Archive(id string) (Project, error) { return s.setArchived(id, true) }

// Unarchive brings an archived project back.
func (s *ProjectService) Unarchive(id string) (Project, error) { return s.setArchived(id, false) }

func (s *ProjectService) setArchived(id string, v bool) (Project, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	p, err := s.a.ws.SetProjectArchived(ctx, id, v)
	if err != nil {
		return Project{}, fail(err)
	}
	return projectOut(p), nil
}

// Databases returns the databases assigned to a project.
func (s *ProjectService) Databases(id string) ([]Database, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	if _, err := s.a.ws.GetProject(ctx, id); err != nil {
		return nil, fail(err)
	}
	ds, err := s.a.ws.ListDatabases(ctx, workspace.DatabaseFilter{ProjectID: id})
	if err != nil {
		return nil, fail(err)
	}
	return dbsOut(ds), nil
}

// ---- SampleService ----

// SampleService runs the sample instance.
type SampleService struct{ a *App }

// Status says whether the sample can run here, and whether it is running.
func (s *SampleService) Status() (SampleStatus, error) {
	ctx, cancel := s.a.call(quick)
	defer cancel()
	st, err := s.a.sample.Status(ctx)
	if err != nil {
		return SampleStatus{}, fail(err)
	}
	return sampleOut(st), nil
}

// Start creates (first time) or restarts the sample cluster, fills hr_test and
// hr_prod, and registers instance "Sample", its databases and project "HR".
// It emits "progress" events with id "sample-start".
func (s *SampleService) Start() (SampleStatus, error) {
	ctx, cancel := s.a.call(sampleLimit)
	defer cancel()
	p := Progress{ID: "sample-start", Title: "Starting the sample instance"}
	st, err := s.a.sample.Start(ctx, func(sp sample.Progress) {
		p.Step, p.Done, p.Total = sp.Step, sp.Done, sp.Total
		s.a.progress(p)
	})
	p.Finished = true
	if err != nil {
		p.Error = userError(err).Message
		s.a.progress(p)
		return sampleOut(st), fail(err)
	}
	s.a.progress(p)
	s.a.discoverSample(ctx)
	return sampleOut(st), nil
}

// Stop stops the sample server.
func (s *SampleService) Stop() (SampleStatus, error) {
	ctx, cancel := s.a.call(2 * time.Minute)
	defer cancel()
	st, err := s.a.sample.Stop(ctx)
	if err != nil {
		return sampleOut(st), fail(err)
	}
	return sampleOut(st), nil
}
