package migrate

import (
	"errors"
	"fmt"
	"path"
	"regexp"
	"strings"
)

// Format is the naming convention a migration file follows.
type Format string

// The file naming conventions LoadDir reads. See docs/file-naming.md.
const (
	// FormatTemplate is Tidemark's (and Bytebase's) template, by default
	// {{DB_NAME}}##{{VERSION}}##{{TYPE}}##{{DESCRIPTION}}.sql.
	FormatTemplate Format = "template"
	// FormatFlyway is V<version>__<description>.sql (underscores in the version are dots).
	FormatFlyway Format = "flyway"
	// FormatGolangMigrate is <version>_<description>.up.sql (.down.sql files are ignored).
	FormatGolangMigrate Format = "golang-migrate"
	// FormatNumeric is <digits>_<description>.sql: goose (00001_x.sql or timestamps),
	// dbmate and Atlas (20240101120000_x.sql).
	FormatNumeric Format = "numeric"
)

// ChangeType says what a migration changes.
type ChangeType string

// Change types. File names may also say "migrate" (= ddl) and "data" (= dml).
const (
	TypeDDL      ChangeType = "ddl"
	TypeDML      ChangeType = "dml"
	TypeBaseline ChangeType = "baseline"
)

// ParseChangeType accepts ddl|migrate, dml|data and baseline (any case) and
// returns the canonical type.
func ParseChangeType(s string) (ChangeType, error) {
	switch strings.ToLower(s) {
	case "ddl", "migrate":
		return TypeDDL, nil
	case "dml", "data":
		return TypeDML, nil
	case "baseline":
		return TypeBaseline, nil
	}
	return "", fmt.Errorf("unknown change type %q (want ddl, migrate, dml, data or baseline)", s)
}

// DefaultTemplate is the default file name template.
const DefaultTemplate = "{{DB_NAME}}##{{VERSION}}##{{TYPE}}##{{DESCRIPTION}}.sql"

// ErrNotMigrationName is wrapped by ParseFilename when a name follows none of the
// supported conventions.
var ErrNotMigrationName = errors.New("not a migration file name")

// FileName is what a migration file's path says about it.
type FileName struct {
	Path        string // slash-separated, relative to the migration directory
	Format      Format
	Version     Version
	Type        ChangeType // formats without a type give TypeDDL
	Description string     // underscores turned into spaces
	DBName      string     // template only
	EnvID       string     // template only: {{ENV_ID}} or the directory holding the file
	// Ignored, when set, says why this file is recognised but not applied
	// (a golang-migrate down file, a Flyway undo file).
	Ignored string
}

// Template is a compiled file name template. Placeholders: {{ENV_ID}},
// {{DB_NAME}}, {{VERSION}} (required), {{TYPE}}, {{DESCRIPTION}}; each at most once.
type Template struct {
	src   string
	re    *regexp.Regexp
	names map[string]int // placeholder -> submatch index
}

var placeholderRE = regexp.MustCompile(`\{\{([A-Z_]+)\}\}`)

var placeholderPatterns = map[string]string{
	"ENV_ID":      `[^/]+`,
	"DB_NAME":     `[^/]+?`,
	"VERSION":     `[0-9]+(?:\.[0-9]+)*`,
	"TYPE":        `(?i:ddl|migrate|dml|data|baseline)`,
	"DESCRIPTION": `[^/]*`,
}

// ParseTemplate compiles a file name template such as DefaultTemplate or
// "{{ENV_ID}}/{{DB_NAME}}##{{VERSION}}##{{TYPE}}##{{DESCRIPTION}}.sql".
func ParseTemplate(s string) (*Template, error) {
	if s == "" {
		s = DefaultTemplate
	}
	if !strings.HasSuffix(s, ".sql") {
		return nil, fmt.Errorf("file name template %q: must end in .sql", s)
	}
	t := &Template{src: s, names: map[string]int{}}
	var b strings.Builder
	b.WriteString("^")
	last := 0
	for _, m := range placeholderRE.FindAllStringSubmatchIndex(s, -1) {
		b.WriteString(regexp.QuoteMeta(s[last:m[0]]))
		name := s[m[2]:m[3]]
		pat, ok := placeholderPatterns[name]
		if !ok {
			return nil, fmt.Errorf("file name template %q: unknown placeholder {{%s}} (known: ENV_ID, DB_NAME, VERSION, TYPE, DESCRIPTION)", s, name)
		}
		if _, dup := t.names[name]; dup {
			return nil, fmt.Errorf("file name template %q: {{%s}} appears twice", s, name)
		}
		t.names[name] = len(t.names) + 1
		b.WriteString("(" + pat + ")")
		last = m[1]
	}
	b.WriteString(regexp.QuoteMeta(s[last:]))
	b.WriteString("$")
	if _, ok := t.names["VERSION"]; !ok {
		return nil, fmt.Errorf("file name template %q: {{VERSION}} is required", s)
	}
	re, err := regexp.Compile(b.String())
	if err != nil {
		return nil, fmt.Errorf("file name template %q: %w", s, err)
	}
	t.re = re
	return t, nil
}

// MustParseTemplate is ParseTemplate for constants; it panics on error.
func MustParseTemplate(s string) *Template {
	t, err := ParseTemplate(s)
	if err != nil {
		panic(err)
	}
	return t
}

// String returns the template source.
func (t *Template) String() string { return t.src }

func (t *Template) hasDir() bool { return strings.Contains(t.src, "/") }

// match matches a slash path (relative to the directory) against the template.
// A template without a directory part also matches a file one directory deep,
// taking the directory as the environment ({{ENV_ID}}/ implied).
func (t *Template) match(p string) (FileName, bool) {
	subject := p
	env := ""
	if !t.hasDir() {
		dir, base := path.Split(p)
		dir = strings.TrimSuffix(dir, "/")
		if strings.Contains(dir, "/") {
			return FileName{}, false
		}
		subject, env = base, dir
	}
	m := t.re.FindStringSubmatch(subject)
	if m == nil {
		return FileName{}, false
	}
	get := func(name string) string {
		if i, ok := t.names[name]; ok {
			return m[i]
		}
		return ""
	}
	fn := FileName{Path: p, Format: FormatTemplate, DBName: get("DB_NAME"), EnvID: env, Type: TypeDDL}
	if e := get("ENV_ID"); e != "" {
		fn.EnvID = e
	}
	v, err := ParseVersion(get("VERSION"))
	if err != nil {
		return FileName{}, false
	}
	fn.Version = v
	if ty := get("TYPE"); ty != "" {
		ct, err := ParseChangeType(ty)
		if err != nil {
			return FileName{}, false
		}
		fn.Type = ct
	}
	fn.Description = strings.TrimSpace(strings.ReplaceAll(get("DESCRIPTION"), "_", " "))
	return fn, true
}

// Render returns the path a migration with these fields has under the template
// (spaces in the description become underscores). It is the inverse of parsing.
func (t *Template) Render(fn FileName) string {
	return placeholderRE.ReplaceAllStringFunc(t.src, func(ph string) string {
		switch ph[2 : len(ph)-2] {
		case "ENV_ID":
			return fn.EnvID
		case "DB_NAME":
			return fn.DBName
		case "VERSION":
			return fn.Version.String()
		case "TYPE":
			return string(fn.Type)
		case "DESCRIPTION":
			return strings.ReplaceAll(fn.Description, " ", "_")
		}
		return ph
	})
}

var (
	flywayRE        = regexp.MustCompile(`^([VUR])([0-9]+(?:[._][0-9]+)*)?__(.*)\.sql$`)
	golangMigrateRE = regexp.MustCompile(`^([0-9]+)_(.*)\.(up|down)\.sql$`)
	numericRE       = regexp.MustCompile(`^([0-9]+)(?:_(.*))?\.sql$`)
)

// ParseFilename says what a migration file's slash path (relative to the
// migration directory) means, trying in order: the template (nil means
// DefaultTemplate), Flyway, golang-migrate, then a numeric or timestamp prefix
// (goose, dbmate, Atlas). A name following none of them returns an error wrapping
// ErrNotMigrationName; a Flyway repeatable (R__) is an error (unsupported).
func ParseFilename(p string, tmpl *Template) (FileName, error) {
	if tmpl == nil {
		tmpl = MustParseTemplate(DefaultTemplate)
	}
	if fn, ok := tmpl.match(p); ok {
		return fn, nil
	}
	base := path.Base(p)
	desc := func(s string) string { return strings.TrimSpace(strings.ReplaceAll(s, "_", " ")) }
	if m := flywayRE.FindStringSubmatch(base); m != nil {
		fn := FileName{Path: p, Format: FormatFlyway, Type: TypeDDL, Description: desc(m[3])}
		if m[1] == "R" {
			return FileName{}, fmt.Errorf("%s: Flyway repeatable migrations (R__) are not supported; turn it into a versioned file (V<n>__...)", p)
		}
		if m[2] == "" {
			return FileName{}, fmt.Errorf("%s: Flyway %s file without a version", p, m[1])
		}
		v, err := ParseVersion(strings.ReplaceAll(m[2], "_", "."))
		if err != nil {
			return FileName{}, fmt.Errorf("%s: %w", p, err)
		}
		fn.Version = v
		if m[1] == "U" {
			fn.Ignored = "Flyway undo migration (U) ignored: Tidemark applies forward only"
		}
		return fn, nil
	}
	if m := golangMigrateRE.FindStringSubmatch(base); m != nil {
		v, err := ParseVersion(m[1])
		if err != nil {
			return FileName{}, fmt.Errorf("%s: %w", p, err)
		}
		fn := FileName{Path: p, Format: FormatGolangMigrate, Version: v, Type: TypeDDL, Description: desc(m[2])}
		if m[3] == "down" {
			fn.Ignored = "golang-migrate down migration ignored: Tidemark applies forward only"
		}
		return fn, nil
	}
	if m := numericRE.FindStringSubmatch(base); m != nil {
		v, err := ParseVersion(m[1])
		if err != nil {
			return FileName{}, fmt.Errorf("%s: %w", p, err)
		}
		return FileName{Path: p, Format: FormatNumeric, Version: v, Type: TypeDDL, Description: desc(m[2])}, nil
	}
	return FileName{}, fmt.Errorf("%s: %w (expected %s, Flyway V1__desc.sql, golang-migrate 1_desc.up.sql or a numeric/timestamp prefix 20240101120000_desc.sql)", p, ErrNotMigrationName, tmpl.src)
}
