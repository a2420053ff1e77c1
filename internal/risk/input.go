package risk

import (
	"strings"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/interpreter"

	"github.com/tidemark-dev/tidemark/internal/sqlparse"
)

// Input is the facts of one statement (one per table it touches) that a
// condition sees. It is a CEL activation.
type Input struct {
	EnvironmentID    string
	Production       bool
	ProjectID        string
	InstanceID       string
	DatabaseName     string
	SchemaName       string
	TableName        string
	SQLType          string
	AffectedRows     int64
	TableRows        int64
	StatementText    string
	HasDestructive   bool
	NonTransactional bool
	IssueType        string
	// Line is the statement's line in the task's SQL (not a variable).
	Line int
}

// ResolveName implements interpreter.Activation.
func (in *Input) ResolveName(name string) (any, bool) {
	switch name {
	case "environment_id":
		return types.String(in.EnvironmentID), true
	case "production":
		return types.Bool(in.Production), true
	case "project_id":
		return types.String(in.ProjectID), true
	case "instance_id":
		return types.String(in.InstanceID), true
	case "database_name":
		return types.String(in.DatabaseName), true
	case "schema_name":
		return types.String(in.SchemaName), true
	case "table_name":
		return types.String(in.TableName), true
	case "sql_type":
		return types.String(in.SQLType), true
	case "affected_rows":
		return types.Int(in.AffectedRows), true
	case "table_rows":
		return types.Int(in.TableRows), true
	case "statement_text":
		return types.String(in.StatementText), true
	case "has_destructive":
		return types.Bool(in.HasDestructive), true
	case "non_transactional":
		return types.Bool(in.NonTransactional), true
	case "issue_type":
		return types.String(in.IssueType), true
	}
	return nil, false
}

// Parent implements interpreter.Activation.
func (in *Input) Parent() interpreter.Activation { return nil }

// Target is what a task changes: the facts shared by all its statements.
type Target struct {
	EnvironmentID string
	Production    bool
	ProjectID     string
	InstanceID    string
	DatabaseName  string
	IssueType     string
}

// Facts are the checks' numbers for a task's statements.
type Facts struct {
	// AffectedRows is the affected-rows estimate by statement line.
	AffectedRows map[int]int64
	// TableRows is the row estimate by table, keyed "schema.table" (and
	// "table" for tables written without their schema).
	TableRows map[string]int64
}

// SQLType is the rule spelling of a command tag: "ALTER TABLE" →
// "ALTER_TABLE"; "TRUNCATE TABLE" is "TRUNCATE".
func SQLType(tag string) string {
	if tag == "TRUNCATE TABLE" {
		return "TRUNCATE"
	}
	return strings.ReplaceAll(strings.ToUpper(strings.TrimSpace(tag)), " ", "_")
}

// Inputs returns the facts of every statement of a task's SQL: one input
// per table a statement touches (one with no table when it touches none).
// A script that does not parse is graded as one statement of type
// UNPARSED (its whole text), so it is never low risk by default where any
// change is not (production); the syntax check reports the error.
func Inputs(t Target, sql string, f Facts) []Input {
	sts, err := sqlparse.Split(sql)
	if err != nil {
		return []Input{{
			EnvironmentID: t.EnvironmentID, Production: t.Production, ProjectID: t.ProjectID, InstanceID: t.InstanceID,
			DatabaseName: t.DatabaseName, IssueType: t.IssueType, SQLType: Unparsed, StatementText: sql, Line: 1,
		}}
	}
	return StatementInputs(t, sts, f)
}

// Unparsed is the sql_type of a script that does not parse.
const Unparsed = "UNPARSED"

// StatementInputs is Inputs over statements already split.
func StatementInputs(t Target, sts []sqlparse.Statement, f Facts) []Input {
	var out []Input
	for _, st := range sts {
		if st.Kind == sqlparse.MetaCommand || st.Kind == sqlparse.Empty {
			continue
		}
		base := Input{
			EnvironmentID: t.EnvironmentID, Production: t.Production, ProjectID: t.ProjectID, InstanceID: t.InstanceID,
			DatabaseName: t.DatabaseName, IssueType: t.IssueType,
			SQLType: SQLType(st.Tag), StatementText: st.Text, NonTransactional: st.NonTransactional,
			HasDestructive: len(sqlparse.Destructive([]sqlparse.Statement{st})) > 0,
			AffectedRows:   f.AffectedRows[st.Line], Line: st.Line,
		}
		n := 0
		for _, o := range sqlparse.Objects(st.Node) {
			in := base
			switch o.Type {
			case "table":
				in.SchemaName, in.TableName = o.Schema, o.Name
				if in.SchemaName == "" {
					in.SchemaName = "public"
				}
				rows, ok := f.TableRows[in.SchemaName+"."+in.TableName]
				if !ok {
					rows = f.TableRows[in.TableName]
				}
				in.TableRows = rows
			case "schema":
				in.SchemaName = o.Name
			default:
				continue
			}
			out = append(out, in)
			n++
		}
		if n == 0 {
			out = append(out, base)
		}
	}
	return out
}

// CreateDatabaseInput is the facts of a create_database task.
func CreateDatabaseInput(t Target) Input {
	return Input{
		EnvironmentID: t.EnvironmentID, Production: t.Production, ProjectID: t.ProjectID, InstanceID: t.InstanceID,
		DatabaseName: t.DatabaseName, IssueType: t.IssueType, SQLType: "CREATE_DATABASE",
		StatementText: "CREATE DATABASE " + t.DatabaseName, NonTransactional: true, Line: 1,
	}
}
