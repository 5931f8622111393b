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
		panel *safetyPanel
		err   error
	}
)

// safetyPanel opens when someone may be at risk: PHQ-9 item 9 above 0, or
// the coach's safety chord. It shows the organisation's steps and contacts
// (or generic steps, and a request to set them), and it cannot be closed
// until the coach records what was done. The event is written the moment
// the panel opens, so it survives a crash; a panel left open by one opens
// again with the person.
type safetyPanel struct {
	c       *Common
	event   storage.SafetyEvent
	peer    bool
	choices []measures.ActionChoice
	chosen  map[measures.SafetyAction]bool
	note    textinput.Model
	typing  bool
	saving  bool
	errText string
	stepTop int // first line of the steps shown, when they scroll
	width   int
	height  int
}

func newSafetyPanel(c *Common, ev storage.SafetyEvent, peer bool) *safetyPanel {
	ti := newAskInput(c, "what was said and done, briefly (optional)", coaching.MaxLongField)
	ti.Blur()
	return &safetyPanel{c: c, event: ev, peer: peer, choices: measures.ActionChoices(peer),
		chosen: map[measures.SafetyAction]bool{}, note: ti}
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
}

var (
	safetyRecordKey = key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "record what was done"))
	safetyNoteKey   = key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "note"))
	safetyNoEsc     = key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "(stays open until recorded)"))
)

func (m *safetyPanel) ShortHelp() []key.Binding {
	return []key.Binding{
		key.NewBinding(key.WithKeys("a"), key.WithHelp("letters", "tick what was done")),
		safetyNoteKey, safetyRecordKey,
	}
}

func (m *safetyPanel) FullHelp() [][]key.Binding {
	var b []key.Binding
	for _, ch := range m.choices {
		b = append(b, key.NewBinding(key.WithKeys(ch.Key), key.WithHelp(ch.Key, ch.Label)))
	}
	return [][]key.Binding{b, {safetyNoteKey, safetyRecordKey, safetyNoEsc}}
}

func (m *safetyPanel) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case safetyRaisedMsg:
		if msg.panel != m {
			return m, nil
		}
		if msg.err != nil {
			m.errText = "The safety event could not be written (" + storage.Explain(msg.err) + "). Follow the steps anyway, and note what you do."
			return m, nil
		}
		m.event.ID = msg.id
		return m, nil
	case safetyRecordedMsg:
		if msg.panel != m {
			return m, nil
		}
		m.saving = false
		if msg.err != nil {
			m.errText = "Not recorded: " + storage.Explain(msg.err) + ". Try enter again."
			return m, nil
		}
		return m, tea.Batch(pop, func() tea.Msg {
			return infoMsg{"Safety event recorded. It stays flagged on the person until you review it at a later call."}
		})
	case tea.KeyMsg:
		return m, m.updateKey(msg)
	}
	return m, nil
}

func (m *safetyPanel) updateKey(msg tea.KeyMsg) tea.Cmd {
	if m.typing {
		switch msg.Type {
		case tea.KeyTab, tea.KeyEsc:
			m.typing = false
			m.note.Blur()
			return nil
		case tea.KeyEnter:
			return m.record()
		}
		var cmd tea.Cmd
		m.note, cmd = m.note.Update(msg)
		return cmd
	}
	switch msg.Type {
	case tea.KeyEsc:
		m.errText = "This stays open until you record what was done: tick at least one and press enter."
		return nil
	case tea.KeyUp:
		m.stepTop = max(m.stepTop-1, 0)
		return nil
	case tea.KeyDown:
		_, maxTop := m.stepRoom()
		m.stepTop = min(m.stepTop+1, maxTop)
		return nil
	case tea.KeyTab:
		m.typing = true
		return m.note.Focus()
	case tea.KeyEnter:
		return m.record()
	}
	if msg.Type == tea.KeyRunes && !msg.Alt {
		for _, r := range msg.Runes { // quick typing can arrive together
			for _, ch := range m.choices {
				if ch.Key == string(r) {
					m.chosen[ch.Action] = !m.chosen[ch.Action]
					m.errText = ""
				}
			}
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
	if m.event.ID == 0 {
		m.errText = "The event is still being written; press enter again in a moment."
		return nil
	}
	if m.saving {
		return nil
	}
	m.saving = true
	id, note, c := m.event.ID, coaching.CleanText(m.note.Value()), m.c
	return func() tea.Msg {
		return safetyRecordedMsg{panel: m, err: c.Store.RecordSafety(c.Ctx, id, actions, note, c.Now())}
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
	tail = append(tail, st.Header.Render("What was done (press each letter that applies):"))
	for _, ch := range m.choices {
		box := "[ ]"
		if m.chosen[ch.Action] {
			box = "[x]"
		}
		tail = append(tail, clipLine(fmt.Sprintf(" %s %s %s", box, st.Key.Render(ch.Key), ch.Label), m.width))
	}
	tail = append(tail, st.Label.Render("Note: ")+m.note.View())
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
