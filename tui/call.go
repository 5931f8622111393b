package tui

import (
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"callcoach/coaching"
	"callcoach/storage"
)

// The call workspace: the notes have the keyboard from the first moment;
// stages, the prompt card, the MI tally, rulers, change talk, the plan,
// measures and safety are all reached with chords from inside them, and
// everything is saved as it happens. It is made of small parts, each in a
// file of its own: the notes pane (callnotes.go), the inline questions
// (callask*.go), the chords (callkeys.go, callchords.go), the header, card
// and tally (callheader.go, callcard.go, calltally.go), loading and ending
// (callload.go, callend.go), and a call open elsewhere (calllease.go).
// This file only holds them together and routes.

type (
	timerTickMsg struct {
		callID int64
		gen    int
	}
	callWriteErr struct {
		callID int64
		text   string
	}
)

type callScreen struct {
	c      *Common
	keys   callKeys
	person coaching.Person
	call   coaching.Call
	notes  notesPane
	serial *serial

	loaded    bool
	stage     coaching.Stage
	visits    []coaching.StageVisit
	tally     coaching.Tally
	rulers    []coaching.Ruler
	talk      []coaching.ChangeTalk
	ask       ask
	leader    bool // ctrl+g was pressed: the next key is a chord letter
	wholeCard bool // the prompt card is shown whole, over part of the notes
	cardTop   int  // the whole card's first line in view, when it still does not fit
	docked    bool // a form or a measure is docked in the call's frame
	context   contextPane
	plan      *coaching.ActionPlan // the person's current plan, if any
	flag      *storage.SafetyEvent // an earlier safety event not yet reviewed

	// viewer is set when the call is open in another callcoach and shown
	// here to read only; viewerGone when that one has let it go.
	viewer     *storage.CallHolder
	viewerGone bool
	// lost says why this workspace may no longer write its call (taken
	// over, or the file replaced); rescued is where the notes were kept.
	lost      string
	rescued   string
	rescueErr string

	// Keys typed while a screen opens over the call, or while it ends,
	// wait for it (see typeahead.go).
	opening, closing bool

	writeErr string
	note     string // a passing word about the last action
	ending   bool   // asking for the outcome
	endErr   string
	timerGen int

	width, height int
	frame         callFrame // laid out in Update, drawn by View
}

func newCallScreen(c *Common, p coaching.Person, call coaching.Call) *callScreen {
	if call.Role == "" {
		call.Role = c.Role
	}
	m := &callScreen{
		c: c, keys: newCallKeys(), person: p, call: call, notes: newNotesPane(c, call),
		serial: newSerial(),
		stage:  coaching.StageEngage,
		tally:  coaching.Tally{},
	}
	m.relayout()
	return m
}

func (m *callScreen) Init() tea.Cmd { return tea.Batch(m.tick(), m.load(), m.loadContext()) }
func (m *callScreen) Typing() bool  { return true }

// writable reports whether the workspace writes its call: not when it only
// shows a call open elsewhere, nor once the call was lost.
func (m *callScreen) writable() bool { return m.viewer == nil && m.lost == "" }

func (m *callScreen) SetSize(w, h int) {
	m.width, m.height = w, h
	if !m.context.chosen {
		m.context.shown = w >= contextWide // beside the notes when there is room
	}
	m.relayout()
}

func (m *callScreen) tick() tea.Cmd {
	m.timerGen++
	return m.c.After(time.Second, timerTickMsg{callID: m.call.ID, gen: m.timerGen})
}

// Resume runs when a screen opened from the call closes: the timer and the
// note saver pick up again, and the current plan is read afresh.
// Changing: a screen is opening over the call, or the call is ending.
func (m *callScreen) Changing() bool { return m.opening || m.closing }

// open pushes s over the call, holding keys until it is up.
func (m *callScreen) open(s screen) tea.Cmd {
	m.opening = true
	return push(s)
}

func (m *callScreen) Resume() tea.Cmd {
	m.opening = false
	m.notes.queued = false
	if !m.writable() {
		return m.tick()
	}
	return tea.Batch(m.tick(), m.saveNow(), m.readPlan(), m.loadContext())
}

// Flush writes the notes now, whatever the timer says. It blocks; the root
// calls it only on the way out.
func (m *callScreen) Flush() error {
	if !m.writable() {
		return nil // nothing of ours to save here; a lost call's notes are in the rescue file
	}
	return m.notes.flush()
}

// SaveCmd saves the notes as they are now, and indexes them for search;
// the root calls it before search covers the call.
func (m *callScreen) SaveCmd() tea.Cmd {
	if !m.writable() {
		return nil
	}
	return m.notes.saveForSearchNow()
}

func (m *callScreen) saveNow() tea.Cmd {
	if !m.writable() {
		return nil
	}
	return m.notes.saveNow()
}

func (m *callScreen) ShortHelp() []key.Binding {
	switch {
	case m.viewer != nil && m.call.Unfinished():
		return []key.Binding{m.keys.TakeOver, m.keys.Leave}
	case m.viewer != nil:
		return []key.Binding{m.keys.Leave}
	case m.lost != "":
		return []key.Binding{m.keys.CopyNotes, m.keys.Leave}
	case m.ending:
		return []key.Binding{m.keys.KeepGoing}
	case m.leader:
		return []key.Binding{m.keys.LeaderCancel}
	case m.ask.open():
		return m.askHelp()
	}
	return m.keys.lineHelp()
}

func (m *callScreen) FullHelp() [][]key.Binding {
	k := m.notes.ed.KeyMap
	move := []key.Binding{k.Up, k.Down, k.Left, k.Right, k.WordLeft, k.WordRight, k.LineStart, k.LineEnd,
		k.PageUp, k.PageDown, k.DocStart, k.DocEnd}
	switch {
	case m.viewer != nil || m.lost != "":
		return [][]key.Binding{m.ShortHelp(), move}
	case m.ending:
		return [][]key.Binding{append(append([]key.Binding{m.keys.KeepGoing}, m.keys.Outcomes...), m.keys.Discard)}
	case m.leader:
		return [][]key.Binding{append(m.keys.leaderKeys(), m.keys.LeaderCancel)}
	case m.ask.open():
		groups := [][]key.Binding{m.askHelp()}
		if m.ask.typed {
			var edit []key.Binding
			for _, b := range editBindings(&m.ask.in.KeyMap) {
				edit = append(edit, *b)
			}
			groups = append(groups, edit)
		} else {
			groups[0] = append(groups[0], m.ask.step.(askKeyed).keys()...)
		}
		return append(groups, m.keys.whileAsking())
	}
	groups := m.keys.chordHelp()
	return append(groups,
		[]key.Binding{m.keys.End, m.keys.ContextUp, m.keys.ContextDown},
		move,
		[]key.Binding{k.Newline, k.Backspace, k.Delete, k.DeleteWordBack, k.DeleteToLineStart, k.DeleteToLineEnd, k.Undo, k.Redo},
	)
}

// Update routes each message to the part it is for, then lays the
// workspace out again for View.
func (m *callScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	s, cmd := m.route(msg)
	m.relayout()
	return s, cmd
}

func (m *callScreen) route(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		return m.updateKey(msg)
	case timerTickMsg:
		if msg.callID != m.call.ID || msg.gen != m.timerGen {
			return m, nil
		}
		switch {
		case m.viewer != nil:
			return m, tea.Batch(m.tick(), m.refreshViewer())
		case m.lost == "" && m.timerGen%2 == 0:
			return m, tea.Batch(m.tick(), m.checkHolder())
		}
		return m, m.tick()
	case saveDueMsg:
		if msg.callID != m.call.ID || !m.writable() {
			return m, nil
		}
		m.notes.queued = false
		return m, m.saveNow()
	case notesSavedMsg:
		switch {
		case msg.callID != m.call.ID:
			return m, nil
		case lostCall(msg.err):
			return m, m.loseCall(msg.err)
		}
		return m, m.notes.saved(msg)
	case callWriteErr:
		if msg.callID == m.call.ID {
			m.writeErr = msg.text
		}
		return m, nil
	case callLoadedMsg:
		return m, m.onLoaded(msg)
	case planLoadedMsg:
		if msg.callID == m.call.ID {
			m.plan = msg.plan
		}
		return m, nil
	case callContextMsg:
		if msg.callID == m.call.ID {
			m.context.loaded, m.context.data, m.context.lines = true, msg.data, nil
		}
		return m, nil
	case tallyMsg:
		if msg.callID == m.call.ID {
			m.tally = msg.tally
		}
		return m, nil
	case callEndErr:
		m.endErr, m.closing = msg.text, false
		return m, nil
	case callDiscardedMsg:
		if msg.callID != m.call.ID {
			return m, nil
		}
		text := "The call opened by mistake was removed."
		if !msg.deleted {
			text = "The call is kept, marked as opened by mistake: something was noted in it."
		}
		return m, tea.Batch(pop, func() tea.Msg { return infoMsg{text} })
	case callEndedMsg:
		if msg.callID != m.call.ID {
			return m, nil
		}
		return m, replace(m, newSummaryScreen(m.c, msg.callID, msg.summary).offerNext(m.person.ID))
	}
	return m.routeLease(msg)
}

// updateKey routes a key: to the part that has the keyboard now.
func (m *callScreen) updateKey(msg tea.KeyMsg) (screen, tea.Cmd) {
	m.note = ""
	switch {
	case m.viewer != nil:
		return m.updateViewerKey(msg)
	case m.lost != "":
		return m.updateLostKey(msg)
	case m.ending:
		return m, m.updateEnding(msg)
	case m.leader:
		if key.Matches(msg, m.keys.LeaderCancel) {
			m.leader = false
			return m, nil
		}
		if letter, ok := plainLetter(msg); ok {
			if _, known := m.keys.chords[letter]; known {
				m.leader = false
				return m, m.doChord(letter)
			}
		}
		return m, nil // only a chord's key, or esc, ends the wait
	}
	if k := m.keys; key.Matches(msg, k.ContextUp, k.ContextDown) {
		d := 1
		if key.Matches(msg, k.ContextUp) {
			d = -1
		}
		if m.cardScrolls() {
			m.scrollCard(d * max(m.frame.l.cardH-2, 1))
			return m, nil
		}
		m.scrollContext(d*max(m.frame.contextH-1, 1), m.frame.contextH)
		return m, nil
	}
	if letter, ok := chordLetter(msg); ok {
		// Chords work while a question is open (a tally mark while typing
		// a reason, say), except those that would ask another question.
		if m.ask.open() && m.keys.chords[letter].asks {
			m.note = "Finish this question first (enter), or esc to leave it."
			return m, nil
		}
		return m, m.doChord(letter)
	}
	if m.ask.open() {
		return m, m.updateAsk(msg)
	}
	switch {
	case key.Matches(msg, m.keys.Leader):
		m.leader = true
		return m, nil
	case key.Matches(msg, m.keys.End):
		m.ending, m.endErr = true, ""
		return m, nil
	}
	return m, m.notes.key(msg)
}
