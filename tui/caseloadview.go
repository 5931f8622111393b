package tui

// Drawing the caseload: the sections, the find line and one page of rows.

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"callcoach/coaching"
	"callcoach/storage"
)

// tabsView shows the sections with their counts; the current one is in
// brackets, so it reads without colour. Where the full labels do not fit
// the width, short ones do, then tighter spacing, then the count of the
// current section alone. Until the caseload is read they show without
// counts, none current.
func (m *caseload) tabsView() string {
	st := m.c.Styles
	var out string
	for _, try := range []struct {
		short, oneCount bool // short labels; a count on the current tab only
		pad, sep        string
	}{{false, false, " ", " "}, {true, false, " ", " "}, {true, false, "", "  "}, {true, true, "", " "}} {
		var parts []string
		for _, t := range sectionTabs {
			label := t.label
			if try.short {
				label = t.short
			}
			if !m.loaded {
				parts = append(parts, st.Subtle.Render(try.pad+label+try.pad))
				continue
			}
			if !try.oneCount || t.section == m.section {
				label += " " + countText(m.counts[t.section])
			}
			switch {
			case t.section == m.section:
				parts = append(parts, st.Focused.Render("["+label+"]"))
			case t.section == storage.SectionOverdue && m.counts[t.section].N > 0:
				parts = append(parts, st.Warn.Render(try.pad+label+try.pad))
			default:
				parts = append(parts, st.Subtle.Render(try.pad+label+try.pad))
			}
		}
		out = strings.Join(parts, try.sep)
		if lipgloss.Width(out) <= m.width-2 {
			break
		}
	}
	return out
}

func (m *caseload) View() string {
	st := m.c.Styles
	var b strings.Builder
	title := st.Title.Render("Caseload")
	if m.c.Login.Coach {
		title = st.Title.Render(scopeTitle(m.c.Store.OwnCaseload()))
	}
	if m.loaded {
		if m.filter.Value() != "" {
			match := fmt.Sprintf("  %s of %s people match", countText(m.counts[storage.SectionAll]), thousands(m.all))
			if m.byName {
				match += ", listed by name" // too many to sort by when they are due
			}
			title += st.Subtle.Render(match)
		} else {
			title += st.Subtle.Render(fmt.Sprintf("  %s %s", thousands(m.all), plural(m.all, "person", "people")))
		}
		if m.c.Login.Coach && !m.typing {
			// The help line is cut to the width before it gets to t.
			hint := " · t adds the team's pool"
			if !m.c.Store.OwnCaseload() {
				hint = " · t: yours only"
			}
			title += st.Subtle.Render(hint)
		}
	}
	b.WriteString(title)
	b.WriteString("\n")
	if !m.loaded || m.all > 0 {
		b.WriteString(m.tabsView())
		b.WriteString("\n")
	}
	if m.typing || m.filter.Value() != "" {
		b.WriteString(m.filter.View())
	} else {
		b.WriteString(st.Subtle.Render("Press / to find someone by name, phone or condition."))
	}
	b.WriteString("\n")

	if !m.loaded {
		b.WriteString(st.Subtle.Render("Reading…"))
		return b.String()
	}
	if m.all == 0 {
		b.WriteString("\n")
		b.WriteString("No one is on your caseload yet.\n\n")
		if m.c.Login.Coach && m.c.Store.OwnCaseload() {
			b.WriteString("Press " + st.Key.Render("t") + " to see the team's pool too: people no coach has yet.\n")
		}
		b.WriteString("Press " + st.Key.Render("n") + " to add the first person you support.\n")
		b.WriteString(st.Subtle.Render("Only a name is needed; the rest can be filled in later.") + "\n\n")
		b.WriteString(st.Subtle.Render("To look around with sample people first, quit and run: callcoach demo"))
		return b.String()
	}
	if m.section == sectionNow {
		m.nowView(&b)
		return b.String()
	}
	if len(m.rows) == 0 {
		b.WriteString("\n")
		if m.pending || m.resume != nil {
			b.WriteString(st.Subtle.Render("Looking…"))
			return b.String()
		}
		if m.filter.Value() != "" {
			b.WriteString(fmt.Sprintf("No one here matches “%s”.\n", oneLine(m.filter.Value())))
			b.WriteString(st.Subtle.Render(ansi.Wrap("Try part of a name, a phone number or a condition; tab looks in the next section; esc clears the search.", max(m.width-2, 1), "")))
		} else {
			b.WriteString(st.Subtle.Render("No one in this section. tab shows the next one."))
		}
		return b.String()
	}

	nameW, lastW := m.columns()
	const confW = 4
	condW := max(m.width-2-nameW-1-confW-1-lastW-1, 0)
	whenTitle := "Last call"
	if m.section == storage.SectionOverdue || m.section == storage.SectionDueToday || m.section == storage.SectionUpcoming {
		whenTitle = "Next call"
	}
	header := "  " + padRight("Name", nameW) + " " + padRight("Plan or conditions", condW) + " " + padRight("Conf", confW) + " " + padRight(whenTitle, lastW)
	b.WriteString(st.Header.Render(clipLine(header, m.width)))
	now := m.c.Now()
	shown := 0
	for i := m.top; i < m.top+m.listHeight() && i < len(m.rows); i++ {
		b.WriteString("\n")
		shown++
		r := m.rows[i]
		what := r.ActivePlan
		if what == "" {
			what = coaching.FormatConditions(r.Conditions)
		}
		conf := "—"
		if r.LastConfidence != coaching.NoScore {
			conf = fmt.Sprint(r.LastConfidence)
		}
		when := lastCallText(r, now, m.c.Local)
		if whenTitle == "Next call" && !r.NextDue.IsZero() {
			when = dueText(r.NextDue, now, m.c.Local)
		}
		line := padRight(oneLine(rowName(r)), nameW) + " " +
			padRight(oneLine(what), condW) + " " + padRight(conf, confW) + " " +
			padRight(when, lastW)
		if i == m.cursor {
			b.WriteString(st.Selected.Render("> " + line))
		} else {
			b.WriteString("  " + line)
		}
	}
	if shown < m.listHeight() && (!m.atEnd || m.resume != nil) {
		b.WriteString("\n" + st.Subtle.Render("  …")) // more are on their way
	}
	return b.String()
}

// countText shows a count, "1,000+" when counting stopped.
func countText(c storage.Count) string {
	if c.More {
		return thousands(c.N) + "+"
	}
	return thousands(c.N)
}

// thousands writes n with commas between thousands: 1,000,000.
func thousands(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// columns shares the width between name, conditions and last call, giving
// the name priority on narrow terminals.
func (m *caseload) columns() (nameW, lastW int) {
	avail := max(m.width-2, 0)
	switch {
	case avail >= 70:
		return 26, 22
	case avail >= 40:
		return avail * 2 / 5, avail / 3
	default:
		return avail, 0
	}
}

func rowName(r storage.CaseloadRow) string {
	name := r.Name
	if r.PreferredName != "" && r.PreferredName != r.Name {
		name += " (" + r.PreferredName + ")"
	}
	if r.Status != coaching.StatusActive && r.Status != "" {
		name += " [" + string(r.Status) + "]"
	}
	if r.SafetyFlag {
		name = "[SAFETY] " + name
	}
	return name
}

func lastCallText(r storage.CaseloadRow, now time.Time, loc *time.Location) string {
	if r.OpenCall {
		return "unfinished call"
	}
	if r.LastCallAt.IsZero() {
		return "never called"
	}
	return shortDate(r.LastCallAt, now, loc) + " " + r.LastOutcome.Label()
}

// shortDate shows a past time briefly: the time today, the day and month
// this year, the full date otherwise.
func shortDate(t, now time.Time, loc *time.Location) string {
	t, now = t.In(loc), now.In(loc)
	switch {
	case t.Year() == now.Year() && t.YearDay() == now.YearDay():
		return "today " + t.Format("15:04")
	case t.Year() == now.Year():
		return t.Format("2 Jan")
	default:
		return t.Format("2 Jan 2006")
	}
}

// dueText shows when a follow-up is due, in the coach's time: the time if
// today, the day and time this week, else the date; "late" when past.
func dueText(due, now time.Time, loc *time.Location) string {
	d, n := due.In(loc), now.In(loc)
	text := ""
	switch {
	case d.Year() == n.Year() && d.YearDay() == n.YearDay():
		text = "today " + d.Format("15:04")
	case d.Sub(n) < 6*24*time.Hour && d.After(n):
		text = d.Format("Mon 15:04")
	default:
		text = d.Format("2 Jan 15:04")
	}
	if due.Before(now) {
		text += " late"
	}
	return text
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// scopeTitle is the caseload's title for a coach on a team database:
// whose people it lists (t changes it).
func scopeTitle(own bool) string {
	if own {
		return "Your caseload"
	}
	return "Your caseload and the team's pool"
}
