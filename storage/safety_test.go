package storage

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"callcoach/coaching"
	"callcoach/coaching/measures"
)

func mustRaise(t *testing.T, s *Store, e SafetyEvent, now time.Time) int64 {
	t.Helper()
	id, err := s.RaiseSafety(context.Background(), e, now)
	if err != nil {
		t.Fatalf("RaiseSafety: %v", err)
	}
	return id
}

func mustRecord(t *testing.T, s *Store, id int64, actions []string, note string, now time.Time) {
	t.Helper()
	if err := s.RecordSafety(context.Background(), id, actions, note, now); err != nil {
		t.Fatalf("RecordSafety(%d): %v", id, err)
	}
}

func mustStartCall(t *testing.T, s *Store, personID int64, at time.Time) int64 {
	t.Helper()
	c, err := s.StartCall(context.Background(), personID, coaching.RoleCoach, at)
	if err != nil {
		t.Fatal(err)
	}
	return c.ID
}

// safetyFlags is every person's SafetyFlag as the caseload shows it.
func safetyFlags(t *testing.T, s *Store) map[int64]bool {
	t.Helper()
	rows, err := s.rowsOf(context.Background(), CaseloadQuery{Limit: MaxCaseloadLimit})
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64]bool{}
	for _, r := range rows {
		out[r.ID] = r.SafetyFlag
	}
	return out
}

func TestSafetyRoundTrip(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	pid, call := personWithCall(t, s, "Ann")
	other, otherCall := personWithCall(t, s, "Bob")
	measure := mustSaveMeasure(t, s, phq9(pid, call), t0)
	mustRaise(t, s, SafetyEvent{PersonID: other, CallID: otherCall, Trigger: "coach"}, t0)

	// The panel opens on item 9; fields other than who, where and why are
	// ignored.
	raised := t0.Add(time.Minute)
	first := mustRaise(t, s, SafetyEvent{ID: 99, PersonID: pid, CallID: call, MeasureID: measure, Trigger: string(measures.TriggerPHQ9Item9),
		RaisedAt: t0.Add(-time.Hour), Actions: []string{"transferred"}, Note: "ignored", RecordedAt: t0, ReviewedAt: t0, ReviewedCallID: call},
		raised.Add(300*time.Millisecond))
	want1 := SafetyEvent{ID: first, PersonID: pid, CallID: call, MeasureID: measure, Trigger: string(measures.TriggerPHQ9Item9), RaisedAt: raised}
	if e, ok, err := s.OpenSafety(ctx, pid); err != nil || !ok || !reflect.DeepEqual(e, want1) {
		t.Errorf("open event:\n got %+v, %v, %v\nwant %+v", e, ok, err, want1)
	}

	note := "Has her sister's number; feels safer tonight 🌻"
	mustRecord(t, s, first, []string{"asked_directly", "no_current_risk"}, note, t0.Add(5*time.Minute))
	want1.Actions, want1.Note, want1.RecordedAt = []string{"asked_directly", "no_current_risk"}, note, t0.Add(5*time.Minute)
	if e, ok, err := s.OpenSafety(ctx, pid); err != nil || ok {
		t.Errorf("open event after recording: %+v, %v, %v; want none", e, ok, err)
	}

	// Two raised by the coach in the same second, outside a call: the
	// later id is newer.
	at := t0.Add(time.Hour)
	second := mustRaise(t, s, SafetyEvent{PersonID: pid, Trigger: "coach"}, at)
	third := mustRaise(t, s, SafetyEvent{PersonID: pid, Trigger: "coach"}, at)
	want2 := SafetyEvent{ID: second, PersonID: pid, Trigger: "coach", RaisedAt: at}
	want3 := SafetyEvent{ID: third, PersonID: pid, Trigger: "coach", RaisedAt: at}
	if e, ok, err := s.OpenSafety(ctx, pid); err != nil || !ok || !reflect.DeepEqual(e, want3) {
		t.Errorf("open event:\n got %+v, %v, %v\nwant the newest, %+v", e, ok, err, want3)
	}
	mustRecord(t, s, third, []string{"supervisor_informed", "stayed_on_line", "emergency_services"}, "", at.Add(time.Minute))
	want3.Actions, want3.RecordedAt = []string{"supervisor_informed", "stayed_on_line", "emergency_services"}, at.Add(time.Minute)
	if e, ok, err := s.OpenSafety(ctx, pid); err != nil || !ok || !reflect.DeepEqual(e, want2) {
		t.Errorf("open event:\n got %+v, %v, %v\nwant the one still open, %+v", e, ok, err, want2)
	}
	mustRecord(t, s, second, []string{"person_declined"}, "", at.Add(2*time.Minute))
	want2.Actions, want2.RecordedAt = []string{"person_declined"}, at.Add(2*time.Minute)

	got, err := s.SafetyEvents(ctx, pid)
	if want := []SafetyEvent{want3, want2, want1}; err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("events, newest first:\n got %+v, %v\nwant %+v", got, err, want)
	}

	later := mustStartCall(t, s, pid, t0.Add(24*time.Hour))
	reason := "Asked how she is: safe, sister staying; GP Friday 🌻"
	if err := s.ReviewSafety(ctx, pid, later, reason, t0.Add(25*time.Hour)); err != nil {
		t.Fatal(err)
	}
	for _, w := range []*SafetyEvent{&want1, &want2, &want3} {
		w.ReviewedAt, w.ReviewedCallID, w.ReviewReason = t0.Add(25*time.Hour), later, reason
	}
	got, err = s.SafetyEvents(ctx, pid)
	if want := []SafetyEvent{want3, want2, want1}; err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("events after review:\n got %+v, %v\nwant %+v", got, err, want)
	}
	if e, err := s.SafetyEvents(ctx, other); err != nil || len(e) != 1 || !e[0].RecordedAt.IsZero() || !e[0].ReviewedAt.IsZero() {
		t.Errorf("the other person's events: %+v, %v; want one, open", e, err)
	}
	if none, err := s.SafetyEvents(ctx, 4242); err != nil || none != nil {
		t.Errorf("events of a missing person: %v, %v", none, err)
	}
	if _, ok, err := s.OpenSafety(ctx, 4242); err != nil || ok {
		t.Errorf("open event of a missing person: %v, %v", ok, err)
	}
}

// TestSafetyFlag drives events through raise, record and review and checks
// after each step the caseload's flag of each person, both against what
// the step should leave and against the events themselves.
func TestSafetyFlag(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	ann, bob, cy := createPerson(t, s, coaching.Person{Name: "Ann"}), createPerson(t, s, coaching.Person{Name: "Bob"}), createPerson(t, s, coaching.Person{Name: "Cy"})
	day := 24 * time.Hour
	annCalls := []int64{mustStartCall(t, s, ann, t0), mustStartCall(t, s, ann, t0.Add(day)), mustStartCall(t, s, ann, t0.Add(2*day))}
	bobCalls := []int64{mustStartCall(t, s, bob, t0), mustStartCall(t, s, bob, t0.Add(day))}
	var annEvent, bobEvent int64
	raise := func(id *int64, person, call int64, at time.Time) func() error {
		return func() (err error) {
			*id, err = s.RaiseSafety(ctx, SafetyEvent{PersonID: person, CallID: call, Trigger: "coach"}, at)
			return err
		}
	}
	record := func(id *int64, at time.Time) func() error {
		return func() error { return s.RecordSafety(ctx, *id, []string{"asked_directly"}, "", at) }
	}
	review := func(person, call int64, at time.Time) func() error {
		return func() error { return s.ReviewSafety(ctx, person, call, "asked; they are safe", at) }
	}
	steps := []struct {
		name     string
		do       func() error
		ann, bob bool
	}{
		{"no events", func() error { return nil }, false, false},
		{"raised for Ann in call 1, in the second it began", raise(&annEvent, ann, annCalls[0], t0), true, false},
		{"recorded", record(&annEvent, t0.Add(2*time.Minute)), true, false},
		{"reviewed in the call it was raised in: left for a later call", review(ann, annCalls[0], t0.Add(3*time.Minute)), true, false},
		{"reviewed at call 2", review(ann, annCalls[1], t0.Add(day+time.Minute)), false, false},
		{"reviewed again: nothing to review", review(ann, annCalls[1], t0.Add(day+2*time.Minute)), false, false},
		{"raised for Bob", raise(&bobEvent, bob, bobCalls[0], t0.Add(time.Minute)), false, true},
		{"raised for Ann in call 2", raise(&annEvent, ann, annCalls[1], t0.Add(day+3*time.Minute)), true, true},
		{"recorded", record(&annEvent, t0.Add(day+4*time.Minute)), true, true},
		{"reviewed in call 2, where it was raised", review(ann, annCalls[1], t0.Add(day+5*time.Minute)), true, true},
		{"raised outside a call after call 3 began", raise(&annEvent, ann, 0, t0.Add(2*day+time.Minute)), true, true},
		{"recorded", record(&annEvent, t0.Add(2*day+2*time.Minute)), true, true},
		{"reviewed at call 3: the one raised during it waits", review(ann, annCalls[2], t0.Add(2*day+3*time.Minute)), true, true},
		{"Bob's recorded", record(&bobEvent, t0.Add(2*time.Minute)), true, true},
		{"Bob's reviewed at his call 2", review(bob, bobCalls[1], t0.Add(day)), true, false},
	}
	for i, st := range steps {
		if err := st.do(); err != nil {
			t.Fatalf("step %d, %s: %v", i, st.name, err)
		}
		flags := safetyFlags(t, s)
		want := map[int64]bool{ann: st.ann, bob: st.bob, cy: false}
		if !reflect.DeepEqual(flags, want) {
			t.Errorf("step %d, %s: flags %v, want %v (Ann %d, Bob %d, Cy %d)", i, st.name, flags, want, ann, bob, cy)
		}
		for pid, flag := range flags {
			events, err := s.SafetyEvents(ctx, pid)
			if err != nil {
				t.Fatal(err)
			}
			unreviewed := false
			for _, e := range events {
				unreviewed = unreviewed || e.ReviewedAt.IsZero()
			}
			if flag != unreviewed {
				t.Errorf("step %d, %s: person %d flagged %v with events %+v", i, st.name, pid, flag, events)
			}
		}
	}
	// A review keeps its first time and call.
	events, err := s.SafetyEvents(ctx, ann)
	if err != nil {
		t.Fatal(err)
	}
	if first := events[len(events)-1]; first.ReviewedCallID != annCalls[1] || !first.ReviewedAt.Equal(t0.Add(day+time.Minute)) {
		t.Errorf("first event reviewed in call %d at %v; want call %d at %v", first.ReviewedCallID, first.ReviewedAt, annCalls[1], t0.Add(day+time.Minute))
	}
}

// safetyOf is everything stored about the person's measures and safety
// events, read back through the Store, with their caseload flag.
func safetyOf(t *testing.T, s *Store, pid int64) string {
	t.Helper()
	ctx := context.Background()
	ms, err1 := s.MeasuresForPerson(ctx, pid)
	es, err2 := s.SafetyEvents(ctx, pid)
	open, ok, err3 := s.OpenSafety(ctx, pid)
	if err := errors.Join(err1, err2, err3); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%+v\n%+v\n%+v %v\nflag %v", ms, es, open, ok, safetyFlags(t, s)[pid])
}

func TestMeasureAndSafetyRefusals(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	pid, call := personWithCall(t, s, "Ann")
	other, otherCall := personWithCall(t, s, "Bob")
	later := mustStartCall(t, s, pid, t0.Add(24*time.Hour))
	measure := mustSaveMeasure(t, s, phq9(pid, call), t0)
	gad7 := mustSaveMeasure(t, s, MeasureRecord{PersonID: pid, CallID: call, Instrument: string(measures.GAD7), Answers: []int{1}, Closing: -1}, t0)
	otherMeasure := mustSaveMeasure(t, s, phq9(other, otherCall), t0)
	recorded := mustRaise(t, s, SafetyEvent{PersonID: pid, CallID: call, MeasureID: measure, Trigger: string(measures.TriggerPHQ9Item9)}, t0)
	mustRecord(t, s, recorded, []string{"asked_directly"}, "private", t0)
	open := mustRaise(t, s, SafetyEvent{PersonID: pid, CallID: call, Trigger: "coach"}, t0) // a panel left open
	openItem9 := mustRaise(t, s, SafetyEvent{PersonID: pid, CallID: call, Trigger: string(measures.TriggerPHQ9Item9)}, t0)
	mustRaise(t, s, SafetyEvent{PersonID: other, CallID: otherCall, Trigger: "coach"}, t0)
	otherItem9 := mustRaise(t, s, SafetyEvent{PersonID: other, CallID: otherCall, Trigger: string(measures.TriggerPHQ9Item9)}, t0)

	const missing = 4242
	huge := "private " + strings.Repeat("x", coaching.MaxNotesLen)
	tooLong := fmt.Sprintf("at most %d fit", coaching.MaxNotesLen)
	save := func(edit func(m *MeasureRecord)) func() error {
		m := phq9(pid, call)
		edit(&m)
		return func() error { _, err := s.SaveMeasure(ctx, m, t0.Add(time.Hour)); return err }
	}
	raise := func(e SafetyEvent) func() error {
		return func() error { _, err := s.RaiseSafety(ctx, e, t0.Add(time.Hour)); return err }
	}
	record := func(id int64, actions ...string) func() error {
		return func() error { return s.RecordSafety(ctx, id, actions, "private", t0.Add(time.Hour)) }
	}
	review := func(person, call int64) func() error {
		return func() error { return s.ReviewSafety(ctx, person, call, "spoke to them", t0.Add(25*time.Hour)) }
	}
	reviewFor := func(reason string) func() error {
		return func() error { return s.ReviewSafety(ctx, pid, later, reason, t0.Add(25*time.Hour)) }
	}
	tests := []struct {
		name  string
		write func() error
		says  string // the Store's own words; "...not found" means it wraps ErrNotFound
	}{
		{"unknown instrument", save(func(m *MeasureRecord) { m.Instrument = "phq8" }), `unknown instrument "phq8"`},
		{"no instrument", save(func(m *MeasureRecord) { m.Instrument = "" }), `unknown instrument ""`},
		{"instrument in capitals", save(func(m *MeasureRecord) { m.Instrument = "PHQ9" }), `unknown instrument "PHQ9"`},
		{"answer -2", save(func(m *MeasureRecord) { m.Answers[2] = -2 }), "item 3 is -2"},
		{"more answers than items", save(func(m *MeasureRecord) { m.Answers = append(m.Answers, 0) }), "10 answers given; phq9 has 9 items"},
		{"closing -2", save(func(m *MeasureRecord) { m.Closing = -2 }), "closing answer is -2"},
		{"a total but not scored", save(func(m *MeasureRecord) { m.Scored = false }), "not scored has no total"},
		{"total not a number", save(func(m *MeasureRecord) { m.Total = math.NaN() }), "not a number"},
		{"band too long", save(func(m *MeasureRecord) { m.Band = huge }), tooLong},
		{"measure of a missing person", save(func(m *MeasureRecord) { m.PersonID, m.CallID = missing, 0 }), "save measure for person 4242: not found"},
		{"measure in a missing call", save(func(m *MeasureRecord) { m.CallID = missing }), "call 4242: not found"},
		{"measure in another person's call", save(func(m *MeasureRecord) { m.CallID = otherCall }), fmt.Sprintf("call %d was not with person %d", otherCall, pid)},
		{"measure linking a missing event", save(func(m *MeasureRecord) { m.SafetyEventID = missing }), "safety event 4242: not found"},
		{"measure linking another person's event", save(func(m *MeasureRecord) { m.SafetyEventID = otherItem9 }),
			fmt.Sprintf("safety event %d is not an event of person %d", otherItem9, pid)},
		{"measure linking the coach's event", save(func(m *MeasureRecord) { m.SafetyEventID = open }),
			fmt.Sprintf("safety event %d was raised by coach, not by the phq9's safety item", open)},
		{"GAD-7 linking an item 9 event", save(func(m *MeasureRecord) {
			m.Instrument, m.Answers, m.Scored, m.Total, m.SafetyEventID = "gad7", []int{1}, false, 0, openItem9
		}), fmt.Sprintf("safety event %d was raised by phq9_item9, not by the gad7's safety item", openItem9)},
		{"measure linking an event already linked", save(func(m *MeasureRecord) { m.SafetyEventID = recorded }),
			fmt.Sprintf("safety event %d is already linked to measure %d", recorded, measure)},

		{"unknown trigger", raise(SafetyEvent{PersonID: pid, CallID: call, Trigger: "phq9"}), `unknown trigger "phq9"`},
		{"no trigger", raise(SafetyEvent{PersonID: pid, CallID: call}), `unknown trigger ""`},
		{"raised for a missing person", raise(SafetyEvent{PersonID: missing, Trigger: "coach"}), "raise safety event for person 4242: not found"},
		{"raised in a missing call", raise(SafetyEvent{PersonID: pid, CallID: missing, Trigger: "coach"}), "call 4242: not found"},
		{"raised in another person's call", raise(SafetyEvent{PersonID: pid, CallID: otherCall, Trigger: "coach"}), fmt.Sprintf("call %d was not with person %d", otherCall, pid)},
		{"raised by a missing measure", raise(SafetyEvent{PersonID: pid, MeasureID: missing, Trigger: string(measures.TriggerPHQ9Item9)}), "measure 4242: not found"},
		{"raised by another person's measure", raise(SafetyEvent{PersonID: pid, MeasureID: otherMeasure, Trigger: string(measures.TriggerPHQ9Item9)}),
			fmt.Sprintf("measure %d is not a measure of person %d", otherMeasure, pid)},
		{"item 9 of a GAD-7", raise(SafetyEvent{PersonID: pid, MeasureID: gad7, Trigger: string(measures.TriggerPHQ9Item9)}), fmt.Sprintf("measure %d is a gad7, not a phq9", gad7)},

		{"no actions", record(open), "no action given"},
		{"empty list of actions", func() error { return s.RecordSafety(ctx, open, []string{}, "", t0) }, "no action given"},
		{"unknown action", record(open, "asked_directly", "called_police"), `unknown safety action "called_police"`},
		{"empty action", record(open, ""), `unknown safety action ""`},
		{"action twice", record(open, "stayed_on_line", "transferred", "stayed_on_line"), `"stayed_on_line" is given twice`},
		{"note too long", func() error { return s.RecordSafety(ctx, open, []string{"asked_directly"}, huge, t0) }, tooLong},
		{"missing event", record(missing, "asked_directly"), "record safety event 4242: not found"},
		{"already recorded", record(recorded, "transferred"), fmt.Sprintf("record safety event %d: what was done was already recorded", recorded)},

		{"review with no call", review(pid, 0), "no call given"},
		{"review in a missing call", review(pid, missing), "call 4242: not found"},
		{"review in another person's call", review(pid, otherCall), fmt.Sprintf("call %d was not with person %d", otherCall, pid)},
		{"review of a missing person", review(missing, later), fmt.Sprintf("call %d was not with person 4242", later)},
		{"review with a panel left open", review(pid, later), fmt.Sprintf("safety event %d has nothing recorded yet", open)},
		{"review without a reason", reviewFor(""), "reason: say briefly why the flag is cleared"},
		{"review with only spaces", reviewFor("   "), "reason: say briefly why the flag is cleared"},
		{"review with a long reason", reviewFor(strings.Repeat("x", measures.MaxClearReason+1)), "characters is too long"},

		{"item 9 closed as opened by mistake", record(openItem9, "opened_by_mistake"), "cannot be closed as opened by mistake"},
		{"opened by mistake with something done", record(open, "asked_directly", "opened_by_mistake"), "opened by mistake is recorded alone"},
	}
	expectRefused(t, s, tests, func() string { return safetyOf(t, s, pid) + "\n--\n" + safetyOf(t, s, other) })
}

// TestSafetyEventSurvivesUnclosedStore: a raised event is in the file the
// moment RaiseSafety returns, though the Store that wrote it was never
// closed: a second Store sees it open and the person flagged.
func TestSafetyEventSurvivesUnclosedStore(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "c.db")
	a, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	pid, call := personWithCall(t, a, "Ann")
	id := mustRaise(t, a, SafetyEvent{PersonID: pid, CallID: call, Trigger: "coach"}, t0)

	b, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	want := SafetyEvent{ID: id, PersonID: pid, CallID: call, Trigger: "coach", RaisedAt: t0}
	if e, ok, err := b.OpenSafety(ctx, pid); err != nil || !ok || !reflect.DeepEqual(e, want) {
		t.Errorf("second Store's open event: %+v, %v, %v; want %+v", e, ok, err, want)
	}
	if flags := safetyFlags(t, b); !flags[pid] {
		t.Errorf("second Store's flags: %v; want person %d flagged", flags, pid)
	}
}

// TestSafetyEventSurvivesKill kills a process right after RaiseSafety
// returned, without closing anything: the event is in the file it leaves,
// open, to be recorded.
func TestSafetyEventSurvivesKill(t *testing.T) {
	if path := os.Getenv(killDBEnv); path != "" {
		raiseAndWait(path)
		return
	}
	path, rest := killedChild(t, "raised safety event ")
	var id, pid, call int64
	if _, err := fmt.Sscanf(rest, "%d for person %d in call %d", &id, &pid, &call); err != nil {
		t.Fatalf("child reported %q: %v", rest, err)
	}
	ctx := context.Background()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	want := SafetyEvent{ID: id, PersonID: pid, CallID: call, Trigger: string(measures.TriggerPHQ9Item9), RaisedAt: t0}
	if e, ok, err := s.OpenSafety(ctx, pid); err != nil || !ok || !reflect.DeepEqual(e, want) {
		t.Errorf("open event after kill: %+v, %v, %v; want %+v", e, ok, err, want)
	}
	if flags := safetyFlags(t, s); !flags[pid] {
		t.Errorf("flags after kill: %v; want person %d flagged", flags, pid)
	}
	mustRecord(t, s, id, []string{"asked_directly", "stayed_on_line"}, "", t0.Add(time.Minute))
}

// raiseAndWait is the child of TestSafetyEventSurvivesKill: the panel opens
// mid-questionnaire, before the measure is saved.
func raiseAndWait(path string) {
	ctx := context.Background()
	s, err := Open(ctx, path)
	if err != nil {
		childFailed(err)
	}
	pid, err := s.CreatePerson(ctx, coaching.Person{Name: "Ann", Status: coaching.StatusActive}, t0)
	if err != nil {
		childFailed(err)
	}
	c, err := s.StartCall(ctx, pid, coaching.RoleCoach, t0)
	if err != nil {
		childFailed(err)
	}
	id, err := s.RaiseSafety(ctx, SafetyEvent{PersonID: pid, CallID: c.ID, Trigger: string(measures.TriggerPHQ9Item9)}, t0)
	if err != nil {
		childFailed(err)
	}
	childWrote(fmt.Sprintf("raised safety event %d for person %d in call %d", id, pid, c.ID))
}

// TestMeasuresAndSafetyAfterMigrating: people and calls from files made
// before measures existed have none, are not flagged, and can be given
// measures and safety events.
func TestMeasuresAndSafetyAfterMigrating(t *testing.T) {
	for v := 1; v < 5; v++ {
		t.Run(fmt.Sprintf("from version %d", v), func(t *testing.T) {
			ctx := context.Background()
			s := openOldCaseload(t, v)
			if flags := safetyFlags(t, s); !reflect.DeepEqual(flags, map[int64]bool{1: false, 2: false}) {
				t.Errorf("flags after migrating: %v", flags)
			}
			for _, pid := range []int64{1, 2} {
				ms, err1 := s.MeasuresForPerson(ctx, pid)
				es, err2 := s.SafetyEvents(ctx, pid)
				_, open, err3 := s.OpenSafety(ctx, pid)
				if err := errors.Join(err1, err2, err3); err != nil || ms != nil || es != nil || open {
					t.Errorf("person %d after migrating: measures %v, events %v, open %v, %v", pid, ms, es, open, err)
				}
			}
			measure := mustSaveMeasure(t, s, phq9(1, 7), t0)
			mustRaise(t, s, SafetyEvent{PersonID: 1, CallID: 7, MeasureID: measure, Trigger: string(measures.TriggerPHQ9Item9)}, t0)
			if ms, err := s.MeasuresForPerson(ctx, 1); err != nil || len(ms) != 1 || len(ms[0].Answers) != 9 {
				t.Errorf("measures: %+v, %v", ms, err)
			}
			if flags := safetyFlags(t, s); !reflect.DeepEqual(flags, map[int64]bool{1: true, 2: false}) {
				t.Errorf("flags after an event: %v", flags)
			}
		})
	}
}

func TestDeletingCascadesMeasuresAndSafety(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	ann, annCall := personWithCall(t, s, "Ann")
	bob, bobCall := personWithCall(t, s, "Bob")
	measureOf := map[int64]int64{}
	nextCalls := map[int64]int64{}
	for pid, call := range map[int64]int64{ann: annCall, bob: bobCall} {
		measureOf[pid] = mustSaveMeasure(t, s, phq9(pid, call), t0)
		e := mustRaise(t, s, SafetyEvent{PersonID: pid, CallID: call, MeasureID: measureOf[pid], Trigger: string(measures.TriggerPHQ9Item9)}, t0)
		mustRecord(t, s, e, []string{"asked_directly"}, "", t0)
		nextCalls[pid] = mustStartCall(t, s, pid, t0.Add(time.Hour))
		if err := s.ReviewSafety(ctx, pid, nextCalls[pid], "safe", t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
	}

	// Deleting a measure (only the sqlite3 CLI would) takes its answers
	// and unlinks the event it raised.
	mustExec(t, s.rw, "DELETE FROM measures WHERE id = ?", measureOf[ann])
	var items int
	if err := s.ro.QueryRow("SELECT count(*) FROM measure_items WHERE measure_id = ?", measureOf[ann]).Scan(&items); err != nil || items != 0 {
		t.Errorf("%d answers of the deleted measure left, %v", items, err)
	}
	if es, err := s.SafetyEvents(ctx, ann); err != nil || len(es) != 1 || es[0].MeasureID != 0 || es[0].CallID != annCall {
		t.Errorf("event after deleting its measure: %+v, %v; want kept, unlinked from the measure only", es, err)
	}

	// Deleting calls keeps what was given and raised in them, unlinked.
	mustExec(t, s.rw, "DELETE FROM calls WHERE id IN (?, ?)", bobCall, nextCalls[bob])
	if ms, err := s.MeasuresForPerson(ctx, bob); err != nil || len(ms) != 1 || ms[0].CallID != 0 || len(ms[0].Answers) != 9 {
		t.Errorf("measure after deleting its call: %+v, %v; want kept, unlinked", ms, err)
	}
	es, err := s.SafetyEvents(ctx, bob)
	if err != nil || len(es) != 1 || es[0].CallID != 0 || es[0].ReviewedCallID != 0 || es[0].ReviewedAt.IsZero() || es[0].MeasureID != measureOf[bob] {
		t.Errorf("event after deleting its calls: %+v, %v; want kept, reviewed, unlinked from the calls only", es, err)
	}

	// Deleting a person removes everything of theirs and nothing else.
	mustExec(t, s.rw, "DELETE FROM people WHERE id = ?", ann)
	expectCascade(t, s, ann, bob,
		"measures WHERE person_id = %d",
		"measure_items WHERE measure_id IN (SELECT id FROM measures WHERE person_id = %d)",
		"safety_events WHERE person_id = %d",
	)
	var orphans int
	if err := s.ro.QueryRow("SELECT count(*) FROM measure_items WHERE measure_id NOT IN (SELECT id FROM measures)").Scan(&orphans); err != nil || orphans != 0 {
		t.Errorf("%d answers left pointing at deleted measures, %v", orphans, err)
	}
	if onPostgres() {
		return // PostgreSQL checks every foreign key as it is written; there is nothing to ask it
	}
	rows, err := s.ro.Query("PRAGMA foreign_key_check")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	if rows.Next() {
		t.Error("rows left pointing at deleted rows")
	}
}

// TestMeasureSafetySchema guards the schema's lists of instruments and
// triggers against drifting from the Store's, and its checks: each value
// allowed is accepted, and the schema itself refuses what is not, whatever
// the Go code lets through.
func TestMeasureSafetySchema(t *testing.T) {
	s := newStore(t)
	pid, call := personWithCall(t, s, "Ann")
	measure := mustSaveMeasure(t, s, MeasureRecord{PersonID: pid, Instrument: string(measures.PHQ2), Closing: -1}, t0)
	vals := func(vs ...any) [][]any {
		out := make([][]any, len(vs))
		for i, v := range vs {
			out[i] = []any{v}
		}
		return out
	}
	pairs := func(vs ...any) [][]any {
		var out [][]any
		for i := 0; i < len(vs); i += 2 {
			out = append(out, []any{vs[i], vs[i+1]})
		}
		return out
	}
	var instruments, triggers []any
	for _, inst := range measures.All() {
		instruments = append(instruments, string(inst.ID))
	}
	for _, tr := range measures.Triggers() {
		triggers = append(triggers, string(tr))
	}
	measureInsert := func(cols string) string {
		return "INSERT INTO measures (person_id, instrument, given_at, complete, scored, " + cols + ") VALUES (?, 'phq9', 'x', 1, 0, ?)"
	}
	eventInsert := func(cols string) string {
		return "INSERT INTO safety_events (person_id, trigger, raised_at, " + cols + ") VALUES (?, 'coach', 'x', ?, ?)"
	}
	tests := []struct {
		insert    string // with the owner's id and the values as parameters
		good, bad [][]any
	}{
		{"INSERT INTO measures (person_id, instrument, given_at, complete, scored) VALUES (?, ?, 'x', 0, 0)",
			vals(instruments...), vals("", "PHQ9", "phq8", nil)},
		{"INSERT INTO measures (person_id, instrument, given_at, scored, complete) VALUES (?, 'gad7', 'x', 0, ?)", vals(0, 1), vals(2, -1, nil)},
		{"INSERT INTO measures (person_id, instrument, given_at, complete, scored, total) VALUES (?, 'gad7', 'x', 1, ?, ?)",
			pairs(0, nil, 1, 0, 1, 6.5), pairs(1, nil, 0, 3, 2, 3, nil, nil)},
		{measureInsert("band"), vals("", "mild"), vals(nil)},
		{measureInsert("closing"), vals(nil, 0, 3), vals(-1)},
		{"INSERT INTO measure_items (measure_id, item, answer) VALUES (?, ?, 0)", vals(1, 9), vals(0, -1, nil)},
		{"INSERT INTO measure_items (measure_id, item, answer) VALUES (?, (SELECT max(item) + 1 FROM measure_items), ?)",
			vals(-1, 0, 10), vals(-2, nil)},
		{"INSERT INTO safety_events (person_id, trigger, raised_at) VALUES (?, ?, 'x')", vals(triggers...), vals("", "phq9", "Coach", nil)},
		{eventInsert("actions, recorded_at"), pairs("", nil, "asked_directly", "x"), pairs("", "x", "asked_directly", nil)},
		{eventInsert("recorded_at, reviewed_at"), nil, pairs(nil, "x")},
		{"INSERT INTO safety_events (person_id, trigger, raised_at, actions, recorded_at, reviewed_at, reviewed_call_id) VALUES (?, 'coach', 'x', 'transferred', 'x', ?, ?)",
			pairs("x", call, "x", nil, nil, nil), pairs(nil, call)},
		{"INSERT INTO safety_events (person_id, trigger, raised_at, actions, recorded_at, reviewed_at, review_reason) VALUES (?, 'coach', 'x', 'transferred', 'x', ?, ?)",
			pairs("x", "safe", "x", "", nil, ""), pairs(nil, "safe", "x", nil)},
	}
	for _, tt := range tests {
		owner := pid
		if strings.HasPrefix(tt.insert, "INSERT INTO measure_items") {
			owner = measure
		}
		for _, v := range tt.good {
			if _, err := s.rw.Exec(tt.insert, append([]any{owner}, v...)...); err != nil {
				t.Errorf("%s with %v: %v", tt.insert, v, err)
			}
		}
		for _, v := range tt.bad {
			if _, err := s.rw.Exec(tt.insert, append([]any{owner}, v...)...); err == nil {
				t.Errorf("%s with %#v was accepted", tt.insert, v)
			}
		}
	}
	var n int
	if err := s.ro.QueryRow("SELECT count(*) FROM measure_items WHERE measure_id = ? AND item = 1", measure).Scan(&n); err != nil || n != 1 {
		t.Errorf("%d answers to item 1, %v; want 1", n, err)
	}
	if _, err := s.rw.Exec("INSERT INTO measure_items (measure_id, item, answer) VALUES (?, 1, 2)", measure); err == nil {
		t.Error("a second answer to the same item was accepted")
	}
}

// TestPendingSafety: the Store picks a person's flagged and open events by
// measures.PendingSafety, and OpenSafety's query finds the same open one.
func TestPendingSafety(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	const (
		raised   = "raised"
		recorded = "recorded"
		reviewed = "reviewed"
	)
	tests := []struct {
		name       string
		events     []string // oldest first
		flag, open int      // index in events, or -1
	}{
		{"none", nil, -1, -1},
		{"reviewed", []string{reviewed}, -1, -1},
		{"recorded", []string{recorded}, 0, -1},
		{"left open", []string{raised}, -1, 0},
		{"the newest of each", []string{raised, recorded, reviewed, raised, recorded}, 4, 3},
		{"an old flag under a newer review", []string{recorded, reviewed}, 0, -1},
	}
	for i, tc := range tests {
		pid := createPerson(t, s, coaching.Person{Name: fmt.Sprintf("Person %d", i)})
		ids := make([]int64, len(tc.events))
		for j, state := range tc.events {
			at := formatTime(t0.Add(time.Duration(j) * time.Minute))
			var actions string
			var recordedAt, reviewedAt any
			if state != raised {
				actions, recordedAt = "asked_directly", at
			}
			if state == reviewed {
				reviewedAt = at
			}
			err := s.rw.QueryRow(`INSERT INTO safety_events (person_id, trigger, raised_at, actions, recorded_at, reviewed_at)
				VALUES (?, 'coach', ?, ?, ?, ?) RETURNING id`, pid, at, actions, recordedAt, reviewedAt).Scan(&ids[j])
			if err != nil {
				t.Fatal(err)
			}
		}
		want := func(i int) int64 {
			if i < 0 {
				return 0
			}
			return ids[i]
		}
		id := func(e *SafetyEvent) int64 {
			if e == nil {
				return 0
			}
			return e.ID
		}
		flag, open, err := s.PendingSafety(ctx, pid)
		if err != nil || id(flag) != want(tc.flag) || id(open) != want(tc.open) {
			t.Errorf("%s: PendingSafety = flag %d open %d, %v; want %d %d", tc.name, id(flag), id(open), err, want(tc.flag), want(tc.open))
		}
		e, ok, err := s.OpenSafety(ctx, pid)
		if err != nil || ok != (tc.open >= 0) || e.ID != want(tc.open) {
			t.Errorf("%s: OpenSafety = %d, %v, %v; want %d", tc.name, e.ID, ok, err, want(tc.open))
		}
	}
}

// TestSchemaListsMatchTheRegistry reads the CHECK lists of the migrated
// schema: the instruments a measure may be and the triggers a safety event
// may have are exactly the registry's, so an instrument added to the
// registry without a migration (or the other way round) fails here.
func TestSchemaListsMatchTheRegistry(t *testing.T) {
	s := newStore(t)
	checkList := func(table, column string) []string {
		t.Helper()
		var ddl string
		list := `CHECK \(` + column + ` IN \(([^)]*)\)\)`
		if onPostgres() {
			// PostgreSQL gives a CHECK back as ((c = ANY (ARRAY['a'::text, ...]))).
			list = `\(` + column + ` = ANY \(ARRAY\[([^\]]*)\]\)\)`
		}
		if err := s.ro.QueryRow(bySQL("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
			"SELECT string_agg(pg_get_constraintdef(oid), ' ') FROM pg_constraint WHERE conrelid = CAST(? AS regclass) AND contype = 'c'"),
			table).Scan(&ddl); err != nil {
			t.Fatal(err)
		}
		m := regexp.MustCompile(list).FindStringSubmatch(ddl)
		if m == nil {
			t.Fatalf("no CHECK (%s IN (...)) in %s", column, ddl)
		}
		var out []string
		for _, v := range strings.Split(m[1], ",") {
			out = append(out, strings.Trim(strings.TrimSuffix(strings.TrimSpace(v), "::text"), "'"))
		}
		slices.Sort(out)
		return out
	}
	var ids, triggers []string
	for _, inst := range measures.All() {
		ids = append(ids, string(inst.ID))
	}
	for _, tr := range measures.Triggers() {
		triggers = append(triggers, string(tr))
	}
	slices.Sort(ids)
	slices.Sort(triggers)
	if got := checkList("measures", "instrument"); !slices.Equal(got, ids) {
		t.Errorf("the schema allows instruments %q; the registry has %q", got, ids)
	}
	if got := checkList("safety_events", "trigger"); !slices.Equal(got, triggers) {
		t.Errorf("the schema allows triggers %q; the registry has %q", got, triggers)
	}
}

// TestSafetyQueryPlan guards the promise that the caseload's safety flag
// is one seek per row of the page in the index of unreviewed events, in
// every section, and that a person's events are read in order from their
// index without a sort.
func TestSafetyQueryPlan(t *testing.T) {
	sqliteOnly(t, "reads SQLite's query plans (PostgreSQL's are held by its benchmarks at scale)")
	s := newStore(t)
	seedCaseload(t, s, 300, 3)
	seedPlans(t, s, 3)
	seedSafety(t, s, 3)
	// Every section's rows, whatever the filter, are read by caseloadRowSQL.
	plan := explain(t, s, caseloadRowSQL+" = ?", 1)
	seeks := 0
	for _, l := range plan {
		if strings.HasPrefix(l.detail, "SEARCH e USING ") && strings.HasSuffix(l.detail, "INDEX safety_events_unreviewed (person_id=?)") {
			seeks++
		}
		if strings.HasPrefix(l.detail, "SCAN e") || strings.Contains(l.detail, "safety_events_person") {
			t.Errorf("caseload row: %s", l.detail)
		}
	}
	if seeks != 1 {
		t.Errorf("caseload row: %d seeks in safety_events_unreviewed, want 1; plan:\n%s", seeks, planText(plan))
	}
	for _, query := range []string{personSafetySQL, openSafetySQL} {
		plan := explain(t, s, query, 1)
		if len(plan) != 1 || plan[0].detail != "SEARCH safety_events USING INDEX safety_events_person (person_id=?)" {
			t.Errorf("%s:\n%s", query, planText(plan))
		}
	}
	// A measure's safety event is one seek per measure.
	if plan := planText(explain(t, s, personMeasuresSQL, 1)); !strings.Contains(plan, "SEARCH e USING COVERING INDEX safety_events_measure (measure_id=?)") {
		t.Errorf("%s:\n%s", personMeasuresSQL, plan)
	}
}

// TestSaveMeasureLinksItsSafetyEvent: the panel opens as item 9 is
// answered, before the PHQ-9 is saved; saving it links the event to it, in
// the same transaction, and the link is read back both ways.
func TestSaveMeasureLinksItsSafetyEvent(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	pid, call := personWithCall(t, s, "Ann")
	event := mustRaise(t, s, SafetyEvent{PersonID: pid, CallID: call, Trigger: string(measures.TriggerPHQ9Item9)}, t0)
	mustRecord(t, s, event, []string{"asked_directly"}, "", t0.Add(time.Minute))
	m := phq9(pid, call)
	m.SafetyEventID = event
	id := mustSaveMeasure(t, s, m, t0.Add(2*time.Minute))
	unlinked := mustSaveMeasure(t, s, phq9(pid, call), t0.Add(3*time.Minute))

	es, err := s.SafetyEvents(ctx, pid)
	if err != nil || len(es) != 1 || es[0].MeasureID != id {
		t.Fatalf("events %+v, %v; want the one linked to measure %d", es, err, id)
	}
	ms, err := s.MeasuresForPerson(ctx, pid)
	if err != nil || len(ms) != 2 || ms[0].ID != id || ms[0].SafetyEventID != event || ms[1].ID != unlinked || ms[1].SafetyEventID != 0 {
		t.Fatalf("measures %+v, %v; want measure %d linked to event %d, measure %d to none", ms, err, id, event, unlinked)
	}
	// What a second connection sees, as the sqlite3 CLI would.
	var linked int64
	if err := secondConnection(t, s).QueryRow("SELECT measure_id FROM safety_events WHERE id = ?", event).Scan(&linked); err != nil || linked != id {
		t.Errorf("the file links event %d to measure %d, %v; want %d", event, linked, err, id)
	}
}

// TestSafetyOpenedByMistake: the coach's own panel closed as opened by
// mistake is recorded with the time, reviewed at once, and never flags;
// a later review leaves it as it was.
func TestSafetyOpenedByMistake(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	pid, call := personWithCall(t, s, "Ann")
	id := mustRaise(t, s, SafetyEvent{PersonID: pid, CallID: call, Trigger: "coach"}, t0.Add(time.Minute))
	if !safetyFlags(t, s)[pid] {
		t.Fatal("an open panel does not flag the person")
	}
	at := t0.Add(90 * time.Second)
	mustRecord(t, s, id, []string{"opened_by_mistake"}, "", at)
	want := SafetyEvent{ID: id, PersonID: pid, CallID: call, Trigger: "coach", RaisedAt: t0.Add(time.Minute),
		Actions: []string{"opened_by_mistake"}, RecordedAt: at, ReviewedAt: at}
	check := func(when string) {
		t.Helper()
		es, err := s.SafetyEvents(ctx, pid)
		if err != nil || len(es) != 1 || !reflect.DeepEqual(es[0], want) {
			t.Errorf("%s: events %+v, %v\nwant %+v", when, es, err, want)
		}
		flag, open, err := s.PendingSafety(ctx, pid)
		if err != nil || flag != nil || open != nil {
			t.Errorf("%s: PendingSafety = %v, %v, %v; want nothing pending", when, flag, open, err)
		}
		if safetyFlags(t, s)[pid] {
			t.Errorf("%s: the caseload flags the person", when)
		}
	}
	check("recorded")
	later := mustStartCall(t, s, pid, t0.Add(24*time.Hour))
	if err := s.ReviewSafety(ctx, pid, later, "asked; fine", t0.Add(25*time.Hour)); err != nil {
		t.Fatal(err)
	}
	check("after a later review")
}

// TestSafetyFlagAgreesWithCoaching: the caseload's flag (SQL) flags a
// person exactly when measures.PendingSafety finds an event open or
// flagged, for every mix of events below, each written through the Store
// as the app writes it.
func TestSafetyFlagAgreesWithCoaching(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	const (
		raised   = "raised"
		recorded = "recorded"
		mistake  = "opened by mistake"
		reviewed = "reviewed"
	)
	cases := []struct {
		events []string // oldest first
		flag   bool
	}{
		{nil, false},
		{[]string{raised}, true},
		{[]string{recorded}, true},
		{[]string{mistake}, false},
		{[]string{reviewed}, false},
		{[]string{mistake, mistake}, false},
		{[]string{recorded, mistake}, true},
		{[]string{mistake, recorded}, true},
		{[]string{mistake, raised}, true},
		{[]string{reviewed, mistake}, false},
		{[]string{mistake, reviewed, raised, recorded}, true},
	}
	for i, tc := range cases {
		name := fmt.Sprintf("Person %c", 'A'+i)
		pid, call := personWithCall(t, s, name)
		for j, state := range tc.events {
			at := t0.Add(time.Duration(j+1) * time.Hour)
			id := mustRaise(t, s, SafetyEvent{PersonID: pid, CallID: call, Trigger: "coach"}, at)
			switch state {
			case recorded:
				mustRecord(t, s, id, []string{"asked_directly"}, "", at)
			case mistake:
				mustRecord(t, s, id, []string{"opened_by_mistake"}, "", at)
			case reviewed: // at a later call; the table has none pending before it
				mustRecord(t, s, id, []string{"no_current_risk"}, "", at)
				call = mustStartCall(t, s, pid, at.Add(time.Minute))
				if err := s.ReviewSafety(ctx, pid, call, "asked; safe", at.Add(2*time.Minute)); err != nil {
					t.Fatal(err)
				}
			}
		}
		flag, open, err := s.PendingSafety(ctx, pid)
		if err != nil {
			t.Fatal(err)
		}
		coachingFlags := flag != nil || open != nil
		rows, err := s.rowsOf(ctx, CaseloadQuery{Filter: name, Section: SectionAll})
		if err != nil || len(rows) != 1 {
			t.Fatalf("%v: caseload %+v, %v", tc.events, rows, err)
		}
		if rows[0].SafetyFlag != coachingFlags || coachingFlags != tc.flag {
			t.Errorf("%v: the caseload flags %v, measures.PendingSafety %v (flag %v, open %v); want %v",
				tc.events, rows[0].SafetyFlag, coachingFlags, flag, open, tc.flag)
		}
	}
}

// TestSafetyReviewReasonAfterMigrating: events reviewed before version 10
// keep their review, with no reason; one still flagged is cleared with a
// reason after it.
func TestSafetyReviewReasonAfterMigrating(t *testing.T) {
	ctx := context.Background()
	s := openOldCaseload(t, 8,
		`INSERT INTO safety_events (id, person_id, call_id, trigger, raised_at, actions, recorded_at, reviewed_at, reviewed_call_id)
			VALUES (1, 1, 7, 'coach', '2026-11-01T10:00:00Z', 'asked_directly', '2026-11-01T10:05:00Z', '2026-11-08T10:00:00Z', NULL),
			(2, 1, 7, 'coach', '2026-11-01T10:06:00Z', 'stayed_on_line', '2026-11-01T10:07:00Z', NULL, NULL)`)
	es, err := s.SafetyEvents(ctx, 1)
	if err != nil || len(es) != 2 || es[1].ReviewedAt.IsZero() || es[1].ReviewReason != "" || !es[0].ReviewedAt.IsZero() {
		t.Fatalf("events after migrating: %+v, %v", es, err)
	}
	later := mustStartCall(t, s, 1, t0.Add(24*time.Hour))
	if err := s.ReviewSafety(ctx, 1, later, "asked; safe now", t0.Add(25*time.Hour)); err != nil {
		t.Fatal(err)
	}
	es, err = s.SafetyEvents(ctx, 1)
	if err != nil || es[0].ReviewReason != "asked; safe now" || es[1].ReviewReason != "" || !es[1].ReviewedAt.Equal(time.Date(2026, 11, 8, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("events after a review: %+v, %v; want the new reason on the one flagged only", es, err)
	}
}
