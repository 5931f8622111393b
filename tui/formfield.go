package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/lipgloss"
)

// A form is declared as sections, each a heading and named fields:
//
//	newForm(c, "plan:7", keys,
//		section("The plan", choiceField("behaviour", "Area", areas, ""), textField("what", "What", "e.g. walk", "", 400)),
//		section("Next contact", textField("followup_when", "Follow-up", "e.g. fri 14:00", "", 60).knownAs("follow-up")),
//	)
//
// A field is found by its name: its value (get, set), the cursor (focusName)
// and the draft all use it, and so does a coaching.FieldError, whose Field
// is the name with spaces for underscores ("how much" for how_much) or the
// name given with knownAs.

// formSection is a part of a form: a heading, drawn above its first field
// ("" for none), and its fields in the order tab moves through them.
type formSection struct {
	heading string
	fields  []*formField
}

func section(heading string, fields ...*formField) formSection {
	return formSection{heading: heading, fields: fields}
}

// formChoice is one answer of a choice field and the letter that picks it
// ("" for none).
type formChoice struct {
	label, key string
}

// formField is one named row of a form: a line of text, or one of a few
// choices.
type formField struct {
	name  string // the field's name in get, set, focusName and the draft
	label string
	hint  string
	// alias is what coaching's rules call the field in a FieldError, when
	// that is not the name with spaces for underscores.
	alias   string
	value   string // what the field holds when the form opens
	limit   int    // the most characters a text field takes
	choices []formChoice

	input  textinput.Model // a text field's input, made by newForm
	choice int             // the chosen one of choices
	pick   key.Binding     // a choice field's letters, for the key map
}

// textField declares a line of text. limit is generous on purpose: an
// over-long paste reaches validation, which says what is wrong, instead of
// being cut silently.
func textField(name, label, hint, value string, limit int) *formField {
	return &formField{name: name, label: label, hint: hint, value: value, limit: limit}
}

// choiceField declares a choice among a few, starting at the one labelled
// value (the first if none is).
func choiceField(name, label string, choices []formChoice, value string) *formField {
	fl := &formField{name: name, label: label, choices: choices, value: value}
	var letters []string
	for i, c := range choices {
		if c.label == value {
			fl.choice = i
		}
		if c.key != "" {
			letters = append(letters, c.key)
		}
	}
	fl.pick = key.NewBinding(key.WithKeys(letters...), key.WithHelp(strings.Join(letters, "/"), "pick "+strings.ToLower(label)))
	fl.pick.SetEnabled(false) // only while the field has the cursor
	return fl
}

// knownAs names the field as coaching's rules do in a FieldError.
func (fl *formField) knownAs(alias string) *formField {
	fl.alias = alias
	return fl
}

func (fl *formField) isChoice() bool { return fl.choices != nil }

func (fl *formField) get() string {
	if fl.isChoice() {
		return fl.choices[fl.choice].label
	}
	return fl.input.Value()
}

func (fl *formField) set(value string) {
	if !fl.isChoice() {
		fl.input.SetValue(stripUnsafe(value))
		return
	}
	for i, c := range fl.choices {
		if c.label == value {
			fl.choice = i
		}
	}
}

// pickKey chooses the answer whose letter is k.
func (fl *formField) pickKey(k string) {
	for i, c := range fl.choices {
		if c.key != "" && c.key == k {
			fl.choice = i
		}
	}
}

// makeInput builds a text field's input in the form's styles.
func (fl *formField) makeInput(st Styles) {
	ti := textinput.New()
	ti.Prompt = ""
	ti.CharLimit = fl.limit
	ti.Placeholder = fl.hint
	ti.PlaceholderStyle = st.Subtle
	ti.Cursor.Style = st.Cursor
	ti.Cursor.SetMode(cursor.CursorStatic)
	ti.SetValue(stripUnsafe(fl.value))
	fl.input = ti
}

// view draws the field's value in width cells. A text field without the
// cursor shows the start of its text, however far along the cursor was.
func (fl *formField) view(focused bool, st Styles, width int) string {
	switch {
	case fl.isChoice():
		return choiceView(fl, focused, st, width)
	case focused || fl.input.Value() == "":
		return fl.input.View()
	}
	return clipLine(oneLine(fl.input.Value()), fl.input.Width)
}

// choiceView shows the choices with the chosen one marked; when they do
// not all fit, only the chosen one, with the keys that change it.
func choiceView(fl *formField, focused bool, st Styles, width int) string {
	if full := choiceList(fl, focused, st); lipgloss.Width(full) <= width {
		return full
	}
	s := "‹ " + fl.choices[fl.choice].label + " ›"
	if focused {
		if keys := fl.pick.Help().Key; keys != "" {
			s += st.Subtle.Render("  ←/→ or " + strings.ReplaceAll(keys, "/", " "))
		} else {
			s += st.Subtle.Render("  ←/→ changes")
		}
	}
	return s
}

func choiceList(fl *formField, focused bool, st Styles) string {
	var parts []string
	for i, c := range fl.choices {
		label := c.label
		if c.key != "" && focused {
			label = c.key + " " + c.label
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
