package tui

import (
	tea "github.com/charmbracelet/bubbletea"

	"context"
	"fmt"
	"strings"
	"testing"

	"callcoach/coaching"
	"callcoach/coaching/measures"
	"callcoach/storage"
)

// The key maps of every screen, held to what each screen does (see
// checkKeyMap), in each state a coach meets it in. The forms are checked
// in form_test.go.

// keyMapFixture is a file with two people: Ann, with an unfinished call
// holding notes and an ended one, a plan and a safety flag to review; and
// Bob, with nothing.
type keyMapFixture struct {
	h        *harness
	c        *Common
	ann, bob coaching.Person
	call     coaching.Call // Ann's unfinished call
}

func newKeyMapFixture(t *testing.T) *keyMapFixture {
	t.Helper()
	h := newHarness(t, 80, 24)
	ctx := context.Background()
	f := &keyMapFixture{h: h, c: keyMapCommon(h)}
	var err error
	annID := h.addPerson(coaching.Person{Name: "Ann", Conditions: []string{"COPD"}})
	bobID := h.addPerson(coaching.Person{Name: "Bob"})
	for i := range 40 { // a list longer than the window, to move in
		h.addPerson(coaching.Person{Name: fmt.Sprintf("Zed %02d", i)})
	}
	if f.ann, err = h.store.GetPerson(ctx, annID); err != nil {
		t.Fatal(err)
	}
	if f.bob, err = h.store.GetPerson(ctx, bobID); err != nil {
		t.Fatal(err)
	}
	ended, err := h.store.StartCall(ctx, annID, coaching.RoleCoach, h.now.Add(-48*60*60*1e9))
	if err != nil {
		t.Fatal(err)
	}
	var notes []string
	for i := range 60 {
		notes = append(notes, fmt.Sprintf("line %d: walked to the shop and back, knee a little sore", i))
	}
	if _, err := h.store.SaveNotes(ctx, ended.ID, strings.Join(notes, "\n"), 1, h.now); err != nil {
		t.Fatal(err)
	}
	if err := h.store.EndCall(ctx, ended.ID, coaching.OutcomeReached, h.now); err != nil {
		t.Fatal(err)
	}
	older, err := h.store.StartCall(ctx, annID, coaching.RoleCoach, h.now.Add(-96*60*60*1e9))
	if err != nil {
		t.Fatal(err)
	}
	if err := h.store.EndCall(ctx, older.ID, coaching.OutcomeNoAnswer, h.now); err != nil {
		t.Fatal(err)
	}
	flag, err := h.store.RaiseSafety(ctx, storage.SafetyEvent{PersonID: annID, CallID: ended.ID, Trigger: "coach"}, h.now.Add(-47*60*60*1e9))
	if err != nil {
		t.Fatal(err)
	}
	if err := h.store.RecordSafety(ctx, flag, []string{"asked_directly"}, "", h.now.Add(-47*60*60*1e9)); err != nil {
		t.Fatal(err)
	}
	plan := coaching.ActionPlan{PersonID: annID, Behaviour: coaching.BehaviourActivity, What: "walk", Confidence: coaching.NoScore, Status: coaching.PlanActive}
	if _, _, err := h.store.CommitPlan(ctx, plan, []int{8}, nil, h.now); err != nil {
		t.Fatal(err)
	}
	if f.call, err = h.store.StartCall(ctx, annID, coaching.RoleCoach, h.now); err != nil {
		t.Fatal(err)
	}
	if _, err := h.store.SaveNotes(ctx, f.call.ID, strings.Join(notes, "\n"), 1, h.now); err != nil {
		t.Fatal(err)
	}
	// Index now, so what search finds does not change when the store's
	// own catch-up runs part-way through the test.
	if _, err := h.store.IndexNotes(ctx); err != nil {
		t.Fatal(err)
	}
	if f.call, err = h.store.GetCall(ctx, f.call.ID); err != nil {
		t.Fatal(err)
	}
	return f
}

func sized(s screen) screen { s.SetSize(78, 21); return s }

// callAt opens Ann's unfinished call, loaded, at stage 2 with the cursor
// in the middle of the notes and a word typed (so undo and redo can act),
// then sends keys.
func (f *keyMapFixture) callAt(t *testing.T, keys ...string) func() screen {
	return func() screen {
		s := sized(newCallScreen(f.c, f.ann, f.call))
		s = settle(t, s, s.Init())
		s = drive(t, s, "alt+n", "ctrl+home", "down", "down", "right", "right", " word", " more", "ctrl+z")
		return drive(t, s, keys...)
	}
}

func TestCallWorkspaceKeyMaps(t *testing.T) {
	f := newKeyMapFixture(t)
	viewer := func() screen {
		holder := storage.CallHolder{Instance: storage.Instance{ID: "x", PID: 1, Host: "elsewhere"}, Since: f.h.now}
		s := sized(newCallViewer(f.c, f.ann, f.call, holder))
		s = settle(t, s, s.Init())
		return drive(t, s, "ctrl+home", "down", "right")
	}
	lost := func() screen {
		s := f.callAt(t)().(*callScreen)
		s.loseCall(&storage.CallElsewhereError{CallID: f.call.ID})
		s.relayout()
		return s
	}
	for _, c := range []keyMapCheck{
		{name: "call, the notes", new: f.callAt(t), typing: fieldText},
		{name: "call, the notes, the context panel scrolled", new: f.callAt(t, "alt+b", "alt+down"), typing: fieldText},
		{name: "call, a ruler's score", new: f.callAt(t, "alt+i", "10", "left"), typing: fieldText},
		{name: "call, a reason (skippable)", new: f.callAt(t, "alt+i", "7", "enter", "because", "left"), typing: fieldText},
		{name: "call, the kind of change talk", new: f.callAt(t, "alt+t", "enter"), typing: fieldText},
		{name: "call, how the plan went", new: f.callAt(t, "alt+v"), typing: fieldText},
		{name: "call, which measure", new: f.callAt(t, "alt+w"), typing: fieldText},
		{name: "call, why the safety flag is cleared", new: f.callAt(t, "alt+k", "safe", "left"), typing: fieldText},
		{name: "call, how it ended", new: f.callAt(t, "esc")},
		{name: "call, after ctrl+g", new: f.callAt(t, "ctrl+g")},
		// Typing into notes that are read only says why it does nothing.
		{name: "call, read only", new: viewer, typing: fieldText},
		{name: "call, taken over", new: lost, typing: fieldText},
	} {
		checkKeyMap(t, c)
	}
}

func TestScreenKeyMaps(t *testing.T) {
	f := newKeyMapFixture(t)
	caseload := func(keys ...string) func() screen {
		return func() screen {
			s := sized(newCaseload(f.c))
			s = settle(t, s, s.Init())
			for _, k := range keys { // each key's reads land before the next
				if _, named := keyTypeNames[k]; !named && len([]rune(k)) > 1 {
					s = drive(t, s, k) // typed text
					continue
				}
				var cmd tea.Cmd
				s, cmd = s.Update(keyMsg(t, k))
				s = settle(t, s, cmd)
			}
			return s
		}
	}
	person := func(p coaching.Person, keys ...string) func() screen {
		return func() screen {
			s := sized(newPersonScreen(f.c, p.ID, false))
			return drive(t, settle(t, s, s.Init()), keys...)
		}
	}
	busy := func() screen {
		s := person(f.ann)().(*personScreen)
		m, _ := s.Update(callBusyMsg{call: f.call, holder: storage.CallHolder{Instance: storage.Instance{ID: "x", PID: 1, Host: "there"}, Since: f.h.now}})
		return m
	}
	search := func(q string, keys ...string) func() screen {
		return func() screen {
			s := drive(t, sized(newSearchScreen(f.c)), q).(*searchScreen)
			return drive(t, settle(t, s, s.query()), keys...)
		}
	}
	panel := func(keys ...string) func() screen {
		return func() screen {
			s := sized(newSafetyPanel(f.c, storage.SafetyEvent{ID: 1, PersonID: f.ann.ID, Trigger: "coach"}, false))
			return drive(t, s, keys...)
		}
	}
	item9 := func() screen {
		return sized(newSafetyPanel(f.c, storage.SafetyEvent{ID: 1, PersonID: f.ann.ID, Trigger: string(measures.TriggerPHQ9Item9)}, true))
	}
	phq2, _ := measures.Get("phq2")
	measure := func(inst measures.Instrument, keys ...string) func() screen {
		return func() screen {
			s := sized(newMeasureScreen(f.c, f.bob, 0, inst))
			s = settle(t, s, s.Init())
			return drive(t, s, keys...)
		}
	}
	gad7, _ := measures.Get("gad7")
	carried := func() screen {
		s, _ := newStepUpScreen(f.c, f.bob, 0, phq2, measures.Answers{2, 1})
		sized(s)
		return settle(t, s, s.Init())
	}
	done := func() screen {
		s := measure(phq2, "1")().(*measureScreen)
		m, cmd := s.Update(keyMsg(t, "2"))
		return settle(t, m, cmd)
	}
	summary := func(keys ...string) func() screen {
		return func() screen {
			var lines []string
			for i := range 60 {
				lines = append(lines, fmt.Sprintf("summary line %d", i))
			}
			return drive(t, sized(newSummaryScreen(f.c, f.call.ID, strings.Join(lines, "\n"))), keys...)
		}
	}
	attempt := func(keys ...string) func() screen {
		return func() screen {
			s := sized(newAttemptScreen(f.c, f.ann.ID))
			return drive(t, settle(t, s, s.Init()), keys...)
		}
	}
	for _, c := range []keyMapCheck{
		{name: "caseload", new: caseload("tab", "tab", "tab", "tab", "down", "down", "down", "down", "down", "down", "down", "down", "down", "down", "down", "down", "down", "down", "down", "down", "down", "down", "down", "down")},
		{name: "caseload, finding", new: caseload("/", "an", "left"), typing: fieldText},
		{name: "person, an unfinished call chosen", new: person(f.ann)},
		{name: "person, an ended call chosen, notes scrolled", new: person(f.ann, "down", "pgdown")},
		{name: "person, plans", new: person(f.ann, "tab")},
		{name: "person, correcting how a call ended", new: person(f.ann, "down", "o")},
		{name: "person, continue or new?", new: person(f.ann, "c")},
		{name: "person, which measure", new: person(f.ann, "w")},
		{name: "person, open elsewhere", new: busy},
		{name: "log an attempt, how it ended", new: attempt()},
		{name: "log an attempt, the retry", new: attempt("n", "left"), typing: fieldText},
		{name: "search, found", new: search("walk", "left", "left", "down"), typing: fieldText},
		{name: "search, nothing", new: search("zzz", "left"), typing: fieldText},
		{name: "search, best match first", new: search("walk", "tab", "left", "down"), typing: fieldText},
		{name: "search, one letter waits", new: search("  w", "left"), typing: fieldText},
		{name: "safety panel", new: panel()},
		{name: "safety panel, the note", new: panel("tab", "said so", "left"), typing: fieldText},
		{name: "safety panel, opened by mistake?", new: panel("a", "ctrl+z")},
		{name: "safety panel, raised by PHQ-9 item 9 (no slip of the key)", new: item9},
		{name: "measure, asking", new: measure(phq2, "1")},
		{name: "measure, answered and positive", new: done},
		{name: "measure, carried over from the PHQ-2", new: carried},
		{name: "measure, the closing question", new: measure(gad7, "1", "2", "3", "0", "1", "2", "3")},
		{name: "summary", new: summary("down")},
		{name: "summary, naming the file", new: summary("w", "left"), typing: fieldText},
	} {
		checkKeyMap(t, c)
	}
}
