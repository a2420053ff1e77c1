// Package app is the desktop adapter: the services bound to the Vue frontend
// through Wails (see notes in docs/workspace.md and the binding contract). It
// holds no business rules; every method converts between JSON-friendly types
// and the internal packages (workspace, pg, secret, sample).
//
// Wails exposes every exported method of a bound struct, so the lifecycle
// (Startup, Shutdown) lives on App, which is not bound; Services returns the
// bound service pointers.
package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/tidemark-dev/tidemark/internal/anomaly"
	"github.com/tidemark-dev/tidemark/internal/change"
	"github.com/tidemark-dev/tidemark/internal/compare"
	"github.com/tidemark-dev/tidemark/internal/gitops"
	"github.com/tidemark-dev/tidemark/internal/instances"
	"github.com/tidemark-dev/tidemark/internal/livereview"
	"github.com/tidemark-dev/tidemark/internal/monitor"
	"github.com/tidemark-dev/tidemark/internal/pg"
	"github.com/tidemark-dev/tidemark/internal/query"
	"github.com/tidemark-dev/tidemark/internal/review"
	"github.com/tidemark-dev/tidemark/internal/sample"
	"github.com/tidemark-dev/tidemark/internal/schemasync"
	"github.com/tidemark-dev/tidemark/internal/secret"
	"github.com/tidemark-dev/tidemark/internal/usererr"
	"github.com/tidemark-dev/tidemark/internal/workflow"
	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// KeychainName is the service name Tidemark's passwords are stored under.
const KeychainName = "tidemark"

// Keychain is the OS keychain as the app uses it (secret.Keychain satisfies it).
type Keychain interface {
	secret.Store
	Probe(ctx context.Context) secret.Availability
}

// Options configure New.
type Options struct {
	// WorkspaceDir is the workspace directory (created when absent).
	WorkspaceDir string
	// Keychain overrides the OS keychain (tests); nil: secret.NewKeychain("tidemark").
	Keychain Keychain
	// Getenv reads PGPASSWORD, PGPASSFILE and HOME; nil: os.Getenv.
	Getenv func(string) string
	// Emit receives events instead of the Wails runtime (tests); nil: Wails,
	// once Startup has given the app its context.
	Emit func(name string, payload any)
	// SampleFallbackBase overrides where the sample cluster goes when root cannot
	// hand the workspace to the postgres user (tests); empty: /var/lib/tidemark.
	SampleFallbackBase string
}

// StartupError is returned by New when the app cannot open its workspace: another
// window holds it, it was written by a newer Tidemark, or the file is unreadable.
// Its Error() is a plain sentence for a dialog or stderr.
type StartupError struct {
	Message string
	Err     error
}

func (e *StartupError) Error() string { return e.Message }
func (e *StartupError) Unwrap() error { return e.Err }

// App owns the workspace, the secret stores, the connection pools and the
// sample instance for one desktop window.
type App struct {
	ws       *workspace.Store
	keychain Keychain // nil when unavailable
	kcState  secret.Availability
	session  *secret.Session
	resolver *secret.Resolver
	pools    *pg.Pools
	sample   *sample.Manager
	emitHook func(string, any)

	// the use-cases, shared with the CLI
	conns    *instances.Connector
	syncer   *schemasync.Syncer
	changes  *change.Service
	comparer *compare.Comparer
	reviewer *livereview.Reviewer
	workflow *workflow.Service
	monitor  *monitor.Monitor
	anomaly  *anomaly.Center
	watcher  *gitops.Watcher
	latest   *gitops.LatestWriter
	poller   *gitops.Poller

	mu  sync.Mutex
	ctx context.Context // the Wails context, set by Startup
	// monitoring: the periodic sync runs (set by Startup)
	monitoring bool
	shutdown   sync.Once
	// work is the background work (checks, rollouts, reconciling): stop
	// cancels it on shutdown, and Shutdown waits for it to record what it
	// did before the workspace closes.
	work     sync.WaitGroup
	workCtx  context.Context
	stopWork context.CancelFunc

	system       *SystemService
	environments *EnvironmentService
	instances    *InstanceService
	databases    *DatabaseService
	projects     *ProjectService
	samples      *SampleService
	compare      *CompareService
	reviews      *ReviewService
	schema       *SchemaService
	schemaEdit   *SchemaEditService
	history      *HistoryService
	issues       *IssueService
	query        *QueryService
	risk         *RiskService
	monitorSvc   *MonitorService
	anomalies    *AnomalyService
	gitopsSvc    *GitOpsService
}

// New opens the workspace with the single-instance lock and probes the keychain.
func New(o Options) (*App, error) {
	ctx := context.Background()
	ws, err := workspace.Open(ctx, o.WorkspaceDir, workspace.OpenOptions{Exclusive: true})
	if err != nil {
		return nil, &StartupError{Message: err.Error(), Err: err}
	}
	a := &App{ws: ws, session: secret.NewSession(), pools: pg.NewPools(), emitHook: o.Emit}
	kc := o.Keychain
	if kc == nil {
		kc = secret.NewKeychain(KeychainName)
	}
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	a.kcState = kc.Probe(pctx)
	cancel()
	if a.kcState.Available {
		a.keychain = kc
	} else {
		a.kcState.Message += "; passwords you enter are kept in memory for this session only — or put them in ~/.pgpass or PGPASSWORD"
	}
	a.resolver = &secret.Resolver{Session: a.session, Getenv: o.Getenv}
	if a.keychain != nil {
		a.resolver.Keychain = a.keychain
	}
	so := sample.Options{Workspace: ws, Secrets: a.session, PasswordMode: workspace.PasswordSession, FallbackBase: o.SampleFallbackBase}
	if a.keychain != nil {
		so.Secrets, so.PasswordMode = a.keychain, workspace.PasswordKeychain
	}
	a.sample = sample.New(so)
	a.conns = &instances.Connector{WS: ws, Secrets: a.resolver}
	a.syncer = schemasync.New(ws, a.conns)
	a.changes = change.New(ws, a.conns, a.syncer)
	a.comparer = &compare.Comparer{WS: ws, Conns: a.conns, Sync: a.syncer, Scratch: compare.WorkspaceScratch(ws, a.conns, a.sample.Running)}
	reg := review.NewRegistry()
	a.reviewer = livereview.New(reg, ws, a.conns, a.syncer)
	a.system = &SystemService{a: a}
	a.environments = &EnvironmentService{a: a}
	a.instances = &InstanceService{a: a}
	a.databases = &DatabaseService{a: a}
	a.projects = &ProjectService{a: a}
	a.samples = &SampleService{a: a}
	a.schema = &SchemaService{a: a}
	a.schemaEdit = &SchemaEditService{a: a}
	a.reviews = &ReviewService{a: a, reg: reg}
	a.compare = &CompareService{a: a}
	a.history = &HistoryService{a: a}
	a.workCtx, a.stopWork = context.WithCancel(context.Background())
	a.workflow = workflow.New(workflow.Deps{WS: ws, Conns: a.conns, Sync: a.syncer, Changes: a.changes, Reviewer: a.reviewer,
		Scratch: compare.WorkspaceScratch(ws, a.conns, a.sample.Running), Compare: a.comparer, Source: workspace.SourceUI})
	a.workflow.Notify = a.issueEvent
	a.issues = &IssueService{a: a}
	a.anomaly = &anomaly.Center{WS: ws, Conns: a.conns, Sync: a.syncer, Changes: a.changes}
	a.monitor = monitor.New(monitor.Deps{WS: ws, Conns: a.conns, Sync: a.syncer,
		Open: func(id string) instances.Opener { return instances.Pooled(a.pools, id) }, AfterSync: a.anomaly.AfterSync, Notify: a.syncEvent})
	a.monitorSvc = &MonitorService{a: a}
	a.anomalies = &AnomalyService{a: a}
	a.query = &QueryService{a: a, ed: query.NewEditor(ws, a.conns)}
	a.risk = &RiskService{a: a}
	// GitOps: tokens in the keychain (this session's memory without one);
	// a schema change rolled out on a linked project writes LATEST back
	var tokens secret.Store = a.session
	if a.keychain != nil {
		tokens = a.keychain
	}
	getenv := o.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	creds := &gitops.Credentials{Secrets: tokens, Getenv: getenv}
	a.latest = &gitops.LatestWriter{WS: ws, Conns: a.conns, Creds: creds}
	a.workflow.AfterTask = a.latest.AfterTask(a.workflow, anomaly.NewStore(ws))
	a.watcher = &gitops.Watcher{WS: ws, WF: a.workflow, ReposDir: filepath.Join(ws.Dir(), "repos"), Creds: creds,
		Anomalies: anomaly.NewStore(ws), AfterChange: gitops.CheckThenAdvance(a.workflow)}
	a.poller = &gitops.Poller{W: a.watcher, Notify: a.gitopsEvent}
	a.gitopsSvc = &GitOpsService{a: a}
	return a, nil
}

// Startup keeps the Wails context for events. Wire it to options.App.OnStartup.
func (a *App) Startup(ctx context.Context) {
	a.mu.Lock()
	a.ctx = ctx
	a.mu.Unlock()
	a.goWork(func(ctx context.Context) { a.reconcileIssues(ctx) })
	a.startMonitor()
	a.goWork(func(ctx context.Context) { a.poller.Run(ctx) })
}

// goWork runs fn in the background as work Shutdown cancels and waits for.
func (a *App) goWork(fn func(ctx context.Context)) {
	a.work.Add(1)
	go func() {
		defer a.work.Done()
		fn(a.workCtx)
	}()
}

// workGrace bounds how long Shutdown waits for cancelled background work to
// record its outcome (a cancelled task is recorded as failed, and can be
// retried; one that cannot record is settled by the next start).
const workGrace = 30 * time.Second

// Shutdown stops the sample server, closes the pools and the workspace, and
// releases the single-instance lock. Wire it to options.App.OnShutdown.
// Later calls do nothing.
func (a *App) Shutdown(ctx context.Context) {
	a.shutdown.Do(func() { a.close(ctx) })
}

func (a *App) close(ctx context.Context) {
	if ctx == nil {
		ctx = context.Background()
	}
	a.stopWork()
	done := make(chan struct{})
	go func() { a.work.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(workGrace):
		fmt.Fprintln(os.Stderr, "tidemark: background work did not stop in time; the next start settles it")
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	if a.sample.Running(sctx) {
		if _, err := a.sample.Stop(sctx); err != nil {
			fmt.Fprintln(os.Stderr, "tidemark: stop the sample instance:", err)
		}
	}
	if err := a.query.ed.Close(sctx); err != nil {
		fmt.Fprintln(os.Stderr, "tidemark: close the SQL editor sessions:", err)
	}
	a.pools.CloseAll()
	if err := a.ws.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "tidemark: close the workspace:", err)
	}
}

// Services returns the structs to bind (options.App.Bind).
func (a *App) Services() []any {
	return []any{a.system, a.environments, a.instances, a.databases, a.projects, a.samples, a.compare, a.reviews, a.schema, a.history, a.issues, a.monitorSvc, a.query, a.risk, a.schemaEdit, a.anomalies, a.gitopsSvc}
}

// System, Environments, ... give Go callers (tests, other adapters) the services.
func (a *App) System() *SystemService            { return a.system }
func (a *App) Environments() *EnvironmentService { return a.environments }
func (a *App) Instances() *InstanceService       { return a.instances }
func (a *App) Databases() *DatabaseService       { return a.databases }
func (a *App) Projects() *ProjectService         { return a.projects }
func (a *App) Sample() *SampleService            { return a.samples }
func (a *App) Schema() *SchemaService            { return a.schema }
func (a *App) Review() *ReviewService            { return a.reviews }
func (a *App) Compare() *CompareService          { return a.compare }
func (a *App) History() *HistoryService          { return a.history }
func (a *App) Issues() *IssueService             { return a.issues }
func (a *App) Monitor() *MonitorService          { return a.monitorSvc }
func (a *App) Query() *QueryService              { return a.query }
func (a *App) Risk() *RiskService                { return a.risk }
func (a *App) SchemaEdit() *SchemaEditService    { return a.schemaEdit }
func (a *App) Anomalies() *AnomalyService        { return a.anomalies }
func (a *App) GitOps() *GitOpsService            { return a.gitopsSvc }

// base is the context service calls derive from: the Wails one when running.
func (a *App) base() context.Context {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.ctx != nil {
		return a.ctx
	}
	return context.Background()
}

func (a *App) call(d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(a.base(), d)
}

// emit sends an event to the UI: through the hook when set, through the Wails
// runtime when Startup gave us a Wails context, otherwise nowhere (so services
// run in plain Go tests without Wails).
func (a *App) emit(name string, payload any) {
	if a.emitHook != nil {
		a.emitHook(name, payload)
		return
	}
	a.mu.Lock()
	ctx := a.ctx
	a.mu.Unlock()
	if ctx == nil || ctx.Value("events") == nil {
		return
	}
	runtime.EventsEmit(ctx, name, payload)
}

// Progress is the payload of the "progress" event.
type Progress struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	Step     string `json:"step"`
	Done     int    `json:"done"`
	Total    int    `json:"total"`
	Finished bool   `json:"finished"`
	Error    string `json:"error"`
}

func (a *App) progress(p Progress) { a.emit("progress", p) }

// wireError carries a *usererr.Error to the frontend. Wails hands the
// frontend Error(), so it is JSON:
// {"message":"...","sqlstate":"28P01","detail":"...","hint":"...","field":"port"}
// with empty fields omitted; src/api/errors.ts parses it back.
type wireError struct{ e *usererr.Error }

func (w *wireError) Error() string {
	b, err := json.Marshal(struct {
		Message  string `json:"message"`
		SQLState string `json:"sqlstate,omitempty"`
		Detail   string `json:"detail,omitempty"`
		Hint     string `json:"hint,omitempty"`
		Field    string `json:"field,omitempty"`
	}{w.e.Message, w.e.SQLState, w.e.Detail, w.e.Hint, w.e.Field})
	if err != nil {
		return w.e.Message
	}
	return string(b)
}

// Unwrap returns the user error (errors.As finds it, and its chain).
func (w *wireError) Unwrap() error { return w.e }

// userError converts any error from the internal packages.
func userError(err error) *usererr.Error {
	var w *wireError
	if errors.As(err, &w) {
		return w.e
	}
	ue := usererr.From(err)
	if ue.Field == "" && errors.Is(err, workspace.ErrDuplicate) {
		c := *ue
		c.Field = "name"
		return &c
	}
	return ue
}

// fail returns err for the frontend (nil stays nil).
func fail(err error) error {
	if err == nil {
		return nil
	}
	return &wireError{e: userError(err)}
}

// oneLine renders an error as one line for lastError and progress events:
// the message and the SQLSTATE.
func oneLine(err error) string { return userError(err).Error() }
