package migrate

import (
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/tidemark-dev/tidemark/internal/sqlparse"
)

// Source says where a migration came from.
type Source string

// Sources recorded in the history table.
const (
	SourceFile     Source = "file"     // a file in a migration directory
	SourceUI       Source = "ui"       // a change authored in the app
	SourceCLI      Source = "cli"      // a change authored on the command line
	SourceBaseline Source = "baseline" // a baseline marker (nothing executed)
)

// Migration is one unit of change: a file (or an authored change) with its
// statements, ready to apply.
type Migration struct {
	FileName
	Source Source
	// Issue is the workspace issue rolling the migration out (0: none),
	// recorded in the history row.
	Issue    int
	Checksum string // sha256:v1:... over the whole file (see Checksum)
	// SQL is the text that runs: the normalised file, cut before a goose
	// "-- +goose Down" or dbmate "-- migrate:down" section (earlier lines kept
	// as blank lines so positions still match the file).
	SQL        string
	Statements []Statement
	// NoTransaction is set by a file annotation (goose "-- +goose NO TRANSACTION",
	// dbmate "transaction:false", Atlas "-- atlas:txmode none"): every statement
	// runs alone, as in a unit holding a non-transactional statement.
	NoTransaction bool
}

// Statement is one executable statement of a migration.
type Statement struct {
	SQL  string // exact text (without the terminating ';')
	Line int    // 1-based line in the file
	Tag  string // command tag, e.g. "CREATE INDEX"
	// NonTransactional is set when the statement cannot run in a transaction
	// block (CREATE INDEX CONCURRENTLY, ALTER SYSTEM, VACUUM, ...) on current
	// PostgreSQL; the runner re-checks against the server's version.
	NonTransactional bool
	// CopyData holds the inline data of COPY ... FROM STDIN (HasCopyData set).
	CopyData    string
	HasCopyData bool

	node *pg_query.Node
}

// LoadOptions control LoadDir. The zero value is valid.
type LoadOptions struct {
	// Template is the file name template (default DefaultTemplate).
	Template string
	// DBName keeps only template-named files for this database. Required when
	// the directory holds files for several databases.
	DBName string
	// EnvID keeps only template-named files for this environment (the
	// {{ENV_ID}} part or the directory holding the file). Required when files
	// for several environments are found.
	EnvID string
	// OnIgnored, when set, is told about each recognised file that is not
	// applied (golang-migrate down files, Flyway undo files) and why.
	OnIgnored func(path, reason string)

	tmpl *Template
}

// Validate checks the options and compiles the template.
func (o *LoadOptions) Validate() error {
	t, err := ParseTemplate(o.Template)
	if err != nil {
		return err
	}
	o.tmpl = t
	return nil
}

// LoadDir reads every migration under fsys (the CLI and the app pass
// os.DirFS(dir), tests an fstest.MapFS) and returns them sorted by version.
// Hidden files and directories and files not ending in .sql are skipped. Every
// problem found is reported at once, each naming its file: a .sql name no
// convention recognises, a duplicate version, a file with no executable
// statement, a syntax error (file:line:column), a psql meta-command,
// transaction control the runner cannot honour (see checkBlocks).
func LoadDir(fsys fs.FS, opts LoadOptions) ([]Migration, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	var (
		migs []Migration
		errs []error
	)
	dbs, envs := map[string]bool{}, map[string]bool{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != "." && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() || !strings.HasSuffix(strings.ToLower(d.Name()), ".sql") {
			return nil
		}
		fn, err := ParseFilename(p, opts.tmpl)
		if err != nil {
			errs = append(errs, err)
			return nil
		}
		if fn.Format == FormatTemplate {
			if opts.DBName != "" && fn.DBName != opts.DBName {
				return nil
			}
			if opts.EnvID != "" && fn.EnvID != opts.EnvID {
				return nil
			}
			dbs[fn.DBName] = true
			envs[fn.EnvID] = true
		}
		if fn.Ignored != "" {
			if opts.OnIgnored != nil {
				opts.OnIgnored(p, fn.Ignored)
			}
			return nil
		}
		content, err := fs.ReadFile(fsys, p)
		if err != nil {
			return fmt.Errorf("read %s: %w", p, err)
		}
		m, err := NewMigration(fn, content)
		if err != nil {
			errs = append(errs, err)
			return nil
		}
		migs = append(migs, m)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load migrations: %w", err)
	}
	if len(dbs) > 1 {
		errs = append(errs, fmt.Errorf("files for several databases (%s): choose one (DBName, --database)", joinKeys(dbs)))
	}
	if len(envs) > 1 {
		errs = append(errs, fmt.Errorf("files for several environments (%s): choose one (EnvID, --env)", joinKeys(envs)))
	}
	sort.SliceStable(migs, func(i, j int) bool {
		if c := migs[i].Version.Compare(migs[j].Version); c != 0 {
			return c < 0
		}
		return migs[i].Path < migs[j].Path
	})
	for i := 1; i < len(migs); i++ {
		if migs[i].Version.Equal(migs[i-1].Version) {
			errs = append(errs, fmt.Errorf("%w: %s and %s both have version %s", ErrDuplicateVersion, migs[i-1].Path, migs[i].Path, migs[i].Version))
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return migs, nil
}

// ErrDuplicateVersion is wrapped when two migrations have versions that
// compare equal (1.0 and 1, 01 and 1 are the same version).
var ErrDuplicateVersion = errors.New("duplicate migration version")

// ErrEmptyMigration is wrapped when a migration has no executable statement.
var ErrEmptyMigration = errors.New("migration has no executable statements")

func joinKeys(m map[string]bool) string {
	ks := make([]string, 0, len(m))
	for k := range m {
		if k == "" {
			k = `""`
		}
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return strings.Join(ks, ", ")
}

var (
	gooseRE  = regexp.MustCompile(`(?m)^[ \t]*--[ \t]*\+goose[ \t]+([A-Za-z]+(?:[ \t]+[A-Za-z]+)?)[ \t]*\r?$`)
	dbmateRE = regexp.MustCompile(`(?m)^[ \t]*--[ \t]*migrate:(up|down)\b(.*)$`)
	atlasRE  = regexp.MustCompile(`(?m)^[ \t]*--[ \t]*atlas:txmode[ \t]+(\S+)`)
)

// NewMigration builds a migration from a parsed file name and the file's
// content: it computes the checksum, honours goose/dbmate/Atlas annotations,
// and splits the statements with the PostgreSQL parser. The path in fn names
// the file in every error.
func NewMigration(fn FileName, content []byte) (Migration, error) {
	norm := string(Normalize(content))
	m := Migration{FileName: fn, Source: SourceFile, Checksum: Checksum(content)}
	name := fn.Path
	if name == "" {
		name = "version " + fn.Version.String()
	}
	body, noTx, err := upSection(norm)
	if err != nil {
		return Migration{}, fmt.Errorf("%s: %w", name, err)
	}
	m.SQL, m.NoTransaction = body, noTx
	stmts, err := splitStatements(name, body)
	if err != nil {
		return Migration{}, err
	}
	m.Statements = stmts
	return m, nil
}

// upSection returns the part of a file that applies: for goose files the Up
// section, for dbmate files the migrate:up section; other files whole. Lines
// before the section become empty lines so line numbers match the file.
func upSection(s string) (body string, noTx bool, err error) {
	if atlasRE.MatchString(s) {
		mode := strings.ToLower(atlasRE.FindStringSubmatch(s)[1])
		switch mode {
		case "none":
			noTx = true
		case "file":
		default:
			return "", false, fmt.Errorf("atlas:txmode %s is not supported (use file or none)", mode)
		}
	}
	cut := func(upStart, downStart int) string {
		pre := strings.Count(s[:upStart], "\n")
		return strings.Repeat("\n", pre) + s[upStart:downStart]
	}
	if ms := gooseRE.FindAllStringSubmatchIndex(s, -1); ms != nil {
		up, down := -1, len(s)
		for _, m := range ms {
			word := strings.Join(strings.Fields(s[m[2]:m[3]]), " ")
			switch strings.ToUpper(word) {
			case "UP":
				if up < 0 && down == len(s) {
					up = m[0]
				}
			case "DOWN":
				if down == len(s) {
					down = m[0]
				}
			case "NO TRANSACTION":
				noTx = true
			case "STATEMENTBEGIN", "STATEMENTEND":
				// The statements are split by the PostgreSQL parser itself, so a
				// block marked this way is cut exactly where the server would cut it.
			case "ENVSUB ON", "ENVSUB OFF":
				return "", false, fmt.Errorf("goose ENVSUB (environment substitution) is not supported")
			default:
				return "", false, fmt.Errorf("unknown goose annotation %q", word)
			}
		}
		if up < 0 {
			return "", false, fmt.Errorf(`goose annotations without a "-- +goose Up" line before "-- +goose Down"`)
		}
		return cut(up, down), noTx, nil
	}
	if ms := dbmateRE.FindAllStringSubmatchIndex(s, -1); ms != nil {
		up, down := -1, len(s)
		for _, m := range ms {
			switch s[m[2]:m[3]] {
			case "up":
				if up < 0 {
					up = m[0]
					opts := s[m[4]:m[5]]
					if strings.Contains(opts, "transaction:false") {
						noTx = true
					}
				}
			case "down":
				if up >= 0 && down == len(s) {
					down = m[0]
				}
			}
		}
		if up < 0 {
			return "", false, fmt.Errorf(`dbmate annotations without a "-- migrate:up" line`)
		}
		return cut(up, down), noTx, nil
	}
	return s, noTx, nil
}

// splitStatements splits body with the PostgreSQL parser and refuses what a
// migration must not contain.
func splitStatements(file, body string) ([]Statement, error) {
	parsed, err := sqlparse.Split(body)
	if err != nil {
		var se *sqlparse.SyntaxError
		if errors.As(err, &se) {
			return nil, fmt.Errorf("%s:%d:%d: syntax error: %s", file, se.Line, se.Column, se.Message)
		}
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	var (
		out  []Statement
		errs []error
	)
	for _, p := range parsed {
		switch {
		case p.Kind == sqlparse.MetaCommand:
			errs = append(errs, fmt.Errorf("%s:%d: psql meta-command %s is not SQL and cannot run in a migration; remove it", file, p.Line, p.Tag))
			continue
		case p.Node == nil:
			continue
		}
		out = append(out, Statement{
			SQL: p.Text, Line: p.Line, Tag: p.Tag, NonTransactional: p.NonTransactional,
			CopyData: p.Data, HasCopyData: p.HasData, node: p.Node,
		})
	}
	errs = append(errs, checkBlocks(file, out)...)
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: %w (only comments or whitespace)", file, ErrEmptyMigration)
	}
	return out, nil
}

// checkBlocks refuses transaction control the runner cannot honour. A file
// may manage its own transactions with explicit blocks — BEGIN (or START
// TRANSACTION) ... COMMIT (or END), not nested, with SAVEPOINT, RELEASE and
// ROLLBACK TO inside — and the runner then runs each block as written, as a
// unit, and every statement outside a block alone. Refused: a COMMIT, END
// or ROLLBACK with no block open (it would end the runner's own
// transaction in the middle of the file), a block never committed, a block
// ended by ROLLBACK, a nested BEGIN, savepoints outside a block, prepared
// transactions, and a statement that cannot run in a transaction block
// inside one.
func checkBlocks(file string, stmts []Statement) []error {
	var errs []error
	open := 0 // line of the BEGIN of the open block
	for _, st := range stmts {
		ts := st.node.GetTransactionStmt()
		if ts == nil {
			if open > 0 && st.NonTransactional {
				errs = append(errs, fmt.Errorf("%s:%d: %s cannot run inside the transaction block opened at line %d; move it out of the block", file, st.Line, st.Tag, open))
			}
			continue
		}
		switch ts.Kind {
		case pg_query.TransactionStmtKind_TRANS_STMT_BEGIN, pg_query.TransactionStmtKind_TRANS_STMT_START:
			if open > 0 {
				errs = append(errs, fmt.Errorf("%s:%d: %s inside the transaction block opened at line %d; blocks do not nest", file, st.Line, st.Tag, open))
				continue
			}
			open = st.Line
		case pg_query.TransactionStmtKind_TRANS_STMT_COMMIT:
			if open == 0 {
				errs = append(errs, fmt.Errorf("%s:%d: %s with no BEGIN before it would end the runner's own transaction in the middle of the file; remove it, or open the block with BEGIN", file, st.Line, st.Tag))
			}
			open = 0
		case pg_query.TransactionStmtKind_TRANS_STMT_ROLLBACK:
			if open == 0 {
				errs = append(errs, fmt.Errorf("%s:%d: ROLLBACK with no BEGIN before it would undo the runner's own transaction; remove it", file, st.Line))
			} else {
				errs = append(errs, fmt.Errorf("%s:%d: ROLLBACK ends the block opened at line %d by undoing it; a migration must commit what it applies", file, st.Line, open))
			}
			open = 0
		case pg_query.TransactionStmtKind_TRANS_STMT_SAVEPOINT, pg_query.TransactionStmtKind_TRANS_STMT_RELEASE, pg_query.TransactionStmtKind_TRANS_STMT_ROLLBACK_TO:
			if open == 0 {
				errs = append(errs, fmt.Errorf("%s:%d: %s outside a BEGIN ... COMMIT block; savepoints need the file's own block", file, st.Line, st.Tag))
			}
		default:
			errs = append(errs, fmt.Errorf("%s:%d: %s: prepared transactions cannot run in a migration", file, st.Line, st.Tag))
		}
	}
	if open > 0 {
		errs = append(errs, fmt.Errorf("%s:%d: the transaction block opened here is never committed; end it with COMMIT", file, open))
	}
	return errs
}

// OwnTransactions returns the line of the file's first BEGIN when it
// manages its own transactions with explicit blocks (0 otherwise).
func (m *Migration) OwnTransactions() int {
	for _, st := range m.Statements {
		if ts := st.node.GetTransactionStmt(); ts != nil && (ts.Kind == pg_query.TransactionStmtKind_TRANS_STMT_BEGIN || ts.Kind == pg_query.TransactionStmtKind_TRANS_STMT_START) {
			return st.Line
		}
	}
	return 0
}
