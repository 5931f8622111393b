package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestEndToEndNowQueue: a caseload with people in three time zones, all
// overdue, opens on the Now view with the one inside their call window
// first, then the one whose window is not known, then the one outside it
// (though they are the most overdue); a then n then enter logs a no-answer
// with the retry proposed, which shows on the row and is in the file.
func TestEndToEndNowQueue(t *testing.T) {
	bin := binary(t)
	// The coach's clock reads about 10:00, so the retry two hours on is
	// still today (at 22:00 it was tomorrow, and Ada left the Now view).
	env, dir, db := e2eEnv(t, "TZ="+zoneAtHour(10))
	// Bo's window opens three hours from now on his clock, for an hour:
	// he is outside it whenever the test runs.
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	h := time.Now().In(ny).Hour()
	bo := fmt.Sprintf("%02d:00-%02d:00", (h+3)%24, (h+4)%24)
	csv := filepath.Join(dir, "people.csv")
	writeFile(t, csv, "name,time zone,call times,consent\n"+
		"Ada Ames,Europe/London,any time,yes\n"+
		"Bo Banks,America/New_York,"+bo+",yes\n"+
		"Cy Cole,Australia/Sydney,,yes\n")
	if err := os.MkdirAll(filepath.Dir(db), 0o700); err != nil {
		t.Fatal(err)
	}
	if out, errOut, code := runMain(t, "import", csv, "--db", db); code != 0 {
		t.Fatalf("import: %d %q %q", code, out, errOut)
	}
	for id, hoursAgo := range map[int]int{1: 26, 2: 50, 3: 27} {
		due := time.Now().UTC().Add(-time.Duration(hoursAgo) * time.Hour).Format(time.RFC3339)
		sqlite(t, db, fmt.Sprintf("INSERT INTO follow_ups (person_id, due_at, reason, created_at) VALUES (%d, '%s', 'check in', '%s')",
			id, due, time.Now().UTC().Add(-96*time.Hour).Format(time.RFC3339)))
	}

	socket := fmt.Sprintf("callcoach-e2e-now-%d", os.Getpid())
	s := startTmux(t, socket, "now", env, bin)
	s.waitFor("[Now 3]")
	s.waitFor("0 flagged · 3 overdue")
	s.waitFor("Bo Banks")
	screen := s.screen()
	ada, cy, boAt := strings.Index(screen, "Ada Ames"), strings.Index(screen, "Cy Cole"), strings.Index(screen, "Bo Banks")
	if !(ada >= 0 && ada < cy && cy < boAt) {
		t.Fatalf("the Now view's order: want Ada (inside her window), Cy (not known), Bo (outside):\n%s", screen)
	}
	for _, want := range []string{"in window", "not known", "outside"} {
		if !strings.Contains(screen, want) {
			t.Fatalf("the Now view lacks %q:\n%s", want, screen)
		}
	}

	s.keys("a")
	s.waitFor("How did it end?")
	s.keys("n")
	s.waitFor("2 hours later, inside their window")
	s.keys("Enter")
	s.waitFor("Logged for Ada Ames")
	s.waitFor("made 1, reached 0 today")
	row := ""
	s.waitFor("1/1")
	for _, l := range strings.Split(s.screen(), "\n") {
		if strings.Contains(l, "Ada Ames") && !strings.Contains(l, "Logged") {
			row = l
		}
	}
	if !strings.Contains(row, "1/1") || !strings.Contains(row, "no answer") {
		t.Fatalf("Ada's row after the attempt: %q", row)
	}
	if got := sqlite(t, db, "SELECT outcome || ' ' || (ended_at = started_at) FROM calls WHERE person_id = 1"); got != "no_answer 1" {
		t.Fatalf("the attempt in the file: %q", got)
	}
	hours, err := strconv.ParseFloat(sqlite(t, db, "SELECT (julianday(due_at) - julianday('now')) * 24 FROM follow_ups WHERE person_id = 1 AND done_at IS NULL"), 64)
	if err != nil || hours < 1.8 || hours > 2.01 {
		t.Fatalf("Ada's follow-up is due in %.2f hours (%v), want the retry 2 hours after the attempt", hours, err)
	}
	if got := sqlite(t, db, "SELECT count(*) FROM follow_ups WHERE person_id = 1 AND done_at IS NULL"); got != "1" {
		t.Fatalf("Ada has %s open follow-ups: one next contact", got)
	}
	s.keys("q")
}

// zoneAtHour is a fixed-offset zone (Etc/GMT±N) where the hour now is
// about hour, for tests whose steps must not cross the coach's midnight.
func zoneAtHour(hour int) string {
	off := (hour - time.Now().UTC().Hour() + 24) % 24
	if off > 12 {
		off -= 24
	}
	if off >= 0 {
		return fmt.Sprintf("Etc/GMT-%d", off) // POSIX signs: GMT-3 is three hours ahead
	}
	return fmt.Sprintf("Etc/GMT+%d", -off)
}
