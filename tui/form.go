package tui

import (
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"callcoach/storage"
)

type formKeys struct {
	Next, Prev, Save, Cancel, Toggle key.Binding
	Discard, KeepEditing             key.Binding
}

func newFormKeys() formKeys {
	return formKeys{
		Next:        key.NewBinding(key.WithKeys("tab", "down", "enter"), key.WithHelp("tab/↓", "next field")),
		Prev:        key.NewBinding(key.WithKeys("shift+tab", "up"), key.WithHelp("shift+tab/↑", "previous field")),
		Save:        key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "save")),
		Cancel:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
		Toggle:      key.NewBinding(key.WithKeys(" ", "left", "right"), key.WithHelp("space", "change choice")),
		Discard:     key.NewBinding(key.WithKeys("y", "d"), key.WithHelp("y", "discard")),
		KeepEditing: key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n/esc", "keep editing")),
	}
}

type fieldKind int

const (
	textField fieldKind = iota
	choiceField
)

// formField is one row of a form: a text input, or a small set of choices
// cycled with space (or picked with a letter of choiceKeys).
type formField struct {
	name       string // key in the draft
	label      string
	hint       string
	kind       fieldKind
	input      textinput.Model
	choices    []string
	choiceKeys []string // a letter per choice; "" where none
	choice     int
	heading    string // a section title drawn above the field
}

func (f *formField) value() string {
	if f.kind == choiceField {
		return f.choices[f.choice]
	}
	return f.input.Value()
}

// textRow makes a text field. limit is generous on purpose: an over-long
// paste reaches validation, which says what is wrong, instead of being cut
// silently.
func textRow(c *Common, name, label, hint, value string, limit int) formField {
	ti := textinput.New()
	ti.Prompt = ""
	ti.CharLimit = limit
	ti.Placeholder = hint
	ti.PlaceholderStyle = c.Styles.Subtle
	ti.Cursor.Style = c.Styles.Cursor
	ti.Cursor.SetMode(cursor.CursorStatic)
	ti.SetValue(stripUnsafe(value))
	return formField{name: name, label: label, hint: hint, kind: textField, input: ti}
}

// form is what the person and plan forms share: fields moved through with
// tab, a question before throwing typing away, and a draft kept in the
// database as the coach types, restored the next time the form opens.
type form struct {
	c          *Common
	keys       formKeys
	fields     []formField
	focus      int
	initial    []string
	confirming bool // asking whether to throw away what was typed
	draft      *draftWriter
	draftQueue bool      // a draft save is waiting for its timer
	touched    bool      // the coach has typed or changed something
	restored   time.Time // when the draft restored into the form was saved
	draftErr   string
	width      int
	height     int
}

func newForm(c *Common, draftKey string, fields []formField) *form {
	f := &form{c: c, keys: newFormKeys(), fields: fields, draft: newDraftWriter(c.Store, draftKey)}
	for _, fl := range f.fields {
		f.initial = append(f.initial, fl.value())
	}
	if len(f.fields) > 0 && f.fields[0].kind == textField {
		f.fields[0].input.Focus()
	}
	return f
}

// Init looks for a draft an earlier session left unsaved.
func (f *form) Init() tea.Cmd { return f.draft.load(f.c) }

// Typing is always true: a form's keys go to its fields.
func (f *form) Typing() bool { return true }

func (f *form) SetSize(w, h int) {
	f.width, f.height = w, h
	for i := range f.fields {
		f.fields[i].input.Width = max(w-labelWidth-4-inputSlack, 1)
	}
}

const labelWidth = 15

// inputSlack is room left after a text field. A text input draws what was
// typed as is and pads to its width by the libraries' measure; a few emoji
// that the terminal draws wider must not push the row past the window.
const inputSlack = 6

func (f *form) index(name string) int {
	for i, fl := range f.fields {
		if fl.name == name {
			return i
		}
	}
	return -1
}

// get is a field's value by name ("" for an unknown name).
func (f *form) get(name string) string {
	if i := f.index(name); i >= 0 {
		return f.fields[i].value()
	}
	return ""
}

// set changes a field's value by name, as if typed.
func (f *form) set(name, value string) {
	i := f.index(name)
	if i < 0 {
		return
	}
	fl := &f.fields[i]
	if fl.kind == choiceField {
		for j, c := range fl.choices {
			if c == value {
				fl.choice = j
			}
		}
		return
	}
	fl.input.SetValue(stripUnsafe(value))
}

func (f *form) dirty() bool {
	for i, fl := range f.fields {
		if fl.value() != f.initial[i] {
			return true
		}
	}
	return false
}

// values is what the form holds, by field name, as a draft stores it.
func (f *form) values() map[string]string {
	v := make(map[string]string, len(f.fields))
	for _, fl := range f.fields {
		v[fl.name] = fl.value()
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
	f.restored = d.UpdatedAt
}

// Flush keeps what was typed as a draft; the root calls it on the way out.
func (f *form) Flush() error {
	if !f.dirty() {
		return nil
	}
	return f.draft.save(f.c, f.values())
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
	n := len(f.fields)
	i = ((i % n) + n) % n
	f.fields[f.focus].input.Blur()
	f.focus = i
	if f.fields[i].kind == textField {
		return f.fields[i].input.Focus()
	}
	return nil
}

// focusName puts the cursor in the named field.
func (f *form) focusName(name string) tea.Cmd {
	if i := f.index(name); i >= 0 {
		return f.setFocus(i)
	}
	return nil
}

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

// update handles what every form does: drafts, the discard question,
// moving between fields and typing. It reports whether it used msg; the
// owner handles saving and anything of its own first.
func (f *form) update(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case draftLoadedMsg:
		if msg.w == f.draft && msg.ok {
			f.restore(msg.draft)
		}
		return nil, msg.w == f.draft
	case draftDueMsg:
		if msg.w != f.draft {
			return nil, false
		}
		f.draftQueue = false
		if !f.dirty() {
			w, c := f.draft, f.c
			return func() tea.Msg { return draftSavedMsg{w: w, err: w.store.DeleteDraft(c.Ctx, w.key)} }, true
		}
		return f.draft.saveCmd(f.c, f.values()), true
	case draftSavedMsg:
		if msg.w != f.draft {
			return nil, false
		}
		f.draftErr = ""
		if msg.err != nil {
			f.draftErr = "Your typing is not yet kept safe (" + storage.Explain(msg.err) + "); save with ctrl+s when you can."
		}
		return nil, true
	case tea.KeyMsg:
		if f.confirming {
			switch {
			case key.Matches(msg, f.keys.Discard):
				return f.discard(), true
			case key.Matches(msg, f.keys.KeepEditing):
				f.confirming = false
			}
			return nil, true
		}
		switch {
		case key.Matches(msg, f.keys.Cancel):
			if f.dirty() {
				f.confirming = true
				return nil, true
			}
			return pop, true
		case key.Matches(msg, f.keys.Next):
			return f.setFocus(f.focus + 1), true
		case key.Matches(msg, f.keys.Prev):
			return f.setFocus(f.focus - 1), true
		}
		fl := &f.fields[f.focus]
		before := fl.value()
		var cmd tea.Cmd
		if fl.kind == choiceField {
			updateChoice(fl, msg)
		} else {
			fl.input, cmd = fl.input.Update(msg)
		}
		if fl.value() != before {
			return tea.Batch(cmd, f.changed()), true
		}
		return cmd, true
	}
	if fl := &f.fields[f.focus]; fl.kind == textField {
		var cmd tea.Cmd
		fl.input, cmd = fl.input.Update(msg)
		return cmd, false
	}
	return nil, false
}

func updateChoice(fl *formField, msg tea.KeyMsg) {
	switch msg.String() {
	case " ", "right":
		fl.choice = (fl.choice + 1) % len(fl.choices)
		return
	case "left":
		fl.choice = (fl.choice + len(fl.choices) - 1) % len(fl.choices)
		return
	}
	for i, k := range fl.choiceKeys {
		if k != "" && msg.String() == k {
			fl.choice = i
		}
	}
}

// ShortHelp is the help line of a form.
func (f *form) ShortHelp() []key.Binding {
	if f.confirming {
		return []key.Binding{f.keys.Discard, f.keys.KeepEditing}
	}
	b := []key.Binding{f.keys.Save, f.keys.Next, f.keys.Prev}
	if f.fields[f.focus].kind == choiceField {
		b = append(b, f.keys.Toggle)
	}
	return append(b, f.keys.Cancel)
}

func (f *form) FullHelp() [][]key.Binding {
	return [][]key.Binding{{f.keys.Save, f.keys.Cancel}, {f.keys.Next, f.keys.Prev, f.keys.Toggle}}
}

// fieldsView draws the fields in at most avail lines, keeping the focused
// one in view on short terminals.
func (f *form) fieldsView(avail int) string {
	st := f.c.Styles
	type row struct {
		text  string
		field int
	}
	var rows []row
	for i := range f.fields {
		fl := &f.fields[i]
		if fl.heading != "" {
			rows = append(rows, row{st.Header.Render(fl.heading), i})
		}
		marker := "  "
		label := st.Label.Render(padRight(fl.label, labelWidth))
		if i == f.focus {
			marker = st.Focused.Render("> ")
			label = st.Focused.Render(padRight(fl.label, labelWidth))
		}
		line := marker + label + " "
		if fl.kind == choiceField {
			line += choiceView(fl, i == f.focus, st, f.width-labelWidth-3)
		} else {
			line += fl.input.View()
		}
		rows = append(rows, row{line, i})
	}
	avail = max(avail, 1)
	first := 0
	if len(rows) > avail {
		focusRow := 0
		for i, r := range rows {
			if r.field == f.focus {
				focusRow = i
			}
		}
		first = min(max(focusRow-avail/2, 0), len(rows)-avail)
	}
	var lines []string
	for _, r := range rows[first:min(first+avail, len(rows))] {
		lines = append(lines, r.text)
	}
	return strings.Join(lines, "\n")
}

// statusView is the form's own line: the discard question, a draft
// problem, or that a draft was restored.
func (f *form) statusView() string {
	st := f.c.Styles
	switch {
	case f.confirming:
		return st.Warn.Render("Discard what you typed? y discards it, n goes back to the form.")
	case f.draftErr != "":
		return st.Error.Render(oneLine(f.draftErr))
	case !f.restored.IsZero():
		return st.Info.Render("Restored what you typed (" + shortDate(f.restored, f.c.Now(), f.c.Local) + "), not saved yet. ctrl+s saves it.")
	}
	return ""
}

// choiceView shows the choices with the chosen one marked; when they do
// not all fit, only the chosen one, with the keys that change it.
func choiceView(fl *formField, focused bool, st Styles, width int) string {
	if full := choiceList(fl, focused, st); lipgloss.Width(full) <= width {
		return full
	}
	s := "‹ " + fl.choices[fl.choice] + " ›"
	if focused {
		keys := strings.Join(fl.choiceKeys, " ")
		if strings.TrimSpace(keys) != "" {
			s += st.Subtle.Render("  ←/→ or " + keys)
		} else {
			s += st.Subtle.Render("  ←/→ changes")
		}
	}
	return s
}

func choiceList(fl *formField, focused bool, st Styles) string {
	var parts []string
	for i, c := range fl.choices {
		label := c
		if i < len(fl.choiceKeys) && fl.choiceKeys[i] != "" && focused {
			label = fl.choiceKeys[i] + " " + c
		}
		if i == fl.choice {
			parts = append(parts, "(•) "+label)
		} else {
			parts = append(parts, st.Subtle.Render("( ) "+label))
		}
	}
	s := strings.Join(parts, "  ")
	if focused {
		s += st.Subtle.Render("   space changes")
	}
	return s
}
