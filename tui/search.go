package tui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"callcoach/coaching"
	"callcoach/storage"
)

// searchShown is how many hits one search brings.
const searchShown = 50

// searchResultMsg answers one query of a search screen; seq says which.
type searchResultMsg struct {
	screen *searchScreen
	seq    int
	hits   []storage.SearchHit
	ranked int // best match first: how many matches were ranked
	err    error
}

// searchKeys is the search screen's key map: Update matches these very
// bindings and the help draws them. Moving and opening are on only when
// there is something found, the order only when there are words to find.
type searchKeys struct {
	Open, Up, Down, Order, Back key.Binding
	Edit                        textinput.KeyMap // the search box's own keys
}

func newSearchKeys() searchKeys {
	return searchKeys{
		Open:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
		Up:    key.NewBinding(key.WithKeys("up"), key.WithHelp("↑", "previous")),
		Down:  key.NewBinding(key.WithKeys("down"), key.WithHelp("↓", "next")),
		Order: key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "best match first")),
		Back:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Edit:  editKeys(),
	}
}

// sync switches on the keys that can act now (up and down only where
// there is a hit to move to), and names the order tab switches to.
func (k *searchKeys) sync(found, cursor int, words, best bool) {
	k.Open.SetEnabled(found > 0)
	k.Up.SetEnabled(cursor > 0)
	k.Down.SetEnabled(cursor < found-1)
	k.Order.SetEnabled(words)
	k.Order.SetHelp("tab", map[bool]string{false: "best match first", true: "newest first"}[best])
}

// searchScreen finds any words said in any call: notes, plans and the
// person's own words about change, newest first or (tab) best match
// first, with the words in context. It searches as the coach types, off
// the UI goroutine: each new query cancels the one before, whose answer,
// should it still come, is dropped. A last word of one letter waits for
// the next letter (storage.ReadSearch).
type searchScreen struct {
	c       *Common
	opening bool // a person is opening from here
	keys    searchKeys
	input   textinput.Model
	words   storage.SearchWords // what the box holds
	sent    storage.SearchWords // what the newest query looks for
	best    bool                // best match first, not newest first
	audited bool                // the audit trail has this visit's search
	seq     int
	cancel  context.CancelFunc // stops the query running, if any
	hits    []storage.SearchHit
	ranked  int
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
	k.sync(0, 0, false, false)
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
	return []key.Binding{m.keys.Open, m.keys.Up, m.keys.Down, m.keys.Order, m.keys.Back}
}

func (m *searchScreen) FullHelp() [][]key.Binding {
	e := m.keys.Edit
	return [][]key.Binding{m.ShortHelp(), {e.CharacterBackward, e.CharacterForward, e.WordBackward, e.WordForward,
		e.LineStart, e.LineEnd, e.DeleteCharacterBackward, e.DeleteCharacterForward,
		e.DeleteWordBackward, e.DeleteWordForward, e.DeleteBeforeCursor, e.DeleteAfterCursor, e.Paste}}
}

// query searches for what the box holds, in the order chosen, cancelling
// the query before. With nothing to search for yet, it clears the hits.
func (m *searchScreen) query() tea.Cmd {
	m.stop()
	m.seq++
	m.words = storage.ReadSearch(m.input.Value())
	m.sent = m.words
	m.err = ""
	if m.sent.Empty() {
		m.hits, m.ranked, m.cursor = nil, 0, 0
		m.keys.sync(0, 0, false, m.best)
		return nil
	}
	m.keys.sync(len(m.hits), m.cursor, true, m.best)
	ctx, cancel := context.WithCancel(m.c.Ctx)
	m.cancel = cancel
	msg := searchResultMsg{screen: m, seq: m.seq}
	q, best, store := m.input.Value(), m.best, m.c.Store
	search := func() tea.Msg {
		if best {
			msg.hits, msg.ranked, msg.err = store.SearchBest(ctx, q, searchShown)
		} else {
			msg.hits, msg.err = store.Search(ctx, q, searchShown)
		}
		return msg
	}
	if m.audited {
		return search
	}
	// One entry a visit to search: that a search was made, not its words.
	m.audited = true
	return tea.Batch(search, m.c.record(coaching.AuditSearched, 0))
}

// stop cancels the query running, if any.
func (m *searchScreen) stop() {
	if m.cancel != nil {
		m.cancel()
		m.cancel = nil
	}
}

func (m *searchScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case searchResultMsg:
		if msg.seq != m.seq {
			return m, nil // an older query's: a newer one is on its way
		}
		m.stop()
		if errors.Is(msg.err, context.Canceled) {
			return m, nil // the program is closing
		}
		if msg.err != nil {
			m.err = "Search failed: " + storage.Explain(msg.err)
		}
		m.hits, m.ranked, m.cursor = msg.hits, msg.ranked, 0
		m.keys.sync(len(m.hits), m.cursor, true, m.best)
		return m, nil
	case tea.KeyMsg:
		return m, m.updateKey(msg)
	}
	return m, nil
}

func (m *searchScreen) updateKey(msg tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.Back):
		m.stop()
		return pop
	case key.Matches(msg, m.keys.Up):
		m.cursor = max(m.cursor-1, 0)
		m.keys.sync(len(m.hits), m.cursor, true, m.best)
		return nil
	case key.Matches(msg, m.keys.Down):
		m.cursor = max(min(m.cursor+1, len(m.hits)-1), 0)
		m.keys.sync(len(m.hits), m.cursor, true, m.best)
		return nil
	case key.Matches(msg, m.keys.Order):
		m.best = !m.best
		return m.query()
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
	if m.input.Value() == before {
		return cmd
	}
	if w := storage.ReadSearch(m.input.Value()); w.Same(m.sent) {
		m.words = w // a letter that waits, a space: the hits stand
		return cmd
	}
	return tea.Batch(cmd, m.query())
}

func (m *searchScreen) View() string {
	st := m.c.Styles
	var b strings.Builder
	b.WriteString(st.Title.Render("Search everything"))
	b.WriteString(st.Subtle.Render("  notes, plans and their own words, in every call"))
	b.WriteString("\n" + m.input.View() + "\n")
	waiting := ""
	if m.words.Waiting != "" {
		waiting = fmt.Sprintf(" · %q waits for one more letter", m.words.Waiting)
	}
	switch {
	case m.err != "":
		b.WriteString(st.Error.Render(m.err))
		return b.String()
	case strings.TrimSpace(m.input.Value()) == "":
		b.WriteString(st.Subtle.Render("Type a few words; each also finds longer words that start with it."))
		return b.String()
	case m.words.Empty() && m.words.Waiting != "":
		b.WriteString(st.Subtle.Render(clipLine("Type one more letter: one letter alone would find nearly everything.", m.width)))
		return b.String()
	case len(m.hits) == 0:
		b.WriteString(st.Subtle.Render(clipLine("Nothing found."+waiting, m.width)))
		return b.String()
	}
	b.WriteString(st.Header.Render(clipLine(m.found()+waiting, m.width)))
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

// found says how many hits there are, in which order, and of how many.
func (m *searchScreen) found() string {
	n := len(m.hits)
	switch {
	case !m.best && n == searchShown:
		return fmt.Sprintf("%d found, newest first (the newest %d)", n, n)
	case !m.best:
		return fmt.Sprintf("%d found, newest first", n)
	case m.ranked >= storage.BestMatchWindow:
		return fmt.Sprintf("%d found, best match first (the best %d of the newest %s)", n, n, thousands(storage.BestMatchWindow))
	case m.ranked > n:
		return fmt.Sprintf("%d found, best match first (the best %d of %d)", n, n, m.ranked)
	}
	return fmt.Sprintf("%d found, best match first", n)
}
