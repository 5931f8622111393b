package storage

import (
	"context"
	"errors"
	"math/rand/v2"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"callcoach/coaching"
)

func TestCallLifecycle(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	pid := createPerson(t, s, coaching.Person{Name: "Ann"})

	start := t0.Add(500 * time.Millisecond) // stored to the second
	c, err := s.StartCall(ctx, pid, coaching.RoleCoach, start)
	if err != nil {
		t.Fatal(err)
	}
	want := coaching.Call{ID: c.ID, PersonID: pid, Role: coaching.RoleCoach, StartedAt: t0, UpdatedAt: t0}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("StartCall = %+v, want %+v", c, want)
	}
	got, err := s.GetCall(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) || !got.Unfinished() {
		t.Errorf("GetCall = %+v, want %+v, unfinished", got, want)
	}

	notes := string([]rune(strings.Repeat("Walks after lunch, 3 days. مريم 🌻\n", 400))[:10_000])
	if applied, err := s.SaveNotes(ctx, c.ID, notes, 1, t0.Add(time.Minute)); err != nil || !applied {
		t.Fatalf("SaveNotes = %v, %v", applied, err)
	}
	end := t0.Add(14*time.Minute + 3*time.Second)
	if err := s.EndCall(ctx, c.ID, coaching.OutcomeReached, end); err != nil {
		t.Fatal(err)
	}
	got, err = s.GetCall(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	want.Notes, want.NotesRev, want.EndedAt, want.Outcome, want.UpdatedAt = notes, 1, end, coaching.OutcomeReached, end
	if !reflect.DeepEqual(got, want) {
		t.Errorf("after notes and end: got %+v\nwant %+v", got, want)
	}
	if n := utf8.RuneCountInString(got.Notes); got.Notes != notes || n != 10_000 {
		t.Errorf("notes of 10,000 characters came back as %d", n)
	}

	// Ending again corrects the outcome but keeps when the call ended.
	if err := s.EndCall(ctx, c.ID, coaching.OutcomeRescheduled, end.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, _ = s.GetCall(ctx, c.ID)
	if got.Outcome != coaching.OutcomeRescheduled || !got.EndedAt.Equal(end) {
		t.Errorf("after a second EndCall: outcome %q ended %v; want rescheduled, %v", got.Outcome, got.EndedAt, end)
	}
}

func TestEndCallRefusesNoOutcome(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	c, err := s.StartCall(ctx, createPerson(t, s, coaching.Person{Name: "Ann"}), coaching.RoleCoach, t0)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range []coaching.Outcome{coaching.OutcomeNone, "hung_up"} {
		if err := s.EndCall(ctx, c.ID, o, t0); err == nil {
			t.Errorf("EndCall with outcome %q succeeded", o)
		}
	}
	got, err := s.GetCall(ctx, c.ID)
	if err != nil || !got.Unfinished() || got.Outcome != coaching.OutcomeNone {
		t.Errorf("call after refused ends: %+v, %v; want unfinished", got, err)
	}
}

func TestSaveNotesRevisions(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	c, err := s.StartCall(ctx, createPerson(t, s, coaching.Person{Name: "Ann"}), coaching.RoleCoach, t0)
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		notes     string
		rev       int64
		applied   bool
		wantNotes string
		wantRev   int64
	}{
		{"first", 0, false, "", 0}, // revisions start above the stored 0
		{"rev 2", 2, true, "rev 2", 2},
		{"rev 1, slow", 1, false, "rev 2", 2},
		{"rev 2 again", 2, false, "rev 2", 2},
		{"rev 5", 5, true, "rev 5", 5},
		{"", 6, true, "", 6}, // clearing the notes is a save like any other
	}
	for i, st := range steps {
		applied, err := s.SaveNotes(ctx, c.ID, st.notes, st.rev, t0.Add(time.Duration(i)*time.Second))
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if applied != st.applied {
			t.Errorf("step %d (rev %d): applied = %v, want %v", i, st.rev, applied, st.applied)
		}
		got, err := s.GetCall(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Notes != st.wantNotes || got.NotesRev != st.wantRev {
			t.Errorf("step %d (rev %d): notes = %q at rev %d, want %q at rev %d", i, st.rev, got.Notes, got.NotesRev, st.wantNotes, st.wantRev)
		}
	}
}

func TestSaveNotesOutOfOrderConcurrently(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	c, err := s.StartCall(ctx, createPerson(t, s, coaching.Person{Name: "Ann"}), coaching.RoleCoach, t0)
	if err != nil {
		t.Fatal(err)
	}
	const n = 40
	revs := rand.New(rand.NewPCG(1, 2)).Perm(n)
	var wg sync.WaitGroup
	for _, r := range revs {
		wg.Go(func() {
			rev := int64(r + 1)
			if _, err := s.SaveNotes(ctx, c.ID, "notes at rev "+string(rune('A'+r)), rev, t0); err != nil {
				t.Errorf("rev %d: %v", rev, err)
			}
		})
	}
	wg.Wait()
	got, err := s.GetCall(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := "notes at rev " + string(rune('A'+n-1)); got.Notes != want || got.NotesRev != n {
		t.Errorf("notes = %q at rev %d, want the newest, %q at rev %d", got.Notes, got.NotesRev, want, n)
	}
}

func TestSaveNotesErrorsNameNoNotes(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	_, err := s.SaveNotes(ctx, 99, "private words", 1, t0)
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("missing call: err = %v, want ErrNotFound", err)
	}
	if err == nil || strings.Contains(err.Error(), "private") || !strings.Contains(err.Error(), "save notes for call 99") {
		t.Errorf("error %q", err)
	}

	c, err := s.StartCall(ctx, createPerson(t, s, coaching.Person{Name: "Ann"}), coaching.RoleCoach, t0)
	if err != nil {
		t.Fatal(err)
	}
	huge := "private " + strings.Repeat("x", coaching.MaxNotesLen)
	applied, err := s.SaveNotes(ctx, c.ID, huge, 1, t0)
	if err == nil || applied {
		t.Fatalf("notes over MaxNotesLen: applied %v, err %v", applied, err)
	}
	if strings.Contains(err.Error(), "private") {
		t.Errorf("error %.80q... contains the notes", err)
	}
}

func TestCallNotFound(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	if _, err := s.GetCall(ctx, 7); !errors.Is(err, ErrNotFound) {
		t.Errorf("GetCall: err = %v, want ErrNotFound", err)
	}
	if err := s.EndCall(ctx, 7, coaching.OutcomeReached, t0); !errors.Is(err, ErrNotFound) {
		t.Errorf("EndCall: err = %v, want ErrNotFound", err)
	}
	// StartCall for a missing person is refused by the foreign key.
	if _, err := s.StartCall(ctx, 12345, coaching.RoleCoach, t0); !errors.Is(err, ErrNotFound) {
		t.Errorf("StartCall for a missing person: err = %v, want ErrNotFound", err)
	}
	var n int
	if err := s.ro.QueryRow("SELECT count(*) FROM calls").Scan(&n); err != nil || n != 0 {
		t.Errorf("%d calls stored, %v; want none", n, err)
	}
}

func TestForeignKeysEnforced(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	_, err := s.rw.ExecContext(ctx, "INSERT INTO calls (person_id, started_at, updated_at) VALUES (999, 'x', 'x')")
	if !isForeignKeyViolation(err) {
		t.Errorf("call for a missing person: err = %v, want a foreign key violation", err)
	}

	pid := createPerson(t, s, coaching.Person{Name: "Ann"})
	for range 2 {
		if _, err := s.StartCall(ctx, pid, coaching.RoleCoach, t0); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.rw.ExecContext(ctx, "DELETE FROM people WHERE id = ?", pid); err != nil {
		t.Fatal(err)
	}
	if calls, err := s.CallsForPerson(ctx, pid, 0); err != nil || len(calls) != 0 {
		t.Errorf("calls left after their person was deleted: %d, %v", len(calls), err)
	}
}

func TestCallsForPerson(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	ann := createPerson(t, s, coaching.Person{Name: "Ann"})
	bob := createPerson(t, s, coaching.Person{Name: "Bob"})

	// Started out of order; two in the same second, where the later id is newer.
	starts := []time.Time{t0.Add(2 * time.Hour), t0, t0.Add(5 * time.Hour), t0.Add(5 * time.Hour)}
	var ids []int64
	for i, at := range starts {
		c, err := s.StartCall(ctx, ann, coaching.RoleCoach, at)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.SaveNotes(ctx, c.ID, "note "+string(rune('a'+i)), 1, at); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	if _, err := s.StartCall(ctx, bob, coaching.RoleCoach, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}

	newestFirst := []int64{ids[3], ids[2], ids[0], ids[1]}
	for _, tt := range []struct {
		limit int
		want  []int64
	}{
		{0, newestFirst},
		{-1, newestFirst},
		{2, newestFirst[:2]},
		{10, newestFirst},
	} {
		calls, err := s.CallsForPerson(ctx, ann, tt.limit)
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for _, c := range calls {
			got = append(got, c.ID)
			if c.PersonID != ann || !strings.HasPrefix(c.Notes, "note ") || c.NotesRev != 1 {
				t.Errorf("call %d: person %d, notes %q at rev %d", c.ID, c.PersonID, c.Notes, c.NotesRev)
			}
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("limit %d: ids %v, want %v", tt.limit, got, tt.want)
		}
	}
	if calls, err := s.CallsForPerson(ctx, 999, 0); err != nil || len(calls) != 0 {
		t.Errorf("calls for nobody: %v, %v", calls, err)
	}
}
