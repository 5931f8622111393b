package storage

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"callcoach/coaching"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql's "pgx"
)

// postgresEnv names the PostgreSQL server the tests use: a URL whose role
// may create databases. .ci/run sets it; see docs/architecture.md.
const postgresEnv = "CALLCOACH_TEST_POSTGRES"

// postgresTestDB makes a database of the test's own on that server,
// migrated by nothing yet, and drops it when the test ends, so tests run
// in parallel and leave nothing behind. Without the server the test skips,
// except under CI, which must have started it.
func postgresTestDB(t *testing.T) *sql.DB {
	t.Helper()
	u := postgresServer(t)
	ctx := context.Background()
	adminDB, err := sql.Open("pgx", u.String())
	if err != nil {
		t.Fatal(err)
	}
	name := "callcoach_t_" + hex.EncodeToString(randomBytes(t, 6))
	if _, err := adminDB.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		adminDB.Close()
		t.Fatalf("create a database for the test on %s: %v", u.Redacted(), err)
	}
	adminDB.Close()
	at := *u
	at.Path = "/" + name
	db, err := sql.Open("pgx", at.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		db.Close()
		dropDatabase(t, u, name)
	})
	return db
}

func randomBytes(t testing.TB, n int) []byte {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}

// postgresSchema is a new PostgreSQL database at the newest schema version.
func postgresSchema(t *testing.T) *sql.DB {
	t.Helper()
	db := postgresTestDB(t)
	if err := migratePostgres(context.Background(), db); err != nil {
		t.Fatalf("migratePostgres: %v", err)
	}
	return db
}

func postgresVersion(t *testing.T, db *sql.DB) int {
	t.Helper()
	var v int
	if err := db.QueryRow("SELECT version FROM schema_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// Both engines describe the same schema version: a migration added for
// SQLite needs its PostgreSQL twin (or the other way round).
func TestPostgresMigrationsReachSQLiteVersion(t *testing.T) {
	ms := postgresMigrations()
	if got := ms[len(ms)-1].version; got != SchemaVersion() {
		t.Errorf("the PostgreSQL migrations end at version %d, SQLite's at %d: add migrations/postgres/%04d_....sql",
			got, SchemaVersion(), SchemaVersion())
	}
}

func TestLoadPostgresMigrationsChecksNames(t *testing.T) {
	file := &fstest.MapFile{Data: []byte("SELECT 1;")}
	for _, tc := range []struct {
		name  string
		files []string
		ok    bool
	}{
		{"baseline alone", []string{"0024_baseline.sql"}, true},
		{"baseline then the next", []string{"0024_baseline.sql", "0025_teams.sql"}, true},
		{"no baseline first", []string{"0024_init.sql"}, false},
		{"a gap", []string{"0024_baseline.sql", "0026_teams.sql"}, false},
		{"a bad name", []string{"0024_baseline.sql", "25_teams.sql"}, false},
		{"none", nil, false},
	} {
		fsys := fstest.MapFS{}
		for _, f := range tc.files {
			fsys["migrations/postgres/"+f] = file
		}
		_, err := loadPostgresMigrations(fsys)
		if (err == nil) != tc.ok {
			t.Errorf("%s: err = %v, want ok %v", tc.name, err, tc.ok)
		}
	}
}

func TestPostgresMigrateTwiceChangesNothing(t *testing.T) {
	t.Parallel()
	db := postgresSchema(t)
	var before string
	if err := db.QueryRow("SELECT uuid FROM installation").Scan(&before); err != nil {
		t.Fatal(err)
	}
	if err := migratePostgres(context.Background(), db); err != nil {
		t.Fatalf("second migratePostgres: %v", err)
	}
	var after string
	var n int
	if err := db.QueryRow("SELECT uuid, (SELECT count(*) FROM installation) FROM installation").Scan(&after, &n); err != nil {
		t.Fatal(err)
	}
	if after != before || n != 1 {
		t.Errorf("second migration changed the installation: %q (%d rows), was %q", after, n, before)
	}
	if v := postgresVersion(t, db); v != SchemaVersion() {
		t.Errorf("schema version %d, want %d", v, SchemaVersion())
	}
}

func TestPostgresMigrateAtOnceFromTwoPrograms(t *testing.T) {
	t.Parallel()
	db := postgresTestDB(t)
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Go(func() { errs[i] = migratePostgres(context.Background(), db) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("migrating at once: %v", err)
	}
	if v := postgresVersion(t, db); v != SchemaVersion() {
		t.Errorf("schema version %d, want %d", v, SchemaVersion())
	}
}

func TestPostgresRefusesNewerVersion(t *testing.T) {
	t.Parallel()
	db := postgresSchema(t)
	newer := SchemaVersion() + 1
	if _, err := db.Exec("UPDATE schema_version SET version = $1", newer); err != nil {
		t.Fatal(err)
	}
	err := migratePostgres(context.Background(), db)
	var oe *OpenError
	if !errors.As(err, &oe) || oe.Kind != NewerVersion || oe.FileVersion != newer || oe.KnownVersion != SchemaVersion() {
		t.Fatalf("err = %v, want a NewerVersion OpenError (%d over %d)", err, newer, SchemaVersion())
	}
	if v := postgresVersion(t, db); v != newer {
		t.Errorf("the refused database is now at version %d, was %d", v, newer)
	}
}

func TestPostgresRefusesADatabaseNotCallcoachs(t *testing.T) {
	t.Parallel()
	db := postgresTestDB(t)
	if _, err := db.Exec("CREATE TABLE orders (id bigint PRIMARY KEY)"); err != nil {
		t.Fatal(err)
	}
	if err := migratePostgres(context.Background(), db); err == nil {
		t.Fatal("migratePostgres took a database with other tables in it")
	}
	var tables int
	if err := db.QueryRow("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()").Scan(&tables); err != nil {
		t.Fatal(err)
	}
	if tables != 1 {
		t.Errorf("the refused database has %d tables, had 1", tables)
	}
}

// Open connects to nothing; the schema check runs beside the first frame,
// and a database a newer callcoach wrote is refused at the first use,
// with the same error as a newer file, before anything is written.
func TestPostgresNewerVersionRefusedAtFirstUse(t *testing.T) {
	ctx := context.Background()
	where := newPostgresURL(t)
	s := openNew(t, where)
	if _, err := s.InstallationID(ctx); err != nil {
		t.Fatal(err)
	}
	mustExec(t, s.rw, "UPDATE schema_version SET version = ?", SchemaVersion()+1)
	before := storeHash(t, s)

	for _, open := range []func(context.Context, string) (*Store, error){Open, OpenReadOnly} {
		again, err := open(ctx, where)
		if err != nil {
			t.Fatalf("Open: %v (it should connect to nothing yet)", err)
		}
		_, err = again.InstallationID(ctx)
		var oe *OpenError
		if !errors.As(err, &oe) || oe.Kind != NewerVersion || oe.FileVersion != SchemaVersion()+1 {
			t.Errorf("first read: %v, want a NewerVersion OpenError", err)
		}
		if again.ReadOnly() == nil {
			if _, err := again.CreatePerson(ctx, coaching.Person{Name: "Ann"}, t0); !errors.As(err, &oe) || oe.Kind != NewerVersion {
				t.Errorf("first write: %v, want a NewerVersion OpenError", err)
			}
		}
		again.Close()
	}
	if after := storeHash(t, s); after != before {
		t.Error("the refused database was written to")
	}
}

// A team database is backed up and restored on its server: callcoach
// says how, and writes nothing.
func TestPostgresBackupAndRestoreSayHow(t *testing.T) {
	ctx := context.Background()
	where := newPostgresURL(t)
	s := openNew(t, where)
	dest := filepath.Join(t.TempDir(), "copy.db")
	if _, err := s.Backup(ctx, dest); err == nil || !strings.Contains(err.Error(), "pg_dump") {
		t.Errorf("Backup: %v, want it to say pg_dump", err)
	}
	if _, err := os.Stat(dest); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Backup wrote %s", dest)
	}
	for name, err := range map[string]error{
		"CheckRestoreTarget": CheckRestoreTarget(ctx, where),
		"Restore":            func() error { _, err := Restore(ctx, dest, where); return err }(),
	} {
		if err == nil || !strings.Contains(err.Error(), "pg_restore") || strings.Contains(err.Error(), "callcoach_test:callcoach_test") {
			t.Errorf("%s: %v, want it to say pg_restore, without the password", name, err)
		}
	}
}
