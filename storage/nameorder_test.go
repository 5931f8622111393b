package storage

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"callcoach/coaching"
)

// checkNameOrder holds the invariants name order rests on: every person
// has a key, keys follow name order (name without ASCII case, then id),
// the finder's index holds exactly one row per person under their key, and
// the kept counts are the table's.
func checkNameOrder(t *testing.T, s *Store) {
	t.Helper()
	type person struct {
		id   int64
		name string
		key  sql.NullInt64
		due  sql.NullString
	}
	rows, err := s.ro.Query("SELECT id, name, name_key, next_due_at FROM people")
	if err != nil {
		t.Fatal(err)
	}
	var people []person
	for rows.Next() {
		var p person
		if err := rows.Scan(&p.id, &p.name, &p.key, &p.due); err != nil {
			t.Fatal(err)
		}
		people = append(people, p)
	}
	rows.Close()
	none := 0
	for _, p := range people {
		if !p.key.Valid || p.key.Int64 <= 0 || p.key.Int64 > nameKeyTop {
			t.Fatalf("person %d %q has key %v", p.id, p.name, p.key)
		}
		if !p.due.Valid {
			none++
		}
	}
	byName := slices.Clone(people)
	fold := func(s string) string { // NOCASE folds ASCII letters only
		return strings.Map(func(r rune) rune {
			if r >= 'A' && r <= 'Z' {
				return r + 'a' - 'A'
			}
			return r
		}, s)
	}
	slices.SortFunc(byName, func(a, b person) int {
		if c := strings.Compare(fold(a.name), fold(b.name)); c != 0 {
			return c
		}
		return int(a.id - b.id)
	})
	for i := 1; i < len(byName); i++ {
		if byName[i-1].key.Int64 >= byName[i].key.Int64 {
			t.Fatalf("name order broken: %q (%d) key %d, then %q (%d) key %d", byName[i-1].name, byName[i-1].id, byName[i-1].key.Int64,
				byName[i].name, byName[i].id, byName[i].key.Int64)
		}
	}
	var kept, keptNone int
	mustScan(t, s, "SELECT people, no_follow_up FROM caseload_counts", &kept, &keptNone)
	if kept != len(people) || keptNone != none {
		t.Fatalf("kept counts %d people, %d without a follow-up; the table has %d, %d", kept, keptNone, len(people), none)
	}
	if s.pg {
		return // PostgreSQL's finder is an index of people itself, kept by the server
	}
	var indexed, orphans int
	mustScan(t, s, "SELECT count(*) FROM people_search", &indexed)
	mustScan(t, s, "SELECT count(*) FROM people_search WHERE rowid NOT IN (SELECT name_key FROM people)", &orphans)
	if indexed != len(people) || orphans != 0 {
		t.Fatalf("the finder's index has %d rows (%d under no one's key) for %d people", indexed, orphans, len(people))
	}
	if _, err := s.rw.Exec("INSERT INTO people_search (people_search) VALUES ('integrity-check')"); err != nil {
		t.Fatalf("the finder's index: %v", err)
	}
}

// TestNameOrderKeepsUp adds people in random name order, many with the
// same name (so stretches crowd and are spread out again), renames and
// removes some, and checks name order and the finder after each step.
func TestNameOrderKeepsUp(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(5, 9))
	names := []string{"Ann Lee", "ann lee", "Bob", "Zed", "Élodie", "amira okafor", "Amira Okafor", "Same", "same", "Sam"}
	var ids []int64
	for i := range 300 {
		name := names[rng.IntN(len(names))]
		if i%3 == 0 {
			name = "Same" // one name again and again: its stretch of keys crowds
		}
		ids = append(ids, createPerson(t, s, coaching.Person{Name: name, Conditions: []string{fmt.Sprintf("c%03d", i)}}))
	}
	checkNameOrder(t, s)

	// Renamed people move; their old name no longer finds them.
	for _, id := range ids[:40] {
		p, err := s.GetPerson(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		p.Name = names[rng.IntN(len(names))] + " renamed"
		if err := s.UpdatePerson(ctx, p, t0); err != nil {
			t.Fatal(err)
		}
	}
	checkNameOrder(t, s)
	page, err := s.Caseload(ctx, CaseloadQuery{Filter: "renamed", Limit: MaxCaseloadLimit})
	if err != nil || len(page.Rows) != 40 {
		t.Fatalf("renamed: %d rows, %v", len(page.Rows), err)
	}

	// Removed people leave the index and the counts.
	if _, err := s.rw.Exec("DELETE FROM people WHERE id % 12 = 5"); err != nil {
		t.Fatal(err)
	}
	checkNameOrder(t, s)
	mustAddFollowUp(t, s, coaching.FollowUp{PersonID: ids[50], Due: t0})
	checkNameOrder(t, s)
}

// TestNameOrderSpreadsACrowdedStretch: when two neighbours' keys touch, a
// stretch around them is given evenly spaced keys, in the same order.
func TestNameOrderSpreadsACrowdedStretch(t *testing.T) {
	s := newStore(t)
	a := createPerson(t, s, coaching.Person{Name: "Anna"})
	c := createPerson(t, s, coaching.Person{Name: "Carl"})
	if _, err := s.rw.Exec("UPDATE people SET name_key = CASE id WHEN ? THEN 1000 ELSE 1001 END", a); err != nil {
		t.Fatal(err)
	}
	b := createPerson(t, s, coaching.Person{Name: "Bea"}) // no key fits between 1000 and 1001
	checkNameOrder(t, s)
	var ka, kb, kc int64
	mustScan(t, s, fmt.Sprintf("SELECT (SELECT name_key FROM people WHERE id = %d), (SELECT name_key FROM people WHERE id = %d), (SELECT name_key FROM people WHERE id = %d)", a, b, c), &ka, &kb, &kc)
	if kb-ka < nameKeyRoom || kc-kb < nameKeyRoom {
		t.Fatalf("keys %d, %d, %d: the stretch was not spread out", ka, kb, kc)
	}
}

// TestFilteredSectionPagesResume: a section that holds few of a filter's
// many matches fills its page over several reads, each looking at no more
// than caseloadLook matches, and loses no one on the way.
func TestFilteredSectionPagesResume(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	var overdue []int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		for i := range 1000 {
			var id int64
			err := tx.QueryRowContext(ctx, `INSERT INTO people (name, created_at, updated_at) VALUES (?, ?, ?) RETURNING id`,
				fmt.Sprintf("Pat %04d", i), formatTime(t0), formatTime(t0)).Scan(&id)
			if err != nil {
				return err
			}
			if i%300 == 7 {
				overdue = append(overdue, id)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range overdue {
		mustAddFollowUp(t, s, coaching.FollowUp{PersonID: id, Due: overdueBefore.Add(-time.Hour)})
	}
	checkNameOrder(t, s)
	q := CaseloadQuery{Filter: "pat", Section: SectionOverdue, OverdueBefore: overdueBefore, DueBefore: dueBefore, Limit: 10}
	first, err := s.Caseload(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if !first.ByName || first.Resume == nil || first.AtEnd || len(first.Rows) != 2 {
		t.Fatalf("first read: %d rows, resume %v, at end %v, by name %v; want the 2 among the first %d matches by name and a place to go on from",
			len(first.Rows), first.Resume, first.AtEnd, first.ByName, caseloadLook)
	}
	var got []int64
	for _, r := range pages(t, s, q, 10) {
		got = append(got, r.ID)
	}
	if !slices.Equal(got, overdue) {
		t.Fatalf("overdue Pats %v, want %v", got, overdue)
	}
	counts, err := s.CaseloadCounts(ctx, q)
	if err != nil || counts[SectionAll] != (Count{N: 1000}) {
		t.Fatalf("counts %v, %v", counts, err)
	}
	if counts[SectionOverdue].N != len(overdue) {
		t.Errorf("overdue counted %+v, want %d", counts[SectionOverdue], len(overdue))
	}
}

// TestFilteredDueSectionKeepsDueOrder: while a filter matches no more
// than caseloadLook people, a due section lists its matches soonest due
// first, as it does without a filter, forward and backward, a page at a
// time; past that it lists them by name and says so.
func TestFilteredDueSectionKeepsDueOrder(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	var want []int64 // soonest due first: the reverse of name order
	for i := range 7 {
		id := createPerson(t, s, coaching.Person{Name: fmt.Sprintf("Smith %d", i)})
		mustAddFollowUp(t, s, coaching.FollowUp{PersonID: id, Due: overdueBefore.Add(-time.Duration(i+1) * time.Hour)})
		want = append([]int64{id}, want...)
	}
	other := createPerson(t, s, coaching.Person{Name: "Smith upcoming"})
	mustAddFollowUp(t, s, coaching.FollowUp{PersonID: other, Due: dueBefore.Add(time.Hour)})
	q := CaseloadQuery{Filter: "smith", Section: SectionOverdue, OverdueBefore: overdueBefore, DueBefore: dueBefore}
	for _, n := range []int{1, 2, 3, 7, 50} {
		var got []int64
		for _, r := range pages(t, s, q, n) {
			got = append(got, r.ID)
		}
		if !slices.Equal(got, want) {
			t.Errorf("in pages of %d: %v, want %v (soonest due first)", n, got, want)
		}
	}
	page, err := s.Caseload(ctx, q)
	if err != nil || page.ByName || !page.AtStart || !page.AtEnd {
		t.Fatalf("one page: by name %v, at start %v, at end %v, %v", page.ByName, page.AtStart, page.AtEnd, err)
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		for i := range caseloadLook {
			if _, err := tx.ExecContext(ctx, `INSERT INTO people (name, created_at, updated_at) VALUES (?, ?, ?)`,
				fmt.Sprintf("Smithson %03d", i), formatTime(t0), formatTime(t0)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if page, err = s.Caseload(ctx, q); err != nil || !page.ByName {
		t.Fatalf("with %d matches: by name %v, %v; want by name", caseloadLook+8, page.ByName, err)
	}
	var got []int64
	for _, r := range pages(t, s, q, 3) {
		got = append(got, r.ID)
	}
	slices.Reverse(want)
	if !slices.Equal(got, want) {
		t.Errorf("by name: %v, want %v", got, want)
	}
}

// TestCountsStopAtTheCap: past CountCap a count says "more", with or
// without a filter, and the kept counts stay exact.
func TestCountsStopAtTheCap(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	seedCaseload(t, s, CountCap+20, 4)
	err := s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO follow_ups (person_id, due_at, created_at) SELECT id, ?, ? FROM people`,
			formatTime(overdueBefore.Add(-time.Hour)), formatTime(t0))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	q := CaseloadQuery{OverdueBefore: overdueBefore, DueBefore: dueBefore}
	counts, err := s.CaseloadCounts(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if counts[SectionAll] != (Count{N: CountCap + 20}) || counts[SectionOverdue] != (Count{N: CountCap, More: true}) ||
		counts[SectionNoFollowUp] != (Count{}) || counts[SectionDueToday] != (Count{}) {
		t.Errorf("counts %v", counts)
	}
	q.Filter = "+44 7"
	if counts, err = s.CaseloadCounts(ctx, q); err != nil {
		t.Fatal(err)
	}
	if counts[SectionAll] != (Count{N: CountCap, More: true}) || counts[SectionOverdue] != (Count{N: CountCap, More: true}) {
		t.Errorf("filtered counts %v", counts)
	}
	checkNameOrder(t, s)
}

// TestLargeImportMergesTheFinder: an import of many people leaves the
// finder's index in one segment, as migration 11 does.
func TestLargeImportMergesTheFinder(t *testing.T) {
	sqliteOnly(t, "FTS5's segments: PostgreSQL's finder is a GIN index, which has none")
	s := newStore(t)
	ctx := context.Background()
	segments := func() int {
		var segs int
		mustScan(t, s, "SELECT count(DISTINCT segid) FROM people_search_idx", &segs)
		return segs
	}
	for i := range 20 { // separate writes: a segment each until automerge
		createPerson(t, s, coaching.Person{Name: fmt.Sprintf("Early %02d", i)})
	}
	if n := segments(); n < 2 {
		t.Fatalf("%d segments after 20 separate writes; the test needs more to mean anything", n)
	}
	var people []coaching.Person
	for i := range mergeFinderAfter {
		people = append(people, coaching.Person{Name: fmt.Sprintf("Imported %04d", i), Status: coaching.StatusActive})
	}
	if _, _, err := s.ImportPeople(ctx, people, t0); err != nil {
		t.Fatal(err)
	}
	if n := segments(); n != 1 {
		t.Errorf("%d segments after an import of %d people, want 1", n, mergeFinderAfter)
	}
	if page, err := s.Caseload(ctx, CaseloadQuery{Filter: "early 07"}); err != nil || len(page.Rows) != 1 {
		t.Errorf("after the merge, early 07: %d rows, %v", len(page.Rows), err)
	}
}

// TestOpenMergesAScatteredFinder: a bulk write leaves the finder's index
// in many segments; the next open merges them, a step at a time, once the
// page check has passed, and finds the same people.
func TestOpenMergesAScatteredFinder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	// A bulk write (here the demo's generator) leaves many segments.
	if err := s.Generate(context.Background(), GenerateOptions{People: 3000, Seed: 1, Now: t0}); err != nil {
		t.Fatal(err)
	}
	createPerson(t, s, coaching.Person{Name: "One by one 123"})
	segments := func(s *Store) int {
		var n int
		mustScan(t, s, "SELECT count(DISTINCT segid) FROM people_search_idx", &n)
		return n
	}
	if n := segments(s); n <= finderSegments {
		t.Fatalf("%d segments after a bulk write; the test needs more than %d", n, finderSegments)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.CheckPages(context.Background()); err != nil {
		t.Fatal(err)
	}
	<-s.index.swept
	if n := segments(s); n != 1 {
		t.Errorf("%d segments after the open's merge, want 1", n)
	}
	if page, err := s.Caseload(context.Background(), CaseloadQuery{Filter: "one by one"}); err != nil || len(page.Rows) != 1 {
		t.Errorf("after the merge, 'one by one': %d rows, %v", len(page.Rows), err)
	}
}

// TestFilteredCountsPastTheCap: with a filter that matches more than
// CountCap people, the first CountCap matches in name order are counted
// into their sections (the one past them is not), and a section that
// holds all of that section's people is exact.
func TestFilteredCountsPastTheCap(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	overdue, today := formatTime(overdueBefore.Add(-time.Hour)), formatTime(overdueBefore.Add(time.Hour))
	err := s.write(ctx, func(tx *sql.Tx) error {
		for i := range CountCap + 1 {
			var id int64
			err := tx.QueryRowContext(ctx, `INSERT INTO people (name, created_at, updated_at) VALUES (?, ?, ?) RETURNING id`,
				fmt.Sprintf("Zed %04d", i), formatTime(t0), formatTime(t0)).Scan(&id)
			if err != nil {
				return err
			}
			due := []string{overdue, today, ""}[i%3] // the last, Zed 1000, is due today
			if due == "" {
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO follow_ups (person_id, due_at, created_at) VALUES (?, ?, ?)`,
				id, due, formatTime(t0)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[Section]Count{
		SectionAll:        {N: CountCap, More: true},
		SectionOverdue:    {N: 334},             // all of them
		SectionDueToday:   {N: 333, More: true}, // Zed 1000 is past the cap
		SectionUpcoming:   {N: 0},               // none at all
		SectionNoFollowUp: {N: 333},             // all of them
	}
	for _, f := range []string{"zed", "ze", "z"} {
		counts, err := s.CaseloadCounts(ctx, CaseloadQuery{Filter: f, OverdueBefore: overdueBefore, DueBefore: dueBefore})
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(counts, want) {
			t.Errorf("%q: counts %v, want %v", f, counts, want)
		}
	}
	counts, err := s.CaseloadCounts(ctx, CaseloadQuery{Filter: "zed 0999", OverdueBefore: overdueBefore, DueBefore: dueBefore})
	if err != nil || !maps.Equal(counts, map[Section]Count{SectionAll: {N: 1}, SectionOverdue: {N: 1}, SectionDueToday: {},
		SectionUpcoming: {}, SectionNoFollowUp: {}}) {
		t.Errorf("one match: %v, %v", counts, err)
	}
}
