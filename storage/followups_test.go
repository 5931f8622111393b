package storage

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"callcoach/coaching"
)

// madeBefore is when tests make follow-ups: the day before the calls they
// start at t0, so those calls complete them.
var madeBefore = t0.Add(-24 * time.Hour)

func mustAddFollowUp(t *testing.T, s *Store, f coaching.FollowUp) int64 {
	t.Helper()
	id, err := s.AddFollowUp(context.Background(), f, madeBefore)
	if err != nil {
		t.Fatalf("AddFollowUp: %v", err)
	}
	return id
}

func TestFollowUpRoundTrip(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	pid, call := personWithCall(t, s, "Ann")
	plan := mustSavePlan(t, s, walkPlan(pid, call), t0)
	// Each is due before the one before it, so it is the one open first.
	for _, tt := range []struct {
		name string
		f    coaching.FollowUp
		want coaching.FollowUp // ID and CreatedAt are filled in
	}{
		{"about a plan", coaching.FollowUp{PersonID: pid, PlanID: plan, Due: t0.Add(48 * time.Hour), Reason: "how did the walking go"},
			coaching.FollowUp{PersonID: pid, PlanID: plan, Due: t0.Add(48 * time.Hour), Reason: "how did the walking go"}},
		{"in another zone, part-way through a second: stored in UTC to the second",
			coaching.FollowUp{PersonID: pid, Due: t0.In(time.FixedZone("UTC+9", 9*3600)).Add(36*time.Hour + 900*time.Millisecond)},
			coaching.FollowUp{PersonID: pid, Due: t0.Add(36 * time.Hour)}},
		{"done fields are ignored: it starts open",
			coaching.FollowUp{ID: 77, PersonID: pid, Due: t0.Add(24 * time.Hour), DoneCallID: call, DoneAt: t0, CreatedAt: t0.Add(-time.Hour)},
			coaching.FollowUp{PersonID: pid, Due: t0.Add(24 * time.Hour)}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			id := mustAddFollowUp(t, s, tt.f)
			got, ok, err := s.OpenFollowUp(ctx, pid)
			if err != nil || !ok {
				t.Fatalf("OpenFollowUp = %v, %v", ok, err)
			}
			want := tt.want
			want.ID, want.CreatedAt = id, madeBefore
			if !reflect.DeepEqual(got, want) || !got.Open() {
				t.Errorf("got  %+v\nwant %+v (open)", got, want)
			}
		})
	}
}

func TestOpenFollowUpIsEarliest(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	pid, call := personWithCall(t, s, "Ann")
	other, _ := personWithCall(t, s, "Bob")
	if _, ok, err := s.OpenFollowUp(ctx, pid); ok || err != nil {
		t.Fatalf("a person with no follow-ups has one open: %v, %v", ok, err)
	}
	mustAddFollowUp(t, s, coaching.FollowUp{PersonID: other, Due: t0.Add(-time.Hour)})
	mustAddFollowUp(t, s, coaching.FollowUp{PersonID: pid, Due: t0.Add(3 * time.Hour)})
	first := mustAddFollowUp(t, s, coaching.FollowUp{PersonID: pid, Due: t0.Add(time.Hour)})
	mustAddFollowUp(t, s, coaching.FollowUp{PersonID: pid, Due: t0.Add(time.Hour)}) // same time: the older id first
	if f, ok, err := s.OpenFollowUp(ctx, pid); err != nil || !ok || f.ID != first {
		t.Errorf("OpenFollowUp = %d, %v, %v; want %d", f.ID, ok, err, first)
	}

	if err := s.CompleteFollowUps(ctx, pid, call, t0.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if f, ok, err := s.OpenFollowUp(ctx, pid); ok || err != nil {
		t.Errorf("after the call: %+v still open, %v", f, err)
	}
	if f, ok, err := s.OpenFollowUp(ctx, other); !ok || err != nil || !f.Due.Equal(t0.Add(-time.Hour)) {
		t.Errorf("the other person's follow-up: %+v, %v, %v; want it still open", f, ok, err)
	}
	rows, err := s.ro.Query("SELECT done_call_id, done_at FROM follow_ups WHERE person_id = ?", pid)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var by int64
		var at string
		if err := rows.Scan(&by, &at); err != nil {
			t.Fatal(err)
		}
		if by != call || at != formatTime(t0.Add(2*time.Hour)) {
			t.Errorf("follow-up done by call %d at %s; want %d at %s", by, at, call, formatTime(t0.Add(2*time.Hour)))
		}
		n++
	}
	if n != 3 {
		t.Errorf("%d follow-ups completed, want 3", n)
	}

	// Completing again changes nothing: the done ones keep their call.
	later, err := s.StartCall(ctx, pid, coaching.RoleCoach, t0.Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CompleteFollowUps(ctx, pid, later.ID, t0.Add(25*time.Hour)); err != nil {
		t.Fatal(err)
	}
	var byLater int
	if err := s.ro.QueryRow("SELECT count(*) FROM follow_ups WHERE done_call_id = ?", later.ID).Scan(&byLater); err != nil || byLater != 0 {
		t.Errorf("%d done follow-ups moved to the later call, %v", byLater, err)
	}
}

// TestCompleteFollowUpsKeepsTheNextOne: a reached call completes what it
// followed up, not the follow-up agreed during it.
func TestCompleteFollowUpsKeepsTheNextOne(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	pid, call := personWithCall(t, s, "Ann") // started at t0
	tests := []struct {
		name string
		made time.Time
		done bool
	}{
		{"made the week before", t0.Add(-7 * 24 * time.Hour), true},
		{"made a second before the call", t0.Add(-time.Second), true},
		{"made in the second the call started", t0, true},
		{"made in the call, in its first second", t0, false},
		{"made during the call", t0.Add(20 * time.Minute), false},
	}
	ids := make([]int64, len(tests))
	for i, tt := range tests {
		var err error
		f := coaching.FollowUp{PersonID: pid, Due: t0.Add(time.Duration(i) * time.Hour)}
		if !tt.done {
			f.MadeCallID = call
		}
		if ids[i], err = s.AddFollowUp(ctx, f, tt.made); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.CompleteFollowUps(ctx, pid, call, t0.Add(30*time.Minute)); err != nil {
		t.Fatal(err)
	}
	for i, tt := range tests {
		var done bool
		if err := s.ro.QueryRow("SELECT done_at IS NOT NULL FROM follow_ups WHERE id = ?", ids[i]).Scan(&done); err != nil {
			t.Fatal(err)
		}
		if done != tt.done {
			t.Errorf("%s: done %v, want %v", tt.name, done, tt.done)
		}
	}
	if f, ok, err := s.OpenFollowUp(ctx, pid); err != nil || !ok || f.ID != ids[3] {
		t.Errorf("open follow-up after the call: %d, %v, %v; want %d", f.ID, ok, err, ids[3])
	}
}

// nextDueMismatches lists the people whose next_due_at is not the due time
// of their earliest open follow-up.
func nextDueMismatches(t *testing.T, s *Store) []string {
	t.Helper()
	rows, err := s.ro.Query(`SELECT id, coalesce(next_due_at, 'NULL'), coalesce(
			(SELECT min(due_at) FROM follow_ups f WHERE f.person_id = p.id AND f.done_at IS NULL), 'NULL')
		FROM people p WHERE next_due_at IS DISTINCT FROM (
			SELECT min(due_at) FROM follow_ups f WHERE f.person_id = p.id AND f.done_at IS NULL)`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id int64
		var stored, want string
		if err := rows.Scan(&id, &stored, &want); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("person %d: %s, want %s", id, stored, want))
	}
	return out
}

// TestNextDueStaysExact drives follow-ups through everything that can
// change them, through the Store and behind its back, and checks after
// each step that people.next_due_at is exactly the earliest open due time.
func TestNextDueStaysExact(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(7, 7))
	var people, calls []int64
	for i := range 6 {
		pid, call := personWithCall(t, s, fmt.Sprint("P", i))
		people, calls = append(people, pid), append(calls, call)
	}
	due := func() time.Time { return t0.Add(time.Duration(rng.IntN(200)-100) * time.Hour) }
	steps := []struct {
		name string
		do   func(i int) error
	}{
		{"add", func(i int) error {
			_, err := s.AddFollowUp(ctx, coaching.FollowUp{PersonID: people[i], Due: due()}, madeBefore)
			return err
		}},
		{"commit a plan with a follow-up", func(i int) error {
			_, _, err := s.CommitPlan(ctx, walkPlan(people[i], calls[i]), []int{5}, &coaching.FollowUp{Due: due()}, madeBefore)
			return err
		}},
		{"complete", func(i int) error { return s.CompleteFollowUps(ctx, people[i], calls[i], t0) }},
		{"move the earliest", func(i int) error {
			_, err := s.rw.Exec(`UPDATE follow_ups SET due_at = ? WHERE id = (
				SELECT id FROM follow_ups WHERE person_id = ? AND done_at IS NULL ORDER BY due_at LIMIT 1)`, formatTime(due()), people[i])
			return err
		}},
		{"reopen one", func(i int) error {
			_, err := s.rw.Exec(`UPDATE follow_ups SET done_at = NULL, done_call_id = NULL WHERE id = (
				SELECT id FROM follow_ups WHERE person_id = ? AND done_at IS NOT NULL LIMIT 1)`, people[i])
			return err
		}},
		{"give one to someone else", func(i int) error {
			_, err := s.rw.Exec(`UPDATE follow_ups SET person_id = ?, plan_id = NULL WHERE id = (
				SELECT id FROM follow_ups WHERE person_id = ? ORDER BY due_at LIMIT 1)`, people[(i+1)%len(people)], people[i])
			return err
		}},
		{"delete the earliest", func(i int) error {
			_, err := s.rw.Exec(`DELETE FROM follow_ups WHERE id = (
				SELECT id FROM follow_ups WHERE person_id = ? AND done_at IS NULL ORDER BY due_at LIMIT 1)`, people[i])
			return err
		}},
		{"delete their plans", func(i int) error {
			_, err := s.rw.Exec("DELETE FROM action_plans WHERE person_id = ?", people[i])
			return err
		}},
	}
	seen := map[string]bool{}
	for n := range 400 {
		st := steps[rng.IntN(len(steps))]
		i := rng.IntN(len(people))
		if err := st.do(i); err != nil {
			t.Fatalf("step %d, %s for person %d: %v", n, st.name, people[i], err)
		}
		if bad := nextDueMismatches(t, s); bad != nil {
			t.Fatalf("after step %d, %s for person %d: %v", n, st.name, people[i], bad)
		}
		var open int
		if err := s.ro.QueryRow("SELECT count(*) FROM people WHERE next_due_at IS NOT NULL").Scan(&open); err != nil {
			t.Fatal(err)
		}
		seen[fmt.Sprint(open > 0, open < len(people))] = true
	}
	if !seen["true true"] || len(seen) < 2 {
		t.Errorf("the steps never mixed people with and without follow-ups: %v", seen)
	}
	var done int
	if err := s.ro.QueryRow("SELECT count(*) FROM follow_ups WHERE done_at IS NOT NULL").Scan(&done); err != nil || done == 0 {
		t.Errorf("%d follow-ups done, %v: the steps never completed one", done, err)
	}
	// Deleting a person with open follow-ups leaves the rest exact.
	mustExec(t, s.rw, "DELETE FROM people WHERE id = ?", people[0])
	if bad := nextDueMismatches(t, s); bad != nil {
		t.Errorf("after deleting a person: %v", bad)
	}
}
