package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	goics "github.com/arran4/golang-ical"
	ical "github.com/emersion/go-ical"
)

// readICS parses an export with two iCalendar parsers, one of them not
// the library that wrote it, and returns its events by UID.
func readICS(t *testing.T, text string) map[string]ical.Event {
	t.Helper()
	if !strings.Contains(text, "\r\n") || strings.Contains(strings.ReplaceAll(text, "\r\n", ""), "\n") {
		t.Fatalf("lines do not all end in CRLF:\n%q", text)
	}
	cal, err := ical.NewDecoder(strings.NewReader(text)).Decode()
	if err != nil {
		t.Fatalf("a second parser refuses the file: %v\n%s", err, text)
	}
	if v, _ := cal.Props.Text(ical.PropVersion); v != "2.0" {
		t.Fatalf("VERSION %q", v)
	}
	events := map[string]ical.Event{}
	for _, e := range cal.Events() {
		uid, err := e.Props.Text(ical.PropUID)
		if err != nil || uid == "" {
			t.Fatalf("an event without a UID: %v", err)
		}
		events[uid] = e
	}
	// A third parser, not the library that wrote the file, reads the same
	// events.
	other, err := goics.ParseCalendar(strings.NewReader(text))
	if err != nil {
		t.Fatalf("golang-ical refuses the file: %v\n%s", err, text)
	}
	if n := len(other.Events()); n != len(events) {
		t.Fatalf("golang-ical reads %d events, go-ical %d", n, len(events))
	}
	for _, e := range other.Events() {
		if _, ok := events[e.Id()]; !ok {
			t.Fatalf("golang-ical reads an event %q that go-ical does not", e.Id())
		}
	}
	for _, line := range strings.Split(text, "\r\n") {
		if len(line) > 75 {
			t.Fatalf("a line of %d octets, longer than RFC 5545's 75: %q", len(line), line)
		}
	}
	return events
}

func TestExportICS(t *testing.T) {
	db := filepath.Join(t.TempDir(), "c.db")
	file := writeCSV(t, "name,time zone\nRosa María Díaz,Europe/London\n\"Okafor, Ben; Jr\",America/New_York\nCy Cole,\n")
	if _, errOut, code := runMain(t, "import", file, "--db", db); code != 0 {
		t.Fatal(errOut)
	}
	now := time.Now().UTC().Truncate(time.Second)
	at := func(d time.Duration) string { return now.Add(d).Format(time.RFC3339) }
	execSQL(t, db, `INSERT INTO follow_ups (id, person_id, due_at, reason, created_at, done_at) VALUES
		(1, 1, ?, 'check the walking plan; knee — and a reason long enough to be folded at seventy-five octets, ça va', ?, NULL),
		(2, 2, ?, 'blood sugar, again', ?, NULL),
		(3, 3, ?, 'closed last week', ?, ?),
		(4, 3, ?, 'closed long ago', ?, ?)`,
		at(26*time.Hour), at(-time.Hour), at(-2*time.Hour), at(-48*time.Hour),
		at(-7*24*time.Hour), at(-9*24*time.Hour), at(-7*24*time.Hour),
		at(-90*24*time.Hour), at(-100*24*time.Hour), at(-90*24*time.Hour))

	out, errOut, code := runMain(t, "export", "--format", "ics", "--db", db)
	if code != 0 {
		t.Fatalf("export: %d %q", code, errOut)
	}
	events := readICS(t, out)
	if len(events) != 3 {
		t.Fatalf("%d events, want the 2 open follow-ups and the one closed last week:\n%s", len(events), out)
	}
	rosa := events["callcoach-follow-up-1@callcoach"]
	start, err := rosa.DateTimeStart(time.UTC)
	if err != nil || !start.Equal(now.Add(26*time.Hour)) {
		t.Fatalf("Rosa's event starts %v (%v), want %v", start, err, now.Add(26*time.Hour))
	}
	if s, _ := rosa.Props.Text(ical.PropSummary); s != "R. M. D. · callcoach follow-up" {
		t.Fatalf("Rosa's summary %q: initials only", s)
	}
	for _, private := range []string{"Rosa", "Okafor", "walking", "sugar"} {
		if strings.Contains(out, private) {
			t.Fatalf("the default file holds %q:\n%s", private, out)
		}
	}
	if s, _ := events["callcoach-follow-up-3@callcoach"].Props.Text(ical.PropStatus); s != "CANCELLED" {
		t.Fatalf("the follow-up closed last week: status %q", s)
	}

	// With names, the name and the reason, escaped as the format wants
	// and read back whole; the UIDs are the same, so a calendar updates.
	out, _, code = runMain(t, "export", "--format", "ics", "--names", "--db", db)
	if code != 0 {
		t.Fatal("export --names failed")
	}
	named := readICS(t, out)
	ben := named["callcoach-follow-up-2@callcoach"]
	if s, _ := ben.Props.Text(ical.PropSummary); s != "Okafor, Ben; Jr · callcoach follow-up" {
		t.Fatalf("Ben's summary with names: %q", s)
	}
	if d, _ := ben.Props.Text(ical.PropDescription); d != "blood sugar, again" {
		t.Fatalf("Ben's description: %q", d)
	}
	long := "check the walking plan; knee — and a reason long enough to be folded at seventy-five octets, ça va"
	if d, _ := named["callcoach-follow-up-1@callcoach"].Props.Text(ical.PropDescription); d != long {
		t.Fatalf("a folded description reads back as %q", d)
	}
	for uid := range events {
		if _, ok := named[uid]; !ok {
			t.Fatalf("%s is not in the second export: a calendar would add rather than update", uid)
		}
	}

	// To a file: private, and never over an existing one.
	path := filepath.Join(t.TempDir(), "follow-ups.ics")
	if _, errOut, code := runMain(t, "export", "--format", "ics", "--out", path, "--db", db); code != 0 {
		t.Fatal(errOut)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("the file: %v, %v", fi.Mode(), err)
	}
	if _, errOut, code := runMain(t, "export", "--format", "ics", "--out", path, "--db", db); code != 1 || !strings.Contains(errOut, "already exists") {
		t.Fatalf("export over a file: %d %q", code, errOut)
	}
	if _, errOut, code := runMain(t, "export", "--format", "json", "--names", "--db", db); code != 2 || !strings.Contains(errOut, "--names is for --format ics") {
		t.Fatalf("--names with json: %d %q", code, errOut)
	}
}

// With no follow-ups at all the export is still a calendar, empty, that
// both parsers read.
func TestExportICSEmpty(t *testing.T) {
	db := filepath.Join(t.TempDir(), "c.db")
	file := writeCSV(t, "name\nRosa\n")
	if _, errOut, code := runMain(t, "import", file, "--db", db); code != 0 {
		t.Fatal(errOut)
	}
	out, errOut, code := runMain(t, "export", "--format", "ics", "--db", db)
	if code != 0 {
		t.Fatalf("export: %d %q", code, errOut)
	}
	if !strings.HasPrefix(out, "BEGIN:VCALENDAR\r\n") || !strings.HasSuffix(out, "END:VCALENDAR\r\n") {
		t.Fatalf("not a calendar: %q", out)
	}
	if _, err := goics.ParseCalendar(strings.NewReader(out)); err != nil {
		t.Fatalf("golang-ical refuses the empty calendar: %v", err)
	}
}
