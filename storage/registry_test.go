package storage

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"callcoach/coaching"
	"callcoach/coaching/measures"
)

// insertMeasure writes a measure row as given, so tests choose its time
// and total; SaveMeasure's own checks are tested in measures_test.go.
func insertMeasure(t testing.TB, s *Store, person int64, instrument string, at time.Time, total float64, complete bool) int64 {
	t.Helper()
	var tot any = total
	scored := complete
	if !complete {
		tot = nil
	}
	var id int64
	err := s.rw.QueryRow(`INSERT INTO measures (person_id, instrument, given_at, complete, scored, total)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, person, instrument, formatTime(at), complete, scored, tot).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func progressRow(t *testing.T, s *Store, person int64, instrument string) string {
	t.Helper()
	var first, latest float64
	var firstAt, latestAt string
	var count, state int
	err := s.ro.QueryRow(`SELECT first_total, first_at, latest_total, latest_at, count, state
		FROM measure_progress WHERE person_id = ? AND instrument = ?`, person, instrument).
		Scan(&first, &firstAt, &latest, &latestAt, &count, &state)
	if err != nil {
		return err.Error()
	}
	return fmt.Sprintf("%v@%s %v@%s n=%d state=%d", first, firstAt, latest, latestAt, count, state)
}

func TestMeasureProgressTriggers(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	ann := createPerson(t, s, coaching.Person{Name: "Ann Lee"})
	bob := createPerson(t, s, coaching.Person{Name: "Bob Ray"})
	day := func(d int) time.Time { return t0.AddDate(0, 0, d) }

	insertMeasure(t, s, ann, "phq9", day(14), 12, true)
	if got, want := progressRow(t, s, ann, "phq9"), fmt.Sprintf("12@%s 12@%s n=1 state=0", formatTime(day(14)), formatTime(day(14))); got != want {
		t.Fatalf("one measure: %s, want %s", got, want)
	}
	earliest := insertMeasure(t, s, ann, "phq9", day(0), 20, true) // given earlier, entered later (an import)
	insertMeasure(t, s, ann, "phq9", day(28), 9, true)
	insertMeasure(t, s, ann, "phq9", day(42), 3, false) // stopped part way: not counted
	insertMeasure(t, s, ann, "phq2", day(43), 1, true)  // another instrument
	insertMeasure(t, s, ann, "gad7", day(7), 8, true)
	latest := insertMeasure(t, s, ann, "phq9", day(35), 10, true)
	want := fmt.Sprintf("20@%s 10@%s n=4 state=1", formatTime(day(0)), formatTime(day(35)))
	if got := progressRow(t, s, ann, "phq9"); got != want {
		t.Errorf("after inserts: %s, want %s", got, want)
	}
	if got, want := progressRow(t, s, ann, "gad7"), fmt.Sprintf("8@%s 8@%s n=1 state=2", formatTime(day(7)), formatTime(day(7))); got != want {
		t.Errorf("gad7: %s, want %s", got, want)
	}
	if got := progressRow(t, s, ann, "phq2"); !strings.Contains(got, "no rows") {
		t.Errorf("phq2 has progress: %s", got)
	}
	// Deleting the first and the latest works the row out again.
	if _, err := s.rw.Exec("DELETE FROM measures WHERE id IN (?, ?)", earliest, latest); err != nil {
		t.Fatal(err)
	}
	want = fmt.Sprintf("12@%s 9@%s n=2 state=0", formatTime(day(14)), formatTime(day(28)))
	if got := progressRow(t, s, ann, "phq9"); got != want {
		t.Errorf("after deletes: %s, want %s", got, want)
	}
	// A second person's rows are their own, and erasing a person leaves none.
	insertMeasure(t, s, bob, "phq9", day(1), 15, true)
	if _, err := s.ErasePerson(ctx, ann, day(50)); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := s.ro.QueryRow("SELECT count(*) FROM measure_progress WHERE person_id = ?", ann).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d progress rows left after erasing, %v", n, err)
	}
	if got := progressRow(t, s, bob, "phq9"); !strings.Contains(got, "n=1") {
		t.Errorf("bob: %s", got)
	}
}

// TestMeasureProgressState holds the SQL state column to the coaching
// rules it copies, at their boundaries.
func TestMeasureProgressState(t *testing.T) {
	s := newStore(t)
	for i, c := range []struct{ first, latest float64 }{
		{20, 10}, {20, 11}, {15, 7}, {15, 8}, {10, 10}, {10, 5}, {10, 4}, {9, 2}, {9, 9}, {0, 0}, {0, 5}, {12, 18}, {27, 0},
	} {
		p := createPerson(t, s, coaching.Person{Name: fmt.Sprintf("P%d", i)})
		insertMeasure(t, s, p, "phq9", t0, c.first, true)
		insertMeasure(t, s, p, "phq9", t0.Add(time.Hour), c.latest, true)
		prog := coaching.Progress{FirstTotal: c.first, LatestTotal: c.latest}
		want := 0
		switch {
		case !prog.Tracked():
			want = 2
		case prog.Responded():
			want = 1
		}
		var got int
		if err := s.ro.QueryRow("SELECT state FROM measure_progress WHERE person_id = ?", p).Scan(&got); err != nil || got != want {
			t.Errorf("%v → %v: state %d, want %d (%v)", c.first, c.latest, got, want, err)
		}
	}
}

func TestRegistryOrder(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	now := t0.AddDate(0, 6, 0)
	weeks := func(n int) time.Time { return now.AddDate(0, 0, -7*n) }
	person := func(name string, first, latest float64, firstAt time.Time) int64 {
		p := createPerson(t, s, coaching.Person{Name: name})
		insertMeasure(t, s, p, "phq9", firstAt, first, true)
		if latest >= 0 {
			insertMeasure(t, s, p, "phq9", now.Add(-time.Hour), latest, true)
		}
		return p
	}
	person("Early Eve", 18, 12, weeks(9))
	person("Responding Rob", 20, 10, weeks(20))
	person("Late Lou", 14, 14, weeks(10))
	person("Untracked Una", 9, 9, weeks(30))
	person("Remitted Ray", 20, 3, weeks(12))
	person("Single Sal", 16, -1, weeks(11))
	closed := person("Closed Cal", 20, 20, weeks(40))
	if _, err := s.rw.Exec("UPDATE people SET status = 'closed' WHERE id = ?", closed); err != nil {
		t.Fatal(err)
	}
	g := createPerson(t, s, coaching.Person{Name: "Gad Gil"})
	insertMeasure(t, s, g, "gad7", weeks(3), 11, true)

	rows, err := s.Registry(ctx, measures.PHQ9, 30)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		got = append(got, fmt.Sprintf("%s %v", r.Name, coaching.TargetOf(r.Progress, 10, now).Status))
	}
	want := []string{"Single Sal not on track", "Late Lou not on track", "Early Eve early",
		"Responding Rob responding", "Remitted Ray remission", "Untracked Una not tracked"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("registry:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if rows[0].Progress.Count != 1 || rows[1].Progress.Count != 2 || !rows[1].Progress.FirstAt.Equal(weeks(10)) {
		t.Errorf("rows carry %+v, %+v", rows[0].Progress, rows[1].Progress)
	}
	// Pages of two, each after the last row of the one before, give the
	// same rows in the same order.
	var paged []string
	var after RegistryKey
	for range 10 {
		page, err := s.RegistryAfter(ctx, measures.PHQ9, after, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		for _, r := range page {
			paged = append(paged, fmt.Sprintf("%s %v", r.Name, coaching.TargetOf(r.Progress, 10, now).Status))
		}
		after = page[len(page)-1].Key
	}
	if !reflect.DeepEqual(paged, want) {
		t.Errorf("paged by two:\n%s\nwant\n%s", strings.Join(paged, "\n"), strings.Join(want, "\n"))
	}
	if rows, err := s.Registry(ctx, measures.GAD7, 30); err != nil || len(rows) != 1 || rows[0].Name != "Gad Gil" {
		t.Errorf("gad7: %+v, %v", rows, err)
	}
	if _, err := s.Registry(ctx, measures.SEMCD6, 30); err == nil {
		t.Error("the registry read SEMCD-6")
	}
}

// TestRegistryNeverScans: the page is a range of measure_progress_registry
// in its order and a seek of people per row; nothing grows with the
// caseload but the closed people it steps over.
func TestRegistryNeverScans(t *testing.T) {
	s := newStore(t)
	seedCaseload(t, s, 300, 5)
	if s.pg {
		plan := pgPlan(t, s, forEngine(true, registrySQL), "phq9", 0, "2026-01-01T00:00:00Z", 5, 30)
		t.Logf("registry:\n%s", plan)
		if !strings.Contains(plan, "measure_progress_registry") || seqScans(plan, "measure_progress", "people", "measures") != nil {
			t.Errorf("the registry does not range its index:\n%s", plan)
		}
		return
	}
	plan := explain(t, s, registrySQL, "phq9", 0, "2026-01-01T00:00:00Z", 5, 30)
	text := planText(plan)
	t.Logf("registry:\n%s", text)
	if !strings.Contains(text, "SEARCH mp USING COVERING INDEX measure_progress_registry (instrument=? AND (state,first_at,person_id)>(?,?,?))") &&
		!strings.Contains(text, "SEARCH mp USING INDEX measure_progress_registry (instrument=? AND (state,first_at,person_id)>(?,?,?))") {
		t.Errorf("the registry does not range its index:\n%s", text)
	}
	for _, l := range plan {
		if strings.HasPrefix(l.detail, "SCAN") || strings.Contains(l.detail, "TEMP B-TREE") || strings.Contains(l.detail, "measures") {
			t.Errorf("registry: %s\n%s", l.detail, text)
		}
	}
}

// TestMigrationFillsProgress: a file at version 22 with measures gets its
// progress rows when it moves to 23.
func TestMigrationFillsProgress(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	fileAtVersion(t, path, 22)
	db := rawDB(t, path)
	at := formatTime(t0)
	later := formatTime(t0.AddDate(0, 0, 70))
	for _, q := range []string{
		`INSERT INTO people (id, name, created_at, updated_at) VALUES (1, 'Ann', '` + at + `', '` + at + `'), (2, 'Bo', '` + at + `', '` + at + `')`,
		`INSERT INTO measures (person_id, instrument, given_at, complete, scored, total) VALUES
			(1, 'phq9', '` + later + `', 1, 1, 11), (1, 'phq9', '` + at + `', 1, 1, 18), (1, 'phq9', '` + later + `', 0, 0, NULL),
			(1, 'gad7', '` + at + `', 1, 1, 10), (2, 'semcd6', '` + at + `', 1, 1, 6)`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got, want := progressRow(t, s, 1, "phq9"), fmt.Sprintf("18@%s 11@%s n=2 state=0", at, later); got != want {
		t.Errorf("phq9: %s, want %s", got, want)
	}
	if got := progressRow(t, s, 1, "gad7"); !strings.HasSuffix(got, "n=1 state=0") {
		t.Errorf("gad7: %s", got)
	}
	var n int
	if err := s.ro.QueryRow("SELECT count(*) FROM measure_progress").Scan(&n); err != nil || n != 2 {
		t.Errorf("%d progress rows, want 2 (%v)", n, err)
	}
}
