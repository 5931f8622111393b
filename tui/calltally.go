package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"

	"callcoach/coaching"
)

// The MI tally line: the counts the coach keys in, with R:Q and %CR held
// against MITI 4.2.1's thresholds, in words so it reads without colour.

// tallyView is the MI tally with its two ratios held against MITI 4.2.1's
// thresholds, as words so it reads without colour.
func (m *callScreen) tallyView() string {
	st := m.c.Styles
	var parts []string
	for _, k := range coaching.TallyKinds {
		parts = append(parts, fmt.Sprintf("%s %d", k.Short(), m.tally[k]))
	}
	rq, pct := m.tally.ReflectionToQuestion(), m.tally.PercentComplex()
	return st.Subtle.Render(strings.Join(parts, " ")) + st.Separator.Render(" │ ") +
		ratioView(st, "R:Q", rq.FormatRQ(), rq) + st.Separator.Render(" │ ") +
		ratioView(st, "%CR", pct.FormatPercent(), pct)
}

// ratioView shows a ratio and its band in words once there are enough
// marks to judge; an undefined ratio is a dash alone.
func ratioView(st Styles, name, value string, r coaching.Ratio) string {
	switch {
	case !r.Defined:
		return st.Subtle.Render(name + " " + value)
	case !r.Enough:
		return st.Subtle.Render(name + " " + value + " too few") // to judge: the summary says it in full
	}
	return bandStyle(st, r.Band).Render(name + " " + value + " " + r.Verdict())
}

func bandStyle(st Styles, b coaching.Band) lipgloss.Style {
	switch b {
	case coaching.BandGood:
		return st.OK
	case coaching.BandFair:
		return st.Info
	case coaching.BandBelowFair:
		return st.Warn
	}
	return st.Subtle
}
