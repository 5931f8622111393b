package tui

import (
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"callcoach/coaching"
)

func TestFieldErrorsFindTheirFieldByName(t *testing.T) {
	h := newHarness(t, 80, 24)
	f := newPlanForm(h.c, coaching.Person{ID: 1, Name: "Ann"}, coaching.ActionPlan{}, 0)
	for name, want := range map[string]string{"how much": "how_much", "barriers": "barrier1", "follow-up": "followup_when",
		"confidence": "confidence", "days": "days"} {
		f.focusName(name)
		if got := f.focused().name; got != want {
			t.Errorf("an error in %q puts the cursor in %q, want %q", name, got, want)
		}
	}
	p := newPersonForm(h.c, coaching.Person{ID: 1, Name: "Ann"})
	for name, want := range map[string]string{"preferred name": "preferred_name", "time zone": "time_zone",
		"communication needs": "communication_needs", "status": "status"} {
		p.focusName(name)
		if got := p.focused().name; got != want {
			t.Errorf("an error in %q puts the cursor in %q, want %q", name, got, want)
		}
	}
}

func TestTwoFieldsOfOneNameAreRefused(t *testing.T) {
	h := newHarness(t, 80, 24)
	defer func() {
		if recover() == nil {
			t.Fatal("a form with two fields called what was made")
		}
	}()
	newForm(h.c, "x", &formKeys{}, section("", textField("what", "What", "", "", 10)), section("", textField("what", "Again", "", "", 10)))
}

func TestPlanFormViewChangesNothing(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.addPerson(coaching.Person{Name: "Ann"})
	h.refresh()
	h.press("enter", "p", "tab")
	h.typeText("walk")
	f := h.app.(App).top().(*planForm)
	before := f.View()
	h.setNow(h.now.Add(48 * time.Hour)) // a view reads no clock
	if after := f.View(); after != before {
		t.Fatalf("view changed with nothing sent:\n%s\n---\n%s", ansi.Strip(before), ansi.Strip(after))
	}
}
