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
	}
	for _, c := range cases {
		if got := Reloadable(c.in); got != c.want {
			t.Errorf("Reloadable(%q)\n = %q\nwant %q", c.in, got, c.want)
		}
	}
}
