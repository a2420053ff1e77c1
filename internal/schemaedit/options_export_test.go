package schemaedit

// BuiltinOpClasses exposes the built-in operator classes the editor knows
// to the tests, which check them against the server's pg_opclass.
var BuiltinOpClasses = builtinOpClasses

// ResolveCollation exposes resolveCollation to the tests.
var ResolveCollation = resolveCollation
