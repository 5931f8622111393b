package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"callcoach/coaching"
	"callcoach/storage"
)

// caseloadPage is how many rows one query brings. The screen keeps one
// page around the visible rows, never the whole caseload.
const caseloadPage = 120

type caseloadKeys struct {
	Up, Down, PageUp, PageDown, Home, End key.Binding
	Open, New, Call, Filter, ClearFilter  key.Binding
	DoneFilter, Quit                      key.Binding
}

func newCaseloadKeys() caseloadKeys {
	return caseloadKeys{
		Up:          key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:        key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:      key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "page up")),
		PageDown:    key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "page down")),
		Home:        key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("home/g", "first")),
		End:         key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("end/G", "last")),
		Open:        key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open person")),
		New:         key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "new person")),
		Call:        key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "start call")),
		Filter:      key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "find")),
		ClearFilter: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear find")),
		DoneFilter:  key.NewBinding(key.WithKeys("enter", "down", "up"), key.WithHelp("enter/↓", "go to list")),
		Quit:        key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
	}
}

type caseloadLoadedMsg struct {
	seq    int
	offset int
	rows   []storage.CaseloadRow
	total  int
	all    int // people on the caseload, ignoring the filter
}

// caseload is the first screen: everyone the coach supports, found by
// typing, opened with enter.
type caseload struct {
	c      *Common
	keys   caseloadKeys
	filter textinput.Model
	typing bool // the filter field has the keyboard

	seq     int // query generation; older answers are dropped
	loaded  bool
	winFrom int // absolute index of rows[0]
	rows    []storage.CaseloadRow
	total   int // rows matching the filter
	all     int
	cursor  int // absolute index of the selection
	top     int // absolute index of the first visible row
	width   int
	height  int
	pending bool // a query is under way
}

func newCaseload(c *Common) *caseload {
	ti := textinput.New()
	ti.Prompt = "Find: "
	ti.Placeholder = "name, phone or condition"
	ti.CharLimit = 100
	ti.Cursor.Style = c.Styles.Cursor
	ti.Cursor.SetMode(cursor.CursorStatic)
	ti.PromptStyle = c.Styles.Label
	ti.PlaceholderStyle = c.Styles.Subtle
	return &caseload{c: c, keys: newCaseloadKeys(), filter: ti}
}

func (m *caseload) Init() tea.Cmd   { return m.query(0) }
func (m *caseload) Resume() tea.Cmd { return m.query(m.winFrom) }
func (m *caseload) Typing() bool    { return m.typing }

func (m *caseload) SetSize(w, h int) {
	m.width, m.height = w, h
	m.filter.Width = max(w-len(m.filter.Prompt)-2-inputSlack, 1)
	m.clampTop()
}

// listHeight is how many rows fit under the title, find line and header.
func (m *caseload) listHeight() int { return max(m.height-3, 1) }

func (m *caseload) ShortHelp() []key.Binding {
	if m.typing {
		return []key.Binding{m.keys.DoneFilter, m.keys.ClearFilter}
	}
	return []key.Binding{m.keys.Open, m.keys.Call, m.keys.New, m.keys.Filter, m.keys.Quit}
}

func (m *caseload) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{m.keys.Up, m.keys.Down, m.keys.PageUp, m.keys.PageDown, m.keys.Home, m.keys.End},
		{m.keys.Open, m.keys.Call, m.keys.New, m.keys.Quit},
		{m.keys.Filter, m.keys.DoneFilter, m.keys.ClearFilter},
	}
}

// query asks for one page starting near offset. Answers come back tagged
// with a sequence number so a slow answer to an old filter is ignored.
func (m *caseload) query(offset int) tea.Cmd {
	m.seq++
	m.pending = true
	seq, filter, store, ctx := m.seq, m.filter.Value(), m.c.Store, m.c.Ctx
	offset = max(offset, 0)
	return func() tea.Msg {
		total, err := store.CountCaseload(ctx, filter)
		if err != nil {
			return errMsg{"Could not read the caseload: " + err.Error()}
		}
		all := total
		if strings.TrimSpace(filter) != "" {
			if all, err = store.CountCaseload(ctx, ""); err != nil {
				return errMsg{"Could not read the caseload: " + err.Error()}
			}
		}
		if offset >= total {
			offset = max(total-caseloadPage, 0)
		}
		rows, err := store.Caseload(ctx, storage.CaseloadQuery{Filter: filter, Offset: offset, Limit: caseloadPage})
		if err != nil {
			return errMsg{"Could not read the caseload: " + err.Error()}
		}
		return caseloadLoadedMsg{seq: seq, offset: offset, rows: rows, total: total, all: all}
	}
}

func (m *caseload) selected() (storage.CaseloadRow, bool) {
	i := m.cursor - m.winFrom
	if i < 0 || i >= len(m.rows) {
		return storage.CaseloadRow{}, false
	}
	return m.rows[i], true
}

func (m *caseload) clampTop() {
	h := m.listHeight()
	if m.cursor < m.top {
		m.top = m.cursor
	}
	if m.cursor >= m.top+h {
		m.top = m.cursor - h + 1
	}
	m.top = max(min(m.top, m.total-h), 0)
}

// move puts the cursor at an absolute index and, if the rows to show are not
// in the page held, asks for the page around them.
func (m *caseload) move(to int) tea.Cmd {
	if m.total == 0 {
		return nil
	}
	m.cursor = max(min(to, m.total-1), 0)
	m.clampTop()
	h := m.listHeight()
	end := min(m.top+h, m.total)
	if m.top >= m.winFrom && end <= m.winFrom+len(m.rows) {
		return nil
	}
	return m.query(m.top - (caseloadPage-h)/2)
}

func (m *caseload) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case caseloadLoadedMsg:
		if msg.seq != m.seq {
			return m, nil
		}
		m.pending = false
		m.loaded = true
		m.rows, m.winFrom, m.total, m.all = msg.rows, msg.offset, msg.total, msg.all
		if m.cursor >= m.total {
			m.cursor = max(m.total-1, 0)
		}
		m.clampTop()
		return m, nil
	case tea.KeyMsg:
		if m.typing {
			return m.updateFilter(msg)
		}
		return m.updateList(msg)
	}
	return m, nil
}

func (m *caseload) updateFilter(msg tea.KeyMsg) (screen, tea.Cmd) {
	switch {
	case key.Matches(msg, m.keys.ClearFilter):
		m.typing = false
		m.filter.Blur()
		if m.filter.Value() == "" {
			return m, nil
		}
		m.filter.SetValue("")
		m.cursor, m.top = 0, 0
		return m, m.query(0)
	case key.Matches(msg, m.keys.DoneFilter):
		m.typing = false
		m.filter.Blur()
		return m, nil
	}
	before := m.filter.Value()
	var cmd tea.Cmd
	m.filter, cmd = m.filter.Update(msg)
	if m.filter.Value() != before {
		m.cursor, m.top = 0, 0
		return m, tea.Batch(cmd, m.query(0))
	}
	return m, cmd
}

func (m *caseload) updateList(msg tea.KeyMsg) (screen, tea.Cmd) {
	h := m.listHeight()
	switch {
	case key.Matches(msg, m.keys.Quit):
		return m, tea.Quit
	case key.Matches(msg, m.keys.Filter):
		m.typing = true
		return m, m.filter.Focus()
	case key.Matches(msg, m.keys.ClearFilter):
		if m.filter.Value() != "" {
			m.filter.SetValue("")
			m.cursor, m.top = 0, 0
			return m, m.query(0)
		}
	case key.Matches(msg, m.keys.Up):
		return m, m.move(m.cursor - 1)
	case key.Matches(msg, m.keys.Down):
		return m, m.move(m.cursor + 1)
	case key.Matches(msg, m.keys.PageUp):
		return m, m.move(m.cursor - h)
	case key.Matches(msg, m.keys.PageDown):
		return m, m.move(m.cursor + h)
	case key.Matches(msg, m.keys.Home):
		return m, m.move(0)
	case key.Matches(msg, m.keys.End):
		return m, m.move(m.total - 1)
	case key.Matches(msg, m.keys.New):
		return m, push(newPersonForm(m.c, coaching.Person{}))
	case key.Matches(msg, m.keys.Open):
		if r, ok := m.selected(); ok {
			return m, push(newPersonScreen(m.c, r.ID, false))
		}
	case key.Matches(msg, m.keys.Call):
		if r, ok := m.selected(); ok {
			return m, push(newPersonScreen(m.c, r.ID, true))
		}
	}
	return m, nil
}

func (m *caseload) View() string {
	st := m.c.Styles
	var b strings.Builder
	title := st.Title.Render("Caseload")
	if m.loaded {
		if m.filter.Value() != "" {
			title += st.Subtle.Render(fmt.Sprintf("  %d of %d people match", m.total, m.all))
		} else {
			title += st.Subtle.Render(fmt.Sprintf("  %d %s", m.all, plural(m.all, "person", "people")))
		}
	}
	b.WriteString(title)
	b.WriteString("\n")
	if m.typing || m.filter.Value() != "" {
		b.WriteString(m.filter.View())
	} else {
		b.WriteString(st.Subtle.Render("Press / to find someone by name, phone or condition."))
	}
	b.WriteString("\n")

	if !m.loaded {
		b.WriteString(st.Subtle.Render("Opening the caseload…"))
		return b.String()
	}
	if m.all == 0 {
		b.WriteString("\n")
		b.WriteString("No one is on your caseload yet.\n\n")
		b.WriteString("Press " + st.Key.Render("n") + " to add the first person you support.\n")
		b.WriteString(st.Subtle.Render("Only a name is needed; the rest can be filled in later.") + "\n\n")
		b.WriteString(st.Subtle.Render("To look around with sample people first, quit and run: callcoach demo"))
		return b.String()
	}
	if m.total == 0 {
		b.WriteString("\n")
		b.WriteString(fmt.Sprintf("No one matches “%s”.\n", oneLine(m.filter.Value())))
		b.WriteString(st.Subtle.Render("Try part of a name, a phone number or a condition. esc clears the search."))
		return b.String()
	}

	nameW, lastW := m.columns()
	condW := max(m.width-2-nameW-1-lastW-1, 0)
	header := "  " + padRight("Name", nameW) + " " + padRight("Conditions", condW) + " " + padRight("Last call", lastW)
	b.WriteString(st.Header.Render(clipLine(header, m.width)))
	now := m.c.Now()
	for i := m.top; i < m.top+m.listHeight() && i < m.total; i++ {
		b.WriteString("\n")
		j := i - m.winFrom
		if j < 0 || j >= len(m.rows) {
			b.WriteString(st.Subtle.Render("  …"))
			continue
		}
		r := m.rows[j]
		line := padRight(oneLine(rowName(r)), nameW) + " " +
			padRight(oneLine(coaching.FormatConditions(r.Conditions)), condW) + " " +
			padRight(lastCallText(r, now, m.c.Local), lastW)
		if i == m.cursor {
			b.WriteString(st.Selected.Render("> " + line))
		} else {
			b.WriteString("  " + line)
		}
	}
	return b.String()
}

// columns shares the width between name, conditions and last call, giving
// the name priority on narrow terminals.
func (m *caseload) columns() (nameW, lastW int) {
	avail := max(m.width-2, 0)
	switch {
	case avail >= 70:
		return 26, 22
	case avail >= 40:
		return avail * 2 / 5, avail / 3
	default:
		return avail, 0
	}
}

func rowName(r storage.CaseloadRow) string {
	name := r.Name
	if r.PreferredName != "" && r.PreferredName != r.Name {
		name += " (" + r.PreferredName + ")"
	}
	if r.Status != coaching.StatusActive && r.Status != "" {
		name += " [" + string(r.Status) + "]"
	}
	return name
}

func lastCallText(r storage.CaseloadRow, now time.Time, loc *time.Location) string {
	if r.OpenCall {
		return "unfinished call"
	}
	if r.LastCallAt.IsZero() {
		return "never called"
	}
	return shortDate(r.LastCallAt, now, loc) + " " + r.LastOutcome.Label()
}

// shortDate shows a past time briefly: the time today, the day and month
// this year, the full date otherwise.
func shortDate(t, now time.Time, loc *time.Location) string {
	t, now = t.In(loc), now.In(loc)
	switch {
	case t.Year() == now.Year() && t.YearDay() == now.YearDay():
		return "today " + t.Format("15:04")
	case t.Year() == now.Year():
		return t.Format("2 Jan")
	default:
		return t.Format("2 Jan 2006")
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
