package storage

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"callcoach/coaching"
)

// copyRunner is the coach a test's copies are made by.
var copyRunner = coaching.Actor{Coach: "Robin Team", OSUser: "robin"}

// copyPair is a file with exportSample's caseload (and a plan revised, a
// follow-up replaced, notes still pending) and a team database that
// already has another coach's person.
func copyPair(t *testing.T) (src, team *Store) {
	t.Helper()
	ctx := context.Background()
	w, err := Open(ctx, filepath.Join(t.TempDir(), "callcoach.db"))
	if err != nil {
		t.Fatal(err)
	}
	exportSample(t, w)
	for _, q := range []string{
		`INSERT INTO action_plans (id, person_id, call_id, behaviour, what, status, replaces, created_at, updated_at, coach)
			VALUES (2, 3, 4, 'diet', 'water with meals', 'active', NULL, '2026-11-10T08:00:40Z', '2026-11-10T08:00:40Z', 'Sam Patel')`,
		`UPDATE action_plans SET status = 'revised' WHERE id = 2`,
		`INSERT INTO action_plans (id, person_id, behaviour, what, status, replaces, created_at, updated_at)
			VALUES (3, 3, 'diet', 'water with every meal', 'active', 2, '2026-11-11T08:00:00Z', '2026-11-11T08:00:00Z')`,
		`INSERT INTO follow_ups (id, person_id, plan_id, due_at, reason, created_at)
			VALUES (3, 1, 1, '2026-12-07T10:00:00Z', 'check, later', '2026-11-22T09:00:00Z')`,
		// A follow-up replaced by a later one: the reference points forward.
		`UPDATE follow_ups SET replaced_by = 3, done_at = '2026-11-22T09:00:00Z' WHERE id = 2`,
		`INSERT INTO drafts (key, body, updated_at) VALUES ('person:new', '{"name":"half typed"}', '2026-11-21T10:30:00Z'),
			('measure:3:phq9', '{"1":"2"}', '2026-11-21T10:31:00Z')`,
	} {
		if _, err := w.rw.Exec(q); err != nil {
			t.Fatalf("%.60s: %v", q, err)
		}
	}
	// Read-only from here, as callcoach migrate opens it: nothing of the
	// Store's own (its search indexer) writes to the file while it is
	// copied and hashed.
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	// Words typed at the end of call 2's notes and not yet folded into
	// them, as a program stopped while a call was open leaves them.
	mustExec(t, rawDB(t, w.Path()), `INSERT INTO notes_pending (call_id, head, mid, tail, rev, saved_at)
		VALUES (2, length(CAST((SELECT notes FROM calls WHERE id = 2) AS BLOB)), ?, 0, 1, '2026-11-21T10:26:00Z')`,
		"\nTyped just now, not folded yet.")
	if src, err = OpenReadOnly(ctx, w.Path()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { src.Close() })
	var pending int
	if err := src.ro.QueryRow("SELECT count(*) FROM notes_pending").Scan(&pending); err != nil || pending != 1 {
		t.Fatalf("notes pending before the copy: %d, %v", pending, err)
	}
	team = openNew(t, newPostgresURL(t))
	team.SetActor(copyRunner)
	createPerson(t, team, coaching.Person{Name: "Other Coach's Person"})
	return src, team
}

func copyTo(t *testing.T, src, team *Store) CopyCounts {
	t.Helper()
	c, err := src.CopyTo(context.Background(), team, t0)
	if err != nil {
		t.Fatalf("CopyTo: %v", err)
	}
	return c
}

// exportIDs are the fields of each export section that hold an id, and
// the table it is an id of.
var exportIDs = map[string]map[string]string{
	"people":        {"id": "people"},
	"calls":         {"id": "calls", "person_id": "people"},
	"call_stages":   {"call_id": "calls"},
	"plans":         {"id": "action_plans", "person_id": "people", "call_id": "calls", "replaces": "action_plans"},
	"rulers":        {"id": "rulers", "call_id": "calls", "person_id": "people"},
	"change_talk":   {"id": "change_talk", "call_id": "calls", "person_id": "people"},
	"tally":         {"id": "tally_marks", "call_id": "calls", "person_id": "people"},
	"measures":      {"id": "measures", "person_id": "people", "call_id": "calls"},
	"follow_ups":    {"id": "follow_ups", "person_id": "people", "plan_id": "action_plans", "made_call_id": "calls", "done_call_id": "calls", "replaced_by": "follow_ups"},
	"safety_events": {"id": "safety_events", "person_id": "people", "call_id": "calls", "measure_id": "measures", "reviewed_call_id": "calls"},
	"readings":      {"id": "readings", "person_id": "people", "call_id": "calls"},
	"drafts":        {},
}

// copiedIDs is the team database's copied_rows for src: table, then
// source id, then team id.
func copiedIDs(t *testing.T, src, team *Store) map[string]map[float64]float64 {
	t.Helper()
	install, err := src.InstallationID(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	rows, err := team.ro.Query("SELECT table_name, source_id, team_id FROM copied_rows WHERE installation = ?", install)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	m := map[string]map[float64]float64{}
	for rows.Next() {
		var table string
		var from, to int64
		if err := rows.Scan(&table, &from, &to); err != nil {
			t.Fatal(err)
		}
		if m[table] == nil {
			m[table] = map[float64]float64{}
		}
		m[table][float64(from)] = float64(to)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return m
}

// expectCopied checks that every record of src's export is in team's,
// with its ids mapped as copied_rows says, and nothing else is but the
// other coach's person (id 1): references intact, notes as typed, a coach's
// name where the file had none.
func expectCopied(t *testing.T, src, team *Store) {
	t.Helper()
	ids := copiedIDs(t, src, team)
	want := decodeExport(t, exportJSON(t, src, ExportFilter{})).Records
	got := decodeExport(t, exportJSON(t, team, ExportFilter{})).Records
	// The draft of a new person not yet saved stays on this computer.
	var drafts []map[string]any
	for _, d := range want["drafts"] {
		if !strings.HasPrefix(d["key"].(string), "person:new") {
			drafts = append(drafts, d)
		}
	}
	want["drafts"] = drafts
	mapID := func(table string, v any) any {
		if v == nil {
			return nil
		}
		to, ok := ids[table][v.(float64)]
		if !ok {
			t.Errorf("%s %v was not copied", table, v)
		}
		return to
	}
	for sec, recs := range want {
		for _, r := range recs {
			for field, table := range exportIDs[sec] {
				r[field] = mapID(table, r[field])
			}
			if c, ok := r["coach"]; ok && c == "" {
				r["coach"] = copyRunner.Coach
			}
			if sec == "plans" {
				for _, rv := range r["reviews"].([]any) {
					rv.(map[string]any)["call_id"] = mapID("calls", rv.(map[string]any)["call_id"])
				}
			}
			if sec == "drafts" {
				kind, rest, _ := strings.Cut(r["key"].(string), ":")
				id, tail, more := strings.Cut(rest, ":")
				n, _ := strconv.Atoi(id)
				r["key"] = fmt.Sprint(kind, ":", mapID("people", float64(n)))
				if more {
					r["key"] = r["key"].(string) + ":" + tail
				}
			}
		}
	}
	// The team database lists them by their new ids (people were copied
	// in an order of their own), drafts by their new keys.
	for sec, recs := range want {
		slices.SortStableFunc(recs, func(a, b map[string]any) int {
			if sec == "drafts" {
				return strings.Compare(a["key"].(string), b["key"].(string))
			}
			id, _ := a["id"].(float64)
			other, _ := b["id"].(float64)
			return cmp.Compare(id, other)
		})
	}
	for sec, recs := range got {
		var kept []map[string]any
		for _, r := range recs {
			if (sec == "people" && r["id"] == 1.0) || r["person_id"] == 1.0 {
				continue // the other coach's
			}
			kept = append(kept, r)
		}
		got[sec] = kept
	}
	for sec := range want {
		if len(want[sec])+len(got[sec]) == 0 {
			continue
		}
		w, _ := json.Marshal(want[sec])
		g, _ := json.Marshal(got[sec])
		if string(w) != string(g) {
			t.Errorf("%s in the team database:\n%s\nwant (the file's, ids mapped):\n%s", sec, g, w)
		}
	}
}

// TestCopyToCarriesTheCaseload copies a file into a team database that
// has another coach's person: everything arrives with its references,
// notes still pending included; the file is unchanged; a second copy adds
// nothing; a row added to the file since is copied by the next.
func TestCopyToCarriesTheCaseload(t *testing.T) {
	src, team := copyPair(t)
	before := storeHash(t, src)
	c := copyTo(t, src, team)
	want := CopyCounts{People: 3, Calls: 4, Plans: 3, FollowUps: 3, Measures: 2, SafetyEvents: 3, Readings: 3,
		Rulers: 2, ChangeTalk: 1, Tally: 2, Drafts: 2}
	if c != want {
		t.Errorf("first copy: %+v, want %+v", c, want)
	}
	expectCopied(t, src, team)
	if after := storeHash(t, src); after != before {
		t.Error("the copy changed the file")
	}
	var pending int
	var notes string
	ids := copiedIDs(t, src, team)
	if err := team.ro.QueryRow("SELECT (SELECT count(*) FROM notes_pending), notes FROM calls WHERE id = ?",
		int64(ids["calls"][2])).Scan(&pending, &notes); err != nil {
		t.Fatal(err)
	}
	if pending != 0 || !strings.HasSuffix(notes, "Typed just now, not folded yet.") {
		t.Errorf("team notes pending %d, notes %q: want the typed words in calls.notes", pending, notes)
	}
	// The triggers made what is derived: search finds the pending words,
	// the other coach's person still counts.
	var found, people int
	if err := team.ro.QueryRow(`SELECT (SELECT count(*) FROM search_text WHERE to_tsvector('callcoach_search', body) @@ plainto_tsquery('callcoach_search', 'folded')),
		(SELECT people FROM caseload_counts)`).Scan(&found, &people); err != nil {
		t.Fatal(err)
	}
	if found != 1 || people != 4 {
		t.Errorf("search finds %d calls with the pending words, caseload counts %d people; want 1 and 4", found, people)
	}
	var entries []coaching.AuditEntry
	err := team.AuditTrail(context.Background(), t0.AddDate(0, 0, -1), func(e coaching.AuditEntry) error {
		entries = append(entries, e)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	last := entries[len(entries)-1]
	install, _ := src.InstallationID(context.Background())
	if last.Action != coaching.AuditImported || last.Actor != copyRunner || !strings.Contains(last.Detail, install) ||
		!strings.Contains(last.Detail, "3 people, 4 calls") {
		t.Errorf("the copy's audit entry: %+v", last)
	}

	teamBefore := storeHash(t, team)
	if c := copyTo(t, src, team); c != (CopyCounts{PeopleBefore: 3}) {
		t.Errorf("second copy: %+v, want nothing copied and 3 people there before", c)
	}
	if storeHash(t, team) != teamBefore {
		t.Error("a second copy changed the team database")
	}

	// Added to the file since: a call for Ann with a stage, a reading.
	for _, q := range []string{
		`INSERT INTO calls (id, person_id, started_at, ended_at, outcome, notes, updated_at, coach)
			VALUES (5, 1, '2026-11-23T10:00:00Z', '2026-11-23T10:10:00Z', 'reached', 'Third call.', '2026-11-23T10:10:00Z', 'Sam Patel')`,
		`INSERT INTO call_stages (call_id, stage, entered_at) VALUES (5, 'engage', '2026-11-23T10:00:00Z')`,
		`INSERT INTO readings (id, person_id, call_id, kind, value, unit, entered_value, taken_at, recorded_at, coach)
			VALUES (4, 1, 5, 'weight', 80, 'kg', '80 kg', '2026-11-23T10:05:00Z', '2026-11-23T10:05:00Z', 'Sam Patel')`,
	} {
		mustExec(t, rawDB(t, src.Path()), q)
	}
	if c := copyTo(t, src, team); c != (CopyCounts{Calls: 1, Readings: 1, PeopleBefore: 3}) {
		t.Errorf("copy after adding a call and a reading: %+v", c)
	}
	expectCopied(t, src, team)
}

// TestCopyToFailureLeavesTeamAsItWas: a row the team database refuses
// halfway through (readings come late) undoes the whole copy.
func TestCopyToFailureLeavesTeamAsItWas(t *testing.T) {
	src, team := copyPair(t)
	db := secondConnection(t, team)
	mustExec(t, db, `CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN RAISE EXCEPTION 'refused for the test'; END $$`)
	mustExec(t, db, `CREATE TRIGGER refuse BEFORE INSERT ON readings FOR EACH ROW EXECUTE FUNCTION refuse()`)
	before := storeHash(t, team)
	if _, err := src.CopyTo(context.Background(), team, t0); err == nil || !strings.Contains(err.Error(), "refused for the test") {
		t.Fatalf("CopyTo with readings refused: %v", err)
	}
	if storeHash(t, team) != before {
		t.Error("a failed copy changed the team database")
	}
	mustExec(t, db, `DROP TRIGGER refuse ON readings`)
	if c := copyTo(t, src, team); c.People != 3 || c.Readings != 3 {
		t.Errorf("copy once the refusal is gone: %+v", c)
	}
	expectCopied(t, src, team)
}

// TestCopyToLeavesOutWhatTheTeamErased: a person erased from the team
// database after a copy is not brought back, and what the file adds for
// them later is left out rather than refused.
func TestCopyToLeavesOutWhatTheTeamErased(t *testing.T) {
	src, team := copyPair(t)
	copyTo(t, src, team)
	ann := int64(copiedIDs(t, src, team)["people"][1])
	// Erased by the team: the rows go by cascade, as ErasePerson's do.
	mustExec(t, secondConnection(t, team), "DELETE FROM people WHERE id = ?", ann)
	file := rawDB(t, src.Path())
	mustExec(t, file, `INSERT INTO calls (id, person_id, started_at, updated_at) VALUES (5, 1, '2026-11-23T10:00:00Z', '2026-11-23T10:00:00Z')`)
	mustExec(t, file, `INSERT INTO call_stages (call_id, stage, entered_at) VALUES (5, 'engage', '2026-11-23T10:00:00Z')`)
	c := copyTo(t, src, team)
	if c != (CopyCounts{PeopleBefore: 3, LeftOut: 2}) {
		t.Errorf("copy after Ann was erased from the team: %+v, want her new call and its stage left out", c)
	}
	var n int
	if err := team.ro.QueryRow("SELECT count(*) FROM people WHERE name LIKE 'Ann%'").Scan(&n); err != nil || n != 0 {
		t.Errorf("Ann in the team database again: %d, %v", n, err)
	}
}

// BenchmarkCopyTo10k copies the 10k benchmark caseload (10,000 people,
// 100,000 calls with notes, plans, follow-ups) into a new team database.
func BenchmarkCopyTo10k(b *testing.B) {
	size, _ := BenchSizeNamed("10k")
	path, ok, err := FindBenchFile(context.Background(), size)
	if err != nil {
		b.Fatal(err)
	}
	if !ok {
		b.Skipf("no 10k benchmark caseload at %s: make it once with CALLCOACH_BENCH_MAKE=10k go test ./storage -run TestMakeBenchFiles -timeout 2h -v", path)
	}
	src, err := OpenReadOnly(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	for range b.N {
		b.StopTimer()
		team, err := Open(context.Background(), newPostgresURL(b))
		if err != nil {
			b.Fatal(err)
		}
		team.SetActor(copyRunner)
		b.StartTimer()
		c, err := src.CopyTo(context.Background(), team, t0)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		b.ReportMetric(float64(c.Copied()), "records")
		team.Close()
	}
}
