package editor

import (
	"slices"
	"strings"
)

// line is one logical line with its wrapping and drawn rows, each computed
// only when needed.
type line struct {
	text  string
	wrapW int // layout width rows was computed for; 0 to recompute in full
	rows  []row

	// A single edit since rows was computed, to re-wrap only around it:
	// bytes [editAt, editOldEnd) of the old text became [editAt, editNewEnd).
	edited                         bool
	editAt, editOldEnd, editNewEnd int

	drawn    []string // rows as drawn when not under the cursor; "" until drawn
	drawnGen uint64   // document.styleGen drawn was made with
}

// pos is a visual row: a logical line and a row within its wrapping.
type pos struct{ line, row int }

func (p pos) before(q pos) bool {
	return p.line < q.line || (p.line == q.line && p.row < q.row)
}

// document is the editor's state. Model keeps it behind a pointer so that each
// keystroke edits one line in place instead of copying the note.
type document struct {
	lines    []line
	row, col int // cursor: logical line and byte offset, always on a cluster boundary

	goalX   int // column that up/down aim for; kept across vertical moves
	hasGoal bool

	top           pos // first visual row on screen
	width, height int
	focused       bool
	readOnly      bool // keys move the cursor but change nothing

	rev        uint64
	size       int // len(Value())
	maxBytes   int // 0: no limit
	overflowed bool

	spaces    string // padding, at least width long once drawn
	scratch   []row  // reused by rewrap
	textProbe string // TextStyle.Render("x") when line.drawn was last valid
	styleGen  uint64 // changes when textProbe does, invalidating line.drawn

	hist history // undo and redo

	blank    string // a drawn row below the end of the note
	blankGen uint64 // styleGen blank was drawn with
	blankW   int    // width blank was drawn at
}

func newDocument() *document {
	return &document{lines: []line{{}}}
}

// layoutWidth is the width rows are wrapped at; at least one so that
// navigation works before the first size arrives.
func (d *document) layoutWidth() int { return max(d.width, 1) }

func (d *document) pageHeight() int { return max(d.height, 1) }

func (d *document) rowsOf(i int) []row {
	l := &d.lines[i]
	w := d.layoutWidth()
	switch {
	case l.wrapW != w:
		l.rows = wrap(l.text, w, l.rows)
		l.drawn = l.drawn[:0]
	case l.edited:
		var kept int
		l.rows, kept, d.scratch = rewrap(l.text, w, l.rows, l.editAt, l.editOldEnd, l.editNewEnd, d.scratch)
		l.drawn = l.drawn[:min(kept, len(l.drawn))]
	default:
		return l.rows
	}
	l.wrapW, l.edited = w, false
	return l.rows
}

// edit replaces bytes [a, b) of line i with s.
func (d *document) edit(i, a, b int, s string) {
	l := &d.lines[i]
	l.text = l.text[:a] + s + l.text[b:]
	if l.wrapW == d.layoutWidth() && !l.edited {
		l.edited = true
		l.editAt, l.editOldEnd, l.editNewEnd = a, b, a+len(s)
	} else {
		l.wrapW = 0
	}
}

func (d *document) changed() {
	d.rev++
	d.overflowed = false
}

func (d *document) value() string {
	var b strings.Builder
	b.Grow(d.size)
	for i, l := range d.lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(l.text)
	}
	return b.String()
}

// setValue replaces the document with s, which must be sanitized.
func (d *document) setValue(s string) {
	if s == d.value() {
		d.row = len(d.lines) - 1
		d.col = len(d.lines[d.row].text)
		d.hasGoal = false
		return
	}
	parts := strings.Split(s, "\n")
	d.lines = make([]line, len(parts))
	for i, p := range parts {
		d.lines[i].text = p
	}
	d.row = len(d.lines) - 1
	d.col = len(d.lines[d.row].text)
	d.size = len(s)
	d.hasGoal = false
	d.changed()
}

// insert puts sanitized text at the cursor and moves the cursor after it. With
// a byte limit, text that does not fit is cut to whole clusters.
func (d *document) insert(t string) {
	if t == "" {
		return
	}
	cut := false
	if d.maxBytes > 0 && d.size+len(t) > d.maxBytes {
		t = prefixWithin(t, d.maxBytes-d.size)
		cut = true
		if t == "" {
			d.overflowed = true
			return
		}
	}
	if !strings.Contains(t, "\n") {
		d.edit(d.row, d.col, d.col, t)
		d.col += len(t)
	} else {
		cur := d.lines[d.row].text
		parts := strings.Split(t, "\n")
		added := make([]line, len(parts)-1)
		for i, p := range parts[1:] {
			added[i].text = p
		}
		last := &added[len(added)-1]
		last.text += cur[d.col:]
		d.edit(d.row, d.col, len(cur), parts[0])
		d.col = len(parts[len(parts)-1])
		d.lines = slices.Insert(d.lines, d.row+1, added...)
		d.row += len(added)
	}
	d.size += len(t)
	d.col = d.snap(d.row, d.col, true)
	d.changed()
	d.overflowed = cut
}

// deleteRange removes bytes [a, b) of line i.
func (d *document) deleteRange(i, a, b int) {
	d.edit(i, a, b, "")
	d.size -= b - a
	d.changed()
}

// joinNext appends line i+1 to line i, removing the line break between them.
func (d *document) joinNext(i int) {
	end := len(d.lines[i].text)
	d.edit(i, end, end, d.lines[i+1].text)
	d.lines = slices.Delete(d.lines, i+1, i+2)
	d.size--
	d.changed()
}

// snap moves a byte offset that an edit left inside a cluster (such as a
// combining accent typed before its base letter) to the cluster's start, or to
// its end when forward is set.
func (d *document) snap(i, col int, forward bool) int {
	t := d.lines[i].text
	if col <= 0 {
		return 0
	}
	if col >= len(t) {
		return len(t)
	}
	if t[col-1] < 0x80 && t[col] < 0x80 {
		return col
	}
	rows := d.rowsOf(i)
	o := rows[rowAt(rows, col)].start
	for {
		n, _ := grapheme(t[o:])
		if o+n > col {
			if o == col || !forward {
				return o
			}
			return o + n
		}
		o += n
	}
}

// prevBoundary returns the start of the cluster before byte offset col of line
// i (col > 0). It scans from the start of the previous row, not of the line,
// so a long pasted paragraph costs no more than a short one.
func (d *document) prevBoundary(i, col int) int {
	t := d.lines[i].text
	rows := d.rowsOf(i)
	k := rowAt(rows, col)
	if rows[k].start == col && k > 0 {
		k--
	}
	prev := rows[k].start
	for o := prev; o < col; {
		n, _ := grapheme(t[o:])
		prev = o
		o += n
	}
	return prev
}

// wordStart returns the start of the word before byte offset col of line i,
// skipping spaces first; words are runs of clusters other than a space.
func (d *document) wordStart(i, col int) int {
	t := d.lines[i].text
	start, inWord := 0, false
	for o := 0; o < col; {
		n, _ := grapheme(t[o:])
		if t[o] == ' ' && n == 1 {
			inWord = false
		} else if !inWord {
			start, inWord = o, true
		}
		o += n
	}
	return start
}

// wordEnd returns the end of the word after byte offset col of line i,
// skipping spaces first.
func (d *document) wordEnd(i, col int) int {
	t := d.lines[i].text
	o, seenWord := col, false
	for o < len(t) {
		n, _ := grapheme(t[o:])
		space := t[o] == ' ' && n == 1
		if space && seenWord {
			break
		}
		seenWord = seenWord || !space
		o += n
	}
	return o
}
