package tui

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"

	"callcoach/coaching"
	"callcoach/coaching/measures"
	"callcoach/storage"
)

// callsShown bounds how many past calls the person screen reads.
const callsShown = 500

type personKeys struct {
	Up, Down, Browse, NotesUp, NotesDown key.Binding
	Edit, Call, Resume, Back             key.Binding
	ResumeYes, ResumeNew, Cancel         key.Binding
	BusyRead, BusyTake                   key.Binding
	Switch, NewPlan, Measure, Attempt    key.Binding
	Choose                               key.Binding // which measure, by its number
	Correct                              key.Binding // how an ended call ended, corrected
	CallAnyway                           key.Binding // outside their call window: call all the same
	Erase                                key.Binding // delete them and everything of theirs, once their name is typed
	HandOver                             key.Binding // a coach on a team database: to another coach or the pool, with a note
	Outcomes                             []key.Binding
	// The progress charts: g shows them and goes back; ←/→ another chart,
	// ↑/↓ earlier and later rows of a long one.
	Progress, ProgressOff           key.Binding
	PrevChart, NextChart, ChartFlip key.Binding
	Earlier, Later, ChartScroll     key.Binding
}

func newPersonKeys() personKeys {
	return personKeys{
		Up:         key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "previous call")),
		Down:       key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "next call")),
		Browse:     key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", "calls")),
		NotesUp:    key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "scroll notes up")),
		NotesDown:  key.NewBinding(key.WithKeys("pgdown", " "), key.WithHelp("pgdn", "scroll notes down")),
		Edit:       key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit profile")),
		Switch:     key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "calls/plans")),
		NewPlan:    key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "new plan")),
		Measure:    key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "give a measure")),
		Attempt:    key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "log an attempt (no answer…)")),
		CallAnyway: key.NewBinding(key.WithKeys("enter", "y"), key.WithHelp("enter/y", "call anyway")),
		Call:       key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "start call")),
		Resume:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "continue this call")),
		Back:       key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		ResumeYes:  key.NewBinding(key.WithKeys("enter", "r"), key.WithHelp("enter", "continue it")),
		ResumeNew:  key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "start a new call")),
		Cancel:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
		BusyRead:   key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "read it here")),
		BusyTake:   key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "take it over")),
		Choose:     measureChoiceKey(),
		Correct:    key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "correct how this call ended")),
		Erase:      key.NewBinding(key.WithKeys("X"), key.WithHelp("X", "erase this person…")),
		HandOver:   key.NewBinding(key.WithKeys("H"), key.WithHelp("H", "hand over to another coach…")),
		Outcomes:   outcomeKeys(),

		Progress:    key.NewBinding(key.WithKeys("g"), key.WithHelp("g", "progress charts")),
		ProgressOff: key.NewBinding(key.WithKeys("g"), key.WithHelp("g", "back to the list")),
		PrevChart:   key.NewBinding(key.WithKeys("left"), key.WithHelp("←", "previous chart")),
		NextChart:   key.NewBinding(key.WithKeys("right"), key.WithHelp("→", "next chart")),
		ChartFlip:   key.NewBinding(key.WithKeys("left", "right"), key.WithHelp("←/→", "another chart")),
		Earlier:     key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "earlier rows")),
		Later:       key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "later rows")),
		ChartScroll: key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", "earlier/later")),
	}
}

type personLoadedMsg struct {
	person   coaching.Person
	calls    []coaching.Call
	plans    []coaching.ActionPlan
	reviews  map[int64]coaching.PlanReview // the latest review of each plan
	history  []coaching.PlanReview         // every review of every plan, oldest first
	readings []coaching.Reading
	scores   []coaching.ConfidenceScore
	followUp *coaching.FollowUp
	measures []storage.MeasureRecord
	flag     *storage.SafetyEvent
	open     *storage.SafetyEvent
	handed   *storage.HandedOver // their latest hand-over, on a team database
}

// progressView is the person screen's charts: which is shown, how far
// back a long one is scrolled, and its lines as last drawn.
type progressView struct {
	on     bool
	charts []chartSeries
	at     int // which chart
	back   int // rows hidden below the last shown (0: the latest shows)
	cache  struct {
		at, back, width, height int
		lines                   []string
		shown                   int
		ok                      bool
	}
}

type callStartedMsg struct{ call coaching.Call }

// personLoadFailedMsg: the person could not be read.
type personLoadFailedMsg struct{ text string }

// personScreen shows one person's profile and their calls, newest first,
// with the selected call's notes below.
type personScreen struct {
	c        *Common
	keys     personKeys
	id       int64
	autoCall bool // start a call as soon as the person is loaded

	loaded bool
	person coaching.Person
	calls  []coaching.Call
	cursor int
	asking bool // "continue the unfinished call or start a new one?"
	// outside: "it is 03:37 for them, outside their call window; call
	// anyway?" is asked; outsideOK: it was answered yes, so it is not
	// asked again on this page.
	outside, outsideOK bool
	// Keys typed while a call starts or another screen opens wait for it
	// (see typeahead.go).
	starting, opening, loadFailed bool
	busy                          *callBusyMsg // the call asked for is open in another callcoach

	plans      []coaching.ActionPlan // newest first
	reviews    map[int64]coaching.PlanReview
	scores     []coaching.ConfidenceScore
	followUp   *coaching.FollowUp
	measures   []storage.MeasureRecord
	flag       *storage.SafetyEvent
	handed     *storage.HandedOver // their latest hand-over, if any (a team database)
	choosing   bool                // choosing a measure to give
	correcting bool                // choosing how the selected call really ended
	// gone: erased from the screen above (eraseScreen), with what went.
	gone   bool
	erased storage.Erased
	// handedTo: handed over from the form above, to whom in words.
	handedTo   string
	selectCall int64 // a call to select once loaded (from search)
	selectPlan int64 // a plan to select once loaded (from search)
	showPlans  bool  // the list shows plans rather than calls
	planCursor int
	progress   progressView

	notes      viewport.Model
	notesFor   int64
	width      int
	height     int
	notesWidth int
}

func newPersonScreen(c *Common, id int64, autoCall bool) *personScreen {
	return &personScreen{c: c, keys: newPersonKeys(), id: id, autoCall: autoCall, notes: viewport.New(0, 0)}
}

func (m *personScreen) Init() tea.Cmd {
	return tea.Batch(m.load(), m.c.record(coaching.AuditOpenedPerson, m.id))
}
func (m *personScreen) Resume() tea.Cmd {
	m.opening = false
	if m.handedTo != "" {
		// Handed over from the form above: no longer this coach's.
		said := "Handed " + oneLine(m.person.DisplayName()) + " to " + m.handedTo + "."
		return tea.Batch(pop, func() tea.Msg { return infoMsg{said} })
	}
	if m.gone {
		// Erased from the screen above: back to the caseload, saying so.
		said := fmt.Sprintf("Erased no. %d: %s; their words are cleared from the %s.", m.id, ErasedSummary(m.erased), caseloadWord(m.c))
		return tea.Batch(pop, func() tea.Msg { return infoMsg{said} })
	}
	return m.load()
}

// Changing: the person is still being read, or a call or another screen
// is opening.
func (m *personScreen) Changing() bool {
	return m.opening || m.starting || !m.loaded && !m.loadFailed
}

// Asking: a question is shown that keys typed before it must not answer.
func (m *personScreen) Asking() bool { return m.asking || m.busy != nil || m.correcting || m.outside }

// open pushes s over the person, holding keys until it is up.
func (m *personScreen) open(s screen) tea.Cmd {
	m.opening = true
	return push(s)
}

// claim opens an unfinished call, holding keys until it is up.
func (m *personScreen) claim(id int64, takeOver bool) tea.Cmd {
	m.starting = true
	return claimCall(m.c, id, takeOver)
}
func (m *personScreen) Typing() bool {
	return m.asking || m.choosing || m.busy != nil || m.correcting
}

func (m *personScreen) load() tea.Cmd {
	store, ctx, id, coach, now := m.c.Store, m.c.Ctx, m.id, m.c.Login.Coach, m.c.Now()
	return func() tea.Msg {
		p, err := store.GetPerson(ctx, id)
		if err != nil {
			return personLoadFailedMsg{"Could not open this person: " + storage.Explain(err)}
		}
		calls, err := store.CallsForPerson(ctx, id, callsShown)
		if err != nil {
			return personLoadFailedMsg{"Could not read past calls: " + storage.Explain(err)}
		}
		msg := personLoadedMsg{person: p, calls: calls}
		if msg.plans, err = store.PlansForPerson(ctx, id); err != nil {
			return personLoadFailedMsg{"Could not read the plans: " + storage.Explain(err)}
		}
		msg.reviews = map[int64]coaching.PlanReview{}
		for _, p := range msg.plans {
			rs, err := store.PlanReviews(ctx, p.ID)
			if err != nil {
				return personLoadFailedMsg{"Could not read the plan reviews: " + storage.Explain(err)}
			}
			if len(rs) > 0 {
				msg.reviews[p.ID] = rs[len(rs)-1]
			}
			msg.history = append(msg.history, rs...)
		}
		slices.SortStableFunc(msg.history, func(a, b coaching.PlanReview) int { return a.At.Compare(b.At) })
		if msg.readings, err = store.ReadingsForPerson(ctx, id); err != nil {
			return personLoadFailedMsg{"Could not read the readings: " + storage.Explain(err)}
		}
		if msg.scores, err = store.ConfidenceHistory(ctx, id); err != nil {
			return personLoadFailedMsg{"Could not read the confidence scores: " + storage.Explain(err)}
		}
		if msg.measures, err = store.MeasuresForPerson(ctx, id); err != nil {
			return personLoadFailedMsg{"Could not read the measures: " + storage.Explain(err)}
		}
		if msg.flag, msg.open, err = store.PendingSafety(ctx, id); err != nil {
			return personLoadFailedMsg{"Could not read the safety flags: " + storage.Explain(err)}
		}
		f, ok, err := store.OpenFollowUp(ctx, id)
		if err != nil {
			return personLoadFailedMsg{"Could not read the next contact: " + storage.Explain(err)}
		}
		if ok {
			msg.followUp = &f
		}
		if coach {
			h, ok, err := store.LastHandOver(ctx, id)
			if err != nil {
				return personLoadFailedMsg{"Could not read how they were handed over: " + storage.Explain(err)}
			}
			if ok {
				msg.handed = &h
			}
			if ok && h.ToYou && !h.Seen {
				// Opened: the Now view no longer lists them first. If this
				// cannot be written, they stay listed, which is safe.
				_ = store.SeenHandOvers(ctx, id, now)
			}
		}
		return msg
	}
}

func (m *personScreen) SetSize(w, h int) {
	m.width, m.height = w, h
	m.layoutNotes()
	m.syncKeys()
}

// syncKeys switches the moving keys on only where they can move.
func (m *personScreen) syncKeys() {
	n, at := len(m.calls), m.cursor
	if m.showPlans {
		n, at = len(m.plans), m.planCursor
	}
	m.keys.HandOver.SetEnabled(m.c.Login.Coach && m.c.Store.ReadOnly() == nil)
	m.keys.Up.SetEnabled(at > 0)
	m.keys.Down.SetEnabled(at < n-1)
	m.keys.Browse.SetEnabled(m.keys.Up.Enabled() && m.keys.Down.Enabled())
	m.keys.NotesUp.SetEnabled(!m.notes.AtTop())
	m.keys.NotesDown.SetEnabled(!m.notes.AtBottom())
	earlier, later := m.progress.canScroll(m.width, m.chartHeight())
	m.keys.Earlier.SetEnabled(earlier)
	m.keys.Later.SetEnabled(later)
}

func (m *personScreen) ShortHelp() []key.Binding {
	switch {
	case m.busy != nil:
		return []key.Binding{m.keys.BusyRead, m.keys.BusyTake, m.keys.Cancel}
	case m.asking:
		return []key.Binding{m.keys.ResumeYes, m.keys.ResumeNew, m.keys.Cancel}
	case m.outside:
		return []key.Binding{m.keys.CallAnyway, m.keys.Cancel}
	case m.choosing:
		return []key.Binding{m.keys.Choose, m.keys.Cancel}
	case m.correcting:
		return append(append([]key.Binding(nil), m.keys.Outcomes...), m.keys.Cancel)
	case !m.loaded:
		return []key.Binding{m.keys.Back}
	case m.progress.on:
		b := []key.Binding{m.keys.ProgressOff, m.keys.ChartFlip}
		if m.keys.Earlier.Enabled() || m.keys.Later.Enabled() {
			b = append(b, m.keys.ChartScroll)
		}
		return append(b, m.keys.Call, m.keys.Back)
	}
	b := []key.Binding{m.keys.Call, m.keys.Attempt, m.keys.Edit, m.keys.NewPlan, m.keys.Measure}
	if m.canResume() {
		b = append(b, m.keys.Resume)
	}
	if m.canCorrect() {
		b = append(b, m.keys.Correct)
	}
	b = append(b, m.keys.Switch, m.keys.Progress)
	if m.keys.Browse.Enabled() {
		b = append(b, m.keys.Browse) // "↑/↓ calls" where both move; otherwise whichever does
	} else {
		b = append(b, m.keys.Up, m.keys.Down)
	}
	return append(b, m.keys.NotesDown, m.keys.Back)
}

func (m *personScreen) FullHelp() [][]key.Binding {
	switch {
	case m.busy != nil, m.asking, m.outside, m.choosing, m.correcting, !m.loaded:
		return [][]key.Binding{m.ShortHelp()}
	case m.progress.on:
		return [][]key.Binding{
			{m.keys.ProgressOff, m.keys.PrevChart, m.keys.NextChart, m.keys.Earlier, m.keys.Later},
			{m.keys.Call, m.keys.Attempt, m.keys.Edit, m.keys.NewPlan, m.keys.Measure, m.keys.Back},
		}
	}
	main := []key.Binding{m.keys.Call, m.keys.Attempt, m.keys.Edit, m.keys.NewPlan, m.keys.Measure}
	if m.canResume() {
		main = append(main, m.keys.Resume)
	}
	if m.canCorrect() {
		main = append(main, m.keys.Correct)
	}
	return [][]key.Binding{
		append(main, m.keys.Back),
		{m.keys.Switch, m.keys.Progress, m.keys.Up, m.keys.Down, m.keys.NotesUp, m.keys.NotesDown},
		{m.keys.HandOver, m.keys.Erase},
	}
}

// canCorrect: the selected call was ended, and its outcome can be put right.
func (m *personScreen) canCorrect() bool {
	c, ok := m.selectedCall()
	return ok && !c.Unfinished() && !m.showPlans
}

// outcomeKeys are the ways a call can end, a key each.
func outcomeKeys() []key.Binding {
	var out []key.Binding
	for _, o := range coaching.OutcomeChoices {
		out = append(out, key.NewBinding(key.WithKeys(o.Key), key.WithHelp(o.Key, o.Label)))
	}
	return out
}

// canResume: the selected call was never ended, and enter continues it.
func (m *personScreen) canResume() bool {
	c, ok := m.selectedCall()
	return ok && c.Unfinished() && !m.showPlans
}

// measureChoiceKey is the numbers of the measures, 1 to how many there are.
func measureChoiceKey() key.Binding {
	var keys []string
	for i := range measures.All() {
		keys = append(keys, fmt.Sprint(i+1))
	}
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(fmt.Sprintf("1-%d", len(keys)), "which measure"))
}

func (m *personScreen) selectedCall() (coaching.Call, bool) {
	if m.cursor < 0 || m.cursor >= len(m.calls) {
		return coaching.Call{}, false
	}
	return m.calls[m.cursor], true
}

// openCall is the newest unfinished call, if any.
func (m *personScreen) openCall() (coaching.Call, bool) {
	for _, c := range m.calls {
		if c.Unfinished() {
			return c, true
		}
	}
	return coaching.Call{}, false
}

// startCall starts a new call, or first asks whether to continue the
// unfinished one.
// theirWindow is the person's call window on their clock (the coach's
// when no zone is recorded).
func (m *personScreen) theirWindow() coaching.CallWindow {
	return coaching.ReadCallWindow(m.person.CallTimes, m.personLoc())
}

func (m *personScreen) startCall() tea.Cmd {
	if !m.outsideOK && m.theirWindow().State(m.c.Now()) == coaching.OutsideWindow {
		m.outside = true // asked once: "it is 03:37 for Rosa; call anyway?"
		return nil
	}
	if _, ok := m.openCall(); ok {
		m.asking = true
		return nil
	}
	return m.newCall()
}

// newCall records a new call in the database and opens it.
func (m *personScreen) newCall() tea.Cmd {
	m.starting = true
	store, ctx, id, now, role := m.c.Store, m.c.Ctx, m.id, m.c.Now(), m.c.Role
	return func() tea.Msg {
		call, err := store.StartCall(ctx, id, role, now)
		if err != nil {
			return callOpenFailedMsg{"Could not start the call: " + storage.Explain(err)}
		}
		return callStartedMsg{call}
	}
}

func (m *personScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	s, cmd := m.route(msg)
	m.syncKeys()
	return s, cmd
}

func (m *personScreen) route(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case personLoadedMsg:
		m.loaded = true
		m.person, m.calls = msg.person, msg.calls
		m.plans, m.reviews, m.scores, m.followUp = msg.plans, msg.reviews, msg.scores, msg.followUp
		m.measures, m.flag, m.handed = msg.measures, msg.flag, msg.handed
		m.progress.charts = progressSeries(progressData{readings: msg.readings, measures: msg.measures, plans: msg.plans,
			scores: msg.scores, reviews: msg.history}, coaching.NewReadingRegistry(m.c.Readings), m.c.Local)
		m.progress.at = max(min(m.progress.at, len(m.progress.charts)-1), 0)
		m.progress.back, m.progress.cache.ok = 0, false
		if msg.open != nil {
			// A safety panel left open by a crash comes back first.
			return m, m.open(newSafetyPanel(m.c, *msg.open, m.c.Role == coaching.RolePeer))
		}
		for i, c := range m.calls {
			if c.ID == m.selectCall {
				m.cursor, m.selectCall = i, 0
			}
		}
		for i, p := range m.plans {
			if p.ID == m.selectPlan {
				m.planCursor, m.selectPlan = i, 0
			}
		}
		m.cursor = max(min(m.cursor, len(m.calls)-1), 0)
		m.planCursor = max(min(m.planCursor, len(m.plans)-1), 0)
		m.notesFor = -1
		m.layoutNotes()
		if m.autoCall {
			m.autoCall = false
			return m, m.startCall()
		}
		return m, nil
	case callOpenFailedMsg:
		m.starting = false
		return m, showErr(msg.text)
	case handOverCoachesMsg:
		if msg.err != nil {
			m.opening = false
			return m, showErr("Could not read the team's coaches: " + storage.Explain(msg.err))
		}
		return m, m.open(newHandOverForm(m.c, m, msg.coaches))
	case outcomeCorrectedMsg:
		if msg.err != nil {
			return m, showErr("Could not correct how the call ended: " + storage.Explain(msg.err))
		}
		said := "Corrected: that call ended as " + msg.outcome.Label() + "; its summary says so."
		switch {
		case msg.summaryErr != nil:
			return m, tea.Batch(m.load(), showErr("Corrected: that call ended as "+msg.outcome.Label()+", but "+msg.summaryErr.Error()+"."))
		case msg.warning != "":
			return m, tea.Batch(m.load(), showErr(said+" "+msg.warning))
		}
		return m, tea.Batch(m.load(), func() tea.Msg { return infoMsg{said} })
	case personLoadFailedMsg:
		m.loadFailed = true
		return m, showErr(msg.text)
	case callStartedMsg:
		m.starting = false
		return m, m.open(newCallScreen(m.c, m.person, msg.call))
	case callClaimedMsg:
		m.starting = false
		m.busy = nil
		return m, m.open(newCallScreen(m.c, m.person, msg.call))
	case callBusyMsg:
		m.starting = false
		m.busy = &msg
		return m, nil
	case tea.KeyMsg:
		if !m.loaded {
			if key.Matches(msg, m.keys.Back) {
				return m, pop
			}
			return m, nil
		}
		if m.busy != nil {
			return m.updateBusy(msg)
		}
		if m.asking {
			return m.updateAsking(msg)
		}
		if m.outside {
			m.outside = false
			if key.Matches(msg, m.keys.CallAnyway) {
				m.outsideOK = true
				return m, m.startCall()
			}
			return m, nil // esc, or any other key: no call
		}
		if m.correcting {
			return m, m.updateCorrecting(msg)
		}
		if m.choosing {
			switch {
			case key.Matches(msg, m.keys.Choose):
				m.choosing = false
				i, _ := strconv.Atoi(msg.String())
				return m, m.open(newMeasureScreen(m.c, m.person, 0, measures.All()[i-1]))
			case key.Matches(msg, m.keys.Cancel):
				m.choosing = false
			}
			return m, nil
		}
		if m.progress.on {
			return m.updateProgress(msg)
		}
		return m.updateKeys(msg)
	}
	return m, nil
}

func (m *personScreen) updateAsking(msg tea.KeyMsg) (screen, tea.Cmd) {
	switch {
	case key.Matches(msg, m.keys.ResumeYes):
		m.asking = false
		if c, ok := m.openCall(); ok {
			return m, m.claim(c.ID, false)
		}
	case key.Matches(msg, m.keys.ResumeNew):
		m.asking = false
		return m, m.newCall()
	case key.Matches(msg, m.keys.Cancel):
		m.asking = false
	}
	return m, nil
}

// updateBusy answers "this call is open in another callcoach": read it
// here, take it over, or leave it.
func (m *personScreen) updateBusy(msg tea.KeyMsg) (screen, tea.Cmd) {
	b := m.busy
	switch {
	case key.Matches(msg, m.keys.BusyRead):
		m.busy = nil
		return m, m.open(newCallViewer(m.c, m.person, b.call, b.holder))
	case key.Matches(msg, m.keys.BusyTake):
		m.busy = nil
		return m, m.claim(b.call.ID, true)
	case key.Matches(msg, m.keys.Cancel):
		m.busy = nil
	}
	return m, nil
}

func (m *personScreen) updateKeys(msg tea.KeyMsg) (screen, tea.Cmd) {
	switch {
	case key.Matches(msg, m.keys.Back):
		return m, pop
	case key.Matches(msg, m.keys.Edit):
		return m, m.open(newPersonForm(m.c, m.person))
	case key.Matches(msg, m.keys.Call):
		return m, m.startCall()
	case key.Matches(msg, m.keys.Measure):
		m.choosing = true
	case key.Matches(msg, m.keys.Attempt):
		return m, m.open(newAttemptScreen(m.c, m.id))
	case key.Matches(msg, m.keys.HandOver):
		m.opening = true // keys wait for the form
		return m, askHandOver(m.c)
	case key.Matches(msg, m.keys.Erase):
		if err := m.c.Store.ReadOnly(); err != nil {
			return m, showErr("Nothing can be erased: " + storage.Explain(err))
		}
		return m, m.open(newEraseScreen(m.c, m))
	case key.Matches(msg, m.keys.Correct) && m.canCorrect():
		m.correcting = true
	case key.Matches(msg, m.keys.NewPlan):
		return m, m.open(newPlanForm(m.c, m.person, coaching.ActionPlan{Confidence: coaching.NoScore}, 0))
	case key.Matches(msg, m.keys.Progress):
		m.progress.on = true
	case key.Matches(msg, m.keys.Switch):
		m.showPlans = !m.showPlans
		m.notesFor = -1
		m.layoutNotes()
	case key.Matches(msg, m.keys.Resume) && m.canResume():
		c, _ := m.selectedCall()
		return m, m.claim(c.ID, false)
	case key.Matches(msg, m.keys.Up):
		m.moveList(-1)
	case key.Matches(msg, m.keys.Down):
		m.moveList(1)
	case key.Matches(msg, m.keys.NotesUp):
		m.notes.HalfPageUp()
	case key.Matches(msg, m.keys.NotesDown):
		m.notes.HalfPageDown()
	}
	return m, nil
}

// moveList moves the selection in the list shown (calls or plans).
func (m *personScreen) moveList(d int) {
	if m.showPlans {
		m.planCursor = max(min(m.planCursor+d, len(m.plans)-1), 0)
	} else {
		m.cursor = max(min(m.cursor+d, len(m.calls)-1), 0)
	}
	m.layoutNotes()
}

// outcomeCorrectedMsg: the selected call's outcome was put right.
type outcomeCorrectedMsg struct {
	callID     int64
	outcome    coaching.Outcome
	err        error
	warning    string // the summary template failed: the built-in one was used
	summaryErr error  // corrected, but the summary could not be made again
}

// updateCorrecting takes how the selected call really ended, or esc.
func (m *personScreen) updateCorrecting(msg tea.KeyMsg) tea.Cmd {
	if key.Matches(msg, m.keys.Cancel) {
		m.correcting = false
		return nil
	}
	for i, k := range m.keys.Outcomes {
		if !key.Matches(msg, k) {
			continue
		}
		m.correcting = false
		c, _ := m.selectedCall()
		o := coaching.OutcomeChoices[i].Outcome
		if o == c.Outcome {
			return nil
		}
		cc, p, now := m.c, m.person, m.c.Now()
		return func() tea.Msg {
			msg := outcomeCorrectedMsg{callID: c.ID, outcome: o, err: cc.Store.CorrectOutcome(cc.Ctx, c.ID, o, now)}
			if msg.err == nil { // the summary says how the call ended: made again
				_, msg.warning, msg.summaryErr = remakeSummary(cc, p, c.ID, now)
			}
			return msg
		}
	}
	return nil
}
