package storage

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"regexp"
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
	once  sync.Once
	name  string
	err   error
	print string // schemaPrintSQL of the template

	mu   sync.Mutex
	free []freeDatabase // test databases emptied, for the next test
}

// freeDatabase is an emptied test database and the connection recycle
// emptied it on, kept for the next recycle: a connection costs a round of
// authentication and a new server process.
type freeDatabase struct {
	name string
	db   *sql.DB
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

// newPostgresURL gives the test a database of its own, at the newest
// schema version and empty, and takes it back when the test ends; it
// returns the database's URL. Making a database (a copy of the template)
// and dropping one each cost about half a second, most of the PostgreSQL
// run; so a database whose schema the test left as it was is emptied
// (recycle) and given to the next test instead.
func newPostgresURL(t testing.TB) string {
	t.Helper()
	server := postgresServer(t)
	ctx := context.Background()
	pgTemplate.once.Do(func() {
		admin, err := sql.Open("pgx", server.String())
		if err != nil {
			pgTemplate.err = err
			return
		}
		defer admin.Close()
		pgTemplate.name = "callcoach_tmpl_" + hex.EncodeToString(randomBytes(t, 6))
		pgTemplate.err = makeTemplate(ctx, admin, server, pgTemplate.name)
	})
	if pgTemplate.err != nil {
		t.Fatalf("make the template database: %v", pgTemplate.err)
	}
	pgTemplate.mu.Lock()
	var free freeDatabase
	if n := len(pgTemplate.free); n > 0 {
		free, pgTemplate.free = pgTemplate.free[n-1], pgTemplate.free[:n-1]
	}
	pgTemplate.mu.Unlock()
	name := free.name
	if name == "" {
		name = "callcoach_t_" + hex.EncodeToString(randomBytes(t, 6))
		admin, err := sql.Open("pgx", server.String())
		if err != nil {
			t.Fatal(err)
		}
		_, err = admin.ExecContext(ctx, "CREATE DATABASE "+name+" TEMPLATE "+pgTemplate.name)
		admin.Close()
		if err != nil {
			t.Fatalf("create a database for the test on %s: %v", server.Redacted(), err)
		}
	}
	t.Cleanup(func() { recycle(t, server, name, free.db) })
	u := *server
	u.Path = "/" + name
	return u.String()
}

// schemaPrintSQL sums up a database's schema, its privileges and
// policies: a test database whose sum is the template's may be emptied and
// used again; one a test changed (a trigger dropped, a column added) is
// dropped.
const schemaPrintSQL = `SELECT md5(string_agg(x, ',' ORDER BY x)) FROM (
	SELECT 'c ' || c.relname || ' ' || c.relkind::text || ' ' || coalesce(c.relacl::text, '') AS x
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'
	UNION ALL SELECT 'a ' || a.attrelid::regclass || ' ' || a.attname || ' ' || a.atttypid || ' ' || a.attnotnull
		FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = 'public' AND a.attnum > 0 AND NOT a.attisdropped
	UNION ALL SELECT 't ' || tgrelid::regclass || ' ' || tgname || ' ' || tgenabled::text FROM pg_trigger
	UNION ALL SELECT 'k ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
		WHERE connamespace = 'public'::regnamespace
	UNION ALL SELECT 'f ' || p.proname || ' ' || md5(p.prosrc) || ' ' || coalesce(p.proacl::text, '')
		FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace
	UNION ALL SELECT 'p ' || polrelid::regclass || ' ' || polname FROM pg_policy
	UNION ALL SELECT 'v ' || version FROM schema_version) s`

// resetSQL empties a test database and puts back the rows a new one has
// (those of the baseline and migratePostgres). Most tests leave a few
// rows, and those it deletes: TRUNCATE makes new files for every table and
// index, which costs more than the rest of such a test. A delete that a
// foreign key refuses is tried again once the rows pointing at it are
// gone, and a table a delete trigger wrote to (the counts) is emptied on
// the next pass. A test that left a thousand rows in a table (a generated
// year) is truncated instead, which then costs less than deleting each row
// through its triggers. The audit trail refuses deletes and truncates: its
// guard is set aside for a truncate.
func resetSQL() string {
	return `DO $$
DECLARE
	t text;
	full_ text[] := '{}';
	passes int := 0;
BEGIN
	FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP
		EXECUTE format('SELECT %L WHERE (SELECT count(*) FROM (SELECT FROM %I LIMIT 1000) s) = 1000', t, t) INTO t;
		IF t IS NOT NULL THEN
			full_ := full_ || t;
		END IF;
	END LOOP;
	IF cardinality(full_) > 0 THEN
		ALTER TABLE audit DISABLE TRIGGER audit_no_truncate;
		EXECUTE (SELECT 'TRUNCATE ' || string_agg(format('%I', tablename), ', ') || ' RESTART IDENTITY CASCADE'
			FROM pg_tables WHERE schemaname = 'public');
		ALTER TABLE audit ENABLE TRIGGER audit_no_truncate;
	ELSIF EXISTS (SELECT FROM audit) THEN
		ALTER TABLE audit DISABLE TRIGGER audit_no_truncate;
		TRUNCATE audit;
		ALTER TABLE audit ENABLE TRIGGER audit_no_truncate;
	END IF;
	LOOP
		full_ := '{}';
		FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'audit' ORDER BY tablename LOOP
			EXECUTE format('SELECT %L WHERE EXISTS (SELECT FROM %I)', t, t) INTO t;
			IF t IS NOT NULL THEN
				full_ := full_ || t;
			END IF;
		END LOOP;
		EXIT WHEN cardinality(full_) = 0;
		passes := passes + 1;
		IF passes > 20 THEN
			RAISE EXCEPTION 'cannot empty %', full_;
		END IF;
		FOREACH t IN ARRAY full_ LOOP
			BEGIN
				EXECUTE format('DELETE FROM %I', t);
			EXCEPTION WHEN foreign_key_violation THEN NULL;
			END;
		END LOOP;
	END LOOP;
	FOR t IN SELECT format('%I', sequencename) FROM pg_sequences WHERE schemaname = 'public' LOOP
		PERFORM setval(t, 1, false);
	END LOOP;
END $$;
INSERT INTO schema_version (id, version) VALUES (1, ` + fmt.Sprint(SchemaVersion()) + `);
INSERT INTO file_identity ("only", token) VALUES (1, replace(gen_random_uuid()::text, '-', ''));
INSERT INTO caseload_counts (id, people, no_follow_up) VALUES (1, 0, 0);
INSERT INTO installation (id, uuid, created_at)
VALUES (1, gen_random_uuid()::text, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'));`
}

// recycle empties the test's database for the next test if its schema is
// as the template's, and drops it otherwise. Sessions the test left open
// are ended first. db is the connection the database was emptied on
// before, if it was.
func recycle(t testing.TB, server *url.URL, name string, db *sql.DB) {
	ctx := context.Background()
	if db == nil {
		u := *server
		u.Path = "/" + name
		var err error
		if db, err = sql.Open("pgx", u.String()); err != nil {
			t.Error(err)
			return
		}
		db.SetMaxOpenConns(1)
	}
	kept := func() bool {
		if _, err := db.ExecContext(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
			WHERE datname = current_database() AND pid <> pg_backend_pid()`); err != nil {
			return false
		}
		var print string
		if err := db.QueryRowContext(ctx, schemaPrintSQL).Scan(&print); err != nil || print != pgTemplate.print {
			return false
		}
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return false
		}
		if _, err := tx.ExecContext(ctx, resetSQL()); err != nil {
			tx.Rollback()
			return false
		}
		return tx.Commit() == nil
	}()
	if !kept {
		db.Close()
		dropDatabase(t, server, name)
		return
	}
	pgTemplate.mu.Lock()
	pgTemplate.free = append(pgTemplate.free, freeDatabase{name, db})
	pgTemplate.mu.Unlock()
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
	if err := migratePostgres(ctx, db); err != nil {
		return err
	}
	return db.QueryRowContext(ctx, schemaPrintSQL).Scan(&pgTemplate.print)
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

// dropTemplate removes the run's template database, and the emptied test
// databases kept for reuse, if any were made.
func dropTemplate() error {
	if pgTemplate.name == "" {
		return nil
	}
	admin, err := sql.Open("pgx", os.Getenv(postgresEnv))
	if err != nil {
		return err
	}
	defer admin.Close()
	var errs []error
	names := []string{pgTemplate.name}
	for _, f := range pgTemplate.free {
		f.db.Close()
		names = append(names, f.name)
	}
	for _, name := range names {
		if _, err := admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			errs = append(errs, fmt.Errorf("drop the database %s: %w", name, err))
		}
	}
	return errors.Join(errs...)
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

// The PostgreSQL run of the suite (TestSuiteOnPostgres) is runs of this
// test binary with CALLCOACH_TEST_ENGINE=postgres. They start with the
// binary, beside the SQLite run, rather than when its test's turn comes:
// one after the other the two would take the package past go test's ten
// minutes on a busy machine. The tests are shared out between
// postgresShards runs at once, since a run waits on the server as much as
// it computes, and on a machine busy with other work more processes get
// more of it.
var postgresSuite struct {
	done chan struct{}
	out  []byte
	err  error
}

const postgresShards = 2

// startPostgresSuite starts the PostgreSQL run if this run will want it:
// not the PostgreSQL run itself, not -short, a server named, and a -run
// pattern (if any) that takes TestSuiteOnPostgres.
func startPostgresSuite() {
	pattern := flag.Lookup("test.run").Value.String()
	if onPostgres() || testing.Short() || os.Getenv(postgresEnv) == "" {
		return
	}
	if pattern != "" {
		if re, err := regexp.Compile(pattern); err != nil || !re.MatchString("TestSuiteOnPostgres") {
			return
		}
	}
	postgresSuite.done = make(chan struct{})
	go func() {
		defer close(postgresSuite.done)
		var mu sync.Mutex
		var wg sync.WaitGroup
		for _, run := range postgresRuns(pattern) {
			args := []string{"-test.v", "-test.count=1", "-test.timeout=30m"}
			if run != "" {
				args = append(args, "-test.run="+run)
			}
			cmd := exec.Command(os.Args[0], args...)
			cmd.Env = append(os.Environ(), engineEnv+"=postgres")
			wg.Add(1)
			go func() {
				defer wg.Done()
				out, err := cmd.CombinedOutput()
				mu.Lock()
				defer mu.Unlock()
				postgresSuite.out = append(postgresSuite.out, out...)
				postgresSuite.err = errors.Join(postgresSuite.err, err)
			}()
		}
		wg.Wait()
	}()
}

// postgresRuns shares the tests pattern takes (all if it is empty) out
// between postgresShards -test.run patterns, in turn by name. A pattern
// that names subtests, or a list that cannot be had, is one run.
func postgresRuns(pattern string) []string {
	if strings.Contains(pattern, "/") {
		return []string{pattern}
	}
	list := pattern
	if list == "" {
		list = "."
	}
	out, err := exec.Command(os.Args[0], "-test.list="+list).Output()
	if err != nil {
		return []string{pattern}
	}
	shards := make([][]string, postgresShards)
	i := 0
	for _, name := range strings.Fields(string(out)) {
		if strings.HasPrefix(name, "Benchmark") || name == "TestSuiteOnPostgres" {
			continue
		}
		shards[i%postgresShards] = append(shards[i%postgresShards], regexp.QuoteMeta(name))
		i++
	}
	var runs []string
	for _, names := range shards {
		if len(names) > 0 {
			runs = append(runs, "^("+strings.Join(names, "|")+")$")
		}
	}
	return runs
}

// TestSuiteOnPostgres reports the PostgreSQL run of this package's whole
// suite, so the one test command covers both engines. Without a server it
// skips, saying how to run it; under CI it fails instead.
func TestSuiteOnPostgres(t *testing.T) {
	if onPostgres() {
		t.Skip("this is the PostgreSQL run")
	}
	if testing.Short() {
		t.Skip("-short: the PostgreSQL run is left out")
	}
	postgresServer(t)
	if postgresSuite.done == nil {
		t.Fatal("the PostgreSQL run was not started with the binary (startPostgresSuite)")
	}
	<-postgresSuite.done
	out, err := postgresSuite.out, postgresSuite.err
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
		// What each failed test said: under -test.v a test's log comes
		// before its --- FAIL line, so each test's lines are kept from its
		// === RUN until it ends; and a panic, whole.
		var fails, test []string
		panicked := false
		for _, l := range strings.Split(string(out), "\n") {
			switch {
			case panicked, strings.HasPrefix(l, "panic"):
				panicked = true
				fails = append(fails, l)
			case strings.HasPrefix(l, "=== RUN"):
				test = []string{l}
			case strings.HasPrefix(l, "--- FAIL"):
				fails = append(append(fails, test...), l)
				test = nil
			case strings.HasPrefix(l, "--- "):
				test = nil
			default:
				test = append(test, l)
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
