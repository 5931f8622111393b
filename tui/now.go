package tui

// The Now view: the caseload's first tab, whom to call now in queue order
// (docs/queue.md): an open safety flag, then overdue, due now, later
// today; inside their call window first. Its rows come from one read of
// storage.NowQueue, bounded, not paged.

import (
	"context"
	"fmt"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"callcoach/coaching"
	"callcoach/storage"
)

// sectionNow is the Now tab among the caseload's sections. It is the
// caseload screen's own: storage is never asked for it as a section.
const sectionNow storage.Section = -1

// nowLimit is the most people the Now tab lists: more than a day's calls.
const nowLimit = 100

// nowEvery is how often the Now tab reads itself again while it is shown:
// windows open and close, and later today becomes due now, with time.
const nowEvery = time.Minute

// nowTickMsg asks the Now tab to read itself again.
type nowTickMsg struct{}

// nowPageMsg answers a read of the Now view.
type nowPageMsg struct {
	seq  int
	rows []storage.QueueRow
	head storage.NowSummary
	// handed are the people other coaches handed to this one, not yet
	// opened: listed first (a coach's login on a team database only).
	handed []storage.HandedOver
	// picked: this read chose the tab on start; with nobody to call the
	// caseload opens on a section instead (section).
	picked  bool
	section storage.Section
	page    storage.CaseloadPage
	counts  map[storage.Section]storage.Count
	all     int
}

// readNow reads the Now view. With pick, it is the start: if nobody is to
// be called now it reads the section the caseload would open on instead.
// coach: this is a coach's login on a team database, whose hand-overs
// come first.
func readNow(ctx context.Context, store *storage.Store, q storage.CaseloadQuery, now time.Time, loc *time.Location, seq int, pick, coach bool) tea.Msg {
	d := coaching.NewCoachDay(now, loc)
	rows, err := store.NowQueue(ctx, d, loc, nowLimit)
	if err != nil {
		return caseloadErr(ctx, err)
	}
	head, err := store.NowHeader(ctx, d, loc)
	if err != nil {
		return caseloadErr(ctx, err)
	}
	msg := nowPageMsg{seq: seq, rows: rows, head: head, section: sectionNow}
	if coach {
		if msg.handed, err = store.UnseenHandOvers(ctx); err != nil {
			return caseloadErr(ctx, err)
		}
	}
	if !pick {
		return msg
	}
	msg.picked = true
	counts, err := store.CaseloadCounts(ctx, q)
	if err != nil {
		return caseloadErr(ctx, err)
	}
	msg.counts, msg.all = counts, counts[storage.SectionAll].N
	if len(rows) > 0 || len(msg.handed) > 0 {
		return msg
	}
	q.Section = storage.SectionAll
	if d, ok := coaching.OpensOn(func(d coaching.DueState) int { return counts[storage.DueSection(d)].N }); ok {
		q.Section = storage.DueSection(d)
	}
	msg.section = q.Section
	if msg.page, err = store.Caseload(ctx, q); err != nil {
		return caseloadErr(ctx, err)
	}
	return msg
}

// placeNow puts the Now view's rows in the caseload's window: the rows
// the selection moves over are the same people, in the same order. The
// people handed over come first, each once: a handed person who is also
// due is listed among the handed.
func (m *caseload) placeNow(rows []storage.QueueRow, head storage.NowSummary, handed []storage.HandedOver) {
	keep := int64(0)
	if r, ok := m.selected(); ok && m.section == sectionNow {
		keep = r.ID
	}
	m.nowHead = head
	m.nowHanded, m.nowRows = nowPeople(handed, rows)
	m.rows = make([]storage.CaseloadRow, 0, len(m.nowHanded)+len(m.nowRows))
	for _, h := range m.nowHanded {
		m.rows = append(m.rows, storage.CaseloadRow{ID: h.PersonID, Name: h.Person})
	}
	for _, r := range m.nowRows {
		m.rows = append(m.rows, storage.CaseloadRow{ID: r.PersonID, Name: r.Name, NextDue: r.NextDue, SafetyFlag: r.Flagged})
	}
	m.cursor = 0
	for i, r := range m.rows {
		if r.ID == keep {
			m.cursor = i
		}
	}
	m.atStart, m.atEnd, m.resume, m.byName = true, true, nil, false
	if m.counts == nil {
		m.counts = map[storage.Section]storage.Count{}
	}
	m.counts[sectionNow] = storage.Count{N: len(m.rows), More: len(rows) == nowLimit}
	m.clampTop()
}

// nowPeople is whom the Now view lists, in order: the people handed to
// this coach, each once with their newest hand-over (handed is newest
// first), then the queue's people not listed already.
func nowPeople(handed []storage.HandedOver, rows []storage.QueueRow) ([]storage.HandedOver, []storage.QueueRow) {
	var first []storage.HandedOver
	var rest []storage.QueueRow
	listed := map[int64]bool{}
	for _, h := range handed {
		if !listed[h.PersonID] {
			listed[h.PersonID] = true
			first = append(first, h)
		}
	}
	for _, r := range rows {
		if !listed[r.PersonID] {
			rest = append(rest, r)
		}
	}
	return first, rest
}

// nowTick keeps the Now tab current: one timer at a time.
func (m *caseload) nowTick() tea.Cmd {
	if m.nowTicking {
		return nil
	}
	m.nowTicking = true
	return m.c.After(nowEvery, nowTickMsg{})
}

// DayAtAGlance is the Now view's header, which callcoach next prints too:
// "3 flagged · 12 overdue · 8 due today · made 5, reached 2 today".
func DayAtAGlance(h storage.NowSummary) string {
	n := func(v int, capped bool) string {
		if capped {
			return thousands(v) + "+"
		}
		return thousands(v)
	}
	return fmt.Sprintf("%s flagged · %s overdue · %s due today · made %d, reached %d today",
		n(h.Flagged, h.Capped.Flagged), n(h.Overdue, h.Capped.Overdue), n(h.DueToday, h.Capped.DueToday), h.Made, h.Reached)
}

// nowColumns shares the width between the Now view's columns; a column
// that does not fit is left out, the least needed first (last outcome,
// tries, their time).
type nowColumns struct{ name, why, clock, window, tries, last int }

func nowLayout(width int) nowColumns {
	avail := max(width-2, 0)
	c := nowColumns{why: 8, clock: 10, window: 10, tries: 5, last: 12}
	fixed := func() int {
		n := 0
		for _, w := range []int{c.why, c.clock, c.window, c.tries, c.last} {
			if w > 0 {
				n += w + 1
			}
		}
		return n
	}
	for _, drop := range []*int{&c.last, &c.tries, &c.clock, &c.window} {
		if avail-fixed() >= 16 {
			break
		}
		*drop = 0
	}
	c.name = max(avail-fixed(), 0)
	if c.name > 30 {
		c.last += c.name - 30
		c.name = 30
	}
	return c
}

// windowWords is whether now is inside their call window, in words (the
// queue must read without colour).
func windowWords(s coaching.WindowState) string {
	switch s {
	case coaching.InsideWindow:
		return "in window"
	case coaching.OutsideWindow:
		return "outside"
	}
	return "not known"
}

// tierWords is a queue tier in a few letters.
func tierWords(t coaching.QueueTier) string {
	switch t {
	case coaching.TierFlagged:
		return "flag"
	case coaching.TierOverdue:
		return "overdue"
	case coaching.TierDue:
		return "due now"
	case coaching.TierLaterToday:
		return "later"
	}
	return ""
}

// nowView draws the Now view's header and rows under the caseload's title,
// tabs and find line.
func (m *caseload) nowView(b *strings.Builder) {
	st := m.c.Styles
	day := DayAtAGlance(m.nowHead)
	for _, r := range m.nowRows {
		if !r.Consent {
			day += " · ! no consent recorded"
			break
		}
	}
	if n := len(m.nowHanded); n > 0 {
		day = fmt.Sprintf("%d handed to you · ", n) + day
	}
	b.WriteString(st.Subtle.Render(clipLine(day, m.width)))
	if len(m.nowRows) == 0 && len(m.nowHanded) == 0 {
		b.WriteString("\n\n")
		b.WriteString("Nobody to call now: no safety flags, nothing overdue or due today.\n")
		b.WriteString(st.Subtle.Render("tab shows the other sections; / finds someone."))
		return
	}
	c := nowLayout(m.width)
	col := func(text string, w int) string {
		if w == 0 {
			return ""
		}
		return " " + padRight(text, w)
	}
	// Tries: attempts today / in the last seven days.
	header := "  " + padRight("Name", c.name) + col("Why", c.why) + col("Their time", c.clock) + col("Window", c.window) +
		col("Tries", c.tries) + col("Last", c.last)
	b.WriteString("\n")
	b.WriteString(st.Header.Render(clipLine(header, m.width)))
	now := m.c.Now()
	handed := len(m.nowHanded)
	for i := m.top; i < m.top+m.listHeight() && i < handed+len(m.nowRows); i++ {
		if i < handed {
			b.WriteString("\n")
			line := m.handedLine(m.nowHanded[i], c)
			if i == m.cursor {
				b.WriteString(st.Selected.Render("> " + line))
			} else {
				b.WriteString("  " + line)
			}
			continue
		}
		r := m.nowRows[i-handed]
		name := r.Name
		if r.Flagged {
			name = "[SAFETY] " + name
		}
		if !r.Consent {
			name += " !" // no consent recorded: the day line says so
		}
		clock := now.In(r.Window.Location()).Format("Mon 15:04")
		last := ""
		if r.LastOutcome != coaching.OutcomeNone {
			last = r.LastOutcome.Label()
		}
		line := padRight(oneLine(name), c.name) + col(tierWords(r.Tier), c.why) + col(clock, c.clock) +
			col(windowWords(r.Window.State(now)), c.window) + col(fmt.Sprintf("%d/%d", r.AttemptsToday, r.AttemptsThisWeek), c.tries) +
			col(last, c.last)
		b.WriteString("\n")
		if i == m.cursor {
			b.WriteString(st.Selected.Render("> " + line))
		} else {
			b.WriteString("  " + line)
		}
	}
}

// handedLine is a Now row for a person handed to this coach: their name,
// "handed", and who handed them over, with the start of the note; the
// note in full is on the person's page.
func (m *caseload) handedLine(h storage.HandedOver, c nowColumns) string {
	line := padRight(oneLine(h.Person), c.name)
	if c.why > 0 {
		line += " " + padRight("handed", c.why)
	}
	from := "from " + h.From + " " + h.At.In(m.c.Local).Format("2 Jan")
	if h.Note != "" {
		from += ": " + h.Note
	}
	rest := max(m.width-2-lipgloss.Width(line)-1, 0)
	return line + " " + clipLine(oneLine(from), rest)
}

// nowCountMsg is how many the Now tab would list, read again for its tab
// while another tab is shown.
type nowCountMsg struct{ count storage.Count }

// nowCount reads the Now tab's count when another tab is shown: whoever
// was just erased, called or logged may have left it. The Now tab itself
// counts its rows as it reads them.
func (m *caseload) nowCount() tea.Cmd {
	if m.section == sectionNow {
		return nil
	}
	store, ctx, now, loc, coach := m.c.Store, m.c.Ctx, m.c.Now(), m.c.Local, m.c.Login.Coach
	return func() tea.Msg {
		rows, err := store.NowQueue(ctx, coaching.NewCoachDay(now, loc), loc, nowLimit)
		if err != nil {
			return nil // the tab keeps its count until the Now tab is read
		}
		var handed []storage.HandedOver
		if coach {
			if handed, err = store.UnseenHandOvers(ctx); err != nil {
				return nil
			}
		}
		first, rest := nowPeople(handed, rows)
		return nowCountMsg{storage.Count{N: len(first) + len(rest), More: len(rows) == nowLimit}}
	}
}
