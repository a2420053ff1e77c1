package risk

// Presets are the risk rules a new workspace starts with: high for dropping
// a table, schema or database, truncating, dropping a column, changing a
// column's type on a table over 1M rows, and updating or deleting over
// 10,000 rows in production; moderate for any DDL or DML in production;
// everything else is low (no rule needed). Schema and data changes get the
// same statement rules (either kind of issue may hold any statement);
// creating a database in production is moderate.
func Presets() []Rule {
	stmt := []Rule{
		{ID: "drop-table", Title: "Drop table", Level: High, Condition: `sql_type == "DROP_TABLE"`},
		{ID: "drop-schema", Title: "Drop schema", Level: High, Condition: `sql_type == "DROP_SCHEMA"`},
		{ID: "drop-database", Title: "Drop database", Level: High, Condition: `sql_type == "DROP_DATABASE"`},
		{ID: "truncate", Title: "Truncate", Level: High, Condition: `sql_type == "TRUNCATE"`},
		{ID: "drop-column", Title: "Drop column", Level: High,
			Condition: `sql_type == "ALTER_TABLE" && has_destructive && (statement_text.matches("(?i)\\bDROP\\s+COLUMN\\b") || !statement_text.matches("(?i)\\bDROP\\s+CONSTRAINT\\b"))`},
		{ID: "alter-column-type-large", Title: "Change a column's type on a table over 1M rows", Level: High,
			Condition: `sql_type == "ALTER_TABLE" && statement_text.matches("(?i)\\bALTER\\s+(COLUMN\\s+)?[^\\s]+\\s+(SET\\s+DATA\\s+)?TYPE\\b") && table_rows > 1000000`},
		{ID: "update-delete-large-prod", Title: "Update or delete over 10,000 rows in production", Level: High,
			Condition: `production && sql_type in ["UPDATE", "DELETE"] && affected_rows > 10000`},
		{ID: "ddl-dml-prod", Title: "DDL or DML in production", Level: Moderate,
			Condition: `production && sql_type != "SELECT"`},
	}
	var out []Rule
	for _, src := range []Source{SourceSchemaChange, SourceDataChange} {
		for _, r := range stmt {
			r.Source, r.Enabled = src, true
			r.ID = string(src) + "." + r.ID
			out = append(out, r)
		}
	}
	return append(out, Rule{ID: "create_database.prod", Title: "Create a database in production", Source: SourceCreateDatabase,
		Level: Moderate, Condition: `production`, Enabled: true})
}
