package sample

import _ "embed"

//go:embed sql/schema.sql
var schemaSQL string

//go:embed sql/data.sql
var dataSQL string
