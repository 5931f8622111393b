package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"callcoach/storage"
)

// form is what the person and plan forms share: named fields in sections,
// moved through with tab, a draft kept in the database as the coach types
// and restored the next time the form opens, and a question before typing
// is thrown away. The form kinds embed it and add their fields, their key
// map, saving and their way out.
type form struct {
	c        *Common
	shared   *formKeys // the form kind's key map holds them
	sections []formSection
	order    []*formField          // every field, in the order tab moves through them
	names    map[string]*formField // every field by its name and by what coaching calls it
	focus    int                   // in order
	initial  map[string]string
	// confirming: asking whether to throw away what was typed.
	confirming bool
	// closing: leaving once the draft is kept; keys wait.
	closing    bool
	draft      *draftWriter
	draftQueue bool   // a draft save is waiting for its timer
	touched    bool   // the coach has typed or changed something
	restored   string // when the draft restored into the form was saved, in words
	// restoreHint says what to do with a restored draft.
	restoreHint string
	draftErr    string
	width       int
	height      int
}

// newForm lays out the sections declared; the cursor starts in the first
// field. Two fields of one name are a mistake in the declaration.
func newForm(c *Common, draftKey string, keys *formKeys, sections ...formSection) *form {
	f := &form{c: c, shared: keys, sections: sections, names: map[string]*formField{},
		initial: map[string]string{}, draft: newDraftWriter(c.Store, draftKey),
		restoreHint: keys.Save.Help().Key + " saves it."}
	for _, s := range sections {
		for _, fl := range s.fields {
			for _, n := range []string{fl.name, strings.ReplaceAll(fl.name, "_", " "), fl.alias} {
				if other, ok := f.names[n]; ok && other != fl {
					panic(fmt.Sprintf("form %s: two fields called %q", draftKey, n))
				}
				if n != "" {
					f.names[n] = fl
				}
			}
			if !fl.isChoice() {
				fl.makeInput(c.Styles)
			}
			f.order = append(f.order, fl)
			f.initial[fl.name] = fl.get()
		}
	}
	f.setFocus(0)
	return f
}

// Init looks for a draft an earlier session left unsaved.
func (f *form) Init() tea.Cmd { return f.draft.load(f.c) }

// Typing is always true: a form's keys go to its fields.
func (f *form) Typing() bool { return true }

func (f *form) SetSize(w, h int) {
	f.width, f.height = w, h
	for _, fl := range f.order {
		fl.input.Width = max(w-labelWidth-4-inputSlack, 1)
	}
}

const labelWidth = 15

// inputSlack is room left after a text field. A text input draws what was
// typed as is and pads to its width by the libraries' measure; a few emoji
// that the terminal draws wider must not push the row past the window.
const inputSlack = 6

func (f *form) focused() *formField { return f.order[f.focus] }

// get is a field's value by name ("" for an unknown name).
func (f *form) get(name string) string {
	if fl, ok := f.names[name]; ok {
		return fl.get()
	}
	return ""
}

// set changes a field's value by name, as if typed.
func (f *form) set(name, value string) {
	if fl, ok := f.names[name]; ok {
		fl.set(value)
	}
}

func (f *form) dirty() bool {
	for _, fl := range f.order {
		if fl.get() != f.initial[fl.name] {
			return true
		}
	}
	return false
}

// values is what the form holds, by field name, as a draft stores it.
func (f *form) values() map[string]string {
	v := make(map[string]string, len(f.order))
	for _, fl := range f.order {
		v[fl.name] = fl.get()
	}
	return v
}

// restore fills the form from a draft, unless the coach has already begun
// typing in this one.
func (f *form) restore(d storage.Draft) {
	if f.touched {
		return
	}
	for name, v := range d.Fields {
		f.set(name, v)
	}
	f.restored = shortDate(d.UpdatedAt, f.c.Now(), f.c.Local)
}

// Flush keeps what was typed as a draft; the root calls it on the way out.
func (f *form) Flush() error {
	if !f.dirty() {
		return nil
	}
	return f.draft.save(f.c, f.values())
}

// SaveCmd keeps what was typed as a draft now, off the UI goroutine; the
// root calls it before the screen lock (or search) covers the form.
func (f *form) SaveCmd() tea.Cmd {
	if !f.dirty() {
		return nil
	}
	return f.draft.saveCmd(f.c, f.values())
}

// changed notes that the coach typed something and arms the draft timer.
func (f *form) changed() tea.Cmd {
	f.touched = true
	if f.draftQueue {
		return nil
	}
	f.draftQueue = true
	return f.draft.later(f.c)
}

func (f *form) setFocus(i int) tea.Cmd {
	n := len(f.order)
	i = ((i % n) + n) % n
	f.focused().input.Blur()
	f.focus = i
	if fl := f.focused(); !fl.isChoice() {
		return fl.input.Focus()
	}
	return nil
}

// focusName puts the cursor in the field of that name, or of that name in
// coaching's rules; an unknown name leaves it where it is.
func (f *form) focusName(name string) tea.Cmd {
	for i, fl := range f.order {
		if fl == f.names[name] {
			return f.setFocus(i)
		}
	}
	return nil
}

// sync switches the keys to the form's state; the form kinds call it after
// every update, before their own keys.
func (f *form) sync() {
	f.shared.sync(f.idle(), f.confirming, f.focused().isChoice())
	for _, fl := range f.order {
		if fl.isChoice() {
			fl.pick.SetEnabled(fl == f.focused() && f.idle())
		}
	}
}

// Changing: the form is closing; keys wait for the screen below.
func (f *form) Changing() bool { return f.closing }

// discard throws the typing away: the draft goes, and so does the form.
func (f *form) discard() tea.Cmd {
	w, c := f.draft, f.c
	return tea.Batch(pop, func() tea.Msg {
		if err := w.close(c); err != nil {
			return errMsg{"Could not remove the draft: " + storage.Explain(err)}
		}
		return nil
	})
}

// leave closes the form and keeps what was typed as a draft for next
// time. The form stays until the draft is written: if it cannot be, it
// says so and stays, so nothing typed is lost.
func (f *form) leave() tea.Cmd {
	switch {
	case f.dirty():
		f.closing = true
		return f.draft.keepCmd(f.c, f.values())
	case f.touched: // typed, then put back as it was: no draft is needed
		w, c := f.draft, f.c
		return tea.Batch(pop, func() tea.Msg { _ = w.store.DeleteDraft(c.Ctx, w.key); return nil })
	}
	return pop
}

// update handles what every form does: drafts, the discard question,
// moving between fields, choosing and typing. The form kinds handle saving
// and their way out first.
func (f *form) update(msg tea.Msg) tea.Cmd {
	k := f.shared
	switch msg := msg.(type) {
	case draftLoadedMsg:
		if msg.w == f.draft && msg.ok {
			f.restore(msg.draft)
		}
		return nil
	case draftDueMsg:
		if msg.w != f.draft {
			return nil
		}
		f.draftQueue = false
		if !f.dirty() {
			w, c := f.draft, f.c
			return func() tea.Msg { return draftSavedMsg{w: w, err: w.store.DeleteDraft(c.Ctx, w.key)} }
		}
		return f.draft.saveCmd(f.c, f.values())
	case draftSavedMsg:
		if msg.w == f.draft {
			f.draftErr = ""
			if msg.err != nil {
				f.draftErr = "Your typing is not yet kept safe (" + storage.Explain(msg.err) + "); save with ctrl+s when you can."
			}
		}
		return nil
	case draftKeptMsg:
		if msg.w != f.draft {
			return nil
		}
		f.closing = false
		if msg.err != nil {
			f.draftErr = "Could not keep a draft (" + storage.Explain(msg.err) + "), so the form stays open: save with ctrl+s when you can."
			return nil
		}
		return tea.Batch(pop, func() tea.Msg { return infoMsg{"Not saved; what you typed is kept as a draft for next time."} })
	case tea.KeyMsg:
		fl := f.focused()
		before := fl.get()
		var cmd tea.Cmd
		switch {
		case key.Matches(msg, k.Discard):
			return f.discard()
		case key.Matches(msg, k.KeepEditing):
			f.confirming = false
			return nil
		case f.confirming || f.closing:
			return nil
		case key.Matches(msg, k.Next):
			return f.setFocus(f.focus + 1)
		case key.Matches(msg, k.Prev):
			return f.setFocus(f.focus - 1)
		case key.Matches(msg, k.ChoiceNext):
			fl.choice = (fl.choice + 1) % len(fl.choices)
		case key.Matches(msg, k.ChoicePrev):
			fl.choice = (fl.choice + len(fl.choices) - 1) % len(fl.choices)
		case key.Matches(msg, fl.pick):
			fl.pickKey(msg.String())
		case !fl.isChoice():
			fl.input.KeyMap = k.Edit
			fl.input, cmd = updateInput(fl.input, msg)
		}
		if fl.get() != before {
			return tea.Batch(cmd, f.changed())
		}
		return cmd
	}
	// A paste read from the clipboard comes back to the field.
	if fl := f.focused(); !fl.isChoice() && f.idle() {
		before := fl.get()
		var cmd tea.Cmd
		fl.input, cmd = updateInput(fl.input, msg)
		if fl.get() != before {
			return tea.Batch(cmd, f.changed())
		}
		return cmd
	}
	return nil
}

// idle reports whether the form takes the coach's keys: it is neither
// asking its question nor closing.
func (f *form) idle() bool { return !f.confirming && !f.closing }
