package tui

import (
	"context"
	"math"
	"testing"

	"callcoach/coaching"
)

func TestReadingChordRefusesAsksOnceAndSaves(t *testing.T) {
	h, pid := inCall(t, 100, 24)
	h.c.Readings = []coaching.CustomReading{{Name: "peak flow", Unit: "L/min", Min: 50, Max: 900}}
	call := h.callID(pid)
	h.press("alt+d")
	h.wantScreen("Reading:", "what they tracked and its value: bp 132/84")
	h.typeText("bp 84/132")
	h.press("enter")
	h.wantScreen("must be higher than the second (diastolic)")
	h.press("ctrl+u")
	h.typeText("weight 900 lb")
	h.press("enter")
	h.wantScreen("weight must be from 45 to 881 lb")
	h.press("ctrl+u")
	h.typeText("weight 180")
	h.press("enter")
	h.wantScreen("weight 180 kg is unusual; enter again to keep it")
	h.press("ctrl+u")
	h.typeText("weight 180 lb") // changed: nothing to confirm, and usual
	h.press("enter")
	h.wantScreen("Saved: weight 81.6 kg")
	h.press("alt+d")
	h.typeText("weight 180")
	h.press("enter")
	h.wantScreen("is unusual")
	h.press("enter") // the same again: kept
	h.wantScreen("Saved: weight 180 kg")
	h.press("alt+d")
	h.typeText("bp 132/84")
	h.press("enter")
	h.wantScreen("Saved: blood pressure 132/84 mmHg")
	h.press("alt+d")
	h.typeText("peak flow 420")
	h.press("enter")
	h.wantScreen("Saved: peak flow 420 L/min")
	h.press("alt+d")
	h.typeText("mood 7")
	h.press("esc")
	h.dontWantScreen("Reading:", "Saved: mood")

	got, err := h.store.ReadingsForPerson(context.Background(), pid)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 {
		t.Fatalf("readings = %+v, want 4", got)
	}
	started := h.calls(pid)[0].StartedAt
	for _, r := range got {
		if r.CallID != call || !r.TakenAt.Equal(started) {
			t.Errorf("reading %+v: want call %d, taken at the call's start %v", r, call, started)
		}
	}
	if math.Abs(got[0].Value-180*coaching.KgPerLb) > 1e-9 || got[0].Entered != "180 lb" || got[1].Value != 180 ||
		got[2].Kind != coaching.ReadingBP || got[2].Value2 != 84 || got[3].Kind != "peak flow" {
		t.Errorf("readings = %+v", got)
	}
	if notes := h.calls(pid)[0].Notes; notes != "" {
		t.Fatalf("the reading typed into the notes: %q", notes)
	}
}

func TestReadingQuestionAt80Columns(t *testing.T) {
	h, _ := inCall(t, 80, 24)
	h.press("alt+d")
	h.wantScreen("Reading:", "what they tracked and its value")
	h.typeText("glucose 130")
	h.press("enter")
	h.wantScreen("if it was in mg/dL")
}
