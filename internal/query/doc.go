// Package query runs SQL typed by a person against one database, for the
// desktop SQL editor and `tidemark query`.
//
// The default mode is read-only by construction. Every statement passes
// three independent fences, each of which alone stops the attempts it is
// meant to stop (the tests prove each one separately):
//
//  1. The allow-list (Check): from the PostgreSQL parse tree only SELECT
//     (without INTO, FOR UPDATE/SHARE or a data-modifying CTE), VALUES,
//     TABLE, EXPLAIN without ANALYZE of such a query and SHOW pass, and calls
//     to functions with effects outside the transaction (backend signals,
//     set_config, advisory locks, large objects, dblink, notifications,
//     server file access, sequences, dynamic SQL) are refused by name. A
//     refused script is refused whole, before anything is sent.
//  2. The server: the session is opened with default_transaction_read_only
//     = on and a statement timeout; each statement runs alone (extended
//     protocol, so nothing can ride along after a ';') inside BEGIN READ
//     ONLY ... ROLLBACK.
//  3. Nothing persists: the transaction is always rolled back and DISCARD
//     ALL (prepared statements, temporary objects, advisory locks, session
//     settings, LISTEN) runs before the session takes the next statement.
//
// Admin mode is an explicit Option: statements run as typed in autocommit,
// with explicit BEGIN/COMMIT honoured, like psql.
package query
