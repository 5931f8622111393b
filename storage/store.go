// Package storage keeps callcoach's caseload in one local SQLite file: the
// schema and its migrations, and the queries that read and write the
// coaching types. The file stays readable with the sqlite3 CLI: plain
// tables, times as ISO-8601 UTC text.
package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"callcoach/coaching"
	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// ErrNotFound is returned (wrapped) when the person or call asked for does
// not exist. Test for it with errors.Is.
var ErrNotFound = errors.New("not found")

// Store is an open callcoach database. It is safe for concurrent use.
type Store struct {
	path string
	// pg says the caseload is a team's, in PostgreSQL (open_postgres.go):
	// path is then its URL without the password, and the file machinery
	// (file, check, src) has nothing to do.
	pg bool
	// url is the team database's URL as given, password and all (for a
	// connection of its own, e.g. to listen); empty on SQLite.
	url string
	// spool is the folder notes are kept in on their way to a team
	// database (spool.go); "" when there is none.
	spool string
	// team is this login's coach's name on a team database (coach.go).
	team teamCoach
	// withPool is the caseload's scope on a team database (teams.go):
	// false (the default) reads only a coach's own people, true theirs
	// and the team's pool. The reading connections follow it.
	withPool atomic.Bool
	// rw has a single connection, so our own writes queue in Go rather
	// than polling SQLite's busy handler; ro serves reads in parallel (WAL).
	rw *sql.DB
	ro *sql.DB

	host     string                   // this machine, for telling whether another instance's process is gone
	presence atomic.Pointer[presence] // set by Register
	file     os.FileInfo              // the file as opened, to notice it replaced or removed
	gone     atomic.Pointer[FileGoneError]
	// src reads the file through a connection of its own (a backup's
	// VACUUM INTO, which the readers' query_only forbids).
	src string
	// check is the write gate: see CheckPages.
	check pageCheck
	// readOnly, when set, is why nothing can be written: rw is nil.
	readOnly *FileError
	// notices are what Open did that the coach should hear of.
	notices []string
	// index brings the search index up to date with saved notes, in the
	// background (see notesindex.go).
	index *notesIndexer
	// bases are the folded notes this Store's saves are written against
	// (see notesdelta.go).
	bases noteBases
	// actor is who the audit trail names (SetActor).
	actor atomic.Pointer[coaching.Actor]
	// credited is set once this Store has credited records without a
	// coach's name to its actor (creditUnnamed).
	credited atomic.Bool
	// The audit trail's statements, prepared on the first write (auditStmts).
	auditMu                sync.Mutex
	auditLast, auditInsert *sql.Stmt
}

// Path is the absolute path of the database file, or a team database's
// URL without its password.
func (s *Store) Path() string { return s.path }

// Team reports whether this is a team's caseload on PostgreSQL rather
// than a file on this computer, for words that name one or the other.
func (s *Store) Team() bool { return s.pg }

// Close closes the database. Pending writes have already been committed:
// every write is its own transaction. Notes this Store saved are indexed
// for search first, if the background has not done it yet.
func (s *Store) Close() error {
	s.index.close()
	if s.rw == nil {
		return errors.Join(s.unregister(), s.ro.Close())
	}
	return errors.Join(s.unregister(), s.ro.Close(), s.rw.Close())
}

// write runs fn in one short write transaction (BEGIN IMMEDIATE, from the
// DSN's _txlock), committing if fn returns nil. It waits for the page
// check first (see writable); nothing is written to a file that was
// replaced or removed since it was opened; what the file itself refuses
// comes back as a *FileError.
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return s.writeTx(ctx, true, fn)
}

// writeNoNames is write for fn that adds and renames nobody (a notes
// save): the probe for people without their place in name order is left
// out, one round trip less on a team database. Anyone another write left
// without one (none: every write that adds a person keys them) is keyed
// by the next write.
func (s *Store) writeNoNames(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return s.writeTx(ctx, false, fn)
}

// writeTx is write; names says whether to key whoever fn added or renamed.
func (s *Store) writeTx(ctx context.Context, names bool, fn func(tx *sql.Tx) error) error {
	if err := s.CheckFile(); err != nil {
		return err
	}
	if err := s.writable(ctx); err != nil {
		return err
	}
	if _, _, err := s.auditStmts(ctx); err != nil {
		return s.fileError(err)
	}
	begin := ctx
	if s.pg {
		// What SQLite's BEGIN IMMEDIATE does for a file: one writer at a
		// time across the team, so an operation that reads, then writes
		// what it read (a name's place in order, a call's claim) sees
		// nobody else's write between the two. The driver takes the
		// lock with BEGIN, in one round trip (pgConn.beginLocked).
		begin = context.WithValue(ctx, beginLocked{}, int64(postgresWriteLock))
	}
	tx, err := s.rw.BeginTx(begin, nil)
	if err != nil {
		return s.fileError(err)
	}
	credited, err := s.creditUnnamed(ctx, tx)
	if err != nil {
		return s.fileError(errors.Join(err, rollback(tx)))
	}
	if err := fn(tx); err != nil {
		return s.fileError(errors.Join(err, rollback(tx)))
	}
	// Whoever fn added or renamed takes their place in name order in the
	// same transaction (one probe of an empty index when nobody did).
	if names {
		if err := keyNames(ctx, tx, s.pg); err != nil {
			return s.fileError(errors.Join(err, rollback(tx)))
		}
	}
	if err := tx.Commit(); err != nil {
		return s.fileError(err)
	}
	if credited {
		s.credited.Store(true)
	}
	return nil
}

// read runs fn in one read transaction on the readers, so what it reads
// with several queries (a plan and its barriers) is one consistent
// snapshot. On SQLite it is a plain deferred BEGIN: it never holds the
// write lock. PostgreSQL's default (READ COMMITTED) takes a snapshot per
// statement, so there the transaction asks for REPEATABLE READ.
func (s *Store) read(ctx context.Context, fn func(tx *sql.Tx) error) error {
	opts := &sql.TxOptions{ReadOnly: true}
	if s.pg {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := s.ro.BeginTx(ctx, opts)
	if err != nil {
		return err
	}
	return errors.Join(fn(tx), rollback(tx))
}

// either is the statement for the Store's engine: sqlite's, or postgres's
// on a team database, for the few where the two engines' SQL differs in
// more than placeholders (see pgdriver.go).
func (s *Store) either(sqlite, postgres string) string {
	if s.pg {
		return postgres
	}
	return sqlite
}

func rollback(tx *sql.Tx) error {
	if err := tx.Rollback(); err != nil && !errors.Is(err, sql.ErrTxDone) {
		return err
	}
	return nil
}

// timeLayout is how every time is stored: ISO-8601 in UTC to the second,
// e.g. 2026-11-23T14:05:09Z, so text order is time order.
const timeLayout = time.RFC3339

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		return time.Time{}, err
	}
	return t.UTC(), nil
}

func parseNullTime(s sql.NullString) (time.Time, error) {
	if !s.Valid {
		return time.Time{}, nil
	}
	return parseTime(s.String)
}

// sqliteCode is the extended SQLite result code behind err, or 0.
func sqliteCode(err error) int {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code()
	}
	return 0
}

// primaryCode is the primary SQLite result code (SQLITE_BUSY, ...) behind err.
func primaryCode(err error) int { return sqliteCode(err) & 0xff }

func isForeignKeyViolation(err error) bool {
	return sqliteCode(err) == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY || postgresCode(err) == pgForeignKeyViolation
}

// pgForeignKeyViolation is PostgreSQL's SQLSTATE for a foreign key refused.
const pgForeignKeyViolation = "23503"

// postgresCode is the SQLSTATE behind err, or "".
func postgresCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// notFound wraps ErrNotFound with what was looked for.
func notFound(what string, id int64) error {
	return fmt.Errorf("%s %d: %w", what, id, ErrNotFound)
}

// InstallationID is the file's installation id (migration 0017): a UUID
// made once, at random, when the file was made or first brought to schema
// 17, and kept. Exported records are named from it.
func (s *Store) InstallationID(ctx context.Context) (string, error) {
	var id string
	if err := s.ro.QueryRowContext(ctx, "SELECT uuid FROM installation WHERE id = 1").Scan(&id); err != nil {
		return "", fmt.Errorf("installation id: %w", err)
	}
	return id, nil
}
