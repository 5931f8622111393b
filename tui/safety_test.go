package tui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"callcoach/coaching"
	"callcoach/coaching/config"
	"callcoach/coaching/measures"
	"callcoach/storage"
)

// measureKey is the key that picks an instrument in the measure menu.
func measureKey(t *testing.T, id measures.ID) string {
	t.Helper()
	for i, inst := range measures.All() {
		if inst.ID == id {
			return string(rune('1' + i))
		}
	}
	t.Fatalf("no instrument %s", id)
	return ""
}

func actionKey(t *testing.T, peer bool, a measures.SafetyAction) string {
	t.Helper()
	for _, ch := range measures.ActionChoices(peer) {
		if ch.Action == a {
			return ch.Key
		}
	}
	t.Fatalf("no action %s", a)
	return ""
}

func TestPHQ9ItemNineOpensTheSafetyPanel(t *testing.T) {
	h := newHarness(t, 80, 24)
	id := h.addPerson(coaching.Person{Name: "Ann"})
	h.refresh()
	h.press("enter", "w", measureKey(t, measures.PHQ9))
	h.wantScreen("PHQ-9", "Question 1 of 9", "Over the last 2 weeks", "Not at all")
	h.press("1", "2")
	h.wantScreen("Question 3 of 9", "Question 2: 2")
	h.press("backspace")
	h.wantScreen("Question 2 of 9")
	h.press("1", "0", "0", "0", "0", "0", "0")
	h.wantScreen("Question 9 of 9", "better off dead")
	h.press("1")
	h.wantScreen("SAFETY", "PHQ-9 question 9", "Ask your organisation", "What was done", "more steps")
	h.press("esc")
	h.wantScreen("stays open until you record what was done")
	h.press("enter")
	h.wantScreen("Tick at least one")
	events, err := h.store.SafetyEvents(context.Background(), id)
	if err != nil || len(events) != 1 || !events[0].RecordedAt.IsZero() {
		t.Fatalf("the event must be written as the panel opens: %+v %v", events, err)
	}
	h.press(actionKey(t, false, measures.ActionAskedDirectly), actionKey(t, false, measures.ActionStayedOnLine))
	h.press("tab")
	h.typeText("no plan or means; agreed to call GP")
	h.press("enter")
	h.wantScreen("Safety event recorded", "Last question (stored, not scored)", "how difficult have they made it", "Extremely difficult")
	h.press("1")
	h.wantScreen("Total 3", "not a diagnosis", "How difficult the problems have made things: Somewhat difficult",
		"what was done is recorded, and kept with this result", "Saved")
	h.dontWantScreen("follow the safety steps now") // they were followed before this result showed
	events, _ = h.store.SafetyEvents(context.Background(), id)
	if len(events) != 1 || events[0].RecordedAt.IsZero() || strings.Join(events[0].Actions, ",") != "asked_directly,stayed_on_line" ||
		events[0].Note != "no plan or means; agreed to call GP" {
		t.Fatalf("event %+v", events)
	}
	ms, _ := h.store.MeasuresForPerson(context.Background(), id)
	if len(ms) != 1 || ms[0].Instrument != string(measures.PHQ9) || !ms[0].Scored || ms[0].Total != 3 || ms[0].Answers[8] != 1 ||
		ms[0].Closing != 1 || ms[0].SafetyEventID != events[0].ID || events[0].MeasureID != ms[0].ID {
		t.Fatalf("measure %+v, event %+v: want closing 1, linked both ways", ms, events)
	}
	h.press("enter")
	h.wantScreen("SAFETY FLAG", "PHQ-9")
	h.press("esc")
	h.wantScreen("[SAFETY] Ann")
}

func TestSafetyChordInTheCallCannotBeSkipped(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.c.Safety = config.Safety{Steps: []string{"Stay on the line."}, Contacts: []config.Contact{{Name: "Duty nurse", Phone: "ext. 2201"}}}
	id := h.addPerson(coaching.Person{Name: "Ann"})
	h.refresh()
	h.press("c")
	h.wantScreen("alt+h SAFETY")
	h.press("alt+h")
	h.wantScreen("You raised a safety concern", "1. Stay on the line.", "Duty nurse: ext. 2201")
	h.dontWantScreen("Ask your organisation")
	h.press("esc", "esc", "r") // neither leaves the panel nor ends the call
	h.wantScreen("stays open until you record")
	h.press("ctrl+c") // quitting is allowed: the event is kept, open

	h2 := h.restart(80, 24)
	h2.press("enter")
	h2.wantScreen("You raised a safety concern") // it comes back with the person
	h2.press(actionKey(t, false, measures.ActionNoCurrentRisk), "enter")
	h2.wantScreen("SAFETY FLAG")
	h2.press("c", "n") // a new call: the flag is reviewed at a later call
	h2.wantScreen("SAFETY FLAG from", "alt+k clears it")
	h2.press("alt+k")
	h2.wantScreen("Why is the flag cleared?")
	h2.press("esc") // leaves the flag as it was
	h2.wantScreen("The safety flag stays")
	h2.press("alt+k", "enter") // a reason is required
	h2.wantScreen("Say briefly why the flag is cleared", "Why is the flag cleared?")
	if events, _ := h2.store.SafetyEvents(context.Background(), id); len(events) != 1 || !events[0].ReviewedAt.IsZero() {
		t.Fatalf("reviewed without a reason: %+v", events)
	}
	h2.typeText("asked how she is; safe, sister staying")
	h2.press("enter")
	h2.wantScreen("Safety flag cleared in this call")
	h2.dontWantScreen("Could not save", "SAFETY FLAG from")
	events, _ := h2.store.SafetyEvents(context.Background(), id)
	if len(events) != 1 || events[0].ReviewedAt.IsZero() || events[0].ReviewReason != "asked how she is; safe, sister staying" {
		t.Fatalf("events %+v", events)
	}
}

func TestPeerSafetyPanelHandsOverFirst(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.c.Role = coaching.RolePeer
	h.addPerson(coaching.Person{Name: "Ann"})
	h.refresh()
	h.press("enter", "w", measureKey(t, measures.GAD7))
	h.wantScreen("needs clinical follow-up")
	h.press("esc", "c", "alt+h")
	h.wantScreen("1. Hand over to your supervisor or the named professional now")
	s := h.screen()
	first := measures.ActionChoices(true)[0]
	if first.Action != measures.ActionSupervisor || !strings.Contains(s, first.Label) {
		t.Fatalf("peer's first action is %v:\n%s", first, s)
	}
}

func TestMeasureDraftAndDeclinedItems(t *testing.T) {
	h := newHarness(t, 80, 24)
	id := h.addPerson(coaching.Person{Name: "Ann"})
	h.refresh()
	h.press("enter", "w", measureKey(t, measures.SEMCD6))
	h.press("7", "0") // 0 is 10 on a 1-10 scale
	h.wantScreen("Question 3 of 6", "Question 2: 10")
	h.press("ctrl+c")
	h2 := h.restart(80, 24)
	h2.press("enter", "w", measureKey(t, measures.SEMCD6))
	h2.wantScreen("Question 3 of 6")
	h2.press("x", "x", "x", "5")
	h2.wantScreen("Not scored", "needs at least 4", "Saved")
	h2.press("enter", "w", measureKey(t, measures.PHQ2))
	h2.press("2", "1")
	h2.wantScreen("press y to give the PHQ-9")
	h2.press("y")
	h2.wantScreen("PHQ-9", "Question 3 of 9", "Questions 1 and 2 from the PHQ-2 just given: 2 and 1")
	ms, _ := h2.store.MeasuresForPerson(context.Background(), id)
	if len(ms) != 2 || ms[0].Scored || ms[1].Instrument != string(measures.PHQ2) || ms[1].Total != 3 || ms[1].Band != "positive" {
		t.Fatalf("measures %+v", ms)
	}
}

func TestMeasureTakesQuickTypingTogether(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.addPerson(coaching.Person{Name: "Ann"})
	h.refresh()
	h.press("enter", "w", measureKey(t, measures.GAD7))
	h.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("0123")})
	h.wantScreen("Question 5 of 7", "Question 4: 3")
	h.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("x00x")})
	h.wantScreen("Not scored", "not a diagnosis", "How difficult the problems have made things: declined")
}

// TestSafetyPanelOpenedByMistake: alt+h pressed by a slip of the key, and
// typing going on into the panel, can be closed as opened by mistake:
// recorded with the time, and no flag on the call, the person or the
// caseload. It asks first, and n goes back.
func TestSafetyPanelOpenedByMistake(t *testing.T) {
	for _, peer := range []bool{false, true} {
		h := newHarness(t, 80, 24)
		if peer {
			h.c.Role = coaching.RolePeer
		}
		id := h.addPerson(coaching.Person{Name: "Margaret Okafor", PreferredName: "Maggie"})
		h.refresh()
		h.press("c", "alt+h")
		h.wantScreen("You raised a safety concern", "Pressed alt+h by mistake? ctrl+z")
		h.typeText("the") // the notes went on being typed: ticks
		h.press("ctrl+z")
		h.wantScreen("Opened by mistake?", "Only for a slip of the key", "y records it as opened by mistake")
		if peer {
			h.wantScreen("If in doubt, hand over to your supervisor")
		}
		h.press("n") // back, with nothing recorded
		h.wantScreen("What was done", "[x] "+actionKey(t, peer, measures.ActionTransferred))
		if events, _ := h.store.SafetyEvents(context.Background(), id); len(events) != 1 || !events[0].RecordedAt.IsZero() {
			t.Fatalf("peer %v: recorded on the way back: %+v", peer, events)
		}
		h.setNow(h.now.Add(7 * time.Second))
		h.press("ctrl+z", "y")
		h.wantScreen("Recorded, with the time, as opened by mistake", "Call with")
		h.dontWantScreen("What was done", "SAFETY FLAG")
		events, err := h.store.SafetyEvents(context.Background(), id)
		if err != nil || len(events) != 1 || strings.Join(events[0].Actions, ",") != "opened_by_mistake" ||
			!events[0].RecordedAt.Equal(h.now) || !events[0].ReviewedAt.Equal(h.now) {
			t.Fatalf("peer %v: events %+v, %v; want one opened by mistake, recorded and reviewed at %v", peer, events, err, h.now)
		}
		h.press("esc", "r") // end the call: its summary words the slip plainly
		h.wantScreen("opened by a slip of the key", "closed as opened by mistake; no concern was raised")
		h.dontWantScreen("opened_by_mistake", "raised a concern from what was said")
		h.press("enter") // back to the person, then the caseload
		h.dontWantScreen("SAFETY FLAG")
		h.press("esc")
		h.dontWantScreen("[SAFETY]")
		h.wantScreen("Maggie")
	}
}

// TestItemNineIsNeverASlipOfTheKey: a panel PHQ-9 question 9 opened offers
// no "opened by mistake", and ctrl+z there does nothing.
func TestItemNineIsNeverASlipOfTheKey(t *testing.T) {
	h, id := inCall(t, 80, 24)
	h.press("alt+w", measureKey(t, measures.PHQ9))
	h.typeText("000000001")
	h.wantScreen("SAFETY", "PHQ-9 question 9")
	h.dontWantScreen("by mistake", "ctrl+z")
	h.press("ctrl+z", "y")
	h.dontWantScreen("Opened by mistake?")
	h.wantScreen("What was done")
	if events, _ := h.store.SafetyEvents(context.Background(), id); len(events) != 1 || !events[0].RecordedAt.IsZero() {
		t.Fatalf("events %+v", events)
	}
}

// TestAPositiveScreenCarriesItsAnswers: y on a positive PHQ-2 (GAD-2)
// gives the PHQ-9 (GAD-7) from question 3, its first two answers those
// just given; backspace can still go back to them; the screen's result is
// stored as its band.
func TestAPositiveScreenCarriesItsAnswers(t *testing.T) {
	tests := []struct {
		screen, full measures.ID
		keys         []string // the screen's answers, then the full measure's from question 3, and the closing
		band         string   // the full measure's
		answers      []int
		closing      int
	}{
		{measures.PHQ2, measures.PHQ9, []string{"2", "2", "backspace", "3", "0", "0", "0", "0", "0", "0", "0", "1"}, "mild", []int{2, 3, 0, 0, 0, 0, 0, 0, 0}, 1},
		{measures.GAD2, measures.GAD7, []string{"3", "0", "1", "1", "1", "1", "1", "x"}, "mild", []int{3, 0, 1, 1, 1, 1, 1}, -1},
	}
	for _, tc := range tests {
		h, id := inCall(t, 80, 24)
		screen, _ := measures.Get(tc.screen)
		full, _ := measures.Get(tc.full)
		h.press("alt+w", measureKey(t, tc.screen))
		h.press(tc.keys[:2]...)
		h.wantScreen("screens positive", "press y to give the "+full.Name+" now; questions 1 and 2 carry", "Saved")
		h.press("y")
		h.wantScreen(full.Title, fmt.Sprintf("Question 3 of %d", len(full.Items)), full.Items[2].Text,
			"Questions 1 and 2 from the "+screen.Name+" just given: "+tc.keys[0]+" and "+tc.keys[1]+" (backspace to change)")
		h.wantScreen(fmt.Sprintf("Read out: Thank you. %d more questions like those, with the same answers.", len(full.Items)-2))
		h.dontWantScreen(oneLine(full.Intro)[:30]) // the full read-out is not said twice
		rest := tc.keys[2:]
		if rest[0] == "backspace" {
			h.press("backspace")
			h.wantScreen(fmt.Sprintf("Question 2 of %d", len(full.Items)), "Question 1 from the "+screen.Name+" just given: "+tc.keys[0]+" (backspace")
			h.press(rest[1])
			h.wantScreen("Question 3 of", "Question 1 from the "+screen.Name+" just given: "+tc.keys[0], "Question 2: "+rest[1]+" (backspace")
			rest = rest[2:]
		}
		h.press(rest[:len(rest)-1]...)
		h.wantScreen("Last question")
		h.press(rest[len(rest)-1])
		h.wantScreen("Saved", ": "+tc.band+".")
		ms, err := h.store.MeasuresForPerson(context.Background(), id)
		if err != nil || len(ms) != 2 {
			t.Fatalf("%s: measures %+v, %v", tc.full, ms, err)
		}
		if s := ms[0]; s.Instrument != string(tc.screen) || s.Band != "positive" {
			t.Errorf("%s: the screen stored %+v; want it positive", tc.screen, s)
		}
		if f := ms[1]; f.Instrument != string(tc.full) || !slices.Equal(f.Answers, tc.answers) || f.Band != tc.band || f.Closing != tc.closing || !f.Complete {
			t.Errorf("%s: stored %+v; want answers %v, band %s, closing %d", tc.full, f, tc.answers, tc.band, tc.closing)
		}
	}
}

// TestCarriedAnswersSurviveAStop: the carried answers are the full
// measure's draft at once, so a program stopped before question 3 is
// answered gives them back.
func TestCarriedAnswersSurviveAStop(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.addPerson(coaching.Person{Name: "Ann"})
	h.refresh()
	h.press("enter", "w", measureKey(t, measures.GAD2), "2", "2", "y")
	h.wantScreen("Question 3 of 7")
	h.press("ctrl+c")
	h2 := h.restart(80, 24)
	h2.press("enter", "w", measureKey(t, measures.GAD7))
	h2.wantScreen("Question 3 of 7", "Question 2: 2")
}

// TestANegativeScreenIsStoredAsSuch: the result of a two-item screen is
// stored, and the person's page shows it.
func TestANegativeScreenIsStoredAsSuch(t *testing.T) {
	h := newHarness(t, 80, 24)
	id := h.addPerson(coaching.Person{Name: "Ann"})
	h.refresh()
	h.press("enter", "w", measureKey(t, measures.PHQ2), "1", "1")
	h.wantScreen("screens negative", "Saved")
	h.dontWantScreen("press y")
	h.press("enter")
	h.wantScreen("PHQ-2", "2 · negative")
	if ms, _ := h.store.MeasuresForPerson(context.Background(), id); len(ms) != 1 || ms[0].Band != "negative" || ms[0].Closing != -1 {
		t.Fatalf("measures %+v", ms)
	}
}

// Enter pressed before the event itself is written (the write is a moment
// behind the panel opening) records what was done as soon as it is: the
// coach never has to press again.
func TestSafetyRecordedOnceTheEventIsWritten(t *testing.T) {
	h := newHarness(t, 80, 24)
	id := h.addPerson(coaching.Person{Name: "Ann"})
	ev := storage.SafetyEvent{PersonID: id, Trigger: string(measures.TriggerCoach)}
	m := newSafetyPanel(h.c, ev, false)
	m.SetSize(80, 23)
	for _, k := range []string{actionKey(t, false, measures.ActionNoCurrentRisk), "enter"} {
		if _, cmd := m.Update(keyMsg(t, k)); cmd != nil {
			t.Fatalf("%s did something before the event was written", k)
		}
	}
	if strings.Contains(m.View(), "press the key again") {
		t.Error("the coach is asked to press again")
	}
	written, err := h.store.RaiseSafety(context.Background(), ev, h.now)
	if err != nil {
		t.Fatal(err)
	}
	_, cmd := m.Update(safetyRaisedMsg{panel: m, id: written})
	if cmd == nil {
		t.Fatal("nothing was recorded once the event was written")
	}
	m.Update(cmd())
	events, _ := h.store.SafetyEvents(context.Background(), id)
	if len(events) != 1 || events[0].RecordedAt.IsZero() || len(events[0].Actions) != 1 || events[0].Actions[0] != string(measures.ActionNoCurrentRisk) {
		t.Fatalf("events %+v", events)
	}
}
