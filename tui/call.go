package tui

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"callcoach/coaching"
	"callcoach/storage"
	"callcoach/tui/editor"
)

// saveDelay is how long typed notes may wait before they are written. The
// first unsaved keystroke starts the wait, so a coach who types without a
// pause is still saved within this time.
const saveDelay = 700 * time.Millisecond

type callKeys struct {
	End, KeepGoing key.Binding
	Outcomes       []key.Binding
}

func newCallKeys() callKeys {
	k := callKeys{
		End:       key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "end call")),
		KeepGoing: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back to the call")),
	}
	for _, o := range coaching.OutcomeChoices {
		k.Outcomes = append(k.Outcomes, key.NewBinding(key.WithKeys(o.Key), key.WithHelp(o.Key, o.Label)))
	}
	return k
}

type (
	saveDueMsg    struct{ callID int64 }
	notesSavedMsg struct {
		callID int64
		rev    int64
		err    error
	}
	timerTickMsg struct {
		callID int64
		gen    int
	}
	callEndedMsg struct{ callID int64 }
	callEndErr   struct{ text string }
)

// noteWriter writes one call's notes. It is shared by the screen's copies
// and by Flush, and remembers the newest revision known to be stored, so
// nothing is written twice and nothing older overwrites something newer.
type noteWriter struct {
	store   *storage.Store
	callID  int64
	base    int64 // notes_rev the call had when this screen opened it
	mu      sync.Mutex
	written int64
}

func (w *noteWriter) save(c *Common, notes string, rev int64) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if rev <= w.written {
		return nil
	}
	if _, err := w.store.SaveNotes(c.Ctx, w.callID, notes, rev, c.Now()); err != nil {
		return err
	}
	w.written = rev
	return nil
}

func (w *noteWriter) savedRev() int64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.written
}

// callScreen is the call workspace: the notes editor has the keyboard from
// the first moment, a timer runs, and the notes are saved as they are typed.
type callScreen struct {
	c      *Common
	keys   callKeys
	person coaching.Person
	call   coaching.Call
	notes  editor.Model
	writer *noteWriter

	saveQueued bool
	saveErr    string
	ending     bool // asking for the outcome
	endErr     string
	timerGen   int
	width      int
	height     int
}

func newCallScreen(c *Common, p coaching.Person, call coaching.Call) *callScreen {
	ed := editor.New()
	ed.SetMaxBytes(coaching.MaxNotesLen)
	ed.Placeholder = "Type notes here as you talk. They are saved as you type."
	ed.CursorStyle = c.Styles.Cursor
	ed.PlaceholderStyle = c.Styles.Subtle
	ed.SetValue(call.Notes)
	ed.Focus()
	base := call.NotesRev
	return &callScreen{
		c: c, keys: newCallKeys(), person: p, call: call, notes: ed,
		writer: &noteWriter{store: c.Store, callID: call.ID, base: base, written: base},
	}
}

func (m *callScreen) Init() tea.Cmd { return m.tick() }
func (m *callScreen) Typing() bool  { return true }

func (m *callScreen) tick() tea.Cmd {
	m.timerGen++
	return m.c.After(time.Second, timerTickMsg{callID: m.call.ID, gen: m.timerGen})
}

// rev is the revision of the notes as the database counts it.
func (m *callScreen) rev() int64 { return m.writer.base + int64(m.notes.Revision()) }

// Flush writes the notes now, whatever the timer says. It blocks; the root
// calls it only on the way out.
func (m *callScreen) Flush() error {
	return m.writer.save(m.c, m.notes.Value(), m.rev())
}

func (m *callScreen) SetSize(w, h int) {
	m.width, m.height = w, h
	m.notes.SetSize(w, max(h-m.headerHeight(), 1))
}

func (m *callScreen) headerHeight() int {
	if m.height < 8 {
		return 1
	}
	return 3
}

func (m *callScreen) ShortHelp() []key.Binding {
	if m.ending {
		return []key.Binding{m.keys.KeepGoing}
	}
	return []key.Binding{m.keys.End}
}

func (m *callScreen) FullHelp() [][]key.Binding {
	k := m.notes.KeyMap
	return [][]key.Binding{
		{m.keys.End},
		m.keys.Outcomes,
		{k.Up, k.Down, k.Left, k.Right, k.WordLeft, k.WordRight, k.LineStart, k.LineEnd},
		{k.PageUp, k.PageDown, k.DocStart, k.DocEnd},
		{k.Newline, k.Backspace, k.Delete, k.DeleteWordBack, k.DeleteToLineStart, k.DeleteToLineEnd},
	}
}

func (m *callScreen) saveNow() tea.Cmd {
	notes, rev, w, c := m.notes.Value(), m.rev(), m.writer, m.c
	id := m.call.ID
	return func() tea.Msg {
		return notesSavedMsg{callID: id, rev: rev, err: w.save(c, notes, rev)}
	}
}

func (m *callScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case timerTickMsg:
		if msg.callID != m.call.ID || msg.gen != m.timerGen {
			return m, nil
		}
		return m, m.tick()
	case saveDueMsg:
		if msg.callID != m.call.ID {
			return m, nil
		}
		m.saveQueued = false
		return m, m.saveNow()
	case notesSavedMsg:
		if msg.callID != m.call.ID {
			return m, nil
		}
		if msg.err != nil {
			m.saveErr = "Notes NOT saved yet (" + msg.err.Error() + "); retrying. Keep typing, nothing is lost."
			return m, m.queueSave()
		}
		m.saveErr = ""
		return m, nil
	case callEndErr:
		m.endErr = msg.text
		return m, nil
	case callEndedMsg:
		return m, pop
	case tea.KeyMsg:
		if m.ending {
			return m.updateEnding(msg)
		}
		if key.Matches(msg, m.keys.End) {
			m.ending = true
			m.endErr = ""
			return m, nil
		}
		var cmd tea.Cmd
		before := m.notes.Revision()
		m.notes, cmd = m.notes.Update(msg)
		if m.notes.Revision() != before {
			return m, tea.Batch(cmd, m.queueSave())
		}
		return m, cmd
	}
	return m, nil
}

// queueSave arms the save timer unless it is already armed.
func (m *callScreen) queueSave() tea.Cmd {
	if m.saveQueued {
		return nil
	}
	m.saveQueued = true
	return m.c.After(saveDelay, saveDueMsg{callID: m.call.ID})
}

func (m *callScreen) updateEnding(msg tea.KeyMsg) (screen, tea.Cmd) {
	if key.Matches(msg, m.keys.KeepGoing) {
		m.ending = false
		return m, nil
	}
	for i, k := range m.keys.Outcomes {
		if key.Matches(msg, k) {
			return m, m.end(coaching.OutcomeChoices[i].Outcome)
		}
	}
	return m, nil
}

// end saves the notes and closes the call in the database, then returns to
// the person.
func (m *callScreen) end(o coaching.Outcome) tea.Cmd {
	notes, rev, w, c, id := m.notes.Value(), m.rev(), m.writer, m.c, m.call.ID
	return func() tea.Msg {
		if err := w.save(c, notes, rev); err != nil {
			return callEndErr{"Could not save the notes, so the call is still open: " + err.Error()}
		}
		if err := c.Store.EndCall(c.Ctx, id, o, c.Now()); err != nil {
			return callEndErr{"Could not end the call: " + err.Error() + ". Your notes are saved."}
		}
		return callEndedMsg{callID: id}
	}
}

func (m *callScreen) saveState() string {
	st := m.c.Styles
	switch {
	case m.saveErr != "":
		return st.Error.Render("NOT SAVED")
	case m.writer.savedRev() >= m.rev():
		return st.OK.Render("saved")
	default:
		return st.Subtle.Render("saving…")
	}
}

func (m *callScreen) View() string {
	st := m.c.Styles
	var b strings.Builder
	name := oneLine(m.person.DisplayName())
	elapsed := coaching.FormatDuration(m.call.Duration(m.c.Now()))
	head := st.Title.Render("Call with "+name) + "  " + st.Key.Render(elapsed) + "  " + m.saveState()
	b.WriteString(head)
	if m.headerHeight() > 1 {
		b.WriteString("\n")
		if m.ending {
			b.WriteString(st.Warn.Render("How did the call end? Press its key; esc goes back to the call."))
		} else {
			b.WriteString(st.Subtle.Render(m.contextLine()))
		}
		b.WriteString("\n")
		switch {
		case m.ending:
			b.WriteString(st.Key.Render(outcomeLine()))
		case m.endErr != "":
			b.WriteString(st.Error.Render(m.endErr))
		case m.saveErr != "":
			b.WriteString(st.Error.Render(m.saveErr))
		case m.notes.Overflowed():
			b.WriteString(st.Warn.Render(fmt.Sprintf("These notes have reached the %d KB limit; the rest of that paste was not added.", coaching.MaxNotesLen/1024)))
		default:
			b.WriteString(st.Separator.Render(strings.Repeat("─", max(m.width, 0))))
		}
	} else if m.ending {
		b.Reset()
		b.WriteString(st.Warn.Render("How did it end? " + outcomeLine()))
	}
	b.WriteString("\n")
	b.WriteString(m.notes.View())
	return b.String()
}

// contextLine reminds the coach who is on the line: conditions and needs.
func (m *callScreen) contextLine() string {
	p := m.person
	var parts []string
	if len(p.Conditions) > 0 {
		parts = append(parts, coaching.FormatConditions(p.Conditions))
	}
	if p.CommunicationNeeds != "" {
		parts = append(parts, "needs: "+p.CommunicationNeeds)
	}
	if p.Phone != "" {
		parts = append(parts, p.Phone)
	}
	if len(parts) == 0 {
		return "Started " + m.call.StartedAt.In(m.c.Local).Format("15:04")
	}
	return oneLine(strings.Join(parts, " · "))
}

// outcomeLine lists the outcome keys: "r reached · n no answer · ...".
func outcomeLine() string {
	var parts []string
	for _, o := range coaching.OutcomeChoices {
		parts = append(parts, o.Key+" "+o.Label)
	}
	return strings.Join(parts, " · ")
}
