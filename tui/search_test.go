package tui

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"callcoach/coaching"
	"callcoach/storage"
)

// addNotes stores a call with these notes for the person, started at.
func (h *harness) addNotes(person int64, at time.Time, notes string) int64 {
	h.t.Helper()
	ctx := context.Background()
	c, err := h.store.StartCall(ctx, person, coaching.RoleCoach, at)
	if err != nil {
		h.t.Fatal(err)
	}
	if _, err := h.store.SaveNotes(ctx, c.ID, notes, 1, at); err != nil {
		h.t.Fatal(err)
	}
	if err := h.store.EndCall(ctx, c.ID, coaching.OutcomeReached, at.Add(10*time.Minute)); err != nil {
		h.t.Fatal(err)
	}
	return c.ID
}

// TestSearchOneLetterWaits: a word of one letter is not searched for
// until the next letter comes, and the screen says so; the hits of the
// words before it stand meanwhile.
func TestSearchOneLetterWaits(t *testing.T) {
	h := newHarness(t, 100, 24)
	ann := h.addPerson(coaching.Person{Name: "Ann"})
	h.addNotes(ann, testStart.Add(-48*time.Hour), "Knee sore on Thursday.")
	h.addNotes(ann, testStart.Add(-24*time.Hour), "Knee better; tired.")
	h.send(tea.KeyMsg{Type: tea.KeyCtrlF})
	h.typeText("k")
	h.wantScreen("Type one more letter: one letter alone would find nearly everything.")
	h.dontWantScreen("found", "Nothing found")
	h.typeText("nee")
	h.wantScreen("2 found, newest first")
	h.typeText(" t")
	h.wantScreen(`2 found, newest first · "t" waits for one more letter`, "«Knee» better")
	h.typeText("h")
	h.wantScreen("1 found, newest first", "«Knee» sore on «Thursday»")
	h.dontWantScreen("waits")
	h.press("backspace")
	h.wantScreen(`2 found, newest first · "t" waits`)
	h.press("backspace", "backspace", "backspace", "backspace", "backspace")
	h.wantScreen("Type one more letter")
	h.dontWantScreen("«Knee»")
}

// TestSearchOrderSwitch: tab switches between newest first and best match
// first, and the screen and its help line say which is on.
func TestSearchOrderSwitch(t *testing.T) {
	h := newHarness(t, 110, 30)
	ann := h.addPerson(coaching.Person{Name: "Ann"})
	bob := h.addPerson(coaching.Person{Name: "Bob"})
	cy := h.addPerson(coaching.Person{Name: "Cy"})
	h.addNotes(ann, testStart.Add(-72*time.Hour), "Walking the dog, walking the dog every day: the dog loves walking.")
	h.addNotes(cy, testStart.Add(-48*time.Hour), "Tea with her sister.")
	h.addNotes(bob, testStart.Add(-24*time.Hour), "Walking, and we talked about the garden, the weather, the neighbours and a dog next door.")
	h.send(tea.KeyMsg{Type: tea.KeyCtrlF})
	h.typeText("walk dog")
	h.wantScreen("2 found, newest first", "> Bob", "tab best match first")
	h.press("tab")
	h.wantScreen("2 found, best match first", "> Ann", "tab newest first")
	h.press("down", "enter")
	h.wantScreen("Bob") // the second best: Bob's call
	h.press("esc")
	h.wantScreen("2 found, best match first", "  Ann")
	h.press("tab")
	h.wantScreen("2 found, newest first", "> Bob")
}

func contains(view, sub string) bool { return strings.Contains(ansi.Strip(view), sub) }

// searchAnswer runs cmd, what a key gave, and returns the search query's
// answer among its messages.
func searchAnswer(t *testing.T, cmd tea.Cmd) searchResultMsg {
	t.Helper()
	if cmd == nil {
		t.Fatal("no command")
	}
	switch msg := cmd().(type) {
	case searchResultMsg:
		return msg
	case tea.BatchMsg:
		for _, c := range msg {
			if c == nil {
				continue
			}
			if m, ok := c().(searchResultMsg); ok {
				return m
			}
		}
	}
	t.Fatal("the key started no search")
	return searchResultMsg{}
}

// TestSearchShowsOnlyTheNewestQuerysAnswer: an older query's answer,
// whenever it comes, is never shown over a newer one's; the older query is
// cancelled when the newer starts, and says nothing of it on screen.
func TestSearchShowsOnlyTheNewestQuerysAnswer(t *testing.T) {
	h := newHarness(t, 100, 24)
	ann := h.addPerson(coaching.Person{Name: "Ann"})
	h.addNotes(ann, testStart.Add(-24*time.Hour), "Knee sore on Thursday.")
	s := drive(t, sized(newSearchScreen(h.c)), "kne").(*searchScreen)

	_, older := s.Update(keyMsg(t, "e")) // "knee": Ann's note
	_, newer := s.Update(keyMsg(t, "s")) // "knees": nothing
	answer := searchAnswer(t, newer)
	s.Update(answer)
	if v := s.View(); !contains(v, "Nothing found.") {
		t.Fatalf("the newer answer is not shown:\n%s", v)
	}
	stale := searchAnswer(t, older)
	if !errors.Is(stale.err, context.Canceled) {
		t.Errorf("the older query was not cancelled: %d hits, %v", len(stale.hits), stale.err)
	}
	s.Update(stale)
	// Even an older answer that was not cancelled in time is dropped.
	s.Update(searchResultMsg{screen: s, seq: answer.seq - 1, hits: []storage.SearchHit{{Kind: storage.HitNote, PersonName: "Ann", Snippet: "«Knee»"}}})
	if v := s.View(); !contains(v, "Nothing found.") || contains(v, "Knee") || contains(v, "failed") {
		t.Fatalf("an older answer is shown:\n%s", v)
	}

	// The other way round: the older answer first, then the newer.
	_, older = s.Update(keyMsg(t, "backspace")) // "knee"
	_, newer = s.Update(keyMsg(t, "backspace")) // "kne"
	s.Update(searchAnswer(t, older))
	if v := s.View(); !contains(v, "Nothing found.") || contains(v, "failed") {
		t.Fatalf("the cancelled older query changed the screen:\n%s", v)
	}
	s.Update(searchAnswer(t, newer))
	if v := s.View(); !contains(v, "1 found") || !contains(v, "«Knee»") {
		t.Fatalf("the newer answer is not shown:\n%s", v)
	}
}

// TestSearchLeftWhileSearching: leaving the screen cancels its query,
// which then shows no error, there or anywhere.
func TestSearchLeftWhileSearching(t *testing.T) {
	h := newHarness(t, 100, 24)
	ann := h.addPerson(coaching.Person{Name: "Ann"})
	h.addNotes(ann, testStart.Add(-24*time.Hour), "Knee sore on Thursday.")
	s := drive(t, sized(newSearchScreen(h.c)), "kne").(*searchScreen)
	_, running := s.Update(keyMsg(t, "e"))
	if _, cmd := s.Update(keyMsg(t, "esc")); cmd == nil {
		t.Fatal("esc did not go back")
	}
	answer := searchAnswer(t, running)
	if !errors.Is(answer.err, context.Canceled) {
		t.Fatalf("the query went on after the screen closed: %d hits, %v", len(answer.hits), answer.err)
	}
	s.Update(answer)
	if v := s.View(); contains(v, "failed") || contains(v, "Search") && contains(v, "rror") {
		t.Fatalf("a cancelled query shows an error:\n%s", v)
	}

	// In the app: the answer of a closed search screen reaches no screen.
	h.send(pushMsg{s})
	h.press("esc")
	h.send(answer)
	h.dontWantScreen("Search everything", "failed", "interrupted")
}
