package monitor

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/tidemark-dev/tidemark/internal/pgtest"
	"github.com/tidemark-dev/tidemark/internal/schemasync"
	"github.com/tidemark-dev/tidemark/internal/workspace"
	"github.com/tidemark-dev/tidemark/internal/wstest"
)

var srv *pgtest.Server

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m, &srv)) }

// clock is an injected clock the test moves by hand.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func snapshots(t *testing.T, ws *workspace.Store, dbID string) int {
	t.Helper()
	list, err := ws.ListSnapshots(context.Background(), dbID)
	if err != nil {
		t.Fatal(err)
	}
	return len(list)
}

func result(t *testing.T, r InstanceResult, dbID string) DatabaseResult {
	t.Helper()
	if r.Err != nil {
		t.Fatalf("instance sync: %v", r.Err)
	}
	for _, d := range r.Databases {
		if d.Database.ID == dbID {
			return d
		}
	}
	t.Fatalf("database %s not synced: %+v", dbID, r.Databases)
	return DatabaseResult{}
}

// A sync stores a snapshot only when the schema's fingerprint changed, and
// records each attempt either way.
func TestSyncStoresOnlyChangedSchemas(t *testing.T) {
	f := wstest.New(t, srv)
	d, url := f.Database(t, `CREATE TABLE t1 (id int PRIMARY KEY)`)
	ctx := context.Background()
	c := &clock{now: time.Now()}
	m := New(Deps{WS: f.WS, Conns: f.Conns, Sync: schemasync.New(f.WS, f.Conns), Now: c.Now})

	if r := result(t, m.SyncInstance(ctx, f.Instance.ID), d.ID); !r.Stored || r.Err != nil {
		t.Fatalf("first sync: %+v, want a stored snapshot", r)
	}
	before, _ := f.WS.SyncStatus(ctx, d.ID)
	// Maintenance and data changes leave the model as it was.
	pgtest.MustExec(t, url, `INSERT INTO t1 VALUES (1)`)
	pgtest.MustExec(t, url, `VACUUM ANALYZE t1`)
	time.Sleep(5 * time.Millisecond) // attempts are recorded to the millisecond
	if r := result(t, m.SyncInstance(ctx, f.Instance.ID), d.ID); r.Stored || r.Err != nil {
		t.Fatalf("unchanged sync: %+v, want no snapshot stored", r)
	}
	if n := snapshots(t, f.WS, d.ID); n != 1 {
		t.Fatalf("%d snapshots after an unchanged sync, want 1", n)
	}
	after, _ := f.WS.SyncStatus(ctx, d.ID)
	if !after.AttemptedAt.After(before.AttemptedAt) || after.Error != "" {
		t.Fatalf("unchanged sync not recorded: before %+v after %+v", before, after)
	}
	pgtest.MustExec(t, url, `ALTER TABLE t1 ADD COLUMN age integer`)
	if r := m.SyncDatabase(ctx, d.ID); !r.Stored || r.Err != nil {
		t.Fatalf("sync after a change: %+v, want a stored snapshot", r)
	}
	if n := snapshots(t, f.WS, d.ID); n != 2 {
		t.Fatalf("%d snapshots after a change, want 2", n)
	}
	// A failing database records its failure; the snapshots stay.
	pgtest.MustExec(t, f.Srv.AdminURL, `ALTER DATABASE "`+d.Name+`" WITH ALLOW_CONNECTIONS false`)
	t.Cleanup(func() { pgtest.MustExec(t, f.Srv.AdminURL, `ALTER DATABASE "`+d.Name+`" WITH ALLOW_CONNECTIONS true`) })
	if r := m.SyncDatabase(ctx, d.ID); r.Err == nil {
		t.Fatalf("sync of a database refusing connections: %+v, want an error", r)
	}
	if st, _ := f.WS.SyncStatus(ctx, d.ID); st.Error == "" || st.SQLState != "55000" {
		t.Fatalf("failure not recorded with its SQLSTATE: %+v", st)
	}
	if n := snapshots(t, f.WS, d.ID); n != 2 {
		t.Fatalf("%d snapshots after a failed sync, want 2", n)
	}
}

// Instances come due on their own interval, measured on the injected clock.
func TestDueFollowsEachInstanceInterval(t *testing.T) {
	f := wstest.New(t, srv)
	f.Database(t, "")
	ctx := context.Background()
	c := &clock{now: time.Now()}
	m := New(Deps{WS: f.WS, Conns: f.Conns, Sync: schemasync.New(f.WS, f.Conns), Now: c.Now})
	id := f.Instance.ID
	due := func(want bool) {
		t.Helper()
		ids, err := m.Due(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got := len(ids) == 1 && ids[0] == id; got != want || (!want && len(ids) != 0) {
			t.Fatalf("at +%v due %v, want due=%v", c.Now().Sub(f.Instance.CreatedAt).Round(time.Second), ids, want)
		}
	}
	if every, err := m.Interval(ctx, id); err != nil || every != DefaultInterval {
		t.Fatalf("default interval %v %v, want %v", every, err, DefaultInterval)
	}
	// Just synced (the fixture listed its databases): due after 10 minutes.
	due(false)
	c.Add(9 * time.Minute)
	due(false)
	c.Add(time.Minute)
	due(true)
	if err := m.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	due(false)
	if err := m.SetInterval(ctx, id, 1); err != nil {
		t.Fatal(err)
	}
	c.Add(59 * time.Second)
	due(false)
	c.Add(time.Second)
	due(true)
	if err := m.SetInterval(ctx, id, 0); err != nil {
		t.Fatal(err)
	}
	c.Add(24 * time.Hour)
	due(false) // off
	for _, bad := range []int{-1, 2, 15, 120} {
		if err := m.SetInterval(ctx, id, bad); err == nil {
			t.Fatalf("interval %d accepted", bad)
		}
	}
	if every, _ := m.Interval(ctx, id); every != 0 {
		t.Fatalf("a rejected interval changed it to %v", every)
	}
	if err := m.SetInterval(ctx, "no-such-instance", 5); err == nil {
		t.Fatal("interval set on a missing instance")
	}
}

// Requests for a sync already running wait for it and share its outcome:
// the instance is listed and each database read once.
func TestSyncNeverOverlapsItself(t *testing.T) {
	f := wstest.New(t, srv)
	d, _ := f.Database(t, `CREATE TABLE t1 (id int)`)
	ctx := context.Background()
	release := make(chan struct{})
	var mu sync.Mutex
	events := map[string]int{}
	first := true
	var m *Monitor
	m = New(Deps{WS: f.WS, Conns: f.Conns, Sync: schemasync.New(f.WS, f.Conns), Notify: func(e Event) {
		mu.Lock()
		events[e.DatabaseID]++
		// Hold the fixture database's sync (the instance may list others,
		// such as postgres, before it) until every other request waits.
		block := first && e.DatabaseID == d.ID
		first = first && !block
		mu.Unlock()
		if block {
			<-release // the first database's sync holds until the others wait
		}
	}})
	const n = 4
	var wg sync.WaitGroup
	results := make([]InstanceResult, n)
	for i := range n {
		wg.Add(1)
		go func() { defer wg.Done(); results[i] = m.SyncInstance(ctx, f.Instance.ID) }()
	}
	// A database sync asked for while the instance sync holds it joins too.
	var dres DatabaseResult
	wg.Add(1)
	go func() { defer wg.Done(); dres = m.SyncDatabase(ctx, d.ID) }()
	for {
		m.mu.Lock()
		fl := m.instances[f.Instance.ID]
		waiting := fl != nil && fl.waiters == n-1
		var dwaiting bool
		for _, df := range m.databases {
			dwaiting = dwaiting || df.waiters > 0
		}
		m.mu.Unlock()
		if waiting && dwaiting {
			break
		}
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	if events[""] != 1 {
		t.Fatalf("instance synced %d times, want once", events[""])
	}
	for id, k := range events {
		if k != 1 {
			t.Fatalf("database %q synced %d times, want once", id, k)
		}
	}
	for i, r := range results {
		if got := result(t, r, d.ID); !got.Stored {
			t.Fatalf("request %d: %+v, want the shared stored result", i, got)
		}
	}
	if dres.Err != nil || dres.Database.ID != d.ID {
		t.Fatalf("database request: %+v", dres)
	}
	if n := snapshots(t, f.WS, d.ID); n != 1 {
		t.Fatalf("%d snapshots, want 1", n)
	}
}
