package catalog

import (
	"bufio"
	"embed"
	"fmt"
	"io/fs"
	"strings"
	"text/template"
)

//go:embed queries/*.sql
var queryFiles embed.FS

// queryData parameterises the query templates: the server version
// (server_version_num) guards version-specific columns; Priv turns the ACL
// sub-selects on.
type queryData struct {
	V    int
	Priv bool
	// Scoped is set when Options.Schemas limits the inspection: queries
	// that read every schema's rows for the caller to pick from (the
	// dependencies) then skip the other schemas' rows on the server.
	Scoped bool
}

// loadQueries reads every named query ("-- name: x" starts one) from the
// embedded files and renders it for d. It is called once per Inspect, so no
// state is kept between calls.
func loadQueries(d queryData) (map[string]string, error) {
	funcs := template.FuncMap{
		// acl renders the effective ACL of an object as aclitem text: the
		// stored ACL, or the built-in default for the kind when it is NULL.
		"acl": func(col, kind, owner string) string {
			if !d.Priv {
				return "NULL::pg_catalog.text[]"
			}
			return fmt.Sprintf("COALESCE(%s, pg_catalog.acldefault('%s', %s))::pg_catalog.text[]", col, kind, owner)
		},
		// notext excludes extension members (pg_depend deptype 'e').
		"notext": func(catalog, oid string) string {
			return fmt.Sprintf(`NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend xd
                  WHERE xd.classid = 'pg_catalog.%s'::pg_catalog.regclass AND xd.objid = %s AND xd.deptype = 'e')`, catalog, oid)
		},
	}
	out := map[string]string{}
	files, err := fs.Glob(queryFiles, "queries/*.sql")
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		b, err := queryFiles.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var name string
		var body strings.Builder
		flush := func() error {
			if name == "" {
				return nil
			}
			t, err := template.New(name).Funcs(funcs).Parse(body.String())
			if err != nil {
				return fmt.Errorf("query %s (%s): %w", name, f, err)
			}
			var sb strings.Builder
			if err := t.Execute(&sb, d); err != nil {
				return fmt.Errorf("query %s (%s): %w", name, f, err)
			}
			out[name] = sb.String()
			return nil
		}
		sc := bufio.NewScanner(strings.NewReader(string(b)))
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			if n, ok := strings.CutPrefix(line, "-- name: "); ok {
				if err := flush(); err != nil {
					return nil, err
				}
				name = strings.TrimSpace(n)
				body.Reset()
				continue
			}
			body.WriteString(line)
			body.WriteByte('\n')
		}
		if err := flush(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
