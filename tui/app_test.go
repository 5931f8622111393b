package tui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"callcoach/coaching"
	"callcoach/storage"
)

// refresh makes the top screen read the database again, as coming back to
// it does.
func (h *harness) refresh() {
	h.t.Helper()
	if r, ok := h.app.(App).top().(resumer); ok {
		h.run(r.Resume())
	}
}

func (h *harness) people(filter string) []storage.CaseloadRow {
	h.t.Helper()
	page, err := h.store.Caseload(context.Background(), storage.CaseloadQuery{Filter: filter, Limit: 100})
	if err != nil {
		h.t.Fatal(err)
	}
	return page.Rows
}

func (h *harness) calls(personID int64) []coaching.Call {
	h.t.Helper()
	calls, err := h.store.CallsForPerson(context.Background(), personID, 100)
	if err != nil {
		h.t.Fatal(err)
	}
	return calls
}

func TestEmptyCaseloadSaysWhatToDo(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.wantScreen("Caseload", "No one is on your caseload yet", "Press n", "callcoach demo", "q quit")
}

func TestAddPersonWithOnlyAName(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.press("n")
	h.wantScreen("New person", "Name *", "ctrl+s")
	h.typeText("Ann Lee")
	h.press("ctrl+s")
	h.wantScreen("Ann Lee", "Added to the caseload", "No calls yet")
	rows := h.people("")
	if len(rows) != 1 || rows[0].Name != "Ann Lee" {
		t.Fatalf("stored people = %+v", rows)
	}
	h.press("esc")
	h.wantScreen("Caseload", "1 person", "> Ann Lee")
}

func TestAddPersonEveryField(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.press("n")
	h.typeText("Margaret Okafor")
	h.press("tab", "tab", "tab") // past the given and family names
	h.typeText("Maggie")
	h.press("tab")
	h.typeText("+44 20 7946 0132")
	h.press("tab")
	h.typeText("Europe/London")
	h.press("tab")
	h.typeText("type 2 diabetes, COPD")
	h.press("tab")
	h.typeText("mornings")
	h.press("tab")
	h.typeText("hard of hearing")
	h.press("tab")
	h.typeText("943 476 5919")
	h.press("tab")
	h.typeText("https://fhir.nhs.uk/Id/nhs-number")
	h.press("tab", "y", "tab")
	h.typeText("2026-11-01")
	h.press("ctrl+s")
	h.wantScreen("Margaret Okafor", "likes to be called Maggie", "+44 20 7946 0132", "Europe/London (Mon 14:00 there now)",
		"type 2 diabetes, COPD", "mornings", "hard of hearing", "yes, given 2026-11-01",
		"Record no.", "943 476 5919 (https://fhir.nhs.uk/Id/nhs-number)")
	p, err := h.store.GetPerson(context.Background(), h.people("")[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if !p.Consent || p.ConsentDate != "2026-11-01" || len(p.Conditions) != 2 || p.TimeZone != "Europe/London" ||
		p.Identifier != "943 476 5919" || p.IdentifierSystem != "https://fhir.nhs.uk/Id/nhs-number" {
		t.Fatalf("stored %+v", p)
	}
}

func TestFormRefusesBadInputAndKeepsTyping(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.press("n", "ctrl+s")
	h.wantScreen("Not saved", "a name is needed")
	h.typeText("   ")
	h.press("ctrl+s")
	h.wantScreen("a name is needed")
	h.typeText("Bo")
	h.press("tab", "tab", "tab", "tab") // past the given and family names
	h.typeText("call me maybe")
	h.press("ctrl+s")
	h.wantScreen("Not saved: Phone should have only digits")
	h.press("tab")
	h.typeText("Mars/Base")
	h.press("up")
	h.press("ctrl+u")
	h.typeText("0161 496 0000")
	h.press("ctrl+s")
	h.wantScreen("Time zone", "not a known time zone")
	if n := len(h.people("")); n != 0 {
		t.Fatalf("%d people stored after refused saves", n)
	}
}

func TestHugePasteIntoNameIsRefusedClearly(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.press("n")
	h.paste(strings.Repeat("x", 10000))
	h.press("ctrl+s")
	h.wantScreen("Not saved", "at most 200 fit")
	if n := len(h.people("")); n != 0 {
		t.Fatalf("%d people stored", n)
	}
}

func TestCancelFormAsksOnlyWhenSomethingWasTyped(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.press("n", "esc")
	h.wantScreen("Caseload")
	h.press("n")
	h.typeText("Half typed")
	h.press("esc")
	h.wantScreen("Discard what you typed?")
	h.press("n")
	h.wantScreen("New person", "Half typed")
	h.press("esc", "y")
	h.wantScreen("Caseload", "No one is on your caseload yet")
}

func TestFilterAsYouType(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.addPerson(coaching.Person{Name: "Ann Lee", Conditions: []string{"asthma"}, Phone: "0161 496 0000"})
	h.addPerson(coaching.Person{Name: "Bob Diaz", Conditions: []string{"type 2 diabetes"}})
	h.addPerson(coaching.Person{Name: "Cy Young", Conditions: []string{"COPD"}})
	h.refresh()
	h.wantScreen("3 people", "Ann Lee", "Bob Diaz", "Cy Young")
	h.press("/")
	h.typeText("diab")
	// The rows come with each key; the tabs are counted once typing
	// pauses, and keep their counts until then.
	h.wantScreen("3 of 3 people match", "Bob Diaz")
	h.dontWantScreen("Ann Lee", "Cy Young")
	h.pause()
	h.wantScreen("1 of 3 people match", "[Everyone 1]", "No follow-up 1", "Bob Diaz")
	h.press("backspace", "backspace", "backspace", "backspace")
	h.typeText("4960")
	h.wantScreen("Ann Lee")
	h.dontWantScreen("Bob Diaz")
	h.press("enter", "enter")
	h.wantScreen("Ann Lee", "asthma", "Calls (0)")
	h.press("esc", "esc")
	h.wantScreen("3 people", "Cy Young")
	h.press("/")
	h.typeText("zzz")
	h.wantScreen("No one here matches “zzz”")
}

func TestCallNotesAreSavedAsTheyAreTyped(t *testing.T) {
	h := newHarness(t, 80, 24)
	id := h.addPerson(coaching.Person{Name: "Ann Lee", PreferredName: "Annie"})
	h.refresh()
	h.press("c")
	h.wantScreen("Call with Annie", "0:00")
	h.typeText("Walked twice")
	if got := h.calls(id)[0].Notes; got != "" {
		t.Fatalf("notes written before the save delay: %q", got)
	}
	h.advance(time.Second)
	if got := h.calls(id)[0].Notes; got != "Walked twice" {
		t.Fatalf("stored notes = %q", got)
	}
	h.wantScreen("0:01", "saved")
	h.press("enter")
	h.typeText("Knee sore on Thursday?")
	h.advance(time.Second)
	h.wantScreen("Knee sore on Thursday?")
	h.press("esc")
	h.wantScreen("End call: r reached")
	h.press("r")
	h.wantScreen("Call summary", "Walked twice")
	h.press("enter")
	h.wantScreen("Calls (1)", "reached", "Walked twice", "Knee sore on Thursday?")
	c := h.calls(id)[0]
	if c.Outcome != coaching.OutcomeReached || c.Unfinished() || c.Notes != "Walked twice\nKnee sore on Thursday?" {
		t.Fatalf("stored call %+v", c)
	}
}

func TestEndingACallCanBeCancelled(t *testing.T) {
	h := newHarness(t, 80, 24)
	id := h.addPerson(coaching.Person{Name: "Ann"})
	h.refresh()
	h.press("c")
	h.typeText("x")
	h.press("esc")
	h.wantScreen("End call: r reached")
	h.press("q") // not an outcome: nothing happens
	h.press("esc")
	h.wantScreen("Call with Ann")
	h.dontWantScreen("End call: r reached")
	h.typeText("y")
	h.wantScreen("xy")
	if !h.calls(id)[0].Unfinished() {
		t.Fatal("call ended")
	}
}

func TestQuitDuringCallSavesNotesAtOnce(t *testing.T) {
	h := newHarness(t, 80, 24)
	id := h.addPerson(coaching.Person{Name: "Ann"})
	h.refresh()
	h.press("c")
	h.typeText("last words before quitting")
	h.press("ctrl+c")
	if !h.quit {
		t.Fatal("ctrl+c did not quit")
	}
	if got := h.calls(id)[0].Notes; got != "last words before quitting" {
		t.Fatalf("notes after ctrl+c = %q", got)
	}
}

func TestUnfinishedCallIsShownAndCanBeContinued(t *testing.T) {
	h := newHarness(t, 80, 24)
	id := h.addPerson(coaching.Person{Name: "Ann"})
	h.refresh()
	h.press("c")
	h.typeText("first part")
	h.advance(time.Second)

	// A restart: a new app on the same file, the old one never ended.
	h2 := h.restart(80, 24)
	h2.wantScreen("Ann", "unfinished call")
	h2.press("enter")
	h2.wantScreen("UNFINISHED", "first part")
	h2.press("c")
	h2.wantScreen("There is an unfinished call")
	h2.press("enter")
	h2.wantScreen("Call with Ann", "first part", "saved")
	h2.dontWantScreen("saving")
	h2.press("ctrl+end") // harmless if unbound
	h2.typeText(" and more")
	h2.advance(time.Second)
	h2.press("esc", "n")
	calls := h2.calls(id)
	if len(calls) != 1 || calls[0].Outcome != coaching.OutcomeNoAnswer || !strings.Contains(calls[0].Notes, "first part") || !strings.Contains(calls[0].Notes, "and more") {
		t.Fatalf("calls = %+v", calls)
	}
}

func TestStartNewCallInsteadOfContinuing(t *testing.T) {
	h := newHarness(t, 80, 24)
	id := h.addPerson(coaching.Person{Name: "Ann"})
	h.refresh()
	h.press("c", "ctrl+c")
	h2 := h.restart(80, 24)
	h2.press("c")
	h2.wantScreen("There is an unfinished call")
	h2.press("n")
	h2.wantScreen("Call with Ann")
	if n := len(h2.calls(id)); n != 2 {
		t.Fatalf("%d calls, want 2", n)
	}
}

func TestEditProfile(t *testing.T) {
	h := newHarness(t, 80, 24)
	id := h.addPerson(coaching.Person{Name: "Ann"})
	h.refresh()
	h.press("enter", "e")
	h.wantScreen("Edit Ann", "Status")
	h.press("tab", "tab", "tab")
	h.typeText("Annie")
	h.press("ctrl+s")
	h.wantScreen("likes to be called Annie", "Profile saved", fmt.Sprintf("· no. %d", id)) // the number --person takes
	p, _ := h.store.GetPerson(context.Background(), id)
	if p.PreferredName != "Annie" {
		t.Fatalf("stored %+v", p)
	}
}

func TestHelpOnEveryScreen(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.addPerson(coaching.Person{Name: "Ann"})
	h.refresh()
	h.press("?")
	h.wantScreen("Keys on this screen", "new person", "find")
	h.press("esc")
	h.wantScreen("Caseload")
	h.dontWantScreen("Keys on this screen")
	h.press("enter", "?")
	h.wantScreen("Keys on this screen", "edit profile")
	h.press("esc", "c")
	h.typeText("why?")
	h.wantScreen("why?", "f1 all keys")
	h.press("f1")
	// An overlay: the call's header (timer) and its notes stay in view.
	h.wantScreen("Keys on this screen", "Call with Ann", "0:00 / 20:00", "why?", "next stage", "↑/↓ scroll")
	h.dontWantScreen("delete word") // further down
	for i := 0; i < 30 && !strings.Contains(h.screen(), "delete word"); i++ {
		h.press("pgdown")
	}
	h.wantScreen("delete word")
	// Typing finds keys.
	h.typeText("tally")
	h.wantScreen("Find: tally", "tally: open question", "tally: affirmation", "why?")
	h.dontWantScreen("next stage", "delete word")
	h.typeText("zzz")
	h.wantScreen("No key matches that.")
	h.press("esc")
	h.wantScreen("Call with Ann", "why?")
	h.dontWantScreen("Keys on this screen")
	h.typeText(" more") // the notes have the keys again
	h.wantScreen("why? more")
	h.press("esc", "r", "enter", "esc", "n", "f1")
	h.wantScreen("Keys on this screen", "save", "next field")
}

func TestQuitKeys(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.press("n")
	h.typeText("q")
	if h.quit {
		t.Fatal("q in a text field quit the app")
	}
	h.press("esc", "y", "q")
	if !h.quit {
		t.Fatal("q on the caseload did not quit")
	}
}

func TestOddNamesFitTheScreen(t *testing.T) {
	names := []string{"Zoë 👩🏽‍⚕️ Okafor", "مريم الحسن", "שרה כהן", "李伟 (Li Wei)", strings.Repeat("Wolfeschlegelsteinhausen", 8)}
	for _, size := range [][2]int{{80, 24}, {40, 12}, {20, 6}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			h := newHarness(t, size[0], size[1])
			for _, n := range names {
				h.addPerson(coaching.Person{Name: n, Conditions: []string{"asthma", strings.Repeat("long condition ", 5)}})
			}
			h.refresh()
			for range names {
				h.press("down")
			}
			h.press("enter", "c")
			h.typeText("notes 👍🏽 مرحبا")
			h.press("esc", "esc", "esc")
		})
	}
}

func TestResizeOnEveryScreen(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.addPerson(coaching.Person{Name: "Ann", Conditions: []string{"asthma"}})
	h.refresh()
	sizes := []tea.WindowSizeMsg{{Width: 20, Height: 6}, {Width: 1, Height: 1}, {Width: 0, Height: 0}, {Width: 200, Height: 60}, {Width: 80, Height: 24}}
	steps := [][]string{nil, {"n"}, {"esc", "enter"}, {"c"}, {"esc"}, {"esc"}, {"esc", "r"}, {"enter"}, {"esc"}}
	for _, step := range steps {
		h.press(step...)
		for _, s := range sizes {
			h.send(s)
		}
	}
	h.wantScreen("Caseload")
}

func TestCaseloadScrollsWithoutLoadingEveryone(t *testing.T) {
	h := newHarness(t, 80, 24)
	ctx := context.Background()
	for i := 0; i < 400; i++ {
		p := coaching.Person{Name: fmt.Sprintf("Person %04d", i), Status: coaching.StatusActive}
		if _, err := h.store.CreatePerson(ctx, p, h.now); err != nil {
			t.Fatal(err)
		}
	}
	h.refresh()
	h.wantScreen("400 people", "> Person 0000")
	cl := h.app.(App).top().(*caseload)
	if len(cl.rows) > caseloadWindow {
		t.Fatalf("caseload holds %d rows, at most %d", len(cl.rows), caseloadWindow)
	}
	h.press("end")
	h.wantScreen("> Person 0399")
	h.press("home")
	for i := 0; i < 250; i++ {
		h.press("down")
	}
	h.wantScreen("> Person 0250")
	h.press("pgup")
	h.wantScreen("> Person 0232")
	if len(cl.rows) > caseloadWindow {
		t.Fatalf("caseload holds %d rows", len(cl.rows))
	}
}

func TestNewPersonFormKeepsADraft(t *testing.T) {
	h := newHarness(t, 80, 24)
	ctx := context.Background()
	h.press("n")
	h.typeText("Half Typed")
	h.press("tab", "tab", "tab", "tab")
	h.typeText("0161 496")
	if _, ok, _ := h.store.LoadDraft(ctx, "person:new"); ok {
		t.Fatal("draft written before the save delay")
	}
	h.advance(time.Second)
	d, ok, err := h.store.LoadDraft(ctx, "person:new")
	if err != nil || !ok || d.Fields["name"] != "Half Typed" || d.Fields["phone"] != "0161 496" {
		t.Fatalf("draft after the delay = %+v, %v, %v", d, ok, err)
	}
	h.typeText("0")
	h.press("ctrl+c") // quits at once: the last keystroke must be kept too
	if d, _, _ := h.store.LoadDraft(ctx, "person:new"); d.Fields["phone"] != "0161 4960" {
		t.Fatalf("draft after ctrl+c = %+v", d.Fields)
	}

	h2 := h.restart(80, 24)
	h2.press("n")
	h2.wantScreen("Half Typed", "0161 4960", "Restored what you typed")
	h2.press("ctrl+s")
	h2.wantScreen("Added to the caseload")
	if _, ok, _ := h2.store.LoadDraft(ctx, "person:new"); ok {
		t.Fatal("draft kept after the person was saved")
	}
	h2.press("esc", "n")
	h2.dontWantScreen("Half Typed", "Restored")
}

func TestDiscardedFormLeavesNoDraft(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.press("n")
	h.typeText("Oops")
	h.advance(time.Second)
	if _, ok, _ := h.store.LoadDraft(context.Background(), "person:new"); !ok {
		t.Fatal("no draft after the delay")
	}
	h.press("esc", "y")
	h.advance(time.Second)
	if _, ok, _ := h.store.LoadDraft(context.Background(), "person:new"); ok {
		t.Fatal("draft kept after discarding")
	}
}

func TestEditFormDraftIsPerPerson(t *testing.T) {
	h := newHarness(t, 80, 24)
	id := h.addPerson(coaching.Person{Name: "Ann"})
	h.refresh()
	h.press("enter", "e", "tab", "tab", "tab")
	h.typeText("Annie")
	h.advance(time.Second)
	key := fmt.Sprintf("person:%d", id)
	if d, ok, _ := h.store.LoadDraft(context.Background(), key); !ok || d.Fields["preferred_name"] != "Annie" {
		t.Fatalf("edit draft = %+v %v", d, ok)
	}
	h.press("ctrl+u", "tab") // back to as it was: the draft goes
	h.advance(time.Second)
	if _, ok, _ := h.store.LoadDraft(context.Background(), key); ok {
		t.Fatal("draft kept though the form is back to what is saved")
	}
}

func TestKeysArrivingTogetherAreTakenOneByOne(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.addPerson(coaching.Person{Name: "Ann"})
	h.refresh()
	h.press("enter")
	// "w" (give a measure) and "2" (PHQ-2) typed so fast they come as one.
	h.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("w2")})
	h.wantScreen("PHQ-2", "Question 1 of 2")
}

// TestPersonFormGivenAndFamilyNames: the two optional fields after the
// name take the name as the organisation's records split it; the draft
// keeps them as they are typed, the person page shows them family first,
// the edit form opens with them, and clearing one stores it empty. The
// name the coach uses is never touched by them.
func TestPersonFormGivenAndFamilyNames(t *testing.T) {
	h := newHarness(t, 80, 24)
	ctx := context.Background()
	h.press("n")
	h.wantScreen("Given name(s)", "for records sent to other systems", "Family name", "nothing is guessed from Name")
	h.typeText("Annie O'Neil")
	h.press("tab")
	h.typeText("Ann Marie")
	h.press("tab")
	h.typeText("O'Neil")
	h.advance(time.Second)
	if d, ok, _ := h.store.LoadDraft(ctx, "person:new"); !ok || d.Fields["given_names"] != "Ann Marie" || d.Fields["family_name"] != "O'Neil" {
		t.Fatalf("draft = %+v, %v", d, ok)
	}
	h.press("ctrl+s")
	h.wantScreen("Annie O'Neil", "Added to the caseload", "Official    O'Neil, Ann Marie")
	id := h.people("")[0].ID
	p, err := h.store.GetPerson(ctx, id)
	if err != nil || p.Name != "Annie O'Neil" || p.GivenNames != "Ann Marie" || p.FamilyName != "O'Neil" {
		t.Fatalf("stored %+v, %v", p, err)
	}

	// Editing opens with them; a family name too long is refused on its field.
	h.press("e")
	h.wantScreen("Edit Annie O'Neil", "Given name(s)   Ann Marie", "Family name     O'Neil")
	h.press("tab", "tab", "ctrl+u")
	h.paste(strings.Repeat("x", coaching.MaxNameLen+1))
	h.press("ctrl+s")
	h.wantScreen("Not saved: Family name is 201 characters; at most 200 fit.", "> Family name")
	h.press("ctrl+u")
	h.typeText("O'Neill")
	h.press("shift+tab", "ctrl+u") // clear the given names
	h.press("ctrl+s")
	h.wantScreen("Profile saved", "Official    O'Neill")
	h.dontWantScreen("Ann Marie")
	p, err = h.store.GetPerson(ctx, id)
	if err != nil || p.Name != "Annie O'Neil" || p.GivenNames != "" || p.FamilyName != "O'Neill" {
		t.Fatalf("stored after the edit %+v, %v", p, err)
	}

	// Someone without them has no such row on a short window.
	other := h.addPerson(coaching.Person{Name: "Bo Lee"})
	h.press("esc")
	h.refresh()
	h.press("tab", "tab", "tab", "tab", "tab") // Everyone
	h.wantScreen("Bo Lee")
	for i := 0; i < 3 && !strings.Contains(h.screen(), "> Bo Lee"); i++ {
		h.press("down")
	}
	h.press("enter")
	h.wantScreen(fmt.Sprintf("Bo Lee · no. %d", other))
	h.dontWantScreen("Official")
}

// A change another coach made to a team database (changedMsg, from
// storage.Store.Changes) makes the caseload read itself again at once.
func TestCaseloadReadsAgainOnAChange(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.press("n")
	h.typeText("Ann Lee")
	h.press("ctrl+s")
	h.press("esc")
	h.wantScreen("1 person", "> Ann Lee")
	// Another program adds Bea behind the screen's back.
	h.addPerson(coaching.Person{Name: "Bea Osei"})
	h.dontWantScreen("Bea Osei")
	h.send(changedMsg{table: "people"})
	h.wantScreen("2 people", "Ann Lee", "Bea Osei")
}
