package catalog

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"reflect"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
)

// fetched is one query's result read ahead, as raw values. Each row is its
// columns' values in order, each a 4-byte big-endian length (-1 for NULL)
// followed by the value's bytes (as the wire's DataRow carries them).
type fetched struct {
	fds  []pgconn.FieldDescription
	rows [][]byte
	err  error
}

// bufferedRow decodes a read-ahead row on demand. Like pgx's own rows it
// plans the decoding of each column once per query and reuses the plan for
// every row (planning is most of the cost of decoding a small value).
type bufferedRow struct {
	m      *pgtype.Map
	fds    []pgconn.FieldDescription
	values [][]byte
	plans  []pgtype.ScanPlan
	types  []reflect.Type
}

// load points values at the columns of row (see fetched).
func (b *bufferedRow) load(row []byte) {
	if len(b.values) != len(b.fds) {
		b.values = make([][]byte, len(b.fds))
	}
	for i := range b.values {
		n := int32(binary.BigEndian.Uint32(row))
		row = row[4:]
		if n < 0 {
			b.values[i] = nil
			continue
		}
		b.values[i] = row[:n:n]
		row = row[n:]
	}
}

func (b *bufferedRow) Scan(dest ...any) error {
	if len(dest) != len(b.values) {
		return fmt.Errorf("number of field descriptions must equal number of destinations, got %d and %d", len(b.values), len(dest))
	}
	if b.plans == nil {
		b.plans = make([]pgtype.ScanPlan, len(dest))
		b.types = make([]reflect.Type, len(dest))
	}
	for i, d := range dest {
		if d == nil {
			continue
		}
		if t := reflect.TypeOf(d); b.plans[i] == nil || b.types[i] != t {
			b.plans[i] = b.m.PlanScan(b.fds[i].DataTypeOID, b.fds[i].Format, d)
			b.types[i] = t
		}
		if err := b.plans[i].Scan(b.values[i], d); err != nil {
			return pgx.ScanArgError{ColumnIndex: i, FieldName: b.fds[i].Name, Err: err}
		}
	}
	return nil
}

// prefetchJob is a query to read ahead; nsp says whether it takes the schema list.
type prefetchJob struct {
	name string
	nsp  bool
}

// readJob is a query handed to the readers, with where its result goes.
type readJob struct {
	prefetchJob
	out chan *fetched
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

// close ends the worker's transaction and gives its connection back.
func (w *worker) close(ctx context.Context) {
	_ = w.tx.Rollback(context.WithoutCancel(ctx))
	w.release()
}

// openWorker opens an extra connection from origin (a pool or a connection
// whose config is reused) in a READ ONLY REPEATABLE READ transaction
// importing snapshot, with the same session settings as the main one.
func openWorker(ctx context.Context, origin Querier, snapshot string) (*worker, error) {
	w := &worker{}
	switch o := origin.(type) {
	case *pgxpool.Pool:
		// Never wait for a connection the main transaction may be holding
		// back: only use spare capacity, and give up quickly.
		st := o.Stat()
		if st.AcquiredConns() >= st.MaxConns() {
			return nil, fmt.Errorf("pool has no spare connection")
		}
		actx, cancel := context.WithTimeout(ctx, time.Second)
		c, err := o.Acquire(actx)
		cancel()
		if err != nil {
			return nil, err
		}
		w.conn, w.release = c.Conn(), c.Release
	case *pgx.Conn:
		c, err := pgx.ConnectConfig(ctx, o.Config())
		if err != nil {
			return nil, err
		}
		w.conn, w.release = c, func() { _ = c.Close(context.WithoutCancel(ctx)) }
	default:
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
		return nil, err
	}
	w.tx = tx
	return w, nil
}

// prefetch starts reading every remaining query (in the order the steps
// need them) on the main transaction at once, and on up to extra more
// connections sharing its snapshot as soon as each is open; a connection
// that cannot be opened is simply not used. each() waits for a result only
// when its step needs it, so the model is built while the server is still
// working on later queries, and each result is dropped once used. The
// returned function stops the readers (when Inspect ends early), waits for
// them and closes the extra connections; afterwards res.Connections counts
// the connections opened. Unless aborting, a connection still being opened
// is waited for (it finds no work left), so the count does not depend on
// how fast the server answered.
func (in *inspector) prefetch(origin Querier, extra int, snapshot string) (stop func(abort bool)) {
	jobs := make(chan readJob, len(stepOrder()))
	for _, p := range stepOrder() {
		if p.name == "default_privileges" && in.opts.NoPrivileges {
			continue
		}
		j := readJob{p, make(chan *fetched, 1)}
		in.pending[p.name] = j.out
		jobs <- j
	}
	close(jobs)
	// The extra connections are ours: aborting cancels their queries. The
	// caller's connection is only told to take no further query (a cancelled
	// query would cost the caller its connection).
	ctx, cancel := context.WithCancel(in.ctx)
	var aborted atomic.Bool
	var wg sync.WaitGroup
	var opened atomic.Int32
	run := func(ctx context.Context, q Querier) {
		for j := range jobs {
			if aborted.Load() {
				j.out <- &fetched{err: context.Canceled}
				continue
			}
			j.out <- fetch(ctx, q, in.sql[j.name], in.queryArgs(j.name, j.nsp))
		}
	}
	wg.Add(1 + extra)
	go func() {
		defer wg.Done()
		run(in.ctx, in.q)
	}()
	for i := 0; i < extra; i++ {
		go func() {
			defer wg.Done()
			w, err := openWorker(ctx, origin, snapshot)
			if err != nil {
				return
			}
			defer w.close(ctx)
			opened.Add(1)
			run(ctx, w.tx)
		}()
	}
	return func(abort bool) {
		if abort {
			aborted.Store(true)
			cancel()
		}
		wg.Wait()
		cancel()
		in.res.Connections = 1 + int(opened.Load())
	}
}

// fetch runs a query and keeps its rows as raw values.
func fetch(ctx context.Context, q Querier, sql string, args []any) *fetched {
	rows, err := q.Query(ctx, sql, args...)
	return collect(rows, err)
}

// collect keeps the rows of a result as raw values, copied (pgx reuses its
// buffers) into a few large blocks rather than one allocation per row.
func collect(rows pgx.Rows, err error) *fetched {
	if err != nil {
		return &fetched{err: err}
	}
	defer rows.Close()
	f := &fetched{fds: append([]pgconn.FieldDescription(nil), rows.FieldDescriptions()...)}
	const block = 256 << 10
	var buf []byte
	for rows.Next() {
		raw := rows.RawValues()
		size := 4 * len(raw)
		for _, v := range raw {
			size += len(v)
		}
		if cap(buf)-len(buf) < size {
			buf = make([]byte, 0, max(block, size))
		}
		start := len(buf)
		for _, v := range raw {
			if v == nil {
				buf = binary.BigEndian.AppendUint32(buf, math.MaxUint32) // -1: NULL
				continue
			}
			buf = binary.BigEndian.AppendUint32(buf, uint32(len(v)))
			buf = append(buf, v...)
		}
		f.rows = append(f.rows, buf[start:len(buf):len(buf)])
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
		{"relations", true}, {"columns", true}, {"sequences", true}, {"constraints", true},
		{"index_names", false}, {"index_attributes", true}, {"indexes", true}, {"triggers", true}, {"policies", true}, {"statistics", true}, {"rules", true}, {"functions", true}, {"operators", true},
		{"event_triggers", false}, {"casts", false}, {"foreign_wrappers", false}, {"foreign_servers", false}, {"foreign_tables", true}, {"foreign_columns", true}, {"foreign_checks", true}, {"ts_dicts", true}, {"ts_configs", true}, {"ts_config_maps", true}, {"opfamilies", true}, {"opclasses", true}, {"opmembers", true}, {"publications", true}, {"publication_tables", true}, {"default_privileges", true}, {"depend", false}, {"unsupported", true},
	}
}

// queryArgs are the arguments of the named query: the included schemas'
// oids when it takes them (nsp), as the dependencies do when the inspection
// is scoped (see queryData.Scoped).
func (in *inspector) queryArgs(name string, nsp bool) []any {
	if nsp || (name == "depend" && len(in.opts.Schemas) > 0) {
		return []any{in.nsp}
	}
	return nil
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
		b.Queue(in.sql[p.name], in.queryArgs(p.name, p.nsp)...)
		in.batchNames = append(in.batchNames, p.name)
	}
	in.batch = q.SendBatch(in.ctx, b)
}
