// Package review is Tidemark's SQL review engine for PostgreSQL migrations.
//
// A Registry (NewRegistry) holds the built-in rules — naming, table,
// statement, column, index, system, backward-compatibility, lock-safety and
// transaction rules — each with an id in Bytebase's dotted style
// (table.require-pk), a title, a rationale, a default level and a typed
// payload. A Policy (a template, or YAML) picks rules, levels and payloads.
//
// Review splits a script with sqlparse, simulates every statement against a
// Catalog (the target's tables, columns, indexes, constraints and row
// estimates) so rules see the state each statement runs on and the final
// state after the script, and returns Advice with rule id, level, title,
// message, line/column and the statement's span. Rules that need a live
// database (EXPLAIN estimates, dry runs, ownership) use the Live interface.
// Comments `-- tidemark:ignore <rule-id>` suppress advice on a statement or,
// at the top of the file, for the whole file.
package review
