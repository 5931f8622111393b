package tui

import (
	"strings"

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

// caseloadKeys is the caseload's key map: Update matches these very
// bindings and the help draws them. The list's keys are on while the list
// has the keyboard, the finding keys while the find field has it.
type caseloadKeys struct {
	Up, Down, PageUp, PageDown, Home, End key.Binding
	Open, New, Call, Filter, ClearFilter  key.Binding
	DoneFilter, Quit, NextTab, PrevTab    key.Binding
	Edit                                  textinput.KeyMap // the find field's own keys
}

func newCaseloadKeys() caseloadKeys {
	return caseloadKeys{
		Up:          key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:        key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:      key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "page up")),
		PageDown:    key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "page down")),
		Home:        key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("home/g", "first")),
		End:         key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("end/G", "last")),
		Open:        key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
		New:         key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "new person")),
		Call:        key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "start call")),
		Filter:      key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "find")),
		ClearFilter: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear find")),
		DoneFilter:  key.NewBinding(key.WithKeys("enter", "down", "up"), key.WithHelp("enter/↓", "go to list")),
		Quit:        key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
		NextTab:     key.NewBinding(key.WithKeys("tab", "right", "l"), key.WithHelp("tab", "next section")),
		PrevTab:     key.NewBinding(key.WithKeys("shift+tab", "left", "h"), key.WithHelp("shift+tab/←", "previous section")),
		Edit:        editKeys(),
	}
}

// syncKeys switches on the keys that can act now.
func (m *caseload) syncKeys() {
	k := &m.keys
	list := !m.typing
	for _, b := range []*key.Binding{&k.Up, &k.Down, &k.PageUp, &k.PageDown, &k.Home, &k.End,
		&k.Open, &k.New, &k.Call, &k.Filter, &k.Quit, &k.NextTab, &k.PrevTab} {
		b.SetEnabled(list)
	}
	k.ClearFilter.SetEnabled(m.typing || m.filter.Value() != "")
	k.DoneFilter.SetEnabled(m.typing)
	for _, b := range editBindings(&k.Edit) {
		b.SetEnabled(m.typing)
	}
}

type caseloadLoadedMsg struct {
	seq     int
	offset  int
	rows    []storage.CaseloadRow
	counts  map[storage.Section]int
	all     int // people on the caseload, ignoring the filter
	section storage.Section
}

// sectionTabs are the caseload's sections in the order shown.
var sectionTabs = []struct {
	section storage.Section
	label   string
}{
	{storage.SectionOverdue, "Overdue"},
	{storage.SectionDueToday, "Due today"},
	{storage.SectionUpcoming, "Upcoming"},
	{storage.SectionNoFollowUp, "No follow-up"},
	{storage.SectionAll, "Everyone"},
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
	section storage.Section
	chosen  bool            // the coach picked the section (so it is not picked for them)
	before  storage.Section // the section to go back to when a search is cleared
	counts  map[storage.Section]int
	winFrom int // absolute index of rows[0]
	rows    []storage.CaseloadRow
	total   int // rows matching the filter
	all     int
	cursor  int // absolute index of the selection
	top     int // absolute index of the first visible row
	width   int
	height  int
	pending bool // a query is under way
	opening bool // a screen is opening over this one
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
	m := &caseload{c: c, keys: newCaseloadKeys(), filter: ti}
	m.filter.KeyMap = m.keys.Edit
	m.syncKeys()
	return m
}

func (m *caseload) Init() tea.Cmd   { return m.query(0) }
func (m *caseload) Resume() tea.Cmd { m.opening = false; return m.query(m.winFrom) }

// Changing: a person or a form is opening; keys typed meanwhile wait for it.
func (m *caseload) Changing() bool { return m.opening }

// open pushes s over the caseload, holding keys until it is up.
func (m *caseload) open(s screen) tea.Cmd {
	m.opening = true
	return push(s)
}
func (m *caseload) Typing() bool { return m.typing }

func (m *caseload) SetSize(w, h int) {
	m.width, m.height = w, h
	m.filter.Width = max(w-len(m.filter.Prompt)-2-inputSlack, 1)
	m.clampTop()
}

// listHeight is how many rows fit under the title, sections, find line and
// header.
func (m *caseload) listHeight() int { return max(m.height-4, 1) }

func (m *caseload) ShortHelp() []key.Binding {
	if m.typing {
		return []key.Binding{m.keys.DoneFilter, m.keys.ClearFilter}
	}
	return []key.Binding{m.keys.Open, m.keys.Call, m.keys.New, m.keys.Filter, m.keys.Quit, m.keys.NextTab}
}

func (m *caseload) FullHelp() [][]key.Binding {
	var edit []key.Binding
	for _, b := range editBindings(&m.keys.Edit) {
		edit = append(edit, *b)
	}
	return [][]key.Binding{
		{m.keys.Up, m.keys.Down, m.keys.PageUp, m.keys.PageDown, m.keys.Home, m.keys.End},
		{m.keys.Open, m.keys.Call, m.keys.New, m.keys.Quit},
		{m.keys.Filter, m.keys.DoneFilter, m.keys.ClearFilter},
		{m.keys.NextTab, m.keys.PrevTab},
		edit,
	}
}

// query asks for one page of the current section starting near offset,
// with the count of every section. Answers come back tagged with a sequence
// number so a slow answer to an old filter is ignored.
func (m *caseload) query(offset int) tea.Cmd {
	m.seq++
	m.pending = true
	seq, store, ctx := m.seq, m.c.Store, m.c.Ctx
	overdue, tomorrow := coaching.DueWindow(m.c.Now(), m.c.Local)
	q := storage.CaseloadQuery{Filter: m.filter.Value(), Section: m.section, OverdueBefore: overdue, DueBefore: tomorrow, Limit: caseloadPage}
	pick := !m.chosen
	offset = max(offset, 0)
	return func() tea.Msg {
		counts, err := store.CountSections(ctx, q)
		if err != nil {
			return errMsg{"Could not read the caseload: " + storage.Explain(err)}
		}
		all := counts[storage.SectionAll]
		if strings.TrimSpace(q.Filter) != "" {
			if all, err = store.CountCaseload(ctx, ""); err != nil {
				return errMsg{"Could not read the caseload: " + storage.Explain(err)}
			}
		}
		if pick {
			// Until the coach picks, open on whoever needs a call first.
			q.Section = storage.SectionAll
			if d, ok := coaching.OpensOn(func(d coaching.DueState) int { return counts[storage.DueSection(d)] }); ok {
				q.Section = storage.DueSection(d)
			}
		}
		total := counts[q.Section]
		if offset >= total {
			offset = max(total-caseloadPage, 0)
		}
		q.Offset = offset
		rows, err := store.Caseload(ctx, q)
		if err != nil {
			return errMsg{"Could not read the caseload: " + storage.Explain(err)}
		}
		return caseloadLoadedMsg{seq: seq, offset: offset, rows: rows, counts: counts, all: all, section: q.Section}
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
	s, cmd := m.route(msg)
	m.syncKeys()
	return s, cmd
}

func (m *caseload) route(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case caseloadLoadedMsg:
		if msg.seq != m.seq {
			return m, nil
		}
		m.pending = false
		m.loaded = true
		m.section, m.counts = msg.section, msg.counts
		m.rows, m.winFrom, m.total, m.all = msg.rows, msg.offset, msg.counts[msg.section], msg.all
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
		m.filter.SetValue("")
		return m, m.restoreSection()
	case key.Matches(msg, m.keys.DoneFilter):
		m.typing = false
		m.filter.Blur()
		return m, nil
	}
	before := m.filter.Value()
	var cmd tea.Cmd
	m.filter, cmd = updateInput(m.filter, msg)
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
		// Finding someone looks through everyone; esc brings the section
		// back.
		m.typing = true
		if m.filter.Value() == "" && m.section != storage.SectionAll {
			m.before, m.section, m.chosen = m.section, storage.SectionAll, true
			m.cursor, m.top = 0, 0
			return m, tea.Batch(m.filter.Focus(), m.query(0))
		}
		return m, m.filter.Focus()
	case key.Matches(msg, m.keys.ClearFilter):
		if m.filter.Value() != "" {
			m.filter.SetValue("")
			return m, m.restoreSection()
		}
	case key.Matches(msg, m.keys.NextTab):
		return m, m.switchSection(1)
	case key.Matches(msg, m.keys.PrevTab):
		return m, m.switchSection(-1)
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
		return m, m.open(newPersonForm(m.c, coaching.Person{}))
	case key.Matches(msg, m.keys.Open):
		if r, ok := m.selected(); ok {
			return m, m.open(newPersonScreen(m.c, r.ID, false))
		}
	case key.Matches(msg, m.keys.Call):
		if r, ok := m.selected(); ok {
			return m, m.open(newPersonScreen(m.c, r.ID, true))
		}
	}
	return m, nil
}

// restoreSection goes back to the section the coach was in before finding
// someone, and reads it again.
func (m *caseload) restoreSection() tea.Cmd {
	if m.before != storage.SectionAll {
		m.section, m.before = m.before, storage.SectionAll
	}
	m.cursor, m.top = 0, 0
	return m.query(0)
}

// switchSection moves to the next (d = 1) or previous (-1) section.
func (m *caseload) switchSection(d int) tea.Cmd {
	i := 0
	for j, t := range sectionTabs {
		if t.section == m.section {
			i = j
		}
	}
	i = (i + d + len(sectionTabs)) % len(sectionTabs)
	m.section, m.chosen = sectionTabs[i].section, true
	m.cursor, m.top = 0, 0
	return m.query(0)
}
