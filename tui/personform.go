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
	*form
	person  coaching.Person // what is being edited; ID 0 for a new person
	saving  bool
	errText string
}

func newPersonForm(c *Common, p coaching.Person) *personForm {
	const short, long = 4 * coaching.MaxShortField, 4 * coaching.MaxLongField
	consent := "no"
	if p.Consent {
		consent = "yes"
	}
	fields := []formField{
		textRow(c, "name", "Name *", "full name (required)", p.Name, short),
		textRow(c, "preferred_name", "Preferred name", "what they like to be called", p.PreferredName, short),
		textRow(c, "phone", "Phone", "e.g. +44 20 7946 0000", p.Phone, short),
		textRow(c, "time_zone", "Time zone", "e.g. Europe/London, America/Chicago", p.TimeZone, short),
		textRow(c, "conditions", "Conditions", "long-term conditions, separated by commas", coaching.FormatConditions(p.Conditions), long),
		textRow(c, "call_times", "Call times", "when they prefer calls, e.g. weekday mornings", p.CallTimes, long),
		textRow(c, "communication_needs", "Communication", "needs, e.g. hard of hearing, interpreter", p.CommunicationNeeds, long),
		{name: "consent", label: "Consent given", kind: choiceField, choices: []string{"no", "yes"}, choiceKeys: []string{"n", "y"}},
		textRow(c, "consent_date", "Consent date", "YYYY-MM-DD", p.ConsentDate, 40),
	}
	fields[7].choice = map[string]int{"no": 0, "yes": 1}[consent]
	key := "person:new"
	if p.ID != 0 { // a new person is always active; an existing one can be paused or closed
		status := formField{name: "status", label: "Status", kind: choiceField,
			choices: []string{"active", "paused", "closed"}, choiceKeys: []string{"a", "p", "c"}}
		for i, s := range status.choices {
			if coaching.Status(s) == p.Status {
				status.choice = i
			}
		}
		fields = append(fields, status)
		key = fmt.Sprintf("person:%d", p.ID)
	}
	return &personForm{form: newForm(c, key, fields), person: p}
}

func (f *personForm) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case personSavedMsg:
		f.saving = false
		if msg.isNew {
			return f, tea.Batch(replace(newPersonScreen(f.c, msg.id, false)), func() tea.Msg { return infoMsg{"Added to the caseload."} })
		}
		return f, tea.Batch(pop, func() tea.Msg { return infoMsg{"Profile saved."} })
	case formErrMsg:
		f.saving = false
		f.errText = msg.text
		return f, f.focusName(msg.field)
	case tea.KeyMsg:
		if !f.confirming && key.Matches(msg, f.keys.Save) {
			return f, f.save()
		}
	}
	cmd, _ := f.update(msg)
	return f, cmd
}

// fieldNames maps coaching's field names to the form's.
var fieldNames = map[string]string{
	"name": "name", "preferred name": "preferred_name", "phone": "phone", "time zone": "time_zone",
	"conditions": "conditions", "call times": "call_times", "communication needs": "communication_needs",
	"consent date": "consent_date", "status": "status",
}

func (f *personForm) save() tea.Cmd {
	if f.saving {
		return nil
	}
	p := f.person
	p.Name = f.get("name")
	p.PreferredName = f.get("preferred_name")
	p.Phone = f.get("phone")
	p.TimeZone = f.get("time_zone")
	p.Conditions = coaching.ParseConditions(f.get("conditions"))
	p.CallTimes = f.get("call_times")
	p.CommunicationNeeds = f.get("communication_needs")
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
		return f.focusName(fieldNames[fe.Field])
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
