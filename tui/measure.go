package tui

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"callcoach/coaching"
	"callcoach/coaching/measures"
	"callcoach/storage"
)

type measureSavedMsg struct {
	screen *measureScreen
	id     int64
	err    error
}

// measureScreen gives one measure by phone: the reading script, then one
// item at a time, answered with a digit; backspace goes back an item and x
// marks one declined. The answers so far are kept as a draft, so nothing is
// lost if the program stops; the result is saved, item by item, when the
// last item is answered. The safety item (PHQ-9 question 9) answered above
// 0 opens the safety panel at once.
type measureScreen struct {
	c       *Common
	person  coaching.Person
	callID  int64
	inst    measures.Instrument
	answers measures.Answers
	closing int // the unscored closing question; -1 not asked
	done    bool
	result  measures.Result
	savedID int64
	saveErr string
	draft   *draftWriter
	safety  bool // the safety panel has been opened for this administration
	width   int
	height  int
}

func newMeasureScreen(c *Common, p coaching.Person, callID int64, inst measures.Instrument) *measureScreen {
	return &measureScreen{c: c, person: p, callID: callID, inst: inst, closing: -1,
		draft: newDraftWriter(c.Store, fmt.Sprintf("measure:%d:%s", p.ID, inst.ID))}
}

func (m *measureScreen) Init() tea.Cmd { return m.draft.load(m.c) }
func (m *measureScreen) Typing() bool  { return true }
func (m *measureScreen) SetSize(w, h int) {
	m.width, m.height = w, h
}

var (
	measureBack    = key.NewBinding(key.WithKeys("backspace"), key.WithHelp("backspace", "back an item"))
	measureDecline = key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "declined"))
	measureStop    = key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "stop (answers kept as a draft)"))
	measureDone    = key.NewBinding(key.WithKeys("enter", "esc"), key.WithHelp("enter", "done"))
	measureNext    = key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "give the full measure now"))
)

func (m *measureScreen) ShortHelp() []key.Binding {
	if m.done {
		if m.result.Next != "" {
			return []key.Binding{measureNext, measureDone}
		}
		return []key.Binding{measureDone}
	}
	return []key.Binding{
		key.NewBinding(key.WithKeys("0"), key.WithHelp("digit", "answer")),
		measureBack, measureDecline, measureStop,
	}
}

func (m *measureScreen) FullHelp() [][]key.Binding { return [][]key.Binding{m.ShortHelp()} }

// Flush keeps the answers so far as a draft on the way out.
func (m *measureScreen) Flush() error {
	if m.done || len(m.answers) == 0 {
		return nil
	}
	return m.draft.save(m.c, m.draftFields())
}

func (m *measureScreen) draftFields() map[string]string {
	var parts []string
	for _, a := range m.answers {
		parts = append(parts, strconv.Itoa(a))
	}
	return map[string]string{"answers": strings.Join(parts, ",")}
}

// value maps a digit key to an option value: for a 1-10 scale, 0 means 10.
func (m *measureScreen) value(r rune) (int, bool) {
	if r < '0' || r > '9' {
		return 0, false
	}
	v := int(r - '0')
	if v == 0 && m.inst.Options[len(m.inst.Options)-1].Value == 10 {
		v = 10
	}
	for _, o := range m.inst.Options {
		if o.Value == v {
			return v, true
		}
	}
	return 0, false
}

func (m *measureScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case draftLoadedMsg:
		if msg.w == m.draft && msg.ok && len(m.answers) == 0 {
			for _, s := range strings.Split(msg.draft.Fields["answers"], ",") {
				if v, err := strconv.Atoi(s); err == nil && len(m.answers) < len(m.inst.Items) {
					m.answers = append(m.answers, v)
				}
			}
		}
		return m, nil
	case draftDueMsg, draftSavedMsg:
		return m, nil
	case measureSavedMsg:
		if msg.screen != m {
			return m, nil
		}
		if msg.err != nil {
			m.saveErr = "Not saved: " + storage.Explain(msg.err) + ". Press enter to try again."
			return m, nil
		}
		m.savedID, m.saveErr = msg.id, ""
		return m, nil
	case tea.KeyMsg:
		if m.done {
			return m.updateDone(msg)
		}
		return m, m.updateAnswer(msg)
	}
	return m, nil
}

func (m *measureScreen) updateAnswer(msg tea.KeyMsg) tea.Cmd {
	switch {
	case msg.Type == tea.KeyEsc:
		return tea.Batch(m.saveDraft(), pop)
	case msg.Type == tea.KeyBackspace:
		if n := len(m.answers); n > 0 {
			m.answers = m.answers[:n-1]
		}
		return m.saveDraft()
	case msg.Type == tea.KeyRunes && !msg.Alt:
		// Quick typing can arrive as several keys in one message.
		var cmds []tea.Cmd
		for _, r := range msg.Runes {
			if m.done || m.safety && len(cmds) > 0 && measures.SafetyTriggered(m.inst, m.answers) {
				break // the safety panel comes first; nothing more is taken
			}
			v, ok := m.value(r)
			if r == 'x' {
				v, ok = measures.Declined, true
			}
			if ok {
				m.answers = append(m.answers, v)
				cmds = append(cmds, m.afterAnswer())
			}
		}
		return tea.Batch(cmds...)
	}
	return nil
}

// afterAnswer checks the safety rule, then finishes or keeps the draft.
func (m *measureScreen) afterAnswer() tea.Cmd {
	var cmds []tea.Cmd
	if !m.safety && measures.SafetyTriggered(m.inst, m.answers) {
		m.safety = true
		ev := storage.SafetyEvent{PersonID: m.person.ID, CallID: m.callID, Trigger: string(m.inst.Safety.Trigger)}
		cmds = append(cmds, push(newSafetyPanel(m.c, ev, m.c.Role == coaching.RolePeer)))
	}
	if len(m.answers) < len(m.inst.Items) {
		return tea.Batch(append(cmds, m.saveDraft())...)
	}
	m.done = true
	m.result = measures.Score(m.inst, m.answers)
	return tea.Batch(append(cmds, m.save())...)
}

func (m *measureScreen) saveDraft() tea.Cmd {
	if len(m.answers) == 0 {
		w, c := m.draft, m.c
		return func() tea.Msg { return draftSavedMsg{w: w, err: w.store.DeleteDraft(c.Ctx, w.key)} }
	}
	return m.draft.saveCmd(m.c, m.draftFields())
}

// save writes the administration, item by item, with its result, and
// removes the draft.
func (m *measureScreen) save() tea.Cmd {
	r := m.result
	rec := storage.MeasureRecord{PersonID: m.person.ID, CallID: m.callID, Instrument: string(m.inst.ID),
		Answers: append([]int(nil), m.answers...), Complete: r.Complete, Scored: r.Scored, Total: r.Total,
		Band: r.Band, Closing: m.closing}
	c, draft := m.c, m.draft
	return func() tea.Msg {
		id, err := c.Store.SaveMeasure(c.Ctx, rec, c.Now())
		if err == nil {
			_ = draft.close(c) // saved; a draft left behind would only be offered again
		}
		return measureSavedMsg{screen: m, id: id, err: err}
	}
}

func (m *measureScreen) updateDone(msg tea.KeyMsg) (screen, tea.Cmd) {
	if m.saveErr != "" && msg.Type == tea.KeyEnter {
		return m, m.save()
	}
	if m.result.Next != "" && msg.String() == "y" {
		if next, ok := measures.Get(m.result.Next); ok {
			return m, replace(newMeasureScreen(m.c, m.person, m.callID, next))
		}
	}
	if key.Matches(msg, measureDone) {
		if m.savedID == 0 && m.saveErr != "" {
			return m, nil
		}
		return m, pop
	}
	return m, nil
}

func (m *measureScreen) View() string {
	st := m.c.Styles
	var lines []string
	add := func(style lipgloss.Style, text string) {
		wrapped := lipgloss.NewStyle().Width(max(m.width-2, 1)).Render(oneLine(text))
		for _, l := range strings.Split(wrapped, "\n") {
			lines = append(lines, style.Render(strings.TrimRight(l, " ")))
		}
	}
	title := m.inst.Title
	if m.inst.ClinicalFollowUp && m.c.Role == coaching.RolePeer {
		title += " · needs clinical follow-up: hand results to your supervisor"
	}
	add(st.Title, title+" with "+oneLine(m.person.DisplayName()))
	if m.done {
		m.resultLines(add)
		return strings.Join(lines, "\n")
	}
	n := len(m.answers)
	if n == 0 {
		add(st.Subtle, "Read out: "+m.inst.Intro)
	}
	add(st.Subtle, fmt.Sprintf("Question %d of %d", n+1, len(m.inst.Items)))
	it := m.inst.Items[n]
	add(st.Focused, it.Text)
	lines = append(lines, "")
	for _, o := range m.inst.Options {
		k := strconv.Itoa(o.Value)
		if o.Value == 10 {
			k = "0"
		}
		lines = append(lines, clipLine("  "+st.Key.Render(k)+"  "+o.Label, m.width))
	}
	lines = append(lines, clipLine("  "+st.Key.Render("x")+"  they would rather not answer", m.width))
	if n > 0 {
		prev := m.answers[n-1]
		text := strconv.Itoa(prev)
		if prev == measures.Declined {
			text = "declined"
		}
		lines = append(lines, "", st.Subtle.Render(fmt.Sprintf("Question %d: %s (backspace to change)", n, text)))
	}
	return strings.Join(lines, "\n")
}

func (m *measureScreen) resultLines(add func(lipgloss.Style, string)) {
	st := m.c.Styles
	r := m.result
	add(st.App, r.Message)
	if r.Next != "" {
		if next, ok := measures.Get(r.Next); ok {
			add(st.Warn, "Screens positive: press y to give the "+next.Name+" now.")
		}
	}
	if r.SafetyItem {
		add(st.Error, fmt.Sprintf("Question %d was answered above 0: the safety event is recorded with this result.", m.inst.Safety.Number))
	}
	switch {
	case m.saveErr != "":
		add(st.Error, m.saveErr)
	case m.savedID != 0:
		add(st.OK, "Saved with each answer and the date.")
	default:
		add(st.Subtle, "Saving…")
	}
}
