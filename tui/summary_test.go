package tui

import (
	"context"
	"strings"
	"testing"

	"callcoach/coaching"
	"callcoach/coaching/measures"
	"callcoach/coaching/summary"
)

// A call that reviews the last plan, revises it, sets the next contact and
// gives a PHQ-9 that raises the safety panel ends with a summary that
// holds all of it, on the screen, in the file and on the person's page.
func TestTheSummaryHoldsEverythingTheCallProduced(t *testing.T) {
	h := newHarness(t, 140, 60)
	id := h.addPerson(coaching.Person{Name: "Ann"})
	plan := coaching.ActionPlan{PersonID: id, Behaviour: coaching.BehaviourActivity, What: "walk", HowMuch: "15 min",
		When: "after lunch", DaysPerWeek: 3, Confidence: coaching.NoScore, Status: coaching.PlanActive}
	if _, _, err := h.store.CommitPlan(context.Background(), plan, []int{8}, nil, h.now); err != nil {
		t.Fatal(err)
	}
	h.refresh()
	h.press("c")
	h.typeText(`She said "one step at a time".`)

	h.press("alt+v", "n")
	h.typeText("nothing much")
	h.press("enter")
	h.typeText("the rain")
	h.press("enter")
	h.wantScreen("Review saved: not done")
	h.press("r")
	h.wantScreen("Revised plan with Ann")
	h.toField("confidence")
	h.typeText("9")
	h.press("ctrl+s")
	h.wantScreen("Plan saved.", "Call with Ann")

	h.press("alt+f")
	h.typeText("fri 14:00")
	h.press("enter")
	h.typeText("check on the walks")
	h.press("enter")
	h.wantScreen("Next contact: Fri 27 Nov 14:00")

	h.press("alt+w", measureKey(t, measures.PHQ9))
	h.typeText("100000001")
	h.wantScreen("SAFETY", "What was done")
	h.press(actionKey(t, false, measures.ActionAskedDirectly), actionKey(t, false, measures.ActionNoCurrentRisk), "enter")
	h.wantScreen("Last question", "how difficult")
	h.press("1")
	h.wantScreen("Saved with each answer")
	h.press("enter")
	h.wantScreen("Call with Ann")

	h.press("esc", "r")
	phq9, _ := measures.Get(measures.PHQ9)
	want := []string{
		"SAFETY", "- 14:00: PHQ-9 question 9 was answered above 0",
		"Done: asked them directly about suicide; asked, and judged there is no current risk (recorded 14:00)",
		"Last plan reviewed", "- walk · 15 min · after lunch · 3 days a week: not done", "What got in the way: the rain",
		"Measures", "- PHQ-9: 2 of 27, " + phq9.BandOf(2) + ". A screen is not a diagnosis.",
		"Action plan", "- Revised plan (physical activity): walk · 15 min · after lunch · 3 days a week", "Confidence: 9",
		"Next contact", "- Fri 27 Nov 2026 14:00 UTC: check on the walks",
		"Notes", `She said "one step at a time".`,
	}
	h.wantScreen(append([]string{"Call summary"}, want...)...)
	h.dontWantScreen(`\"`)
	stored := h.calls(id)[0].Summary
	for _, w := range want {
		if !strings.Contains(stored, w) {
			t.Errorf("the stored summary lacks %q:\n%s", w, stored)
		}
	}
	h.press("enter")
	h.wantScreen("Summary of", "SAFETY", "PHQ-9 question 9")
}

// An organisation's template writes the summary; one that fails on the
// call falls back to the built-in summary, and the coach is told why.
func TestTheSummaryTemplate(t *testing.T) {
	parse := func(src string) *summary.Template {
		tmpl, probs := summary.Parse("org.tmpl", []byte(src))
		if len(probs) > 0 {
			t.Fatal(probs)
		}
		return tmpl
	}
	h, id := inCall(t, 80, 24)
	h.c.Summary = parse("Contact with {{.Name}}: {{.Outcome}}, {{.Length}}.\n{{with .Notes}}{{.}}{{end}}\n")
	h.typeText("Talked about pacing.")
	h.press("esc", "v")
	h.wantScreen("Call summary", "Contact with Margaret Okafor: left voicemail, <1 min.", "Talked about pacing.")
	h.dontWantScreen("template failed")
	if got := h.calls(id)[0].Summary; got != "Contact with Margaret Okafor: left voicemail, <1 min.\nTalked about pacing.\n" {
		t.Fatalf("stored %q", got)
	}

	h2, id2 := inCall(t, 80, 24)
	h2.c.Summary = parse("{{.Name}}\n{{(index .Rulers 0).Kind}}\n")
	h2.press("esc", "r")
	h2.wantScreen("Call summary", "Call with Maggie (Margaret Okafor)",
		"! Your summary template failed (org.tmpl:2: at <index .Rulers 0>")
	if got := h2.calls(id2)[0].Summary; !strings.HasPrefix(got, "Call with Maggie (Margaret Okafor)\n") {
		t.Fatalf("stored %q", got)
	}
}

// A long line of the summary carries on under its own text, so lists
// still read as lists in a narrow terminal.
func TestSummaryWrapsUnderTheItem(t *testing.T) {
	for _, tc := range []struct {
		in    string
		width int
		want  string
	}{
		{"short\n- fits", 10, "short\n- fits"},
		{"- one two three four", 10, "- one two\n  three\n  four"},
		{"  Done: one two three", 12, "  Done: one\n  two three"},
		{"Notes run on and on", 8, "Notes\nrun on\nand on"},
		{"          - deep indent here", 12, "          -\ndeep indent\nhere"},
	} {
		if got := hangingWrap(tc.in, tc.width); got != tc.want {
			t.Errorf("hangingWrap(%q, %d) =\n%q\nwant\n%q", tc.in, tc.width, got, tc.want)
		}
	}
}
