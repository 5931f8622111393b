package tui

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"callcoach/coaching"
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
		Toggle:      key.NewBinding(key.WithKeys(" ", "left", "right", "y", "n"), key.WithHelp("space", "change choice")),
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
// cycled with space.
type formField struct {
	name    string // key in the draft
	label   string
	hint    string
	kind    fieldKind
	input   textinput.Model
	choices []string
	choice  int
}

func (f *formField) value() string {
	if f.kind == choiceField {
		return f.choices[f.choice]
	}
	return f.input.Value()
}

type personSavedMsg struct {
	id    int64
	isNew bool
}

// personForm adds a person or edits one. Only the name is required.
type personForm struct {
	c          *Common
	keys       formKeys
	person     coaching.Person // what is being edited; ID 0 for a new person
	fields     []formField
	focus      int
	initial    []string
	confirming bool // asking whether to throw away what was typed
	saving     bool
	errText    string
	draft      *draftWriter
	draftQueue bool      // a draft save is waiting for its timer
	touched    bool      // the coach has typed or changed something
	restored   time.Time // when the draft restored into the form was saved
	draftErr   string
	width      int
	height     int
}

// The order of the fields in the form.
const (
	fName = iota
	fPreferred
	fPhone
	fTimeZone
	fConditions
	fCallTimes
	fNeeds
	fConsent
	fConsentDate
	fStatus
)

func newPersonForm(c *Common, p coaching.Person) *personForm {
	mk := func(name, label, hint, value string, limit int) formField {
		ti := textinput.New()
		ti.Prompt = ""
		ti.CharLimit = limit
		ti.Placeholder = hint
		ti.PlaceholderStyle = c.Styles.Subtle
		ti.Cursor.Style = c.Styles.Cursor
		ti.Cursor.SetMode(cursor.CursorStatic)
		ti.SetValue(value)
		return formField{name: name, label: label, hint: hint, kind: textField, input: ti}
	}
	// Inputs take more than the stored limits so that an over-long paste
	// reaches validation, which says what is wrong, instead of being cut
	// silently.
	const short, long = 4 * coaching.MaxShortField, 4 * coaching.MaxLongField
	consent := 0
	if p.Consent {
		consent = 1
	}
	status := 0
	for i, s := range []coaching.Status{coaching.StatusActive, coaching.StatusPaused, coaching.StatusClosed} {
		if p.Status == s {
			status = i
		}
	}
	key := "person:new"
	if p.ID != 0 {
		key = fmt.Sprintf("person:%d", p.ID)
	}
	f := &personForm{c: c, keys: newFormKeys(), person: p, draft: newDraftWriter(c.Store, key)}
	f.fields = []formField{
		mk("name", "Name *", "full name (required)", p.Name, short),
		mk("preferred_name", "Preferred name", "what they like to be called", p.PreferredName, short),
		mk("phone", "Phone", "e.g. +44 20 7946 0000", p.Phone, short),
		mk("time_zone", "Time zone", "e.g. Europe/London, America/Chicago", p.TimeZone, short),
		mk("conditions", "Conditions", "long-term conditions, separated by commas", coaching.FormatConditions(p.Conditions), long),
		mk("call_times", "Call times", "when they prefer calls, e.g. weekday mornings", p.CallTimes, long),
		mk("communication_needs", "Communication", "needs, e.g. hard of hearing, interpreter", p.CommunicationNeeds, long),
		{name: "consent", label: "Consent given", kind: choiceField, choices: []string{"no", "yes"}, choice: consent},
		mk("consent_date", "Consent date", "YYYY-MM-DD", p.ConsentDate, 40),
		{name: "status", label: "Status", kind: choiceField, choices: []string{"active", "paused", "closed"}, choice: status},
	}
	if p.ID == 0 {
		f.fields = f.fields[:fStatus] // a new person is always active
	}
	for _, fl := range f.fields {
		f.initial = append(f.initial, fl.value())
	}
	f.fields[0].input.Focus()
	return f
}

// Init looks for a draft an earlier session left unsaved.
func (f *personForm) Init() tea.Cmd { return f.draft.load(f.c) }

// values is what the form holds, by field name, as a draft stores it.
func (f *personForm) values() map[string]string {
	v := make(map[string]string, len(f.fields))
	for _, fl := range f.fields {
		v[fl.name] = fl.value()
	}
	return v
}

// restore fills the form from a draft, unless the coach has already begun
// typing in this one.
func (f *personForm) restore(d storage.Draft) {
	if f.touched {
		return
	}
	for i := range f.fields {
		fl := &f.fields[i]
		v, ok := d.Fields[fl.name]
		if !ok {
			continue
		}
		if fl.kind == choiceField {
			for j, c := range fl.choices {
				if c == v {
					fl.choice = j
				}
			}
			continue
		}
		fl.input.SetValue(v)
	}
	f.restored = d.UpdatedAt
}

// Flush keeps what was typed as a draft; the root calls it on the way out.
func (f *personForm) Flush() error {
	if !f.dirty() {
		return nil
	}
	return f.draft.save(f.c, f.values())
}

// changed notes that the coach typed something and arms the draft timer.
func (f *personForm) changed() tea.Cmd {
	f.touched = true
	if f.draftQueue {
		return nil
	}
	f.draftQueue = true
	return f.draft.later(f.c)
}
func (f *personForm) Typing() bool { return true }

func (f *personForm) SetSize(w, h int) {
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

func (f *personForm) ShortHelp() []key.Binding {
	if f.confirming {
		return []key.Binding{f.keys.Discard, f.keys.KeepEditing}
	}
	b := []key.Binding{f.keys.Save, f.keys.Next, f.keys.Prev}
	if f.fields[f.focus].kind == choiceField {
		b = append(b, f.keys.Toggle)
	}
	return append(b, f.keys.Cancel)
}

func (f *personForm) FullHelp() [][]key.Binding {
	return [][]key.Binding{{f.keys.Save, f.keys.Cancel}, {f.keys.Next, f.keys.Prev, f.keys.Toggle}}
}

func (f *personForm) dirty() bool {
	for i, fl := range f.fields {
		if fl.value() != f.initial[i] {
			return true
		}
	}
	return false
}

func (f *personForm) setFocus(i int) tea.Cmd {
	n := len(f.fields)
	i = ((i % n) + n) % n
	f.fields[f.focus].input.Blur()
	f.focus = i
	if f.fields[i].kind == textField {
		return f.fields[i].input.Focus()
	}
	return nil
}

func (f *personForm) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case draftLoadedMsg:
		if msg.w == f.draft && msg.ok {
			f.restore(msg.draft)
		}
		return f, nil
	case draftDueMsg:
		if msg.w != f.draft {
			return f, nil
		}
		f.draftQueue = false
		if !f.dirty() {
			w, c := f.draft, f.c
			return f, func() tea.Msg { return draftSavedMsg{w: w, err: w.store.DeleteDraft(c.Ctx, w.key)} }
		}
		return f, f.draft.saveCmd(f.c, f.values())
	case draftSavedMsg:
		if msg.w == f.draft {
			f.draftErr = ""
			if msg.err != nil {
				f.draftErr = "Your typing is not yet kept safe (" + msg.err.Error() + "); save with ctrl+s when you can."
			}
		}
		return f, nil
	case personSavedMsg:
		f.saving = false
		if msg.isNew {
			return f, tea.Batch(replace(newPersonScreen(f.c, msg.id, false)), func() tea.Msg { return infoMsg{"Added to the caseload."} })
		}
		return f, tea.Batch(pop, func() tea.Msg { return infoMsg{"Profile saved."} })
	case formErrMsg:
		f.saving = false
		f.errText = msg.text
		if msg.field >= 0 {
			return f, f.setFocus(msg.field)
		}
		return f, nil
	case tea.KeyMsg:
		if f.confirming {
			switch {
			case key.Matches(msg, f.keys.Discard):
				w, c := f.draft, f.c
				return f, tea.Batch(pop, func() tea.Msg {
					if err := w.close(c); err != nil {
						return errMsg{"Could not remove the draft: " + err.Error()}
					}
					return nil
				})
			case key.Matches(msg, f.keys.KeepEditing):
				f.confirming = false
			}
			return f, nil
		}
		switch {
		case key.Matches(msg, f.keys.Save):
			return f, f.save()
		case key.Matches(msg, f.keys.Cancel):
			if f.dirty() {
				f.confirming = true
				return f, nil
			}
			return f, pop
		case key.Matches(msg, f.keys.Next):
			return f, f.setFocus(f.focus + 1)
		case key.Matches(msg, f.keys.Prev):
			return f, f.setFocus(f.focus - 1)
		}
		fl := &f.fields[f.focus]
		before := fl.value()
		var cmd tea.Cmd
		if fl.kind == choiceField {
			f.updateChoice(fl, msg)
		} else {
			fl.input, cmd = fl.input.Update(msg)
		}
		if fl.value() != before {
			return f, tea.Batch(cmd, f.changed())
		}
		return f, cmd
	}
	var cmd tea.Cmd
	fl := &f.fields[f.focus]
	if fl.kind == textField {
		fl.input, cmd = fl.input.Update(msg)
	}
	return f, cmd
}

func (f *personForm) updateChoice(fl *formField, msg tea.KeyMsg) {
	switch msg.String() {
	case " ", "right":
		fl.choice = (fl.choice + 1) % len(fl.choices)
	case "left":
		fl.choice = (fl.choice + len(fl.choices) - 1) % len(fl.choices)
	case "y":
		if f.focus == fConsent {
			fl.choice = 1
		}
	case "n":
		if f.focus == fConsent {
			fl.choice = 0
		}
	}
}

type formErrMsg struct {
	text  string
	field int
}

// fieldIndex maps a coaching field name to the form row that holds it.
var fieldIndex = map[string]int{
	"name": fName, "preferred name": fPreferred, "phone": fPhone, "time zone": fTimeZone,
	"conditions": fConditions, "call times": fCallTimes, "communication needs": fNeeds,
	"consent date": fConsentDate, "status": fStatus,
}

func (f *personForm) save() tea.Cmd {
	if f.saving {
		return nil
	}
	p := f.person
	p.Name = f.fields[fName].value()
	p.PreferredName = f.fields[fPreferred].value()
	p.Phone = f.fields[fPhone].value()
	p.TimeZone = f.fields[fTimeZone].value()
	p.Conditions = coaching.ParseConditions(f.fields[fConditions].value())
	p.CallTimes = f.fields[fCallTimes].value()
	p.CommunicationNeeds = f.fields[fNeeds].value()
	p.Consent = f.fields[fConsent].value() == "yes"
	now := f.c.Now()
	date, err := coaching.ParseConsentDate(f.fields[fConsentDate].value(), now)
	if err == nil {
		p.ConsentDate = date
		if p.Consent && date == "" {
			p.ConsentDate = now.In(f.c.Local).Format("2006-01-02")
		}
		if len(f.fields) > fStatus {
			p.Status = coaching.Status(f.fields[fStatus].value())
		}
		err = p.Normalize(time.LoadLocation)
	}
	if err != nil {
		field := -1
		var fe *coaching.FieldError
		if errors.As(err, &fe) {
			if i, ok := fieldIndex[fe.Field]; ok && i < len(f.fields) {
				field = i
			}
			f.errText = "Not saved: " + strings.ToUpper(fe.Field[:1]) + fe.Field[1:] + " " + fe.Msg + "."
			if fe == coaching.ErrNameRequired {
				f.errText = "Not saved: " + fe.Msg + "."
			}
		} else {
			f.errText = "Not saved: " + err.Error()
		}
		if field >= 0 {
			return f.setFocus(field)
		}
		return nil
	}
	f.saving = true
	f.errText = ""
	store, ctx, draft := f.c.Store, f.c.Ctx, f.draft
	return func() tea.Msg {
		saved := personSavedMsg{id: p.ID}
		if p.ID == 0 {
			id, err := store.CreatePerson(ctx, p, now)
			if err != nil {
				return formErrMsg{"Not saved: " + err.Error() + ". Your typing is still here; try ctrl+s again.", -1}
			}
			saved = personSavedMsg{id: id, isNew: true}
		} else if err := store.UpdatePerson(ctx, p, now); err != nil {
			return formErrMsg{"Not saved: " + err.Error() + ". Your typing is still here; try ctrl+s again.", -1}
		}
		// The person is saved; a draft left behind would only confuse.
		_ = draft.close(f.c)
		return saved
	}
}

func (f *personForm) View() string {
	st := f.c.Styles
	var b strings.Builder
	if f.person.ID == 0 {
		b.WriteString(st.Title.Render("New person"))
	} else {
		b.WriteString(st.Title.Render("Edit " + oneLine(f.person.Name)))
	}
	b.WriteString(st.Subtle.Render("  only the name is needed; ctrl+s saves from any field"))
	b.WriteString("\n")
	// On short terminals keep the focused field in view.
	rows := len(f.fields)
	avail := max(f.height-4, 1)
	first := 0
	if rows > avail {
		first = min(max(f.focus-avail/2, 0), rows-avail)
	}
	for i := first; i < rows && i < first+avail; i++ {
		fl := &f.fields[i]
		b.WriteString("\n")
		marker := "  "
		label := st.Label.Render(padRight(fl.label, labelWidth))
		if i == f.focus {
			marker = st.Focused.Render("> ")
			label = st.Focused.Render(padRight(fl.label, labelWidth))
		}
		b.WriteString(marker + label + " ")
		if fl.kind == choiceField {
			b.WriteString(choiceView(fl, i == f.focus, st))
		} else {
			b.WriteString(fl.input.View())
		}
	}
	b.WriteString("\n\n")
	switch {
	case f.confirming:
		b.WriteString(st.Warn.Render("Discard what you typed? y discards it, n goes back to the form."))
	case f.saving:
		b.WriteString(st.Subtle.Render("Saving…"))
	case f.errText != "":
		b.WriteString(st.Error.Render(oneLine(f.errText)))
	case f.draftErr != "":
		b.WriteString(st.Error.Render(oneLine(f.draftErr)))
	case !f.restored.IsZero():
		b.WriteString(st.Info.Render("Restored what you typed (" + draftAge(f.restored, f.c.Now(), f.c.Local) + "), not saved yet. ctrl+s saves it."))
	}
	return b.String()
}

func choiceView(fl *formField, focused bool, st Styles) string {
	var parts []string
	for i, c := range fl.choices {
		if i == fl.choice {
			parts = append(parts, "(•) "+c)
		} else {
			parts = append(parts, st.Subtle.Render("( ) "+c))
		}
	}
	s := strings.Join(parts, "  ")
	if focused {
		s += st.Subtle.Render("   space changes")
	}
	return s
}
