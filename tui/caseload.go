package tui

import (
	"time"

	"context"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"callcoach/coaching"
	"callcoach/storage"
)

// caseloadWindow is the most rows the screen holds: a few screenfuls
// around the ones shown, never the whole caseload.
const caseloadWindow = 240

// caseloadKeys is the caseload's key map: Update matches these very
// bindings and the help draws them. The list's keys are on while the list
// has the keyboard, the finding keys while the find field has it.
type caseloadKeys struct {
	Up, Down, PageUp, PageDown, Home, End key.Binding
	Open, New, Call, Filter, ClearFilter  key.Binding
	Attempt, Practice, Registry           key.Binding
	DoneFilter, Quit, NextTab, PrevTab    key.Binding
	Team                                  key.Binding      // a coach on a team database: theirs, or theirs and the pool
	Edit                                  textinput.KeyMap // the find field's own keys
}

func newCaseloadKeys() caseloadKeys {
	return caseloadKeys{
		Up:          key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:        key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:      key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "page up")),
		PageDown:    key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "page down")),
		Home:        key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("home/g", "first")),
		End:         key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("end/G", "last")),
		Open:        key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
		New:         key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "new person")),
		Call:        key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "start call")),
		Attempt:     key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "log an attempt")),
		Practice:    key.NewBinding(key.WithKeys("P"), key.WithHelp("P", "my practice")),
		Registry:    key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "registry")),
		Filter:      key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "find")),
		ClearFilter: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear find")),
		DoneFilter:  key.NewBinding(key.WithKeys("enter", "down", "up"), key.WithHelp("enter/↓", "go to list")),
		Quit:        key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
		NextTab:     key.NewBinding(key.WithKeys("tab", "right", "l"), key.WithHelp("tab", "next section")),
		PrevTab:     key.NewBinding(key.WithKeys("shift+tab", "left", "h"), key.WithHelp("shift+tab/←", "previous section")),
		Team:        key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "yours / with the team's pool")),
		Edit:        editKeys(),
	}
}

// syncKeys switches on the keys that can act now.
func (m *caseload) syncKeys() {
	k := &m.keys
	list := !m.typing
	for _, b := range []*key.Binding{&k.Up, &k.Down, &k.PageUp, &k.PageDown, &k.Home, &k.End,
		&k.Open, &k.New, &k.Call, &k.Attempt, &k.Practice, &k.Registry, &k.Filter, &k.Quit, &k.NextTab, &k.PrevTab} {
		b.SetEnabled(list)
	}
	k.Attempt.SetEnabled(list && len(m.rows) > 0)
	k.Team.SetEnabled(list && m.c.Login.Coach)
	k.ClearFilter.SetEnabled(m.typing || m.filter.Value() != "")
	k.DoneFilter.SetEnabled(m.typing)
	for _, b := range editBindings(&k.Edit) {
		b.SetEnabled(m.typing)
	}
}

// caseloadPageMsg answers one read of the caseload's rows.
type caseloadPageMsg struct {
	seq     int
	section storage.Section
	place   pagePlace
	page    storage.CaseloadPage
}

// caseloadCountsMsg answers the count of each section for a filter.
type caseloadCountsMsg struct {
	seq    int
	counts map[storage.Section]storage.Count
	all    int
}

// pagePlace says where a read's rows go in the window held.
type pagePlace int

const (
	placeFirst   pagePlace = iota // the section from its first row: replaces the window
	placeLast                     // the section's last rows (End): replaces the window
	placeAfter                    // rows after the window's last
	placeBefore                   // rows before the window's first
	placeReplace                  // the window read again from where it began (back from another screen)
)

// sectionTabs are the caseload's sections in the order shown.
var sectionTabs = []struct {
	section      storage.Section
	label, short string // short where the labels do not fit
}{
	{sectionNow, "Now", "Now"},
	{storage.SectionOverdue, "Overdue", "Overdue"},
	{storage.SectionDueToday, "Due today", "Today"},
	{storage.SectionUpcoming, "Upcoming", "Upcoming"},
	{storage.SectionNoFollowUp, "No follow-up", "No f/u"},
	{storage.SectionAll, "Everyone", "All"},
}

// caseload is the first screen: everyone the coach supports, found by
// typing, opened with enter. It holds a window of rows around the ones
// shown, never the whole caseload, and reads more as the selection nears
// either end of it: each read goes on from the key of the row at that end
// (storage.CaseloadQuery), so a read costs a page whatever the caseload.
type caseload struct {
	c      *Common
	keys   caseloadKeys
	filter textinput.Model
	typing bool // the filter field has the keyboard

	seq      int // read generation; older answers are dropped
	countSeq int
	cancel   context.CancelFunc // stops the read under way when a newer one starts
	// countCancel stops the count under way when the filter changes again.
	countCancel context.CancelFunc
	loaded      bool
	section     storage.Section
	chosen      bool            // the coach picked the section (so it is not picked for them)
	before      storage.Section // the section to go back to when a search is cleared
	counts      map[storage.Section]storage.Count
	all         int                   // people on the caseload, ignoring the filter
	rows        []storage.CaseloadRow // the window held, in the order shown
	atStart     bool                  // rows[0] is the section's first row
	atEnd       bool                  // the last row held is the section's last
	resume      *storage.CaseloadKey  // a filtered read stopped short there: more may follow
	byName      bool                  // a due section lists a filter's many matches by name
	cursor      int                   // index in rows of the selection
	top         int                   // index in rows of the first row shown
	width       int
	height      int
	pending     bool // a read is under way
	picking     bool // that read picks the section to open on (see read)
	// early is enter or c pressed while the list was empty and its rows
	// on their way (a name typed, then enter at once): done to the first
	// row once they come.
	early   *tea.KeyMsg
	opening bool // a screen is opening over this one

	nowRows    []storage.QueueRow   // the Now tab's rows, as rows holds them after nowHanded's
	nowHanded  []storage.HandedOver // people handed to this coach, not yet opened: the Now tab's first rows
	nowHead    storage.NowSummary   // the Now tab's day at a glance
	nowTicking bool                 // a timer to read the Now tab again is set
}

func newCaseload(c *Common) *caseload {
	ti := textinput.New()
	ti.Prompt = "Find: "
	ti.Placeholder = "name, phone or condition"
	ti.CharLimit = 100
	ti.Cursor.Style = c.Styles.Cursor
	ti.Cursor.SetMode(cursor.CursorStatic)
	ti.PromptStyle = c.Styles.Label
	ti.PlaceholderStyle = c.Styles.Subtle
	m := &caseload{c: c, keys: newCaseloadKeys(), filter: ti}
	m.filter.KeyMap = m.keys.Edit
	m.syncKeys()
	return m
}

func (m *caseload) Init() tea.Cmd { return m.read(placeFirst) }
func (m *caseload) Resume() tea.Cmd {
	m.opening = false
	m.nowTicking = false // its timer went to the screen that was on top
	if !m.chosen && strings.TrimSpace(m.filter.Value()) == "" {
		return m.read(placeFirst) // open again on whoever needs a call first
	}
	return tea.Batch(m.read(placeReplace), m.count(), m.nowCount())
}

// Changing: a person or a form is opening; keys typed meanwhile wait for it.
func (m *caseload) Changing() bool { return m.opening }

// caseloadReadFailedMsg: the read seq failed (its error is said; the
// screen no longer waits for it).
type caseloadReadFailedMsg struct {
	seq int
	err errMsg
}

// readFailed is the answer msg of read seq as the caseload takes it: an
// error it said (caseloadErr) becomes its caseloadReadFailedMsg.
func readFailed(seq int, msg tea.Msg) tea.Msg {
	if e, ok := msg.(errMsg); ok {
		return caseloadReadFailedMsg{seq, e}
	}
	return msg
}

// open pushes s over the caseload, holding keys until it is up.
func (m *caseload) open(s screen) tea.Cmd {
	m.opening = true
	return push(s)
}
func (m *caseload) Typing() bool { return m.typing }

func (m *caseload) SetSize(w, h int) {
	m.width, m.height = w, h
	m.filter.Width = max(w-len(m.filter.Prompt)-2-inputSlack, 1)
	m.clampTop()
}

// listHeight is how many rows fit under the title, sections, find line and
// header.
func (m *caseload) listHeight() int {
	if m.section == sectionNow {
		return max(m.height-5, 1) // and the day at a glance
	}
	return max(m.height-4, 1)
}

func (m *caseload) ShortHelp() []key.Binding {
	if m.typing {
		return []key.Binding{m.keys.DoneFilter, m.keys.ClearFilter}
	}
	return []key.Binding{m.keys.Open, m.keys.Call, m.keys.Attempt, m.keys.New, m.keys.Filter, m.keys.Team, m.keys.Quit, m.keys.NextTab}
}

func (m *caseload) FullHelp() [][]key.Binding {
	var edit []key.Binding
	for _, b := range editBindings(&m.keys.Edit) {
		edit = append(edit, *b)
	}
	return [][]key.Binding{
		{m.keys.Up, m.keys.Down, m.keys.PageUp, m.keys.PageDown, m.keys.Home, m.keys.End},
		{m.keys.Open, m.keys.Call, m.keys.Attempt, m.keys.New, m.keys.Practice, m.keys.Registry, m.keys.Team, m.keys.Quit},
		{m.keys.Filter, m.keys.DoneFilter, m.keys.ClearFilter},
		{m.keys.NextTab, m.keys.PrevTab},
		edit,
	}
}

// pageRows is how many rows a read brings: a screenful and a little more,
// so the first rows after a keystroke come as soon as can be; reads as the
// selection moves bring two screenfuls.
func (m *caseload) pageRows(place pagePlace) int {
	h := m.listHeight()
	if place == placeAfter || place == placeBefore {
		return 2 * h
	}
	return h + 4
}

// dueWindow is the two instants that split the due sections now.
func (m *caseload) query() storage.CaseloadQuery {
	overdue, tomorrow := coaching.DueWindow(m.c.Now(), m.c.Local)
	return storage.CaseloadQuery{Filter: m.filter.Value(), Section: m.section, OverdueBefore: overdue, DueBefore: tomorrow}
}

// read asks for rows of the current section to put at place in the
// window. Answers come back tagged with a sequence number, so a slow
// answer to an older read is dropped, and the older read is stopped.
// The first read, before the coach picks a section, reads the Now view
// and counts the sections, to open on whom to call now, or else on whoever
// needs a call first (readNow).
func (m *caseload) read(place pagePlace) tea.Cmd {
	if m.cancel != nil {
		m.cancel()
	}
	ctx, cancel := context.WithCancel(m.c.Ctx)
	m.cancel = cancel
	m.seq++
	m.pending = true
	seq, store := m.seq, m.c.Store
	q := m.query()
	q.Limit = m.pageRows(place)
	switch place {
	case placeLast:
		q.Last = true
	case placeAfter:
		q.After = m.resume
		if q.After == nil && len(m.rows) > 0 {
			q.After = &m.rows[len(m.rows)-1].Key
		}
	case placeBefore:
		if len(m.rows) > 0 {
			q.Before = &m.rows[0].Key
		}
	case placeReplace:
		// From the first row shown on: the key just below its own; from
		// the start if that is where the window is, so someone added
		// above the first row (another coach's, live) is not missed.
		if m.top < len(m.rows) && !(m.top == 0 && m.atStart) {
			k := m.rows[m.top].Key
			k.NameKey--
			q.After = &k
		}
		q.Limit = max(len(m.rows)-m.top, m.pageRows(placeFirst))
	}
	pick := !m.chosen && place == placeFirst && strings.TrimSpace(q.Filter) == ""
	m.picking = pick
	if pick || m.section == sectionNow {
		// The Now tab, first on start: one bounded read, not paged.
		now, loc := m.c.Now(), m.c.Local
		coach := m.c.Login.Coach
		read := func() tea.Msg { return readFailed(seq, readNow(ctx, store, q, now, loc, seq, pick, coach)) }
		if pick {
			return read // with the counts
		}
		return tea.Batch(read, m.count()) // the other tabs' counts too: an attempt may have moved someone
	}
	return func() tea.Msg {
		msg := caseloadPageMsg{seq: seq, section: q.Section, place: place}
		page, err := store.Caseload(ctx, q)
		if err != nil {
			return readFailed(seq, caseloadErr(ctx, err))
		}
		msg.page = page
		return msg
	}
}

// count asks for the count of each section for the filter, after the
// rows: with a filter, counting looks at up to a thousand matches, and the
// rows should not wait for it.
func (m *caseload) count() tea.Cmd {
	m.stopCount()
	m.countSeq++
	ctx, cancel := context.WithCancel(m.c.Ctx)
	m.countCancel = cancel
	seq, store, q := m.countSeq, m.c.Store, m.query()
	return func() tea.Msg {
		counts, err := store.CaseloadCounts(ctx, q)
		if err != nil {
			return caseloadErr(ctx, err)
		}
		all, err := store.CaseloadSize(ctx)
		if err != nil {
			return caseloadErr(ctx, err)
		}
		return caseloadCountsMsg{seq: seq, counts: counts, all: all}
	}
}

// countPause is how long typing in the find field must pause before the
// tabs are counted for what it holds.
const countPause = 150 * time.Millisecond

// countDueMsg is countSoon's timer: typing paused, if seq is still the
// latest count asked for.
type countDueMsg struct{ seq int }

// countSoon asks for the counts once typing pauses: each key still reads
// its rows at once, but a burst of keys is counted once, at its end,
// rather than once a key (a count with a filter looks at up to a
// thousand matches, and at a million people they lie far apart). Until
// then the tabs keep the counts they have.
func (m *caseload) countSoon() tea.Cmd {
	if m.counts == nil {
		return m.count() // none yet: the caseload's size says whether it is empty
	}
	m.stopCount() // counting a filter that has changed since
	m.countSeq++
	return m.c.After(countPause, countDueMsg{seq: m.countSeq})
}

func (m *caseload) stopCount() {
	if m.countCancel != nil {
		m.countCancel()
		m.countCancel = nil
	}
}

// caseloadErr is a failed read's message: none if it was stopped for a
// newer one.
func caseloadErr(ctx context.Context, err error) tea.Msg {
	if ctx.Err() != nil {
		return nil
	}
	return errMsg{"Could not read the caseload: " + storage.Explain(err)}
}

// refresh reads the section again from its first row, and its counts.
func (m *caseload) refresh() tea.Cmd {
	m.cursor, m.top = 0, 0
	return tea.Batch(m.read(placeFirst), m.count())
}

func (m *caseload) selected() (storage.CaseloadRow, bool) {
	if m.cursor < 0 || m.cursor >= len(m.rows) {
		return storage.CaseloadRow{}, false
	}
	return m.rows[m.cursor], true
}

// clampTop keeps the selection in view.
func (m *caseload) clampTop() {
	h := m.listHeight()
	m.cursor = max(min(m.cursor, len(m.rows)-1), 0)
	if m.cursor < m.top {
		m.top = m.cursor
	}
	if m.cursor >= m.top+h {
		m.top = m.cursor - h + 1
	}
	m.top = max(min(m.top, len(m.rows)-h), 0)
}

// move moves the selection by d rows within the window held and, when the
// rows shown near either end of it, reads on from there.
func (m *caseload) move(d int) tea.Cmd {
	if len(m.rows) == 0 {
		return nil
	}
	m.cursor += d
	m.clampTop()
	return m.readOn()
}

// readOn reads more when the rows shown come within a screenful of either
// end of the window and the section goes on past it.
func (m *caseload) readOn() tea.Cmd {
	if m.pending {
		return nil
	}
	h := m.listHeight()
	switch {
	case !m.atEnd && m.top+2*h >= len(m.rows):
		return m.read(placeAfter)
	case !m.atStart && m.top < h:
		return m.read(placeBefore)
	}
	return nil
}

// placePage puts a read's rows in the window.
func (m *caseload) placePage(place pagePlace, page storage.CaseloadPage) {
	m.resume = page.Resume
	m.byName = page.ByName
	switch place {
	case placeFirst:
		m.rows, m.atStart, m.atEnd = page.Rows, page.AtStart, page.AtEnd
		m.cursor, m.top = 0, 0
	case placeReplace:
		keep, kept := m.selected()
		m.atStart = m.atStart && m.top == 0 || page.AtStart
		m.rows, m.atEnd = page.Rows, page.AtEnd
		m.cursor, m.top = max(m.cursor-m.top, 0), 0
		for i, r := range m.rows { // the selection stays on its person
			if kept && r.ID == keep.ID {
				m.cursor = i
			}
		}
	case placeLast:
		m.rows, m.atStart, m.atEnd = page.Rows, page.AtStart, true
		m.cursor = len(m.rows) - 1
		m.top = len(m.rows)
	case placeAfter:
		m.rows = append(m.rows, page.Rows...)
		m.atEnd = page.AtEnd
		if drop := len(m.rows) - caseloadWindow; drop > 0 && drop <= m.top {
			m.rows = m.rows[drop:]
			m.cursor, m.top, m.atStart = m.cursor-drop, m.top-drop, false
		}
	case placeBefore:
		m.rows = append(append([]storage.CaseloadRow(nil), page.Rows...), m.rows...)
		m.cursor += len(page.Rows)
		m.top += len(page.Rows)
		m.atStart = page.AtStart
		if len(m.rows) > caseloadWindow && m.top+m.listHeight() < caseloadWindow {
			m.rows, m.atEnd = m.rows[:caseloadWindow], false
		}
	}
	m.clampTop()
}

func (m *caseload) Update(msg tea.Msg) (screen, tea.Cmd) {
	// Before as well as after: what the keys depend on can change between
	// two messages to this screen (who logs in is known at start, after the
	// first frame), and a key typed just then must find its binding on.
	m.syncKeys()
	s, cmd := m.route(msg)
	m.syncKeys()
	return s, cmd
}

func (m *caseload) route(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case caseloadPageMsg:
		if msg.seq != m.seq {
			return m, nil
		}
		m.pending = false
		m.loaded = true
		m.section = msg.section
		m.placePage(msg.place, msg.page)
		if cmd := m.doEarly(); cmd != nil {
			return m, cmd
		}
		// A filtered section that holds few of the matches fills its
		// page over several reads.
		if m.resume != nil && len(m.rows) < m.top+m.listHeight() {
			return m, m.read(placeAfter)
		}
		return m, m.readOn()
	case caseloadReadFailedMsg:
		if msg.seq == m.seq {
			m.pending, m.picking = false, false
		}
		return m, func() tea.Msg { return msg.err }
	case nowCountMsg:
		if m.counts != nil && m.section != sectionNow {
			m.counts[sectionNow] = msg.count
		}
		return m, nil
	case nowPageMsg:
		if msg.seq != m.seq {
			return m, nil
		}
		m.pending, m.picking = false, false
		if msg.counts != nil {
			m.counts, m.all = msg.counts, msg.all
		}
		m.loaded = true
		m.section = msg.section
		if msg.section != sectionNow {
			m.placePage(placeFirst, msg.page)
			if m.counts != nil {
				m.counts[sectionNow] = storage.Count{}
			}
			return m, tea.Batch(m.readOn(), m.doEarly())
		}
		m.placeNow(msg.rows, msg.head, msg.handed)
		return m, tea.Batch(m.nowTick(), m.doEarly())
	case changedMsg:
		if m.opening || !m.loaded {
			return m, nil // it reads again when it is back on top; the first read is under way
		}
		// A read under way may have begun before the change: this one
		// replaces it (read takes a new seq). One picking the section to
		// open on picks again.
		if m.picking {
			return m, m.read(placeFirst)
		}
		return m, tea.Batch(m.read(placeReplace), m.count(), m.nowCount())
	case nowTickMsg:
		m.nowTicking = false
		if m.section != sectionNow || m.opening || m.typing || m.pending {
			return m, nil // read again when the tab is next shown
		}
		return m, m.read(placeReplace)
	case countDueMsg:
		if msg.seq != m.countSeq {
			return m, nil // a later key asked again
		}
		return m, m.count()
	case caseloadCountsMsg:
		if msg.seq != m.countSeq {
			return m, nil
		}
		now := m.counts[sectionNow]
		m.counts, m.all = msg.counts, msg.all
		m.counts[sectionNow] = now
		return m, nil
	case tea.KeyMsg:
		if m.typing {
			return m.updateFilter(msg)
		}
		return m.updateList(msg)
	}
	return m, nil
}

func (m *caseload) updateFilter(msg tea.KeyMsg) (screen, tea.Cmd) {
	switch {
	case key.Matches(msg, m.keys.ClearFilter):
		m.typing = false
		m.filter.Blur()
		m.filter.SetValue("")
		return m, m.restoreSection()
	case key.Matches(msg, m.keys.DoneFilter):
		m.typing = false
		m.filter.Blur()
		return m, nil
	}
	before := m.filter.Value()
	var cmd tea.Cmd
	m.filter, cmd = updateInput(m.filter, msg)
	if m.filter.Value() != before {
		m.cursor, m.top = 0, 0
		return m, tea.Batch(cmd, m.read(placeFirst), m.countSoon())
	}
	return m, cmd
}

func (m *caseload) updateList(msg tea.KeyMsg) (screen, tea.Cmd) {
	h := m.listHeight()
	m.early = nil // a later key takes its place
	switch {
	case key.Matches(msg, m.keys.Quit):
		return m, tea.Quit
	case key.Matches(msg, m.keys.Filter):
		// Finding someone looks through everyone; esc brings the section
		// back.
		m.typing = true
		if m.filter.Value() == "" && m.section != storage.SectionAll {
			m.before, m.section, m.chosen = m.section, storage.SectionAll, true
			return m, tea.Batch(m.filter.Focus(), m.refresh())
		}
		return m, m.filter.Focus()
	case key.Matches(msg, m.keys.ClearFilter):
		if m.filter.Value() != "" {
			m.filter.SetValue("")
			return m, m.restoreSection()
		}
	case key.Matches(msg, m.keys.NextTab):
		return m, m.switchSection(1)
	case key.Matches(msg, m.keys.PrevTab):
		return m, m.switchSection(-1)
	case key.Matches(msg, m.keys.Up):
		return m, m.move(-1)
	case key.Matches(msg, m.keys.Down):
		return m, m.move(1)
	case key.Matches(msg, m.keys.PageUp):
		return m, m.move(-h)
	case key.Matches(msg, m.keys.PageDown):
		return m, m.move(h)
	case key.Matches(msg, m.keys.Home):
		if m.atStart {
			return m, m.move(-len(m.rows))
		}
		return m, m.read(placeFirst)
	case key.Matches(msg, m.keys.End):
		if m.atEnd && m.resume == nil {
			return m, m.move(len(m.rows))
		}
		return m, m.read(placeLast)
	case key.Matches(msg, m.keys.New):
		return m, m.open(newPersonForm(m.c, coaching.Person{}))
	case key.Matches(msg, m.keys.Open):
		if r, ok := m.selected(); ok {
			return m, m.open(newPersonScreen(m.c, r.ID, false))
		}
		if m.pending {
			m.early = &msg
		}
	case key.Matches(msg, m.keys.Call):
		if r, ok := m.selected(); ok {
			return m, m.open(newPersonScreen(m.c, r.ID, true))
		}
		if m.pending {
			m.early = &msg
		}
	case key.Matches(msg, m.keys.Attempt):
		if r, ok := m.selected(); ok {
			return m, m.open(newAttemptScreen(m.c, r.ID))
		}
	case key.Matches(msg, m.keys.Practice):
		return m, m.open(newPracticeScreen(m.c))
	case key.Matches(msg, m.keys.Registry):
		return m, m.open(newRegistryScreen(m.c))
	case key.Matches(msg, m.keys.Team):
		// The reading connections follow the scope from their next read
		// (storage.SetOwnCaseload); every tab and count is read again.
		m.c.Store.SetOwnCaseload(!m.c.Store.OwnCaseload())
		return m, tea.Batch(m.refresh(), m.nowCount())
	}
	return m, nil
}

// doEarly does the enter or c pressed before the rows came, if the rows
// are here now.
func (m *caseload) doEarly() tea.Cmd {
	if m.early == nil || len(m.rows) == 0 {
		return nil
	}
	_, cmd := m.updateList(*m.early) // which clears early
	return cmd
}

// restoreSection goes back to the section the coach was in before finding
// someone, and reads it again.
func (m *caseload) restoreSection() tea.Cmd {
	if m.before != storage.SectionAll {
		m.section, m.before = m.before, storage.SectionAll
	}
	return m.refresh()
}

// switchSection moves to the next (d = 1) or previous (-1) section.
func (m *caseload) switchSection(d int) tea.Cmd {
	i := 0
	for j, t := range sectionTabs {
		if t.section == m.section {
			i = j
		}
	}
	i = (i + d + len(sectionTabs)) % len(sectionTabs)
	m.section, m.chosen = sectionTabs[i].section, true
	m.cursor, m.top = 0, 0
	return m.read(placeFirst)
}
