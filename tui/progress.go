package tui

// The person's progress: one chart at a time of their readings, measures,
// confidence in each plan and how their plans went. A chart is the first,
// the latest and the change since the first; a line over time when there
// is room (timeline.go); then a bar per reading, oldest at the top, each
// with its date and its value in words, so it reads the same without
// colour.

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"callcoach/coaching"
	"callcoach/coaching/measures"
	"callcoach/storage"
)

// chartPoint is one row of a chart: when, the bar from lo to hi (lo is the
// chart's bottom but for a pair), and the value as text.
type chartPoint struct {
	at     time.Time
	date   string // "30 Nov 2026", on the coach's clock
	lo, hi float64
	text   string
}

// chartSeries is one chart. With bottom == top it has no bars, only text
// (how the plans went).
type chartSeries struct {
	title, summary, legend string
	bottom, top            float64
	points                 []chartPoint
	loc                    *time.Location // the coach's clock, for the line's dates
}

// progressData is what the person screen read that the charts draw.
type progressData struct {
	readings []coaching.Reading
	measures []storage.MeasureRecord
	plans    []coaching.ActionPlan // newest first
	scores   []coaching.ConfidenceScore
	reviews  []coaching.PlanReview // every review of every plan
}

// progressSeries are the charts there is something to draw for, in the
// order the coach pages through them: readings, measures, confidence per
// plan, then how the plans went.
func progressSeries(d progressData, reg coaching.ReadingRegistry, loc *time.Location) []chartSeries {
	day := func(t time.Time) string { return t.In(loc).Format("2 Jan") }
	var out []chartSeries
	kinds := map[coaching.ReadingKind][]coaching.Reading{}
	var order []coaching.ReadingKind
	for _, r := range d.readings {
		if kinds[r.Kind] == nil {
			order = append(order, r.Kind)
		}
		kinds[r.Kind] = append(kinds[r.Kind], r)
	}
	for _, k := range order {
		t, ok := reg.Type(k)
		if !ok { // no longer in the settings file: its readings keep their unit
			rs := kinds[k]
			t = coaching.ReadingType{Kind: k, Label: string(k), Unit: rs[0].Unit, Decimals: 1}
		}
		out = append(out, readingSeries(t, kinds[k], day))
	}
	for _, inst := range measures.All() {
		var pts []chartPoint
		for _, r := range d.measures {
			if r.Instrument != string(inst.ID) || !r.Scored {
				continue
			}
			text := number(r.Total)
			if r.Band != "" {
				text += " " + r.Band
			}
			pts = append(pts, chartPoint{at: r.GivenAt, hi: r.Total, text: text})
		}
		if len(pts) == 0 {
			continue
		}
		c := inst.Chart()
		s := chartSeries{title: inst.Name + " total", bottom: c.Min, top: c.Max, points: pts,
			legend: fmt.Sprintf("bars from %s to %s, the highest total", number(c.Min), number(c.Max))}
		s.summary = numberSummary(pts, day)
		out = append(out, s)
	}
	for _, p := range d.plans {
		var pts []chartPoint
		for _, sc := range d.scores {
			if sc.PlanID == p.ID {
				pts = append(pts, chartPoint{at: sc.At, hi: float64(sc.Score), text: fmt.Sprint(sc.Score)})
			}
		}
		if len(pts) == 0 {
			continue
		}
		out = append(out, chartSeries{title: "Confidence in the plan of " + day(p.CreatedAt) + ": " + oneLine(p.What),
			bottom: 0, top: 10, points: pts, legend: "bars from 0 to 10",
			summary: numberSummary(pts, day)})
	}
	if s, ok := reviewSeries(d, day); ok {
		out = append(out, s)
	}
	for n, s := range out { // every row is dated on the coach's clock
		out[n].loc = loc
		for i := range s.points {
			s.points[i].date = s.points[i].at.In(loc).Format("2 Jan 2006")
		}
	}
	return out
}

// readingSeries charts one kind of reading. Scores out of 10 are drawn on
// 0 to 10; other kinds from a little below the lowest to a little above
// the highest, which the legend says.
func readingSeries(t coaching.ReadingType, rs []coaching.Reading, day func(time.Time) string) chartSeries {
	lowest, highest := math.Inf(1), math.Inf(-1)
	for _, r := range rs {
		lowest, highest = min(lowest, r.Value), max(highest, r.Value)
		if t.Pair {
			lowest = min(lowest, r.Value2)
		}
	}
	bottom, top := t.Min, t.Max
	if !strings.HasPrefix(t.Unit, "/") {
		// A twentieth of the highest at least, so a small change does not
		// fill the width.
		pad := max((highest-lowest)/10, math.Abs(highest)/20, 1)
		bottom, top = max(math.Floor(lowest-pad), 0), math.Ceil(highest+pad)
	}
	s := chartSeries{title: capitalise(t.Label) + " (" + strings.TrimPrefix(t.Unit, "/") + ")", bottom: bottom, top: top}
	if strings.HasPrefix(t.Unit, "/") {
		s.title = capitalise(t.Label) + " (out of " + strings.TrimPrefix(t.Unit, "/") + ")"
	}
	s.legend = fmt.Sprintf("bars from %s to %s %s", number(bottom), number(top), t.Unit)
	if t.Pair {
		s.legend += ": ░ to the lower number, █ on to the higher"
	}
	bare := func(r coaching.Reading) string {
		v := t.ShowValue(r)
		return strings.TrimSuffix(strings.TrimSuffix(v, t.Unit), " ")
	}
	for _, r := range rs {
		p := chartPoint{at: r.TakenAt, lo: bottom, hi: r.Value, text: t.ShowValue(r)}
		if t.Pair {
			p.lo = r.Value2
		}
		s.points = append(s.points, p)
	}
	first, last := rs[0], rs[len(rs)-1]
	if len(rs) == 1 {
		s.summary = fmt.Sprintf("One reading: %s on %s.", t.ShowValue(first), day(first.TakenAt))
	} else {
		s.summary = fmt.Sprintf("%s → %s, %s since %s (%d readings, latest %s)", bare(first), bare(last),
			t.Change(first, last), day(first.TakenAt), len(rs), day(last.TakenAt))
	}
	return s
}

// numberSummary is "14 → 9, −5 since 3 Oct (3 in all, latest 20 Nov)".
func numberSummary(pts []chartPoint, day func(time.Time) string) string {
	first, last := pts[0], pts[len(pts)-1]
	if len(pts) == 1 {
		return fmt.Sprintf("Once: %s on %s.", number(first.hi), day(first.at))
	}
	change := strings.TrimSuffix(measures.Change(first.hi, last.hi), " since the first")
	return fmt.Sprintf("%s → %s, %s since %s (%d in all, latest %s)", number(first.hi), number(last.hi),
		change, day(first.at), len(pts), day(last.at))
}

// reviewMark shows how a plan went without colour.
func reviewMark(s coaching.PlanStatus) string {
	switch s {
	case coaching.PlanDone:
		return "✓"
	case coaching.PlanPartly:
		return "~"
	case coaching.PlanNotDone:
		return "✗"
	}
	return "?"
}

// reviewSeries is how the plans went, review by review, as marks.
func reviewSeries(d progressData, day func(time.Time) string) (chartSeries, bool) {
	if len(d.reviews) == 0 {
		return chartSeries{}, false
	}
	what := map[int64]string{}
	for _, p := range d.plans {
		what[p.ID] = oneLine(p.What)
	}
	s := chartSeries{title: "How the plans went"}
	var marks []string
	count := map[coaching.PlanStatus]int{}
	for _, r := range d.reviews {
		marks = append(marks, reviewMark(r.Outcome))
		count[r.Outcome]++
		s.points = append(s.points, chartPoint{at: r.At, text: reviewMark(r.Outcome) + " " + r.Outcome.Label() + " · " + what[r.PlanID]})
	}
	first, last := d.reviews[0], d.reviews[len(d.reviews)-1]
	s.summary = fmt.Sprintf("%s  first %s (%s), latest %s (%s)", strings.Join(marks, " "),
		first.Outcome.Label(), day(first.At), last.Outcome.Label(), day(last.At))
	s.legend = fmt.Sprintf("✓ done (%d) · ~ partly done (%d) · ✗ not done (%d)",
		count[coaching.PlanDone], count[coaching.PlanPartly], count[coaching.PlanNotDone])
	return s, true
}

// progressMinWidth: below it a chart would not read, and the screen says
// so instead.
const (
	progressMinWidth = 36
	progressDate     = 11 // "30 Nov 2026"
)

// lines draws the chart in width cells: the summary and legend, wrapped,
// then up to rows points ending at end (exclusive). It returns how many
// points fit, for paging.
func (s chartSeries) lines(width, height, end int) (out []string, shown int) {
	wrap := func(text string) []string {
		lines := strings.Split(lipgloss.NewStyle().Width(width).Render(text), "\n")
		for i, l := range lines {
			lines[i] = strings.TrimRight(l, " ")
		}
		return lines
	}
	out = append(wrap(s.summary), wrap(s.legend)...)
	// The line over time, when there is room for it and a few bars.
	bars := min(len(s.points), timelineMinBars)
	if plot := min(timelineRows, height-len(out)-3-bars); plot >= timelineMinRows && s.loc != nil {
		if line := s.timeline(width, plot, s.loc); height-len(out)-len(line) >= bars {
			out = append(out, line...)
		}
	}
	rows := height - len(out)
	if rows < 1 {
		return nil, 0
	}
	end = min(max(end, 0), len(s.points))
	start := max(end-rows, 0)
	textW := 0
	for _, p := range s.points {
		textW = max(textW, lipgloss.Width(p.text))
	}
	bar := width - progressDate - 2 - textW
	if bar < 8 || s.top <= s.bottom {
		bar = 0
	}
	scale := func(v float64) float64 {
		return (min(max(v, s.bottom), s.top) - s.bottom) / (s.top - s.bottom) * float64(bar)
	}
	for _, p := range s.points[start:end] {
		line := padRight(p.date, progressDate) + " "
		if bar > 0 {
			line += rangeBlocks(scale(p.lo), scale(p.hi), bar) + " "
		}
		out = append(out, clipLine(line+p.text, width))
	}
	return out, end - start
}

// number shows a value as a whole number when it is one, else to 1 place.
func number(v float64) string {
	v = math.Round(v*10) / 10
	if v == math.Trunc(v) {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// canScroll: the chart shown has rows hidden above (earlier) or below
// (later) what fits in width by height.
func (p *progressView) canScroll(width, height int) (earlier, later bool) {
	if !p.on || p.at >= len(p.charts) {
		return false, false
	}
	_, shown := p.render(width, height)
	n := len(p.charts[p.at].points)
	return n-p.back-shown > 0, p.back > 0
}

// render is the chart shown in width by height, drawn once per size and
// position, and how many of its rows fit.
func (p *progressView) render(width, height int) ([]string, int) {
	c := &p.cache
	if c.ok && c.at == p.at && c.back == p.back && c.width == width && c.height == height {
		return c.lines, c.shown
	}
	c.at, c.back, c.width, c.height, c.ok = p.at, p.back, width, height, true
	c.lines, c.shown = nil, 0
	if p.at < len(p.charts) && width >= progressMinWidth {
		s := p.charts[p.at]
		c.lines, c.shown = s.lines(width, height, len(s.points)-p.back)
	}
	return c.lines, c.shown
}

// chartHeight is the lines a chart may take: the screen but its title and
// the chart's own heading.
func (m *personScreen) chartHeight() int { return m.height - 2 }

// updateProgress takes the keys while the charts show: the keys that move
// in the lists move through the charts instead; the others (c, e, p, w,
// a, X) do as they do on the lists.
func (m *personScreen) updateProgress(msg tea.KeyMsg) (screen, tea.Cmd) {
	p := &m.progress
	switch {
	case key.Matches(msg, m.keys.ProgressOff), key.Matches(msg, m.keys.Back), key.Matches(msg, m.keys.Switch):
		p.on = false
	case key.Matches(msg, m.keys.PrevChart):
		if n := len(p.charts); n > 0 {
			p.at, p.back = (p.at+n-1)%n, 0
		}
	case key.Matches(msg, m.keys.NextChart):
		if n := len(p.charts); n > 0 {
			p.at, p.back = (p.at+1)%n, 0
		}
	case key.Matches(msg, m.keys.Earlier):
		if m.keys.Earlier.Enabled() {
			p.back++
		}
	case key.Matches(msg, m.keys.Later):
		if m.keys.Later.Enabled() {
			p.back--
		}
	case key.Matches(msg, m.keys.Up), key.Matches(msg, m.keys.Down), key.Matches(msg, m.keys.NotesUp),
		key.Matches(msg, m.keys.NotesDown), key.Matches(msg, m.keys.Correct), key.Matches(msg, m.keys.Resume):
		// about the lists, which are not shown
	default:
		return m.updateKeys(msg)
	}
	return m, nil
}

// progressLines are the charts as the person screen shows them below its
// title: a heading, then the chart, or a line saying why there is none.
func (m *personScreen) progressLines() []string {
	st := m.c.Styles
	p := &m.progress
	if len(p.charts) == 0 {
		return []string{st.Header.Render("Progress"), st.Subtle.Render(clipLine(
			"Nothing to chart yet: readings (alt+d in a call), measures (w), plans' confidence and reviews show here.", m.width))}
	}
	lines, shown := p.render(m.width, m.chartHeight())
	if len(lines) == 0 {
		return []string{st.Warn.Render(clipLine(fmt.Sprintf("Too small: charts need %d×%d.", progressMinWidth, 8), m.width))}
	}
	s := p.charts[p.at]
	head := fmt.Sprintf("Progress %d/%d: %s", p.at+1, len(p.charts), s.title)
	more := ""
	if n := len(s.points); shown < n {
		end := n - p.back
		more = fmt.Sprintf(" · rows %d–%d of %d", end-shown+1, end, n)
	}
	return append([]string{clipLine(st.Header.Render(head)+st.Subtle.Render(more), m.width)}, lines...)
}
