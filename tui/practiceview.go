package tui

// The coach's own practice as plain text: the tables and week-by-week
// charts that the My practice screen shows and `callcoach report` prints.
// Only counts: no names, notes or quotes. The charts are rows of block
// characters with the thresholds drawn as ┊ in the empty part, so they read
// the same without colour.

import (
	"fmt"
	"strings"
	"time"

	"callcoach/coaching"
)

// PracticeReport is p as lines of plain text, none wider than 78 cells.
func PracticeReport(p coaching.Practice) []string {
	var out []string
	add := func(format string, a ...any) { out = append(out, fmt.Sprintf(format, a...)) }
	last := p.To.Add(-time.Nanosecond)
	add("Your practice, %s to %s (%d %s, from Monday)", p.From.Format("Mon 2 Jan 2006"), last.Format("Mon 2 Jan 2006"),
		len(p.Weeks), plural(len(p.Weeks), "week", "weeks"))
	add("Counts only: no names, notes or quotes.")
	out = append(out, "")
	add("%-12s %6s %7s %7s %6s %4s %9s %10s", "Week of", "Calls", "Reached", "Minutes", "Plans", "7+", "On time", "Talk/call")
	row := func(label string, c coaching.PracticeCounts) {
		add("%-12s %6d %7d %7d %6d %4d %9s %10s", label, c.Calls, c.Reached, c.Minutes(), c.Plans, c.PlansConfident,
			onTime(c), c.FormatChangeTalkPerCall())
	}
	for _, w := range p.Weeks {
		row(weekLabel(w), w.PracticeCounts)
	}
	row("All weeks", p.Total)
	out = append(out, "")
	add("MI tally against MITI 4.2.1 (R:Q fair %.0f, good %.0f; %%CR fair %.0f%%, good %.0f%%)",
		coaching.RQFair, coaching.RQGood, coaching.PctComplexFair*100, coaching.PctComplexGood*100)
	add("%-12s %4s %9s %-16s %4s %9s %-16s", "Week of", "R:Q", "R/Q", "", "%CR", "CR/R", "")
	mi := func(label string, c coaching.PracticeCounts) {
		t := c.Tally
		rq, pct := c.RQ(), c.PercentComplex()
		add("%-12s %4s %9s %-16s %4s %9s %-16s", label, rq.FormatRQ(), fmt.Sprintf("%d/%d", t.Reflections(), t.Questions()),
			c.Verdict(rq), pct.FormatPercent(), fmt.Sprintf("%d/%d", t[coaching.TallyComplexReflect], t.Reflections()), c.Verdict(pct))
	}
	for _, w := range p.Weeks {
		mi(weekLabel(w), w.PracticeCounts)
	}
	mi("All weeks", p.Total)
	out = append(out, "")
	out = append(out, PracticeCharts(p, 78)...)
	for i, l := range out {
		out[i] = strings.TrimRight(l, " ")
	}
	return out
}

// PracticeCharts are the week-by-week charts of calls reached and of R:Q,
// each row at most width cells.
func PracticeCharts(p coaching.Practice, width int) []string {
	const label, tail = 12, 24 // "Mon 30 Nov  " and " 1.3 too few to judge"
	bar := max(10, width-label-tail)
	most := 0
	for _, w := range p.Weeks {
		most = max(most, w.Reached)
	}
	out := []string{"Calls reached each week"}
	for _, w := range p.Weeks {
		cells := 0.0
		if most > 0 {
			cells = float64(w.Reached) / float64(most) * float64(bar)
		}
		out = append(out, fmt.Sprintf("%-*s%s %d", label, weekLabel(w), blocks(cells, bar, nil), w.Reached))
	}
	// R:Q on a scale of 0 to 3, the thresholds marked where the bar does not reach.
	const top = 3.0
	marks := map[int]bool{int(coaching.RQFair / top * float64(bar)): true, int(coaching.RQGood / top * float64(bar)): true}
	out = append(out, "", fmt.Sprintf("R:Q each week (┊ at %.0f fair and %.0f good; the bar stops at %.0f)", coaching.RQFair, coaching.RQGood, top))
	for _, w := range p.Weeks {
		rq := w.RQ()
		text := w.Verdict(rq)
		if rq.Defined {
			text = rq.FormatRQ() + " " + text
		}
		out = append(out, fmt.Sprintf("%-*s%s %s", label, weekLabel(w), blocks(min(rq.Value, top)/top*float64(bar), bar, marks), text))
	}
	return out
}

// blocks is a bar of cells (with eighths) out of width, padded with spaces
// and with ┊ at the marked cells it does not cover.
func blocks(cells float64, width int, marks map[int]bool) string {
	eighths := []string{"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"}
	full := int(cells)
	part := int((cells - float64(full)) * 8)
	var b strings.Builder
	for i := range width {
		switch {
		case i < full:
			b.WriteString("█")
		case i == full && part > 0:
			b.WriteString(eighths[part])
		case marks[i]:
			b.WriteString("┊")
		default:
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// weekLabel names a week by its Monday: "Mon 30 Nov".
func weekLabel(w coaching.PracticeWeek) string { return w.Start.Format("Mon 2 Jan") }

// onTime is "kept of due" for follow-ups, or a dash when none was due.
func onTime(c coaching.PracticeCounts) string {
	if c.FollowUpsDue == 0 {
		return "—"
	}
	return fmt.Sprintf("%d/%d", c.FollowUpsOnTime, c.FollowUpsDue)
}
