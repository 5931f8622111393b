package tui

import (
	"context"
	"strings"
	"testing"

	"callcoach/coaching"
)

// TestUndoInTheNotesReachesTheFile: a line cut by mistake comes back with
// one key, and what comes back is saved like anything typed.
func TestUndoInTheNotesReachesTheFile(t *testing.T) {
	h, pid := inCall(t, 80, 24)
	h.typeText("knee sore on Thursday, walked anyway")
	h.press("ctrl+u")
	h.dontWantScreen("knee sore")
	h.press("ctrl+z")
	h.wantScreen("knee sore on Thursday, walked anyway")
	h.advance(saveDelay)
	h.wantScreen("saved")
	if got := h.calls(pid)[0].Notes; got != "knee sore on Thursday, walked anyway" {
		t.Fatalf("notes in the file = %q", got)
	}
	h.press("ctrl+y")
	h.advance(saveDelay)
	if got := h.calls(pid)[0].Notes; got != "" {
		t.Fatalf("after redo, notes in the file = %q", got)
	}
}

// TestCardsThatFit: at 80x24 a card cut short says so; alt+x shows it
// whole, over part of the notes, with the notes still taking the typing;
// alt+x again puts it back.
func TestCardsThatFit(t *testing.T) {
	h, _ := inCall(t, 80, 24)
	h.wantScreen("… more: alt+x")
	h.dontWantScreen("Listen for:")
	h.typeText("first line")
	h.press("alt+x")
	h.wantScreen("Listen for: What matters to them", "first line")
	h.dontWantScreen("more: alt+x", "> 1 Check in") // the stage list gives the card its width
	h.typeText(" and more")
	h.wantScreen("first line and more", "OQ 0") // notes and tally stay in view
	h.press("alt+x")
	h.wantScreen("> 1 Check in", "… more: alt+x")
}

// TestTheReviewCardQuotesTheRealPlan: the example that names a plan says
// the person's own, and is left out when there is none.
func TestTheReviewCardQuotesTheRealPlan(t *testing.T) {
	h := newHarness(t, 100, 40)
	id := h.addPerson(coaching.Person{Name: "Ann"})
	h.addPerson(coaching.Person{Name: "Bob"})
	plan := coaching.ActionPlan{PersonID: id, Behaviour: coaching.BehaviourActivity, What: "swim", HowMuch: "20 lengths",
		When: "before work", DaysPerWeek: 2, Confidence: coaching.NoScore, Status: coaching.PlanActive}
	if _, _, err := h.store.CommitPlan(context.Background(), plan, []int{8}, nil, h.now); err != nil {
		t.Fatal(err)
	}
	h.refresh()
	h.press("/")
	h.typeText("ann")
	h.press("enter", "c", "alt+2")
	h.wantScreen("“Last time you planned to swim, 20 lengths, before work, 2 days a week. How")
	h.dontWantScreen("walk after lunch")
	h.press("esc", "n", "enter", "esc", "/", "ctrl+u")
	h.typeText("bob")
	h.press("enter", "c", "alt+2")
	h.wantScreen("No earlier plan")
	h.dontWantScreen("Last time you planned to")
}

// TestSustainTalkIsNeverMobilising: the kinds are offered in three groups,
// and sustain talk is not under "Mobilising".
func TestSustainTalkIsNeverMobilising(t *testing.T) {
	h, _ := inCall(t, 80, 24)
	h.typeText("It's too cold to walk")
	h.press("alt+t", "enter")
	h.wantScreen("Mobilising:     c commitment · v activation · t taking steps", "Against change: s sustain talk")
	for _, l := range strings.Split(h.screen(), "\n") {
		if strings.Contains(l, "Mobilising") && strings.Contains(l, "sustain") {
			t.Fatalf("sustain talk offered as mobilising: %q", l)
		}
	}
}

// TestAMeasureUnderTheSafetyPanelIsSaved: keys typed on after question 9
// opened the safety panel wait for it; once the panel is recorded and the
// closing question answered, the measure screen says it is saved, never
// "Saving…", and the result is linked to the event.
func TestAMeasureUnderTheSafetyPanelIsSaved(t *testing.T) {
	h, id := inCall(t, 80, 24)
	h.press("alt+w", "3")
	h.wantScreen("Question 1 of 9")
	h.typeText("1121010012")
	h.wantScreen("SAFETY", "What was done")
	h.press("a", "enter")
	h.wantScreen("Last question", "how difficult")
	h.press("2")
	h.wantScreen("Saved with each answer", "Very difficult")
	h.dontWantScreen("Saving…")
	ms, _ := h.store.MeasuresForPerson(context.Background(), id)
	es, _ := h.store.SafetyEvents(context.Background(), id)
	if len(ms) != 1 || len(es) != 1 || ms[0].SafetyEventID != es[0].ID || es[0].MeasureID != ms[0].ID || ms[0].Closing != 2 {
		t.Fatalf("measures %+v, events %+v: want the PHQ-9 and its event linked", ms, es)
	}
}
