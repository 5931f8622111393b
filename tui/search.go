package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"callcoach/storage"
)

// searchShown is how many hits one search brings.
const searchShown = 50

type searchResultMsg struct {
	seq  int
	hits []storage.SearchHit
	err  error
}

// searchKeys is the search screen's key map: Update matches these very
// bindings and the help draws them. Moving and opening are on only when
// there is something found.
type searchKeys struct {
	Open, Up, Down, Back key.Binding
	Edit                 textinput.KeyMap // the search box's own keys
}

func newSearchKeys() searchKeys {
	return searchKeys{
		Open: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
		Up:   key.NewBinding(key.WithKeys("up"), key.WithHelp("↑", "previous")),
		Down: key.NewBinding(key.WithKeys("down"), key.WithHelp("↓", "next")),
		Back: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Edit: editKeys(),
	}
}

// sync switches on the keys that can act now.
func (k *searchKeys) sync(found int) {
	for _, b := range []*key.Binding{&k.Open, &k.Up, &k.Down} {
		b.SetEnabled(found > 0)
	}
}

// searchScreen finds any words said in any call: notes, plans and the
// person's own words about change, best matches first, with the words in
// context. It searches as the coach types, off the UI goroutine, and drops
// answers to older queries.
type searchScreen struct {
	c       *Common
	opening bool // a person is opening from here
	keys    searchKeys
	input   textinput.Model
	seq     int
	hits    []storage.SearchHit
	cursor  int
	err     string
	width   int
	height  int
}

func newSearchScreen(c *Common) *searchScreen {
	ti := newAskInput(c, "words from any note, plan or quote", 200)
	ti.Prompt = "Search: "
	ti.PromptStyle = c.Styles.Label
	k := newSearchKeys()
	k.sync(0)
	ti.KeyMap = k.Edit
	return &searchScreen{c: c, keys: k, input: ti}
}

func (m *searchScreen) Init() tea.Cmd { return nil }

// Changing: a person is opening; keys typed meanwhile wait for it.
func (m *searchScreen) Changing() bool { return m.opening }

// Resume: back from the person opened.
func (m *searchScreen) Resume() tea.Cmd { m.opening = false; return nil }
func (m *searchScreen) Typing() bool    { return true }
func (m *searchScreen) SetSize(w, h int) {
	m.width, m.height = w, h
	m.input.Width = max(w-10-inputSlack, 1)
}
func (m *searchScreen) ShortHelp() []key.Binding {
	return []key.Binding{m.keys.Open, m.keys.Up, m.keys.Down, m.keys.Back}
}

func (m *searchScreen) FullHelp() [][]key.Binding {
	e := m.keys.Edit
	return [][]key.Binding{m.ShortHelp(), {e.CharacterBackward, e.CharacterForward, e.WordBackward, e.WordForward,
		e.LineStart, e.LineEnd, e.DeleteCharacterBackward, e.DeleteCharacterForward,
		e.DeleteWordBackward, e.DeleteWordForward, e.DeleteBeforeCursor, e.DeleteAfterCursor, e.Paste}}
}

func (m *searchScreen) query() tea.Cmd {
	m.seq++
	seq, q, c := m.seq, m.input.Value(), m.c
	return func() tea.Msg {
		hits, err := c.Store.Search(c.Ctx, q, searchShown)
		return searchResultMsg{seq: seq, hits: hits, err: err}
	}
}

func (m *searchScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case searchResultMsg:
		if msg.seq != m.seq {
			return m, nil
		}
		m.err = ""
		if msg.err != nil {
			m.err = "Search failed: " + storage.Explain(msg.err)
		}
		m.hits, m.cursor = msg.hits, 0
		m.keys.sync(len(m.hits))
		return m, nil
	case tea.KeyMsg:
		return m, m.updateKey(msg)
	}
	return m, nil
}

func (m *searchScreen) updateKey(msg tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.Back):
		return pop
	case key.Matches(msg, m.keys.Up):
		m.cursor = max(m.cursor-1, 0)
		return nil
	case key.Matches(msg, m.keys.Down):
		m.cursor = max(min(m.cursor+1, len(m.hits)-1), 0)
		return nil
	case key.Matches(msg, m.keys.Open):
		h := m.hits[m.cursor]
		p := newPersonScreen(m.c, h.PersonID, false)
		if h.Kind == storage.HitPlan {
			p.showPlans, p.selectPlan = true, h.RefID
		} else {
			p.selectCall = h.CallID
		}
		m.opening = true
		return push(p)
	}
	before := m.input.Value()
	var cmd tea.Cmd
	m.input, cmd = updateInput(m.input, msg)
	if m.input.Value() != before {
		return tea.Batch(cmd, m.query())
	}
	return cmd
}

func (m *searchScreen) View() string {
	st := m.c.Styles
	var b strings.Builder
	b.WriteString(st.Title.Render("Search everything"))
	b.WriteString(st.Subtle.Render("  notes, plans and their own words, in every call"))
	b.WriteString("\n" + m.input.View() + "\n")
	switch {
	case m.err != "":
		b.WriteString(st.Error.Render(m.err))
		return b.String()
	case strings.TrimSpace(m.input.Value()) == "":
		b.WriteString(st.Subtle.Render("Type a few words; each also finds longer words that start with it."))
		return b.String()
	case len(m.hits) == 0:
		b.WriteString(st.Subtle.Render("Nothing found."))
		return b.String()
	}
	b.WriteString(st.Header.Render(fmt.Sprintf("%d found%s", len(m.hits), map[bool]string{true: " (the newest 50)", false: ""}[len(m.hits) == searchShown])))
	rows := max((m.height-3)/2, 1)
	first := max(m.cursor-rows+1, 0)
	for i := first; i < len(m.hits) && i < first+rows; i++ {
		h := m.hits[i]
		kind := map[storage.SearchKind]string{storage.HitNote: "note", storage.HitPlan: "plan", storage.HitTalk: "their words"}[h.Kind]
		head := fmt.Sprintf("%s · %s · %s", oneLine(h.PersonName), h.At.In(m.c.Local).Format("Mon 2 Jan 2006"), kind)
		mark := "  "
		if i == m.cursor {
			mark = "> "
			head = st.Selected.Render(head)
		}
		b.WriteString("\n" + clipLine(mark+head, m.width))
		b.WriteString("\n" + clipLine("    "+oneLine(h.Snippet), m.width))
	}
	return b.String()
}
