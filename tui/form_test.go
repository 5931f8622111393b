package tui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"callcoach/coaching"
)

// formStates are the states every form is checked in: a choice focused,
// a text field holding text with the cursor inside it, and the discard
// question asked.
func formStates(t *testing.T, name string, open func() screen, toChoice, toText, ask []string) []keyMapCheck {
	at := func(keys []string) func() screen {
		return func() screen { return drive(t, open(), keys...) }
	}
	return []keyMapCheck{
		{name: name + ", a choice", new: at(toChoice)},
		{name: name + ", a text field", new: at(toText), typing: fieldText},
		{name: name + ", asking", new: at(ask)},
	}
}

func TestFormKeyMaps(t *testing.T) {
	h := newHarness(t, 80, 24)
	c := keyMapCommon(h)
	ann := coaching.Person{ID: h.addPerson(coaching.Person{Name: "Ann"}), Name: "Ann", Status: coaching.StatusActive}
	sized := func(s screen) screen { s.SetSize(78, 21); return s }
	plan := func() screen {
		return sized(newPlanForm(c, ann, coaching.ActionPlan{Confidence: coaching.NoScore}, 0))
	}
	newPerson := func() screen { return sized(newPersonForm(c, coaching.Person{})) }
	editPerson := func() screen { return sized(newPersonForm(c, ann)) }
	// Text with the cursor inside a word, so every editing key can act.
	text := []string{"walk after lunch", "left", "left", "left", "left", "left", "left", "left"}
	var checks []keyMapCheck
	checks = append(checks, formStates(t, "plan form", plan,
		nil, append([]string{"tab"}, text...), []string{"tab", "walk", "ctrl+x"})...)
	checks = append(checks, formStates(t, "new person form", newPerson,
		[]string{"up", "up"}, text, []string{"Ann", "esc"})...)
	checks = append(checks, keyMapCheck{name: "edit person form, status", new: func() screen { return drive(t, editPerson(), "up") }})
	// A draft restored: there is something to discard from the start.
	if err := h.store.SaveDraft(context.Background(), fmt.Sprintf("plan:%d", ann.ID), map[string]string{"what": "walk"}, h.now); err != nil {
		t.Fatal(err)
	}
	checks = append(checks, keyMapCheck{name: "plan form, draft restored", new: func() screen {
		s := plan()
		return settle(t, s, s.Init())
	}})
	for _, c := range checks {
		checkKeyMap(t, c)
	}
}

func TestPlanFormEscKeepsADraftAndCtrlXDiscardsIt(t *testing.T) {
	h := newHarness(t, 80, 24)
	id := h.addPerson(coaching.Person{Name: "Ann"})
	h.refresh()
	h.press("enter", "p", "tab")
	h.typeText("walk after lunch")
	h.press("esc") // no question: the typing is kept
	h.wantScreen("Ann", "Not saved; what you typed is kept as a draft")
	h.dontWantScreen("Action plan with Ann", "Discard")
	d, ok, err := h.store.LoadDraft(context.Background(), fmt.Sprintf("plan:%d", id))
	if err != nil || !ok || d.Fields["what"] != "walk after lunch" {
		t.Fatalf("draft = %+v, %v, %v", d, ok, err)
	}

	h.press("p")
	h.wantScreen("Action plan with Ann", "walk after lunch", "Restored what you typed", "esc close, keep draft")
	h.press("f1")
	h.wantScreen("ctrl+x", "discard draft")
	h.press("esc")
	ctrlX := tea.KeyMsg{Type: tea.KeyCtrlX}
	h.send(ctrlX)
	h.wantScreen("Discard what you typed?")
	h.press("n")
	h.wantScreen("Action plan with Ann", "walk after lunch")
	h.send(ctrlX)
	h.press("y")
	h.wantScreen("Calls (0)")
	if _, ok, _ := h.store.LoadDraft(context.Background(), fmt.Sprintf("plan:%d", id)); ok {
		t.Fatal("draft kept after ctrl+x, y")
	}
	h.press("p")
	h.dontWantScreen("Restored", "discard draft")
	h.wantScreen("What            what they will do") // the hint: the field is empty
	h.press("esc")                                    // nothing typed: it just closes
	h.dontWantScreen("Action plan", "kept as a draft")
	if _, ok, _ := h.store.LoadDraft(context.Background(), fmt.Sprintf("plan:%d", id)); ok {
		t.Fatal("a draft of nothing")
	}
}

func TestPlanFormStaysOpenWhenTheDraftCannotBeKept(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.addPerson(coaching.Person{Name: "Ann"})
	h.refresh()
	h.press("enter", "p", "tab")
	h.typeText("walk")
	if err := h.store.Close(); err != nil {
		t.Fatal(err)
	}
	h.press("esc")
	h.wantScreen("Action plan with Ann", "Could not keep a draft", "walk")
}

func TestUnfocusedFieldShowsTheStartOfItsText(t *testing.T) {
	h := newHarness(t, 60, 24)
	h.addPerson(coaching.Person{Name: "Ann"})
	h.refresh()
	h.press("enter", "p", "tab")
	long := "walk round the park after lunch with the dog, then home the long way past the shops"
	h.typeText(long)
	h.wantScreen("the shops") // the field with the cursor shows where it is
	h.press("tab")
	line := lineWith(h.screen(), "What")
	if !strings.Contains(line, "walk round the park") || !strings.HasSuffix(strings.TrimSpace(line), "…") {
		t.Fatalf("the field left shows %q, not the start of its text", line)
	}
	h.press("shift+tab")
	h.wantScreen("the shops")
}

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

func lineWith(screen, sub string) string {
	for _, l := range strings.Split(screen, "\n") {
		if strings.Contains(l, sub) {
			return l
		}
	}
	return ""
}
