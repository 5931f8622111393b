package editor

import "slices"

// Undo and redo. Before an edit that starts a new group, the few lines it
// can touch are kept (the cursor's line and its neighbours: no single key
// changes more), so the cost does not grow with the note. Undo puts the
// kept lines back; redo takes the undo back. Typing groups by word, a run
// of deletions within a line is one group, and a word, line or paste
// removed or added at once (ctrl+w, ctrl+u, ctrl+k, a paste, a line break,
// joining two lines) is a group of its own, so a slip costs one key to
// take back. Moving the cursor closes the group. The history holds at
// most maxUndo steps and maxUndoBytes of text; the oldest go first.

const (
	maxUndo      = 200
	maxUndoBytes = 8 << 20
)

// editKind is what an edit does, for grouping.
type editKind int

const (
	editNone   editKind = iota
	editType            // typed characters on one line: grouped by word
	editDelete          // backspace and delete within a line: a run is one group
	editWhole           // anything else that changes the note: a group of its own
)

// step is one group's worth of history: the lines [start, start+len(old))
// as they were, when the note had count lines, and the cursor then. The
// lines in their place now are len(old) + (lines now - count).
type step struct {
	start    int
	old      []string
	count    int
	row, col int
	bytes    int
}

type history struct {
	undo, redo []step
	bytes      int      // text held in undo and redo
	last       editKind // the group the last edit was in; editNone after a move
	lastSpace  bool     // the last typed text ended with a space
}

// capture keeps the lines an edit at the cursor can touch.
func (d *document) capture() step {
	start := max(d.row-1, 0)
	end := min(d.row+2, len(d.lines))
	s := step{start: start, count: len(d.lines), row: d.row, col: d.col}
	s.old = make([]string, 0, end-start)
	for _, l := range d.lines[start:end] {
		s.old = append(s.old, l.text)
		s.bytes += len(l.text)
	}
	return s
}

// beginEdit keeps the state before an edit of kind k if it starts a group.
// typed is the text about to be typed (for editType).
func (d *document) beginEdit(k editKind, typed string) {
	h := &d.hist
	// A space after a word starts the next group: undo takes back " shop".
	startsWord := k == editType && !h.lastSpace && typed != "" && typed[0] == ' '
	if k != h.last || k == editWhole || startsWord {
		h.undo = append(h.undo, d.capture())
		h.bytes += h.undo[len(h.undo)-1].bytes
		for len(h.undo) > maxUndo || h.bytes > maxUndoBytes && len(h.undo) > 1 {
			h.bytes -= h.undo[0].bytes
			h.undo = h.undo[1:]
		}
	}
	for _, s := range h.redo {
		h.bytes -= s.bytes
	}
	h.redo = h.redo[:0]
	h.last = k
	if k == editType && typed != "" {
		h.lastSpace = typed[len(typed)-1] == ' '
	}
}

// endGroup closes the group: the next edit starts a new one.
func (d *document) endGroup() { d.hist.last = editNone }

// forget drops the history (a new note was put in).
func (d *document) forget() { d.hist = history{} }

// undoEdit puts back the newest kept lines; false if there are none.
func (d *document) undoEdit() bool { return d.swap(&d.hist.undo, &d.hist.redo) }

// redoEdit takes back the last undo; false if there is none.
func (d *document) redoEdit() bool { return d.swap(&d.hist.redo, &d.hist.undo) }

// swap puts back the newest step of from, keeping what it replaces, with
// the cursor as it is, on to.
func (d *document) swap(from, to *[]step) bool {
	h := &d.hist
	n := len(*from)
	if n == 0 {
		return false
	}
	s := (*from)[n-1]
	*from = (*from)[:n-1]
	h.bytes -= s.bytes

	now := len(s.old) + len(d.lines) - s.count // the lines in s's place now
	back := step{start: s.start, count: len(d.lines), row: d.row, col: d.col}
	back.old = make([]string, 0, now)
	for _, l := range d.lines[s.start : s.start+now] {
		back.old = append(back.old, l.text)
		back.bytes += len(l.text)
	}
	*to = append(*to, back)
	h.bytes += back.bytes

	put := make([]line, len(s.old))
	for i, t := range s.old {
		put[i].text = t
	}
	d.lines = slices.Replace(d.lines, s.start, s.start+now, put...)
	d.size += s.bytes - back.bytes + (len(s.old) - now) // the line breaks between them too
	d.row = min(s.row, len(d.lines)-1)
	d.col = d.snap(d.row, min(s.col, len(d.lines[d.row].text)), false)
	d.hasGoal = false
	d.top = pos{}
	d.changed()
	h.last = editNone
	return true
}
