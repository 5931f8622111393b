package tui

// Drawing the person screen: the profile, the list of calls or plans, and
// the selected call's notes or plan in full.

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"callcoach/coaching"
	"callcoach/coaching/measures"
	"callcoach/storage"
)

// profileLines are the label/value rows of the profile block.
func (m *personScreen) profileLines() []string {
	p := m.person
	st := m.c.Styles
	now := m.c.Now()
	tz := p.TimeZone
	if tz != "" {
		if loc, err := time.LoadLocation(tz); err == nil {
			tz += fmt.Sprintf(" (%s there now)", now.In(loc).Format("Mon 15:04"))
		}
	}
	consent := "not recorded"
	if p.Consent {
		consent = "yes"
		if p.ConsentDate != "" {
			consent += ", given " + p.ConsentDate
		}
	}
	rows := [][2]string{
		{"Official", p.OfficialName()}, // the name as their records split it, family first
		{"Phone", p.Phone},
		{"Time zone", tz},
		{"Conditions", coaching.FormatConditions(p.Conditions)},
		{"Call times", p.CallTimes},
		{"Needs", p.CommunicationNeeds},
		{"Consent", consent},
		{"Record no.", recordNumber(p)},
		{"Plan", m.currentPlanText()},
		{"Next call", m.followUpText()},
		{"Confidence", coaching.ConfidenceTrend(m.scores)},
	}
	rows = append(rows, m.measureLines()...)
	var out []string
	if m.handed != nil {
		// The note in full, up to a few lines: it is what the new coach
		// needs first.
		w := max(m.width-12, 10)
		lines := strings.Split(ansi.Wrap(oneLine(handedText(*m.handed, m.c.Local)), w, ""), "\n")
		if len(lines) > handedLines {
			lines = lines[:handedLines]
			lines[handedLines-1] = clipLine(lines[handedLines-1]+" …", w)
		}
		for i, l := range lines {
			label := ""
			if i == 0 {
				label = "Handed over"
			}
			out = append(out, st.Label.Render(padRight(label, 11))+" "+l)
		}
	}
	// On a short window, rows with nothing in them give their line to the
	// calls and notes.
	compact := m.height < 30
	for _, r := range rows {
		v := r[1]
		if v == "" {
			if compact {
				continue
			}
			v = st.Subtle.Render("—")
		} else {
			v = oneLine(v)
		}
		out = append(out, st.Label.Render(padRight(r[0], 11))+" "+v)
	}
	return out
}

// measureLines are one row per instrument given: its totals over time as a
// chart that reads without colour, the latest band, and the change since
// the first.
func (m *personScreen) measureLines() [][2]string {
	var out [][2]string
	for _, inst := range measures.All() {
		var totals []float64
		band := ""
		for _, r := range m.measures {
			if r.Instrument == string(inst.ID) && r.Scored {
				totals = append(totals, r.Total)
				band = r.Band
			}
		}
		if len(totals) == 0 {
			continue
		}
		text := measures.Sparkline(totals, inst.Chart())
		if band != "" {
			text += " · " + band
		}
		if len(totals) > 1 {
			text += " · " + measures.Change(totals[0], totals[len(totals)-1])
		}
		out = append(out, [2]string{inst.Name, text})
	}
	return out
}

func (m *personScreen) currentPlanText() string {
	if p, ok := coaching.CurrentPlan(m.plans); ok {
		return planLine(p)
	}
	return ""
}

func (m *personScreen) followUpText() string {
	if m.followUp == nil {
		return ""
	}
	f := *m.followUp
	text := coaching.FormatDue(f, m.personLoc(), m.c.Local, m.c.Now())
	if coaching.Due(f, m.c.Now(), m.c.Local) == coaching.Overdue {
		text += " · OVERDUE"
	}
	if f.Reason != "" {
		text += " · " + f.Reason
	}
	return text
}

func (m *personScreen) personLoc() *time.Location { return m.person.Zone(m.c.Local) }

// callRows is how many lines the call list may take.
func (m *personScreen) callRows() int {
	free := m.height - 1 - len(m.profileLines()) - 2 // title, profile, "Calls" header, notes title
	n := len(m.calls)
	if m.showPlans {
		n = len(m.plans)
	}
	rows := min(n, 6)
	if free < 6 {
		rows = min(rows, max(free/2, 1))
	}
	return max(rows, 1)
}

func (m *personScreen) layoutNotes() {
	if !m.loaded {
		return
	}
	used := 1 + len(m.profileLines()) + 1 + m.callRows() + 1
	h := max(m.height-used, 0)
	w := max(m.width, 1)
	m.notes.Width, m.notes.Height = w, h
	id, text, ok := m.detail()
	if !ok {
		m.notes.SetContent("")
		m.notesFor = -1
		return
	}
	if id == m.notesFor && w == m.notesWidth {
		return
	}
	m.notesFor, m.notesWidth = id, w
	m.notes.SetContent(lipgloss.NewStyle().Width(w).Render(text))
	m.notes.GotoTop()
}

// detail is what the lower pane shows for the selection: a call's summary
// (or its notes), or a plan in full. The id tells calls from plans apart
// for the pane's cache.
func (m *personScreen) detail() (int64, string, bool) {
	if m.showPlans {
		if m.planCursor < 0 || m.planCursor >= len(m.plans) {
			return 0, "", false
		}
		p := m.plans[m.planCursor]
		return -p.ID - 1, safeBlock(m.planDetail(p)), true
	}
	c, ok := m.selectedCall()
	if !ok {
		return 0, "", false
	}
	text := c.Summary
	if strings.TrimSpace(text) == "" {
		text = c.Notes
	}
	if strings.TrimSpace(text) == "" {
		return c.ID, m.c.Styles.Subtle.Render("No notes were taken on this call."), true
	}
	return c.ID, safeBlock(text), true
}

// planDetail writes a plan out in full, with its confidence scores.
func (m *personScreen) planDetail(p coaching.ActionPlan) string {
	var b strings.Builder
	row := func(label, v string) {
		if strings.TrimSpace(v) != "" {
			fmt.Fprintf(&b, "%-12s %s\n", label, v)
		}
	}
	row("Area", p.Behaviour.Label())
	row("What", p.What)
	row("How much", p.HowMuch)
	row("When", p.When)
	row("Where", p.Where)
	if p.DaysPerWeek > 0 {
		row("Days a week", fmt.Sprint(p.DaysPerWeek))
	}
	row("Start", p.StartDate)
	row("Review", p.ReviewDate)
	for _, br := range p.Barriers {
		row("Barrier", br.Barrier+" → "+br.Solution)
	}
	row("Backup", p.Backup)
	row("Their words", p.Commitment)
	var scores []string
	for _, sc := range m.scores {
		if sc.PlanID == p.ID {
			scores = append(scores, fmt.Sprint(sc.Score))
		}
	}
	row("Confidence", strings.Join(scores, " → "))
	row("Status", m.planOutcome(p))
	if r, ok := m.reviews[p.ID]; ok {
		row("Helped", r.Helped)
		row("In the way", r.GotInWay)
	}
	row("Made", p.CreatedAt.In(m.c.Local).Format("Mon 2 Jan 2006 15:04"))
	if p.Replaces != 0 {
		row("Revises", m.planName(p.Replaces))
	}
	return b.String()
}

// planName names a plan of this person by its date and what.
func (m *personScreen) planName(id int64) string {
	for _, p := range m.plans {
		if p.ID == id {
			return p.CreatedAt.In(m.c.Local).Format("2 Jan") + " " + p.What
		}
	}
	return fmt.Sprintf("plan %d", id)
}

func (m *personScreen) View() string {
	st := m.c.Styles
	if !m.loaded {
		return st.Subtle.Render("Opening…")
	}
	var b strings.Builder
	p := m.person
	title := st.Title.Render(oneLine(p.Name))
	if p.PreferredName != "" && p.PreferredName != p.Name {
		title += st.Subtle.Render(" · likes to be called ") + oneLine(p.PreferredName)
	}
	if p.Status != coaching.StatusActive {
		title += st.Warn.Render(" · " + string(p.Status))
	}
	if m.flag != nil {
		title += st.Error.Render(" · SAFETY FLAG " + m.flag.RaisedAt.In(m.c.Local).Format("2 Jan") + ": review it at the next call")
	}
	title += st.Subtle.Render(fmt.Sprintf(" · no. %d", p.ID)) // what --person takes
	b.WriteString(title)
	if m.progress.on {
		for _, l := range m.progressLines() {
			b.WriteString("\n" + l)
		}
		return b.String()
	}
	for _, l := range m.profileLines() {
		b.WriteString("\n" + l)
	}
	b.WriteString("\n")
	switch {
	case m.choosing:
		var parts []string
		for i, inst := range measures.All() {
			parts = append(parts, fmt.Sprintf("%d %s", i+1, inst.Name))
		}
		b.WriteString(st.Focused.Render("Which measure? ") + strings.Join(parts, " · "))
	case m.correcting:
		c, _ := m.selectedCall()
		// Two lines: the notes below give one up while this is asked.
		b.WriteString(st.Focused.Render("How did the call of "+c.StartedAt.In(m.c.Local).Format("2 Jan 15:04")+" end? (esc: as it was)") + "\n" +
			clipLine(shortOutcomeLine(), m.width))
	case m.busy != nil:
		b.WriteString(st.Warn.Render("Open in another callcoach since " + m.busy.holder.Since.In(m.c.Local).Format("15:04") +
			" (" + oneLine(m.busy.holder.Where()) + ")."))
	case m.outside:
		w := m.theirWindow()
		now := m.c.Now()
		// Two lines, as when correcting an outcome.
		b.WriteString(st.Warn.Render(clipLine(oneLine(fmt.Sprintf("It is %s for %s, outside their call window. Call anyway?",
			now.In(w.Location()).Format("15:04"), m.person.DisplayName())), m.width)) + "\n" +
			st.Subtle.Render(clipLine(strings.TrimPrefix(w.Describe(now, m.c.Local), "outside: "), m.width)))
	case m.asking:
		c, _ := m.openCall()
		b.WriteString(st.Warn.Render(fmt.Sprintf("There is an unfinished call from %s. Continue it, or start a new call?",
			c.StartedAt.In(m.c.Local).Format("Mon 2 Jan 15:04"))))
	case m.showPlans:
		b.WriteString(st.Header.Render(fmt.Sprintf("Plans (%d)", len(m.plans))) + st.Subtle.Render(fmt.Sprintf("   calls (%d): tab", len(m.calls))))
	default:
		b.WriteString(st.Header.Render(fmt.Sprintf("Calls (%d)", len(m.calls))) + st.Subtle.Render(fmt.Sprintf("   plans (%d): tab", len(m.plans))))
	}
	if m.showPlans {
		m.planRows(&b)
	} else if !m.callRowsView(&b) {
		return b.String()
	}
	b.WriteString("\n")
	if id, _, ok := m.detail(); ok {
		var label string
		if id < 0 {
			label = "Plan in full"
		} else if c, ok := m.selectedCall(); ok {
			label = "Notes from " + c.StartedAt.In(m.c.Local).Format("Mon 2 Jan 15:04")
			if c.Summary != "" {
				label = "Summary of " + c.StartedAt.In(m.c.Local).Format("Mon 2 Jan 15:04")
			}
		}
		if pct := m.notes.ScrollPercent(); m.notes.TotalLineCount() > m.notes.Height && m.notes.Height > 0 {
			label += fmt.Sprintf("  (%d%%, pgup/pgdn to scroll)", int(pct*100))
		}
		b.WriteString(st.Header.Render(label))
	}
	if m.notes.Height > 0 {
		b.WriteString("\n" + m.notes.View())
	}
	return b.String()
}

// callRowsView lists the calls; false when there are none to show.
func (m *personScreen) callRowsView(b *strings.Builder) bool {
	st := m.c.Styles
	if len(m.calls) == 0 {
		b.WriteString("\n" + st.Subtle.Render("No calls yet. Press c to start the first one."))
		return false
	}
	rows := m.callRows()
	first := max(m.cursor-rows+1, 0)
	now := m.c.Now()
	for i := first; i < first+rows && i < len(m.calls); i++ {
		c := m.calls[i]
		when := c.StartedAt.In(m.c.Local).Format("Mon _2 Jan 2006 15:04")
		outcome, length := c.Outcome.Label(), coaching.FormatLength(c.Duration(now))
		if c.Unfinished() {
			outcome, length = "UNFINISHED", ""
		}
		line := fmt.Sprintf("%s  %-14s %10s  %s", when, outcome, length, oneLine(coaching.NotesPreview(c.Notes)))
		b.WriteString("\n" + m.row(line, i == m.cursor))
	}
	return true
}

// planRows lists the plans newest first as a chain: a plan that revises
// another is marked with ↳, and each shows its confidence and outcome.
func (m *personScreen) planRows(b *strings.Builder) {
	st := m.c.Styles
	if len(m.plans) == 0 {
		b.WriteString("\n" + st.Subtle.Render("No plans yet. Press p to write one with them, or alt+l during a call."))
		return
	}
	rows := m.callRows()
	first := max(m.planCursor-rows+1, 0)
	for i := first; i < first+rows && i < len(m.plans); i++ {
		p := m.plans[i]
		mark := "  "
		if p.Replaces != 0 {
			mark = "↳ "
		}
		conf := "—"
		if p.Confidence != coaching.NoScore {
			conf = fmt.Sprint(p.Confidence)
		}
		line := fmt.Sprintf("%s  %-22s conf %-2s %s%s", p.CreatedAt.In(m.c.Local).Format("Mon _2 Jan 2006"),
			m.planOutcome(p), conf, mark, oneLine(p.What))
		b.WriteString("\n" + m.row(line, i == m.planCursor))
	}
}

// planOutcome is the plan's status with, once it was reviewed, how it went:
// "partly done → revised".
func (m *personScreen) planOutcome(p coaching.ActionPlan) string {
	r, ok := m.reviews[p.ID]
	if !ok || r.Outcome == p.Status {
		return p.Status.Label()
	}
	return r.Outcome.Label() + " → " + p.Status.Label()
}

func (m *personScreen) row(line string, selected bool) string {
	if selected {
		return m.c.Styles.Selected.Render(clipLine("> "+line, m.width))
	}
	return clipLine("  "+line, m.width)
}

// shortOutcomeLine is the outcome keys in as little room as they fit:
// "r reached, n no answer, v voicemail, ...".
func shortOutcomeLine() string {
	var parts []string
	for _, o := range coaching.OutcomeChoices {
		parts = append(parts, o.Key+" "+strings.TrimPrefix(o.Label, "left "))
	}
	return strings.Join(parts, ", ")
}

// recordNumber is the organisation's number for them, with the numbering
// it belongs to: "943 476 5919 (https://fhir.nhs.uk/Id/nhs-number)".
func recordNumber(p coaching.Person) string {
	if p.Identifier == "" {
		return ""
	}
	return p.Identifier + " (" + p.IdentifierSystem + ")"
}

// handedLines bounds the lines a hand-over takes on the person's page.
const handedLines = 4

// handedText is a person's latest hand-over in a line: to whom, by whom,
// when, and its note.
func handedText(h storage.HandedOver, local *time.Location) string {
	to := "to the team's pool"
	switch {
	case h.ToYou:
		to = "to you"
	case h.To != "":
		to = "to " + h.To
	}
	text := to + " by " + h.From + ", " + h.At.In(local).Format("Mon 2 Jan 15:04")
	if h.Note != "" {
		text += ": " + h.Note
	}
	return text
}
