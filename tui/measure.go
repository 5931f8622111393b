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
// marks one declined. The PHQ-9 and GAD-7 end with their closing question
// (how difficult the problems have made things), answered the same way and
// stored, never scored. The answers so far are kept as a draft, so nothing
// is lost if the program stops; the result is saved, item by item, when the
// last question is answered. The safety item (PHQ-9 question 9) answered
// above 0 opens the safety panel at once, and the event it writes is linked
// to the result when that is saved. A positive two-item screen steps up to
// its full measure (y), which starts after the items it already asked.
type measureScreen struct {
	c       *Common
	keys    measureKeys
	person  coaching.Person
	callID  int64
	inst    measures.Instrument
	answers measures.Answers
	// carried is how many of the first answers came from the two-item
	// screen just given (from), and are still as they came.
	carried int
	from    string
	closing int // the unscored closing question; -1 not answered
	done    bool
	result  measures.Result
	savedID int64
	saveErr string
	draft   *draftWriter
	safety  bool         // the safety panel has been opened for this administration
	panel   *safetyPanel // that panel: its event is linked to the result
	covered bool         // the safety panel is over this screen: keys wait for it to close
	width   int
	height  int
}

func newMeasureScreen(c *Common, p coaching.Person, callID int64, inst measures.Instrument) *measureScreen {
	m := &measureScreen{c: c, keys: newMeasureKeys(inst), person: p, callID: callID, inst: inst, closing: -1,
		draft: newDraftWriter(c.Store, fmt.Sprintf("measure:%d:%s", p.ID, inst.ID))}
	m.syncKeys()
	return m
}

// newStepUpScreen gives the full measure a positive two-item screen steps
// up to, with the screen's answers carried over (measures.StepUp): it
// starts at the first question not yet asked.
func newStepUpScreen(c *Common, p coaching.Person, callID int64, from measures.Instrument, a measures.Answers) (*measureScreen, bool) {
	next, carried, ok := measures.StepUp(from, a)
	if !ok {
		return nil, false
	}
	m := newMeasureScreen(c, p, callID, next)
	m.answers, m.carried, m.from = carried, len(carried), from.Name
	m.syncKeys()
	return m, true
}

// Init restores the answers of an unfinished sitting; a measure that starts
// with answers carried over keeps those as its draft instead.
func (m *measureScreen) Init() tea.Cmd {
	if m.carried > 0 {
		return m.saveDraft()
	}
	return m.draft.load(m.c)
}
func (m *measureScreen) Typing() bool { return true }
func (m *measureScreen) SetSize(w, h int) {
	m.width, m.height = w, h
}

// measureKeys is the measure screen's key map: Update matches these very
// bindings and the help draws them; those that cannot act now are off.
type measureKeys struct {
	Answer, Closing, Decline, Back, Stop key.Binding // while asking
	Retry, Next, Done                    key.Binding // once answered
}

// optionKeys are the digits that answer with opts (0 for 10), and their
// help.
func optionKeys(opts []measures.Option) (digits []string, help string) {
	for _, o := range opts {
		d := strconv.Itoa(o.Value)
		if o.Value == 10 {
			d = "0"
		}
		digits = append(digits, d)
	}
	if len(digits) == 0 {
		return nil, ""
	}
	help = digits[0] + "-" + digits[len(digits)-1]
	if len(digits) == 10 {
		help = "1-9, 0"
	}
	return digits, help
}

func newMeasureKeys(inst measures.Instrument) measureKeys {
	digits, help := optionKeys(inst.Options)
	closing, closingHelp := optionKeys(inst.ClosingOptions)
	return measureKeys{
		Answer:  key.NewBinding(key.WithKeys(digits...), key.WithHelp(help, "their answer")),
		Closing: key.NewBinding(key.WithKeys(closing...), key.WithHelp(closingHelp, "how difficult (not scored)")),
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
	for _, b := range []*key.Binding{&k.Decline, &k.Stop} {
		b.SetEnabled(!m.done)
	}
	k.Answer.SetEnabled(!m.done && !m.closingNow())
	k.Closing.SetEnabled(!m.done && m.closingNow())
	k.Back.SetEnabled(!m.done && len(m.answers) > 0)
	k.Retry.SetEnabled(m.done && m.saveErr != "")
	k.Next.SetEnabled(m.done && m.result.Next != "")
	k.Done.SetEnabled(m.done && m.saveErr == "")
}

func (m *measureScreen) ShortHelp() []key.Binding {
	k := m.keys
	return []key.Binding{k.Answer, k.Closing, k.Back, k.Decline, k.Stop, k.Retry, k.Next, k.Done}
}

// closingNow reports whether the closing question is the one being asked:
// every item is answered and the instrument has one.
func (m *measureScreen) closingNow() bool {
	return m.inst.Closing != "" && len(m.answers) == len(m.inst.Items)
}

func (m *measureScreen) FullHelp() [][]key.Binding { return [][]key.Binding{m.ShortHelp()} }

// Flush keeps the answers so far as a draft on the way out.
func (m *measureScreen) Flush() error {
	if m.done || len(m.answers) == 0 {
		return nil
	}
	return m.draft.save(m.c, m.draftFields())
}

// SaveCmd keeps the answers so far as a draft now, off the UI goroutine,
// before the screen lock (or search) covers the measure.
func (m *measureScreen) SaveCmd() tea.Cmd {
	if m.done || len(m.answers) == 0 {
		return nil
	}
	return m.draft.saveCmd(m.c, m.draftFields())
}

func (m *measureScreen) draftFields() map[string]string {
	var parts []string
	for _, a := range m.answers {
		parts = append(parts, strconv.Itoa(a))
	}
	return map[string]string{"answers": strings.Join(parts, ",")}
}

// value maps a digit key to one of opts' values: for a 1-10 scale, 0
// means 10.
func value(opts []measures.Option, r rune) (int, bool) {
	if r < '0' || r > '9' || len(opts) == 0 {
		return 0, false
	}
	v := int(r - '0')
	if v == 0 && opts[len(opts)-1].Value == 10 {
		v = 10
	}
	for _, o := range opts {
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
		// A draft holds every item only while the closing question waits.
		most := len(m.inst.Items)
		if m.inst.Closing == "" {
			most--
		}
		if msg.w == m.draft && msg.ok && len(m.answers) == 0 {
			for _, s := range strings.Split(msg.draft.Fields["answers"], ",") {
				if v, err := strconv.Atoi(s); err == nil && len(m.answers) < most {
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
		m.carried = min(m.carried, len(m.answers))
		return m.saveDraft()
	case m.closingNow() && key.Matches(msg, k.Decline):
		return m.finish()
	case key.Matches(msg, k.Closing):
		m.closing, _ = value(m.inst.ClosingOptions, msg.Runes[0])
		return m.finish()
	case key.Matches(msg, k.Decline):
		m.answers = append(m.answers, measures.Declined)
		return m.afterAnswer()
	case key.Matches(msg, k.Answer):
		v, _ := value(m.inst.Options, msg.Runes[0])
		m.answers = append(m.answers, v)
		return m.afterAnswer()
	}
	return nil
}

// afterAnswer checks the safety rule as the safety item is answered, then
// asks the next question or finishes.
func (m *measureScreen) afterAnswer() tea.Cmd {
	var cmds []tea.Cmd
	if !m.safety && len(m.answers) == m.inst.Safety.Number && measures.SafetyTriggered(m.inst, m.answers) {
		m.safety, m.covered = true, true
		ev := storage.SafetyEvent{PersonID: m.person.ID, CallID: m.callID, Trigger: string(m.inst.Safety.Trigger)}
		m.panel = newSafetyPanel(m.c, ev, m.c.Role == coaching.RolePeer)
		cmds = append(cmds, push(m.panel))
	}
	if len(m.answers) < len(m.inst.Items) || m.closingNow() {
		return tea.Batch(append(cmds, m.saveDraft())...)
	}
	return tea.Batch(append(cmds, m.finish())...)
}

// finish scores the answers and saves them.
func (m *measureScreen) finish() tea.Cmd {
	m.done = true
	m.result = measures.Score(m.inst, m.answers)
	return m.save()
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
	if m.panel != nil {
		// The panel is recorded before the screen takes keys again, so
		// its event is written by now.
		rec.SafetyEventID = m.panel.event.ID
	}
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
		if next, ok := newStepUpScreen(m.c, m.person, m.callID, m.inst, m.answers); ok {
			return m, replace(m, next)
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
	switch {
	case n == 0:
		add(st.Subtle, "Read out: "+m.inst.Intro)
	case n == m.carried && m.carried > 0:
		// Carried on from the two-item screen: the person has heard how
		// the answers go; they need only know there are more.
		add(st.Subtle, fmt.Sprintf("Read out: Thank you. %d more questions like those, with the same answers.", len(m.inst.Items)-n))
	}
	question, opts := "", m.inst.Options
	if m.closingNow() {
		add(st.Subtle, "Last question (stored, not scored)")
		question, opts = m.inst.Closing, m.inst.ClosingOptions
	} else {
		add(st.Subtle, fmt.Sprintf("Question %d of %d", n+1, len(m.inst.Items)))
		question = m.inst.Items[n].Text
	}
	add(st.Focused, question)
	lines = append(lines, "")
	for _, o := range opts {
		k := strconv.Itoa(o.Value)
		if o.Value == 10 {
			k = "0"
		}
		lines = append(lines, clipLine("  "+st.Key.Render(k)+"  "+o.Label, m.width))
	}
	lines = append(lines, clipLine("  "+st.Key.Render("x")+"  they would rather not answer", m.width))
	if m.carried > 0 || n > 0 {
		lines = append(lines, "")
	}
	if m.carried > 0 {
		add(st.Subtle, m.carriedLine())
	}
	if n > m.carried {
		add(st.Subtle, fmt.Sprintf("Question %d: %s (backspace to change)", n, answerText(m.answers[n-1])))
	}
	return strings.Join(lines, "\n")
}

// carriedLine says which answers came from the two-item screen just given:
// "Questions 1 and 2 from the PHQ-2 just given: 2 and 1".
func (m *measureScreen) carriedLine() string {
	nums := make([]string, m.carried)
	vals := make([]string, m.carried)
	for i := range m.carried {
		nums[i], vals[i] = strconv.Itoa(m.inst.Items[i].Number), answerText(m.answers[i])
	}
	which := "Question " + nums[0]
	if m.carried > 1 {
		which = "Questions " + sayList(nums)
	}
	line := which + " from the " + m.from + " just given: " + sayList(vals)
	if m.carried == len(m.answers) {
		line += " (backspace to change)"
	}
	return line
}

// answerText is an item's answer as the screen shows it.
func answerText(v int) string {
	if v == measures.Declined {
		return "declined"
	}
	return strconv.Itoa(v)
}

// sayList joins words as in a sentence: "1", "1 and 2", "1, 2 and 3".
func sayList(s []string) string {
	if len(s) < 2 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

func (m *measureScreen) resultLines(add func(lipgloss.Style, string)) {
	st := m.c.Styles
	r := m.result
	msg := r.Message
	if r.SafetyItem && m.panel != nil { // the steps were followed already: the line below says so
		msg = strings.TrimSpace(strings.TrimPrefix(msg, measures.SafetyItemNote(m.inst)))
	}
	add(st.App, msg)
	if m.inst.Closing != "" {
		difficult := "declined"
		for _, o := range m.inst.ClosingOptions {
			if o.Value == m.closing {
				difficult = o.Label
			}
		}
		add(st.App, "How difficult the problems have made things: "+difficult+" (stored, not scored).")
	}
	if r.Next != "" {
		if next, ok := measures.Get(r.Next); ok {
			nums := make([]string, len(m.inst.Items))
			for i, it := range m.inst.Items {
				nums[i] = strconv.Itoa(it.Number)
			}
			add(st.Warn, "Screens positive: press y to give the "+next.Name+" now; questions "+sayList(nums)+" carry over.")
		}
	}
	switch {
	case r.SafetyItem && m.panel != nil:
		add(st.Error, fmt.Sprintf("Question %d (%s) was answered above 0: what was done is recorded, and kept with this result.",
			m.inst.Safety.Number, m.inst.Safety.About))
	case r.SafetyItem:
		add(st.Error, fmt.Sprintf("Question %d was answered above 0 before this sitting was resumed: its safety event was written then, "+
			"and is not linked to this result.", m.inst.Safety.Number))
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
