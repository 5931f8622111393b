package tui

import (
	"io"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// TestDeleteWordForwardNeverPanics: alt+d before the last character made
// bubbles' text input read past its text; every place and text is safe.
func TestDeleteWordForwardNeverPanics(t *testing.T) {
	altD := tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'d'}, Alt: true}
	for _, tc := range []struct {
		value string
		pos   int
		want  string
	}{
		{"an", 1, "a"},
		{"an", 0, ""},
		{"an", 2, "an"},
		{"walk after lunch", 4, "walk lunch"},
		{"walk  after", 4, "walk"},
		{"", 0, ""},
		{"zoë ok", 1, "z ok"},
	} {
		ti := newAskInput(&Common{Styles: NewStyles(lipgloss.NewRenderer(io.Discard))}, "", 100)
		ti.KeyMap = editKeys()
		ti.SetValue(tc.value)
		ti.SetCursor(tc.pos)
		ti, _ = updateInput(ti, altD)
		if ti.Value() != tc.want {
			t.Errorf("alt+d in %q at %d = %q, want %q", tc.value, tc.pos, ti.Value(), tc.want)
		}
	}
}
