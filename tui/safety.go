package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"callcoach/coaching"
	"callcoach/coaching/measures"
	"callcoach/storage"
)

type (
	safetyRaisedMsg struct {
		panel *safetyPanel
		id    int64
		err   error
	}
	safetyRecordedMsg struct {
		panel   *safetyPanel
		mistake bool // recorded as opened by mistake
		err     error
	}
)

// safetyPanel opens when someone may be at risk: PHQ-9 item 9 above 0, or
// the coach's safety chord. It shows the organisation's steps and contacts
// (or generic steps, and a request to set them), and it cannot be closed
// until the coach records what was done. The event is written the moment
// the panel opens, so it survives a crash; a panel left open by one opens
// again with the person. A panel the coach opened by a slip of the key
// can be closed as opened by mistake (ctrl+z, then y): that too is
// recorded, with the time, and raises no flag.
type safetyPanel struct {
	c       *Common
	keys    safetyKeys
	event   storage.SafetyEvent
	peer    bool
	choices []measures.ActionChoice
	chosen  map[measures.SafetyAction]bool
	note    textinput.Model
	typing  bool
	mistake bool // asking whether the panel was opened by mistake
	saving  bool
	pending *safetyPending // what enter asked to record before the event was written
	lost    bool           // the event could not be written, so nothing can be recorded on it
	errText string
	stepTop int // first line of the steps shown, when they scroll
	width   int
	height  int
}

// safetyPending is what was asked to be recorded while the event itself
// was still being written: it is recorded as soon as the event is.
type safetyPending struct {
	actions []string
	mistake bool
}

func newSafetyPanel(c *Common, ev storage.SafetyEvent, peer bool) *safetyPanel {
	ti := newAskInput(c, "what was said and done, briefly (optional)", coaching.MaxLongField)
	ti.Blur()
	choices := measures.ActionChoices(peer)
	k := newSafetyKeys(choices)
	ti.KeyMap = k.Edit
	m := &safetyPanel{c: c, keys: k, event: ev, peer: peer, choices: choices,
		chosen: map[measures.SafetyAction]bool{}, note: ti}
	m.syncKeys()
	return m
}

// Init writes the event unless it was already written (a panel reopened
// after a crash has an id).
func (m *safetyPanel) Init() tea.Cmd {
	if m.event.ID != 0 {
		return nil
	}
	ev, c := m.event, m.c
	return func() tea.Msg {
		id, err := c.Store.RaiseSafety(c.Ctx, ev, c.Now())
		return safetyRaisedMsg{panel: m, id: id, err: err}
	}
}

func (m *safetyPanel) Typing() bool { return true }

// Modal: nothing covers the panel, and global keys wait, until what was
// done is recorded.
func (m *safetyPanel) Modal() bool { return true }

// sameEvent reports whether two panels are for one safety event: the same
// stored event, or, before it is stored, the same person, call and cause.
func (m *safetyPanel) sameEvent(o *safetyPanel) bool {
	a, b := m.event, o.event
	if a.ID != 0 || b.ID != 0 {
		return a.ID == b.ID
	}
	return a.PersonID == b.PersonID && a.CallID == b.CallID && a.Trigger == b.Trigger
}

func (m *safetyPanel) SetSize(w, h int) {
	m.width, m.height = w, h
	m.note.Width = max(w-8-inputSlack, 1)
	m.syncKeys()
}

// safetyKeys is the panel's key map: Update matches these very bindings
// and the help draws them. A binding that cannot act in the panel's state
// (scrolling when the steps fit, the choices while the note is typed) is
// switched off.
type safetyKeys struct {
	Choices          []key.Binding // one per thing that can have been done
	Note, NoteDone   key.Binding
	Record           key.Binding
	Stay             key.Binding // esc: the panel stays, and says why
	StepsUp, StepsDn key.Binding
	// Mistake asks whether the coach opened the panel by a slip of the
	// key; MistakeYes records that, MistakeNo goes back. Only for a panel
	// the coach opened (measures.MistakeAllowed).
	Mistake, MistakeYes, MistakeNo key.Binding
	Edit                           textinput.KeyMap // the note's own keys
}

func newSafetyKeys(choices []measures.ActionChoice) safetyKeys {
	k := safetyKeys{
		Note:       key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "type a note")),
		NoteDone:   key.NewBinding(key.WithKeys("tab", "esc"), key.WithHelp("tab/esc", "back to the choices")),
		Record:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "record what was done")),
		Stay:       key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "(stays open until recorded)")),
		StepsUp:    key.NewBinding(key.WithKeys("up"), key.WithHelp("↑", "earlier steps")),
		StepsDn:    key.NewBinding(key.WithKeys("down"), key.WithHelp("↓", "more steps")),
		Mistake:    key.NewBinding(key.WithKeys("ctrl+z"), key.WithHelp("ctrl+z", "opened by mistake (a slip of alt+h)?")),
		MistakeYes: key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "record: opened by mistake")),
		MistakeNo:  key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n/esc", "back to the panel")),
		Edit:       editKeys(),
	}
	for _, ch := range choices {
		k.Choices = append(k.Choices, key.NewBinding(key.WithKeys(ch.Key), key.WithHelp(ch.Key, ch.Label)))
	}
	return k
}

// sync switches on what can act now.
func (m *safetyPanel) syncKeys() {
	k := &m.keys
	choosing := !m.typing && !m.mistake
	for i := range k.Choices {
		k.Choices[i].SetEnabled(choosing)
	}
	k.Note.SetEnabled(choosing)
	k.Stay.SetEnabled(choosing)
	k.Record.SetEnabled(!m.mistake)
	k.NoteDone.SetEnabled(m.typing)
	_, maxTop := m.stepRoom()
	k.StepsUp.SetEnabled(!m.typing && m.stepTop > 0)
	k.StepsDn.SetEnabled(!m.typing && m.stepTop < maxTop)
	k.Mistake.SetEnabled(choosing && measures.MistakeAllowed(measures.Trigger(m.event.Trigger)))
	k.MistakeYes.SetEnabled(m.mistake)
	k.MistakeNo.SetEnabled(m.mistake)
	for _, b := range editBindings(&k.Edit) {
		b.SetEnabled(m.typing)
	}
}

// editBindings lists a text input's editing keys, to switch them and show
// them.
func editBindings(e *textinput.KeyMap) []*key.Binding {
	return []*key.Binding{&e.CharacterBackward, &e.CharacterForward, &e.WordBackward, &e.WordForward,
		&e.LineStart, &e.LineEnd, &e.DeleteCharacterBackward, &e.DeleteCharacterForward,
		&e.DeleteWordBackward, &e.DeleteWordForward, &e.DeleteBeforeCursor, &e.DeleteAfterCursor, &e.Paste}
}

func (m *safetyPanel) ShortHelp() []key.Binding {
	switch {
	case m.typing:
		return []key.Binding{m.keys.Record, m.keys.NoteDone}
	case m.mistake:
		return []key.Binding{m.keys.MistakeYes, m.keys.MistakeNo}
	}
	return []key.Binding{
		key.NewBinding(key.WithKeys(m.choices[0].Key), key.WithHelp("letters", "tick what was done")),
		m.keys.Note, m.keys.Record, m.keys.Mistake,
	}
}

func (m *safetyPanel) FullHelp() [][]key.Binding {
	var edit []key.Binding
	for _, b := range editBindings(&m.keys.Edit) {
		edit = append(edit, *b)
	}
	return [][]key.Binding{m.keys.Choices,
		{m.keys.Note, m.keys.NoteDone, m.keys.Record, m.keys.Stay, m.keys.StepsUp, m.keys.StepsDn},
		{m.keys.Mistake, m.keys.MistakeYes, m.keys.MistakeNo}, edit}
}

func (m *safetyPanel) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case safetyRaisedMsg:
		if msg.panel != m {
			return m, nil
		}
		if msg.err != nil {
			m.lost, m.pending = true, nil
			m.errText = "The safety event could not be written (" + storage.Explain(msg.err) + "). Follow the steps anyway, and note what you do."
			return m, nil
		}
		m.event.ID = msg.id
		if p := m.pending; p != nil {
			m.pending = nil
			return m, m.save(p.actions, p.mistake)
		}
		return m, nil
	case safetyRecordedMsg:
		if msg.panel != m {
			return m, nil
		}
		m.saving = false
		if msg.err != nil {
			m.errText = "Not recorded: " + storage.Explain(msg.err) + ". Try again."
			return m, nil
		}
		info := "Safety event recorded. It stays flagged on the person until you review it at a later call."
		if msg.mistake {
			info = "Recorded, with the time, as opened by mistake. It raises no safety flag."
		}
		return m, tea.Batch(pop, func() tea.Msg { return infoMsg{info} })
	case tea.KeyMsg:
		return m, m.updateKey(msg)
	}
	return m, nil
}

func (m *safetyPanel) updateKey(msg tea.KeyMsg) tea.Cmd {
	defer m.syncKeys()
	k := &m.keys
	switch {
	case key.Matches(msg, k.MistakeYes):
		return m.recordMistake()
	case key.Matches(msg, k.MistakeNo):
		m.mistake = false
		return nil
	case m.mistake:
		return nil
	case key.Matches(msg, k.Mistake):
		m.mistake, m.errText = true, ""
		return nil
	case key.Matches(msg, k.Record):
		return m.record()
	case key.Matches(msg, k.NoteDone):
		m.typing = false
		m.note.Blur()
		return nil
	case m.typing:
		var cmd tea.Cmd
		m.note, cmd = updateInput(m.note, msg)
		return cmd
	case key.Matches(msg, k.Stay):
		m.errText = "This stays open until you record what was done: tick at least one and press enter."
	case key.Matches(msg, k.StepsUp):
		m.stepTop = max(m.stepTop-1, 0)
	case key.Matches(msg, k.StepsDn):
		_, maxTop := m.stepRoom()
		m.stepTop = min(m.stepTop+1, maxTop)
	case key.Matches(msg, k.Note):
		m.typing = true
		return m.note.Focus()
	}
	for i, b := range k.Choices {
		if key.Matches(msg, b) {
			a := m.choices[i].Action
			m.chosen[a] = !m.chosen[a]
			m.errText = ""
		}
	}
	return nil
}

// record saves what was done; at least one action is needed.
func (m *safetyPanel) record() tea.Cmd {
	var actions []string
	for _, ch := range m.choices {
		if m.chosen[ch.Action] {
			actions = append(actions, string(ch.Action))
		}
	}
	if len(actions) == 0 {
		m.errText = "Tick at least one thing that was done (its letter), then enter."
		return nil
	}
	return m.save(actions, false)
}

// recordMistake records that the coach opened the panel by mistake.
func (m *safetyPanel) recordMistake() tea.Cmd {
	return m.save([]string{string(measures.ActionOpenedByMistake)}, true)
}

// save writes what was done, once the event itself is written.
func (m *safetyPanel) save(actions []string, mistake bool) tea.Cmd {
	if m.event.ID == 0 {
		if m.lost {
			return nil // it never will be: the message says to follow the steps anyway
		}
		// Recorded the moment the event is written: nothing to press again.
		m.pending = &safetyPending{actions: actions, mistake: mistake}
		return nil
	}
	if m.saving {
		return nil
	}
	m.saving = true
	id, note, c := m.event.ID, coaching.CleanText(m.note.Value()), m.c
	return func() tea.Msg {
		return safetyRecordedMsg{panel: m, mistake: mistake, err: c.Store.RecordSafety(c.Ctx, id, actions, note, c.Now())}
	}
}

// parts are the panel's lines: the heading, the steps (which scroll when
// the window is short) and what was done.
func (m *safetyPanel) parts() (head, steps, tail []string) {
	st := m.c.Styles
	wrap := func(style lipgloss.Style, text string) []string {
		var out []string
		wrapped := lipgloss.NewStyle().Width(max(m.width-2, 1)).Render(oneLine(text))
		for _, l := range strings.Split(wrapped, "\n") {
			out = append(out, style.Render(strings.TrimRight(l, " ")))
		}
		return out
	}
	why := "You raised a safety concern."
	if inst, ok := measures.ForTrigger(measures.Trigger(m.event.Trigger)); ok {
		why = fmt.Sprintf("%s question %d was answered above 0: %s.", inst.Name, inst.Safety.Number, inst.Safety.About)
	}
	head = wrap(st.Error, "SAFETY — "+why+" Stay with the person.")
	safety := m.c.Safety
	if safety.Configured() {
		if m.peer {
			steps = append(steps, wrap(st.Warn, "As a peer volunteer: hand over to your supervisor or the named professional now. You do not assess risk alone.")...)
		}
		for i, s := range safety.Steps {
			steps = append(steps, wrap(st.App, fmt.Sprintf("%d. %s", i+1, oneLine(s)))...)
		}
		for _, ct := range safety.Contacts {
			steps = append(steps, wrap(st.Focused, "☎ "+oneLine(ct.Name)+": "+oneLine(ct.Phone))...)
		}
	} else {
		head = append(head, wrap(st.Warn, "Ask your organisation to set its own steps and numbers (callcoach config example shows how). Until then:")...)
		for i, s := range measures.GenericSteps(m.peer) {
			steps = append(steps, wrap(st.App, fmt.Sprintf("%d. %s", i+1, s))...)
		}
	}
	if m.mistake {
		tail = append(tail, st.Header.Render("Opened by mistake?"))
		tail = append(tail, wrap(st.Warn, "Only for a slip of the key: alt+h pressed instead of another key, and nothing "+
			"about safety was said. If anything said worries you, press n and record what was done.")...)
		if m.peer {
			tail = append(tail, wrap(st.Warn, "If in doubt, hand over to your supervisor.")...)
		}
		tail = append(tail, wrap(st.App, "y records it as opened by mistake, with the time, and raises no safety flag · n goes back")...)
		if m.errText != "" {
			tail = append(tail, wrap(st.Error, m.errText)...)
		}
		return head, steps, tail
	}
	tail = append(tail, st.Header.Render("What was done (press each letter that applies):"))
	for _, ch := range m.choices {
		box := "[ ]"
		if m.chosen[ch.Action] {
			box = "[x]"
		}
		tail = append(tail, clipLine(fmt.Sprintf(" %s %s %s", box, st.Key.Render(ch.Key), ch.Label), m.width))
	}
	tail = append(tail, st.Label.Render("Note: ")+m.note.View())
	if measures.MistakeAllowed(measures.Trigger(m.event.Trigger)) {
		tail = append(tail, clipLine(st.Subtle.Render("Pressed alt+h by mistake? ")+st.Key.Render("ctrl+z")+
			st.Subtle.Render(" (only for a slip of the key)"), m.width))
	}
	if m.errText != "" {
		tail = append(tail, wrap(st.Error, m.errText)...)
	}
	return head, steps, tail
}

// stepRoom is how many lines the steps get, and the furthest they scroll.
func (m *safetyPanel) stepRoom() (room, maxTop int) {
	head, steps, tail := m.parts()
	room = m.height - len(head) - len(tail)
	if room < len(steps) && room > 1 {
		return room, len(steps) - (room - 1)
	}
	return room, 0
}

func (m *safetyPanel) View() string {
	st := m.c.Styles
	head, steps, tail := m.parts()
	// The steps scroll (↑/↓) when the window is too short for them and the
	// choices together; the choices always stay in view.
	room := m.height - len(head) - len(tail)
	if room < len(steps) && room > 1 {
		top := max(min(m.stepTop, len(steps)-(room-1)), 0)
		shown := append([]string{}, steps[top:top+room-1]...)
		steps = append(shown, st.Subtle.Render(fmt.Sprintf("↑/↓ more steps (%d of %d lines)", top+room-1, len(steps))))
	}
	lines := append(append(head, steps...), tail...)
	return strings.Join(lines, "\n")
}
