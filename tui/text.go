package tui

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"callcoach/tui/cells"
)

// clipLine cuts a (possibly styled) line to width cells, ending it with an
// ellipsis when something was cut.
func clipLine(s string, width int) string {
	if width <= 0 {
		return ""
	}
	if lipgloss.Width(s) <= width {
		return s
	}
	return ansi.Truncate(s, width, "…")
}

// fit makes s exactly height lines, none wider than width: the last line of
// defence against a screen that draws too much.
func fit(s string, width, height int) string {
	if height <= 0 {
		return ""
	}
	lines := strings.Split(s, "\n")
	if len(lines) > height {
		lines = lines[:height]
	}
	for i, l := range lines {
		lines[i] = clipLine(l, width)
	}
	for len(lines) < height {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// padRight pads plain or styled text with spaces to width cells, or clips it.
func padRight(s string, width int) string {
	if width <= 0 {
		return ""
	}
	w := lipgloss.Width(s)
	if w > width {
		return ansi.Truncate(s, width, "…")
	}
	return s + strings.Repeat(" ", width-w)
}

// oneLine readies stored text for a single-line display: newlines and
// tabs become spaces, so a pasted paragraph cannot break a row, and emoji
// clusters that terminals draw at different widths are simplified
// (cells.Safe), so a row measures what it draws.
func oneLine(s string) string {
	if strings.ContainsAny(s, "\n\r\t") {
		s = strings.Join(strings.Fields(s), " ")
	}
	return cells.Safe(s)
}
