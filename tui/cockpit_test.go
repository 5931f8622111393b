package tui

import (
	"testing"
)

// TestUndoInTheNotesReachesTheFile: a line cut by mistake comes back with
// one key, and what comes back is saved like anything typed.
func TestUndoInTheNotesReachesTheFile(t *testing.T) {
	h, pid := inCall(t, 80, 24)
	h.typeText("knee sore on Thursday, walked anyway")
	h.press("ctrl+u")
	h.dontWantScreen("knee sore")
	h.press("ctrl+z")
	h.wantScreen("knee sore on Thursday, walked anyway")
	h.advance(saveDelay)
	h.wantScreen("saved")
	if got := h.calls(pid)[0].Notes; got != "knee sore on Thursday, walked anyway" {
		t.Fatalf("notes in the file = %q", got)
	}
	h.press("ctrl+y")
	h.advance(saveDelay)
	if got := h.calls(pid)[0].Notes; got != "" {
		t.Fatalf("after redo, notes in the file = %q", got)
	}
}
