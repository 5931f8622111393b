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

// rangeBlocks is a bar from lo to hi cells out of width: ░ up to lo, then
// █ (with eighths) to hi, so a pair such as a blood pressure shows both
// its values without colour.
func rangeBlocks(lo, hi float64, width int) string {
	below := min(max(int(lo), 0), width)
	return strings.Repeat("░", below) + blocks(max(hi-float64(below), 0), width-below, nil)
}
