package tui

// Bars of block characters, shared by the practice charts and the person's
// progress: they read the same without colour, the value beside each bar
// in words or numbers.

import "strings"

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

