package diff

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/pg"
	"github.com/tidemark-dev/tidemark/internal/scratch"
)

// Compute plans the change from -> to and, when opts.Scratch names a server
// and validation is not turned off, validates the plan on a scratch copy of
// from (see Validate). A plan that does not reproduce to is refused with a
// *RefusalError naming the objects that still differ.
func Compute(ctx context.Context, from, to *catalog.Schema, opts Options) (Plan, error) {
	plan, err := Diff(from, to, opts)
	if err != nil {
		return plan, err
	}
	if opts.Scratch == "" || opts.SkipValidation {
		return plan, nil
	}
	if err := Validate(ctx, &plan, from, to, opts); err != nil {
		return plan, err
	}
	return plan, nil
}

// ComputeResults is Compute over two inspection results; the objects either
// side could not model are listed in Plan.Unsupported.
func ComputeResults(ctx context.Context, from, to *catalog.Result, opts Options) (Plan, error) {
	plan, err := Compute(ctx, &from.Schema, &to.Schema, opts)
	for _, o := range from.Unsupported {
		plan.Unsupported = append(plan.Unsupported, UnsupportedObject{Side: "from", Object: o})
	}
	for _, o := range to.Unsupported {
		plan.Unsupported = append(plan.Unsupported, UnsupportedObject{Side: "to", Object: o})
	}
	return plan, err
}

// Validate loads Dump(from) into a scratch database on opts.Scratch, applies
// the plan, inspects the result and compares it with to (column order
// aside). It sets plan.Validated on success; otherwise it returns a
// *RefusalError naming what failed or still differs. The scratch database
// is dropped afterwards.
func Validate(ctx context.Context, plan *Plan, from, to *catalog.Schema, opts Options) (err error) {
	db, err := scratch.Create(ctx, opts.Scratch)
	if err != nil {
		return fmt.Errorf("validate plan: %w", err)
	}
	defer func() {
		if derr := db.Drop(context.WithoutCancel(ctx)); derr != nil && err == nil {
			err = fmt.Errorf("validate plan: %w", derr)
		}
	}()
	noPriv := opts.NoPrivileges || !from.Privileges
	src := catalog.Dump(*from, catalog.DumpOptions{NoPrivileges: noPriv})
	if err := db.Load(ctx, "source schema", string(src)); err != nil {
		var pe *pgconn.PgError
		if !noPriv && errors.As(err, &pe) && pe.Code == "42704" {
			return fmt.Errorf("validate plan: load the source schema into scratch database %s: %w "+
				"(the scratch server needs the roles that own or are granted the source's objects; compare without privileges to avoid this)", db.Name, err)
		}
		return fmt.Errorf("validate plan: load the source schema into scratch database %s: %w", db.Name, err)
	}
	conn, err := pg.ConnectURL(ctx, db.URL)
	if err != nil {
		return fmt.Errorf("validate plan: connect to scratch database: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if err := Apply(ctx, conn, *plan); err != nil {
		return &RefusalError{Refusals: []Refusal{{Object: "plan", Reason: "applying it to a copy of the source failed: " + err.Error()}}}
	}
	iopts := opts.Inspect
	iopts.NoPrivileges = iopts.NoPrivileges || noPriv
	res, err := catalog.Inspect(ctx, conn, iopts)
	if err != nil {
		return fmt.Errorf("validate plan: inspect scratch database: %w", err)
	}
	target := to.Clone()
	if noPriv || opts.NoPrivileges {
		target.Privileges = false
	}
	var refusals []Refusal
	for _, k := range Differences(&res.Schema, &target, noPriv || opts.NoPrivileges) {
		refusals = append(refusals, Refusal{Object: k, Reason: "still differs from the target after applying the plan"})
	}
	if len(refusals) == 0 {
		again, err := Diff(&res.Schema, &target, opts)
		if err != nil {
			return fmt.Errorf("validate plan: second diff: %w", err)
		}
		for _, s := range again.Statements {
			refusals = append(refusals, Refusal{Object: s.Object, Reason: "a second diff still plans: " + oneLine(s.SQL)})
		}
	}
	if len(refusals) > 0 {
		return &RefusalError{Refusals: refusals}
	}
	plan.Validated = true
	return nil
}

// Apply runs the plan's statements one by one (each in its own implicit
// transaction) on conn, with their lock and statement timeouts. An error
// names the failing statement.
func Apply(ctx context.Context, conn *pgx.Conn, plan Plan) error {
	for i, s := range plan.Statements {
		set := fmt.Sprintf("SET lock_timeout = %d; SET statement_timeout = %d", s.LockTimeout.Milliseconds(), s.StatementTimeout.Milliseconds())
		if _, err := conn.Exec(ctx, set); err != nil {
			return fmt.Errorf("statement %d: set timeouts: %w", i+1, err)
		}
		if _, err := conn.Exec(ctx, s.SQL, pgx.QueryExecModeSimpleProtocol); err != nil {
			return fmt.Errorf("statement %d (%s): %w", i+1, oneLine(s.SQL), err)
		}
	}
	if _, err := conn.Exec(ctx, "RESET lock_timeout; RESET statement_timeout"); err != nil {
		return fmt.Errorf("reset timeouts: %w", err)
	}
	return nil
}

// Differences compares two models object by object (as Dump renders them,
// table columns compared in name order so column order does not count) and
// returns the keys of the objects that differ or exist on one side only.
func Differences(a, b *catalog.Schema, noPrivileges bool) []string {
	na, nb := nodesSortedColumns(a, noPrivileges), nodesSortedColumns(b, noPrivileges)
	var out []string
	for k, sa := range na {
		if sb, ok := nb[k]; !ok || !equalStrings(sa, sb) {
			out = append(out, k)
		}
	}
	for k := range nb {
		if _, ok := na[k]; !ok {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// ColumnOrderDifferences lists tables present on both sides whose columns
// are in a different order.
func ColumnOrderDifferences(a, b *catalog.Schema) []string {
	var out []string
	for i := range a.Tables {
		ta := &a.Tables[i]
		tb := b.Table(ta.QualifiedName)
		if tb == nil || len(ta.Columns) != len(tb.Columns) {
			continue
		}
		for j := range ta.Columns {
			if ta.Columns[j].Name != tb.Columns[j].Name {
				out = append(out, ta.QualifiedName.String())
				break
			}
		}
	}
	return out
}

func nodesSortedColumns(s *catalog.Schema, noPrivileges bool) map[string][]string {
	c := s.Clone()
	if noPrivileges {
		c.Privileges = false
	}
	for i := range c.Tables {
		cols := c.Tables[i].Columns
		sort.SliceStable(cols, func(x, y int) bool { return cols[x].Name < cols[y].Name })
	}
	m := map[string][]string{}
	for _, n := range catalog.DumpNodes(c, catalog.DumpOptions{NoHeader: true, NoPrivileges: noPrivileges}) {
		m[n.Key] = n.Statements
	}
	return m
}
