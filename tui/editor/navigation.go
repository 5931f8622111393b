package editor

// Cursor movement and scrolling. Everything here touches only the lines
// between the top of the screen and the cursor, or a page around them, so its
// cost follows the window and not the length of the note.

func (d *document) cursorPos() pos {
	return pos{d.row, rowAt(d.rowsOf(d.row), d.col)}
}

// cursorX returns the cursor's column in cells within its visual row.
func (d *document) cursorX() int {
	rows := d.rowsOf(d.row)
	return textWidth(d.lines[d.row].text[rows[rowAt(rows, d.col)].start:d.col])
}

// rowEnd returns the byte offset where visual row p ends and whether it is the
// line's last row (whose end, the end of the line, the cursor may sit on).
func (d *document) rowEnd(p pos) (int, bool) {
	rows := d.rowsOf(p.line)
	if p.row+1 < len(rows) {
		return rows[p.row+1].start, false
	}
	return len(d.lines[p.line].text), true
}

// colAt returns the byte offset in visual row p of the cluster under column x,
// or the row's last position when the row is shorter.
func (d *document) colAt(p pos, x int) int {
	t := d.lines[p.line].text
	o := d.rowsOf(p.line)[p.row].start
	end, last := d.rowEnd(p)
	cx, prev := 0, o
	for o < end {
		n, w := grapheme(t[o:end])
		if cx+w > x {
			return o
		}
		cx += w
		prev = o
		o += n
	}
	if last {
		return end
	}
	return prev
}

func (d *document) prevRow(p pos) (pos, bool) {
	if p.row > 0 {
		return pos{p.line, p.row - 1}, true
	}
	if p.line == 0 {
		return p, false
	}
	return pos{p.line - 1, len(d.rowsOf(p.line-1)) - 1}, true
}

func (d *document) nextRow(p pos) (pos, bool) {
	if p.row+1 < len(d.rowsOf(p.line)) {
		return pos{p.line, p.row + 1}, true
	}
	if p.line+1 >= len(d.lines) {
		return p, false
	}
	return pos{p.line + 1, 0}, true
}

// moveRows moves the cursor n visual rows down (up when n < 0), aiming for the
// goal column, and returns how many rows it moved. Asked to move past the
// first or last row it goes to the start or end of the note instead.
func (d *document) moveRows(n int) int {
	if !d.hasGoal {
		d.goalX, d.hasGoal = d.cursorX(), true
	}
	p, moved := d.cursorPos(), 0
	for moved < n || moved < -n {
		var q pos
		var ok bool
		if n < 0 {
			q, ok = d.prevRow(p)
		} else {
			q, ok = d.nextRow(p)
		}
		if !ok {
			break
		}
		p = q
		moved++
	}
	switch {
	case moved > 0:
		d.row, d.col = p.line, d.colAt(p, d.goalX)
	case n < 0:
		d.row, d.col = 0, 0
	default:
		d.row = len(d.lines) - 1
		d.col = len(d.lines[d.row].text)
	}
	return moved
}

// page moves the cursor a screen down (dir > 0) or up and scrolls the view by
// as much, so the cursor keeps its place on screen.
func (d *document) page(dir int) {
	moved := d.moveRows(dir * d.pageHeight())
	for range moved {
		var ok bool
		if dir < 0 {
			d.top, ok = d.prevRow(d.top)
		} else {
			d.top, ok = d.nextRow(d.top)
		}
		if !ok {
			break
		}
	}
}

func (d *document) left() {
	switch {
	case d.col > 0:
		d.col = d.prevBoundary(d.row, d.col)
	case d.row > 0:
		d.row--
		d.col = len(d.lines[d.row].text)
	}
}

func (d *document) right() {
	t := d.lines[d.row].text
	switch {
	case d.col < len(t):
		n, _ := grapheme(t[d.col:])
		d.col += n
	case d.row+1 < len(d.lines):
		d.row++
		d.col = 0
	}
}

func (d *document) wordLeft() {
	switch {
	case d.col > 0:
		d.col = d.wordStart(d.row, d.col)
	case d.row > 0:
		d.row--
		d.col = len(d.lines[d.row].text)
	}
}

func (d *document) wordRight() {
	switch {
	case d.col < len(d.lines[d.row].text):
		d.col = d.wordEnd(d.row, d.col)
	case d.row+1 < len(d.lines):
		d.row++
		d.col = 0
	}
}

// clampTop keeps the top of the screen on an existing row after edits and
// resizes.
func (d *document) clampTop() {
	d.top.line = min(max(d.top.line, 0), len(d.lines)-1)
	d.top.row = min(max(d.top.row, 0), len(d.rowsOf(d.top.line))-1)
}

// scrollToCursor scrolls as little as possible to bring the cursor on screen,
// then pulls the view back if it would leave blank rows below the end of the
// note while rows above are hidden.
func (d *document) scrollToCursor() {
	h := d.pageHeight()
	d.clampTop()
	cur := d.cursorPos()
	if cur.before(d.top) {
		d.top = cur
	} else {
		// Walk back at most a screen from the cursor instead of counting
		// forward from the top, which may be the whole note away.
		p := cur
		for i := 0; i < h-1 && p != d.top; i++ {
			p, _ = d.prevRow(p)
		}
		d.top = p
	}
	n, p := 1, d.top
	for n < h {
		q, ok := d.nextRow(p)
		if !ok {
			break
		}
		p = q
		n++
	}
	for ; n < h; n++ {
		q, ok := d.prevRow(d.top)
		if !ok {
			break
		}
		d.top = q
	}
}
