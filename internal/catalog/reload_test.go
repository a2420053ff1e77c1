package catalog

import "testing"

func TestReloadable(t *testing.T) {
	cases := []struct{ in, want string }{
		{"CHECK (((status)::text = ANY ((ARRAY['new'::character varying, 'paid'::character varying])::text[])))",
			"CHECK (((status)::text = ANY ((ARRAY['new'::character varying, 'paid'::character varying])::character varying[]::text[])))"},
		// already an array of the target element type: nothing to keep apart
		{"CHECK ((a = ANY (ARRAY['x'::text, 'y'::text])))", "CHECK ((a = ANY (ARRAY['x'::text, 'y'::text])))"},
		{"CHECK ((a = ANY ((ARRAY['x'::text, 'y'::text])::text[])))", "CHECK ((a = ANY ((ARRAY['x'::text, 'y'::text])::text[])))"},
		// mixed element types or non-literals: unchanged
		{"CHECK ((a = ANY ((ARRAY['x'::character varying, b])::text[])))", "CHECK ((a = ANY ((ARRAY['x'::character varying, b])::text[])))"},
		// quotes and commas inside literals
		{"CHECK (((s)::text = ANY ((ARRAY['a,b'::character varying, 'it''s'::character varying])::text[])))",
			"CHECK (((s)::text = ANY ((ARRAY['a,b'::character varying, 'it''s'::character varying])::character varying[]::text[])))"},
		{"CHECK ((n > 0))", "CHECK ((n > 0))"},
		// NULL elements are constants too
		{"CHECK (((s)::text = ANY ((ARRAY[NULL::character varying, 'a'::character varying])::text[])))",
			"CHECK (((s)::text = ANY ((ARRAY[NULL::character varying, 'a'::character varying])::character varying[]::text[])))"},
		// elements cast with different typmods: left alone
		{"CHECK (((s)::text = ANY ((ARRAY['a'::character varying(3), 'b'::character varying])::text[])))",
			"CHECK (((s)::text = ANY ((ARRAY['a'::character varying(3), 'b'::character varying])::text[])))"},
		// the shape inside a literal is data, not an expression
		{"CHECK ((s <> '(ARRAY[''a''::character varying])::text[]'::text))",
			"CHECK ((s <> '(ARRAY[''a''::character varying])::text[]'::text))"},
		{"CHECK ((\"(ARRAY['x'::character varying])::text[]\" > 0))",
			"CHECK ((\"(ARRAY['x'::character varying])::text[]\" > 0))"},
		// a literal holding a quote and '::' before the cast
		{"CHECK (((s)::text = ANY ((ARRAY['a''::b'::character varying, 'c'::character varying])::text[])))",
			"CHECK (((s)::text = ANY ((ARRAY['a''::b'::character varying, 'c'::character varying])::character varying[]::text[])))"},
		// several lists, and a whole statement
		{"CREATE INDEX i ON public.t USING btree (id) WHERE (((a)::text = ANY ((ARRAY['x'::character varying])::text[])) OR ((b)::text <> ALL ((ARRAY['y'::character varying, 'z'::character varying])::text[])))",
			"CREATE INDEX i ON public.t USING btree (id) WHERE (((a)::text = ANY ((ARRAY['x'::character varying])::character varying[]::text[])) OR ((b)::text <> ALL ((ARRAY['y'::character varying, 'z'::character varying])::character varying[]::text[])))"},
		// unbalanced input is returned as it is
		{"CHECK ((ARRAY['a'::character varying", "CHECK ((ARRAY['a'::character varying"},
		{"CHECK ('unterminated (ARRAY[", "CHECK ('unterminated (ARRAY["},
	}
	for _, c := range cases {
		if got := Reloadable(c.in); got != c.want {
			t.Errorf("Reloadable(%q)\n = %q\nwant %q", c.in, got, c.want)
		}
	}
}
