package storage

import (
	"context"
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
func openPostgres(ctx context.Context, raw string, readOnly string) (*Store, error) {
	where := redactURL(raw)
	if _, err := pgx.ParseConfig(raw); err != nil {
		return nil, &OpenError{Path: where, Kind: Other, Err: err}
	}
	ro, err := openPostgresDB(raw, true)
	if err != nil {
		return nil, &OpenError{Path: where, Kind: Other, Err: err}
	}
	ro.SetMaxOpenConns(4)
	ro.SetMaxIdleConns(4)
	host, _ := os.Hostname() // to tell whether an instance on this computer is gone
	s := &Store{path: where, url: raw, ro: ro, pg: true, host: host}
	if readOnly != "" {
		s.readOnly = readOnlyError(where, readOnly)
	} else {
		rw, err := openPostgresDB(raw, false)
		if err != nil {
			ro.Close()
			return nil, &OpenError{Path: where, Kind: Other, Err: err}
		}
		rw.SetMaxOpenConns(1)
		if err := migratePostgres(ctx, rw); err != nil {
			ro.Close()
			rw.Close()
			if oe, ok := err.(*OpenError); ok {
				oe.Path = where
				return nil, oe
			}
			return nil, &OpenError{Path: where, Kind: Other, Err: err}
		}
		s.rw = rw
	}
	s.index = newNotesIndexer(s.IndexNotes)
	s.index.tidy = s.tidyFinder
	s.check.pass()
	s.index.whenPassed(s.check.passed())
	return s, nil
}
