package main

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// reportCaseload makes a demo caseload and adds what the demo has none
// of: attempts, a call opened by mistake, MI tally marks (some undone) and
// change talk with its quotes, and a note with words the report must not
// show.
func reportCaseload(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "report.db")
	if _, errOut, code := runMain(t, "demo", "--people", "30", "--calls-per-person", "5", "--db", db); code != 0 {
		t.Fatalf("demo: %d %s", code, errOut)
	}
	conn, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, q := range []string{
		`INSERT INTO calls (person_id, started_at, ended_at, outcome, updated_at)
		 SELECT person_id, started_at, started_at, CASE id % 3 WHEN 0 THEN 'no_answer' WHEN 1 THEN 'voicemail' ELSE 'opened_by_mistake' END, started_at
		 FROM calls WHERE id % 4 = 0`,
		`WITH k(kind, n) AS (VALUES ('open_question', 4), ('closed_question', 2), ('simple_reflection', 3), ('complex_reflection', 2), ('affirmation', 1), ('mi_inconsistent', 1)),
		      r(j) AS (VALUES (1), (2), (3), (4))
		 INSERT INTO tally_marks (call_id, kind, marked_at, undone_at)
		 SELECT c.id, k.kind, c.started_at, CASE WHEN (c.id + r.j) % 7 = 0 THEN c.started_at END
		 FROM calls c JOIN k JOIN r ON r.j <= k.n + c.id % 3 WHERE c.outcome = 'reached'`,
		`INSERT INTO change_talk (call_id, kind, quote, said_at)
		 SELECT id, CASE id % 3 WHEN 0 THEN 'sustain' ELSE 'desire' END, 'I could give up the marmalade', started_at FROM calls WHERE outcome = 'reached'`,
		`UPDATE calls SET notes = 'Spoke about the quince orchard' WHERE id = 1`,
	} {
		if _, err := conn.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	return db
}

// reportTotal is the JSON report's totals.
type reportTotal struct {
	Total struct {
		Calls      int            `json:"calls"`
		Reached    int            `json:"reached"`
		Minutes    int            `json:"minutes"`
		ChangeTalk int            `json:"change_talk"`
		Tally      map[string]int `json:"tally"`
	} `json:"total"`
	Weeks []json.RawMessage `json:"weeks"`
}

// The report's totals, from the real program, are the file's, counted
// again with the sqlite3 CLI.
func TestReportMatchesSQLite(t *testing.T) {
	db := reportCaseload(t)
	from := strings.TrimSpace(sqlite(t, db, "SELECT date(min(started_at), '-2 days') FROM calls"))
	cmd := exec.Command(binary(t), "report", "--from", from, "--format", "json", "--db", db)
	var errOut strings.Builder
	cmd.Stderr = &errOut
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("report: %v %s", err, errOut.String())
	}
	var got reportTotal
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	num := func(query string) int {
		n, err := strconv.Atoi(sqlite(t, db, query))
		if err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		return n
	}
	checks := []struct {
		what  string
		got   int
		query string
	}{
		{"calls made", got.Total.Calls, "SELECT count(*) FROM calls WHERE ended_at IS NOT NULL AND outcome <> 'opened_by_mistake'"},
		{"reached", got.Total.Reached, "SELECT count(*) FROM calls WHERE outcome = 'reached'"},
		{"minutes", got.Total.Minutes, "SELECT CAST(round(sum(strftime('%s', ended_at) - strftime('%s', started_at)) / 60.0) AS INTEGER) FROM calls WHERE outcome = 'reached'"},
		{"change talk", got.Total.ChangeTalk, "SELECT count(*) FROM change_talk t JOIN calls c ON c.id = t.call_id WHERE c.outcome = 'reached' AND t.kind <> 'sustain'"},
	}
	for _, k := range [][2]string{{"open_question", "open_questions"}, {"closed_question", "closed_questions"},
		{"simple_reflection", "simple_reflections"}, {"complex_reflection", "complex_reflections"},
		{"affirmation", "affirmations"}, {"summary", "summaries"}, {"mi_inconsistent", "mi_inconsistent"}} {
		checks = append(checks, struct {
			what  string
			got   int
			query string
		}{k[1], got.Total.Tally[k[1]], "SELECT count(*) FROM tally_marks t JOIN calls c ON c.id = t.call_id WHERE c.outcome = 'reached' AND t.undone_at IS NULL AND t.kind = '" + k[0] + "'"})
	}
	for _, c := range checks {
		if want := num(c.query); c.got != want {
			t.Errorf("%s: report %d, sqlite3 %d", c.what, c.got, want)
		}
	}
	if got.Total.Calls == got.Total.Reached || got.Total.Tally["open_questions"] == 0 {
		t.Errorf("the caseload lacks attempts or marks: %+v", got.Total)
	}
}

// No format names anyone or repeats what was said or noted.
func TestReportShowsNoNamesNotesOrQuotes(t *testing.T) {
	db := reportCaseload(t)
	conn, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	rows, err := conn.Query("SELECT name FROM people")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, strings.Fields(n)...)
	}
	rows.Close()
	conn.Close()
	forbidden := append(names, "quince", "orchard", "marmalade", "walking")
	for _, format := range []string{"text", "csv", "json"} {
		out, errOut, code := runMain(t, "report", "--from", time.Now().AddDate(0, -3, 0).Format(time.DateOnly), "--format", format, "--db", db)
		if code != 0 {
			t.Fatalf("%s: %d %s", format, code, errOut)
		}
		if !strings.Contains(out, "reach") {
			t.Fatalf("%s: no figures:\n%s", format, out)
		}
		low := strings.ToLower(out)
		for _, w := range forbidden {
			if strings.Contains(low, strings.ToLower(w)) {
				t.Errorf("%s report shows %q", format, w)
			}
		}
	}
}

func TestReportCSVAndFlags(t *testing.T) {
	db := reportCaseload(t)
	out, _, code := runMain(t, "report", "--from", "2026-11-02", "--to", "2026-11-15", "--format", "csv", "--db", db)
	if code != 0 {
		t.Fatalf("csv: %d", code)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "week_start,from,to,calls,reached,minutes") ||
		!strings.HasPrefix(lines[1], "2026-11-02,") || !strings.HasPrefix(lines[2], "2026-11-09,") {
		t.Errorf("csv of two weeks:\n%s", out)
	}
	for _, bad := range [][]string{
		{"--format", "xml"}, {"--from", "yesterday"}, {"--to", "2026-13-01"}, {"--from", "2026-11-10", "--to", "2026-11-01"},
	} {
		if _, errOut, code := runMain(t, append([]string{"report", "--db", db}, bad...)...); code != 2 || !strings.HasPrefix(errOut, "callcoach: ") {
			t.Errorf("report %v: %d %q", bad, code, errOut)
		}
	}
	if _, errOut, code := runMain(t, "report", "--db", filepath.Join(t.TempDir(), "none.db")); code != 1 || !strings.Contains(errOut, "no database") {
		t.Errorf("a missing file: %d %q", code, errOut)
	}
}

func TestReportPeriod(t *testing.T) {
	loc := time.UTC
	now := time.Date(2026, 11, 30, 15, 0, 0, 0, loc) // a Monday
	tests := []struct {
		from, to         string
		wantFrom, wantTo string
	}{
		{"", "", "2026-09-14T00:00:00Z", "2026-11-30T15:00:00Z"}, // 12 weeks, this one the 12th
		{"2026-11-01", "", "2026-11-01T00:00:00Z", "2026-11-30T15:00:00Z"},
		{"2026-11-01", "2026-11-15", "2026-11-01T00:00:00Z", "2026-11-16T00:00:00Z"},
		{"", "2026-11-15", "2026-08-24T00:00:00Z", "2026-11-16T00:00:00Z"},
		{"2026-11-01", "2026-12-25", "2026-11-01T00:00:00Z", "2026-11-30T15:00:00Z"},
	}
	for _, tt := range tests {
		from, to, err := reportPeriod(tt.from, tt.to, now, loc)
		if err != nil {
			t.Errorf("%q %q: %v", tt.from, tt.to, err)
			continue
		}
		if got := from.Format(time.RFC3339); got != tt.wantFrom {
			t.Errorf("%q %q: from %s, want %s", tt.from, tt.to, got, tt.wantFrom)
		}
		if got := to.Format(time.RFC3339); got != tt.wantTo {
			t.Errorf("%q %q: to %s, want %s", tt.from, tt.to, got, tt.wantTo)
		}
	}
}

// Commands that only read leave the file as it was: not one write, not
// even the crediting of unnamed records that only export does (a write
// at open made `callcoach next` wait for the page check of a large file).
func TestReadingCommandsDoNotWrite(t *testing.T) {
	db := reportCaseload(t)
	// Records from before the coach was stored: a write would credit them.
	if out, err := exec.Command("sqlite3", db, "UPDATE calls SET coach = ''; PRAGMA wal_checkpoint(TRUNCATE);").CombinedOutput(); err != nil {
		t.Skipf("sqlite3: %v %s", err, out)
	}
	state := func() string {
		h := fileHash(t, db)
		wal, _ := os.ReadFile(db + "-wal")
		return fmt.Sprintf("%x/%d", h, len(wal))
	}
	before := state()
	for _, args := range [][]string{
		{"next", "--db", db},
		{"report", "--db", db},
		{"report", "--format", "json", "--db", db},
		{"audit", "--db", db},
		{"audit", "verify", "--db", db},
	} {
		if _, errOut, code := runMain(t, args...); code != 0 {
			t.Fatalf("%v: %d %s", args, code, errOut)
		}
		if got := state(); got != before {
			t.Fatalf("%v changed the file", args)
		}
	}
	if got := queryOne(t, db, "SELECT count(*) FROM calls WHERE coach = ''"); got == "0" {
		t.Error("the calls were credited: the check above proves nothing")
	}
}
