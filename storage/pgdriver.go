package storage

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// The Store's queries are written once, with SQLite's placeholders (? and
// ?N). On PostgreSQL they go through pgx's database/sql driver wrapped in
// pgConn, which rewrites each query's placeholders to PostgreSQL's $N
// (rebind) on its way in, so one set of operations serves both engines;
// where the engines' SQL differs in more than that, the operation picks
// its statement by the Store's engine (see engine.go).

// openPostgresDB is a pool on the PostgreSQL database at url, through the
// rebinding driver. It connects at its first query, and hands a
// connection over once gate (if not nil) is open. readOnly makes each session read-only
// (default_transaction_read_only), so a bug cannot write through the
// readers, as query_only does for SQLite's.
func openPostgresDB(url string, readOnly bool, gate *schemaGate) (*sql.DB, error) {
	return openPostgresScoped(url, readOnly, gate, nil)
}

// openPostgresScoped is openPostgresDB whose sessions follow pool (if not
// nil): each connection, new or taken again from the pool, is set to
// read a coach's own people only, or the team's pool too, as pool says,
// before it is used (teams.go).
func openPostgresScoped(url string, readOnly bool, gate *schemaGate, pool *atomic.Bool) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, err
	}
	if cfg.RuntimeParams == nil {
		cfg.RuntimeParams = map[string]string{}
	}
	cfg.RuntimeParams["application_name"] = "callcoach"
	// Plan each statement for its arguments: a search's best plan depends
	// on its words (a common word walks the newest rows, a rare one reads
	// the GIN index), and the generic plan PostgreSQL settles on after five
	// runs of a prepared statement scans every row for a rare one.
	cfg.RuntimeParams["plan_cache_mode"] = "force_custom_plan"
	if readOnly {
		cfg.RuntimeParams["default_transaction_read_only"] = "on"
	}
	return sql.OpenDB(pgConnector{inner: stdlib.GetConnector(*cfg), gate: gate, pool: pool}), nil
}

type pgConnector struct {
	inner driver.Connector
	gate  *schemaGate
	pool  *atomic.Bool // false: a coach's own people only; true: the team's pool too (teams.go)
}

// Connect connects while the schema check runs (each costs a round of
// authentication) and hands the connection over once the check has
// passed; if it failed, its error, which says more than the connection's.
func (c pgConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.inner.Connect(ctx)
	if c.gate != nil {
		if gerr := c.gate.wait(ctx); gerr != nil {
			if conn != nil {
				conn.Close()
			}
			return nil, gerr
		}
	}
	if err != nil {
		return nil, err
	}
	pc := &pgConn{c: conn.(*stdlib.Conn), pool: c.pool}
	if err := pc.followScope(ctx); err != nil {
		pc.Close()
		return nil, err
	}
	return pc, nil
}

func (c pgConnector) Driver() driver.Driver { return c.inner.Driver() }

// pgConn is pgx's connection with every query rebound.
type pgConn struct {
	c    *stdlib.Conn
	pool *atomic.Bool // what the session should read (see openPostgresScoped); nil: as the policies allow
	mine bool         // the session was last set to read a coach's own people only
}

// followScope sets the session's callcoach.scope if it is not what pool
// asks for: one round trip when the view changes, none otherwise.
func (c *pgConn) followScope(ctx context.Context) error {
	if c.pool == nil {
		return nil
	}
	mine := !c.pool.Load()
	if mine == c.mine {
		return nil
	}
	value := ""
	if mine {
		value = "mine"
	}
	if _, err := c.c.ExecContext(ctx, "SELECT set_config('callcoach.scope', $1, false)", []driver.NamedValue{{Ordinal: 1, Value: value}}); err != nil {
		return err
	}
	c.mine = mine
	return nil
}

var (
	_ driver.ConnPrepareContext = (*pgConn)(nil)
	_ driver.ConnBeginTx        = (*pgConn)(nil)
	_ driver.ExecerContext      = (*pgConn)(nil)
	_ driver.QueryerContext     = (*pgConn)(nil)
	_ driver.Pinger             = (*pgConn)(nil)
	_ driver.NamedValueChecker  = (*pgConn)(nil)
	_ driver.SessionResetter    = (*pgConn)(nil)
)

func (c *pgConn) Prepare(query string) (driver.Stmt, error) {
	return c.c.Prepare(rebind(query))
}

func (c *pgConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.c.PrepareContext(ctx, rebind(query))
}

func (c *pgConn) Close() error { return c.c.Close() }

func (c *pgConn) Begin() (driver.Tx, error) {
	return c.c.BeginTx(context.Background(), driver.TxOptions{})
}

func (c *pgConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if lock, ok := ctx.Value(beginLocked{}).(int64); ok && opts == (driver.TxOptions{}) {
		return c.beginLocked(ctx, lock)
	}
	return c.c.BeginTx(ctx, opts)
}

// beginLocked is the context key of a write transaction that takes an
// advisory lock first (Store.write): its value is the lock.
type beginLocked struct{}

// beginLocked begins a transaction and takes the advisory lock in one
// round trip (one simple query holding both statements), where BEGIN and
// the lock's SELECT would be two: a notes save is four round trips, not
// five. If the lock is not had (cancelled, the server gone), the
// transaction is rolled back and the connection is as it was.
func (c *pgConn) beginLocked(ctx context.Context, lock int64) (driver.Tx, error) {
	conn := c.c.Conn()
	if _, err := conn.Exec(ctx, "BEGIN; SELECT pg_advisory_xact_lock("+strconv.FormatInt(lock, 10)+")"); err != nil {
		if conn.PgConn().TxStatus() != 'I' {
			_, _ = conn.Exec(context.WithoutCancel(ctx), "ROLLBACK")
		}
		return nil, err
	}
	return lockedTx{conn}, nil
}

// lockedTx is a transaction beginLocked began: it ends as pgx's own do.
type lockedTx struct{ conn *pgx.Conn }

func (t lockedTx) Commit() error {
	tag, err := t.conn.Exec(context.Background(), "COMMIT")
	if err == nil && tag.String() == "ROLLBACK" {
		return pgx.ErrTxCommitRollback // a statement in it failed, so nothing was written
	}
	return err
}

func (t lockedTx) Rollback() error {
	_, err := t.conn.Exec(context.Background(), "ROLLBACK")
	return err
}

func (c *pgConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	return c.c.ExecContext(ctx, rebind(query), args)
}

func (c *pgConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	return c.c.QueryContext(ctx, rebind(query), args)
}

func (c *pgConn) Ping(ctx context.Context) error { return c.c.Ping(ctx) }

// CheckNamedValue passes a Go bool as 0 or 1: flags are integers in both
// schemas (SQLite has no booleans), and SQLite's driver writes a bool so.
func (c *pgConn) CheckNamedValue(v *driver.NamedValue) error {
	if b, ok := v.Value.(bool); ok {
		v.Value = int64(0)
		if b {
			v.Value = int64(1)
		}
	}
	return c.c.CheckNamedValue(v)
}

func (c *pgConn) ResetSession(ctx context.Context) error {
	if err := c.c.ResetSession(ctx); err != nil {
		return err
	}
	if err := c.followScope(ctx); err != nil {
		return driver.ErrBadConn // a new connection will be set instead
	}
	return nil
}

// rebound caches rebind's answers: the Store's queries are a fixed set
// of constants (and a few built from them), so each is rewritten once.
var rebound sync.Map // string -> string

// rebind rewrites SQLite's placeholders in query to PostgreSQL's: ?N
// becomes $N, and a bare ? the next number after the highest used so far
// (SQLite numbers them so). Question marks inside string literals, quoted
// names and comments are left alone.
func rebind(query string) string {
	if !strings.Contains(query, "?") {
		return query
	}
	if q, ok := rebound.Load(query); ok {
		return q.(string)
	}
	q := rebindScan(query)
	rebound.Store(query, q)
	return q
}

func rebindScan(query string) string {
	var b strings.Builder
	b.Grow(len(query) + 8)
	highest := 0
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '\'' || c == '"':
			end := strings.IndexByte(query[i+1:], c)
			if end < 0 {
				b.WriteString(query[i:])
				return b.String()
			}
			b.WriteString(query[i : i+end+2])
			i += end + 1
		case c == '-' && i+1 < len(query) && query[i+1] == '-':
			end := strings.IndexByte(query[i:], '\n')
			if end < 0 {
				b.WriteString(query[i:])
				return b.String()
			}
			b.WriteString(query[i : i+end+1])
			i += end
		case c == '?':
			j := i + 1
			for j < len(query) && query[j] >= '0' && query[j] <= '9' {
				j++
			}
			n := highest + 1
			if j > i+1 {
				n, _ = strconv.Atoi(query[i+1 : j])
			}
			highest = max(highest, n)
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			i = j - 1
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
