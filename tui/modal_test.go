package tui

import (
	"context"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"callcoach/coaching"
	"callcoach/storage"
)

// TestTheSafetyPanelIsModal: while the panel is open, search and help
// wait, and nothing opens over it.
func TestTheSafetyPanelIsModal(t *testing.T) {
	h, _ := inCall(t, 80, 24)
	h.press("alt+h")
	h.wantScreen("What was done")
	h.send(tea.KeyMsg{Type: tea.KeyCtrlF})
	h.dontWantScreen("Search everything")
	h.wantScreen("What was done")
	h.press("f1")
	h.dontWantScreen("Keys on this screen")
	h.send(pushMsg{newSearchScreen(h.c)})
	h.dontWantScreen("Search everything")
	h.press("n", "enter")
	h.wantScreen("Safety event recorded", "Call with")
	h.send(tea.KeyMsg{Type: tea.KeyCtrlF})
	h.wantScreen("Search everything") // once it is closed, search works again
}

// TestOneSafetyPanelPerEvent: a panel left open by a crash comes back once,
// however many screens find it open.
func TestOneSafetyPanelPerEvent(t *testing.T) {
	h := newHarness(t, 80, 24)
	pid := h.addPerson(coaching.Person{Name: "Ann"})
	id, err := h.store.RaiseSafety(context.Background(), storage.SafetyEvent{PersonID: pid, Trigger: "coach"}, h.now)
	if err != nil {
		t.Fatal(err)
	}
	h.refresh()
	h.press("enter")
	h.wantScreen("What was done")
	ev := storage.SafetyEvent{ID: id, PersonID: pid, Trigger: "coach", RaisedAt: h.now}
	h.send(pushMsg{newSafetyPanel(h.c, ev, false)}) // as a second screen reading the same open event would
	panels := 0
	for _, s := range h.app.(App).stack {
		if _, ok := s.(*safetyPanel); ok {
			panels++
		}
	}
	if panels != 1 {
		t.Fatalf("%d panels for one event", panels)
	}
	h.press("a", "enter")
	h.wantScreen("Safety event recorded")
	h.dontWantScreen("What was done")
}
