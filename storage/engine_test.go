package storage

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
)

// The storage suite runs against both engines (issue 18): by default each
// test's Store is an SQLite file in a temp dir; with
// CALLCOACH_TEST_ENGINE=postgres (and CALLCOACH_TEST_POSTGRES naming the
// server) newStore gives each test a new PostgreSQL database instead, made
// from a template migrated once per run. .ci/run runs the suite both ways.
// A test about the file itself (its header, WAL, permissions, backups as
// copies of it) says so with sqliteOnly and is skipped on PostgreSQL.
const engineEnv = "CALLCOACH_TEST_ENGINE"

// onPostgres reports whether this run's Stores are PostgreSQL databases.
func onPostgres() bool { return os.Getenv(engineEnv) == "postgres" }

// sqliteOnly skips t on the PostgreSQL run, saying why.
func sqliteOnly(t testing.TB, why string) {
	t.Helper()
	if onPostgres() {
		t.Skipf("SQLite only: %s", why)
	}
}

// pgTemplate is the migrated database each test's database is copied from.
var pgTemplate struct {
	once sync.Once
	name string
	err  error
}

// postgresServer is CALLCOACH_TEST_POSTGRES parsed, or a skip (a failure
// under CI) when it is not set.
func postgresServer(t testing.TB) *url.URL {
	t.Helper()
	admin := os.Getenv(postgresEnv)
	if admin == "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not set: CI must start PostgreSQL for this test (see .ci/run)", postgresEnv)
		}
		t.Skipf("no PostgreSQL; to run: %s=postgres://callcoach_test:callcoach_test@localhost/callcoach_test go test ./storage -run Postgres", postgresEnv)
	}
	u, err := url.Parse(admin)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		t.Fatalf("%s must be a postgres:// URL", postgresEnv)
	}
	return u
}

// newPostgresURL makes a database of the test's own, at the newest schema
// version, and drops it when the test ends; it returns the database's URL.
func newPostgresURL(t testing.TB) string {
	t.Helper()
	server := postgresServer(t)
	ctx := context.Background()
	admin, err := sql.Open("pgx", server.String())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	pgTemplate.once.Do(func() {
		pgTemplate.name = "callcoach_tmpl_" + hex.EncodeToString(randomBytes(t, 6))
		pgTemplate.err = makeTemplate(ctx, admin, server, pgTemplate.name)
	})
	if pgTemplate.err != nil {
		t.Fatalf("make the template database: %v", pgTemplate.err)
	}
	name := "callcoach_t_" + hex.EncodeToString(randomBytes(t, 6))
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name+" TEMPLATE "+pgTemplate.name); err != nil {
		t.Fatalf("create a database for the test on %s: %v", server.Redacted(), err)
	}
	t.Cleanup(func() { dropDatabase(t, server, name) })
	u := *server
	u.Path = "/" + name
	return u.String()
}

func makeTemplate(ctx context.Context, admin *sql.DB, server *url.URL, name string) error {
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		return err
	}
	u := *server
	u.Path = "/" + name
	db, err := sql.Open("pgx", u.String())
	if err != nil {
		return err
	}
	defer db.Close()
	return migratePostgres(ctx, db)
}

func dropDatabase(t testing.TB, server *url.URL, name string) {
	admin, err := sql.Open("pgx", server.String())
	if err != nil {
		t.Error(err)
		return
	}
	defer admin.Close()
	if _, err := admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
		t.Errorf("drop the test's database %s: %v", name, err)
	}
}

// dropTemplate removes the run's template database, if one was made.
func dropTemplate() error {
	if pgTemplate.name == "" {
		return nil
	}
	admin, err := sql.Open("pgx", os.Getenv(postgresEnv))
	if err != nil {
		return err
	}
	defer admin.Close()
	if _, err := admin.Exec("DROP DATABASE IF EXISTS " + pgTemplate.name + " WITH (FORCE)"); err != nil {
		return fmt.Errorf("drop the template database %s: %w", pgTemplate.name, err)
	}
	return nil
}

// storeHash stands for everything s holds, to tell that a refused write
// changed nothing: on SQLite the file and its WAL byte for byte; on
// PostgreSQL every row of every table, in a fixed order.
func storeHash(t *testing.T, s *Store) string {
	t.Helper()
	if !s.pg {
		return filesHash(t, s.Path())
	}
	ctx := context.Background()
	var tables []string
	rows, err := s.ro.QueryContext(ctx, "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	for _, name := range tables {
		var dump sql.NullString
		q := fmt.Sprintf(`SELECT string_agg(r::text, E'\n' ORDER BY r::text) FROM %q r`, name)
		if err := s.ro.QueryRowContext(ctx, q).Scan(&dump); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		fmt.Fprintf(h, "%s\n%s\n", name, dump.String)
	}
	return fmt.Sprintf("rows %x", h.Sum(nil))
}

// bySQL is a test's statement for this run's engine, where the two
// engines spell it differently.
func bySQL(sqlite, postgres string) string {
	if onPostgres() {
		return postgres
	}
	return sqlite
}

// secondConnection is a connection of the test's own to s's database,
// past the Store, as another program (the sqlite3 CLI, psql) would see it.
func secondConnection(t *testing.T, s *Store) *sql.DB {
	t.Helper()
	if !s.pg {
		return rawDB(t, s.Path())
	}
	db, err := openPostgresDB(s.url, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestSuiteOnPostgres runs this package's whole suite again on PostgreSQL
// (a run of this test binary with CALLCOACH_TEST_ENGINE=postgres), so the
// one test command covers both engines. Without a server it skips, saying
// how to run it; under CI it fails instead.
func TestSuiteOnPostgres(t *testing.T) {
	if onPostgres() {
		t.Skip("this is the PostgreSQL run")
	}
	if testing.Short() {
		t.Skip("-short: the PostgreSQL run is left out")
	}
	postgresServer(t)
	args := []string{"-test.v", "-test.count=1", "-test.timeout=30m"}
	if f := flag.Lookup("test.run"); f != nil && f.Value.String() != "" {
		args = append(args, "-test.run="+f.Value.String())
	}
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), engineEnv+"=postgres")
	out, err := cmd.CombinedOutput()
	count := func(prefix string) int {
		n := 0
		for _, l := range strings.Split(string(out), "\n") {
			if strings.HasPrefix(l, prefix) {
				n++
			}
		}
		return n
	}
	passed, skipped, failed := count("--- PASS"), count("--- SKIP"), count("--- FAIL")
	if err != nil || failed > 0 {
		var fails []string
		for _, l := range strings.Split(string(out), "\n") {
			if strings.Contains(l, "--- FAIL") || strings.Contains(l, "_test.go:") || strings.HasPrefix(l, "panic") {
				fails = append(fails, l)
			}
		}
		t.Fatalf("the storage suite on PostgreSQL: %d passed, %d failed (%v):\n%s", passed, failed, err, strings.Join(fails, "\n"))
	}
	t.Logf("the storage suite on PostgreSQL: %d passed, %d skipped (SQLite's own)", passed, skipped)
}

// openBenchDatabase opens the benchmark caseload of size on the PostgreSQL
// run's server (FindBenchDatabase), or skips saying how to make it.
func openBenchDatabase(b testing.TB, size BenchSize) *Store {
	b.Helper()
	where, ok, err := FindBenchDatabase(context.Background(), postgresServer(b).String(), size, false)
	if err != nil {
		b.Fatal(err)
	}
	if !ok {
		b.Skipf("no %s benchmark caseload on PostgreSQL: make it once with %s=postgres CALLCOACH_BENCH_MAKE=%s go test ./storage -run TestMakeBenchFiles -timeout 2h -v",
			size.Name, engineEnv, size.Name)
	}
	s, err := Open(context.Background(), where)
	if err != nil {
		b.Fatal(err)
	}
	return s
}
