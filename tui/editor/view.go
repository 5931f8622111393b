package editor

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
)

// View draws exactly Height rows, each padded with spaces to Width cells, or
// returns "" when either is zero or less. Only the visible rows are wrapped
// and drawn.
func (m Model) View() string {
	d := m.doc
	if d == nil || d.width <= 0 || d.height <= 0 {
		return ""
	}
	if len(d.spaces) < d.width {
		d.spaces = strings.Repeat(" ", d.width)
	}
	if len(d.lines) == 1 && d.lines[0].text == "" && m.Placeholder != "" {
		return m.placeholderView()
	}
	if probe := m.TextStyle.Render("x"); probe != d.textProbe {
		d.textProbe = probe
		d.styleGen++
	}
	d.clampTop()
	cursorAt := d.cursorPos()

	var b strings.Builder
	b.Grow(d.height * (d.width + 8))
	p, more := d.top, true
	for i := range d.height {
		if i > 0 {
			b.WriteByte('\n')
		}
		if !more {
			if len(d.blank) == 0 || d.blankGen != d.styleGen || d.blankW != d.width {
				d.blank = m.TextStyle.Render(d.spaces[:d.width])
				d.blankGen, d.blankW = d.styleGen, d.width
			}
			b.WriteString(d.blank)
			continue
		}
		rows := d.rowsOf(p.line)
		l := &d.lines[p.line]
		end, _ := d.rowEnd(p)
		switch {
		case p == cursorAt && d.focused:
			m.writeRow(&b, l.text, rows[p.row], end, d.col, m.TextStyle)
		default:
			// Rows away from the cursor are drawn once and reused until
			// their line or TextStyle changes: lipgloss is the
			// costliest part of a keystroke.
			if l.drawnGen != d.styleGen {
				l.drawn, l.drawnGen = l.drawn[:0], d.styleGen
			}
			for len(l.drawn) < len(rows) {
				l.drawn = append(l.drawn, "")
			}
			if l.drawn[p.row] == "" {
				var rb strings.Builder
				m.writeRow(&rb, l.text, rows[p.row], end, -1, m.TextStyle)
				l.drawn[p.row] = rb.String()
			}
			b.WriteString(l.drawn[p.row])
		}
		p, more = d.nextRow(p)
	}
	return b.String()
}

// writeRow draws bytes [r.start, end) of t padded to the width, with the
// cursor on byte offset c (no cursor when c < 0).
func (m Model) writeRow(b *strings.Builder, t string, r row, end, c int, style lipgloss.Style) {
	d := m.doc
	if r.width > d.width {
		// A cluster wider than the whole editor (an emoji at width 1)
		// cannot be drawn; show the width's worth of '~' instead.
		t, end = strings.Repeat("~", d.width), d.width
		r = row{start: 0, width: d.width}
		if c >= 0 {
			c = 0
		}
	}
	pad := d.width - r.width
	if c < 0 {
		b.WriteString(style.Render(t[r.start:end] + d.spaces[:pad]))
		return
	}
	cell, n, w := " ", 0, 1
	if c < end {
		n, w = grapheme(t[c:end])
		cell = t[c : c+n]
	} else {
		pad = max(pad-1, 0)
	}
	if c > r.start {
		b.WriteString(style.Render(t[r.start:c]))
	}
	b.WriteString(m.cursorCell(cell, w))
	b.WriteString(style.Render(t[c+n:end] + d.spaces[:pad]))
}

// cursorCell draws the cell under the cursor. When CursorStyle changes
// nothing, reverse video having been dropped for a plain terminal or
// NO_COLOR, the cursor would be invisible, so an underscore covers the cell.
func (m Model) cursorCell(cell string, w int) string {
	out := m.CursorStyle.Render(cell)
	if out == cell && w > 0 {
		return strings.Repeat("_", w)
	}
	return out
}

// placeholderView draws the placeholder, wrapped like the note, with the
// cursor on its first cell when focused.
func (m Model) placeholderView() string {
	d := m.doc
	var b strings.Builder
	n := 0
	for _, text := range strings.Split(sanitize(m.Placeholder), "\n") {
		rows := wrap(text, d.width, nil)
		for k, r := range rows {
			if k > 0 && r.start == len(text) {
				break // the cursor's spare row: the placeholder has no cursor at its end
			}
			if n == d.height {
				return b.String()
			}
			if n > 0 {
				b.WriteByte('\n')
			}
			end := len(text)
			if k+1 < len(rows) {
				end = rows[k+1].start
			}
			c := -1
			if n == 0 && d.focused {
				c = 0
			}
			m.writeRow(&b, text, r, end, c, m.PlaceholderStyle)
			n++
		}
	}
	for ; n < d.height; n++ {
		if n > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(m.TextStyle.Render(d.spaces[:d.width]))
	}
	return b.String()
}
