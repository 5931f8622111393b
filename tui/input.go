package tui

import (
	"unicode"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
)

// updateInput is textinput's Update, made safe: bubbles v1.0.0's "delete a
// word forward" (alt+d) reads past the end of the text when the cursor is
// before the last character, and panics. That one key is done here; every
// other goes to the input.
func updateInput(ti textinput.Model, msg tea.Msg) (textinput.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok && ti.Focused() && key.Matches(k, ti.KeyMap.DeleteWordForward) {
		deleteWordForward(&ti)
		return ti, nil
	}
	return ti.Update(msg)
}

// deleteWordForward removes the spaces after the cursor and the word
// after them, as the input means to.
func deleteWordForward(ti *textinput.Model) {
	v := []rune(ti.Value())
	pos := ti.Position()
	if pos >= len(v) {
		return
	}
	end := pos
	for end < len(v) && unicode.IsSpace(v[end]) {
		end++
	}
	for end < len(v) && !unicode.IsSpace(v[end]) {
		end++
	}
	ti.SetValue(string(v[:pos]) + string(v[end:]))
	ti.SetCursor(pos)
}
