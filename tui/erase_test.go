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

// Back from erasing someone who was due, the Now tab's count no longer
// holds them, though another tab is shown.
func TestEraseLeavesTheNowCount(t *testing.T) {
	h := newHarness(t, 100, 30)
	ctx := context.Background()
	rosa := h.addPerson(coaching.Person{Name: "Rosa Delgado"})
	nia := h.addPerson(coaching.Person{Name: "Nia Young"})
	for _, id := range []int64{rosa, nia} {
		if _, err := h.store.AddFollowUp(ctx, coaching.FollowUp{PersonID: id, Due: h.now.Add(-26 * time.Hour), Reason: "walking plan"}, h.now.Add(-72*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	h.refresh()
	h.wantScreen("[Now 2]")
	h.press("tab") // Overdue
	h.wantScreen("[Overdue 2]", "Now 2")
	h.press("enter")
	h.wantScreen("Nia Young · no. 2")
	h.press("X")
	h.typeText("Nia Young")
	h.press("enter")
	h.wantScreen("Erased no. 2", "[Overdue 1]", "Now 1")
	h.dontWantScreen("Now 2")
}
