package tui

// The registry: treat to target for PHQ-9 and GAD-7 (coaching/target.go),
// opened from the caseload with R. One line a person: first and latest
// score with their dates, the change, the weeks in care and where they
// stand in words, those not on track first, so the coach raises them
// with the team. Read in a tea.Cmd when the screen opens and again when
// the coach comes back to it; the page is one index range at any size.

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"callcoach/coaching"
	"callcoach/coaching/measures"
	"callcoach/storage"
)

// registryLimit is how many people the screen reads at a time: a few
// screenfuls, the not on track among the first. It reads the next as the
// cursor nears the end of what it has (keyset paging), never the whole
// caseload at once.
const registryLimit = 200

// registryInstruments are the instruments tracked to target, in the
// order tab moves through them.
var registryInstruments = []struct {
	id   measures.ID
	name string
}{{measures.PHQ9, "PHQ-9"}, {measures.GAD7, "GAD-7"}}

type registryKeys struct {
	Up, Down, PageUp, PageDown, Open, Switch, Back key.Binding
}

func newRegistryKeys() registryKeys {
	return registryKeys{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "page down")),
		Open:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
		Switch:   key.NewBinding(key.WithKeys("tab", "shift+tab"), key.WithHelp("tab", "PHQ-9 / GAD-7")),
		Back:     key.NewBinding(key.WithKeys("esc", "q"), key.WithHelp("esc", "back to the caseload")),
	}
}

// registryLine is one person's line, worked out when read, not in View.
type registryLine struct {
	id     int64
	name   string
	p      coaching.Progress
	target coaching.Target
	key    storage.RegistryKey
}

// registryReadMsg answers the screen's read; it reaches the screen that
// asked even under the person opened from it.
type registryReadMsg struct {
	to         *registryScreen
	instrument measures.ID
	next       bool // the page after the lines the screen has, not the first
	gen        int  // the screen's reads since the last first page: older answers are dropped
	lines      []registryLine
	more       bool // the read was full: there may be more after it
	err        error
}

func (m registryReadMsg) addressedTo(s screen) bool { return s == m.to }

type registryScreen struct {
	c          *Common
	keys       registryKeys
	instrument int // into registryInstruments
	weeks      int
	lines      []registryLine
	more       bool // the last read was full: more may follow the lines
	reading    bool // the next page is being read
	gen        int  // counts first-page reads; a next page from before one is dropped
	moreErr    string
	loaded     bool
	err        string
	cursor     int
	top        int
	changing   bool
	width      int
	height     int
	rendered   []string // one per line, for the width; drawn when the rows or the size change
	header     string
}

func newRegistryScreen(c *Common) *registryScreen {
	return &registryScreen{c: c, keys: newRegistryKeys(), weeks: c.targetWeeks()}
}

// read reads the instrument's first page, as long as what the screen
// already shows (so coming back keeps the place), and works out each
// line's status on the coach's clock now.
func (m *registryScreen) read() tea.Cmd {
	m.gen++
	m.reading = false
	return m.readAfter(storage.RegistryKey{}, max(registryLimit, len(m.lines)), false)
}

// readNext reads the page after the last line, when the cursor nears it.
func (m *registryScreen) readNext() tea.Cmd {
	if !m.more || m.reading || len(m.lines) == 0 || m.cursor < len(m.lines)-2*m.listHeight() {
		return nil
	}
	m.reading = true
	return m.readAfter(m.lines[len(m.lines)-1].key, registryLimit, true)
}

func (m *registryScreen) readAfter(after storage.RegistryKey, limit int, next bool) tea.Cmd {
	c, inst, weeks, gen := m.c, registryInstruments[m.instrument].id, m.weeks, m.gen
	return func() tea.Msg {
		rows, err := c.Store.RegistryAfter(c.Ctx, inst, after, limit)
		if err != nil {
			return registryReadMsg{to: m, instrument: inst, next: next, gen: gen, err: err}
		}
		now := c.Now()
		lines := make([]registryLine, len(rows))
		for i, r := range rows {
			lines[i] = registryLine{id: r.PersonID, name: r.Name, p: r.Progress, target: coaching.TargetOf(r.Progress, weeks, now), key: r.Key}
		}
		return registryReadMsg{to: m, instrument: inst, next: next, gen: gen, lines: lines, more: len(rows) == limit}
	}
}

func (m *registryScreen) Init() tea.Cmd { return m.read() }

// Resume reads again: a call may have added a measure.
func (m *registryScreen) Resume() tea.Cmd {
	m.changing = false
	return m.read()
}

func (m *registryScreen) Typing() bool { return false }

// Changing: a person is opening, or the screen is closing.
func (m *registryScreen) Changing() bool { return m.changing }

func (m *registryScreen) SetSize(w, h int) {
	m.width, m.height = w, h
	m.draw()
	m.clamp()
}

func (m *registryScreen) ShortHelp() []key.Binding {
	return []key.Binding{m.keys.Open, m.keys.Switch, m.keys.Back}
}

func (m *registryScreen) FullHelp() [][]key.Binding {
	return [][]key.Binding{{m.keys.Up, m.keys.Down, m.keys.PageUp, m.keys.PageDown}, {m.keys.Open, m.keys.Switch, m.keys.Back}}
}

// listHeight is how many people fit under the title, the rule and the
// column heads.
func (m *registryScreen) listHeight() int { return max(m.height-3, 1) }

func (m *registryScreen) clamp() {
	m.cursor = max(min(m.cursor, len(m.lines)-1), 0)
	h := m.listHeight()
	if m.cursor < m.top {
		m.top = m.cursor
	}
	if m.cursor >= m.top+h {
		m.top = m.cursor - h + 1
	}
	m.top = max(min(m.top, len(m.lines)-h), 0)
}

func (m *registryScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case registryReadMsg:
		if msg.instrument != registryInstruments[m.instrument].id || msg.gen != m.gen {
			return m, nil // the coach has moved to the other instrument, or it was read again since
		}
		if msg.next {
			m.reading = false
			if msg.err != nil {
				m.more = false // the lines read stay; the title says why no more came
				m.moreErr = "Could not read more: " + storage.Explain(msg.err)
				return m, nil
			}
			m.lines, m.more = append(m.lines, msg.lines...), msg.more
			m.draw()
			return m, m.readNext()
		}
		m.loaded, m.err, m.moreErr = true, "", ""
		if msg.err != nil {
			m.err = "Could not read the registry: " + storage.Explain(msg.err)
			return m, nil
		}
		m.lines, m.more = msg.lines, msg.more
		m.draw()
		m.clamp()
		return m, m.readNext()
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, m.keys.Back):
			m.changing = true
			return m, pop
		case key.Matches(msg, m.keys.Switch):
			m.instrument = (m.instrument + 1) % len(registryInstruments)
			m.lines, m.rendered, m.loaded, m.cursor, m.top, m.more = nil, nil, false, 0, 0, false
			m.draw()
			return m, m.read()
		case key.Matches(msg, m.keys.Up):
			m.cursor--
		case key.Matches(msg, m.keys.Down):
			m.cursor++
		case key.Matches(msg, m.keys.PageUp):
			m.cursor -= m.listHeight()
		case key.Matches(msg, m.keys.PageDown):
			m.cursor += m.listHeight()
		case key.Matches(msg, m.keys.Open):
			if m.cursor < len(m.lines) {
				m.changing = true
				return m, push(newPersonScreen(m.c, m.lines[m.cursor].id, false))
			}
		}
		m.clamp()
		return m, m.readNext()
	}
	return m, nil
}

// registryColumns says which columns fit: dates go first when narrow,
// then the weeks, then the change; the name and the status always stay.
type registryColumns struct{ dates, weeks, change bool }

func registryColumnsFor(width int) registryColumns {
	return registryColumns{dates: width >= 72, weeks: width >= 52, change: width >= 44}
}

// Widths of the columns, in cells.
const (
	regStatusW = 12 // "not on track"
	regScoreW  = 6  // "Latest", over a total of up to 2 digits
	regDateW   = 9  // "30 Nov 26"
	regChangeW = 6  // "−100%"
	regWeeksW  = 5  // "52 wk"
)

func (cols registryColumns) scoreW() int {
	if cols.dates {
		return 2 + 1 + regDateW
	}
	return regScoreW
}

// draw renders the column heads and every line for the width, once.
func (m *registryScreen) draw() {
	m.rendered = m.rendered[:0]
	if m.width <= 0 {
		return
	}
	cols := registryColumnsFor(m.width)
	nameW := m.width - 2 - (regStatusW + 1) - 2*(cols.scoreW()+1)
	if cols.change {
		nameW -= regChangeW + 1
	}
	if cols.weeks {
		nameW -= regWeeksW + 1
	}
	nameW = max(nameW, 4)
	row := func(name, first, latest, change, weeks, status string) string {
		var b strings.Builder
		b.WriteString(padRight(name, nameW))
		fmt.Fprintf(&b, " %*s %*s", cols.scoreW(), first, cols.scoreW(), latest)
		if cols.change {
			fmt.Fprintf(&b, " %*s", regChangeW, change)
		}
		if cols.weeks {
			fmt.Fprintf(&b, " %*s", regWeeksW, weeks)
		}
		b.WriteString(" " + status)
		return b.String()
	}
	m.header = "  " + row("Name", "First", "Latest", "Change", "Care", "Status")
	for _, l := range m.lines {
		first, latest := fmt.Sprintf("%2.0f", l.p.FirstTotal), fmt.Sprintf("%2.0f", l.p.LatestTotal)
		if cols.dates {
			first += " " + fmt.Sprintf("%*s", regDateW, l.p.FirstAt.In(m.c.Local).Format("2 Jan 06"))
			latest += " " + fmt.Sprintf("%*s", regDateW, l.p.LatestAt.In(m.c.Local).Format("2 Jan 06"))
		}
		change := "–"
		if l.p.Count > 1 && l.p.FirstTotal > 0 {
			change = coaching.ChangeText(l.target.Change)
		}
		m.rendered = append(m.rendered, row(l.name, first, latest, change, fmt.Sprintf("%d wk", l.target.Weeks), l.target.Status.String()))
	}
}

func (m *registryScreen) View() string {
	st := m.c.Styles
	inst := registryInstruments[m.instrument]
	var other string
	for _, i := range registryInstruments {
		if i.id != inst.id {
			other = i.name
		}
	}
	var b strings.Builder
	title := st.Title.Render("Registry · "+inst.name) +
		st.Subtle.Render(fmt.Sprintf("  not on track: under 50%% better after %d weeks · tab: %s", m.weeks, other))
	if m.moreErr != "" {
		title = st.Title.Render("Registry · "+inst.name) + "  " + st.Error.Render(m.moreErr)
	}
	b.WriteString(clipLine(title, m.width) + "\n")
	switch {
	case m.err != "":
		b.WriteString(st.Error.Render(m.err))
		return fit(b.String(), m.width, m.height)
	case !m.loaded:
		b.WriteString(st.Subtle.Render("Reading…"))
		return fit(b.String(), m.width, m.height)
	case len(m.lines) == 0:
		b.WriteString(fmt.Sprintf("No one has a complete %s yet.", inst.name))
		return fit(b.String(), m.width, m.height)
	}
	b.WriteString(st.Separator.Render(strings.Repeat("─", max(m.width, 0))) + "\n")
	b.WriteString(st.Subtle.Render(m.header) + "\n")
	end := min(m.top+m.listHeight(), len(m.rendered))
	for i := m.top; i < end; i++ {
		line := m.rendered[i]
		switch {
		case i == m.cursor:
			line = st.Selected.Render("> " + line)
		case m.lines[i].target.Status == coaching.TargetNotOnTrack:
			line = "  " + st.Warn.Render(line)
		default:
			line = "  " + line
		}
		b.WriteString(line + "\n")
	}
	return fit(strings.TrimSuffix(b.String(), "\n"), m.width, m.height)
}
