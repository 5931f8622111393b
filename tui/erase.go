package tui

// Erasing a person: X on their page, then their name typed to confirm
// (docs/security.md, "Erasure"). Everything of theirs goes, and the words
// are cleared from the file; the audit trail keeps that it happened.

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"callcoach/coaching"
	"callcoach/storage"
)

type eraseKeys struct {
	Erase, Cancel key.Binding
	Edit          textinput.KeyMap
}

type erasedMsg struct {
	erased storage.Erased
	err    error
}

// eraseScreen asks for a person's name before erasing them.
type eraseScreen struct {
	c       *Common
	person  *personScreen // the page it was opened from, closed after
	keys    eraseKeys
	input   textinput.Model
	wrong   bool // the name typed did not match
	erasing bool
	err     string
	width   int
	height  int
}

func newEraseScreen(c *Common, p *personScreen) *eraseScreen {
	k := eraseKeys{
		Erase:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "erase")),
		Cancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "keep them")),
		Edit:   editKeys(),
	}
	ti := newAskInput(c, "their name, as shown above", 200)
	ti.KeyMap = k.Edit
	return &eraseScreen{c: c, person: p, keys: k, input: ti}
}

func (m *eraseScreen) Init() tea.Cmd { return nil }
func (m *eraseScreen) Typing() bool  { return true }
func (m *eraseScreen) SetSize(w, h int) {
	m.width, m.height = w, h
	m.input.Width = max(w-2-inputSlack, 1)
}
func (m *eraseScreen) ShortHelp() []key.Binding  { return []key.Binding{m.keys.Erase, m.keys.Cancel} }
func (m *eraseScreen) FullHelp() [][]key.Binding { return [][]key.Binding{m.ShortHelp()} }

func (m *eraseScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case erasedMsg:
		m.erasing = false
		if msg.err != nil {
			m.err = storage.Explain(msg.err)
			return m, nil
		}
		m.person.erased = msg.erased
		m.person.gone = true
		return m, pop // the person's page closes in turn (its Resume)
	case tea.KeyMsg:
		if m.erasing {
			return m, nil
		}
		switch {
		case key.Matches(msg, m.keys.Cancel):
			return m, pop
		case key.Matches(msg, m.keys.Erase):
			if !coaching.SameName(m.input.Value(), m.person.person.Name) {
				m.wrong = true
				return m, nil
			}
			m.erasing, m.err = true, ""
			store, ctx, id, now := m.c.Store, m.c.Ctx, m.person.id, m.c.Now()
			return m, func() tea.Msg {
				e, err := store.ErasePerson(ctx, id, now)
				return erasedMsg{erased: e, err: err}
			}
		}
		m.wrong = false
		var cmd tea.Cmd
		m.input, cmd = m.input.Update(msg)
		return m, cmd
	}
	return m, nil
}

func (m *eraseScreen) View() string {
	st := m.c.Styles
	p := m.person.person
	lines := []string{
		st.Error.Render(clipLine(oneLine("Erase "+p.Name+fmt.Sprintf(" (no. %d)?", p.ID)), m.width)),
		"",
	}
	for _, l := range strings.Split(ansi.Wrap("Their calls, notes, plans, measures, rulers, change talk, follow-ups, safety events and drafts are deleted, "+
		"and their words cleared from the "+caseloadWord(m.c)+". This cannot be undone. Backups and exports made before keep what they hold. "+
		"The audit trail will say that an erasure happened, not what was erased.", max(m.width, 20), ""), "\n") {
		lines = append(lines, st.Subtle.Render(l))
	}
	lines = append(lines, "", st.Label.Render("Type their name to confirm:"), m.input.View())
	switch {
	case m.erasing:
		lines = append(lines, "", st.Subtle.Render("Erasing, and clearing their words from the "+caseloadWord(m.c)+"…"))
	case m.err != "":
		lines = append(lines, "", st.Error.Render(clipLine(oneLine("Not erased: "+m.err), m.width)))
	case m.wrong:
		lines = append(lines, "", st.Warn.Render("That is not their name as shown above; nothing was erased."))
	}
	return strings.Join(lines, "\n")
}

// ErasedSummary says what an erasure removed, as the erase screen and
// callcoach erase both tell the coach.
func ErasedSummary(e storage.Erased) string {
	parts := []string{counted(e.Calls, "call", "calls"), counted(e.Plans, "plan", "plans"),
		counted(e.Measures, "measure", "measures"), counted(e.Readings, "reading", "readings"),
		counted(e.FollowUps, "follow-up", "follow-ups"), counted(e.SafetyEvents, "safety event", "safety events")}
	if e.RescueFiles > 0 {
		parts = append(parts, counted(e.RescueFiles, "rescue file", "rescue files"))
	}
	return strings.Join(parts, ", ")
}

func counted(n int, one, many string) string { return fmt.Sprintf("%d %s", n, plural(n, one, many)) }
