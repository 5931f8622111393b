package storage

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"strings"
	"sync"
)

// A team's caseload lives in PostgreSQL (issue 18). Its migrations sit
// beside SQLite's, in migrations/postgres/, numbered as SQLite's are: file
// N takes the schema to the one an SQLite file has at version N. The first
// file is a baseline, NNNN_baseline.sql, which makes an empty database at
// version NNNN in one step; each file after it is numbered one more than
// the one before. The table schema_version holds the version a database
// is at (SQLite's PRAGMA user_version).
//
// The driver is pgx's database/sql one (github.com/jackc/pgx/v5/stdlib,
// wrapped in pgdriver.go), so a Store's pools can be either engine. It is
// linked into every build: with it come crypto/tls, x509 and x/text's
// precis, a few milliseconds of package start-up even on a file.
//
//go:embed migrations/postgres/*.sql
var postgresMigrationFiles embed.FS

var postgresMigrations = sync.OnceValue(func() []migration {
	m, err := loadPostgresMigrations(postgresMigrationFiles)
	if err != nil {
		panic("storage: " + err.Error())
	}
	return m
})

// postgresMigrateLock is the advisory lock a migration holds, so two
// programs starting on a new database at once migrate it once.
const postgresMigrateLock = applicationID

// postgresWriteLock is the advisory lock every write transaction takes
// (see Store.write).
const postgresWriteLock = applicationID + 1

func loadPostgresMigrations(fsys fs.FS) ([]migration, error) {
	return readMigrations(fsys, "migrations/postgres/*.sql", "postgres migration", func(i, v int, base string, out []migration) error {
		switch {
		case i == 0 && !strings.HasSuffix(base, "_baseline.sql"):
			return fmt.Errorf("postgres migration %s: the first must be a baseline, NNNN_baseline.sql", base)
		case i > 0 && v != out[i-1].version+1:
			return fmt.Errorf("postgres migration %s: expected number %04d (numbers follow the baseline with no gaps)", base, out[i-1].version+1)
		}
		return nil
	})
}

// migratePostgres brings the PostgreSQL database db is connected to
// (its search_path's first schema) to the newest schema version, in one
// transaction: a database is wholly at its old version or wholly at the
// new one. A database already there is left alone. One newer than this
// build knows is refused with an *OpenError (NewerVersion), as a newer
// SQLite file is; one with tables but no schema_version is not callcoach's
// and is refused unchanged.
func migratePostgres(ctx context.Context, db *sql.DB) error {
	ms := postgresMigrations()
	target := ms[len(ms)-1].version
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() // after Commit this does nothing

	if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", postgresMigrateLock); err != nil {
		return fmt.Errorf("wait for another migration: %w", err)
	}
	var name string
	var hasVersion bool
	var tables int
	err = tx.QueryRowContext(ctx, `SELECT current_database(), to_regclass('schema_version') IS NOT NULL,
		(SELECT count(*) FROM pg_tables WHERE schemaname = current_schema())`).Scan(&name, &hasVersion, &tables)
	if err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	version := 0
	if hasVersion {
		if err := tx.QueryRowContext(ctx, "SELECT version FROM schema_version WHERE id = 1").Scan(&version); err != nil {
			return fmt.Errorf("read schema version: %w", err)
		}
	} else if tables > 0 {
		return fmt.Errorf("the PostgreSQL database %s has tables but no callcoach schema_version; it was not changed", name)
	}
	switch {
	case version > target:
		return newerVersionError(name, version, target)
	case version == target:
		return nil
	case version != 0 && version < ms[0].version:
		return fmt.Errorf("the PostgreSQL database %s is at schema version %d, older than the baseline %d", name, version, ms[0].version)
	}
	for _, m := range ms { // from an empty database, the baseline and all after it
		if version != 0 && m.version <= version {
			continue
		}
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			return fmt.Errorf("apply postgres migration %s: %w", m.name, err)
		}
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO schema_version (id, version) VALUES (1, $1)
		ON CONFLICT (id) DO UPDATE SET version = excluded.version`, target)
	if err != nil {
		return fmt.Errorf("set schema version: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit postgres migration to version %d: %w", target, err)
	}
	return nil
}

// checkPostgresVersion refuses, reading only, a database that is not at
// this build's schema version: a read-only Store migrates nothing.
func checkPostgresVersion(ctx context.Context, db *sql.DB) error {
	target := postgresMigrations()[len(postgresMigrations())-1].version
	var name string
	var has bool
	if err := db.QueryRowContext(ctx, "SELECT current_database(), to_regclass('schema_version') IS NOT NULL").Scan(&name, &has); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if !has {
		return fmt.Errorf("the PostgreSQL database %s has no callcoach schema, and a read-only callcoach makes none", name)
	}
	var version int
	if err := db.QueryRowContext(ctx, "SELECT version FROM schema_version WHERE id = 1").Scan(&version); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	switch {
	case version > target:
		return newerVersionError(name, version, target)
	case version < target:
		return fmt.Errorf("the PostgreSQL database %s is at schema version %d; open it once for writing to bring it to %d", name, version, target)
	}
	return nil
}
