package gitops

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/migrate"
	"github.com/tidemark-dev/tidemark/internal/pg"
	"github.com/tidemark-dev/tidemark/internal/review"
	"github.com/tidemark-dev/tidemark/internal/scratch"
	"github.com/tidemark-dev/tidemark/internal/sqlparse"
	"github.com/tidemark-dev/tidemark/internal/usererr"
)

// Rule ids of the findings the pull-request check adds to the SQL review's.
const (
	RuleName         = "gitops-name"              // the file name does not parse
	RuleDuplicate    = "gitops-version-duplicate" // two files of a database share a version
	RuleOrder        = "gitops-version-order"     // a new version below the base branch's highest
	RuleModified     = "gitops-modified-base"     // a file already on the base branch changed
	RuleDeleted      = "gitops-deleted-base"      // a file on the base branch was deleted
	RuleDryRun       = "dry-run"                  // the file fails on a scratch copy of the schema
	RuleDryRunNotRun = "dry-run-not-run"          // no scratch server, or the basis did not load
	RuleSyntax       = "syntax-error"             // the SQL does not parse
)

// RuleTitles are the titles of the check's own rules (for SARIF).
var RuleTitles = map[string]string{
	RuleName:         "Migration file name does not parse",
	RuleDuplicate:    "Duplicate migration version",
	RuleOrder:        "Migration version below the base branch's highest",
	RuleModified:     "Migration file already on the base branch changed",
	RuleDeleted:      "Migration file on the base branch deleted",
	RuleDryRun:       "Migration fails on a copy of the schema",
	RuleDryRunNotRun: "Dry run not run",
	RuleSyntax:       "SQL does not parse",
}

// CheckRequest asks for the pull-request checks of a repository.
type CheckRequest struct {
	// Repo is the repository's working directory (its tidemark.yaml, when
	// present, is read from HEAD's tree).
	Repo string
	// Base is the revision the pull request goes into (default: the
	// configured branch, as origin/<branch> when that exists).
	Base string
	// Head is the revision checked (default HEAD).
	Head string
	// LiveURL, when set, is the database whose live schema the dry run
	// starts from (one database per check).
	LiveURL string
	// Latest, when set, is the schema the dry run starts from instead of the
	// base branch's LATEST file (one database per check); LatestName names
	// it in messages.
	Latest, LatestName string
	// Scratch finds the server where scratch databases are created; nil or
	// an error: the dry run is not run (a warning says why).
	Scratch func(context.Context) (scratch.Server, error)
	// AllowOutOfOrder accepts versions below the base branch's highest
	// (also set by tidemark.yaml's allowOutOfOrder).
	AllowOutOfOrder bool
	// Registry holds the review rules (nil: review.NewRegistry()).
	Registry *review.Registry
}

// Finding is one problem the check reports, in the shape of `tidemark
// review`'s advice.
type Finding struct {
	File      string          `json:"file"`
	Line      int             `json:"line"`
	Column    int             `json:"column"`
	Level     review.Level    `json:"level"`
	Rule      string          `json:"rule"`
	Title     string          `json:"title"`
	Message   string          `json:"message"`
	Statement *review.Span    `json:"statement,omitempty"`
	Rewrite   *review.Rewrite `json:"rewrite,omitempty"`
}

// CheckedFile is a migration file the pull request adds or changes.
type CheckedFile struct {
	File
	Action string `json:"action"`
	// From is the old path of a renamed file.
	From string `json:"from,omitempty"`
	// Policy is the review policy the file was reviewed with.
	Policy string `json:"policy,omitempty"`
	// DryRun is "passed", "failed", "skipped" (an earlier file of the
	// database failed) or "not run".
	DryRun string `json:"dryRun"`
	// blocked is set when the file's name or place in history is wrong
	// (duplicate version, a changed file of the base): it is neither
	// reviewed nor dry-run, since neither would mean anything.
	blocked bool
}

// DatabaseCheck is what the dry run of one database started from.
type DatabaseCheck struct {
	Environment string `json:"environment"`
	Database    string `json:"database"`
	// Basis describes the schema the files were applied to.
	Basis string `json:"basis"`
}

// CheckReport is the outcome of Check.
type CheckReport struct {
	Base      string          `json:"base"`
	Head      string          `json:"head"`
	MergeBase string          `json:"mergeBase"`
	Files     []CheckedFile   `json:"files"`
	Databases []DatabaseCheck `json:"databases"`
	Findings  []Finding       `json:"findings"`
	Counts    map[string]int  `json:"counts"` // by level: error, warning, info
	// SyntaxFailed is set when a file's SQL does not parse (exit status 2).
	SyntaxFailed bool `json:"syntaxFailed"`
}

// HasErrors reports whether any finding is error-level.
func (r *CheckReport) HasErrors() bool { return r.Counts[string(review.Error)] > 0 }

func (r *CheckReport) add(f Finding) {
	r.Findings = append(r.Findings, f)
	r.Counts[string(f.Level)]++
}

// dbKey names a database of the repository: environment and database.
type dbKey struct{ env, db string }

func (k dbKey) String() string {
	if k.env == "" {
		return k.db
	}
	return k.env + "/" + k.db
}

// Check runs the pull-request checks: the migration files added or changed
// between the merge base of Base and Head, and Head are named under
// tidemark.yaml (or the defaults); their versions are unique per database
// and not below the base branch's highest (unless out-of-order is allowed);
// a change to a file already on the base branch is an error; each file is
// reviewed with its environment's policy and, per database, the files are
// applied in version order on a scratch database holding the schema they
// start from (the base branch's LATEST file, Latest, or LiveURL's schema).
//
// Errors are for what stops the check as a whole (no repository, an
// unknown revision, a tidemark.yaml that does not load); everything about
// the files is a finding.
func Check(ctx context.Context, req CheckRequest) (*CheckReport, error) {
	repo, err := OpenRepo(req.Repo)
	if err != nil {
		return nil, usererr.Invalid("repo", "%v", err)
	}
	headRev := req.Head
	if headRev == "" {
		headRev = "HEAD"
	}
	head, err := ResolveCommit(repo, headRev)
	if err != nil {
		return nil, usererr.Invalid("head", "%v", err)
	}
	headTree, err := head.Tree()
	if err != nil {
		return nil, err
	}
	cfg, err := ConfigAt(headTree)
	if err != nil {
		return nil, usererr.Invalid("config", "%v", err)
	}
	baseRev := req.Base
	var base *object.Commit
	if baseRev == "" {
		for _, rev := range []string{"refs/remotes/origin/" + cfg.Branch, "refs/heads/" + cfg.Branch} {
			if base, err = ResolveCommit(repo, rev); err == nil {
				baseRev = rev
				break
			}
		}
		if base == nil {
			return nil, usererr.Invalid("base", "neither origin/%s nor %s exists: pass --base REF (in CI, fetch the base branch, e.g. actions/checkout with fetch-depth: 0)", cfg.Branch, cfg.Branch)
		}
	} else if base, err = ResolveCommit(repo, baseRev); err != nil {
		return nil, usererr.Invalid("base", "%v (in CI, fetch the base branch with its history, e.g. actions/checkout with fetch-depth: 0)", err)
	}
	mb, err := MergeBase(head, base)
	if err != nil {
		return nil, err
	}
	if mb == nil {
		return nil, usererr.Invalid("base", "%s and %s share no history (a shallow clone? fetch with full depth)", baseRev, headRev)
	}
	baseTree, err := base.Tree()
	if err != nil {
		return nil, err
	}
	changes, err := DiffCommits(ctx, mb, head)
	if err != nil {
		return nil, err
	}
	rep := &CheckReport{Base: base.Hash.String(), Head: head.Hash.String(), MergeBase: mb.Hash.String(),
		Files: []CheckedFile{}, Databases: []DatabaseCheck{}, Findings: []Finding{}, Counts: map[string]int{}}
	namer, err := NewNamer(cfg, nil, nil)
	if err != nil {
		return nil, usererr.Invalid("config", "%v", err)
	}
	mbTree, err := mb.Tree()
	if err != nil {
		return nil, err
	}
	allowOOO := req.AllowOutOfOrder || cfg.AllowOutOfOrder

	// The versions each database already has on the base branch, and every
	// file of a database at head, for uniqueness and order.
	baseFiles, err := parsedFiles(baseTree, namer)
	if err != nil {
		return nil, err
	}
	headFiles, err := parsedFiles(headTree, namer)
	if err != nil {
		return nil, err
	}

	var checked []CheckedFile
	for _, ch := range changes {
		switch ch.Action {
		case Deleted:
			if namer.Relevant(ch.Path) && !namer.IsLatest(ch.Path) {
				if _, why := namer.Parse(ch.Path); why == "" {
					rep.add(Finding{File: ch.Path, Line: 1, Column: 1, Level: review.Warning, Rule: RuleDeleted, Title: RuleTitles[RuleDeleted],
						Message: "the pull request deletes a migration file the base branch has; a database that applied it keeps the change"})
				}
			}
			continue
		}
		if !namer.Relevant(ch.Path) || namer.IsLatest(ch.Path) {
			continue
		}
		f, why := namer.Parse(ch.Path)
		if why != "" {
			rep.add(Finding{File: ch.Path, Line: 1, Column: 1, Level: review.Error, Rule: RuleName, Title: RuleTitles[RuleName],
				Message: fmt.Sprintf("%s: %s (template %q, base directory %q)", ch.Path, why, cfg.Template, cfg.BaseDir)})
			continue
		}
		cf := CheckedFile{File: *f, Action: ch.Action, From: ch.From}
		switch ch.Action {
		case Modified:
			cf.blocked = true
			rep.add(Finding{File: ch.Path, Line: 1, Column: 1, Level: review.Error, Rule: RuleModified, Title: RuleTitles[RuleModified],
				Message: "the file is already on the base branch and may have been applied: add a new migration file with a higher version instead of changing it"})
		case Renamed:
			if _, onBase, _ := ReadFile(mbTree, ch.From); onBase {
				cf.blocked = true
				rep.add(Finding{File: ch.Path, Line: 1, Column: 1, Level: review.Error, Rule: RuleModified, Title: RuleTitles[RuleModified],
					Message: fmt.Sprintf("the file renames %s, which is already on the base branch and may have been applied: add a new migration file instead", ch.From)})
			}
		}
		checked = append(checked, cf)
	}

	// Uniqueness and order.
	highest := map[dbKey]migrate.Version{}
	for _, f := range baseFiles {
		v, err := migrate.ParseVersion(f.Version)
		if err != nil {
			continue
		}
		k := dbKey{f.Environment, f.Database}
		if h, ok := highest[k]; !ok || h.Less(v) {
			highest[k] = v
		}
	}
	for i := range checked {
		cf := &checked[i]
		if cf.Action == Modified {
			continue
		}
		k := dbKey{cf.Environment, cf.Database}
		v, err := migrate.ParseVersion(cf.Version)
		if err != nil {
			rep.add(Finding{File: cf.Path, Line: 1, Column: 1, Level: review.Error, Rule: RuleName, Title: RuleTitles[RuleName], Message: err.Error()})
			cf.blocked = true
			continue
		}
		var others []string
		for _, src := range [][]File{headFiles, baseFiles} {
			for _, o := range src {
				if o.Path == cf.Path || o.Path == cf.From || (dbKey{o.Environment, o.Database}) != k || slices.Contains(others, o.Path) {
					continue
				}
				if ov, err := migrate.ParseVersion(o.Version); err == nil && ov.Equal(v) {
					others = append(others, o.Path)
				}
			}
		}
		if len(others) > 0 {
			sort.Strings(others)
			rep.add(Finding{File: cf.Path, Line: 1, Column: 1, Level: review.Error, Rule: RuleDuplicate, Title: RuleTitles[RuleDuplicate],
				Message: fmt.Sprintf("version %s of database %s is also the version of %s", cf.Version, k, strings.Join(others, ", "))})
			cf.blocked = true
			continue
		}
		if h, ok := highest[k]; ok && v.Less(h) {
			if allowOOO {
				rep.add(Finding{File: cf.Path, Line: 1, Column: 1, Level: review.Info, Rule: RuleOrder, Title: RuleTitles[RuleOrder],
					Message: fmt.Sprintf("version %s is below %s, the highest of database %s on the base branch (out-of-order versions are allowed)", cf.Version, h, k)})
			} else {
				rep.add(Finding{File: cf.Path, Line: 1, Column: 1, Level: review.Error, Rule: RuleOrder, Title: RuleTitles[RuleOrder],
					Message: fmt.Sprintf("version %s is below %s, the highest of database %s on the base branch: a database that applied %s would never run it; rename the file with a higher version (or set allowOutOfOrder in %s)", cf.Version, h, k, h, ConfigFile)})
			}
		}
	}

	// Per database, in version order: review and dry run.
	groups := map[dbKey][]int{}
	var keys []dbKey
	for i, cf := range checked {
		k := dbKey{cf.Environment, cf.Database}
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], i)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
	if (req.LiveURL != "" || req.Latest != "") && len(keys) > 1 {
		names := make([]string, len(keys))
		for i, k := range keys {
			names[i] = k.String()
		}
		return nil, usererr.Invalid("url", "--url and --latest give the schema of one database, and the pull request changes %d: %s (leave them out to start each from its LATEST file on the base branch)", len(keys), strings.Join(names, ", "))
	}
	reg := req.Registry
	if reg == nil {
		reg = review.NewRegistry()
	}
	ck := &checker{req: req, reg: reg, cfg: cfg, namer: namer, headTree: headTree, baseTree: baseTree, rep: rep, policies: map[string]*review.Policy{}}
	if req.Scratch != nil {
		srv, err := req.Scratch(ctx)
		if err != nil {
			ck.noScratch = usererr.From(err).Error()
		} else {
			ck.srv = &srv
		}
	} else {
		ck.noScratch = "no scratch server (pass --scratch URL: a server where Tidemark may create and drop databases)"
	}
	for _, k := range keys {
		idx := groups[k]
		files := make([]*CheckedFile, len(idx))
		for i, j := range idx {
			files[i] = &checked[j]
		}
		sort.SliceStable(files, func(a, b int) bool {
			va, ea := migrate.ParseVersion(files[a].Version)
			vb, eb := migrate.ParseVersion(files[b].Version)
			if ea != nil || eb != nil {
				return files[a].Version < files[b].Version
			}
			return va.Less(vb)
		})
		if err := ck.database(ctx, k, files); err != nil {
			return nil, err
		}
	}
	for _, cf := range checked {
		rep.Files = append(rep.Files, cf)
	}
	sort.SliceStable(rep.Findings, func(i, j int) bool {
		a, b := rep.Findings[i], rep.Findings[j]
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Line < b.Line
	})
	return rep, nil
}

// parsedFiles names every migration file of a tree (files that do not
// parse are left out: they are reported when the pull request touches
// them).
func parsedFiles(t *object.Tree, n *Namer) ([]File, error) {
	paths, err := TreePaths(t)
	if err != nil {
		return nil, err
	}
	var out []File
	for _, p := range paths {
		if !n.Relevant(p) {
			continue
		}
		if f, why := n.Parse(p); why == "" {
			out = append(out, *f)
		}
	}
	return out, nil
}

// checker holds the state of one Check across databases.
type checker struct {
	req       CheckRequest
	reg       *review.Registry
	cfg       *Config
	namer     *Namer
	headTree  *object.Tree
	baseTree  *object.Tree
	rep       *CheckReport
	srv       *scratch.Server
	noScratch string
	policies  map[string]*review.Policy
}

// policy returns the review policy of an environment: its entry's review
// setting in tidemark.yaml, else the default template for production (and
// unlisted) environments and the test template for listed non-production
// ones.
func (c *checker) policy(env string) (*review.Policy, error) {
	name := review.TemplateDefault
	if e := c.cfg.Environment(env); e != nil {
		switch {
		case e.Review != "":
			name = e.Review
		case !e.Production:
			name = review.TemplateTest
		}
	}
	if p, ok := c.policies[name]; ok {
		return p, nil
	}
	var p *review.Policy
	var err error
	if slices.Contains(review.Templates(), name) {
		p, err = c.reg.Template(name)
	} else {
		src, ok, rerr := ReadFile(c.headTree, name)
		switch {
		case rerr != nil:
			return nil, rerr
		case !ok:
			return nil, usererr.Invalid("config", "%s: the review policy of environment %q, %s, is neither a template (%s) nor a file of the repository", ConfigFile, env, name, strings.Join(review.Templates(), ", "))
		}
		p, err = c.reg.ParsePolicy([]byte(src))
		if err != nil {
			err = usererr.Invalid("config", "review policy %s of environment %q: %v", name, env, err)
		}
	}
	if err != nil {
		return nil, err
	}
	c.policies[name] = p
	return p, nil
}

// database reviews and dry-runs one database's files (in version order).
func (c *checker) database(ctx context.Context, k dbKey, files []*CheckedFile) error {
	pol, err := c.policy(k.env)
	if err != nil {
		return err
	}
	dc := DatabaseCheck{Environment: k.env, Database: k.db}
	basis, basisName, basisNote, err := c.basis(ctx, k)
	if err != nil {
		return err
	}
	dc.Basis = basisNote

	opts := review.Options{Policy: pol, Runner: review.RunnerTidemark}
	var db *scratch.DB
	dryRun := c.srv != nil
	notRun := c.noScratch
	if dryRun {
		db, err = scratch.Create(ctx, c.srv.URL)
		if err != nil {
			dryRun, notRun = false, "cannot create a scratch database on "+c.srv.Describe()+": "+usererr.From(c.srv.Redact(err)).Error()
		} else {
			defer db.Drop(context.WithoutCancel(ctx)) //nolint:errcheck // best effort; the name says it is scratch
			if basis != "" {
				if err := db.Load(ctx, basisName, basis); err != nil {
					dryRun, notRun = false, "the schema it starts from does not load: "+c.srv.Redact(err).Error()
				}
			}
			if dryRun {
				// Review against the schema the files start from.
				conn, err := pg.ConnectURL(ctx, db.URL)
				if err != nil {
					return fmt.Errorf("connect to the scratch database: %w", c.srv.Redact(err))
				}
				cat, ver, err := review.LoadCatalog(ctx, conn)
				conn.Close(context.WithoutCancel(ctx))
				if err != nil {
					return fmt.Errorf("read the scratch database's catalog: %w", c.srv.Redact(err))
				}
				opts.Catalog, opts.ServerVersion = cat, ver
			}
		}
	}
	if !dryRun {
		dc.Basis += " — dry run not run: " + notRun
		c.rep.add(Finding{File: files[0].Path, Line: 1, Column: 1, Level: review.Warning, Rule: RuleDryRunNotRun, Title: RuleTitles[RuleDryRunNotRun],
			Message: fmt.Sprintf("the files of database %s were reviewed but not dry-run: %s", k, notRun)})
	}
	var runner *migrate.Runner
	if dryRun {
		if runner, err = migrate.NewRunner(db.URL, migrate.Options{AppliedBy: "tidemark check"}); err != nil {
			return err
		}
	}
	failed := false
	for _, f := range files {
		if f.blocked {
			f.DryRun = "skipped"
			continue
		}
		f.Policy = pol.Name
		src, _, err := ReadFile(c.headTree, f.Path)
		if err != nil {
			return err
		}
		opts.File = f.Path
		res, err := c.reg.Review(ctx, src, opts)
		var se *sqlparse.SyntaxError
		switch {
		case errors.As(err, &se):
			c.rep.SyntaxFailed = true
			c.rep.add(Finding{File: f.Path, Line: se.Line, Column: se.Column, Level: review.Error, Rule: RuleSyntax, Title: RuleTitles[RuleSyntax], Message: se.Message})
			f.DryRun = "skipped"
			failed = true
			continue
		case err != nil:
			return fmt.Errorf("review %s: %w", f.Path, err)
		}
		for _, a := range res.Advice {
			fd := Finding{File: f.Path, Line: a.Line, Column: a.Column, Level: a.Level, Rule: a.Rule, Title: a.Title, Message: a.Message, Rewrite: a.Rewrite}
			if a.Statement.End > 0 {
				sp := a.Statement
				fd.Statement = &sp
			}
			c.rep.add(fd)
		}
		opts.Catalog = res.Catalog
		switch {
		case !dryRun:
			f.DryRun = "not run"
		case failed:
			f.DryRun = "skipped"
		default:
			c.apply(ctx, runner, f, src)
			failed = f.DryRun == "failed"
		}
	}
	c.rep.Databases = append(c.rep.Databases, dc)
	return nil
}

// apply runs one file on the scratch database through the migration
// runner, as a rollout would, and records a failure as a finding.
func (c *checker) apply(ctx context.Context, r *migrate.Runner, f *CheckedFile, src string) {
	typ := migrate.TypeDDL
	if f.Type == "dml" || f.Type == "data" {
		typ = migrate.TypeDML
	}
	_, err := r.ApplyChange(ctx, migrate.Change{Version: f.Version, Type: typ, Description: f.Description, SQL: src, Source: migrate.SourceCLI},
		migrate.ApplyOptions{MaxAttempts: 1, AllowOutOfOrder: true})
	if err == nil {
		f.DryRun = "passed"
		return
	}
	f.DryRun = "failed"
	fd := Finding{File: f.Path, Line: 1, Column: 1, Level: review.Error, Rule: RuleDryRun, Title: RuleTitles[RuleDryRun], Message: c.srv.Redact(err).Error()}
	var re *migrate.RunError
	if errors.As(err, &re) && re.Failed != nil {
		if re.Failed.Line > 0 {
			fd.Line = re.Failed.Line
		}
		var pe *pgconn.PgError
		if errors.As(re.Err, &pe) {
			fd.Message = pe.Message + " (SQLSTATE " + pe.Code + ")"
			if pe.Detail != "" {
				fd.Message += " — " + pe.Detail
			}
		}
		if re.Failed.Statement > 0 {
			fd.Message = fmt.Sprintf("statement %d of %d fails on a copy of the schema: %s", re.Failed.Statement, re.Failed.Statements, fd.Message)
		}
	}
	c.rep.add(fd)
}

// basis returns the schema a database's dry run starts from, its name in
// messages and a description: Latest, LiveURL's schema, or the base
// branch's LATEST file ("" when it has none: an empty database).
func (c *checker) basis(ctx context.Context, k dbKey) (src, name, note string, err error) {
	switch {
	case c.req.Latest != "" || c.req.LatestName != "":
		return c.req.Latest, c.req.LatestName, "the schema in " + c.req.LatestName, nil
	case c.req.LiveURL != "":
		cfg, ci, err := pg.ParseConnString(c.req.LiveURL)
		if err != nil {
			return "", "", "", &usererr.Error{Message: "parse --url: " + err.Error(), Field: "url", Err: err}
		}
		conn, err := pg.Connect(ctx, cfg)
		if err != nil {
			return "", "", "", usererr.Wrap("connect to "+ci.URL()+": ", err)
		}
		defer conn.Close(context.WithoutCancel(ctx))
		res, err := catalog.Inspect(ctx, conn, catalog.Options{NoPrivileges: true, NoFingerprint: true})
		if err != nil {
			return "", "", "", usererr.Wrap("inspect "+ci.URL()+": ", pg.Convert(err, ci))
		}
		return string(catalog.Dump(res.Schema, catalog.DumpOptions{NoPrivileges: true})), ci.URL(), "the live schema of " + ci.URL(), nil
	}
	p := c.namer.LatestPath(k.env, k.db)
	s, ok, err := ReadFile(c.baseTree, p)
	if err != nil {
		return "", "", "", err
	}
	if !ok {
		return "", p, "an empty database (the base branch has no " + p + ")", nil
	}
	return s, p, p + " on the base branch", nil
}
