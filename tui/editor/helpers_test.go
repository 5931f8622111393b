package editor

import (
	"io"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
	"github.com/rivo/uniseg"
)

// newEditor returns a focused editor of the given size whose styles come from
// a renderer with the given profile, so the output does not depend on the
// terminal the tests run in. Under termenv.Ascii the cursor is an underscore.
func newEditor(w, h int, profile termenv.Profile) Model {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(profile)
	m := New()
	m.TextStyle = r.NewStyle()
	m.CursorStyle = r.NewStyle().Reverse(true)
	m.PlaceholderStyle = r.NewStyle().Faint(true)
	m.SetSize(w, h)
	m.Focus()
	return m
}

func press(m Model, msgs ...tea.Msg) Model {
	for _, msg := range msgs {
		m, _ = m.Update(msg)
	}
	return m
}

func k(t tea.KeyType) tea.KeyMsg { return tea.KeyMsg{Type: t} }

// typed returns one key message per rune of s, as a terminal sends typing.
func typed(s string) []tea.Msg {
	var msgs []tea.Msg
	for _, r := range s {
		if r == ' ' {
			msgs = append(msgs, tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}})
			continue
		}
		msgs = append(msgs, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	return msgs
}

func paste(s string) tea.KeyMsg {
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s), Paste: true}
}

// screen returns the rows of the view with trailing padding removed.
func screen(m Model) []string {
	rows := strings.Split(m.View(), "\n")
	for i, r := range rows {
		rows[i] = strings.TrimRight(r, " ")
	}
	return rows
}

// checkView fails unless the view has exactly the editor's height in rows,
// none wider than its width, measured by lipgloss (ansi) and by uniseg.
func checkView(t testing.TB, m Model) {
	t.Helper()
	v := m.View()
	if m.Width() <= 0 || m.Height() <= 0 {
		if v != "" {
			t.Fatalf("size %dx%d: View() = %q, want empty", m.Width(), m.Height(), v)
		}
		return
	}
	rows := strings.Split(v, "\n")
	if len(rows) != m.Height() {
		t.Fatalf("View has %d rows, want %d:\n%s", len(rows), m.Height(), v)
	}
	for i, r := range rows {
		if w := ansi.StringWidth(r); w > m.Width() {
			t.Fatalf("row %d %q is %d cells wide (ansi), want <= %d", i, r, w, m.Width())
		}
		if w := uniseg.StringWidth(ansi.Strip(r)); w > m.Width() {
			t.Fatalf("row %d %q is %d cells wide (uniseg), want <= %d", i, r, w, m.Width())
		}
	}
}

// cursor returns the cursor's logical line and byte offset.
func cursor(m Model) (int, int) { return m.doc.row, m.doc.col }
