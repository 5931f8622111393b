package tui

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"
)

// The call stays in view. The action plan and a measure, opened from a
// call, dock in its frame: the header with the timer stays at the top,
// the last lines of the notes and the tally at the bottom, and the chords
// that mark the tally (and alt+h, safety) reach the call even while a
// field of the form has the keyboard.

// docking is a screen that can dock in the call it was opened from.
type docking interface {
	// DockedIn is the call the screen was opened from; 0 if none.
	DockedIn() int64
}

func (f *planForm) DockedIn() int64      { return f.callID }
func (m *measureScreen) DockedIn() int64 { return m.callID }

// dockNotesRows is how many lines of the notes stay in view under a form.
const dockNotesRows = 3

// dockRows are the rows the call keeps around a docked screen: the header,
// a rule, the notes and the tally.
func dockRows() int { return 1 + 1 + dockNotesRows + 1 }

// host is the call the screen on top is docked in, if it is.
func (a App) host() *callScreen {
	n := len(a.stack)
	if n < 2 {
		return nil
	}
	d, ok := a.stack[n-1].(docking)
	if !ok || d.DockedIn() == 0 {
		return nil
	}
	c, ok := a.stack[n-2].(*callScreen)
	if !ok || c.call.ID != d.DockedIn() {
		return nil
	}
	return c
}

// setDocked lays the call out around a docked screen, or on its own.
func (m *callScreen) setDocked(d bool) {
	if m.docked != d {
		m.docked = d
		// One cursor on the screen: the docked form's field has it, the
		// notes below only show their last lines.
		if d {
			m.notes.ed.Blur()
		} else {
			m.notes.ed.Focus()
		}
		m.relayout()
	}
}

// fromDock reports whether a key pressed in a docked screen is for the
// call: a tally mark, taking one back, or safety.
func (m *callScreen) fromDock(msg tea.KeyMsg) bool {
	letter, ok := chordLetter(msg)
	if !ok {
		return false
	}
	switch m.keys.chords[letter].act {
	case actTally, actUndoTally, actSafety:
		return true
	}
	return false
}

// dockedView draws the call around the docked screen's view.
func (m *callScreen) dockedView(child string) string {
	var b strings.Builder
	b.WriteString(m.headerView(m.frame.l))
	b.WriteString("\n")
	b.WriteString(child)
	b.WriteString("\n")
	rule := "── the call's notes "
	if m.note != "" {
		rule = "── " + m.note + " "
	}
	b.WriteString(clipLine(m.c.Styles.Separator.Render(rule+strings.Repeat("─", max(m.width-len([]rune(rule)), 0))), m.width))
	b.WriteString("\n")
	b.WriteString(m.notes.ed.View())
	b.WriteString("\n")
	b.WriteString(clipLine(m.tallyView(), m.width))
	return b.String()
}
