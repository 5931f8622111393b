package tui

import (
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"callcoach/coaching"
	"callcoach/coaching/measures"
	"callcoach/storage"
)

// The context panel: last time and now, without leaving the notes. Who
// the person is and what time it is for them, their conditions and
// consent, an open safety flag, the plan they are on (with its confidence
// trail and last review), why this contact was set, their latest
// measures, and the last call with its notes. On a wide window it sits
// beside the notes; on a narrow one alt+b shows it in the card's place and
// hides it again. The notes keep the keyboard throughout; alt+↑/↓ scroll
// the panel. It is read once when the call opens (and again when a form
// closes), and drawn in Update, so typing costs the same with it open.

// contextWide is the width from which the panel sits beside the notes.
const contextWide = 110

type (
	callContextMsg struct {
		callID int64
		data   callContextData
	}
	callContextData struct {
		lastCall *coaching.Call
		reviews  map[int64]coaching.PlanReview // latest review of each plan
		scores   []coaching.ConfidenceScore
		followUp *coaching.FollowUp
		// beyond is the open follow-up that stays open when this call
		// ends reaching them (made in it, or since it began): a next
		// contact set now replaces or joins it (storage.OpenBeyondCall).
		beyond   *coaching.FollowUp
		measures []storage.MeasureRecord
		err      string
	}
	// contextPane is the panel's state: what was read, and the lines
	// drawn from it for the width it has.
	contextPane struct {
		shown  bool
		chosen bool // the coach showed or hid it: the window's width no longer decides
		loaded bool
		data   callContextData
		lines  []string
		drawnW int
		key    string // what the lines were drawn from
		top    int
	}
)

// loadContext reads what the panel shows, off the UI goroutine.
func (m *callScreen) loadContext() tea.Cmd {
	c, id, pid := m.c, m.call.ID, m.person.ID
	return func() tea.Msg {
		var d callContextData
		fail := func(what string, err error) tea.Msg {
			d.err = "Could not read " + what + ": " + storage.Explain(err)
			return callContextMsg{id, d}
		}
		calls, err := c.Store.CallsForPerson(c.Ctx, pid, 3)
		if err != nil {
			return fail("the last call", err)
		}
		for i := range calls {
			if calls[i].ID != id {
				d.lastCall = &calls[i]
				break
			}
		}
		if d.scores, err = c.Store.ConfidenceHistory(c.Ctx, pid); err != nil {
			return fail("the confidence scores", err)
		}
		d.reviews = map[int64]coaching.PlanReview{}
		plan, ok, err := c.Store.CurrentPlan(c.Ctx, pid)
		if err != nil {
			return fail("the plan", err)
		}
		if ok {
			rs, err := c.Store.PlanReviews(c.Ctx, plan.ID)
			if err != nil {
				return fail("the plan's reviews", err)
			}
			if len(rs) > 0 {
				d.reviews[plan.ID] = rs[len(rs)-1]
			}
		}
		f, ok, err := c.Store.OpenFollowUp(c.Ctx, pid)
		if err != nil {
			return fail("the next contact", err)
		}
		if ok {
			d.followUp = &f
		}
		b, ok, err := c.Store.OpenBeyondCall(c.Ctx, pid, id)
		if err != nil {
			return fail("the next contact", err)
		}
		if ok {
			d.beyond = &b
		}
		if d.measures, err = c.Store.MeasuresForPerson(c.Ctx, pid); err != nil {
			return fail("the measures", err)
		}
		return callContextMsg{id, d}
	}
}

// contextWidth is the panel's width beside the notes on a wide window.
func contextWidth(w int) int { return max(min(w/3, 60), 36) }

// contextBeside reports whether the panel sits beside the notes.
func (m *callScreen) contextBeside() bool {
	return m.context.shown && m.width >= contextWide
}

// drawContext makes the panel's lines for width w, if what they show or
// the width changed.
func (m *callScreen) drawContext(w int) {
	p := &m.context
	k := fmt.Sprintf("%d|%s|%v|%d", w, planLine(derefPlan(m.plan)), m.flag != nil, m.c.Now().Unix()/60)
	if p.drawnW == w && p.key == k && p.lines != nil {
		return
	}
	p.drawnW, p.key = w, k
	p.lines = m.contextLines(w)
	p.top = max(min(p.top, len(p.lines)-1), 0)
}

func derefPlan(p *coaching.ActionPlan) coaching.ActionPlan {
	if p == nil {
		return coaching.ActionPlan{}
	}
	return *p
}

// contextLines is the panel's content, wrapped to width w.
func (m *callScreen) contextLines(w int) []string {
	st := m.c.Styles
	p, d := m.person, m.context.data
	var out []string
	row := func(style lipgloss.Style, label, text string) {
		if strings.TrimSpace(text) == "" {
			return
		}
		const labelW = 12
		wrapped := lipgloss.NewStyle().Width(max(w-labelW-1, 1)).Render(oneLine(text))
		for i, l := range strings.Split(wrapped, "\n") {
			head := strings.Repeat(" ", labelW)
			if i == 0 {
				head = st.Label.Render(padRight(label, labelW))
			}
			out = append(out, head+" "+style.Render(strings.TrimRight(l, " ")))
		}
	}
	out = append(out, st.Title.Render(clipLine("Last time, and now", w)))
	if !m.context.loaded {
		return append(out, st.Subtle.Render("Reading…"))
	}
	if d.err != "" {
		out = append(out, st.Error.Render(clipLine(d.err, w)))
	}
	now := m.c.Now()
	loc := m.personLoc()
	their := now.In(loc).Format("Mon 15:04")
	if p.TimeZone == "" {
		their += " (time zone not recorded: yours)"
	}
	style := st.App
	if p.CallTimes != "" {
		their += " · prefers " + p.CallTimes
		if cw := coaching.ReadCallWindow(p.CallTimes, loc); cw.Understood() {
			if cw.Contains(now) {
				their += " (now suits them)"
			} else {
				their += " (outside it now)"
				style = st.Warn
			}
		}
	}
	row(style, "Their time", their)
	if p.PreferredName != "" && p.PreferredName != p.Name {
		row(st.App, "Call them", p.PreferredName)
	}
	row(st.App, "Conditions", coaching.FormatConditions(p.Conditions))
	consent := "NOT RECORDED: ask for it at the start"
	if p.Consent {
		consent = "yes"
		if p.ConsentDate != "" {
			consent += ", " + p.ConsentDate
		}
	}
	row(st.App, "Consent", consent)
	if m.flag != nil {
		row(st.Error, "SAFETY", "flag from "+m.flag.RaisedAt.In(m.c.Local).Format("Mon 2 Jan")+": ask how they are since; alt+k clears it")
	}
	if m.plan != nil {
		pl := *m.plan
		row(st.Focused, "Plan", planWords(pl))
		var trail []coaching.ConfidenceScore
		for _, s := range d.scores {
			if s.PlanID == pl.ID || s.PlanID == pl.Replaces && pl.Replaces != 0 {
				trail = append(trail, s)
			}
		}
		more := ""
		if len(trail) > 0 {
			more = "confidence " + coaching.ConfidenceTrend(trail)
		}
		if r, ok := d.reviews[pl.ID]; ok {
			if more != "" {
				more += " · "
			}
			more += "reviewed " + r.At.In(m.c.Local).Format("2 Jan") + ": " + r.Outcome.Label()
		}
		row(st.Subtle, "", more)
	} else {
		row(st.Subtle, "Plan", "none yet")
	}
	if f := d.followUp; f != nil {
		text := coaching.FormatDue(*f, loc, m.c.Local, now)
		if f.Reason != "" {
			text += " · for: " + f.Reason
		}
		row(st.App, "This contact", text)
	}
	for _, inst := range measures.All() {
		var first, last *storage.MeasureRecord
		for i := range d.measures {
			r := &d.measures[i]
			if r.Instrument != string(inst.ID) || !r.Scored {
				continue
			}
			if first == nil {
				first = r
			}
			last = r
		}
		if last == nil {
			continue
		}
		text := fmt.Sprintf("%s %g", inst.Name, last.Total)
		if last.Band != "" {
			text += " " + last.Band
		}
		text += " · " + last.GivenAt.In(m.c.Local).Format("2 Jan")
		if first != last {
			text += fmt.Sprintf(" (first %g, %s)", first.Total, measures.Change(first.Total, last.Total))
		}
		row(st.App, "Measure", text)
	}
	if c := d.lastCall; c != nil {
		head := c.StartedAt.In(m.c.Local).Format("Mon 2 Jan") + " · " + c.Outcome.Label()
		if !c.Unfinished() {
			head += " · " + coaching.FormatLength(c.EndedAt.Sub(c.StartedAt))
		}
		row(st.App, "Last call", head)
		text := c.Summary
		if strings.TrimSpace(c.Notes) != "" {
			text = c.Notes
		}
		if strings.TrimSpace(text) == "" {
			out = append(out, st.Subtle.Render("  no notes were taken"))
		}
		wrapped := lipgloss.NewStyle().Width(max(w-2, 1)).Render(safeBlock(text))
		for _, l := range strings.Split(wrapped, "\n") {
			if strings.TrimSpace(l) != "" || len(out) > 0 {
				out = append(out, "  "+strings.TrimRight(l, " "))
			}
		}
	} else {
		row(st.Subtle, "Last call", "this is the first")
	}
	return out
}

// contextView is the panel's visible lines, h of them, w wide.
func (m *callScreen) contextView(w, h int) []string {
	p := &m.context
	out := make([]string, 0, h)
	for i := p.top; i < len(p.lines) && len(out) < h; i++ {
		out = append(out, padRight(p.lines[i], w))
	}
	if len(p.lines)-p.top > h && h > 0 {
		out[h-1] = padRight(m.c.Styles.Subtle.Render(fmt.Sprintf("  … alt+↓ more (%d of %d)", p.top+h-1, len(p.lines))), w)
	}
	for len(out) < h {
		out = append(out, strings.Repeat(" ", max(w, 0)))
	}
	return out
}

// scrollContext moves the panel's lines by d, within them.
func (m *callScreen) scrollContext(d, h int) {
	p := &m.context
	p.top = max(min(p.top+d, len(p.lines)-h), 0)
}
