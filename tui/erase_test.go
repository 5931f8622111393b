package tui

import (
	"context"
	"errors"
	"testing"
	"time"

	"callcoach/coaching"
	"callcoach/storage"
)

func TestEraseAfterTheNameIsTyped(t *testing.T) {
	h := newHarness(t, 80, 24)
	ann := h.addPerson(coaching.Person{Name: "Ann Lee", Phone: "0161 496 0000"})
	h.addPerson(coaching.Person{Name: "Bob Diaz"})
	h.refresh()
	h.press("/")
	h.typeText("ann")
	h.press("enter", "enter")
	h.wantScreen("Ann Lee", "Calls (0)")
	h.press("c")
	h.wantScreen("Call with Ann")
	h.typeText("Worried about the stairs")
	h.advance(time.Second)
	h.press("esc", "r")
	h.wantScreen("Call summary")
	h.press("enter")
	h.wantScreen("Calls (1)")

	h.press("X")
	h.wantScreen("Erase Ann Lee (no. 1)?", "cannot be undone", "Type their name to confirm:")
	h.press("esc")
	h.wantScreen("Calls (1)")
	h.press("X")
	h.typeText("Ann")
	h.press("enter")
	h.wantScreen("That is not their name", "nothing was erased")
	if _, err := h.store.GetPerson(context.Background(), ann); err != nil {
		t.Fatalf("erased on a wrong name: %v", err)
	}
	h.typeText(" lee")
	h.press("enter")
	h.wantScreen("Erased no. 1: 1 call, 0 plans", "0 of 1 people match")
	h.dontWantScreen("Ann Lee")
	if _, err := h.store.GetPerson(context.Background(), ann); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("GetPerson after erasure: %v", err)
	}
	if hits, err := h.store.Search(context.Background(), "stairs", 10); err != nil || len(hits) != 0 {
		t.Errorf("search finds the erased notes: %v, %v", hits, err)
	}
	var actions []coaching.AuditAction
	if err := h.store.AuditTrail(context.Background(), time.Time{}, func(e coaching.AuditEntry) error {
		actions = append(actions, e.Action)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	want := []coaching.AuditAction{coaching.AuditOpenedPerson, coaching.AuditCallStarted, coaching.AuditCallEnded, coaching.AuditErased}
	if len(actions) != len(want) {
		t.Fatalf("trail %v, want %v", actions, want)
	}
	for i := range want {
		if actions[i] != want[i] {
			t.Fatalf("trail %v, want %v", actions, want)
		}
	}
}
