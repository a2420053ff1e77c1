package catalog

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
)

// fetched is one query's result read ahead, as raw values.
type fetched struct {
	fds  []pgconn.FieldDescription
	rows [][][]byte
	err  error
}

// bufferedRow decodes a read-ahead row on demand.
type bufferedRow struct {
	m      *pgtype.Map
	fds    []pgconn.FieldDescription
	values [][]byte
}

func (b *bufferedRow) Scan(dest ...any) error { return pgx.ScanRow(b.m, b.fds, b.values, dest...) }

// prefetchJob is a query to read ahead; nsp says whether it takes the schema list.
type prefetchJob struct {
	name string
	nsp  bool
}

// prefetchOrder lists the queries read ahead in parallel, heaviest first so
// the workers finish together.
func prefetchOrder() []prefetchJob {
	return []prefetchJob{
		{"indexes", true}, {"columns", true}, {"constraints", true}, {"depend", false}, {"relations", true},
		{"index_keys", true}, {"sequences", true}, {"triggers", true}, {"unsupported", true}, {"types", true},
		{"functions", true}, {"policies", true}, {"domain_constraints", true}, {"operators", true},
		{"collations", true}, {"extensions", false}, {"event_triggers", false}, {"default_privileges", true},
	}
}

// parallelThreshold is the number of relations above which Inspect reads
// with extra connections when Options.Parallel is 0.
const parallelThreshold = 3000

// autoParallel is the number of connections used above the threshold.
const autoParallel = 3

// worker is an extra connection in a transaction sharing the main snapshot.
type worker struct {
	conn    *pgx.Conn
	tx      pgx.Tx
	release func()
}

// openWorkers opens n-1 extra connections from origin (a pool or a
// connection whose config is reused), each in a READ ONLY REPEATABLE READ
// transaction importing snapshot, with the same session settings as the
// main one. On any failure the ones opened are closed and the error returned
// (the caller then reads sequentially).
func openWorkers(ctx context.Context, origin Querier, n int, snapshot string) ([]*worker, error) {
	var out []*worker
	closeAll := func() {
		for _, w := range out {
			_ = w.tx.Rollback(context.WithoutCancel(ctx))
			w.release()
		}
	}
	for i := 1; i < n; i++ {
		w := &worker{}
		switch o := origin.(type) {
		case *pgxpool.Pool:
			// Never wait for a connection the main transaction may be holding
			// back: only use spare capacity, and give up quickly.
			st := o.Stat()
			if st.AcquiredConns() >= st.MaxConns() {
				closeAll()
				return nil, fmt.Errorf("pool has no spare connection")
			}
			actx, cancel := context.WithTimeout(ctx, time.Second)
			c, err := o.Acquire(actx)
			cancel()
			if err != nil {
				closeAll()
				return nil, err
			}
			w.conn, w.release = c.Conn(), c.Release
		case *pgx.Conn:
			c, err := pgx.ConnectConfig(ctx, o.Config())
			if err != nil {
				closeAll()
				return nil, err
			}
			w.conn, w.release = c, func() { _ = c.Close(context.WithoutCancel(ctx)) }
		default:
			closeAll()
			return nil, fmt.Errorf("cannot open connections from %T", origin)
		}
		tx, err := w.conn.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
		if err == nil {
			_, err = tx.Exec(ctx, "SET TRANSACTION SNAPSHOT "+QuoteLiteral(snapshot))
			if err == nil {
				_, err = tx.Exec(ctx, sessionSettings)
			}
			if err != nil {
				_ = tx.Rollback(context.WithoutCancel(ctx))
			}
		}
		if err != nil {
			w.release()
			closeAll()
			return nil, err
		}
		w.tx = tx
		out = append(out, w)
	}
	return out, nil
}

// prefetch reads every query of prefetchOrder on the main transaction and
// the workers at once, storing the results for each().
func (in *inspector) prefetch(workers []*worker) {
	order := prefetchOrder()
	jobs := make(chan prefetchJob, len(order))
	for _, p := range order {
		if p.name == "default_privileges" && in.opts.NoPrivileges {
			continue
		}
		jobs <- p
	}
	close(jobs)
	var mu sync.Mutex
	var wg sync.WaitGroup
	run := func(q Querier) {
		defer wg.Done()
		for p := range jobs {
			var args []any
			if p.nsp {
				args = []any{in.nsp}
			}
			f := fetch(in.ctx, q, in.sql[p.name], args)
			mu.Lock()
			in.fetched[p.name] = f
			mu.Unlock()
		}
	}
	wg.Add(1 + len(workers))
	go run(in.q)
	for _, w := range workers {
		go run(w.tx)
	}
	wg.Wait()
}

// fetch runs a query and keeps its rows as raw values.
func fetch(ctx context.Context, q Querier, sql string, args []any) *fetched {
	rows, err := q.Query(ctx, sql, args...)
	return collect(rows, err)
}

// collect keeps the rows of a result as raw values (copied: pgx reuses its buffers).
func collect(rows pgx.Rows, err error) *fetched {
	if err != nil {
		return &fetched{err: err}
	}
	defer rows.Close()
	f := &fetched{fds: append([]pgconn.FieldDescription(nil), rows.FieldDescriptions()...)}
	for rows.Next() {
		raw := rows.RawValues()
		size := 0
		for _, v := range raw {
			size += len(v)
		}
		buf := make([]byte, 0, size)
		row := make([][]byte, len(raw))
		for i, v := range raw {
			if v == nil {
				continue
			}
			start := len(buf)
			buf = append(buf, v...)
			row[i] = buf[start:len(buf):len(buf)]
		}
		f.rows = append(f.rows, row)
	}
	f.err = rows.Err()
	return f
}

// batcher is implemented by *pgx.Conn, *pgxpool.Pool and pgx.Tx.
type batcher interface {
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// stepOrder is the order Inspect's steps read their queries after
// "namespaces" (see inspect); a pipelined batch is queued in this order.
func stepOrder() []prefetchJob {
	return []prefetchJob{
		{"extensions", false}, {"collations", true}, {"types", true}, {"domain_constraints", true},
		{"relations", true}, {"columns", true}, {"sequences", true}, {"constraints", true}, {"indexes", true},
		{"index_keys", true}, {"triggers", true}, {"policies", true}, {"functions", true}, {"operators", true},
		{"event_triggers", false}, {"default_privileges", true}, {"depend", false}, {"unsupported", true},
	}
}

// startBatch queues every remaining query on q in one pipelined batch: the
// server runs them back to back without waiting for the client, and each
// step then streams its own result (in order) from the batch.
func (in *inspector) startBatch(q batcher) {
	b := &pgx.Batch{}
	for _, p := range stepOrder() {
		if p.name == "default_privileges" && in.opts.NoPrivileges {
			continue
		}
		var args []any
		if p.nsp {
			args = []any{in.nsp}
		}
		b.Queue(in.sql[p.name], args...)
		in.batchNames = append(in.batchNames, p.name)
	}
	in.batch = q.SendBatch(in.ctx, b)
}
