package tui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

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

// TestAWholeCardScrollsOnASmallTerminal: at 60x16 even the whole card
// does not fit; it says where it is, alt+↓ reaches its end (Listen for),
// alt+↑ its start, and the notes keep the typing throughout.
func TestAWholeCardScrollsOnASmallTerminal(t *testing.T) {
	h, _ := inCall(t, 60, 16)
	h.press("alt+2", "alt+x")
	h.wantScreen("alt+↓ more (", "Review last plan")
	h.dontWantScreen("Listen for:", "more: alt+x")
	for i := 0; i < 10 && !strings.Contains(h.screen(), "end of the card"); i++ {
		h.press("alt+down")
	}
	h.wantScreen("end of the card", "Listen for:")
	h.typeText("typed while scrolled")
	h.wantScreen("typed while scrolled", "end of the card")
	for i := 0; i < 10 && !strings.Contains(h.screen(), "2/9 Review last plan"); i++ {
		h.press("alt+up")
	}
	h.wantScreen("2/9 Review last plan", "alt+↓ more (")
	h.press("alt+x")
	h.wantScreen("… more: alt+x")
	h.dontWantScreen("alt+↓ more (")
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

// TestTypingAheadGoesToTheScreenThatOpened: c, then typing at once, before
// the person is read and the call started: every key goes to the notes,
// none to the caseload (where q would quit) or the person's page (where e
// would edit them).
func TestTypingAheadGoesToTheScreenThatOpened(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.addPerson(coaching.Person{Name: "Ann"})
	h.refresh()
	m, opening := h.app.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'c'}})
	for _, r := range "quick note, e.g. knee" {
		m, _ = m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	h.app = m
	h.run(opening) // now the person is read, the call started and the workspace drawn
	if h.quit {
		t.Fatal("a key typed ahead quit the program")
	}
	h.wantScreen("Call with Ann", "quick note, e.g. knee")
}

// TestKeysTypedAheadDoNotAnswerAQuestion: when the person has an
// unfinished call, the question comes first; keys typed before it wait
// for the call the coach then chooses.
func TestKeysTypedAheadDoNotAnswerAQuestion(t *testing.T) {
	h := newHarness(t, 80, 24)
	id := h.addPerson(coaching.Person{Name: "Ann"})
	if _, err := h.store.StartCall(context.Background(), id, coaching.RoleCoach, h.now); err != nil {
		t.Fatal(err)
	}
	h.refresh()
	m, opening := h.app.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'c'}})
	for _, r := range "no news" { // n would start a new call
		m, _ = m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	h.app = m
	h.run(opening)
	h.wantScreen("There is an unfinished call")
	h.press("enter")
	h.wantScreen("Call with Ann", "no news")
	if n := len(h.calls(id)); n != 1 {
		t.Fatalf("%d calls: the keys typed ahead started a new one", n)
	}
}

// TestKeysTypedAheadAreNeverLostUnseen: if the call does not open, what
// was typed is shown, not taken as commands.
func TestKeysTypedAheadAreNeverLostUnseen(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.addPerson(coaching.Person{Name: "Ann"})
	h.refresh()
	h.press("enter")
	h.wantScreen("Ann")
	ps := h.app.(App).top().(*personScreen)
	ps.starting = true // a call is starting, and will fail
	m, _ := h.app.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("edit")})
	h.app = m
	h.send(callOpenFailedMsg{"Could not start the call: the disk is full"})
	h.wantScreen("Could not start the call", "Not used, typed while the screen", "“edit”")
	h.dontWantScreen("Edit Ann")
}

// TestACallStartedByMistake: ended with x, an empty call goes; one with
// notes is kept, marked as opened by mistake.
func TestACallStartedByMistake(t *testing.T) {
	h, pid := inCall(t, 80, 24)
	h.press("esc")
	h.wantScreen("x opened by mistake (removed if nothing was noted)")
	h.press("x")
	h.wantScreen("The call opened by mistake was removed.")
	if n := len(h.calls(pid)); n != 0 {
		t.Fatalf("%d calls left", n)
	}
	h.press("c")
	h.wantScreen("Call with")
	h.typeText("hello, wrong person")
	h.press("esc", "x")
	h.wantScreen("kept, marked as opened by mistake")
	calls := h.calls(pid)
	if len(calls) != 1 || calls[0].Outcome != coaching.OutcomeMistake || calls[0].Notes != "hello, wrong person" {
		t.Fatalf("calls = %+v", calls)
	}
}

// TestTheContextPanelShowsLastTime: the last call's notes, the plan, the
// reason for this contact and the latest measure, beside the notes on a
// wide window and in the card's place on a narrow one; typing goes on.
func TestTheContextPanelShowsLastTime(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, 140, 45)
	id := h.addPerson(coaching.Person{Name: "Rosa", CallTimes: "lunch time", TimeZone: "America/New_York"})
	last, err := h.store.StartCall(ctx, id, coaching.RoleCoach, h.now.AddDate(0, 0, -7))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.store.SaveNotes(ctx, last.ID, "Knee better; walked to the market twice.", 1, h.now); err != nil {
		t.Fatal(err)
	}
	if err := h.store.EndCall(ctx, last.ID, coaching.OutcomeReached, h.now.AddDate(0, 0, -7).Add(15*60e9)); err != nil {
		t.Fatal(err)
	}
	plan := coaching.ActionPlan{PersonID: id, Behaviour: coaching.BehaviourActivity, What: "walk to the market", HowMuch: "20 minutes",
		DaysPerWeek: 3, Confidence: coaching.NoScore, Status: coaching.PlanActive}
	f := coaching.FollowUp{PersonID: id, Due: h.now.Add(2 * 60 * 60e9), Reason: "see how the walking went"}
	if _, _, err := h.store.CommitPlan(ctx, plan, []int{5, 8}, &f, h.now); err != nil {
		t.Fatal(err)
	}
	h.refresh()
	h.press("c")
	// 09:00 in New York: outside her lunch time, so the call is asked for.
	h.wantScreen("It is 09:00 for Rosa, outside their call window", "Call anyway?", "enter/y call anyway")
	h.press("enter")
	h.wantScreen("Last time, and now", "Knee better; walked to the market twice.", "walk to the market, 20 minutes",
		"confidence ▄▇ 5 → 8", "for: see how the", "Last call    Mon 16 Nov · reached")
	h.wantScreen("Their time   Mon 09:00 · prefers lunch time", "(outside it now)") // 14:00 here is 09:00 in New York
	h.typeText("today: rain")
	h.wantScreen("today: rain", "Knee better")
	h.setNow(h.now.Add(3*time.Hour + 30*time.Minute))
	h.typeText(" ")
	h.wantScreen("Their time   Mon 12:30 · prefers lunch time", "(now suits them)")
	h.dontWantScreen("outside it now")
	h.press("backspace")

	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	h.dontWantScreen("Last time, and now")
	h.press("alt+b")
	h.wantScreen("Last time, and now", "today: rain")
	h.dontWantScreen("Check in   next:")
	h.typeText(", stayed in")
	h.wantScreen("today: rain, stayed in")
	h.press("alt+b")
	h.wantScreen("Check in   next:")
}

// TestTheCallStaysInView: the plan form and a measure open docked in the
// call: the header with the timer, the last notes and the tally stay on
// screen, and a tally chord pressed in a field is tallied, not typed.
func TestTheCallStaysInView(t *testing.T) {
	h, pid := inCall(t, 80, 24)
	h.typeText("she wants to walk after lunch")
	h.press("alt+l")
	h.wantScreen("Call with Maggie", "0:00 / 20:00", "Action plan with", "she wants to walk after lunch", "OQ 0")
	h.dontWantScreen("she wants to walk after lunch_") // one cursor: the form's
	h.press("tab")
	h.typeText("walk")
	h.press("alt+o", "alt+r")
	h.wantScreen("OQ 1", "SR 1")
	h.dontWantScreen("walko", "walkr")
	tally, err := h.store.Tally(context.Background(), h.callID(pid))
	if err != nil || tally[coaching.TallyOpenQuestion] != 1 || tally[coaching.TallySimpleReflection] != 1 {
		t.Fatalf("tally = %v, %v", tally, err)
	}
	h.press("esc")
	h.wantScreen("Call with Maggie", "> 1 Check in", "she wants to walk after lunch_")
	h.press("alt+w", "2")
	h.wantScreen("Call with Maggie", "PHQ-2", "Question 1 of 2", "she wants to walk after lunch", "OQ 1")
	h.press("alt+a")
	h.wantScreen("AF 1", "Question 1 of 2")
}

// TestCorrectAnOutcome: an ended call's outcome is put right from the
// person's page; the follow-up it had done is due again.
func TestCorrectAnOutcome(t *testing.T) {
	h := newHarness(t, 80, 24)
	id := h.addPerson(coaching.Person{Name: "Ann"})
	if _, err := h.store.AddFollowUp(context.Background(), coaching.FollowUp{PersonID: id, Due: h.now.Add(-60e9), Reason: "walking"}, h.now.Add(-120e9)); err != nil {
		t.Fatal(err)
	}
	h.refresh()
	h.press("c")
	h.typeText("rang, she answered... then it was her neighbour")
	h.press("esc", "r", "enter")
	h.wantScreen("Ann", "reached")
	h.press("o")
	h.wantScreen("How did the call of 23 Nov 14:00 end?", "w wrong number")
	h.press("w")
	h.wantScreen("Corrected: that call ended as wrong number; its summary says so.", "wrong number")
	c := h.calls(id)[0]
	if c.Outcome != coaching.OutcomeWrongNumber {
		t.Fatalf("outcome = %q", c.Outcome)
	}
	if !strings.Contains(c.Summary, "wrong number") || strings.Contains(c.Summary, "reached") {
		t.Fatalf("the stored summary still says how the call was first ended:\n%s", c.Summary)
	}
	if _, open, _ := h.store.OpenFollowUp(context.Background(), id); !open {
		t.Fatal("the follow-up the call had done is not due again")
	}
}

// TestTheCallGetsItsRoomBack: a form closed with nothing to say (esc on
// an empty plan) gives the call its whole room back, at the size the
// terminal became while the form was open: the notes' first line is in
// view again, not only the last three.
func TestTheCallGetsItsRoomBack(t *testing.T) {
	h, _ := inCall(t, 80, 24)
	for i := 1; i <= 8; i++ {
		h.typeText(fmt.Sprintf("line %d of the notes", i))
		h.press("enter")
	}
	h.press("alt+l")
	h.wantScreen("Action plan with")
	h.dontWantScreen("line 1 of the notes")
	h.send(tea.WindowSizeMsg{Width: 140, Height: 45})
	h.press("esc")
	h.wantScreen("Call with", "line 1 of the notes", "line 8 of the notes")
	h.dontWantScreen("Action plan with")
}
