// Package gitops links a Tidemark project to a git repository: it reads the
// repository's tidemark.yaml, names migration files with path templates or
// the other naming formats Tidemark reads (Flyway, golang-migrate and
// timestamped goose/dbmate/Atlas files), and previews which files of a folder
// parse and which do not, and why.
package gitops

import (
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"
)

// Default templates, as in the Bytebase GitOps layout.
const (
	DefaultTemplate       = "{{ENV_ID}}/{{DB_NAME}}##{{VERSION}}##{{TYPE}}##{{DESCRIPTION}}.sql"
	DefaultLatestTemplate = "{{ENV_ID}}/.{{DB_NAME}}##LATEST.sql"
)

// Naming formats a folder rule may use besides the path template.
const (
	FormatTemplate  = "template"
	FormatFlyway    = "flyway"
	FormatMigrate   = "golang-migrate"
	FormatTimestamp = "timestamp" // goose, dbmate, Atlas: <digits>_<description>.sql
)

// Migration types a template's {{TYPE}} may name.
var migrationTypes = map[string]bool{"ddl": true, "dml": true, "migrate": true, "data": true, "baseline": true}

// File is a migration file whose name parsed.
type File struct {
	Path        string `json:"path"` // slash path relative to the repository root
	Environment string `json:"environment"`
	Database    string `json:"database"`
	Version     string `json:"version"`
	Type        string `json:"type"` // ddl, dml, migrate, data or baseline
	Description string `json:"description"`
}

// Template is a compiled path template.
type Template struct {
	Source string
	re     *regexp.Regexp
	names  []string
}

var placeholderRe = regexp.MustCompile(`\{\{([A-Z_]+)\}\}`)

// placeholder patterns: names are single path segments.
var placeholderPatterns = map[string]string{
	"ENV_ID":      `[^/]+?`,
	"DB_NAME":     `[^/#]+?`,
	"VERSION":     `[^/#]+?`,
	"TYPE":        `[^/#]+?`,
	"DESCRIPTION": `[^/]*?`,
}

// CompileTemplate compiles a path template. Placeholders are {{ENV_ID}},
// {{DB_NAME}}, {{VERSION}}, {{TYPE}} and {{DESCRIPTION}}; `*` stands for one
// path segment and `**` for any number of them. {{DB_NAME}} and {{VERSION}}
// are required.
func CompileTemplate(src string) (*Template, error) {
	if strings.TrimSpace(src) == "" {
		return nil, fmt.Errorf("path template is empty")
	}
	if strings.HasPrefix(src, "/") {
		return nil, fmt.Errorf("path template %q must be relative to the base directory", src)
	}
	var b strings.Builder
	var names []string
	seen := map[string]bool{}
	b.WriteString("^")
	for i := 0; i < len(src); {
		rest := src[i:]
		if m := placeholderRe.FindStringSubmatchIndex(rest); m != nil && m[0] == 0 {
			name := rest[m[2]:m[3]]
			pat, ok := placeholderPatterns[name]
			if !ok {
				return nil, fmt.Errorf("path template %q: unknown placeholder {{%s}} (known: ENV_ID, DB_NAME, VERSION, TYPE, DESCRIPTION)", src, name)
			}
			if seen[name] {
				return nil, fmt.Errorf("path template %q: placeholder {{%s}} appears twice", src, name)
			}
			seen[name] = true
			names = append(names, name)
			fmt.Fprintf(&b, "(?P<%s>%s)", name, pat)
			i += m[1]
			continue
		}
		switch {
		case strings.HasPrefix(rest, "**/"):
			b.WriteString(`(?:[^/]+/)*`)
			i += 3
		case strings.HasPrefix(rest, "**"):
			b.WriteString(`.*`)
			i += 2
		case rest[0] == '*':
			b.WriteString(`[^/]*`)
			i++
		default:
			b.WriteString(regexp.QuoteMeta(rest[:1]))
			i++
		}
	}
	b.WriteString("$")
	for _, req := range []string{"DB_NAME", "VERSION"} {
		if !seen[req] {
			return nil, fmt.Errorf("path template %q must contain {{%s}}", src, req)
		}
	}
	re, err := regexp.Compile(b.String())
	if err != nil {
		return nil, fmt.Errorf("path template %q: %w", src, err)
	}
	return &Template{Source: src, re: re, names: names}, nil
}

// Match parses rel (a slash path relative to the base directory). It returns
// the captured placeholders, or a reason why the name does not parse.
func (t *Template) Match(rel string) (map[string]string, string) {
	m := t.re.FindStringSubmatch(rel)
	if m == nil {
		return nil, fmt.Sprintf("does not match the path template %q", t.Source)
	}
	out := map[string]string{}
	for i, n := range t.re.SubexpNames() {
		if n != "" {
			out[n] = m[i]
		}
	}
	return out, ""
}

// Expand fills the template's placeholders (used for LATEST paths).
func (t *Template) Expand(env, db string) string {
	return placeholderRe.ReplaceAllStringFunc(t.Source, func(p string) string {
		switch p {
		case "{{ENV_ID}}":
			return env
		case "{{DB_NAME}}":
			return db
		}
		return p
	})
}

var versionRe = regexp.MustCompile(`^[0-9]+([._][0-9]+)*$`)

// validVersion reports why a version is not usable, or "".
func validVersion(v string) string {
	if v == "" {
		return "the version is empty"
	}
	if !versionRe.MatchString(v) {
		return fmt.Sprintf("version %q is not numeric (digits, optionally separated by . or _)", v)
	}
	return ""
}

var (
	flywayRe    = regexp.MustCompile(`^([VUR])(.*?)__(.*)\.sql$`)
	migrateRe   = regexp.MustCompile(`^([0-9]+)_(.*)\.(up|down)\.sql$`)
	timestampRe = regexp.MustCompile(`^([0-9]+)_(.*)\.sql$`)
)

// parseFormat parses a file name under one of the non-template formats.
func parseFormat(format, base string) (version, typ, desc, reason string) {
	switch format {
	case FormatFlyway:
		m := flywayRe.FindStringSubmatch(base)
		if m == nil {
			return "", "", "", "not a Flyway name (V<version>__<description>.sql)"
		}
		switch m[1] {
		case "U":
			return "", "", "", "Flyway undo migrations (U…) are not applied"
		case "R":
			return "", "", "", "Flyway repeatable migrations (R__…) have no version and are not supported"
		}
		if r := validVersion(m[2]); r != "" {
			return "", "", "", r
		}
		return m[2], "migrate", strings.ReplaceAll(m[3], "_", " "), ""
	case FormatMigrate:
		m := migrateRe.FindStringSubmatch(base)
		if m == nil {
			return "", "", "", "not a golang-migrate name (<version>_<title>.up.sql)"
		}
		if m[3] == "down" {
			return "", "", "", "down migrations are not applied"
		}
		return m[1], "migrate", strings.ReplaceAll(m[2], "_", " "), ""
	case FormatTimestamp:
		if strings.HasSuffix(base, ".down.sql") {
			return "", "", "", "down migrations are not applied"
		}
		m := timestampRe.FindStringSubmatch(base)
		if m == nil {
			return "", "", "", "not a timestamped name (<digits>_<description>.sql)"
		}
		d := strings.TrimSuffix(m[2], ".up")
		return m[1], "migrate", strings.ReplaceAll(d, "_", " "), ""
	}
	return "", "", "", fmt.Sprintf("unknown naming format %q", format)
}

// Namer names files under a Config: folder rules first (the longest folder
// wins), then the path template under the base directory.
type Namer struct {
	cfg      *Config
	tmpl     *Template
	latest   *Template
	projEnvs map[string]bool // nil: any
	projDBs  map[string]bool // nil: any
}

// NewNamer compiles cfg's templates. envs and dbs, when non-nil, are the
// environment IDs and database names the project has: files naming others
// do not parse.
func NewNamer(cfg *Config, envs, dbs []string) (*Namer, error) {
	t, err := CompileTemplate(cfg.Template)
	if err != nil {
		return nil, err
	}
	l, err := CompileTemplate(strings.Replace(cfg.LatestTemplate, "LATEST", "{{VERSION}}", 1))
	if err != nil {
		return nil, fmt.Errorf("LATEST template: %w", err)
	}
	n := &Namer{cfg: cfg, tmpl: t, latest: l}
	if envs != nil {
		n.projEnvs = set(envs)
	}
	if dbs != nil {
		n.projDBs = set(dbs)
	}
	return n, nil
}

func set(xs []string) map[string]bool {
	m := make(map[string]bool, len(xs))
	for _, x := range xs {
		m[x] = true
	}
	return m
}

// LatestPath is the repository path of a database's LATEST file.
func (n *Namer) LatestPath(env, db string) string {
	p := strings.Replace(n.cfg.LatestTemplate, "{{ENV_ID}}", env, 1)
	p = strings.Replace(p, "{{DB_NAME}}", db, 1)
	return joinBase(n.cfg.BaseDir, p)
}

func joinBase(base, rel string) string {
	if base == "" || base == "." {
		return rel
	}
	return path.Join(base, rel)
}

// Relevant reports whether p is a file Tidemark considers at all: a .sql file
// under the base directory or a folder rule. Others are outside its scope.
func (n *Namer) Relevant(p string) bool {
	if !strings.HasSuffix(p, ".sql") {
		return false
	}
	if n.rule(p) != nil {
		return true
	}
	_, ok := n.underBase(p)
	return ok
}

func (n *Namer) underBase(p string) (string, bool) {
	b := strings.Trim(n.cfg.BaseDir, "/")
	if b == "" || b == "." {
		return p, true
	}
	if strings.HasPrefix(p, b+"/") {
		return p[len(b)+1:], true
	}
	return "", false
}

func (n *Namer) rule(p string) *Folder {
	var best *Folder
	for i := range n.cfg.Folders {
		f := &n.cfg.Folders[i]
		d := strings.Trim(f.Dir, "/")
		if path.Dir(p) == d && (best == nil || len(d) > len(strings.Trim(best.Dir, "/"))) {
			best = f
		}
	}
	return best
}

// IsLatest reports whether p is a LATEST file (written by Tidemark, never a
// migration).
func (n *Namer) IsLatest(p string) bool {
	rel, ok := n.underBase(p)
	if !ok {
		return false
	}
	m, _ := n.latest.Match(rel)
	return m != nil && m["VERSION"] == "LATEST"
}

// Parse names one file (a slash path relative to the repository root). It
// returns the file, or the reason it does not parse.
func (n *Namer) Parse(p string) (*File, string) {
	if !strings.HasSuffix(p, ".sql") {
		return nil, "not a .sql file"
	}
	if n.IsLatest(p) {
		return nil, "a LATEST schema file (written by Tidemark)"
	}
	f := &File{Path: p}
	if r := n.rule(p); r != nil {
		v, t, d, why := parseFormat(r.Format, path.Base(p))
		if why != "" {
			return nil, why
		}
		f.Environment, f.Database, f.Version, f.Type, f.Description = r.Environment, r.Database, v, t, d
	} else {
		rel, ok := n.underBase(p)
		if !ok {
			return nil, fmt.Sprintf("outside the base directory %q", n.cfg.BaseDir)
		}
		m, why := n.tmpl.Match(rel)
		if why != "" {
			return nil, why
		}
		f.Environment, f.Database, f.Version, f.Description = m["ENV_ID"], m["DB_NAME"], m["VERSION"], strings.ReplaceAll(m["DESCRIPTION"], "_", " ")
		f.Type = strings.ToLower(m["TYPE"])
		if f.Type == "" {
			f.Type = "migrate"
		}
		if !migrationTypes[f.Type] {
			return nil, fmt.Sprintf("type %q is not one of ddl, dml, migrate, data, baseline", m["TYPE"])
		}
		if why := validVersion(f.Version); why != "" {
			return nil, why
		}
	}
	if f.Environment != "" && n.projEnvs != nil && !n.projEnvs[f.Environment] {
		return nil, fmt.Sprintf("environment %q is not one of the project's", f.Environment)
	}
	if n.projDBs != nil && !n.projDBs[f.Database] {
		return nil, fmt.Sprintf("database %q is not in the project", f.Database)
	}
	return f, ""
}

// PreviewEntry is one file of a preview.
type PreviewEntry struct {
	Path   string `json:"path"`
	File   *File  `json:"file,omitempty"`
	Reason string `json:"reason,omitempty"` // why the file does not parse
}

// Preview names every relevant file of paths (others — not .sql, outside the
// base directory and folder rules — are left out), sorted by path.
func (n *Namer) Preview(paths []string) []PreviewEntry {
	out := []PreviewEntry{}
	for _, p := range paths {
		if !n.Relevant(p) {
			continue
		}
		f, why := n.Parse(p)
		out = append(out, PreviewEntry{Path: p, File: f, Reason: why})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}
