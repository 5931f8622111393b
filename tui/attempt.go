package tui

// Logging an attempt without opening the call workspace: a on a person
// (in the Now view, the caseload or their page), then how it ended; the
// retry rule proposes when to try again, which enter accepts or the coach
// changes (docs/queue.md, "Attempts and retries").

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"callcoach/coaching"
	"callcoach/storage"
)

type attemptKeys struct {
	Outcomes       []key.Binding // coaching.AttemptChoices, in order
	Log, Back, Esc key.Binding
	Edit           textinput.KeyMap
}

func newAttemptKeys() attemptKeys {
	k := attemptKeys{
		Log:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "log it")),
		Back: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back to how it ended")),
		Esc:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
		Edit: editKeys(),
	}
	for _, c := range coaching.AttemptChoices {
		k.Outcomes = append(k.Outcomes, key.NewBinding(key.WithKeys(c.Key), key.WithHelp(c.Key, c.Label)))
	}
	return k
}

type (
	attemptLoadedMsg struct {
		person   coaching.Person
		attempts storage.Attempts
	}
	attemptLoggedMsg struct {
		name   string
		logged storage.AttemptLogged
		retry  time.Time
		loc    *time.Location
	}
	attemptErrMsg struct{ text string }
)

// attemptScreen asks how an attempt to reach one person ended, and when
// to try again.
type attemptScreen struct {
	c        *Common
	id       int64
	keys     attemptKeys
	person   coaching.Person
	attempts storage.Attempts
	loaded   bool
	outcome  coaching.Outcome // chosen; none while choosing
	proposal coaching.RetryProposal
	when     textinput.Model // the retry, as the coach may change it; empty: none
	problem  string          // why the retry typed cannot be used
	saving   bool
	err      string
	width    int
	height   int
}

func newAttemptScreen(c *Common, personID int64) *attemptScreen {
	ti := textinput.New()
	ti.Prompt = "Try again (your clock): "
	ti.Placeholder = "empty for no retry"
	ti.CharLimit = 60
	ti.Cursor.Style = c.Styles.Cursor
	ti.Cursor.SetMode(cursor.CursorStatic)
	ti.PromptStyle = c.Styles.Label
	ti.PlaceholderStyle = c.Styles.Subtle
	m := &attemptScreen{c: c, id: personID, keys: newAttemptKeys(), when: ti}
	m.when.KeyMap = m.keys.Edit
	m.syncKeys()
	return m
}

// syncKeys switches on the keys of the question being asked: how it
// ended, or when to try again.
func (m *attemptScreen) syncKeys() {
	retry := m.outcome != coaching.OutcomeNone
	for i := range m.keys.Outcomes {
		m.keys.Outcomes[i].SetEnabled(!retry)
	}
	m.keys.Esc.SetEnabled(!retry)
	m.keys.Log.SetEnabled(retry)
	m.keys.Back.SetEnabled(retry)
	for _, b := range editBindings(&m.keys.Edit) {
		b.SetEnabled(retry)
	}
}

func (m *attemptScreen) Init() tea.Cmd {
	c, id := m.c, m.id
	return func() tea.Msg {
		p, err := c.Store.GetPerson(c.Ctx, id)
		if err != nil {
			return attemptErrMsg{"Could not read this person: " + storage.Explain(err)}
		}
		a, err := c.Store.PersonAttempts(c.Ctx, id, c.Now(), c.Local)
		if err != nil {
			return attemptErrMsg{"Could not read their attempts: " + storage.Explain(err)}
		}
		return attemptLoadedMsg{p, a}
	}
}

func (m *attemptScreen) SetSize(w, h int) {
	m.width, m.height = w, h
	m.when.Width = max(w-len(m.when.Prompt)-2-inputSlack, 1)
}

// Typing: the retry field has the keyboard once an outcome is chosen.
func (m *attemptScreen) Typing() bool { return m.outcome != coaching.OutcomeNone }

func (m *attemptScreen) ShortHelp() []key.Binding {
	if m.outcome != coaching.OutcomeNone {
		return []key.Binding{m.keys.Log, m.keys.Back}
	}
	return append(append([]key.Binding(nil), m.keys.Outcomes...), m.keys.Esc)
}

func (m *attemptScreen) FullHelp() [][]key.Binding {
	if m.outcome == coaching.OutcomeNone {
		return [][]key.Binding{m.ShortHelp()}
	}
	var edit []key.Binding
	for _, b := range editBindings(&m.keys.Edit) {
		edit = append(edit, *b)
	}
	return [][]key.Binding{{m.keys.Log, m.keys.Back}, edit}
}

// theirZone is the person's time zone, or the coach's when none is
// recorded (or it is not known here).
func (m *attemptScreen) theirZone() *time.Location { return m.person.Zone(m.c.Local) }

func (m *attemptScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	s, cmd := m.route(msg)
	m.syncKeys()
	return s, cmd
}

func (m *attemptScreen) route(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case attemptLoadedMsg:
		m.person, m.attempts, m.loaded = msg.person, msg.attempts, true
		return m, nil
	case attemptErrMsg:
		m.err, m.saving = msg.text, false
		return m, nil
	case attemptLoggedMsg:
		text := loggedText(msg, m.c.Local)
		return m, tea.Batch(pop, func() tea.Msg { return infoMsg{text} })
	case tea.KeyMsg:
		if m.saving {
			return m, nil
		}
		if m.outcome == coaching.OutcomeNone {
			return m.choose(msg)
		}
		return m.retry(msg)
	}
	return m, nil
}

// choose takes how the attempt ended, and proposes the retry.
func (m *attemptScreen) choose(msg tea.KeyMsg) (screen, tea.Cmd) {
	if key.Matches(msg, m.keys.Esc) {
		return m, pop
	}
	if !m.loaded {
		return m, nil
	}
	for i, k := range m.keys.Outcomes {
		if !key.Matches(msg, k) {
			continue
		}
		m.outcome = coaching.AttemptChoices[i].Outcome
		unanswered := m.attempts.UnansweredThisWeek
		if m.outcome.Unanswered() {
			unanswered++
		}
		now := m.c.Now()
		m.proposal = m.c.retryRule().Propose(m.outcome, unanswered, now, coaching.ReadCallWindow(m.person.CallTimes, m.theirZone()))
		m.when.SetValue("")
		if m.proposal.Retry() {
			m.when.SetValue(m.proposal.At.In(m.c.Local).Format("2006-01-02 15:04"))
		}
		m.problem = ""
		m.when.CursorEnd()
		return m, m.when.Focus()
	}
	return m, nil
}

// retry edits the time to try again; enter logs the attempt.
func (m *attemptScreen) retry(msg tea.KeyMsg) (screen, tea.Cmd) {
	switch {
	case key.Matches(msg, m.keys.Back):
		m.outcome = coaching.OutcomeNone
		m.when.Blur()
		return m, nil
	case key.Matches(msg, m.keys.Log):
		at, err := coaching.ParseRetry(m.when.Value(), m.c.Now(), m.c.Local)
		if err != nil {
			m.problem = err.Error()
			return m, nil
		}
		m.saving, m.err = true, ""
		c, a := m.c, storage.Attempt{PersonID: m.id, Outcome: m.outcome, Role: m.c.Role, Retry: at}
		name, loc := m.person.DisplayName(), m.theirZone()
		return m, func() tea.Msg {
			logged, err := c.Store.LogAttempt(c.Ctx, a, c.Now())
			if err != nil {
				return attemptErrMsg{"Could not log the attempt: " + storage.Explain(err) + ". Nothing was written; try again."}
			}
			return attemptLoggedMsg{name: name, logged: logged, retry: at, loc: loc}
		}
	}
	var cmd tea.Cmd
	m.when, cmd = updateInput(m.when, msg)
	m.problem = ""
	return m, cmd
}

// loggedText is the notice after an attempt is logged.
func loggedText(msg attemptLoggedMsg, coach *time.Location) string {
	text := "Logged for " + oneLine(msg.name) + "."
	if !msg.retry.IsZero() {
		text += " Next try " + msg.retry.In(msg.loc).Format("Mon 2 Jan 15:04") + " their time"
		if yours := msg.retry.In(coach).Format("15:04"); yours != msg.retry.In(msg.loc).Format("15:04") {
			text += " (" + yours + " yours)"
		}
		text += "."
	}
	return text
}

func (m *attemptScreen) View() string {
	st := m.c.Styles
	w := max(m.width-2, 1)
	var b strings.Builder
	b.WriteString(st.Title.Render("Log an attempt"))
	if m.loaded {
		b.WriteString(st.Subtle.Render(fmt.Sprintf("  %s · no. %d", oneLine(m.person.DisplayName()), m.person.ID)))
	}
	b.WriteString("\n\n")
	if m.err != "" {
		b.WriteString(st.Warn.Render(ansi.Wrap(m.err, w, "")) + "\n\n")
	}
	if !m.loaded {
		b.WriteString(st.Subtle.Render("Reading…"))
		return b.String()
	}
	now := m.c.Now()
	window := coaching.ReadCallWindow(m.person.CallTimes, m.theirZone())
	clock := "Their time: " + now.In(m.theirZone()).Format("Mon 15:04")
	if d := window.Describe(now, m.c.Local); d != "" {
		clock += " · " + d
	} else if m.person.CallTimes != "" {
		clock += " · call times: " + oneLine(m.person.CallTimes)
	} else {
		clock += " · no call times recorded"
	}
	b.WriteString(ansi.Wrap(clock, w, "") + "\n")
	b.WriteString(st.Subtle.Render(fmt.Sprintf("Tries today %d, in the last seven days %d (%d without getting through).",
		m.attempts.Today, m.attempts.ThisWeek, m.attempts.UnansweredThisWeek)) + "\n\n")
	if m.outcome == coaching.OutcomeNone {
		b.WriteString("How did it end?\n")
		for _, c := range coaching.AttemptChoices {
			b.WriteString("  " + st.Key.Render(c.Key) + " " + c.Label + "\n")
		}
		b.WriteString(st.Subtle.Render("  esc cancel: nothing is logged"))
		return b.String()
	}
	b.WriteString("It ended: " + m.outcome.Label() + "\n\n")
	switch {
	case m.proposal.Retry():
		b.WriteString(ansi.Wrap("Proposed: "+m.proposal.At.In(m.theirZone()).Format("Mon 2 Jan 15:04")+" their time ("+m.proposal.Why+").", w, "") + "\n")
	case m.proposal.Instead != "":
		b.WriteString(st.Warn.Render(ansi.Wrap(m.proposal.Instead, w, "")) + "\n")
	}
	b.WriteString(m.when.View() + "\n")
	if m.problem != "" {
		b.WriteString(st.Warn.Render(ansi.Wrap(m.problem, w, "")) + "\n")
	}
	b.WriteString(st.Subtle.Render(ansi.Wrap("Type a date and time (2026-12-01 14:00), tomorrow 10:00 or +2h, or empty it for no retry. Their one open follow-up moves to it (or one is made). enter logs the attempt · esc back.", w, "")))
	if m.saving {
		b.WriteString("\n" + st.Subtle.Render("Saving…"))
	}
	return b.String()
}
