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

// PracticeReport is p as lines of plain text, none wider than 78 cells
// while the counts of a week or the period stay under a million.
func PracticeReport(p coaching.Practice) []string {
	var out []string
	add := func(format string, a ...any) { out = append(out, fmt.Sprintf(format, a...)) }
	last := p.To.Add(-time.Nanosecond)
	add("Your practice, %s to %s (%d %s, from Monday)", p.From.Format("Mon 2 Jan 2006"), last.Format("Mon 2 Jan 2006"),
		len(p.Weeks), plural(len(p.Weeks), "week", "weeks"))
	add("Counts only: no names, notes or quotes.")
	out = append(out, "")
	add("%-10s %6s %7s %7s %6s %5s %11s %9s", "Week of", "Calls", "Reached", "Minutes", "Plans", "7+", "On time", "Talk/call")
	row := func(label string, c coaching.PracticeCounts) {
		add("%-10s %6d %7d %7d %6d %5d %11s %9s", label, c.Calls, c.Reached, c.Minutes(), c.Plans, c.PlansConfident,
			onTime(c), c.FormatChangeTalkPerCall())
	}
	for _, w := range p.Weeks {
		row(weekLabel(w), w.PracticeCounts)
	}
	row("All weeks", p.Total)
	out = append(out, "")
	add("MI tally against MITI 4.2.1 (R:Q fair %.0f, good %.0f; %%CR fair %.0f%%, good %.0f%%)",
		coaching.RQFair, coaching.RQGood, coaching.PctComplexFair*100, coaching.PctComplexGood*100)
	add("%-10s %4s %11s %-16s %4s %11s %s", "Week of", "R:Q", "R/Q", "", "%CR", "CR/R", "")
	mi := func(label string, c coaching.PracticeCounts) {
		t := c.Tally
		rq, pct := c.RQ(), c.PercentComplex()
		add("%-10s %4s %11s %-16s %4s %11s %s", label, rq.FormatRQ(), fmt.Sprintf("%d/%d", t.Reflections(), t.Questions()),
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
	out := practiceChart(p, chartReached, width)
	return append(append(out, ""), practiceChart(p, chartRQ, width)...)
}

// A practice chart: a bar a week.
type practiceChartKind int

const (
	chartReached practiceChartKind = iota
	chartRQ
	chartPctCR
	practiceCharts // how many there are
)

// practiceChart draws one chart: its title, then a row a week, each at
// most width cells. Calls reached are drawn against the busiest week; R:Q
// on 0 to 3 and %CR on 0 to 100%, their thresholds marked ┊ where the bar
// does not reach, with the value and the verdict after the bar.
func practiceChart(p coaching.Practice, kind practiceChartKind, width int) []string {
	const label, tail = 11, 22 // "Mon 30 Nov " and " 1.3 too few to judge"
	bar := max(8, width-label-tail)
	var top float64
	var marks []float64
	var title string
	switch kind {
	case chartReached:
		title = "Calls reached each week"
		top = 1
		for _, w := range p.Weeks {
			top = max(top, float64(w.Reached))
		}
	case chartRQ:
		top, marks = 3, []float64{coaching.RQFair, coaching.RQGood}
		title = fmt.Sprintf("R:Q each week (┊ at %.0f fair and %.0f good; the bar stops at %.0f)", coaching.RQFair, coaching.RQGood, top)
	case chartPctCR:
		top, marks = 1, []float64{coaching.PctComplexFair, coaching.PctComplexGood}
		title = fmt.Sprintf("%%CR each week (┊ at %.0f%% fair and %.0f%% good)", coaching.PctComplexFair*100, coaching.PctComplexGood*100)
	}
	at := map[int]bool{}
	for _, m := range marks {
		at[int(m/top*float64(bar))] = true
	}
	out := []string{title}
	for _, w := range p.Weeks {
		var v float64
		var text string
		switch kind {
		case chartReached:
			v, text = float64(w.Reached), fmt.Sprint(w.Reached)
		case chartRQ, chartPctCR:
			r, show := w.RQ(), coaching.Ratio.FormatRQ
			if kind == chartPctCR {
				r, show = w.PercentComplex(), coaching.Ratio.FormatPercent
			}
			v, text = r.Value, w.Verdict(r)
			if r.Defined {
				text = show(r) + " " + text
			}
		}
		out = append(out, fmt.Sprintf("%-*s%s %s", label, weekLabel(w), blocks(min(v, top)/top*float64(bar), bar, at), text))
	}
	return out
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
