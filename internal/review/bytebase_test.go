package review

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/tidemark-dev/tidemark/internal/testcorpus"
)

// bytebaseRules maps the corpus file names (Bytebase rule types) to our rule
// ids and the non-default settings the corpus README prescribes.
var bytebaseRules = map[string]struct {
	id      string
	payload *Payload
}{
	"builtin_prior_backup_check":                          {"statement.prior-backup-check", nil},
	"column_comment":                                      {"column.comment", &Payload{Required: true, MaxLength: 10}},
	"column_default_disallow_volatile":                    {"column.default-disallow-volatile", nil},
	"column_disallow_change_type":                         {"column.disallow-change-type", nil},
	"column_maximum_character_length":                     {"column.maximum-character-length", &Payload{Number: 20}},
	"column_no_null":                                      {"column.no-null", nil},
	"column_require_default":                              {"column.require-default", nil},
	"column_required":                                     {"column.required", &Payload{List: []string{"id", "created_ts", "updated_ts", "creator_id", "updater_id"}}},
	"column_type_disallow_list":                           {"column.type-disallow-list", &Payload{List: []string{"JSON", "BINARY_FLOAT"}}},
	"index_create_concurrently":                           {"index.create-concurrently", nil},
	"index_key_number_limit":                              {"index.key-number-limit", &Payload{Number: 5}},
	"index_no_duplicate_column":                           {"index.no-duplicate-column", nil},
	"index_primary_key_type_allowlist":                    {"index.primary-key-type-allowlist", &Payload{List: []string{"serial", "bigserial", "int", "bigint"}}},
	"index_total_number_limit":                            {"index.total-number-limit", &Payload{Number: 5}},
	"naming_column":                                       {"naming.column", &Payload{Format: "^[a-z]+(_[a-z]+)*$", MaxLength: 64}},
	"naming_fully_qualified":                              {"naming.fully-qualified", nil},
	"naming_index_fk":                                     {"naming.index.fk", &Payload{Format: "^$|^fk_{{referencing_table}}_{{referencing_column}}_{{referenced_table}}_{{referenced_column}}$", MaxLength: 64}},
	"naming_index_idx":                                    {"naming.index.idx", &Payload{Format: "^$|^idx_{{table}}_{{column_list}}$", MaxLength: 64}},
	"naming_index_pk":                                     {"naming.index.pk", &Payload{Format: "^$|^pk_{{table}}_{{column_list}}$", MaxLength: 64}},
	"naming_index_uk":                                     {"naming.index.uk", &Payload{Format: "^$|^uk_{{table}}_{{column_list}}$", MaxLength: 64}},
	"naming_table":                                        {"naming.table", &Payload{Format: "^[a-z]+(_[a-z]+)*$", MaxLength: 64}},
	"schema_backward_compatibility":                       {"schema.backward-compatibility", nil},
	"statement_add_check_not_valid":                       {"statement.add-check-not-valid", nil},
	"statement_add_foreign_key_not_valid":                 {"statement.add-foreign-key-not-valid", nil},
	"statement_affected_row_limit":                        {"statement.affected-row-limit", &Payload{Number: 5}},
	"statement_check_set_role_variable":                   {"statement.check-set-role-variable", nil},
	"statement_create_specify_schema":                     {"statement.create-specify-schema", nil},
	"statement_disallow_add_column_with_default":          {"statement.disallow-add-column-with-default", nil},
	"statement_disallow_add_not_null":                     {"statement.disallow-add-not-null", nil},
	"statement_disallow_commit":                           {"statement.disallow-commit", nil},
	"statement_disallow_on_del_cascade":                   {"statement.disallow-on-del-cascade", nil},
	"statement_disallow_rm_tbl_cascade":                   {"statement.disallow-rm-tbl-cascade", nil},
	"statement_disallow_truncate":                         {"statement.disallow-truncate", nil},
	"statement_dml_dry_run":                               {"statement.dml-dry-run", nil},
	"statement_insert_disallow_order_by_rand":             {"statement.insert.disallow-order-by-rand", nil},
	"statement_insert_must_specify_column":                {"statement.insert.must-specify-column", nil},
	"statement_insert_row_limit":                          {"statement.insert.row-limit", &Payload{Number: 5}},
	"statement_merge_alter_table":                         {"statement.merge-alter-table", nil},
	"statement_non_transactional":                         {"statement.non-transactional", nil},
	"statement_object_owner_check":                        {"statement.object-owner-check", nil},
	"statement_select_no_select_all":                      {"statement.select.no-select-all", nil},
	"statement_where_disallow_functions_and_calculations": {"statement.where.disallow-functions-and-calculations", nil},
	"statement_where_no_leading_wildcard_like":            {"statement.where.no-leading-wildcard-like", nil},
	"statement_where_require_select":                      {"statement.where.require.select", nil},
	"statement_where_require_update_delete":               {"statement.where.require.update-delete", nil},
	"system_charset_allowlist":                            {"system.charset.allowlist", &Payload{List: []string{"utf8mb4", "UTF8"}}},
	"system_collation_allowlist":                          {"system.collation.allowlist", &Payload{List: []string{"utf8mb4_0900_ai_ci"}}},
	"system_comment_length":                               {"system.comment.length", &Payload{Number: 20}},
	"table_comment":                                       {"table.comment", &Payload{Required: true, MaxLength: 10}},
	"table_disallow_partition":                            {"table.disallow-partition", nil},
	"table_drop_naming_convention":                        {"table.drop-naming-convention", &Payload{Format: "_delete$"}},
	"table_no_foreign_key":                                {"table.no-foreign-key", nil},
	"table_require_pk":                                    {"table.require-pk", nil},
}

// bytebaseNotRun are corpus files their owners do not run (README).
var bytebaseNotRun = map[string]bool{"hello_world": true, "statement_disallow_mix_in_ddl": true, "statement_disallow_mix_in_dml": true}

// BytebaseCatalog is the catalog the corpus assumes (its README).
func bytebaseCatalog() *Catalog {
	c := NewCatalog()
	c.Known = true
	c.Database = "TEST_DB"
	c.AddSchema("bbdataarchive")
	cols := func(names ...string) []*Column {
		var out []*Column
		for _, n := range names {
			typ := "text"
			if strings.HasSuffix(n, "id") {
				typ = "integer"
			}
			out = append(out, &Column{Name: n, Type: typ})
		}
		return out
	}
	tb := &Table{Name: "tech_book", Columns: cols("id", "name", "creator"), Rows: -1,
		Constraints: []*Constraint{{Name: "old_pk", Type: "p", Columns: []string{"id", "name"}, Index: "old_pk"},
			{Name: "old_uk", Type: "u", Columns: []string{"id", "name"}, Index: "old_uk"}},
		Indexes: []*Index{{Name: "old_pk", Columns: []string{"id", "name"}, Unique: true, Primary: true, Constraint: "old_pk"},
			{Name: "old_uk", Columns: []string{"id", "name"}, Unique: true, Constraint: "old_uk"},
			{Name: "old_index", Columns: []string{"id", "name"}}}}
	tb.Columns[0].NotNull, tb.Columns[1].NotNull = true, true
	c.AddTable(tb)
	orders := &Table{Name: "orders", Columns: cols("order_id", "customer_name", "amount", "note", "name"), Rows: -1,
		Constraints: []*Constraint{{Name: "orders_pkey", Type: "p", Columns: []string{"order_id"}, Index: "orders_pkey"}},
		Indexes: []*Index{{Name: "orders_pkey", Columns: []string{"order_id"}, Unique: true, Primary: true, Constraint: "orders_pkey"},
			{Name: "idx_orders_customer", Columns: []string{"customer_name"}}, {Name: "idx_orders_amount", Columns: []string{"amount"}}}}
	orders.Columns[2].Type = "numeric"
	c.AddTable(orders)
	c.AddTable(&Table{Name: "products", Columns: cols("product_id", "title", "price"), Rows: -1,
		Constraints: []*Constraint{{Name: "products_pkey", Type: "p", Columns: []string{"product_id"}, Index: "products_pkey"}},
		Indexes: []*Index{{Name: "products_pkey", Columns: []string{"product_id"}, Unique: true, Primary: true, Constraint: "products_pkey"},
			{Name: "idx_products_price", Columns: []string{"price"}}}})
	c.AddTable(&Table{Name: "no_index_table", Columns: cols("col_a", "col_b"), Rows: -1})
	c.AddTable(&Table{Name: "insert_target", Columns: cols("id", "name"), Rows: -1})
	return c
}

type bytebaseCase struct {
	Statement string `yaml:"statement"`
	Want      []struct {
		Title         string `yaml:"title"`
		StartPosition *struct {
			Line int `yaml:"line"`
		} `yaml:"startposition"`
	} `yaml:"want"`
}

// TestBytebaseCorpus runs every case of Bytebase's PostgreSQL SQL-review
// tests through the engine with the corpus's catalog and settings and
// compares (rule, line).
func TestBytebaseCorpus(t *testing.T) {
	dir := testcorpus.Path(t, "bytebase-sql-review")
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus files in %s", dir)
	}
	reg := NewRegistry()
	deviations := map[string]string{}
	for _, d := range bytebaseDeviations() {
		deviations[d.Case] = d.Reason
	}
	total, pass := 0, 0
	var failures []string
	for _, fn := range files {
		base := strings.TrimSuffix(filepath.Base(fn), ".yaml")
		if bytebaseNotRun[base] {
			continue
		}
		m, ok := bytebaseRules[base]
		if !ok {
			t.Errorf("corpus file %s has no rule mapping", base)
			continue
		}
		data, err := os.ReadFile(fn)
		if err != nil {
			t.Fatal(err)
		}
		var cases []bytebaseCase
		if err := yaml.Unmarshal(data, &cases); err != nil {
			t.Fatalf("%s: %v", fn, err)
		}
		for i, tc := range cases {
			total++
			key := fmt.Sprintf("%s#%d", base, i)
			pol := &Policy{Name: "bytebase", Rules: []RuleConfig{{ID: m.id, Level: Warning, Payload: m.payload}}}
			opts := Options{Policy: pol, Catalog: bytebaseCatalog()}
			if m.id == "statement.disallow-add-column-with-default" {
				// Bytebase's rule models servers before 11, where every
				// default rewrites; ours follows the target's version.
				opts.ServerVersion = 100000
			}
			res, err := reg.Review(context.Background(), tc.Statement, opts)
			var got []int
			if err != nil {
				failures = append(failures, fmt.Sprintf("%s: review error %v", key, err))
				continue
			}
			for _, a := range res.Advice {
				if a.Rule == m.id {
					got = append(got, a.Line)
				}
			}
			var want []int
			for _, w := range tc.Want {
				line := 0
				if w.StartPosition != nil {
					line = w.StartPosition.Line
				}
				want = append(want, line)
			}
			if sameLines(want, got) {
				pass++
				if reason, dev := deviations[key]; dev {
					t.Errorf("%s: listed as a deviation (%s) but now agrees; remove it", key, reason)
				}
				continue
			}
			if _, dev := deviations[key]; dev {
				continue
			}
			failures = append(failures, fmt.Sprintf("%s: want lines %v, got %v\n  %s", key, want, got, strings.ReplaceAll(tc.Statement, "\n", "\n  ")))
		}
	}
	sort.Strings(failures)
	for _, f := range failures {
		t.Error(f)
	}
	t.Logf("BYTEBASE corpus: %d/%d cases agree on (rule, line); %d deliberate deviations", pass, total, len(deviations))
}

// sameLines compares line multisets; a wanted line 0 matches any line.
func sameLines(want, got []int) bool {
	if len(want) != len(got) {
		return false
	}
	rest := append([]int(nil), got...)
	wild := 0
	for _, w := range want {
		if w == 0 {
			wild++
			continue
		}
		found := false
		for j, g := range rest {
			if g == w {
				rest = append(rest[:j], rest[j+1:]...)
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return len(rest) == wild
}
