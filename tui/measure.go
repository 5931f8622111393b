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
	keys    measureKeys
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
	covered bool // the safety panel is over this screen: keys wait for it to close
	width   int
	height  int
}

func newMeasureScreen(c *Common, p coaching.Person, callID int64, inst measures.Instrument) *measureScreen {
	m := &measureScreen{c: c, keys: newMeasureKeys(inst), person: p, callID: callID, inst: inst, closing: -1,
		draft: newDraftWriter(c.Store, fmt.Sprintf("measure:%d:%s", p.ID, inst.ID))}
	m.syncKeys()
	return m
}

func (m *measureScreen) Init() tea.Cmd { return m.draft.load(m.c) }
func (m *measureScreen) Typing() bool  { return true }
func (m *measureScreen) SetSize(w, h int) {
	m.width, m.height = w, h
}

// measureKeys is the measure screen's key map: Update matches these very
// bindings and the help draws them; those that cannot act now are off.
type measureKeys struct {
	Answer, Decline, Back, Stop key.Binding // while asking
	Retry, Next, Done           key.Binding // once answered
}

func newMeasureKeys(inst measures.Instrument) measureKeys {
	var digits []string
	for _, o := range inst.Options {
		d := strconv.Itoa(o.Value)
		if o.Value == 10 {
			d = "0"
		}
		digits = append(digits, d)
	}
	help := digits[0] + "-" + digits[len(digits)-1]
	if len(digits) == 10 {
		help = "1-9, 0"
	}
	return measureKeys{
		Answer:  key.NewBinding(key.WithKeys(digits...), key.WithHelp(help, "their answer")),
		Decline: key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "they would rather not answer")),
		Back:    key.NewBinding(key.WithKeys("backspace"), key.WithHelp("backspace", "back a question")),
		Stop:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "stop (answers kept as a draft)")),
		Retry:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "try saving again")),
		Next:    key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "give the full measure now")),
		Done:    key.NewBinding(key.WithKeys("enter", "esc"), key.WithHelp("enter", "done")),
	}
}

// syncKeys switches on what can act now.
func (m *measureScreen) syncKeys() {
	k := &m.keys
	for _, b := range []*key.Binding{&k.Answer, &k.Decline, &k.Stop} {
		b.SetEnabled(!m.done)
	}
	k.Back.SetEnabled(!m.done && len(m.answers) > 0)
	k.Retry.SetEnabled(m.done && m.saveErr != "")
	k.Next.SetEnabled(m.done && m.result.Next != "")
	k.Done.SetEnabled(m.done && m.saveErr == "")
}

func (m *measureScreen) ShortHelp() []key.Binding {
	k := m.keys
	return []key.Binding{k.Answer, k.Back, k.Decline, k.Stop, k.Retry, k.Next, k.Done}
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
	s, cmd := m.route(msg)
	m.syncKeys()
	return s, cmd
}

func (m *measureScreen) route(msg tea.Msg) (screen, tea.Cmd) {
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
		switch {
		case m.covered:
			return m, nil // keys that came before the panel opened: the panel comes first
		case m.done:
			return m.updateDone(msg)
		}
		return m, m.updateAnswer(msg)
	}
	return m, nil
}

// Resume: the safety panel over the screen has closed.
func (m *measureScreen) Resume() tea.Cmd {
	m.covered = false
	m.syncKeys()
	return nil
}

func (m *measureScreen) updateAnswer(msg tea.KeyMsg) tea.Cmd {
	k := &m.keys
	switch {
	case key.Matches(msg, k.Stop):
		return tea.Batch(m.saveDraft(), pop)
	case key.Matches(msg, k.Back):
		m.answers = m.answers[:len(m.answers)-1]
		return m.saveDraft()
	case key.Matches(msg, k.Decline):
		m.answers = append(m.answers, measures.Declined)
		return m.afterAnswer()
	case key.Matches(msg, k.Answer):
		v, _ := m.value(msg.Runes[0])
		m.answers = append(m.answers, v)
		return m.afterAnswer()
	}
	return nil
}

// afterAnswer checks the safety rule, then finishes or keeps the draft.
func (m *measureScreen) afterAnswer() tea.Cmd {
	var cmds []tea.Cmd
	if !m.safety && measures.SafetyTriggered(m.inst, m.answers) {
		m.safety, m.covered = true, true
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
	k := &m.keys
	switch {
	case key.Matches(msg, k.Retry):
		return m, m.save()
	case key.Matches(msg, k.Next):
		if next, ok := measures.Get(m.result.Next); ok {
			return m, replace(m, newMeasureScreen(m.c, m.person, m.callID, next))
		}
	case key.Matches(msg, k.Done):
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
