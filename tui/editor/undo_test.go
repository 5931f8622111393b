package editor

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/muesli/termenv"
)

func TestUndoTakesBackEachSlip(t *testing.T) {
	undo, redo := k(tea.KeyCtrlZ), k(tea.KeyCtrlY)
	keys := func(parts ...[]tea.Msg) []tea.Msg {
		var out []tea.Msg
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	one := func(m ...tea.Msg) []tea.Msg { return m }
	for _, tc := range []struct {
		name       string
		keys       []tea.Msg
		want, redo string // the note after the keys, and after one ctrl+y more
	}{
		{"words are taken back one at a time", keys(typed("walked to the shop"), one(undo, undo, undo, undo, undo)), "", "walked"},
		{"ctrl+u by mistake costs one key", keys(typed("knee sore on Thursday"), one(k(tea.KeyCtrlU), undo)), "knee sore on Thursday", ""},
		{"ctrl+w by mistake costs one key", keys(typed("keeps going"), one(k(tea.KeyCtrlW), undo)), "keeps going", "keeps "},
		{"a run of backspaces is one step", keys(typed("abc"), one(k(tea.KeyBackspace), k(tea.KeyBackspace), undo)), "abc", "a"},
		{"a new line is its own step", keys(typed("one"), one(k(tea.KeyEnter)), typed("two"), one(undo, undo)), "one", "one\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newEditor(40, 5, termenv.Ascii)
			m = press(m, tc.keys...)
			if m.Value() != tc.want {
				t.Fatalf("after the keys: %q, want %q", m.Value(), tc.want)
			}
			m = press(m, redo)
			if m.Value() != tc.redo {
				t.Fatalf("after redo: %q, want %q", m.Value(), tc.redo)
			}
		})
	}
}

func TestUndoStepsByWordAndRestoresTheCursor(t *testing.T) {
	m := newEditor(40, 5, termenv.Ascii)
	m = press(m, typed("walked to the shop")...)
	var seen []string
	for range 4 {
		m = press(m, k(tea.KeyCtrlZ))
		seen = append(seen, m.Value())
	}
	if got := strings.Join(seen, "|"); got != "walked to the|walked to|walked|" {
		t.Fatalf("undo steps: %s", got)
	}
	m = press(m, typed("sat")...)
	m = press(m, k(tea.KeyCtrlY))
	if m.Value() != "sat" {
		t.Fatalf("a redo after a new edit must do nothing: %q", m.Value())
	}
	m = press(m, k(tea.KeyLeft), k(tea.KeyLeft), k(tea.KeyCtrlU), k(tea.KeyCtrlZ))
	if m.Value() != "sat" || m.CurrentLine() != "sat" {
		t.Fatalf("after undo of ctrl+u: %q", m.Value())
	}
	rev := m.Revision()
	m = press(m, k(tea.KeyCtrlZ), k(tea.KeyCtrlZ), k(tea.KeyCtrlZ))
	if m.Value() != "" || m.Revision() == rev {
		t.Fatalf("undo must change the note and its revision (so it is saved): %q rev %d", m.Value(), m.Revision())
	}
}

func TestUndoNothingAndReadOnly(t *testing.T) {
	m := newEditor(40, 5, termenv.Ascii)
	rev := m.Revision()
	m = press(m, k(tea.KeyCtrlZ), k(tea.KeyCtrlY), k(tea.KeyBackspace), k(tea.KeyCtrlZ))
	if m.Value() != "" || m.Revision() != rev {
		t.Fatalf("nothing to undo changed the note: %q", m.Value())
	}
	m.SetValue("kept")
	m = press(m, k(tea.KeyCtrlZ))
	if m.Value() != "kept" {
		t.Fatalf("undo went past SetValue: %q", m.Value())
	}
	m = press(m, typed(" more")...)
	m.SetReadOnly(true)
	m = press(m, k(tea.KeyCtrlZ))
	if m.Value() != "kept more" {
		t.Fatalf("read-only editor undid: %q", m.Value())
	}
}

func TestUndoHistoryIsBounded(t *testing.T) {
	m := newEditor(40, 5, termenv.Ascii)
	for range maxUndo + 50 {
		m = press(m, typed(" w")...)
	}
	if n := len(m.doc.hist.undo); n > maxUndo {
		t.Fatalf("%d states kept, at most %d", n, maxUndo)
	}
}

// TestUndoAnywhereInALongNote: edits in the middle of many lines, joins
// and splits, undone and redone, give back exactly each earlier note.
func TestUndoAnywhereInALongNote(t *testing.T) {
	m := newEditor(30, 6, termenv.Ascii)
	var lines []string
	for i := range 40 {
		lines = append(lines, fmt.Sprintf("line %d of the notes", i))
	}
	m.SetValue(strings.Join(lines, "\n"))
	var states []string
	do := func(msgs ...tea.Msg) {
		states = append(states, m.Value())
		m = press(m, msgs...)
	}
	m = press(m, k(tea.KeyCtrlHome))
	for range 20 {
		m = press(m, k(tea.KeyDown))
	}
	do(k(tea.KeyHome), k(tea.KeyBackspace))                                   // join with the line above
	do(typed(" inserted")...)                                                 // typing
	do(k(tea.KeyEnter))                                                       // split
	do(k(tea.KeyCtrlK))                                                       // cut to the end
	do(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("a\nb\nc"), Paste: true}) // a paste over lines
	final := m.Value()
	for i := len(states) - 1; i >= 0; i-- {
		m = press(m, k(tea.KeyCtrlZ))
		if m.Value() != states[i] {
			t.Fatalf("undo %d: got\n%q\nwant\n%q", len(states)-i, m.Value(), states[i])
		}
		if len(m.Value()) != m.doc.size {
			t.Fatalf("undo %d: size %d, text is %d bytes", len(states)-i, m.doc.size, len(m.Value()))
		}
	}
	for range states {
		m = press(m, k(tea.KeyCtrlY))
	}
	if m.Value() != final || len(final) != m.doc.size {
		t.Fatalf("redo all: got %q", m.Value())
	}
	checkView(t, m)
}
