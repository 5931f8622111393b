package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"

	"callcoach/coaching"
)

// The header: who the call is with, the time on the call against its
// target, whether the notes are saved, and the role.

func (m *callScreen) headerView(l callLayout) string {
	st := m.c.Styles
	name := oneLine(m.person.DisplayName())
	title := "Call with " + name
	if m.width < 60 {
		title = name
	}
	left := st.Title.Render(title)
	if l.cardH == 0 {
		// No card, so the header says where the call is.
		left += " " + st.Focused.Render(fmt.Sprintf("%d %s", coaching.StageIndex(m.stage)+1, m.stage.Title()))
	}
	left += "  " + m.timerView() + "  " + m.saveState()
	right := st.Subtle.Render(m.call.Role.Label())
	gap := m.width - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 2 {
		return clipLine(left, m.width)
	}
	return left + strings.Repeat(" ", gap) + right
}

// timerView shows the time on the call against the target length, and
// says gently when the end is near or past.
func (m *callScreen) timerView() string {
	st := m.c.Styles
	elapsed := m.call.Duration(m.c.Now())
	s := coaching.FormatDuration(elapsed)
	target := m.c.CallTarget
	if target <= 0 {
		return st.Key.Render(s)
	}
	s += " / " + coaching.FormatDuration(target)
	switch left := target - elapsed; {
	case left < 0:
		return st.Warn.Render(s + " · over time, start to close")
	case left <= 2*time.Minute:
		return st.Warn.Render(s + " · about to close")
	}
	return st.Key.Render(s)
}

// saveState says whether what is on screen is in the file.
func (m *callScreen) saveState() string {
	st := m.c.Styles
	switch {
	case m.viewer != nil:
		return st.Warn.Render("READ ONLY")
	case m.lost != "":
		return st.Error.Render("NOT SAVED HERE")
	}
	return m.notes.state()
}
