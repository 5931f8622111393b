package tui

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"callcoach/coaching"
	"callcoach/storage"
)

type personSavedMsg struct {
	id    int64
	isNew bool
}

type formErrMsg struct {
	text  string
	field string
}

// personForm adds a person or edits one. Only the name is required.
type personForm struct {
	savingForm
	person  coaching.Person // what is being edited; ID 0 for a new person
	saving  bool
	errText string
}

// personFormKeys is the person form's key map: the shared keys, and esc,
// which asks before throwing typing away.
type personFormKeys struct {
	formKeys
	Cancel key.Binding
}

func newPersonFormKeys() *personFormKeys {
	return &personFormKeys{
		formKeys: newFormKeys(),
		Cancel:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
}

func newPersonForm(c *Common, p coaching.Person) *personForm {
	const short, long = 4 * coaching.MaxShortField, 4 * coaching.MaxLongField
	consent := "no"
	if p.Consent {
		consent = "yes"
	}
	fields := []*formField{
		textField("name", "Name *", "full name (required)", p.Name, short),
		// As the organisation's records split the name, for records sent
		// elsewhere; never filled in from the name above.
		textField("given_names", "Given name(s)", "for records sent to other systems, e.g. Ann Marie", p.GivenNames, short),
		textField("family_name", "Family name", "leave empty if unsure: nothing is guessed from Name", p.FamilyName, short),
		textField("preferred_name", "Preferred name", "what they like to be called", p.PreferredName, short),
		textField("phone", "Phone", "e.g. +44 20 7946 0000", p.Phone, short),
		textField("time_zone", "Time zone", "e.g. Europe/London, America/Chicago", p.TimeZone, short),
		textField("conditions", "Conditions", "long-term conditions, separated by commas", coaching.FormatConditions(p.Conditions), long),
		textField("call_times", "Call times", "their clock, e.g. weekdays 12:00-14:00, sat morning, not before 10", p.CallTimes, long),
		textField("communication_needs", "Communication", "needs, e.g. hard of hearing, interpreter", p.CommunicationNeeds, long),
		textField("identifier", "Record no.", "their number in your organisation's records, e.g. an MRN", p.Identifier, short),
		textField("identifier_system", "  system", "the URI of that numbering, e.g. https://fhir.nhs.uk/Id/nhs-number", p.IdentifierSystem, short),
		choiceField("consent", "Consent given", []formChoice{{"no", "n"}, {"yes", "y"}}, consent),
		textField("consent_date", "Consent date", "YYYY-MM-DD", p.ConsentDate, 40),
	}
	draft := "person:new"
	if p.ID != 0 { // a new person is always active; an existing one can be paused or closed
		fields = append(fields, choiceField("status", "Status",
			[]formChoice{{"active", "a"}, {"paused", "p"}, {"closed", "c"}}, string(p.Status)))
		draft = fmt.Sprintf("person:%d", p.ID)
	}
	keys := newPersonFormKeys()
	f := &personForm{savingForm: savingForm{newForm(c, draft, &keys.formKeys, section("", fields...)), keys}, person: p}
	f.sync()
	return f
}

func (f *personForm) Update(msg tea.Msg) (screen, tea.Cmd) {
	cmd := f.handle(msg)
	f.sync()
	return f, cmd
}

func (f *personForm) handle(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case personSavedMsg:
		f.saving = false
		if msg.isNew {
			return tea.Batch(replace(f, newPersonScreen(f.c, msg.id, false)), func() tea.Msg { return infoMsg{"Added to the caseload."} })
		}
		return tea.Batch(pop, func() tea.Msg { return infoMsg{"Profile saved."} })
	case formErrMsg:
		f.saving = false
		f.errText = msg.text
		return f.focusName(msg.field)
	case tea.KeyMsg:
		if cmd, done := f.keyed(msg, f.save); done {
			return cmd
		}
	}
	return f.update(msg)
}

// savingForm is a form with a key that saves it and one that leaves it,
// asking first if something was typed: the person's and the hand-over's.
type savingForm struct {
	*form
	keys *personFormKeys
}

// keyed takes the save and cancel keys; done is false for any other key.
func (f *savingForm) keyed(msg tea.KeyMsg, save func() tea.Cmd) (tea.Cmd, bool) {
	switch {
	case key.Matches(msg, f.keys.Save):
		return save(), true
	case key.Matches(msg, f.keys.Cancel):
		if f.dirty() {
			f.confirming = true
			return nil, true
		}
		return pop, true
	}
	return nil, false
}

// sync switches the keys to the form's state.
func (f *savingForm) sync() {
	f.form.sync()
	f.keys.Cancel.SetEnabled(f.idle())
}

// ShortHelp is the help line: saving, the next field and the way out
// first, as the line is cut to the width; or the question's answers.
func (f *savingForm) ShortHelp() []key.Binding {
	k := f.keys
	return []key.Binding{k.Discard, k.KeepEditing, k.Save, k.Next, k.Cancel, k.ChoiceNext, k.Prev}
}

func (f *savingForm) FullHelp() [][]key.Binding {
	return append([][]key.Binding{{f.keys.Save, f.keys.Cancel}}, f.keys.help(f.focused())...)
}

func (f *personForm) save() tea.Cmd {
	if f.saving {
		return nil
	}
	p := f.person
	p.Name = f.get("name")
	p.GivenNames = f.get("given_names")
	p.FamilyName = f.get("family_name")
	p.PreferredName = f.get("preferred_name")
	p.Phone = f.get("phone")
	p.TimeZone = f.get("time_zone")
	p.Conditions = coaching.ParseConditions(f.get("conditions"))
	p.CallTimes = f.get("call_times")
	p.CommunicationNeeds = f.get("communication_needs")
	p.Identifier = f.get("identifier")
	p.IdentifierSystem = f.get("identifier_system")
	p.Consent = f.get("consent") == "yes"
	now := f.c.Now()
	date, err := coaching.ParseConsentDate(f.get("consent_date"), now)
	if err == nil {
		p.ConsentDate = date
		if p.Consent && date == "" {
			p.ConsentDate = now.In(f.c.Local).Format("2006-01-02")
		}
		if s := f.get("status"); s != "" {
			p.Status = coaching.Status(s)
		}
		err = p.Normalize(time.LoadLocation)
	}
	// Call times typed now must be a window the queue understands; text
	// kept from before is left as it was until someone rewrites it.
	if err == nil && p.CallTimes != "" && p.CallTimes != f.person.CallTimes {
		if _, werr := coaching.ParseCallWindow(p.CallTimes, time.UTC); werr != nil {
			f.errText = "Not saved: Call times: " + werr.Error()
			return f.focusName("call_times")
		}
	}
	if err != nil {
		var fe *coaching.FieldError
		if !errors.As(err, &fe) {
			f.errText = "Not saved: " + storage.Explain(err)
			return nil
		}
		f.errText = "Not saved: " + strings.ToUpper(fe.Field[:1]) + fe.Field[1:] + " " + fe.Msg + "."
		if fe == coaching.ErrNameRequired {
			f.errText = "Not saved: " + fe.Msg + "."
		}
		return f.focusName(fe.Field)
	}
	f.saving = true
	f.errText = ""
	store, ctx, draft, c := f.c.Store, f.c.Ctx, f.draft, f.c
	return func() tea.Msg {
		saved := personSavedMsg{id: p.ID}
		if p.ID == 0 {
			id, err := store.CreatePerson(ctx, p, now)
			if err != nil {
				return formErrMsg{"Not saved: " + storage.Explain(err) + ". Your typing is still here; try ctrl+s again.", ""}
			}
			saved = personSavedMsg{id: id, isNew: true}
		} else if err := store.UpdatePerson(ctx, p, now); err != nil {
			return formErrMsg{"Not saved: " + storage.Explain(err) + ". Your typing is still here; try ctrl+s again.", ""}
		}
		// The person is saved; a draft left behind would only confuse. If
		// removing it fails, the next form offers it again, which is safe.
		_ = draft.close(c)
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
	b.WriteString("\n\n")
	b.WriteString(f.fieldsView(f.height - 4))
	b.WriteString("\n\n")
	switch {
	case f.confirming:
		b.WriteString(f.statusView())
	case f.saving:
		b.WriteString(st.Subtle.Render("Saving…"))
	case f.errText != "":
		b.WriteString(st.Error.Render(oneLine(f.errText)))
	default:
		b.WriteString(f.statusView())
	}
	return b.String()
}
