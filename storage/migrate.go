package storage

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strconv"
	"sync"
)

// applicationID marks a SQLite file as callcoach's ("ccch"), in the header
// field PRAGMA application_id reads.
const applicationID = 0x63636368

// Migrations are numbered files, 0001_init.sql, 0002_something.sql, ...;
// file N takes the schema from version N-1 to N. PRAGMA user_version holds
// the version a file is at. Adding a migration is adding the next file.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

type migration struct {
	version int
	name    string
	sql     string
}

// migrations are read when first needed: opening a file at this version
// needs only their number (SchemaVersion).
var migrations = sync.OnceValue(func() []migration { return mustLoadMigrations(migrationFiles) })

// SchemaVersion is the newest schema version this build of callcoach knows.
func SchemaVersion() int { return schemaVersion() }

// schemaVersion counts the migration files; loadMigrations checks they
// are numbered 1 to that number.
var schemaVersion = sync.OnceValue(func() int {
	names, _ := fs.Glob(migrationFiles, "migrations/*.sql")
	return len(names)
})

var migrationName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(\d{4})_[a-z0-9_]+\.sql$`) })

// loadMigrations reads the migrations in order and checks they are numbered
// 1, 2, 3, ... with no gap or repeat.
func loadMigrations(fsys fs.FS) ([]migration, error) {
	return readMigrations(fsys, "migrations/*.sql", "migration", func(i, v int, base string, out []migration) error {
		if v != i+1 {
			return fmt.Errorf("migration %s: expected number %04d (numbers run 1, 2, 3 with no gaps)", base, i+1)
		}
		return nil
	})
}

// readMigrations reads the files glob matches, in name order, each named
// NNNN_what_it_does.sql, asking numbered whether the i-th, of version v,
// may follow those before it (out). what names them in errors.
func readMigrations(fsys fs.FS, glob, what string, numbered func(i, v int, base string, out []migration) error) ([]migration, error) {
	names, err := fs.Glob(fsys, glob)
	if err != nil {
		return nil, err
	}
	var out []migration
	for i, name := range names { // fs.Glob returns names sorted
		base := path.Base(name)
		m := migrationName().FindStringSubmatch(base)
		if m == nil {
			return nil, fmt.Errorf("%s %s: name must look like 0001_what_it_does.sql", what, base)
		}
		v, _ := strconv.Atoi(m[1])
		if err := numbered(i, v, base, out); err != nil {
			return nil, err
		}
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: base, sql: string(b)})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no %ss found", what)
	}
	return out, nil
}

func mustLoadMigrations(fsys fs.FS) []migration {
	m, err := loadMigrations(fsys)
	if err != nil {
		panic("storage: " + err.Error())
	}
	return m
}

// migrate brings the database to schema version target in one transaction,
// with foreign keys off while it runs (so a table can be rebuilt without
// its drop cascading) and every reference checked before it commits,
// which also sets user_version and application_id, so a file is either
// wholly at its old version or wholly at the new one. It reads the version
// inside the transaction, so two processes opening an old file at once
// migrate it once. It returns an *OpenError if the file turns out to be
// newer than target or not callcoach's.
func migrate(ctx context.Context, db *sql.DB, path string, target int) error {
	// One connection for it all: a migration that rebuilds a table needs
	// foreign keys off, which can only be set outside a transaction.
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
		return err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA foreign_keys = ON")
	tx, err := conn.BeginTx(ctx, nil) // BEGIN IMMEDIATE: holds the write lock from the start
	if err != nil {
		return err
	}
	defer tx.Rollback() // after Commit this does nothing

	var appID, version int
	if err := tx.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
		return fmt.Errorf("read application_id: %w", err)
	}
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("read user_version: %w", err)
	}
	if appID != applicationID && (appID != 0 || version != 0) {
		return &OpenError{Path: path, Kind: NotCallcoach, Err: fmt.Errorf("application_id %#x, user_version %d", appID, version)}
	}
	if version > target {
		return newerVersionError(path, version, target)
	}
	if version == target {
		return nil
	}
	for _, m := range migrations()[version:target] {
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			return fmt.Errorf("apply migration %s: %w", m.name, err)
		}
	}
	if err := checkForeignKeys(ctx, tx); err != nil {
		return err
	}
	// PRAGMA takes no bound parameters; both values are our own integers.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", target)); err != nil {
		return fmt.Errorf("set user_version: %w", err)
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA application_id = %d", applicationID)); err != nil {
		return fmt.Errorf("set application_id: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit migration to version %d: %w", target, err)
	}
	return nil
}

// checkForeignKeys fails if a migration left a row pointing at nothing (a
// table rebuild can, since SQLite does not check foreign keys on DDL).
func checkForeignKeys(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return fmt.Errorf("check foreign keys: %w", err)
	}
	defer rows.Close()
	if rows.Next() {
		var table, parent string
		var rowid sql.NullInt64
		var fkid int
		if err := rows.Scan(&table, &rowid, &parent, &fkid); err != nil {
			return fmt.Errorf("check foreign keys: %w", err)
		}
		return fmt.Errorf("migration left rows in %s that refer to missing rows in %s", table, parent)
	}
	return rows.Err()
}
