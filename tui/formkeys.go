package tui

import (
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
)

// formKeys are the keys every form has. Each form kind embeds them in its
// own key map with its own way out (planFormKeys, personFormKeys). Update
// matches these very bindings and the help draws them, so the two cannot
// drift; a binding that would do nothing in the form's present state is
// disabled (see form.sync), which hides it from the help and stops it
// matching.
type formKeys struct {
	Save, Next, Prev       key.Binding
	ChoiceNext, ChoicePrev key.Binding
	// Edit moves and deletes in a text field: the field's text input
	// matches these bindings itself.
	Edit textinput.KeyMap
	// The answers to "Discard what you typed?".
	Discard, KeepEditing key.Binding
}

func newFormKeys() formKeys {
	return formKeys{
		Save:        key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "save")),
		Next:        key.NewBinding(key.WithKeys("tab", "down", "enter"), key.WithHelp("tab/↓", "next field")),
		Prev:        key.NewBinding(key.WithKeys("shift+tab", "up"), key.WithHelp("shift+tab/↑", "previous field")),
		ChoiceNext:  key.NewBinding(key.WithKeys(" ", "right"), key.WithHelp("space", "change choice")),
		ChoicePrev:  key.NewBinding(key.WithKeys("left"), key.WithHelp("←", "change choice back")),
		Edit:        editKeys(),
		Discard:     key.NewBinding(key.WithKeys("y", "d"), key.WithHelp("y", "discard")),
		KeepEditing: key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n/esc", "keep editing")),
	}
}

// editKeys are the text input's own keys, described for the help. There
// are no suggestions in a form, so their keys are off; ctrl+f is left out
// of "forward a character" because the search everywhere takes it first,
// and alt with a letter moves no word: alt+letters are the call's chords.
func editKeys() textinput.KeyMap {
	off := key.NewBinding(key.WithDisabled())
	return textinput.KeyMap{
		CharacterBackward:       key.NewBinding(key.WithKeys("left", "ctrl+b"), key.WithHelp("←", "back a character")),
		CharacterForward:        key.NewBinding(key.WithKeys("right"), key.WithHelp("→", "forward a character")),
		WordBackward:            key.NewBinding(key.WithKeys("ctrl+left", "alt+left"), key.WithHelp("ctrl+←", "back a word")),
		WordForward:             key.NewBinding(key.WithKeys("ctrl+right", "alt+right"), key.WithHelp("ctrl+→", "forward a word")),
		LineStart:               key.NewBinding(key.WithKeys("home", "ctrl+a"), key.WithHelp("home", "to the start")),
		LineEnd:                 key.NewBinding(key.WithKeys("end", "ctrl+e"), key.WithHelp("end", "to the end")),
		DeleteCharacterBackward: key.NewBinding(key.WithKeys("backspace", "ctrl+h"), key.WithHelp("backspace", "delete back")),
		DeleteCharacterForward:  key.NewBinding(key.WithKeys("delete", "ctrl+d"), key.WithHelp("delete", "delete forward")),
		DeleteWordBackward:      key.NewBinding(key.WithKeys("ctrl+w", "alt+backspace"), key.WithHelp("ctrl+w", "delete a word back")),
		DeleteWordForward:       key.NewBinding(key.WithKeys("alt+d", "alt+delete"), key.WithHelp("alt+d", "delete a word forward")),
		DeleteBeforeCursor:      key.NewBinding(key.WithKeys("ctrl+u"), key.WithHelp("ctrl+u", "delete to the start")),
		DeleteAfterCursor:       key.NewBinding(key.WithKeys("ctrl+k"), key.WithHelp("ctrl+k", "delete to the end")),
		Paste:                   key.NewBinding(key.WithKeys("ctrl+v"), key.WithHelp("ctrl+v", "paste")),
		AcceptSuggestion:        off,
		NextSuggestion:          off,
		PrevSuggestion:          off,
	}
}

// editing lists the editing keys, for switching them and for the help.
func (k *formKeys) editing() []*key.Binding {
	e := &k.Edit
	return []*key.Binding{&e.CharacterBackward, &e.CharacterForward, &e.WordBackward, &e.WordForward,
		&e.LineStart, &e.LineEnd, &e.DeleteCharacterBackward, &e.DeleteCharacterForward,
		&e.DeleteWordBackward, &e.DeleteWordForward, &e.DeleteBeforeCursor, &e.DeleteAfterCursor, &e.Paste}
}

// sync switches on the keys that do something now: saving and moving
// while the form is idle, with the choice keys on a choice and the editing
// keys in a text field; only the answers while the discard question is
// asked; nothing while the form is closing.
func (k *formKeys) sync(idle, asking, onChoice bool) {
	for _, b := range []*key.Binding{&k.Save, &k.Next, &k.Prev} {
		b.SetEnabled(idle)
	}
	k.ChoiceNext.SetEnabled(idle && onChoice)
	k.ChoicePrev.SetEnabled(idle && onChoice)
	for _, b := range k.editing() {
		b.SetEnabled(idle && !onChoice)
	}
	k.Discard.SetEnabled(asking)
	k.KeepEditing.SetEnabled(asking)
}

// help is the full help every form shares: moving, choosing, editing and
// the question; a form puts its own save and way out before it.
func (k *formKeys) help(focused *formField) [][]key.Binding {
	move := []key.Binding{k.Next, k.Prev, k.ChoiceNext, k.ChoicePrev}
	if focused.isChoice() {
		move = append(move, focused.pick)
	}
	var edit []key.Binding
	for _, b := range k.editing() {
		edit = append(edit, *b)
	}
	return [][]key.Binding{move, edit, {k.Discard, k.KeepEditing}}
}
