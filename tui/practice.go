package tui

// My practice: the coach's own practice over the last weeks, opened from
// the caseload. Totals at the top, then one chart at a time, week by week
// (calls reached, R:Q, %CR, or the weekly figures as a table). Read once
// in a tea.Cmd when the screen opens; counts only, as `callcoach report`.

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"callcoach/coaching"
	"callcoach/storage"
)

// practiceWeeks is how many weeks the screen shows, this one the last.
const practiceWeeks = 12

// practiceKeys is the screen's key map: Update matches these very
// bindings and the help draws them.
type practiceKeys struct {
	Next, Prev, Back key.Binding
}

func newPracticeKeys() practiceKeys {
	return practiceKeys{
		Next: key.NewBinding(key.WithKeys("right", "tab", "l"), key.WithHelp("→/tab", "next chart")),
		Prev: key.NewBinding(key.WithKeys("left", "shift+tab", "h"), key.WithHelp("←", "previous chart")),
		Back: key.NewBinding(key.WithKeys("esc", "q"), key.WithHelp("esc", "back to the caseload")),
	}
}

// practiceReadMsg answers the screen's read.
type practiceReadMsg struct {
	p   coaching.Practice
	err error
}

// practiceScreen shows the coach's own practice.
type practiceScreen struct {
	c       *Common
	keys    practiceKeys
	p       *coaching.Practice
	err     string
	chart   int // a practiceChartKind, or practiceCharts for the table
	closing bool
	width   int
	height  int
	lines   []string // the body below the totals, drawn when the chart or size changes
	head    int      // how many of lines are headings, kept when the weeks do not all fit
}

func newPracticeScreen(c *Common) *practiceScreen {
	return &practiceScreen{c: c, keys: newPracticeKeys()}
}

// Init reads the last practiceWeeks weeks, up to now, on the coach's clock.
func (m *practiceScreen) Init() tea.Cmd {
	c := m.c
	return func() tea.Msg {
		now := c.Now()
		from := coaching.WeekStart(now, c.Local).AddDate(0, 0, -7*(practiceWeeks-1))
		// On a team database a coach's practice is their own records
		// (storage.PracticeOf), not everyone's they may read.
		var who storage.TeamCoach
		if l := c.Login; l.Coach && l.Name != "" {
			who = storage.TeamCoach{Role: l.Role, Name: l.Name}
		}
		p, err := c.Store.PracticeOf(c.Ctx, who, from, now, c.Local)
		return practiceReadMsg{p, err}
	}
}

func (m *practiceScreen) Typing() bool { return false }

// Changing: back was pressed; keys wait for the caseload.
func (m *practiceScreen) Changing() bool { return m.closing }

func (m *practiceScreen) SetSize(w, h int) {
	m.width, m.height = w, h
	m.draw()
}

func (m *practiceScreen) ShortHelp() []key.Binding {
	return []key.Binding{m.keys.Next, m.keys.Prev, m.keys.Back}
}

func (m *practiceScreen) FullHelp() [][]key.Binding {
	return [][]key.Binding{{m.keys.Next, m.keys.Prev, m.keys.Back}}
}

func (m *practiceScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case practiceReadMsg:
		if msg.err != nil {
			m.err = "Could not count your practice: " + storage.Explain(msg.err)
		} else {
			m.p = &msg.p
		}
		m.draw()
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, m.keys.Back):
			m.closing = true
			return m, pop
		case key.Matches(msg, m.keys.Next):
			m.chart = (m.chart + 1) % (int(practiceCharts) + 1)
			m.draw()
		case key.Matches(msg, m.keys.Prev):
			m.chart = (m.chart + int(practiceCharts)) % (int(practiceCharts) + 1)
			m.draw()
		}
	}
	return m, nil
}

// draw renders the chart chosen, once, for View to show.
func (m *practiceScreen) draw() {
	m.lines, m.head = nil, 1
	if m.p == nil || m.width <= 0 {
		return
	}
	if m.chart < int(practiceCharts) {
		m.lines = practiceChart(*m.p, practiceChartKind(m.chart), m.width)
		return
	}
	m.head = 2
	m.lines = []string{"Week by week",
		fmt.Sprintf("%-11s%6s%8s%8s%6s%4s%9s%10s", "Week of", "Calls", "Reached", "Minutes", "Plans", "7+", "On time", "Talk/call")}
	for _, w := range m.p.Weeks {
		m.lines = append(m.lines, fmt.Sprintf("%-11s%6d%8d%8d%6d%4d%9s%10s", weekLabel(w), w.Calls, w.Reached, w.Minutes(),
			w.Plans, w.PlansConfident, onTime(w.PracticeCounts), w.FormatChangeTalkPerCall()))
	}
}

func (m *practiceScreen) View() string {
	st := m.c.Styles
	var b strings.Builder
	title := st.Title.Render("My practice")
	switch {
	case m.err != "":
		return fit(title+"\n"+st.Error.Render(m.err), m.width, m.height)
	case m.p == nil:
		return fit(title+"\n"+st.Subtle.Render("Counting…"), m.width, m.height)
	}
	p, t := m.p, m.p.Total
	last := p.To.Add(-time.Nanosecond)
	b.WriteString(title + st.Subtle.Render(fmt.Sprintf("  %s to %s, %d weeks · counts only", p.From.Format("Mon 2 Jan"), last.Format("Mon 2 Jan 2006"), len(p.Weeks))) + "\n")
	b.WriteString(fmt.Sprintf("Calls %d · reached %d · %d min · plans %d, %d at 7+ · follow-ups on time %s\n",
		t.Calls, t.Reached, t.Minutes(), t.Plans, t.PlansConfident, onTime(t)))
	rq, pct := t.RQ(), t.PercentComplex()
	b.WriteString(fmt.Sprintf("Change talk %s a call · R:Q %s (%d/%d) %s · %%CR %s (%d/%d) %s\n",
		t.FormatChangeTalkPerCall(), rq.FormatRQ(), t.Tally.Reflections(), t.Tally.Questions(), t.Verdict(rq),
		pct.FormatPercent(), t.Tally[coaching.TallyComplexReflect], t.Tally.Reflections(), t.Verdict(pct)))
	b.WriteString(st.Separator.Render(strings.Repeat("─", max(m.width, 0))) + "\n")
	// The most recent weeks when not all fit.
	lines := m.lines
	if room := m.height - 4; len(lines) > room && room > m.head {
		weeks := room - m.head
		lines = append(append([]string(nil), lines[:m.head]...), lines[len(lines)-weeks:]...)
		lines[0] += st.Subtle.Render(fmt.Sprintf(" · the last %d of %d weeks (taller window for all)", weeks, len(p.Weeks)))
	}
	b.WriteString(strings.Join(lines, "\n"))
	return fit(b.String(), m.width, m.height)
}
