package tui

// A line over time above a chart's bars: the values of a series drawn by
// asciigraph on a time axis, so gaps between calls show as distance, where
// the bars below list each value with its date. Plain box-drawing
// characters, so it reads the same without colour.

import (
	"math"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/guptarohit/asciigraph"
)

// timelineRows is about the most rows the line's plot takes (its axis and
// dates take two or three more), and timelineMinRows the fewest that still show a trend;
// timelineMinBars is how many bars must still fit below it (all of them,
// when there are fewer): the bars carry the exact values.
const (
	timelineRows    = 12
	timelineMinRows = 5
	timelineMinBars = 6
)

// timeline draws s's values (for a pair, both: the higher above) across
// width cells over at most rows plot rows, on the dates they were taken,
// with the first and last dates beneath. It draws nothing for fewer than
// two points, for a series without values (how the plans went), or when
// width or rows are too few for a line to read.
func (s chartSeries) timeline(width, rows int, loc *time.Location) []string {
	if len(s.points) < 2 || s.top <= s.bottom || rows < timelineMinRows || width < progressMinWidth {
		return nil
	}
	from, to := s.points[0].at, s.points[len(s.points)-1].at
	if !to.After(from) {
		return nil
	}
	pair := false
	whole := true
	for _, p := range s.points {
		pair = pair || p.lo != s.bottom
		whole = whole && p.hi == math.Trunc(p.hi) && p.lo == math.Trunc(p.lo)
	}
	precision := uint(1)
	if whole {
		precision = 0
	}
	days := to.Sub(from).Hours() / 24
	draw := func(cols int) string {
		series := [][]float64{resample(s.points, cols, func(p chartPoint) float64 { return p.hi })}
		if pair {
			series = append(series, resample(s.points, cols, func(p chartPoint) float64 { return p.lo }))
		}
		ticks := 2
		if cols >= 60 {
			ticks = 4
		}
		return asciigraph.PlotMany(series, asciigraph.Height(rows), asciigraph.Width(cols),
			asciigraph.LowerBound(s.bottom), asciigraph.UpperBound(s.top), asciigraph.Precision(precision),
			asciigraph.XAxisRange(0, days), asciigraph.XAxisTickCount(ticks),
			asciigraph.XAxisValueFormatter(func(d float64) string {
				return from.Add(time.Duration(d * 24 * float64(time.Hour))).In(loc).Format("2 Jan")
			}))
	}
	// The labels on the left take what they need; the plot takes the rest.
	cols := width - 12
	out := draw(cols)
	if over := lipgloss.Width(out) - width; over > 0 { // Width is the widest line's
		cols -= over
		if cols < 16 {
			return nil
		}
		out = draw(cols)
	}
	return splitLines(out, width)
}

// splitLines is text's lines, each without trailing spaces and clipped to
// width.
func splitLines(text string, width int) []string {
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	for i, l := range lines {
		lines[i] = clipLine(strings.TrimRight(l, " "), width)
	}
	return lines
}

// resample is the value of pts (oldest first) at cols evenly spaced times
// from the first to the last, read by value and joined by straight lines
// between one point and the next.
func resample(pts []chartPoint, cols int, value func(chartPoint) float64) []float64 {
	from, to := pts[0].at, pts[len(pts)-1].at
	span := float64(to.Sub(from))
	out := make([]float64, cols)
	j := 0
	for i := range out {
		t := from.Add(time.Duration(span * float64(i) / float64(max(cols-1, 1))))
		for j < len(pts)-2 && pts[j+1].at.Before(t) {
			j++
		}
		a, b := pts[j], pts[j+1]
		frac := 0.0
		if gap := float64(b.at.Sub(a.at)); gap > 0 {
			frac = min(max(float64(t.Sub(a.at))/gap, 0), 1)
		}
		out[i] = value(a) + (value(b)-value(a))*frac
	}
	return out
}
