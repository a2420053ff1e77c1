package migrate

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/pgtest"
)

// When the lock session is lost between units (here: its backend
// terminated once V1 is done), the next unit is not committed: the run
// stops before it with a RunError naming it, V1 stays applied, V2 leaves no
// trace, and a re-run applies the rest.
func TestLockLostStopsBeforeNextUnit(t *testing.T) {
	url := pg.NewDB(t)
	mon := pgtest.Conn(t, url)
	ms := load(t, map[string]string{
		"V1__a.sql": "CREATE TABLE a (id int);",
		"V2__b.sql": "CREATE TABLE b (id int);\nINSERT INTO b VALUES (1);",
		"V3__c.sql": "CREATE TABLE c (id int);",
	})
	ctx := context.Background()
	_, err := newRunner(t, url).Apply(ctx, ms, ApplyOptions{Progress: func(p Progress) {
		if p.Event != EventUnitDone || p.Version != "1" {
			return
		}
		var ok bool
		if err := mon.QueryRow(ctx, `SELECT pg_catalog.pg_terminate_backend(l.pid, 5000) FROM pg_catalog.pg_locks l
			WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1 AND l.objid = $2 AND l.objsubid = 1`,
			lockClassID, lockObjID).Scan(&ok); err != nil || !ok {
			t.Errorf("terminate the lock session: %v (%v)", err, ok)
		}
	}})
	var re *RunError
	if !errors.As(err, &re) || !strings.Contains(err.Error(), "stopped before V2__b.sql") || len(re.Applied) != 1 {
		t.Fatalf("want a RunError stopping before V2 with V1 applied; got %v", err)
	}
	if n := queryInt(t, mon, `SELECT count(*) FROM pg_tables WHERE tablename IN ('b', 'c')`); n != 0 {
		t.Errorf("%d of V2/V3's tables exist", n)
	}
	if n := queryInt(t, mon, `SELECT count(*) FROM tidemark.migration_history WHERE version <> '1'`); n != 0 {
		t.Errorf("%d history rows for V2/V3", n)
	}
	res, err := newRunner(t, url).Apply(ctx, ms, ApplyOptions{})
	if err != nil || len(res.Applied) != 2 {
		t.Fatalf("re-run: %v, %d applied", err, len(res.Applied))
	}
	if n := queryInt(t, mon, `SELECT count(*) FROM b`); n != 1 {
		t.Errorf("V2's insert ran %d times", n)
	}
}
