package storage

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"callcoach/coaching"
)

// newCall stores a person and starts a coach's call to them at t0.
func newCall(tb testing.TB, s *Store) int64 {
	tb.Helper()
	ctx := context.Background()
	pid, err := s.CreatePerson(ctx, coaching.Person{Name: "Ann", Status: coaching.StatusActive}, t0)
	if err != nil {
		tb.Fatalf("CreatePerson: %v", err)
	}
	c, err := s.StartCall(ctx, pid, coaching.RoleCoach, t0)
	if err != nil {
		tb.Fatalf("StartCall: %v", err)
	}
	return c.ID
}

func TestStageVisitsInOrder(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	call, other := newCall(t, s), newCall(t, s)
	if v, err := s.StageVisits(ctx, call); err != nil || len(v) != 0 {
		t.Fatalf("visits of a new call: %v, %v", v, err)
	}
	// Jumping about, back to a stage already seen, and two in one second:
	// the order is the order entered, not the order of the times.
	want := []coaching.StageVisit{
		{Stage: coaching.StageEngage, At: t0},
		{Stage: coaching.StageExplore, At: t0.Add(3 * time.Minute)},
		{Stage: coaching.StageConfidence, At: t0.Add(9 * time.Minute)},
		{Stage: coaching.StagePlan, At: t0.Add(9 * time.Minute)},
		{Stage: coaching.StageEngage, At: t0.Add(8 * time.Minute)}, // a clock set back
		{Stage: coaching.StageClose, At: t0.Add(12 * time.Minute)},
	}
	for i, v := range want {
		if err := s.EnterStage(ctx, call, v.Stage, v.At.Add(300*time.Millisecond)); err != nil {
			t.Fatalf("visit %d: %v", i, err)
		}
		if i == 2 {
			if err := s.EnterStage(ctx, other, coaching.StageReview, t0); err != nil {
				t.Fatal(err)
			}
		}
	}
	got, err := s.StageVisits(ctx, call)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("visits:\n got %v\nwant %v", got, want)
	}
	got, err = s.StageVisits(ctx, other)
	if wantOther := []coaching.StageVisit{{Stage: coaching.StageReview, At: t0}}; err != nil || !reflect.DeepEqual(got, wantOther) {
		t.Errorf("other call's visits: %v, %v; want %v", got, err, wantOther)
	}
}

func TestTallyWithUndo(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	calls := []int64{newCall(t, s), newCall(t, s)}
	const (
		oq = coaching.TallyOpenQuestion
		sr = coaching.TallySimpleReflection
		cr = coaching.TallyComplexReflect
		af = coaching.TallyAffirmation
	)
	steps := []struct {
		call     int                // index into calls
		mark     coaching.TallyKind // "" undoes
		wantUndo coaching.TallyKind // what the undo took back, "" for nothing
		want     [2]coaching.Tally  // both calls' tallies after the step
	}{
		{0, "", "", [2]coaching.Tally{{}, {}}}, // nothing to undo
		{0, oq, "", [2]coaching.Tally{{oq: 1}, {}}},
		{0, sr, "", [2]coaching.Tally{{oq: 1, sr: 1}, {}}},
		{0, oq, "", [2]coaching.Tally{{oq: 2, sr: 1}, {}}},
		{1, cr, "", [2]coaching.Tally{{oq: 2, sr: 1}, {cr: 1}}},
		{0, "", oq, [2]coaching.Tally{{oq: 1, sr: 1}, {cr: 1}}}, // the newest of call 0, not call 1's
		{0, "", sr, [2]coaching.Tally{{oq: 1}, {cr: 1}}},        // undo twice: the one before
		{0, af, "", [2]coaching.Tally{{oq: 1, af: 1}, {cr: 1}}},
		{0, "", af, [2]coaching.Tally{{oq: 1}, {cr: 1}}},
		{0, "", oq, [2]coaching.Tally{{}, {cr: 1}}},
		{0, "", "", [2]coaching.Tally{{}, {cr: 1}}}, // all undone
		{1, "", cr, [2]coaching.Tally{{}, {}}},
	}
	for i, st := range steps {
		now := t0.Add(time.Duration(i) * time.Second)
		if st.mark != "" {
			if err := s.AddTallyMark(ctx, calls[st.call], st.mark, now); err != nil {
				t.Fatalf("step %d: %v", i, err)
			}
		} else {
			kind, ok, err := s.UndoTallyMark(ctx, calls[st.call], now)
			if err != nil {
				t.Fatalf("step %d: %v", i, err)
			}
			if kind != st.wantUndo || ok != (st.wantUndo != "") {
				t.Errorf("step %d: undo = %q, %v; want %q", i, kind, ok, st.wantUndo)
			}
		}
		for c, want := range st.want {
			got, err := s.Tally(ctx, calls[c])
			if err != nil {
				t.Fatal(err)
			}
			if got == nil || !reflect.DeepEqual(got, want) {
				t.Errorf("step %d: call %d tally = %v, want %v", i, c, got, want)
			}
		}
	}
	// Undo keeps the history: every mark of call 0 is still there, each
	// with the time it was undone.
	var marks, undone int
	var lastUndo string
	if err := s.ro.QueryRow("SELECT count(*), count(undone_at), max(undone_at) FROM tally_marks WHERE call_id = ?", calls[0]).
		Scan(&marks, &undone, &lastUndo); err != nil {
		t.Fatal(err)
	}
	if marks != 4 || undone != 4 || lastUndo != formatTime(t0.Add(9*time.Second)) {
		t.Errorf("call 0 keeps %d marks, %d undone, last at %s; want 4, 4, %s", marks, undone, lastUndo, formatTime(t0.Add(9*time.Second)))
	}
}

func TestRulerInsertThenUpdate(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	call := newCall(t, s)
	if rs, err := s.Rulers(ctx, call); err != nil || len(rs) != 0 {
		t.Fatalf("rulers of a new call: %v, %v", rs, err)
	}
	importance := coaching.Ruler{CallID: call, Kind: coaching.RulerImportance, Score: 6, About: "walking after lunch 🚶"}
	id, err := s.SaveRuler(ctx, importance, t0)
	if err != nil || id == 0 {
		t.Fatalf("SaveRuler (new) = %d, %v", id, err)
	}
	importance.ID, importance.At = id, t0
	confidence := coaching.Ruler{CallID: call, Kind: coaching.RulerConfidence, Score: 0, About: "walking", FollowUp: "my knees"}
	if confidence.ID, err = s.SaveRuler(ctx, confidence, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	confidence.At = t0.Add(time.Minute)

	// The follow-up answer comes after the score; the score is revised too.
	importance.Score, importance.FollowUp = 10, "I want to see my grandchildren grow up"
	if got, err := s.SaveRuler(ctx, importance, t0.Add(2*time.Minute)); err != nil || got != id {
		t.Fatalf("SaveRuler (update) = %d, %v; want %d", got, err, id)
	}
	got, err := s.Rulers(ctx, call)
	if err != nil {
		t.Fatal(err)
	}
	if want := []coaching.Ruler{importance, confidence}; !reflect.DeepEqual(got, want) {
		t.Errorf("rulers:\n got %+v\nwant %+v", got, want)
	}
	var asked, updated string
	if err := s.ro.QueryRow("SELECT asked_at, updated_at FROM rulers WHERE id = ?", id).Scan(&asked, &updated); err != nil {
		t.Fatal(err)
	}
	if asked != formatTime(t0) || updated != formatTime(t0.Add(2*time.Minute)) {
		t.Errorf("asked_at %s, updated_at %s; want %s, %s", asked, updated, formatTime(t0), formatTime(t0.Add(2*time.Minute)))
	}
}

func TestChangeTalkRoundTrip(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	call, other := newCall(t, s), newCall(t, s)
	quotes := []coaching.ChangeTalk{
		{Kind: coaching.TalkDesire, Quote: "I want to walk to the shops again"},
		{Kind: coaching.TalkSustain, Quote: "  it's too cold in the mornings  "}, // stored as said
		{Kind: coaching.TalkSteps, Quote: "مشيت أمس 🌻"},
		{Kind: coaching.TalkCommitment, Quote: strings.Repeat("I will. ", coaching.MaxNotesLen/8)},
	}
	var want []coaching.ChangeTalk
	for i, q := range quotes {
		q.CallID = call
		at := t0.Add(time.Duration(i) * time.Minute)
		id, err := s.AddChangeTalk(ctx, q, at)
		if err != nil {
			t.Fatalf("quote %d: %v", i, err)
		}
		q.ID, q.At = id, at
		want = append(want, q)
	}
	if _, err := s.AddChangeTalk(ctx, coaching.ChangeTalk{CallID: other, Kind: coaching.TalkNeed, Quote: "I have to"}, t0); err != nil {
		t.Fatal(err)
	}
	got, err := s.ChangeTalk(ctx, call)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("change talk: got %d quotes, want %d, or they differ", len(got), len(want))
		for i := range min(len(got), len(want)) {
			if !reflect.DeepEqual(got[i], want[i]) {
				t.Errorf("quote %d: got %.80q (%s, id %d, %v), want %.80q (%s, id %d, %v)", i,
					got[i].Quote, got[i].Kind, got[i].ID, got[i].At, want[i].Quote, want[i].Kind, want[i].ID, want[i].At)
			}
		}
	}
}

func TestStartCallRole(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	pid := createPerson(t, s, coaching.Person{Name: "Ann"})
	for _, tt := range []struct {
		role coaching.Role
		ok   bool
	}{
		{coaching.RoleCoach, true},
		{coaching.RolePeer, true},
		{"", false},
		{"volunteer", false},
	} {
		before, err := s.CallsForPerson(ctx, pid, 0)
		if err != nil {
			t.Fatal(err)
		}
		c, err := s.StartCall(ctx, pid, tt.role, t0)
		if !tt.ok {
			after, _ := s.CallsForPerson(ctx, pid, 0)
			if err == nil || !strings.Contains(err.Error(), "unknown role") || len(after) != len(before) {
				t.Errorf("role %q: err %v, %d calls after, %d before; want refused, none added", tt.role, err, len(after), len(before))
			}
			continue
		}
		if err != nil {
			t.Fatalf("role %q: %v", tt.role, err)
		}
		got, err := s.GetCall(ctx, c.ID)
		if err != nil || got.Role != tt.role || c.Role != tt.role || got.Summary != "" {
			t.Errorf("role %q: StartCall role %q, stored role %q, summary %q, %v", tt.role, c.Role, got.Role, got.Summary, err)
		}
	}
	calls, err := s.CallsForPerson(ctx, pid, 0)
	if err != nil || len(calls) != 2 || calls[0].Role != coaching.RolePeer || calls[1].Role != coaching.RoleCoach {
		t.Errorf("CallsForPerson: %+v, %v; want the peer's call, then the coach's", calls, err)
	}
}

func TestSaveSummary(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	call, other := newCall(t, s), newCall(t, s)
	for i, summary := range []string{"Walks after lunch, 3 days; review Friday.", "Revised: 2 days 🌧", ""} {
		at := t0.Add(time.Duration(i+1) * time.Minute)
		if err := s.SaveSummary(ctx, call, summary, at); err != nil {
			t.Fatal(err)
		}
		got, err := s.GetCall(ctx, call)
		if err != nil || got.Summary != summary || !got.UpdatedAt.Equal(at) {
			t.Errorf("after saving %q: summary %q, updated %v, %v", summary, got.Summary, got.UpdatedAt, err)
		}
	}
	if err := s.SaveSummary(ctx, call, "final", t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got, err := s.GetCall(ctx, other); err != nil || got.Summary != "" {
		t.Errorf("the other call's summary: %q, %v", got.Summary, err)
	}
}

// workspaceOf is everything the workspace has stored for a call, read back
// through the Store.
func workspaceOf(t *testing.T, s *Store, callID int64) string {
	t.Helper()
	ctx := context.Background()
	c, err1 := s.GetCall(ctx, callID)
	v, err2 := s.StageVisits(ctx, callID)
	tally, err3 := s.Tally(ctx, callID)
	r, err4 := s.Rulers(ctx, callID)
	ct, err5 := s.ChangeTalk(ctx, callID)
	if err := errors.Join(err1, err2, err3, err4, err5); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%+v\n%v\n%v\n%+v\n%+v", c, v, tally, r, ct)
}

func TestWorkspaceRefusals(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	call, other := newCall(t, s), newCall(t, s)
	if err := s.EnterStage(ctx, call, coaching.StageEngage, t0); err != nil {
		t.Fatal(err)
	}
	if err := s.AddTallyMark(ctx, call, coaching.TallyOpenQuestion, t0); err != nil {
		t.Fatal(err)
	}
	rulerID, err := s.SaveRuler(ctx, coaching.Ruler{CallID: call, Kind: coaching.RulerImportance, Score: 5, About: "walking"}, t0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddChangeTalk(ctx, coaching.ChangeTalk{CallID: call, Kind: coaching.TalkDesire, Quote: "I want to"}, t0); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveSummary(ctx, call, "so far", t0); err != nil {
		t.Fatal(err)
	}

	const missing = 4242
	huge := "private " + strings.Repeat("x", coaching.MaxNotesLen)
	ruler := func(r coaching.Ruler) func() error {
		return func() error { _, err := s.SaveRuler(ctx, r, t0.Add(time.Hour)); return err }
	}
	talk := func(ct coaching.ChangeTalk) func() error {
		return func() error { _, err := s.AddChangeTalk(ctx, ct, t0.Add(time.Hour)); return err }
	}
	imp := coaching.RulerImportance
	tooLong := fmt.Sprintf("at most %d fit", coaching.MaxNotesLen)
	tests := []struct {
		name  string
		write func() error
		says  string // what the error must say: the Store's own words, not the schema's
	}{
		{"unknown stage", func() error { return s.EnterStage(ctx, call, "evoke", t0) }, `unknown stage "evoke"`},
		{"empty stage", func() error { return s.EnterStage(ctx, call, "", t0) }, "unknown stage"},
		{"stage of a missing call", func() error { return s.EnterStage(ctx, missing, coaching.StagePlan, t0) }, "call 4242: not found"},
		{"unknown tally kind", func() error { return s.AddTallyMark(ctx, call, "question", t0) }, "unknown tally mark"},
		{"tally mark on a missing call", func() error { return s.AddTallyMark(ctx, missing, coaching.TallySummary, t0) }, "call 4242: not found"},
		{"undo on a missing call", func() error { _, _, err := s.UndoTallyMark(ctx, missing, t0); return err }, "call 4242: not found"},
		{"unknown ruler kind", ruler(coaching.Ruler{CallID: call, Kind: "readiness", Score: 5}), "unknown kind of ruler"},
		{"ruler score -1", ruler(coaching.Ruler{CallID: call, Kind: imp, Score: -1}), "from 0 to 10, not -1"},
		{"ruler score 11", ruler(coaching.Ruler{CallID: call, Kind: imp, Score: 11}), "from 0 to 10, not 11"},
		{"ruler update to 11", ruler(coaching.Ruler{ID: rulerID, CallID: call, Kind: imp, Score: 11}), "from 0 to 10, not 11"},
		{"ruler about too long", ruler(coaching.Ruler{CallID: call, Kind: imp, Score: 5, About: huge}), tooLong},
		{"ruler follow-up too long", ruler(coaching.Ruler{ID: rulerID, CallID: call, Kind: imp, Score: 5, FollowUp: huge}), tooLong},
		{"ruler of a missing call", ruler(coaching.Ruler{CallID: missing, Kind: imp, Score: 5, About: "private"}), "call 4242: not found"},
		{"missing ruler", ruler(coaching.Ruler{ID: missing, CallID: call, Kind: imp, Score: 5, FollowUp: "private"}), fmt.Sprintf("ruler %d in call %d: not found", missing, call)},
		{"ruler of another call", ruler(coaching.Ruler{ID: rulerID, CallID: other, Kind: imp, Score: 5}), fmt.Sprintf("ruler %d in call %d: not found", rulerID, other)},
		{"unknown talk kind", talk(coaching.ChangeTalk{CallID: call, Kind: "hope", Quote: "private words"}), "unknown kind of change talk"},
		{"empty quote", talk(coaching.ChangeTalk{CallID: call, Kind: coaching.TalkNeed}), "the quote is empty"},
		{"blank quote", talk(coaching.ChangeTalk{CallID: call, Kind: coaching.TalkNeed, Quote: " \t\n "}), "the quote is empty"},
		{"quote too long", talk(coaching.ChangeTalk{CallID: call, Kind: coaching.TalkNeed, Quote: huge}), tooLong},
		{"quote in a missing call", talk(coaching.ChangeTalk{CallID: missing, Kind: coaching.TalkNeed, Quote: "private words"}), "call 4242: not found"},
		{"summary too long", func() error { return s.SaveSummary(ctx, call, huge, t0.Add(time.Hour)) }, tooLong},
		{"summary of a missing call", func() error { return s.SaveSummary(ctx, missing, "private", t0) }, "call 4242: not found"},
	}
	expectRefused(t, s, tests, func() string { return workspaceOf(t, s, call) + "\n--\n" + workspaceOf(t, s, other) })
}

// TestWorkspaceSchemaMatchesCoaching guards the schema's lists of stages and
// kinds against drifting from coaching's: each value coaching has is
// accepted, and the schema itself refuses what is not one, whatever the Go
// code lets through.
func TestWorkspaceSchemaMatchesCoaching(t *testing.T) {
	s := newStore(t)
	call := newCall(t, s)
	var stages, tallies, talks []string
	for _, st := range coaching.DefaultFlow {
		stages = append(stages, string(st))
	}
	for _, k := range coaching.TallyKinds {
		tallies = append(tallies, string(k))
	}
	for _, c := range coaching.TalkChoices {
		talks = append(talks, string(c.Kind))
	}
	tests := []struct {
		insert string // with the call id and the value as parameters
		good   []string
		bad    []any
	}{
		{"INSERT INTO call_stages (call_id, stage, entered_at) VALUES (?, ?, 'x')", stages, []any{"evoke", "", "Engage"}},
		{"INSERT INTO tally_marks (call_id, kind, marked_at) VALUES (?, ?, 'x')", tallies, []any{"question", ""}},
		{"INSERT INTO rulers (call_id, kind, score, asked_at, updated_at) VALUES (?, ?, 5, 'x', 'x')",
			[]string{string(coaching.RulerImportance), string(coaching.RulerConfidence)}, []any{"readiness"}},
		{"INSERT INTO rulers (call_id, kind, score, asked_at, updated_at) VALUES (?, 'importance', ?, 'x', 'x')",
			[]string{"0", "10"}, []any{-1, 11}},
		{"INSERT INTO change_talk (call_id, kind, quote, said_at) VALUES (?, ?, 'q', 'x')", talks, []any{"hope", ""}},
		{"INSERT INTO change_talk (call_id, kind, quote, said_at) VALUES (?, 'need', ?, 'x')", []string{"I have to"}, []any{""}},
		{"INSERT INTO calls (person_id, role, started_at, updated_at) SELECT person_id, ?, 'x', 'x' FROM calls WHERE id = ?",
			[]string{string(coaching.RoleCoach), string(coaching.RolePeer)}, []any{"volunteer", ""}},
	}
	for _, tt := range tests {
		args := func(v any) []any {
			if strings.HasPrefix(tt.insert, "INSERT INTO calls") {
				return []any{v, call}
			}
			return []any{call, v}
		}
		for _, v := range tt.good {
			if _, err := s.rw.Exec(tt.insert, args(v)...); err != nil {
				t.Errorf("%s with %v: %v", tt.insert, v, err)
			}
		}
		for _, v := range tt.bad {
			if _, err := s.rw.Exec(tt.insert, args(v)...); err == nil {
				t.Errorf("%s with %#v was accepted", tt.insert, v)
			}
		}
	}
}

func TestDeletingCallRemovesItsWorkspace(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	call, other := newCall(t, s), newCall(t, s)
	for _, c := range []int64{call, other} {
		if err := s.EnterStage(ctx, c, coaching.StageEngage, t0); err != nil {
			t.Fatal(err)
		}
		if err := s.AddTallyMark(ctx, c, coaching.TallyAffirmation, t0); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SaveRuler(ctx, coaching.Ruler{CallID: c, Kind: coaching.RulerConfidence, Score: 7}, t0); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddChangeTalk(ctx, coaching.ChangeTalk{CallID: c, Kind: coaching.TalkAbility, Quote: "I could"}, t0); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.rw.ExecContext(ctx, "DELETE FROM calls WHERE id = ?", call); err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"call_stages", "tally_marks", "rulers", "change_talk"} {
		var deleted, kept int
		if err := s.ro.QueryRow("SELECT count(*) FILTER (WHERE call_id = ?), count(*) FILTER (WHERE call_id = ?) FROM "+table, call, other).
			Scan(&deleted, &kept); err != nil {
			t.Fatal(err)
		}
		if deleted != 0 || kept != 1 {
			t.Errorf("%s: %d rows of the deleted call left, %d of the other; want 0, 1", table, deleted, kept)
		}
	}
}

func TestMigrateKeepsCallsAsCoachCalls(t *testing.T) {
	for _, v := range []int{1, 2} {
		t.Run(fmt.Sprintf("from version %d", v), func(t *testing.T) {
			ctx := context.Background()
			path := filepath.Join(t.TempDir(), "old.db")
			fileAtVersion(t, path, v)
			db := rawDB(t, path)
			mustExec(t, db, "INSERT INTO people (id, name, created_at, updated_at) VALUES (1, 'Ann', ?, ?)", formatTime(t0), formatTime(t0))
			mustExec(t, db, `INSERT INTO calls (id, person_id, started_at, ended_at, outcome, notes, notes_rev, updated_at)
				VALUES (7, 1, ?, ?, 'reached', 'walked twice', 3, ?)`,
				formatTime(t0), formatTime(t0.Add(10*time.Minute)), formatTime(t0.Add(10*time.Minute)))
			mustExec(t, db, "INSERT INTO calls (id, person_id, started_at, updated_at) VALUES (8, 1, ?, ?)", formatTime(t0), formatTime(t0))
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}

			s, err := Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			got, err := s.GetCall(ctx, 7)
			if err != nil {
				t.Fatal(err)
			}
			want := coaching.Call{ID: 7, PersonID: 1, StartedAt: t0, EndedAt: t0.Add(10 * time.Minute),
				Outcome: coaching.OutcomeReached, Notes: "walked twice", NotesRev: 3,
				Role: coaching.RoleCoach, UpdatedAt: t0.Add(10 * time.Minute)}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("call after migrating:\n got %+v\nwant %+v", got, want)
			}
			calls, err := s.CallsForPerson(ctx, 1, 0)
			if err != nil || len(calls) != 2 || calls[0].Role != coaching.RoleCoach || calls[1].Role != coaching.RoleCoach {
				t.Errorf("calls after migrating: %+v, %v; want two coach calls", calls, err)
			}
			// The old, unfinished call can carry on in the workspace.
			if err := s.AddTallyMark(ctx, 8, coaching.TallyOpenQuestion, t0); err != nil {
				t.Fatal(err)
			}
			if tally, err := s.Tally(ctx, 8); err != nil || tally[coaching.TallyOpenQuestion] != 1 {
				t.Errorf("tally of the old call: %v, %v", tally, err)
			}
		})
	}
}

// TestTallyMarkSurvivesUnclosedStore: what a write committed is in the
// file, though the Store that wrote it was never closed (its WAL never
// checkpointed), as after kill -9.
func TestTallyMarkSurvivesUnclosedStore(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "c.db")
	a, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	call := newCall(t, a)
	if err := a.AddTallyMark(ctx, call, coaching.TallyComplexReflect, t0); err != nil {
		t.Fatal(err)
	}
	b, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if got, err := b.Tally(ctx, call); err != nil || !reflect.DeepEqual(got, coaching.Tally{coaching.TallyComplexReflect: 1}) {
		t.Errorf("second Store's tally: %v, %v; want one complex reflection", got, err)
	}
}

// killDBEnv, when set, makes a test that calls killedChild the child
// process: it writes to the file named, reports, and waits to be killed.
const killDBEnv = "CALLCOACH_TEST_KILL_DB"

// killedChild runs the test t again as a child process with killDBEnv set
// to a new file, waits for the child to print a line starting with
// prefix, kills it (SIGKILL on Unix) without letting it close anything,
// and returns the file and the rest of that line.
func killedChild(t *testing.T, prefix string) (path, rest string) {
	t.Helper()
	if testing.Short() {
		t.Skip("starts a process")
	}
	path = filepath.Join(t.TempDir(), "killed.db")
	cmd := exec.Command(os.Args[0], "-test.run=^"+t.Name()+"$")
	cmd.Env = append(os.Environ(), killDBEnv+"="+path)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	reported := false
	for sc := bufio.NewScanner(out); !reported && sc.Scan(); {
		rest, reported = strings.CutPrefix(sc.Text(), prefix)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err == nil {
		t.Fatal("the child exited on its own, not killed")
	}
	if !reported {
		t.Fatal("the child did not report its write")
	}
	if _, err := os.Stat(path + "-wal"); err != nil {
		t.Errorf("no WAL left behind (%v): the kill came after a clean close", err)
	}
	return path, rest
}

// childWrote ends the child of a killedChild test once its write has
// returned: it reports line and waits to be killed.
func childWrote(line string) {
	fmt.Println(line)
	time.Sleep(time.Minute) // killed long before
	os.Exit(3)
}

// childFailed ends the child of a killedChild test that could not write.
func childFailed(err error) {
	fmt.Fprintln(os.Stderr, "child:", err)
	os.Exit(2)
}

// TestTallyMarkSurvivesKill kills a process right after its tally mark was
// committed, without closing anything; the mark is in the file it leaves.
func TestTallyMarkSurvivesKill(t *testing.T) {
	if path := os.Getenv(killDBEnv); path != "" {
		markAndWait(path)
		return
	}
	path, id := killedChild(t, "marked call ")
	call, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got, err := s.Tally(context.Background(), call); err != nil || !reflect.DeepEqual(got, coaching.Tally{coaching.TallySummary: 1}) {
		t.Errorf("tally after kill: %v, %v; want one summary", got, err)
	}
}

// markAndWait is the child of TestTallyMarkSurvivesKill.
func markAndWait(path string) {
	ctx := context.Background()
	s, err := Open(ctx, path)
	if err != nil {
		childFailed(err)
	}
	pid, err := s.CreatePerson(ctx, coaching.Person{Name: "Ann", Status: coaching.StatusActive}, t0)
	if err != nil {
		childFailed(err)
	}
	c, err := s.StartCall(ctx, pid, coaching.RolePeer, t0)
	if err != nil {
		childFailed(err)
	}
	if err := s.AddTallyMark(ctx, c.ID, coaching.TallySummary, t0); err != nil {
		childFailed(err)
	}
	childWrote(fmt.Sprintf("marked call %d", c.ID))
}
