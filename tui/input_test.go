package tui

import (
	"io"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"callcoach/tui/editor"
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

// TestCursorsShowWithoutColour: under NO_COLOR the styles keep reverse
// video, so the cursor in the notes and in every field is drawn.
func TestCursorsShowWithoutColour(t *testing.T) {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.ANSI)
	c := &Common{Styles: NewPlainStyles(r)}
	ti := newAskInput(c, "", 100)
	ti.SetValue("walk")
	ti.SetCursor(2)
	if v := ti.View(); !strings.Contains(v, "\x1b[7m") {
		t.Errorf("a field's cursor is not drawn: %q", v)
	}
	ed := editor.New()
	ed.CursorStyle = c.Styles.Cursor
	ed.SetSize(20, 2)
	ed.Focus()
	ed.SetValue("notes")
	if v := ed.View(); !strings.Contains(v, "\x1b[7m") {
		t.Errorf("the notes' cursor is not drawn: %q", v)
	}
	for name, st := range map[string]lipgloss.Style{"title": c.Styles.Title, "error": c.Styles.Error, "subtle": c.Styles.Subtle} {
		if v := st.Render("x"); strings.Contains(v, "38;") || strings.Contains(v, "[3") && !strings.Contains(v, "[39") {
			t.Errorf("%s carries a colour under NO_COLOR: %q", name, v)
		}
	}
}
