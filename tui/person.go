package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"callcoach/coaching"
	"callcoach/tui/cells"
)

// callsShown bounds how many past calls the person screen reads.
const callsShown = 500

type personKeys struct {
	Up, Down, Browse, NotesUp, NotesDown key.Binding
	Edit, Call, Resume, Back             key.Binding
	ResumeYes, ResumeNew, Cancel         key.Binding
}

func newPersonKeys() personKeys {
	return personKeys{
		Up:        key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "previous call")),
		Down:      key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "next call")),
		Browse:    key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", "calls")),
		NotesUp:   key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "scroll notes up")),
		NotesDown: key.NewBinding(key.WithKeys("pgdown", " "), key.WithHelp("pgdn", "scroll notes down")),
		Edit:      key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit profile")),
		Call:      key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "start call")),
		Resume:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "continue this call")),
		Back:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		ResumeYes: key.NewBinding(key.WithKeys("enter", "r"), key.WithHelp("enter", "continue it")),
		ResumeNew: key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "start a new call")),
		Cancel:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
}

type personLoadedMsg struct {
	person coaching.Person
	calls  []coaching.Call
}

type callStartedMsg struct{ call coaching.Call }

// personScreen shows one person's profile and their calls, newest first,
// with the selected call's notes below.
type personScreen struct {
	c        *Common
	keys     personKeys
	id       int64
	autoCall bool // start a call as soon as the person is loaded

	loaded bool
	person coaching.Person
	calls  []coaching.Call
	cursor int
	asking bool // "continue the unfinished call or start a new one?"

	notes      viewport.Model
	notesFor   int64
	width      int
	height     int
	notesWidth int
}

func newPersonScreen(c *Common, id int64, autoCall bool) *personScreen {
	return &personScreen{c: c, keys: newPersonKeys(), id: id, autoCall: autoCall, notes: viewport.New(0, 0)}
}

func (m *personScreen) Init() tea.Cmd   { return m.load() }
func (m *personScreen) Resume() tea.Cmd { return m.load() }
func (m *personScreen) Typing() bool    { return m.asking }

func (m *personScreen) load() tea.Cmd {
	store, ctx, id := m.c.Store, m.c.Ctx, m.id
	return func() tea.Msg {
		p, err := store.GetPerson(ctx, id)
		if err != nil {
			return errMsg{"Could not open this person: " + err.Error()}
		}
		calls, err := store.CallsForPerson(ctx, id, callsShown)
		if err != nil {
			return errMsg{"Could not read past calls: " + err.Error()}
		}
		return personLoadedMsg{person: p, calls: calls}
	}
}

func (m *personScreen) SetSize(w, h int) {
	m.width, m.height = w, h
	m.layoutNotes()
}

func (m *personScreen) ShortHelp() []key.Binding {
	if m.asking {
		return []key.Binding{m.keys.ResumeYes, m.keys.ResumeNew, m.keys.Cancel}
	}
	b := []key.Binding{m.keys.Call, m.keys.Edit}
	if c, ok := m.selectedCall(); ok && c.Unfinished() {
		b = append(b, m.keys.Resume)
	}
	return append(b, m.keys.Browse, m.keys.NotesDown, m.keys.Back)
}

func (m *personScreen) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{m.keys.Call, m.keys.Edit, m.keys.Resume, m.keys.Back},
		{m.keys.Up, m.keys.Down, m.keys.NotesUp, m.keys.NotesDown},
	}
}

func (m *personScreen) selectedCall() (coaching.Call, bool) {
	if m.cursor < 0 || m.cursor >= len(m.calls) {
		return coaching.Call{}, false
	}
	return m.calls[m.cursor], true
}

// openCall is the newest unfinished call, if any.
func (m *personScreen) openCall() (coaching.Call, bool) {
	for _, c := range m.calls {
		if c.Unfinished() {
			return c, true
		}
	}
	return coaching.Call{}, false
}

// startCall starts a new call, or first asks whether to continue the
// unfinished one.
func (m *personScreen) startCall() tea.Cmd {
	if _, ok := m.openCall(); ok {
		m.asking = true
		return nil
	}
	return m.newCall()
}

// newCall records a new call in the database and opens it.
func (m *personScreen) newCall() tea.Cmd {
	store, ctx, id, now, role := m.c.Store, m.c.Ctx, m.id, m.c.Now(), m.c.Role
	return func() tea.Msg {
		call, err := store.StartCall(ctx, id, role, now)
		if err != nil {
			return errMsg{"Could not start the call: " + err.Error()}
		}
		return callStartedMsg{call}
	}
}

func (m *personScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case personLoadedMsg:
		m.loaded = true
		m.person, m.calls = msg.person, msg.calls
		m.cursor = max(min(m.cursor, len(m.calls)-1), 0)
		m.notesFor = -1
		m.layoutNotes()
		if m.autoCall {
			m.autoCall = false
			return m, m.startCall()
		}
		return m, nil
	case callStartedMsg:
		return m, push(newCallScreen(m.c, m.person, msg.call))
	case tea.KeyMsg:
		if !m.loaded {
			if key.Matches(msg, m.keys.Back) {
				return m, pop
			}
			return m, nil
		}
		if m.asking {
			return m.updateAsking(msg)
		}
		return m.updateKeys(msg)
	}
	return m, nil
}

func (m *personScreen) updateAsking(msg tea.KeyMsg) (screen, tea.Cmd) {
	switch {
	case key.Matches(msg, m.keys.ResumeYes):
		m.asking = false
		if c, ok := m.openCall(); ok {
			return m, push(newCallScreen(m.c, m.person, c))
		}
	case key.Matches(msg, m.keys.ResumeNew):
		m.asking = false
		return m, m.newCall()
	case key.Matches(msg, m.keys.Cancel):
		m.asking = false
	}
	return m, nil
}

func (m *personScreen) updateKeys(msg tea.KeyMsg) (screen, tea.Cmd) {
	switch {
	case key.Matches(msg, m.keys.Back):
		return m, pop
	case key.Matches(msg, m.keys.Edit):
		return m, push(newPersonForm(m.c, m.person))
	case key.Matches(msg, m.keys.Call):
		return m, m.startCall()
	case key.Matches(msg, m.keys.Resume):
		if c, ok := m.selectedCall(); ok && c.Unfinished() {
			return m, push(newCallScreen(m.c, m.person, c))
		}
	case key.Matches(msg, m.keys.Up):
		if m.cursor > 0 {
			m.cursor--
			m.layoutNotes()
		}
	case key.Matches(msg, m.keys.Down):
		if m.cursor < len(m.calls)-1 {
			m.cursor++
			m.layoutNotes()
		}
	case key.Matches(msg, m.keys.NotesUp):
		m.notes.HalfPageUp()
	case key.Matches(msg, m.keys.NotesDown):
		m.notes.HalfPageDown()
	}
	return m, nil
}

// profileLines are the label/value rows of the profile block.
func (m *personScreen) profileLines() []string {
	p := m.person
	st := m.c.Styles
	now := m.c.Now()
	tz := p.TimeZone
	if tz != "" {
		if loc, err := time.LoadLocation(tz); err == nil {
			tz += fmt.Sprintf(" (%s there now)", now.In(loc).Format("Mon 15:04"))
		}
	}
	consent := "not recorded"
	if p.Consent {
		consent = "yes"
		if p.ConsentDate != "" {
			consent += ", given " + p.ConsentDate
		}
	}
	rows := [][2]string{
		{"Phone", p.Phone},
		{"Time zone", tz},
		{"Conditions", coaching.FormatConditions(p.Conditions)},
		{"Call times", p.CallTimes},
		{"Needs", p.CommunicationNeeds},
		{"Consent", consent},
	}
	var out []string
	for _, r := range rows {
		v := r[1]
		if v == "" {
			v = st.Subtle.Render("—")
		} else {
			v = oneLine(v)
		}
		out = append(out, st.Label.Render(padRight(r[0], 11))+" "+v)
	}
	return out
}

// callRows is how many lines the call list may take.
func (m *personScreen) callRows() int {
	free := m.height - 1 - len(m.profileLines()) - 2 // title, profile, "Calls" header, notes title
	rows := min(len(m.calls), 6)
	if free < 6 {
		rows = min(rows, max(free/2, 1))
	}
	return max(rows, 1)
}

func (m *personScreen) layoutNotes() {
	if !m.loaded {
		return
	}
	used := 1 + len(m.profileLines()) + 1 + m.callRows() + 1
	h := max(m.height-used, 0)
	w := max(m.width, 1)
	m.notes.Width, m.notes.Height = w, h
	c, ok := m.selectedCall()
	if !ok {
		m.notes.SetContent("")
		return
	}
	if c.ID == m.notesFor && w == m.notesWidth {
		return
	}
	m.notesFor, m.notesWidth = c.ID, w
	text := c.Summary
	if strings.TrimSpace(text) == "" {
		text = c.Notes
	}
	if strings.TrimSpace(text) == "" {
		text = m.c.Styles.Subtle.Render("No notes were taken on this call.")
	}
	m.notes.SetContent(lipgloss.NewStyle().Width(w).Render(cells.Safe(text)))
	m.notes.GotoTop()
}

func (m *personScreen) View() string {
	st := m.c.Styles
	if !m.loaded {
		return st.Subtle.Render("Opening…")
	}
	var b strings.Builder
	p := m.person
	title := st.Title.Render(oneLine(p.Name))
	if p.PreferredName != "" && p.PreferredName != p.Name {
		title += st.Subtle.Render(" · likes to be called ") + oneLine(p.PreferredName)
	}
	if p.Status != coaching.StatusActive {
		title += st.Warn.Render(" · " + string(p.Status))
	}
	b.WriteString(title)
	for _, l := range m.profileLines() {
		b.WriteString("\n" + l)
	}
	b.WriteString("\n")
	if m.asking {
		c, _ := m.openCall()
		b.WriteString(st.Warn.Render(fmt.Sprintf("There is an unfinished call from %s. Continue it, or start a new call?",
			c.StartedAt.In(m.c.Local).Format("Mon 2 Jan 15:04"))))
	} else {
		b.WriteString(st.Header.Render(fmt.Sprintf("Calls (%d)", len(m.calls))))
	}
	if len(m.calls) == 0 {
		b.WriteString("\n" + st.Subtle.Render("No calls yet. Press c to start the first one."))
		return b.String()
	}
	rows := m.callRows()
	first := max(m.cursor-rows+1, 0)
	now := m.c.Now()
	for i := first; i < first+rows && i < len(m.calls); i++ {
		c := m.calls[i]
		when := c.StartedAt.In(m.c.Local).Format("Mon _2 Jan 2006 15:04")
		outcome, length := c.Outcome.Label(), coaching.FormatLength(c.Duration(now))
		if c.Unfinished() {
			outcome, length = "UNFINISHED", ""
		}
		line := fmt.Sprintf("%s  %-14s %10s  %s", when, outcome, length, oneLine(coaching.NotesPreview(c.Notes)))
		if i == m.cursor {
			b.WriteString("\n" + st.Selected.Render(clipLine("> "+line, m.width)))
		} else {
			b.WriteString("\n" + clipLine("  "+line, m.width))
		}
	}
	b.WriteString("\n")
	if c, ok := m.selectedCall(); ok {
		label := "Notes from " + c.StartedAt.In(m.c.Local).Format("Mon 2 Jan 15:04")
		if c.Summary != "" {
			label = "Summary of " + c.StartedAt.In(m.c.Local).Format("Mon 2 Jan 15:04")
		}
		if pct := m.notes.ScrollPercent(); m.notes.TotalLineCount() > m.notes.Height && m.notes.Height > 0 {
			label += fmt.Sprintf("  (%d%%, pgup/pgdn to scroll)", int(pct*100))
		}
		b.WriteString(st.Header.Render(label))
	}
	if m.notes.Height > 0 {
		b.WriteString("\n" + m.notes.View())
	}
	return b.String()
}
