package storage

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"callcoach/coaching"
)

// tableRows counts a table's rows.
func tableRows(t *testing.T, s *Store, table string) int {
	t.Helper()
	var n int
	if err := s.ro.QueryRowContext(context.Background(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestLogAttemptMovesTheOneOpenFollowUp(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	pid := createPerson(t, s, coaching.Person{Name: "Rosa Díaz", CallTimes: "weekdays 12:00-14:00"})
	due := t0.Add(-3 * time.Hour)
	if _, err := s.AddFollowUp(ctx, coaching.FollowUp{PersonID: pid, Due: due, Reason: "Check the walking plan"}, t0.Add(-48*time.Hour)); err != nil {
		t.Fatal(err)
	}
	retry := t0.Add(2 * time.Hour)
	got, err := s.LogAttempt(ctx, Attempt{PersonID: pid, Outcome: coaching.OutcomeNoAnswer, Retry: retry}, t0)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Moved || !got.MovedFrom.Equal(due) || got.CallID == 0 {
		t.Fatalf("LogAttempt = %+v: want the open follow-up moved from %v", got, due)
	}
	f, ok, err := s.OpenFollowUp(ctx, pid)
	if err != nil || !ok || !f.Due.Equal(retry) || f.Reason != "Check the walking plan" || f.ID != got.FollowUpID {
		t.Fatalf("open follow-up after the attempt: %+v, %v, %v", f, ok, err)
	}
	if n := tableRows(t, s, "follow_ups WHERE done_at IS NULL"); n != 1 {
		t.Fatalf("%d open follow-ups: one next contact, not two", n)
	}
	c, err := s.GetCall(ctx, got.CallID)
	if err != nil || c.Outcome != coaching.OutcomeNoAnswer || !c.StartedAt.Equal(t0) || !c.EndedAt.Equal(t0) || c.Role != coaching.RoleCoach {
		t.Fatalf("the attempt's call: %+v, %v", c, err)
	}

	// Without an open follow-up, the retry makes one; without a retry,
	// none is touched.
	other := createPerson(t, s, coaching.Person{Name: "Ben Okafor"})
	got, err = s.LogAttempt(ctx, Attempt{PersonID: other, Outcome: coaching.OutcomeVoicemail, Retry: retry}, t0)
	if err != nil || got.Moved || got.FollowUpID == 0 {
		t.Fatalf("retry with no follow-up: %+v, %v", got, err)
	}
	if f, ok, _ := s.OpenFollowUp(ctx, other); !ok || !f.Due.Equal(retry) || f.Reason != "Try again: left voicemail" {
		t.Fatalf("the follow-up made for the retry: %+v", f)
	}
	if got, err = s.LogAttempt(ctx, Attempt{PersonID: other, Outcome: coaching.OutcomeWrongNumber}, t0); err != nil || got.FollowUpID != 0 {
		t.Fatalf("no retry: %+v, %v", got, err)
	}
}

func TestLogAttemptRefusesBadInputAndWritesNothing(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	pid := createPerson(t, s, coaching.Person{Name: "Rosa Díaz"})
	for _, c := range []struct {
		name string
		a    Attempt
		want string
	}{
		{"unknown outcome", Attempt{PersonID: pid, Outcome: "ringing"}, "not an attempt's outcome"},
		{"reached is a call, not an attempt", Attempt{PersonID: pid, Outcome: coaching.OutcomeReached}, "not an attempt's outcome"},
		{"no such person", Attempt{PersonID: 999, Outcome: coaching.OutcomeNoAnswer}, "not found"},
		{"retry in the past", Attempt{PersonID: pid, Outcome: coaching.OutcomeNoAnswer, Retry: t0.Add(-time.Minute)}, "in the past"},
		{"retry now", Attempt{PersonID: pid, Outcome: coaching.OutcomeNoAnswer, Retry: t0}, "in the past"},
		{"bad role", Attempt{PersonID: pid, Outcome: coaching.OutcomeNoAnswer, Role: "boss"}, "boss"},
	} {
		_, err := s.LogAttempt(ctx, c.a, t0)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error saying %q", c.name, err, c.want)
		}
	}
	if _, err := s.LogAttempt(ctx, Attempt{PersonID: 999, Outcome: coaching.OutcomeNoAnswer}, t0); !errors.Is(err, ErrNotFound) {
		t.Errorf("no such person: %v, want ErrNotFound", err)
	}
	if n := tableRows(t, s, "calls"); n != 0 {
		t.Fatalf("%d calls written by refused attempts", n)
	}
	if n := tableRows(t, s, "follow_ups"); n != 0 {
		t.Fatalf("%d follow-ups written by refused attempts", n)
	}
}

// TestNowQueueOrder: people in three time zones, seen by a coach in
// London at 12:30 on a Monday: a flag first whatever is due; then overdue,
// due now and later today, each with those inside their window first;
// nobody due tomorrow, paused or without a follow-up; the attempts of
// today and this week and the last outcome on each row.
func TestNowQueueOrder(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	london, _ := time.LoadLocation("Europe/London")
	now := time.Date(2026, 11, 30, 12, 30, 0, 0, london) // Monday
	d := coaching.NewCoachDay(now, london)
	add := func(name, zone, window string, due time.Time, status coaching.Status) int64 {
		p := coaching.Person{Name: name, TimeZone: zone, CallTimes: window, Status: status}
		if err := p.Normalize(time.LoadLocation); err != nil {
			t.Fatal(err)
		}
		id, err := s.CreatePerson(ctx, p, now.Add(-30*24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if !due.IsZero() {
			if _, err := s.AddFollowUp(ctx, coaching.FollowUp{PersonID: id, Due: due, Reason: "check in " + name}, now.Add(-7*24*time.Hour)); err != nil {
				t.Fatal(err)
			}
		}
		return id
	}
	yesterday := now.Add(-24 * time.Hour)
	// Overdue: one outside (New York, 07:30 there, window 9-5), one inside
	// (London lunch), one whose window is not known.
	nyOverdue := add("Nia Young", "America/New_York", "weekdays 09:00-17:00", yesterday, coaching.StatusActive)
	ldOverdue := add("Lou Dane", "Europe/London", "weekdays 12:00-14:00", yesterday.Add(time.Hour), coaching.StatusActive)
	noWindow := add("Ned Owens", "", "", yesterday.Add(2*time.Hour), coaching.StatusActive)
	// Due now: Sydney (23:30 there, window evenings: outside), London inside.
	syDue := add("Sam Yee", "Australia/Sydney", "evening", now.Add(-time.Hour), coaching.StatusActive)
	ldDue := add("Lia Dunn", "Europe/London", "not before 10", now.Add(-30*time.Minute), coaching.StatusActive)
	// Later today, flagged (not due at all), tomorrow, paused, none.
	later := add("Leo Tate", "Europe/London", "", now.Add(3*time.Hour), coaching.StatusActive)
	flagged := add("Fay Lane", "America/New_York", "", time.Time{}, coaching.StatusActive)
	add("Tom Morrow", "Europe/London", "", now.Add(24*time.Hour), coaching.StatusActive)
	add("Pat Paused", "Europe/London", "", yesterday, coaching.StatusPaused)
	add("Nora None", "Europe/London", "", time.Time{}, coaching.StatusActive)
	if _, err := s.RaiseSafety(ctx, SafetyEvent{PersonID: flagged, Trigger: "coach"}, now.Add(-48*time.Hour)); err != nil {
		t.Fatal(err)
	}
	// Attempts: two today and one three days ago for Nia; one eight days
	// ago (not this week) for Lou.
	for _, at := range []time.Time{now.Add(-72 * time.Hour), now.Add(-3 * time.Hour), now.Add(-time.Hour)} {
		if _, err := s.LogAttempt(ctx, Attempt{PersonID: nyOverdue, Outcome: coaching.OutcomeNoAnswer}, at); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.LogAttempt(ctx, Attempt{PersonID: nyOverdue, Outcome: coaching.OutcomeVoicemail}, now.Add(-30*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.LogAttempt(ctx, Attempt{PersonID: ldOverdue, Outcome: coaching.OutcomeDeclined}, now.Add(-8*24*time.Hour)); err != nil {
		t.Fatal(err)
	}

	q, err := s.NowQueue(ctx, d, london, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := []int64{flagged, ldOverdue, noWindow, nyOverdue, ldDue, syDue, later}
	var got []int64
	var lines []string
	for _, r := range q {
		got = append(got, r.PersonID)
		lines = append(lines, fmt.Sprintf("%s %s %v today %d week %d last %s", r.Name, r.Tier, r.Window.State(now), r.AttemptsToday, r.AttemptsThisWeek, r.LastOutcome))
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("queue order %v, want %v:\n%s", got, want, strings.Join(lines, "\n"))
	}
	if r := q[3]; r.AttemptsToday != 3 || r.AttemptsThisWeek != 4 || r.LastOutcome != coaching.OutcomeVoicemail || r.Reason != "check in Nia Young" {
		t.Errorf("Nia's row: %s", lines[3])
	}
	if r := q[1]; r.AttemptsToday != 0 || r.AttemptsThisWeek != 0 || r.LastOutcome != coaching.OutcomeDeclined {
		t.Errorf("Lou's row: %s", lines[1])
	}
	if q, err := s.NowQueue(ctx, d, london, 2); err != nil || len(q) != 2 || q[1].PersonID != ldOverdue {
		t.Errorf("the first 2: %+v, %v", q, err)
	}

	if a, err := s.PersonAttempts(ctx, nyOverdue, now, london); err != nil || a.UnansweredThisWeek != 4 || a.Today != 3 || a.Last != coaching.OutcomeVoicemail {
		t.Errorf("Nia's attempts: %+v, %v", a, err)
	}
	h, err := s.NowHeader(ctx, d, london)
	if err != nil {
		t.Fatal(err)
	}
	// Overdue counts Pat too (paused, still owed a call: the caseload's
	// sections count the same way); due today: Sam, Lia, Leo.
	if h.Flagged != 1 || h.Overdue != 4 || h.DueToday != 3 || h.Made != 3 || h.Reached != 0 {
		t.Errorf("header %+v: want 1 flagged, 4 overdue, 3 due today, 3 made today, 0 reached", h)
	}
}

// TestNowQueriesNeverScan: every query the Now view and its header run is
// a seek or a bounded range of an index. The one walk from the start of an
// index is of safety_events_unreviewed, a partial index that holds only
// the open flags.
func TestNowQueriesNeverScan(t *testing.T) {
	s := newStore(t)
	seedCaseload(t, s, 300, 3)
	seedSafety(t, s, 3)
	today := formatTime(t0)
	for _, q := range []struct {
		name string
		sql  string
		args []any
	}{
		{"flagged", nowFlaggedSQL, []any{nowBound}},
		{"due", nowDueSQL, []any{today, nowBound}},
		{"rows", nowRowsSQL(3), []any{int64(1), int64(2), int64(3)}},
		{"attempts", nowAttemptsSQL, []any{int64(1), today, today}},
		{"reason", nowReasonSQL, []any{int64(1)}},
		{"header", nowHeaderSQL, []any{CountCap + 1, today, today, today}},
	} {
		if s.pg {
			plan := pgPlan(t, s, forEngine(true, q.sql), q.args...)
			t.Logf("%s:\n%s", q.name, plan)
			if scans := seqScans(plan, "people", "calls", "safety_events", "follow_ups"); scans != nil {
				t.Errorf("%s: no index serves %v\n%s", q.name, scans, plan)
			}
			continue
		}
		plan := explain(t, s, q.sql, q.args...)
		t.Logf("%s:\n%s", q.name, planText(plan))
		for _, l := range plan {
			// The header's subqueries are named (PostgreSQL needs a name
			// for each); a scan of one reads what its LIMIT bounds.
			counted := []string{"SCAN flagged", "SCAN overdue", "SCAN due_today", "SCAN made", "SCAN reached"}
			allowed := strings.HasPrefix(l.detail, "SCAN (subquery") || slices.Contains(counted, l.detail) || l.detail == "SCAN CONSTANT ROW" ||
				l.detail == "SCAN safety_events USING INDEX safety_events_unreviewed"
			if strings.HasPrefix(l.detail, "SCAN ") && !allowed || strings.HasPrefix(l.detail, "USE TEMP B-TREE") {
				t.Errorf("%s: %s\n%s", q.name, l.detail, planText(plan))
			}
		}
	}
}

func TestReplaceFollowUpKeepsOneNextContact(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	pid := createPerson(t, s, coaching.Person{Name: "Rosa"})
	first, err := s.AddFollowUp(ctx, coaching.FollowUp{PersonID: pid, Due: t0.Add(24 * time.Hour), Reason: "tablets"}, t0)
	if err != nil {
		t.Fatal(err)
	}
	second, err := s.ReplaceFollowUp(ctx, coaching.FollowUp{PersonID: pid, Due: t0.Add(72 * time.Hour), Reason: "walking"}, t0.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if f, ok, _ := s.OpenFollowUp(ctx, pid); !ok || f.ID != second {
		t.Fatalf("open follow-up %+v, want %d", f, second)
	}
	var replacedBy int64
	var done, next string
	if err := s.ro.QueryRowContext(ctx, "SELECT replaced_by, done_at, (SELECT next_due_at FROM people WHERE id = ?) FROM follow_ups WHERE id = ?", pid, first).
		Scan(&replacedBy, &done, &next); err != nil {
		t.Fatal(err)
	}
	if replacedBy != second || done != formatTime(t0.Add(time.Minute)) || next != formatTime(t0.Add(72*time.Hour)) {
		t.Fatalf("replaced by %d at %s; next due %s", replacedBy, done, next)
	}
	if _, err := s.ReplaceFollowUp(ctx, coaching.FollowUp{PersonID: 999, Due: t0.Add(time.Hour)}, t0); !errors.Is(err, ErrNotFound) {
		t.Fatalf("replace for nobody: %v", err)
	}
}
