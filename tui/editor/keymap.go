package editor

import "github.com/charmbracelet/bubbles/key"

// KeyMap holds the editor's key bindings. Alt chords are never editor keys:
// the parent screen owns them, so none is bound here.
type KeyMap struct {
	Left, Right, Up, Down key.Binding
	WordLeft, WordRight   key.Binding
	LineStart, LineEnd    key.Binding
	PageUp, PageDown      key.Binding
	DocStart, DocEnd      key.Binding

	Backspace, Delete                  key.Binding
	DeleteWordBack                     key.Binding
	DeleteToLineStart, DeleteToLineEnd key.Binding
	Newline                            key.Binding
	Undo, Redo                         key.Binding
}

// DefaultKeyMap returns the bindings a coach gets unless the parent changes them.
//
// ctrl+h is plain backspace, not delete-word: some terminals send ^H for the
// backspace key itself, and a whole word vanishing per keypress mid-call is worse
// than ctrl+backspace deleting one character where the terminal sends ^H for it.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Left:              key.NewBinding(key.WithKeys("left"), key.WithHelp("←", "left")),
		Right:             key.NewBinding(key.WithKeys("right"), key.WithHelp("→", "right")),
		Up:                key.NewBinding(key.WithKeys("up"), key.WithHelp("↑", "up")),
		Down:              key.NewBinding(key.WithKeys("down"), key.WithHelp("↓", "down")),
		WordLeft:          key.NewBinding(key.WithKeys("ctrl+left"), key.WithHelp("ctrl+←", "word left")),
		WordRight:         key.NewBinding(key.WithKeys("ctrl+right"), key.WithHelp("ctrl+→", "word right")),
		LineStart:         key.NewBinding(key.WithKeys("home", "ctrl+a"), key.WithHelp("home/ctrl+a", "line start")),
		LineEnd:           key.NewBinding(key.WithKeys("end", "ctrl+e"), key.WithHelp("end/ctrl+e", "line end")),
		PageUp:            key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "page up")),
		PageDown:          key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "page down")),
		DocStart:          key.NewBinding(key.WithKeys("ctrl+home"), key.WithHelp("ctrl+home", "start of notes")),
		DocEnd:            key.NewBinding(key.WithKeys("ctrl+end"), key.WithHelp("ctrl+end", "end of notes")),
		Backspace:         key.NewBinding(key.WithKeys("backspace", "ctrl+h"), key.WithHelp("backspace", "delete left")),
		Delete:            key.NewBinding(key.WithKeys("delete", "ctrl+d"), key.WithHelp("del/ctrl+d", "delete right")),
		DeleteWordBack:    key.NewBinding(key.WithKeys("ctrl+w"), key.WithHelp("ctrl+w", "delete word")),
		DeleteToLineStart: key.NewBinding(key.WithKeys("ctrl+u"), key.WithHelp("ctrl+u", "delete to line start")),
		DeleteToLineEnd:   key.NewBinding(key.WithKeys("ctrl+k"), key.WithHelp("ctrl+k", "delete to line end")),
		Newline:           key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "new line")),
		Undo:              key.NewBinding(key.WithKeys("ctrl+z"), key.WithHelp("ctrl+z", "undo")),
		Redo:              key.NewBinding(key.WithKeys("ctrl+y"), key.WithHelp("ctrl+y", "redo")),
	}
}

// ShortHelp implements help.KeyMap with the keys a coach is least likely to guess.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.WordLeft, k.WordRight, k.DeleteWordBack, k.DocEnd}
}

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Left, k.Right, k.Up, k.Down, k.WordLeft, k.WordRight},
		{k.LineStart, k.LineEnd, k.PageUp, k.PageDown, k.DocStart, k.DocEnd},
		{k.Backspace, k.Delete, k.DeleteWordBack, k.DeleteToLineStart, k.DeleteToLineEnd, k.Newline, k.Undo, k.Redo},
	}
}
