package tui

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"callcoach/coaching"
	"callcoach/coaching/measures"
	"callcoach/coaching/prompts"
	"callcoach/storage"
	"callcoach/tui/editor"
)

// saveDelay is how long typed notes may wait before they are written. The
// first unsaved keystroke starts the wait, so a coach who types without a
// pause is still saved within this time.
const saveDelay = 700 * time.Millisecond

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
	callLoadedMsg struct {
		callID int64
		rec    coaching.CallRecord
		plan   *coaching.ActionPlan
		flag   *storage.SafetyEvent // recorded but not reviewed
		open   *storage.SafetyEvent // raised but never recorded (a crash)
	}
	callWriteErr struct {
		callID int64
		text   string
	}
	tallyMsg struct {
		callID int64
		tally  coaching.Tally
	}
	callEndedMsg struct {
		callID  int64
		summary string
	}
	callEndErr struct{ text string }
)

// noteWriter writes one call's notes. It is shared by the screen's copies
// and by Flush, and remembers the newest revision known to be stored, so
// nothing is written twice and nothing older overwrites something newer.
// What the screen draws (the revision stored, whether a save is waiting)
// is read without a lock: drawing never waits for the database.
type noteWriter struct {
	store   *storage.Store
	callID  int64
	base    int64      // added to the editor's revision to give the database's
	mu      sync.Mutex // one save at a time
	written atomic.Int64
	since   atomic.Int64 // when the save under way began (Unix ns by the Common clock); 0 if none
}

// errNotesNewer is a save the database refused because the notes stored
// are newer: another callcoach wrote them.
var errNotesNewer = errors.New("the notes in the file are newer than these (written by another callcoach)")

func (w *noteWriter) save(c *Common, notes string, rev int64) error {
	if rev <= w.written.Load() {
		return nil
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if rev <= w.written.Load() {
		return nil
	}
	w.since.Store(c.Now().UnixNano())
	defer w.since.Store(0)
	applied, err := w.store.SaveNotes(c.Ctx, w.callID, notes, rev, c.Now())
	if err != nil {
		return err
	}
	if !applied {
		return errNotesNewer
	}
	w.written.Store(rev)
	return nil
}

func newNoteWriter(store *storage.Store, callID, base, stored int64) *noteWriter {
	w := &noteWriter{store: store, callID: callID, base: base}
	w.written.Store(stored)
	return w
}

func (w *noteWriter) savedRev() int64 { return w.written.Load() }

// waiting is how long the save under way has been waiting, or 0.
func (w *noteWriter) waiting(now time.Time) time.Duration {
	since := w.since.Load()
	if since == 0 {
		return 0
	}
	return max(now.Sub(time.Unix(0, since)), 0)
}

// callScreen is the call workspace: the notes editor has the keyboard from
// the first moment; stages, the prompt card, the MI tally, rulers and change
// talk are all reached with chords from inside it; everything is saved as it
// happens.
type callScreen struct {
	c      *Common
	keys   callKeys
	person coaching.Person
	call   coaching.Call
	notes  editor.Model
	writer *noteWriter
	serial *serial

	loaded bool
	stage  coaching.Stage
	visits []coaching.StageVisit
	tally  coaching.Tally
	rulers []coaching.Ruler
	talk   []coaching.ChangeTalk
	ask    ask
	leader bool                 // ctrl+g was pressed: the next key is a chord letter
	plan   *coaching.ActionPlan // the person's current plan, if any
	flag   *storage.SafetyEvent // an earlier safety event not yet reviewed

	// viewer is set when the call is open in another callcoach and shown
	// here to read only; viewerGone when that one has let it go.
	viewer     *storage.CallHolder
	viewerGone bool
	// lost says why this workspace may no longer write its call (taken
	// over, or the file replaced); rescued is where the notes were kept.
	lost      string
	rescued   string
	rescueErr string

	saveQueued bool
	saveErr    string
	writeErr   string
	note       string // a passing word about the last action
	ending     bool   // asking for the outcome
	endErr     string
	timerGen   int
	width      int
	height     int
	topKey     topKey
	topCache   string
}

func newCallScreen(c *Common, p coaching.Person, call coaching.Call) *callScreen {
	ed := editor.New()
	ed.SetMaxBytes(coaching.MaxNotesLen)
	ed.Placeholder = "Type notes here as you talk; they are saved as you type."
	ed.CursorStyle = c.Styles.Cursor
	ed.PlaceholderStyle = c.Styles.Subtle
	ed.SetValue(call.Notes)
	ed.Focus()
	if call.Role == "" {
		call.Role = c.Role
	}
	// The editor counts SetValue as a change; the stored notes are that
	// text, so the database revision of the editor's state now is NotesRev.
	base := call.NotesRev - int64(ed.Revision())
	return &callScreen{
		c: c, keys: newCallKeys(), person: p, call: call, notes: ed,
		writer: newNoteWriter(c.Store, call.ID, base, call.NotesRev),
		serial: newSerial(),
		stage:  coaching.StageEngage,
		tally:  coaching.Tally{},
	}
}

func (m *callScreen) Init() tea.Cmd { return tea.Batch(m.tick(), m.load()) }

// writable reports whether the workspace writes its call: not when it only
// shows a call open elsewhere, nor once the call was lost.
func (m *callScreen) writable() bool { return m.viewer == nil && m.lost == "" }
func (m *callScreen) Typing() bool   { return true }

// load reads what an unfinished call already holds (nothing, for a new one).
func (m *callScreen) load() tea.Cmd {
	c, id, pid := m.c, m.call.ID, m.person.ID
	return func() tea.Msg {
		rec := coaching.CallRecord{}
		var err error
		if err = readMarks(c, id, &rec); err != nil {
			return callWriteErr{id, "Could not read this call's stages and marks: " + storage.Explain(err)}
		}
		msg := callLoadedMsg{callID: id, rec: rec}
		if msg.flag, msg.open, err = safetyState(c, pid); err != nil {
			return callWriteErr{id, "Could not read the safety flags: " + storage.Explain(err)}
		}
		plan, ok, err := c.Store.CurrentPlan(c.Ctx, pid)
		if err != nil {
			return callWriteErr{id, "Could not read the last plan: " + storage.Explain(err)}
		}
		if ok {
			msg.plan = &plan
		}
		return msg
	}
}

// enterFirstStage puts a new call at its first stage, or a resumed one back
// where it was.
func (m *callScreen) enterFirstStage() tea.Cmd {
	if n := len(m.visits); n > 0 {
		m.stage = m.visits[n-1].Stage
		return nil
	}
	return m.enterStage(coaching.StageEngage)
}

// safetyState reads a person's safety events: the newest recorded one not
// yet reviewed (the flag), and one raised but never recorded.
func safetyState(c *Common, personID int64) (flag, open *storage.SafetyEvent, err error) {
	events, err := c.Store.SafetyEvents(c.Ctx, personID)
	if err != nil {
		return nil, nil, err
	}
	for i := range events {
		e := events[i]
		switch {
		case e.RecordedAt.IsZero() && open == nil:
			open = &e
		case !e.RecordedAt.IsZero() && e.ReviewedAt.IsZero() && flag == nil:
			flag = &e
		}
	}
	return flag, open, nil
}

// planLoadedMsg refreshes the current plan after a plan form closes.
type planLoadedMsg struct {
	callID int64
	plan   *coaching.ActionPlan
}

// Resume runs when a form opened from the call closes: the timer and the
// note saver pick up again, and the current plan is read afresh.
func (m *callScreen) Resume() tea.Cmd {
	m.saveQueued = false
	if !m.writable() {
		return m.tick()
	}
	c, id, pid := m.c, m.call.ID, m.person.ID
	return tea.Batch(m.tick(), m.saveNow(), func() tea.Msg {
		plan, ok, err := c.Store.CurrentPlan(c.Ctx, pid)
		if err != nil {
			return callWriteErr{id, "Could not read the plan: " + storage.Explain(err)}
		}
		if !ok {
			return planLoadedMsg{callID: id}
		}
		return planLoadedMsg{callID: id, plan: &plan}
	})
}

// readMarks fills in what was captured during a call: the stages visited,
// the tally, the rulers and the change talk.
func readMarks(c *Common, callID int64, rec *coaching.CallRecord) error {
	var err error
	if rec.Visits, err = c.Store.StageVisits(c.Ctx, callID); err != nil {
		return err
	}
	if rec.Tally, err = c.Store.Tally(c.Ctx, callID); err != nil {
		return err
	}
	if rec.Rulers, err = c.Store.Rulers(c.Ctx, callID); err != nil {
		return err
	}
	rec.Talk, err = c.Store.ChangeTalk(c.Ctx, callID)
	return err
}

func (m *callScreen) tick() tea.Cmd {
	m.timerGen++
	return m.c.After(time.Second, timerTickMsg{callID: m.call.ID, gen: m.timerGen})
}

// rev is the revision of the notes as the database counts it.
func (m *callScreen) rev() int64 { return m.writer.base + int64(m.notes.Revision()) }

// Flush writes the notes now, whatever the timer says. It blocks; the root
// calls it only on the way out.
func (m *callScreen) Flush() error {
	if !m.writable() {
		return nil // nothing of ours to save here; a lost call's notes are in the rescue file
	}
	return m.writer.save(m.c, m.notes.Value(), m.rev())
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
		esc := "cancel"
		if m.ask.skippable() {
			esc = "skip"
		}
		return []key.Binding{
			key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "save")),
			key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", esc)),
		}
	}
	return []key.Binding{m.keys.End, m.keys.Safety, m.keys.Stages, m.keys.Plan, m.keys.Rulers, m.keys.Talk, m.keys.Tally}
}

func (m *callScreen) FullHelp() [][]key.Binding {
	k := m.notes.KeyMap
	groups := m.keys.chordHelp()
	groups = append(groups,
		[]key.Binding{m.keys.End, key.NewBinding(key.WithKeys("r"), key.WithHelp("then r/n/v/s/d", "how it ended (listed then)"))},
		[]key.Binding{k.Up, k.Down, k.Left, k.Right, k.WordLeft, k.WordRight, k.LineStart, k.LineEnd},
		[]key.Binding{k.PageUp, k.PageDown, k.DocStart, k.DocEnd},
		[]key.Binding{k.Newline, k.Backspace, k.Delete, k.DeleteWordBack, k.DeleteToLineStart, k.DeleteToLineEnd},
	)
	return groups
}

// write runs fn through the call's serial writer; an error comes back as a
// message the workspace shows.
func (m *callScreen) write(what string, fn func() error) tea.Cmd {
	t := m.serial.ticket()
	s, id := m.serial, m.call.ID
	return func() tea.Msg {
		var err error
		s.run(t, func() { err = fn() })
		if lostCall(err) {
			return callLostMsg{id, err}
		}
		if err != nil {
			return callWriteErr{id, "Could not save the " + what + ": " + storage.Explain(err) + ". Note it in the notes for now."}
		}
		return nil
	}
}

func (m *callScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
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
	case holderCheckMsg:
		if msg.callID == m.call.ID && msg.err != nil && m.writable() {
			return m, m.loseCall(msg.err)
		}
		return m, nil
	case callLostMsg:
		if msg.callID == m.call.ID {
			return m, m.loseCall(msg.err)
		}
		return m, nil
	case fileGoneMsg:
		if m.writable() {
			return m, m.loseCall(msg.err)
		}
		return m, nil
	case rescuedMsg:
		if msg.callID == m.call.ID {
			m.rescued = msg.path
			if msg.err != nil {
				m.rescueErr = "Could not keep the notes in a file (" + msg.err.Error() + "): copy them with alt+y now."
			}
		}
		return m, nil
	case viewerRefreshMsg:
		return m, m.updateViewer(msg)
	case callClaimedMsg:
		if msg.call.ID == m.call.ID && m.viewer != nil {
			return m, replace(newCallScreen(m.c, m.person, msg.call))
		}
		return m, nil
	case callLoadedMsg:
		if msg.callID != m.call.ID {
			return m, nil
		}
		m.loaded = true
		m.plan, m.flag = msg.plan, msg.flag
		if m.viewer != nil {
			m.visits, m.rulers, m.talk = msg.rec.Visits, msg.rec.Rulers, msg.rec.Talk
			if msg.rec.Tally != nil {
				m.tally = msg.rec.Tally
			}
			if n := len(m.visits); n > 0 {
				m.stage = m.visits[n-1].Stage
			}
			return m, nil
		}
		if msg.open != nil {
			// A safety panel was left open (the program stopped): it
			// comes back until what was done is recorded.
			return m, tea.Batch(m.enterFirstStage(), push(newSafetyPanel(m.c, *msg.open, m.call.Role == coaching.RolePeer)))
		}
		m.visits, m.rulers, m.talk = msg.rec.Visits, msg.rec.Rulers, msg.rec.Talk
		if msg.rec.Tally != nil {
			m.tally = msg.rec.Tally
		}
		return m, m.enterFirstStage()
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
		if lostCall(msg.err) {
			return m, m.loseCall(msg.err)
		}
		if msg.err != nil {
			m.saveErr = "Notes NOT saved yet (" + storage.Explain(msg.err) + "); retrying. Keep typing, nothing is lost."
			return m, m.queueSave()
		}
		m.saveErr = ""
		return m, nil
	case callWriteErr:
		if msg.callID == m.call.ID {
			m.writeErr = msg.text
		}
		return m, nil
	case planLoadedMsg:
		if msg.callID == m.call.ID {
			m.plan = msg.plan
			m.topCache = ""
		}
		return m, nil
	case tallyMsg:
		if msg.callID == m.call.ID {
			m.tally = msg.tally
		}
		return m, nil
	case callEndErr:
		m.endErr = msg.text
		return m, nil
	case callEndedMsg:
		if msg.callID != m.call.ID {
			return m, nil
		}
		return m, replace(newSummaryScreen(m.c, msg.callID, msg.summary))
	case tea.KeyMsg:
		return m.updateKey(msg)
	}
	return m, nil
}

func (m *callScreen) updateKey(msg tea.KeyMsg) (screen, tea.Cmd) {
	m.note = ""
	switch {
	case m.viewer != nil:
		return m.updateViewerKey(msg)
	case m.lost != "":
		return m.updateLostKey(msg)
	case m.ending:
		return m.updateEnding(msg)
	case m.leader:
		m.leader = false
		if letter, ok := plainLetter(msg); ok {
			return m, m.doChord(letter)
		}
		return m, nil
	}
	if letter, ok := chordLetter(msg); ok {
		// Chords work while a question is open (a tally mark while typing
		// a reason, say), except those that would ask another question.
		if m.ask.open() && asksQuestion(m.keys.chords[letter].act) {
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

// doChord carries out the action bound to a letter.
func (m *callScreen) doChord(letter string) tea.Cmd {
	ch, ok := m.keys.chords[letter]
	if !ok {
		m.note = "alt+" + letter + " does nothing here; f1 lists the keys."
		return nil
	}
	switch ch.act {
	case actNextStage:
		next, ok := coaching.NextStage(m.stage, m.lastConfidence())
		if !ok {
			m.note = "This is the last stage. esc ends the call."
			return nil
		}
		return m.enterStage(next)
	case actPrevStage:
		prev, ok := coaching.PreviousStage(m.stage)
		if !ok {
			return nil
		}
		return m.enterStage(prev)
	case actJump:
		s, _ := coaching.StageAt(ch.stage)
		return m.enterStage(s)
	case actTally:
		return m.mark(ch.tally)
	case actUndoTally:
		return m.undoMark()
	case actImportance:
		m.openRuler(coaching.RulerImportance)
	case actConfidence:
		m.openRuler(coaching.RulerConfidence)
	case actPlan:
		return m.openPlan(coaching.ActionPlan{Confidence: coaching.NoScore})
	case actReview:
		if m.plan == nil {
			m.note = "There is no plan to review yet; alt+l writes one."
			return nil
		}
		m.ask = ask{step: askReviewOutcome, review: coaching.PlanReview{PlanID: m.plan.ID, CallID: m.call.ID}}
	case actFollowUp:
		m.ask = ask{step: askFollowWhen, input: newAskInput(m.c, "e.g. tomorrow 10:00, fri 14:00, +1w", 60)}
	case actSafety:
		ev := storage.SafetyEvent{PersonID: m.person.ID, CallID: m.call.ID, Trigger: string(measures.TriggerCoach)}
		return tea.Batch(m.saveNow(), push(newSafetyPanel(m.c, ev, m.call.Role == coaching.RolePeer)))
	case actMeasure:
		m.ask = ask{step: askMeasure}
	case actSafetyReviewed:
		if m.flag == nil {
			m.note = "There is no earlier safety flag to review."
			return nil
		}
		m.flag = nil
		m.note = "Safety flag marked reviewed in this call."
		store, ctx, pid, id, now := m.c.Store, m.c.Ctx, m.person.ID, m.call.ID, m.c.Now()
		return m.write("safety review", func() error { return store.ReviewSafety(ctx, pid, id, now) })
	case actChangeTalk:
		m.ask = ask{step: askQuote, input: newAskInput(m.c, "type what they said, or keep the notes line", coaching.MaxShortField*10)}
		m.ask.input.SetValue(strings.TrimSpace(m.notes.CurrentLine()))
		m.ask.input.CursorEnd()
	}
	return nil
}

// asksQuestion reports whether a chord opens a question or a form.
func asksQuestion(a chordAction) bool {
	switch a {
	case actImportance, actConfidence, actChangeTalk, actReview, actFollowUp, actPlan, actMeasure:
		return true
	}
	return false
}

// lastConfidence is the latest confidence score of this call, if any.
func (m *callScreen) lastConfidence() *int {
	for i := len(m.rulers) - 1; i >= 0; i-- {
		if m.rulers[i].Kind == coaching.RulerConfidence {
			s := m.rulers[i].Score
			return &s
		}
	}
	return nil
}

func (m *callScreen) enterStage(s coaching.Stage) tea.Cmd {
	if s == m.stage && len(m.visits) > 0 {
		return nil
	}
	m.stage = s
	now := m.c.Now()
	m.visits = append(m.visits, coaching.StageVisit{Stage: s, At: now})
	store, ctx, id := m.c.Store, m.c.Ctx, m.call.ID
	return m.write("stage", func() error { return store.EnterStage(ctx, id, s, now) })
}

func (m *callScreen) mark(k coaching.TallyKind) tea.Cmd {
	m.tally[k]++
	m.note = "Marked: " + k.Label() + "."
	store, ctx, id, now := m.c.Store, m.c.Ctx, m.call.ID, m.c.Now()
	return m.write("tally mark", func() error { return store.AddTallyMark(ctx, id, k, now) })
}

func (m *callScreen) undoMark() tea.Cmd {
	store, ctx, id, now := m.c.Store, m.c.Ctx, m.call.ID, m.c.Now()
	t := m.serial.ticket()
	s := m.serial
	return func() tea.Msg {
		var msg tea.Msg
		s.run(t, func() {
			if _, _, err := store.UndoTallyMark(ctx, id, now); lostCall(err) {
				msg = callLostMsg{id, err}
				return
			} else if err != nil {
				msg = callWriteErr{id, "Could not undo the tally mark: " + storage.Explain(err)}
				return
			}
			tally, err := store.Tally(ctx, id)
			if err != nil {
				msg = callWriteErr{id, "Could not read the tally: " + storage.Explain(err)}
				return
			}
			msg = tallyMsg{id, tally}
		})
		return msg
	}
}

func (m *callScreen) openRuler(k coaching.RulerKind) {
	m.ask = ask{step: askScore, kind: k, input: newAskInput(m.c, "a whole number, 0 to 10", 40)}
}

// updateAsk takes keys while a ruler or change-talk question is open.
func (m *callScreen) updateAsk(msg tea.KeyMsg) tea.Cmd {
	a := &m.ask
	switch msg.Type {
	case tea.KeyEsc:
		return m.skipAsk()
	case tea.KeyEnter:
		return m.submitAsk()
	}
	switch a.step {
	case askMeasure:
		if letter, ok := plainLetter(msg); ok {
			for i, inst := range measures.All() {
				if letter == fmt.Sprint(i+1) {
					a.close()
					return tea.Batch(m.saveNow(), push(newMeasureScreen(m.c, m.person, m.call.ID, inst)))
				}
			}
			a.err = "Press the number of a measure, or esc."
		}
		return nil
	case askReviewOutcome:
		if letter, ok := plainLetter(msg); ok {
			if o, ok := reviewKeys[letter]; ok {
				a.review.Outcome = o
				a.step, a.input, a.err = askHelped, newAskInput(m.c, "in their words; enter to skip", coaching.MaxLongField), ""
				return nil
			}
			a.err = "Press d, p or n (or esc)."
		}
		return nil
	case askReviewNext:
		if letter, ok := plainLetter(msg); ok {
			return m.afterReview(letter)
		}
		return nil
	}
	if a.step == askTalkKind {
		if letter, ok := plainLetter(msg); ok {
			for _, c := range coaching.TalkChoices {
				if c.Key == letter {
					return m.saveTalk(c.Kind)
				}
			}
			a.err = "Press one of the letters shown, or esc."
		}
		return nil
	}
	a.err = ""
	return a.update(msg)
}

// skipAsk answers esc: a question that follows an answer already given
// (a reason for a score, what helped, the purpose of a follow-up) is
// skipped and what was given is kept; a question that starts something
// cancels it.
func (m *callScreen) skipAsk() tea.Cmd {
	a := &m.ask
	switch a.step {
	case askWhy:
		m.note = "Score kept; no reason noted."
	case askHelped, askGotInWay, askFollowReason:
		a.input.SetValue("")
		return m.submitAsk()
	case askTalkKind:
		m.note = "Not saved: change talk needs its kind. alt+t to mark it again."
	}
	a.close()
	return nil
}

func (m *callScreen) submitAsk() tea.Cmd {
	a := &m.ask
	store, ctx, now := m.c.Store, m.c.Ctx, m.c.Now()
	switch a.step {
	case askScore:
		score, err := coaching.ParseScore(a.input.Value())
		if err != nil {
			a.err = err.Error()
			return nil
		}
		ref := &rulerRef{ruler: coaching.Ruler{CallID: m.call.ID, Kind: a.kind, Score: score, At: now}}
		m.rulers = append(m.rulers, ref.ruler)
		kind := a.kind
		*a = ask{step: askWhy, kind: kind, score: score, ruler: ref, input: newAskInput(m.c, "their reasons, in their words", coaching.MaxLongField)}
		m.note = fmt.Sprintf("%s %d saved.", strings.ToUpper(string(kind[:1]))+string(kind[1:]), score)
		if kind == coaching.RulerConfidence && !coaching.ConfidentEnough(score) {
			m.note += fmt.Sprintf(" Below %d: make the plan smaller or easier, then ask again.", coaching.ConfidenceThreshold)
		}
		return m.write("ruler", func() error {
			id, err := store.SaveRuler(ctx, ref.ruler, now)
			ref.id = id
			return err
		})
	case askWhy:
		why := coaching.CleanText(a.input.Value())
		ref := a.ruler
		a.close()
		if why == "" {
			return nil
		}
		for i := range m.rulers {
			if m.rulers[i].At.Equal(ref.ruler.At) && m.rulers[i].Kind == ref.ruler.Kind {
				m.rulers[i].FollowUp = why
			}
		}
		m.note = "Reason saved with the score."
		return m.write("ruler's reason", func() error {
			if ref.id == 0 {
				return fmt.Errorf("the score itself was not saved")
			}
			r := ref.ruler
			r.ID, r.FollowUp = ref.id, why
			_, err := store.SaveRuler(ctx, r, now)
			return err
		})
	case askHelped:
		a.review.Helped = coaching.CleanText(a.input.Value())
		a.step, a.input = askGotInWay, newAskInput(m.c, "in their words; enter to skip", coaching.MaxLongField)
	case askGotInWay:
		a.review.GotInWay = coaching.CleanText(a.input.Value())
		r := a.review
		r.At = now
		a.step = askReviewNext
		m.plan.Status = r.Outcome
		m.topCache = ""
		m.note = "Review saved: " + r.Outcome.Label() + "."
		return m.write("plan review", func() error { return store.ReviewPlan(ctx, r, now) })
	case askFollowWhen:
		due, err := coaching.ParseWhen(a.input.Value(), now, m.personLoc())
		if err != nil {
			a.err = err.Error()
			return nil
		}
		a.due = due
		a.step, a.input, a.err = askFollowReason, newAskInput(m.c, "e.g. see how the walking went; enter to skip", coaching.MaxLongField), ""
	case askFollowReason:
		f := coaching.FollowUp{PersonID: m.person.ID, Due: a.due, Reason: coaching.CleanText(a.input.Value()), MadeCallID: m.call.ID}
		if m.plan != nil {
			f.PlanID = m.plan.ID
		}
		a.close()
		m.note = "Next contact: " + coaching.FormatDue(f, m.personLoc(), m.c.Local, now) + "."
		return m.write("follow-up", func() error {
			_, err := store.AddFollowUp(ctx, f, now)
			return err
		})
	case askQuote:
		q := strings.TrimSpace(a.input.Value())
		if q == "" {
			a.err = "Type what the person said (or esc)."
			return nil
		}
		*a = ask{step: askTalkKind, quote: q}
	}
	return nil
}

// reviewKeys are the answers to "how did it go?".
var reviewKeys = map[string]coaching.PlanStatus{"d": coaching.PlanDone, "p": coaching.PlanPartly, "n": coaching.PlanNotDone}

// afterReview carries out the choice after a review: continue the plan or
// revise it (both a new plan linked to the old, as history is never
// overwritten), or start a new one.
func (m *callScreen) afterReview(letter string) tea.Cmd {
	switch letter {
	case "c", "r":
		m.ask.close()
		return m.openPlan(m.plan.Revise())
	case "n":
		m.ask.close()
		return m.openPlan(coaching.ActionPlan{Confidence: coaching.NoScore})
	}
	m.ask.err = "Press c, r or n (or esc to decide later)."
	return nil
}

// openPlan saves the notes and opens the plan form over the call.
func (m *callScreen) openPlan(base coaching.ActionPlan) tea.Cmd {
	return tea.Batch(m.saveNow(), push(newPlanForm(m.c, m.person, base, m.call.ID)))
}

// personLoc is the person's time zone, or the coach's if not known.
func (m *callScreen) personLoc() *time.Location {
	if m.person.TimeZone != "" {
		if loc, err := time.LoadLocation(m.person.TimeZone); err == nil {
			return loc
		}
	}
	return m.c.Local
}

func (m *callScreen) saveTalk(kind coaching.TalkKind) tea.Cmd {
	now := m.c.Now()
	ct := coaching.ChangeTalk{CallID: m.call.ID, Kind: kind, Quote: m.ask.quote, At: now}
	m.talk = append(m.talk, ct)
	m.ask.close()
	m.note = "Saved as " + kind.Label() + "."
	store, ctx := m.c.Store, m.c.Ctx
	return m.write("change talk", func() error {
		_, err := store.AddChangeTalk(ctx, ct, now)
		return err
	})
}

// SaveCmd saves the notes as they are now; the root calls it before
// another screen covers the call.
func (m *callScreen) SaveCmd() tea.Cmd { return m.saveNow() }

func (m *callScreen) saveNow() tea.Cmd {
	if !m.writable() {
		return nil
	}
	notes, rev, w, c := m.notes.Value(), m.rev(), m.writer, m.c
	id := m.call.ID
	return func() tea.Msg {
		return notesSavedMsg{callID: id, rev: rev, err: w.save(c, notes, rev)}
	}
}

// queueSave arms the save timer unless it is already armed.
func (m *callScreen) queueSave() tea.Cmd {
	if m.saveQueued || !m.writable() {
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

// end saves the notes, closes the call, writes its summary, and shows it.
// It runs behind any writes still queued, so the summary sees them.
func (m *callScreen) end(o coaching.Outcome) tea.Cmd {
	notes, rev, w, c := m.notes.Value(), m.rev(), m.writer, m.c
	person, call := m.person, m.call
	t := m.serial.ticket()
	s := m.serial
	return func() tea.Msg {
		var msg tea.Msg
		s.run(t, func() { msg = finishCall(c, w, person, call, notes, rev, o) })
		return msg
	}
}

func finishCall(c *Common, w *noteWriter, p coaching.Person, call coaching.Call, notes string, rev int64, o coaching.Outcome) tea.Msg {
	ctx, store, now := c.Ctx, c.Store, c.Now()
	if err := w.save(c, notes, rev); lostCall(err) {
		return callLostMsg{call.ID, err}
	} else if err != nil {
		return callEndErr{"Could not save the notes, so the call is still open: " + storage.Explain(err)}
	}
	if err := store.EndCall(ctx, call.ID, o, now); lostCall(err) {
		return callLostMsg{call.ID, err}
	} else if err != nil {
		return callEndErr{"Could not end the call: " + storage.Explain(err) + ". Your notes are saved."}
	}
	if o == coaching.OutcomeReached {
		if err := store.CompleteFollowUps(ctx, p.ID, call.ID, now); err != nil {
			return callEndErr{"The call is ended, but its follow-up could not be marked done: " + storage.Explain(err)}
		}
	}
	ended, err := store.GetCall(ctx, call.ID)
	if err != nil {
		return callEndErr{"The call is ended, but could not be read back for its summary: " + storage.Explain(err)}
	}
	rec := coaching.CallRecord{Person: p, Call: ended}
	if err := readMarks(c, call.ID, &rec); err != nil {
		return callEndErr{"The call is ended, but its summary could not be made: " + storage.Explain(err)}
	}
	summary := coaching.Summary(rec, now, c.Local)
	if err := store.SaveSummary(ctx, call.ID, summary, now); err != nil {
		return callEndErr{"The call is ended, but its summary could not be saved: " + storage.Explain(err)}
	}
	_ = store.ReleaseCall(ctx, call.ID) // ended: nobody need hold it; a claim left behind lapses with this program
	return callEndedMsg{callID: call.ID, summary: summary}
}

// card is the prompt card for the current stage and the call's role.
func (m *callScreen) card() prompts.Card {
	if m.c.Prompts == nil {
		return prompts.Card{}
	}
	return m.c.Prompts.Card(m.stage, m.call.Role)
}
