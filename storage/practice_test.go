package storage

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"callcoach/coaching"
)

// practiceFixture writes rows as another program would, through SQL:
// what Practice counts is what is in the file, however it got there.
type practiceFixture struct {
	t *testing.T
	s *Store
}

func (f practiceFixture) exec(query string, args ...any) int64 {
	f.t.Helper()
	var id int64
	if err := f.s.rw.QueryRowContext(context.Background(), query+" RETURNING id", args...).Scan(&id); err != nil {
		f.t.Fatalf("%s: %v", query, err)
	}
	return id
}

func at(d, h, m, sec int) time.Time { return time.Date(2026, 11, d, h, m, sec, 0, time.UTC) }

func (f practiceFixture) call(person int64, start, end time.Time, outcome string) int64 {
	f.t.Helper()
	if outcome == "" {
		return f.exec(`INSERT INTO calls (person_id, started_at, updated_at) VALUES (?, ?, ?)`, person, formatTime(start), formatTime(start))
	}
	return f.exec(`INSERT INTO calls (person_id, started_at, ended_at, outcome, updated_at, notes) VALUES (?, ?, ?, ?, ?, 'walked to the shop')`,
		person, formatTime(start), formatTime(end), outcome, formatTime(end))
}

func (f practiceFixture) marks(call int64, when time.Time, kind coaching.TallyKind, n int, undone bool) {
	f.t.Helper()
	for range n {
		var u any
		if undone {
			u = formatTime(when)
		}
		f.exec(`INSERT INTO tally_marks (call_id, kind, marked_at, undone_at) VALUES (?, ?, ?, ?)`, call, string(kind), formatTime(when), u)
	}
}

func (f practiceFixture) plan(person int64, call any, replaces any, made time.Time, scores map[time.Time]int) int64 {
	f.t.Helper()
	id := f.exec(`INSERT INTO action_plans (person_id, call_id, behaviour, what, replaces, created_at, updated_at) VALUES (?, ?, 'activity', 'walk', ?, ?, ?)`,
		person, call, replaces, formatTime(made), formatTime(made))
	for when, score := range scores {
		f.exec(`INSERT INTO confidence_scores (plan_id, score, scored_at) VALUES (?, ?, ?)`, id, score, formatTime(when))
	}
	return id
}

func (f practiceFixture) followUp(person int64, due time.Time, doneCall any, doneAt time.Time) int64 {
	f.t.Helper()
	var done any
	if !doneAt.IsZero() {
		done = formatTime(doneAt)
	}
	return f.exec(`INSERT INTO follow_ups (person_id, due_at, reason, done_call_id, done_at, created_at) VALUES (?, ?, 'check in', ?, ?, ?)`,
		person, formatTime(due), doneCall, done, formatTime(at(1, 9, 0, 0)))
}

func TestPractice(t *testing.T) {
	s := newStore(t)
	f := practiceFixture{t, s}
	ann := createPerson(t, s, coaching.Person{Name: "Ann"})

	// Week 0, 2-8 Nov: one call reached, one attempt; two plans.
	c1 := f.call(ann, at(3, 10, 0, 0), at(3, 10, 20, 30), "reached")
	f.marks(c1, at(3, 10, 5, 0), coaching.TallyOpenQuestion, 3, false)
	f.marks(c1, at(3, 10, 5, 0), coaching.TallyClosedQuestion, 1, false)
	f.marks(c1, at(3, 10, 5, 0), coaching.TallySimpleReflection, 2, false)
	f.marks(c1, at(3, 10, 5, 0), coaching.TallyComplexReflect, 2, false)
	f.marks(c1, at(3, 10, 5, 0), coaching.TallyComplexReflect, 1, true)
	f.marks(c1, at(3, 10, 5, 0), coaching.TallyAffirmation, 1, false)
	for _, kind := range []string{"desire", "reason", "sustain"} {
		f.exec(`INSERT INTO change_talk (call_id, kind, quote, said_at) VALUES (?, ?, 'I want to walk', ?)`, c1, kind, formatTime(at(3, 10, 6, 0)))
	}
	f.call(ann, at(4, 9, 0, 0), at(4, 9, 0, 0), "no_answer")
	f.call(ann, at(4, 11, 0, 0), at(4, 11, 1, 0), "opened_by_mistake")
	f.call(ann, at(5, 11, 0, 0), time.Time{}, "") // unfinished
	a := f.plan(ann, c1, nil, at(3, 10, 10, 0), map[time.Time]int{at(3, 10, 11, 0): 5})
	f.plan(ann, c1, a, at(3, 10, 14, 0), map[time.Time]int{at(3, 10, 15, 0): 8}) // revised in the call: one plan
	f.plan(ann, nil, nil, at(7, 12, 0, 0), map[time.Time]int{at(7, 12, 1, 0): 6, at(10, 9, 0, 0): 8})

	// Outside the period, either side.
	out := f.call(ann, at(1, 23, 0, 0), at(1, 23, 30, 0), "reached")
	f.marks(out, at(1, 23, 5, 0), coaching.TallyOpenQuestion, 5, false)
	f.call(ann, at(23, 0, 0, 0), at(23, 0, 10, 0), "reached")

	// Week 2, 16-22 Nov: one call, which keeps one follow-up on time and
	// one late.
	c6 := f.call(ann, at(16, 9, 0, 0), at(16, 9, 10, 0), "reached")
	f.followUp(ann, at(16, 8, 30, 0), c6, at(16, 9, 10, 0))
	// Week 1, 9-15 Nov: no calls; one follow-up missed, one late, one moved.
	f.followUp(ann, at(10, 9, 0, 0), nil, time.Time{})
	f.followUp(ann, at(13, 9, 0, 0), c6, at(16, 9, 10, 0))
	moved := f.followUp(ann, at(11, 9, 0, 0), nil, at(10, 12, 0, 0))
	to := f.followUp(ann, at(30, 9, 0, 0), nil, time.Time{})
	f.exec(`UPDATE follow_ups SET replaced_by = ? WHERE id = ?`, to, moved)

	p, err := s.Practice(context.Background(), at(2, 0, 0, 0), at(23, 0, 0, 0), time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Weeks) != 3 {
		t.Fatalf("%d weeks, want 3", len(p.Weeks))
	}
	want := []coaching.PracticeCounts{
		{Calls: 2, Reached: 1, Talked: 20*time.Minute + 30*time.Second, Plans: 2, PlansConfident: 1, ChangeTalk: 2,
			Tally: coaching.Tally{coaching.TallyOpenQuestion: 3, coaching.TallyClosedQuestion: 1, coaching.TallySimpleReflection: 2,
				coaching.TallyComplexReflect: 2, coaching.TallyAffirmation: 1}},
		{FollowUpsDue: 2},
		{Calls: 1, Reached: 1, Talked: 10 * time.Minute, FollowUpsDue: 1, FollowUpsOnTime: 1},
	}
	for i, w := range p.Weeks {
		if got, want := fmt.Sprintf("%+v", w.PracticeCounts), fmt.Sprintf("%+v", want[i]); got != want {
			t.Errorf("week %d:\n got %s\nwant %s", i, got, want)
		}
	}
	if got := p.Weeks[1].Verdict(p.Weeks[1].RQ()); got != "no calls" {
		t.Errorf("week 1 R:Q verdict %q, want no calls", got)
	}
	tot := p.Total
	if tot.Calls != 3 || tot.Reached != 2 || tot.Minutes() != 31 || tot.Plans != 2 || tot.PlansConfident != 1 ||
		tot.FollowUpsDue != 3 || tot.FollowUpsOnTime != 1 || tot.ChangeTalk != 2 || tot.Tally.Questions() != 4 {
		t.Errorf("totals %+v", tot)
	}

	// Weeks are the coach's: Sunday 8 Nov 20:00 UTC is Monday 01:30 in
	// Kolkata, and Sunday 1 Nov 23:00 UTC is already Monday 2 Nov there.
	kolkata, err := time.LoadLocation("Asia/Kolkata")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	f.call(ann, at(8, 20, 0, 0), at(8, 20, 5, 0), "reached")
	p, err = s.Practice(context.Background(), time.Date(2026, 11, 2, 0, 0, 0, 0, kolkata), time.Date(2026, 11, 16, 0, 0, 0, 0, kolkata), kolkata)
	if err != nil {
		t.Fatal(err)
	}
	if p.Weeks[0].Calls != 3 || p.Weeks[1].Calls != 1 {
		t.Errorf("in Kolkata, calls by week %d, %d; want 3, 1", p.Weeks[0].Calls, p.Weeks[1].Calls)
	}
}

func TestPracticeEmptyAndTooLong(t *testing.T) {
	s := newStore(t)
	p, err := s.Practice(context.Background(), at(2, 0, 0, 0), at(9, 0, 0, 0), time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Weeks) != 1 || !p.Total.NoCalls() || p.Total.Tally != nil {
		t.Errorf("empty file: %+v", p)
	}
	if _, err := s.Practice(context.Background(), at(2, 0, 0, 0).AddDate(-30, 0, 0), at(9, 0, 0, 0), time.UTC); err == nil {
		t.Error("a 30-year report was not refused")
	}
}

// The weekly queries seek calls by the time they started, the marks
// still standing by call, plans by when they were made and follow-ups by
// when they were due.
func TestPracticeQueriesUseIndexes(t *testing.T) {
	s := newStore(t)
	p := coaching.NewPractice(at(2, 0, 0, 0), at(23, 0, 0, 0), time.UTC)
	weeks, args := practiceWeeks(p)
	tests := []struct {
		query string
		args  []any
		uses  []string
	}{
		{weeks + practiceCallsSQL, args, []string{"calls_started"}},
		{weeks + practiceTallySQL, args, []string{"calls_started", "COVERING INDEX tally_marks_standing"}},
		{weeks + practiceTalkSQL, args, []string{"calls_started"}},
		{weeks + practicePlansSQL, args, []string{"action_plans_created"}},
		{practiceFollowUpsSQL, []any{formatTime(p.From), formatTime(p.To)}, []string{"follow_ups_due"}},
	}
	for _, tt := range tests {
		plan := queryPlan(t, s, tt.query, tt.args)
		for _, index := range tt.uses {
			if !strings.Contains(plan, index) {
				t.Errorf("%s\nplan does not use %s:\n%s", tt.query, index, plan)
			}
		}
	}
}

func queryPlan(t *testing.T, s *Store, query string, args []any) string {
	t.Helper()
	sqliteOnly(t, "reads SQLite's query plan (PostgreSQL's plans are held by its benchmarks at scale)")
	rows, err := s.ro.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		b.WriteString(detail + "\n")
	}
	return b.String()
}

// BenchmarkPractice counts a year of 100 calls a day (36,500 calls, 60%
// reached, each reached call with 15 tally marks, 3 of change talk, a
// plan with two scores and a follow-up).
func BenchmarkPractice(b *testing.B) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(b.TempDir(), "year.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	start := time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
	if err := s.GenerateCallYear(ctx, start); err != nil {
		b.Fatal(err)
	}
	end := start.AddDate(1, 0, 0)
	b.ResetTimer()
	for b.Loop() {
		p, err := s.Practice(ctx, start, end, time.UTC)
		if err != nil {
			b.Fatal(err)
		}
		if p.Total.Calls != 36500 || p.Total.Reached != 21900 || p.Total.Plans != 21900 || p.Total.FollowUpsOnTime == 0 {
			b.Fatalf("totals %+v", p.Total)
		}
	}
}

// The report's queries written out for the sqlite3 CLI run as they are,
// and count what Practice counts.
func TestPracticeScript(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	start := time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
	if err := s.GenerateCallYear(ctx, start); err != nil {
		t.Fatal(err)
	}
	script := PracticeScript(start, start.AddDate(1, 0, 0), time.UTC)
	queries := strings.Split(strings.TrimSuffix(script, ";\n"), ";\n")
	if len(queries) != 5 || strings.Contains(script, "?") {
		t.Fatalf("script of %d queries:\n%s", len(queries), script)
	}
	var calls, reached int
	rows, err := s.ro.QueryContext(ctx, queries[0])
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var i, c, r, secs int
		if err := rows.Scan(&i, &c, &r, &secs); err != nil {
			t.Fatal(err)
		}
		calls, reached = calls+c, reached+r
	}
	rows.Close()
	if calls != 36500 || reached != 21900 {
		t.Errorf("script counts %d calls, %d reached; want 36500, 21900", calls, reached)
	}
	for _, q := range queries[1:] {
		rows, err := s.ro.QueryContext(ctx, q)
		if err != nil {
			t.Fatalf("%v\n%s", err, q)
		}
		rows.Close()
	}
}
