package tui

// Handing a person over (issue 18, teams): on a team database a coach
// gives someone to another coach, or back to the team's pool, with a note
// the new coach sees first in their Now view and on the person's page.
// H on the person's page; the form keeps a draft as any form does.

import (
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"callcoach/storage"
)

// poolChoice is the hand-over form's answer for the team's pool.
const poolChoice = "the team's pool"

type (
	// handOverCoachesMsg brings the team's coaches for the form, or why
	// they could not be read.
	handOverCoachesMsg struct {
		coaches []storage.TeamCoach
		err     error
	}
	handOverSavedMsg struct{ to string }
)

// askHandOver reads the team's coaches, for the form.
func askHandOver(c *Common) tea.Cmd {
	return func() tea.Msg {
		coaches, err := c.Store.TeamCoaches(c.Ctx)
		return handOverCoachesMsg{coaches, err}
	}
}

type handOverForm struct {
	savingForm
	person  *personScreen // told when it is done, to close too
	roles   map[string]string
	saving  bool
	errText string
}

// newHandOverForm asks whom to hand p's person to (every coach of the team
// but this one, and the pool) and what they should know.
func newHandOverForm(c *Common, p *personScreen, coaches []storage.TeamCoach) *handOverForm {
	roles := map[string]string{poolChoice: ""}
	names := map[string]int{}
	for _, co := range coaches {
		names[co.Name]++
	}
	var choices []formChoice
	for _, co := range coaches {
		if co.Role == c.Login.Role {
			continue
		}
		label := oneLine(co.Name)
		if names[co.Name] > 1 || label == poolChoice {
			label += " (" + oneLine(co.Role) + ")"
		}
		roles[label] = co.Role
		choices = append(choices, formChoice{label: label})
	}
	choices = append(choices, formChoice{label: poolChoice})
	keys := newPersonFormKeys()
	keys.Save.SetHelp("ctrl+s", "hand over")
	f := &handOverForm{savingForm: savingForm{keys: keys}, person: p, roles: roles}
	f.form = newForm(c, fmt.Sprintf("handover:%d", p.id), &keys.formKeys, section("",
		choiceField("to", "Hand to", choices, ""),
		textField("note", "Note", "what they should know first: best times, who helps, what is next", "", storage.MaxHandOverNote),
	))
	f.restoreHint = "ctrl+s hands them over."
	f.sync()
	return f
}

func (f *handOverForm) Update(msg tea.Msg) (screen, tea.Cmd) {
	cmd := f.handle(msg)
	f.sync()
	return f, cmd
}

func (f *handOverForm) handle(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case handOverSavedMsg:
		f.saving = false
		f.person.handedTo = msg.to
		return pop
	case formErrMsg:
		f.saving = false
		f.errText = msg.text
		return nil
	case tea.KeyMsg:
		if cmd, done := f.keyed(msg, f.save); done {
			return cmd
		}
	}
	return f.update(msg)
}

func (f *handOverForm) save() tea.Cmd {
	if f.saving {
		return nil
	}
	to := f.get("to")
	role, ok := f.roles[to]
	if !ok {
		f.errText = "Not handed over: choose a coach or the team's pool."
		return nil
	}
	note := strings.TrimSpace(f.get("note"))
	if len(note) > storage.MaxHandOverNote {
		f.errText = fmt.Sprintf("Not handed over: the note holds at most %d characters.", storage.MaxHandOverNote)
		return nil
	}
	f.saving, f.errText = true, ""
	c, id, draft, now := f.c, f.person.id, f.draft, f.c.Now()
	return func() tea.Msg {
		if err := c.Store.HandOver(c.Ctx, id, role, note, now); err != nil {
			return formErrMsg{"Not handed over: " + storage.Explain(err) + ". Your typing is still here; try ctrl+s again.", ""}
		}
		_ = draft.close(c) // handed over; a draft left would only confuse
		return handOverSavedMsg{to: to}
	}
}

func (f *handOverForm) View() string {
	st := f.c.Styles
	var b strings.Builder
	b.WriteString(st.Title.Render("Hand over " + oneLine(f.person.person.DisplayName())))
	b.WriteString(st.Subtle.Render("  they leave your caseload; ctrl+s hands them over"))
	b.WriteString("\n\n")
	b.WriteString(f.fieldsView(f.height - 6))
	b.WriteString("\n\n")
	b.WriteString(st.Subtle.Render(clipLine("The new coach sees them first in their Now view, with your note.", f.width)))
	b.WriteString("\n")
	switch {
	case f.confirming:
		b.WriteString(f.statusView())
	case f.saving:
		b.WriteString(st.Subtle.Render("Handing over…"))
	case f.errText != "":
		b.WriteString(st.Error.Render(oneLine(f.errText)))
	default:
		b.WriteString(f.statusView())
	}
	return b.String()
}
