package sqlparse

import (
	"reflect"
	"testing"
)

func TestDestructive(t *testing.T) {
	cases := []struct {
		name, sql string
		want      []string
	}{
		{"none", "CREATE TABLE t (id int);\nSELECT 1;", nil},
		{"drop table", "SELECT 1;\nDROP TABLE t;", []string{"line 2: DROP TABLE"}},
		{"drop index", "DROP INDEX CONCURRENTLY i;", []string{"line 1: DROP INDEX"}},
		{"truncate", "TRUNCATE t;", []string{"line 1: TRUNCATE"}},
		{"delete all", "DELETE FROM t;", []string{"line 1: DELETE without WHERE"}},
		{"delete some", "DELETE FROM t WHERE id = 1;", nil},
		{"update all", "UPDATE t SET a = 1;", []string{"line 1: UPDATE without WHERE"}},
		{"update some", "UPDATE t SET a = 1 WHERE id = 2;", nil},
		{"drop column", "ALTER TABLE t ADD COLUMN b int, DROP COLUMN a;", []string{"line 1: ALTER TABLE ... DROP COLUMN"}},
		{"drop constraint", "ALTER TABLE t DROP CONSTRAINT c;", []string{"line 1: ALTER TABLE ... DROP CONSTRAINT"}},
		{"comment and string do not count", "-- DROP TABLE t;\nSELECT 'DROP TABLE t';", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sts, err := Split(c.sql)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, d := range Destructive(sts) {
				got = append(got, d.String())
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("Destructive(%q) = %q, want %q", c.sql, got, c.want)
			}
		})
	}
}
