// Package editor is the notes editor a coach types into during a call: a
// multi-line text area with soft word wrap whose cost per keystroke follows the
// visible window, not the length of the notes.
//
// Text is stored as logical lines of valid UTF-8 whose only control character
// is the line break. The cursor moves by grapheme cluster, so an emoji with a
// skin tone or a letter with a combining accent is one step. Widths are in
// terminal cells.
package editor

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// Model is the notes editor.
//
// The document lives behind a pointer, so copies of a Model share it: keep one
// Model per editor and assign the result of Update back to it as usual.
type Model struct {
	KeyMap KeyMap

	// Placeholder is shown, in PlaceholderStyle, while the note is empty.
	Placeholder string

	// The styles should set colours and attributes only: padding, borders,
	// margins or widths would break the editor's exact size. When CursorStyle
	// changes nothing (as under NO_COLOR, where reverse video is dropped) the
	// cursor is drawn as an underscore over the cell instead.
	TextStyle        lipgloss.Style
	CursorStyle      lipgloss.Style
	PlaceholderStyle lipgloss.Style

	doc *document
}

// New returns an empty, blurred editor of size 0x0; call SetSize and Focus.
func New() Model {
	return Model{
		KeyMap:           DefaultKeyMap(),
		TextStyle:        lipgloss.NewStyle(),
		CursorStyle:      lipgloss.NewStyle().Reverse(true),
		PlaceholderStyle: lipgloss.NewStyle().Faint(true),
		doc:              newDocument(),
	}
}

// document returns the document, creating it for a zero Model.
func (m *Model) document() *document {
	if m.doc == nil {
		m.doc = newDocument()
	}
	return m.doc
}

// SetSize sets the size in cells. Any values are accepted; with a width or
// height of zero or less View returns "".
func (m *Model) SetSize(width, height int) {
	d := m.document()
	d.width, d.height = width, height
	d.scrollToCursor()
}

// Width returns the width set by SetSize.
func (m Model) Width() int {
	if m.doc == nil {
		return 0
	}
	return m.doc.width
}

// Height returns the height set by SetSize.
func (m Model) Height() int {
	if m.doc == nil {
		return 0
	}
	return m.doc.height
}

// Focus makes the editor take keys and show its cursor.
func (m *Model) Focus() { m.document().focused = true }

// Blur makes the editor ignore keys and hide its cursor.
func (m *Model) Blur() { m.document().focused = false }

// SetReadOnly makes the keys move the cursor but change nothing (or, with
// false, edit again), for text shown to read: notes another program is
// writing, or notes this program may no longer save.
func (m *Model) SetReadOnly(ro bool) { m.document().readOnly = ro }

// Focused reports whether the editor takes keys.
func (m Model) Focused() bool { return m.doc != nil && m.doc.focused }

// Value returns the note: its lines joined with "\n".
func (m Model) Value() string {
	if m.doc == nil {
		return ""
	}
	return m.doc.value()
}

// SetValue replaces the note with s, puts the cursor at its end and scrolls
// so the end is visible. "\r\n" and "\r" become "\n", tabs four spaces, and
// other control characters are dropped. The byte limit does not apply: text
// that was already saved is never cut.
func (m *Model) SetValue(s string) {
	d := m.document()
	d.setValue(sanitize(s))
	d.forget()
	d.scrollToCursor()
}

// Revision increases by one on every change of the note's content, and only
// then; a saver can compare it to the revision it last wrote.
func (m Model) Revision() uint64 {
	if m.doc == nil {
		return 0
	}
	return m.doc.rev
}

// LineCount returns the number of logical lines, at least one.
func (m Model) LineCount() int {
	if m.doc == nil {
		return 1
	}
	return len(m.doc.lines)
}

// CurrentLine returns the logical line the cursor is on.
func (m Model) CurrentLine() string {
	if m.doc == nil {
		return ""
	}
	return m.doc.lines[m.doc.row].text
}

// SetMaxBytes limits how long typing and pasting may make Value(), in bytes;
// n <= 0 removes the limit. Text already in the editor is kept even if
// longer; only what would grow it further is cut.
func (m *Model) SetMaxBytes(n int) { m.document().maxBytes = max(n, 0) }

// Overflowed reports whether the last input was cut to fit the byte limit. It
// stays set until the next change of content.
func (m Model) Overflowed() bool { return m.doc != nil && m.doc.overflowed }

// InsertString inserts s at the cursor as if it had been pasted, whether or
// not the editor is focused.
func (m *Model) InsertString(s string) {
	d := m.document()
	d.insert(sanitize(s))
	d.hasGoal = false
	d.scrollToCursor()
}

// keyName lets key.Matches compare a key's name computed once per message.
type keyName string

func (k keyName) String() string { return string(k) }

// Update handles key messages while focused. Alt chords and keys the KeyMap
// does not bind are ignored, so the parent screen can use them.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok || k.Alt || !m.Focused() {
		return m, nil
	}
	d := m.doc
	rev, kept := d.rev, len(d.hist.undo)
	defer func() {
		if d.rev == rev && len(d.hist.undo) > kept {
			d.hist.undo = d.hist.undo[:kept] // nothing changed: nothing to undo
		}
	}()
	switch {
	case k.Paste && k.Type != tea.KeyRunes:
		return m, nil
	case d.readOnly && (k.Type == tea.KeyRunes || k.Type == tea.KeySpace):
		return m, nil
	case k.Type == tea.KeyRunes || k.Type == tea.KeySpace:
		// Runes are always text, never matched against bindings: bubbletea
		// sends quick typing or an unbracketed paste as one message, and
		// the word "end" must not act as the End key.
		t := " "
		if k.Type != tea.KeySpace || len(k.Runes) > 0 {
			t = runesText(k.Runes)
		}
		if k.Paste || strings.Contains(t, "\n") {
			d.beginEdit(editWhole, t)
		} else {
			d.beginEdit(editType, t)
		}
		d.insert(t)
		d.hasGoal = false
		d.scrollToCursor()
		return m, nil
	}

	name, km, vertical := keyName(k.String()), &m.KeyMap, false
	switch {
	case key.Matches(name, km.Up):
		d.moveRows(-1)
		vertical = true
	case key.Matches(name, km.Down):
		d.moveRows(1)
		vertical = true
	case key.Matches(name, km.PageUp):
		d.page(-1)
		vertical = true
	case key.Matches(name, km.PageDown):
		d.page(1)
		vertical = true
	case key.Matches(name, km.Left):
		d.left()
	case key.Matches(name, km.Right):
		d.right()
	case key.Matches(name, km.WordLeft):
		d.wordLeft()
	case key.Matches(name, km.WordRight):
		d.wordRight()
	case key.Matches(name, km.LineStart):
		d.col = 0
	case key.Matches(name, km.LineEnd):
		d.col = len(d.lines[d.row].text)
	case key.Matches(name, km.DocStart):
		d.row, d.col = 0, 0
	case key.Matches(name, km.DocEnd):
		d.row = len(d.lines) - 1
		d.col = len(d.lines[d.row].text)
	case d.readOnly:
		return m, nil
	case key.Matches(name, km.Undo):
		d.undoEdit()
	case key.Matches(name, km.Redo):
		d.redoEdit()
	case key.Matches(name, km.Backspace):
		if d.col == 0 {
			d.beginEdit(editWhole, "") // joins two lines
		} else {
			d.beginEdit(editDelete, "")
		}
		d.backspace()
	case key.Matches(name, km.Delete):
		if d.col == len(d.lines[d.row].text) {
			d.beginEdit(editWhole, "") // joins two lines
		} else {
			d.beginEdit(editDelete, "")
		}
		d.deleteForward()
	case key.Matches(name, km.DeleteWordBack):
		d.beginEdit(editWhole, "")
		d.deleteWordBack()
	case key.Matches(name, km.DeleteToLineStart):
		if d.col > 0 {
			d.beginEdit(editWhole, "")
			d.deleteRange(d.row, 0, d.col)
			d.col = 0
		}
	case key.Matches(name, km.DeleteToLineEnd):
		if t := d.lines[d.row].text; d.col < len(t) {
			d.beginEdit(editWhole, "")
			d.deleteRange(d.row, d.col, len(t))
		}
	case key.Matches(name, km.Newline):
		d.beginEdit(editWhole, "\n")
		d.insert("\n")
	default:
		return m, nil
	}
	if d.rev == rev {
		d.endGroup() // a move: the next edit starts a group
	}
	if !vertical {
		d.hasGoal = false
	}
	d.scrollToCursor()
	return m, nil
}

func (d *document) backspace() {
	switch {
	case d.col > 0:
		p := d.prevBoundary(d.row, d.col)
		d.deleteRange(d.row, p, d.col)
		d.col = d.snap(d.row, p, false)
	case d.row > 0:
		d.row--
		d.col = len(d.lines[d.row].text)
		d.joinNext(d.row)
		d.col = d.snap(d.row, d.col, false)
	}
}

func (d *document) deleteForward() {
	t := d.lines[d.row].text
	switch {
	case d.col < len(t):
		n, _ := grapheme(t[d.col:])
		d.deleteRange(d.row, d.col, d.col+n)
		d.col = d.snap(d.row, d.col, false)
	case d.row+1 < len(d.lines):
		d.joinNext(d.row)
		d.col = d.snap(d.row, d.col, false)
	}
}

func (d *document) deleteWordBack() {
	if d.col == 0 {
		d.backspace()
		return
	}
	p := d.wordStart(d.row, d.col)
	d.deleteRange(d.row, p, d.col)
	d.col = d.snap(d.row, p, false)
}
