package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"callcoach/coaching"
)

// planFieldsOrder is the plan form's fields, for moving with tab.
var planFieldsOrder = []string{"behaviour", "what", "how_much", "when", "where", "days", "start", "review",
	"barrier1", "solution1", "barrier2", "solution2", "barrier3", "solution3", "backup",
	"commitment", "confidence", "followup_when", "followup_reason"}

// toField tabs forward from the focused field to name.
func (h *harness) toField(name string) {
	h.t.Helper()
	f, ok := h.app.(App).top().(*planForm)
	if !ok {
		h.t.Fatalf("top screen is %T, not the plan form", h.app.(App).top())
	}
	for i := 0; i < len(planFieldsOrder) && f.focused().name != name; i++ {
		h.press("tab")
	}
	if f.focused().name != name {
		h.t.Fatalf("no field %q", name)
	}
}

func TestPlanFormFromThePersonScreen(t *testing.T) {
	h := newHarness(t, 80, 24)
	id := h.addPerson(coaching.Person{Name: "Rosa Delgado", TimeZone: "America/New_York"})
	h.refresh()
	h.press("enter", "p")
	h.wantScreen("Action plan with Rosa", "Next: make it specific")
	h.press("a") // physical activity, from the menu
	h.toField("what")
	h.typeText("lose 5 kg")
	h.wantScreen("names a result")
	h.press("ctrl+u")
	h.typeText("walk after lunch")
	h.toField("how_much")
	h.typeText("20 minutes")
	h.toField("when")
	h.typeText("after lunch")
	h.toField("days")
	h.typeText("7")
	h.wantScreen("every day leaves no slack")
	h.press("backspace")
	h.typeText("9")
	h.wantScreen("Days is how many days a week")
	h.press("backspace")
	h.typeText("4")
	h.toField("commitment")
	h.typeText("I'll walk 20 minutes after lunch 4 days")
	h.toField("confidence")
	h.typeText("5")
	h.press("tab")
	h.wantScreen("Confidence 5 is below 7", "smaller")
	// Problem-solve: fewer days, a new commitment, a new score.
	h.toField("days")
	h.press("backspace")
	h.typeText("3")
	h.toField("confidence")
	h.press("ctrl+u")
	h.typeText("8")
	h.press("tab")
	h.wantScreen("Scores so far: 5 → 8")
	h.typeText("someday")
	h.wantScreen("not a date I can read")
	h.press("ctrl+u")
	h.typeText("tomorrow 10:00")
	h.wantScreen("Follow-up: Tue 24 Nov 10:00 their time (15:00 yours)")
	h.press("ctrl+s")
	h.wantScreen("Plan saved. Follow-up Tue 24 Nov 10:00 their time", "walk after lunch · 20 minutes · after lunch · 3 days a week")

	plans, err := h.store.PlansForPerson(context.Background(), id)
	if err != nil || len(plans) != 1 {
		t.Fatalf("plans %v %v", plans, err)
	}
	p := plans[0]
	if p.Behaviour != coaching.BehaviourActivity || p.DaysPerWeek != 3 || p.Confidence != 8 || !strings.Contains(p.Commitment, "4 days") {
		t.Fatalf("plan %+v", p)
	}
	scores, _ := h.store.PlanScores(context.Background(), p.ID)
	if len(scores) != 2 || scores[0].Score != 5 || scores[1].Score != 8 {
		t.Fatalf("scores %+v", scores)
	}
	f, ok, _ := h.store.OpenFollowUp(context.Background(), id)
	if !ok || f.PlanID != p.ID || f.Due.UTC().Format("2006-01-02 15:04") != "2026-11-24 15:00" {
		t.Fatalf("follow-up %+v %v", f, ok)
	}
	h.press("tab")
	h.wantScreen("Plans (1)", "active", "conf 8", "walk after lunch", "Confidence", "5 → 8")
}

func TestPlanFormNeedsWhatAndKeepsADraft(t *testing.T) {
	h := newHarness(t, 80, 24)
	id := h.addPerson(coaching.Person{Name: "Ann"})
	h.refresh()
	h.press("enter", "p", "ctrl+s")
	h.wantScreen("Not saved: What is needed")
	h.typeText("stretch")
	h.press("ctrl+c")
	h2 := h.restart(80, 24)
	h2.press("enter", "p")
	h2.wantScreen("stretch", "Restored what you typed")
	h2.press("ctrl+s")
	h2.wantScreen("Plan saved.")
	if plans, _ := h2.store.PlansForPerson(context.Background(), id); len(plans) != 1 || plans[0].Confidence != coaching.NoScore {
		t.Fatalf("plans %+v", plans)
	}
}

func TestReviewAndReviseInTheCall(t *testing.T) {
	h := newHarness(t, 80, 24)
	id := h.addPerson(coaching.Person{Name: "Ann"})
	plan := coaching.ActionPlan{PersonID: id, Behaviour: coaching.BehaviourActivity, What: "walk", HowMuch: "15 min",
		When: "after lunch", DaysPerWeek: 3, Confidence: coaching.NoScore, Status: coaching.PlanActive}
	if _, _, err := h.store.CommitPlan(context.Background(), plan, []int{8}, nil, h.now); err != nil {
		t.Fatal(err)
	}
	h.refresh()
	h.press("c")
	h.press("alt+v")
	h.wantScreen("How did the plan go?")
	h.press("x")
	h.wantScreen("Press d, p or n")
	h.press("n")
	h.typeText("nothing much")
	h.press("enter")
	h.typeText("the rain")
	h.press("enter")
	h.wantScreen("Review saved: not done", "c continue it · r revise it")
	h.press("alt+2")
	h.wantScreen("> 2 Review last plan", "Last plan: walk · 15 min · after lunch · 3 days a week", "8 · not done")
	h.press("alt+v")
	h.wantScreen("Finish this question first")
	h.press("esc")
	h.press("alt+v", "d", "enter", "enter")
	h.wantScreen("Review saved: done")
	h.press("r")
	h.wantScreen("Revised plan with Ann")
	h.toField("confidence")
	h.typeText("9")
	h.press("ctrl+s")
	h.wantScreen("Plan saved.", "Call with Ann")
	plans, _ := h.store.PlansForPerson(context.Background(), id)
	if len(plans) != 2 || plans[0].Replaces != plans[1].ID || plans[1].Status != coaching.PlanRevised || plans[0].Confidence != 9 {
		t.Fatalf("plans %+v", plans)
	}
	reviews, _ := h.store.PlanReviews(context.Background(), plans[1].ID)
	if len(reviews) != 2 || reviews[0].Outcome != coaching.PlanNotDone || reviews[0].GotInWay != "the rain" {
		t.Fatalf("reviews %+v", reviews)
	}
}

func TestFollowUpFromTheCallAndCaseloadSections(t *testing.T) {
	h := newHarness(t, 100, 30)
	ann := h.addPerson(coaching.Person{Name: "Ann"})
	h.addPerson(coaching.Person{Name: "Bob"})
	late := h.addPerson(coaching.Person{Name: "Cy"})
	if _, err := h.store.AddFollowUp(context.Background(), coaching.FollowUp{PersonID: late, Due: h.now.Add(-26 * time.Hour)}, h.now.Add(-48*time.Hour)); err != nil {
		t.Fatal(err)
	}
	h.refresh()
	// With someone overdue, the caseload opens on the Now view, with them.
	h.wantScreen("[Now 1]", "Overdue 1", "Due today 0", "Upcoming 0", "No follow-up 2", "Everyone 3", "> Cy", "overdue")
	// Finding someone looks through everyone, then esc comes back.
	h.press("/")
	h.typeText("bo")
	h.pause()
	h.wantScreen("[Everyone 1]", "> Bob")
	h.press("esc")
	h.wantScreen("[Now 1]", "> Cy")
	h.press("tab")
	h.wantScreen("[Overdue 1]", "> Cy", "late")
	h.press("tab", "tab", "tab")
	h.wantScreen("[No follow-up 2]", "Ann", "Bob")
	h.press("c") // Ann
	h.press("alt+f")
	h.typeText("yesterday")
	h.press("enter")
	h.wantScreen("is in the past")
	h.press("ctrl+u")
	h.typeText("fri 14:00")
	h.wantScreen("→ Fri 27 Nov 14:00")
	h.press("enter")
	h.typeText("check on the new tablets")
	h.press("enter")
	h.wantScreen("Next contact: Fri 27 Nov 14:00")
	h.press("esc", "n", "enter", "esc")
	h.wantScreen("Upcoming 1", "No follow-up 1")
	if f, ok, _ := h.store.OpenFollowUp(context.Background(), ann); !ok || f.Reason != "check on the new tablets" {
		t.Fatalf("follow-up %+v", f)
	}
	h.press("shift+tab")
	h.wantScreen("[Upcoming 1]", "Ann", "Fri 14:00")
}

func TestSearchEverythingAndOpenTheCall(t *testing.T) {
	h := newHarness(t, 80, 24)
	id := h.addPerson(coaching.Person{Name: "Ann"})
	h.addPerson(coaching.Person{Name: "Bob"})
	h.refresh()
	h.press("c")
	h.typeText("Knee sore on Thursday, walked anyway.")
	h.send(tea.KeyMsg{Type: tea.KeyCtrlF}) // from inside the call: notes are saved first
	h.wantScreen("Search everything")
	if got := h.calls(id)[0].Notes; !strings.Contains(got, "Knee sore") {
		t.Fatalf("notes not saved before search: %q", got)
	}
	h.typeText("thurs kne")
	h.wantScreen("1 found", "Ann · Mon 23 Nov 2026 · note", "«Knee» sore on «Thursday»")
	h.typeText("zzz")
	h.wantScreen("Nothing found")
	h.press("backspace", "backspace", "backspace", "enter")
	h.wantScreen("Ann", "UNFINISHED", "Knee sore on Thursday")
	h.press("esc", "esc")
	h.wantScreen("Call with Ann") // back in the call, which goes on
}

// TestPlanFollowUpAsksReplaceOrAdd: a plan's follow-up, for someone who
// already has a next contact, asks first: r replaces it, a adds it.
func TestPlanFollowUpAsksReplaceOrAdd(t *testing.T) {
	h := newHarness(t, 100, 30)
	ctx := context.Background()
	id := h.addPerson(coaching.Person{Name: "Rosa", Consent: true})
	if _, err := h.store.AddFollowUp(ctx, coaching.FollowUp{PersonID: id, Due: h.now.Add(48 * time.Hour), Reason: "check the tablets"}, h.now); err != nil {
		t.Fatal(err)
	}
	h.refresh()
	h.press("enter", "p", "a")
	h.toField("what")
	h.typeText("walk after lunch")
	h.toField("followup_when")
	h.typeText("tomorrow 10:00")
	h.press("ctrl+s")
	h.wantScreen("They already have a next contact:", "check the tablets", "r replaces it")
	h.press("esc") // back to the form: nothing saved
	h.dontWantScreen("They already have")
	h.wantScreen("Action plan with Rosa")
	h.press("ctrl+s")
	h.wantScreen("They already have a next contact:")
	h.press("r")
	h.wantScreen("Plan saved. Follow-up Tue 24 Nov 10:00")
	f, ok, err := h.store.OpenFollowUp(ctx, id)
	if err != nil || !ok || !f.Due.Equal(h.now.Add(20*time.Hour)) {
		t.Fatalf("the open follow-up: %+v, %v, %v", f, ok, err)
	}
	var open int
	if err := rawQuery(h, "SELECT count(*) FROM follow_ups WHERE person_id = ? AND done_at IS NULL", id).Scan(&open); err != nil || open != 1 {
		t.Fatalf("%d open follow-ups, %v: one next contact", open, err)
	}
}
