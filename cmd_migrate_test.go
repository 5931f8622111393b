package main

import (
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// teamDatabase makes an empty PostgreSQL database on the server named by
// CALLCOACH_TEST_POSTGRES, dropped when the test ends, and returns its
// URL. Without the variable the test is skipped (a failure under CI).
func teamDatabase(t *testing.T) string {
	t.Helper()
	admin := os.Getenv("CALLCOACH_TEST_POSTGRES")
	if admin == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("CALLCOACH_TEST_POSTGRES is not set: CI must start PostgreSQL for this test (see .ci/run)")
		}
		t.Skip("no PostgreSQL; to run: CALLCOACH_TEST_POSTGRES=postgres://callcoach_test:callcoach_test@localhost/callcoach_test go test -run Migrate .")
	}
	server, err := url.Parse(admin)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("pgx", admin)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	b := make([]byte, 6)
	rand.Read(b)
	name := "callcoach_m_" + hex.EncodeToString(b)
	if _, err := db.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create a database for the test: %v", err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", admin)
		if err != nil {
			t.Error(err)
			return
		}
		defer db.Close()
		if _, err := db.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			t.Errorf("drop %s: %v", name, err)
		}
	})
	server.Path = "/" + name
	return server.String()
}

func fileSum(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// callcoach migrate copies a demo caseload into a new team database and
// says what it copied; run again, it copies nothing and says so; the file
// is not changed.
func TestMigrateCopiesOnceAndSaysWhat(t *testing.T) {
	team := teamDatabase(t)
	file := filepath.Join(t.TempDir(), "mine.db")
	if _, errOut, code := runMain(t, "demo", "--people", "12", "--calls-per-person", "3", "--db", file); code != 0 {
		t.Fatalf("demo: %d %s", code, errOut)
	}
	before := fileSum(t, file)
	out, errOut, code := runMain(t, "migrate", "--to", team, "--db", file, "--coach", "Sam Patel")
	if code != 0 {
		t.Fatalf("migrate: %d %s", code, errOut)
	}
	u, err := url.Parse(team)
	if err != nil {
		t.Fatal(err)
	}
	// The team database's address, its password left out.
	if !strings.HasPrefix(out, "Copied 12 people, 36 calls") || !strings.Contains(out, "@"+u.Host+u.Path) ||
		strings.Contains(out, "callcoach_test@") || !strings.HasSuffix(out, ".\n") {
		t.Errorf("migrate said %q", out)
	}
	if fileSum(t, file) != before {
		t.Error("migrate changed the file it copied")
	}

	out, errOut, code = runMain(t, "migrate", "--to", team, "--db", file)
	if code != 0 {
		t.Fatalf("second migrate: %d %s", code, errOut)
	}
	if !strings.HasPrefix(out, "Nothing new to copy into") || !strings.Contains(out, "12 people were there already from an earlier copy.") {
		t.Errorf("second migrate said %q", out)
	}

	db, err := sql.Open("pgx", team)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var people, calls int
	var coach string
	if err := db.QueryRow(`SELECT (SELECT count(*) FROM people), (SELECT count(*) FROM calls),
		(SELECT string_agg(coach, ',') FROM audit WHERE action = 'imported')`).Scan(&people, &calls, &coach); err != nil {
		t.Fatal(err)
	}
	if people != 12 || calls != 36 || coach != "Sam Patel" {
		t.Errorf("the team database has %d people, %d calls, copies audited as by %q; want 12, 36, one by Sam Patel", people, calls, coach)
	}
}

// Refusals, in the coach's words, before anything is opened.
func TestMigrateRefusals(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"migrate"}, 2, "migrate needs --to postgres://"},
		{[]string{"migrate", "--to", filepath.Join(dir, "team.db")}, 2, "--to wants your team's database as postgres://"},
		{[]string{"migrate", "--to", "postgres://sam@localhost/team", "--db", "postgres://sam@localhost/other"}, 2, "--db names the caseload file"},
		{[]string{"migrate", "--to", "postgres://sam@localhost/team", "--db", filepath.Join(dir, "none.db")}, 1, "there is no caseload file at"},
	} {
		out, errOut, code := runMain(t, tc.args...)
		if code != tc.code || out != "" || !strings.Contains(errOut, tc.says) {
			t.Errorf("%q: %d %q %q; want %d and %q", tc.args, code, out, errOut, tc.code, tc.says)
		}
	}
}
