package storage

import (
	"context"
	"errors"
	"net/url"
	"os"
	"strings"

	"github.com/jackc/pgx/v5"
)

// IsPostgresURL reports whether where names a PostgreSQL database
// (postgres:// or postgresql://) rather than an SQLite file.
func IsPostgresURL(where string) bool {
	return strings.HasPrefix(where, "postgres://") || strings.HasPrefix(where, "postgresql://")
}

// redactURL is url without its password, for showing and for errors.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "the PostgreSQL database"
	}
	return u.Redacted()
}

// openPostgres opens the team database at raw (a postgres:// URL),
// bringing its schema to this build's version. The file machinery of an
// SQLite Store has no part here: there is no file to be replaced, no page
// check (the server keeps its own pages), no WAL beside it. Writes go
// through one connection, as on SQLite, and each takes the team's write
// lock first (see write), so writes from every coach's program queue one
// after another as they do on a shared file.
//
// Reaching a server takes a network round trip or several and a password
// check: more than a whole first frame. So Open connects to nothing; the
// schema is checked (and brought up to date, unless read-only) on a
// connection of its own in the background, and the Store's pools connect
// only once that is done, each connection refused with its error if it
// failed (a database from a newer callcoach, one that is not
// callcoach's, a server that cannot be reached). Nothing is written
// before the check passes.
func openPostgres(ctx context.Context, raw string, readOnly string) (*Store, error) {
	where := redactURL(raw)
	if _, err := pgx.ParseConfig(raw); err != nil {
		return nil, &OpenError{Path: where, Kind: Other, Err: err}
	}
	gate := &schemaGate{done: make(chan struct{})}
	s := &Store{path: where, url: raw, pg: true}
	s.host, _ = os.Hostname() // to tell whether an instance on this computer is gone
	ro, err := openPostgresScoped(raw, true, gate, &s.withPool)
	if err != nil {
		return nil, &OpenError{Path: where, Kind: Other, Err: err}
	}
	ro.SetMaxOpenConns(4)
	ro.SetMaxIdleConns(4)
	s.ro = ro
	if readOnly != "" {
		s.readOnly = readOnlyError(where, readOnly)
	} else {
		rw, err := openPostgresDB(raw, false, gate)
		if err != nil {
			ro.Close()
			return nil, &OpenError{Path: where, Kind: Other, Err: err}
		}
		rw.SetMaxOpenConns(1)
		s.rw = rw
	}
	go gate.check(context.WithoutCancel(ctx), raw, where, readOnly == "")
	s.index = newNotesIndexer(s.IndexNotes)
	s.index.tidy = s.tidyFinder
	s.check.pass()
	s.index.whenPassed(s.check.passed())
	return s, nil
}

// schemaGate holds the Store's connections until the schema check is done.
type schemaGate struct {
	done chan struct{}
	err  error // set before done is closed
}

// check checks the schema (migrating it if migrate) on a connection of
// its own, and opens the gate.
func (g *schemaGate) check(ctx context.Context, raw, where string, migrate bool) {
	defer close(g.done)
	db, err := openPostgresDB(raw, !migrate, nil)
	if err != nil {
		g.err = &OpenError{Path: where, Kind: Other, Err: err}
		return
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if migrate {
		err = migratePostgres(ctx, db)
	} else {
		err = checkPostgresVersion(ctx, db)
	}
	var oe *OpenError
	switch {
	case err == nil:
	case errors.As(err, &oe):
		oe.Path = where
		g.err = oe
	case unreachable(err):
		g.err = unreachableError(where, err, "")
	default:
		g.err = &OpenError{Path: where, Kind: Other, Err: err}
	}
}

// wait waits for the check; its error, if it failed.
func (g *schemaGate) wait(ctx context.Context) error {
	select {
	case <-g.done:
		return g.err
	case <-ctx.Done():
		return ctx.Err()
	}
}
