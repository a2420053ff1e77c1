package erd

import (
	"strings"
	"testing"
)

func TestMermaid(t *testing.T) {
	d := Diagram{
		Tables: []Table{
			{ID: "public.customers", Schema: "public", Name: "customers", Columns: []Column{
				{Name: "id", Type: "integer", PrimaryKey: true}, {Name: "name", Type: "character varying(100)", Nullable: true}}},
			{ID: `"My App".orders`, Schema: "My App", Name: "orders", Columns: []Column{
				{Name: "id", Type: "bigint", PrimaryKey: true}, {Name: "customer_id", Type: "integer", ForeignKey: true, Nullable: true},
				{Name: "old", Type: "text", Mark: "dropped"}}},
			{ID: "public.gone", Schema: "public", Name: "gone", Mark: "dropped"},
		},
		Edges: []Edge{
			{ID: `"My App".orders/orders_customer_fk`, Name: "orders_customer_fk", From: `"My App".orders`, To: "public.customers", Columns: []string{"customer_id"}},
			{ID: "public.gone/g_fk", Name: "g_fk", From: "public.gone", To: "public.customers", Columns: []string{"x"}},
		},
	}
	got := d.Mermaid()
	for _, want := range []string{
		"erDiagram\n",
		"    public__customers {\n        integer id PK \"not null\"\n        character_varying_100_ name\n    }\n",
		"    My_App__orders {\n        bigint id PK \"not null\"\n        integer customer_id FK\n    }\n",
		`    public__customers |o--o{ My_App__orders : "orders_customer_fk"` + "\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("lacks %q:\n%s", want, got)
		}
	}
	for _, absent := range []string{"gone", "old", "g_fk"} {
		if strings.Contains(got, absent) {
			t.Errorf("dropped %q is drawn:\n%s", absent, got)
		}
	}
	for in, want := range map[string]string{"a b": "a_b", "1st": "_1st", "": "_", "x[]": "x__"} {
		if g := mermaidName(in); g != want {
			t.Errorf("mermaidName(%q) = %q, want %q", in, g, want)
		}
	}
}
