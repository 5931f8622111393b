package main

import (
	"database/sql"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// queueFile is a caseload of three people from the import, one of them
// (Ann) overdue, one with a name holding an escape sequence.
func queueFile(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "q.db")
	file := writeCSV(t, "name,time zone,call times,consent\n"+
		"Ann Smith,Europe/London,any time,yes\n"+
		"Bo Lee,America/New_York,,no\n"+
		"Cy Park,Australia/Sydney,,yes\n")
	if out, errOut, code := runMain(t, "import", file, "--db", db); code != 0 {
		t.Fatalf("import: %d %q %q", code, out, errOut)
	}
	// Written by something other than callcoach, which keeps control
	// characters out of names.
	execSQL(t, db, "UPDATE people SET name = 'Cy ' || char(27) || '[31mPark' WHERE id = 3")
	execSQL(t, db, "INSERT INTO follow_ups (person_id, due_at, reason, created_at) VALUES (1, ?, 'check the walking plan', ?)",
		time.Now().UTC().Add(-26*time.Hour).Format(time.RFC3339), time.Now().UTC().Add(-72*time.Hour).Format(time.RFC3339))
	execSQL(t, db, "INSERT INTO follow_ups (person_id, due_at, reason, created_at) VALUES (3, ?, 'ask about sleep', ?)",
		time.Now().UTC().Add(-25*time.Hour).Format(time.RFC3339), time.Now().UTC().Add(-72*time.Hour).Format(time.RFC3339))
	return db
}

func execSQL(t *testing.T, path, query string, args ...any) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(query, args...); err != nil {
		t.Fatal(err)
	}
}

func queryOne(t *testing.T, path, query string) string {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var s sql.NullString
	if err := db.QueryRow(query).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s.String
}

func TestNextAndLog(t *testing.T) {
	db := queueFile(t)
	out, errOut, code := runMain(t, "next", "--db", db)
	if code != 0 || errOut != "" {
		t.Fatalf("next: %d %q %q", code, out, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "0 flagged · 2 overdue · 0 due today · made 0, reached 0 today") ||
		!strings.HasPrefix(lines[1], "no. 1 · Ann Smith · overdue") || !strings.Contains(lines[1], "for: check the walking plan") ||
		!strings.HasPrefix(lines[2], "no. 3 · Cy ␛[31mPark · overdue") {
		t.Fatalf("next printed:\n%s", out)
	}
	if strings.ContainsRune(out, 0x1b) {
		t.Fatal("next printed an escape character from the file")
	}

	out, errOut, code = runMain(t, "log", "--db", db, "--person", "1", "--outcome", "no-answer", "--retry", "+2h")
	if code != 0 || !strings.HasPrefix(out, "Logged no answer for Ann Smith (no. 1)") || !strings.Contains(out, "Their follow-up moved to") {
		t.Fatalf("log: %d %q %q", code, out, errOut)
	}
	if got := queryOne(t, db, "SELECT outcome FROM calls WHERE person_id = 1"); got != "no_answer" {
		t.Fatalf("the attempt's outcome: %q", got)
	}
	due, err := time.Parse(time.RFC3339, queryOne(t, db, "SELECT due_at FROM follow_ups WHERE person_id = 1 AND done_at IS NULL"))
	if err != nil || time.Until(due) < 119*time.Minute || time.Until(due) > 121*time.Minute {
		t.Fatalf("the follow-up is due %v (%v), want 2 hours from now", due, err)
	}
	// Cy, overdue, now comes first; Ann is due later today, or tomorrow
	// if two hours from now is past midnight.
	out, _, _ = runMain(t, "next", "--db", db, "--format", "json")
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil || len(rows) == 0 || rows[0]["person"] != float64(3) ||
		rows[0]["name"] != "Cy \x1b[31mPark" || rows[0]["tier"] != "overdue" {
		t.Fatalf("next --format json: %v\n%s", err, out)
	}
	now := time.Now()
	wantAnn := due.In(time.Local).YearDay() == now.In(time.Local).YearDay()
	if gotAnn := len(rows) == 2 && rows[1]["person"] == float64(1) && rows[1]["tier"] == "later today" &&
		rows[1]["tries_today"] == float64(1) && rows[1]["last_outcome"] == "no_answer"; gotAnn != wantAnn || len(rows) > 2 {
		t.Fatalf("Ann due %v: listed later today %v, want %v:\n%s", due, gotAnn, wantAnn, out)
	}
	if out, _, _ = runMain(t, "next", "--db", db); !strings.Contains(out, "made 1, reached 0 today") {
		t.Fatalf("the header after one attempt:\n%s", out)
	}
}

func TestLogRefusesBadInputAndWritesNothing(t *testing.T) {
	db := queueFile(t)
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--person", "1", "--outcome", "ringing"}, 2, `"ringing" is not an attempt's outcome`},
		{[]string{"--person", "1"}, 2, "--outcome"},
		{[]string{"--person", "ann", "--outcome", "no-answer"}, 2, "person's number"},
		{[]string{"--person", "42", "--outcome", "no-answer"}, 1, "no person number 42"},
		{[]string{"--person", "1", "--outcome", "no-answer", "--retry", "2020-01-01 10:00"}, 2, "in the past"},
		{[]string{"--person", "1", "--outcome", "no-answer", "--retry", "+2 weeks"}, 2, "+90m"},
		{[]string{"--person", "1", "--outcome", "no-answer", "--retry", "+2h", "--no-retry"}, 2, "not both"},
	} {
		out, errOut, code := runMain(t, append([]string{"log", "--db", db}, c.args...)...)
		if code != c.code || !strings.Contains(errOut, c.want) || out != "" {
			t.Errorf("log %v: %d %q %q, want %d and %q", c.args, code, out, errOut, c.code, c.want)
		}
	}
	if n := queryOne(t, db, "SELECT count(*) FROM calls"); n != "0" {
		t.Fatalf("%s calls written by refused logs", n)
	}
	if out, errOut, code := runMain(t, "next", "--db", db, "--limit", "0"); code != 2 || !strings.Contains(errOut, "--limit") {
		t.Fatalf("next --limit 0: %d %q %q", code, out, errOut)
	}
}

// TestLogProposesTheRetry: without --retry the settings' rule sets it;
// after the limit of unanswered attempts it says to try another way.
func TestLogProposesTheRetry(t *testing.T) {
	db := queueFile(t)
	config := filepath.Join(t.TempDir(), "config.yaml")
	writeFile(t, config, "retry_minutes: 30\nretry_max_attempts: 2\n")
	out, errOut, code := runMain(t, "log", "--db", db, "--config", config, "--person", "1", "--outcome", "voicemail")
	if code != 0 || !strings.Contains(out, "30 minutes later, inside their window") {
		t.Fatalf("first attempt: %d %q %q", code, out, errOut)
	}
	out, errOut, code = runMain(t, "log", "--db", db, "--config", config, "--person", "1", "--outcome", "no answer")
	if code != 0 || !strings.Contains(out, "2 tries in seven days without reaching them") {
		t.Fatalf("second attempt: %d %q %q", code, out, errOut)
	}
}

// TestVersionNamesTheInstallation: version --db prints the file's
// installation id, the same every time.
func TestVersionNamesTheInstallation(t *testing.T) {
	db := queueFile(t)
	out, errOut, code := runMain(t, "version", "--db", db)
	again, _, _ := runMain(t, "version", "--db", db)
	id := queryOne(t, db, "SELECT uuid FROM installation")
	if code != 0 || len(id) != 36 || !strings.Contains(out, "installation "+id) || out != again {
		t.Fatalf("version --db: %d %q %q (id %q)", code, out, errOut, id)
	}
}
