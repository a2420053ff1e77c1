// Package sqlparse splits PostgreSQL scripts into statements with exact byte
// offsets and positions, classifies them, and reports which ones cannot run
// inside a transaction block. Statement boundaries and parse trees come from
// the PostgreSQL parser itself (pg_query_go), so what it accepts is what the
// server accepts; a psql-compatible scanner finds what the server never sees
// (meta-commands such as \connect, COPY ... FROM STDIN data blocks).
package sqlparse
