package tui

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"callcoach/coaching"
	"callcoach/storage"
)

type planSavedMsg struct {
	due string
}

// planForm writes an action plan with the person, in Brief Action
// Planning's order: the plan (what, how much, when, where, how often),
// then the person says it back (commitment), then how confident they are;
// below 7 the form guides problem-solving, and each new score is kept;
// then the follow-up. ctrl+s saves it all at once from any field; esc
// leaves it, keeping what was typed as a draft.
type planForm struct {
	*form
	keys   *planFormKeys
	person coaching.Person
	base   coaching.ActionPlan // ID and Replaces say what is being written
	callID int64
	scores []int // every confidence score given in this form, in order
	// scoredAt is the form's change count when the last score was taken,
	// so a score given again after changes counts as a rescoring.
	scoredAt int
	changes  int
	saving   bool
	errText  string
	guide    []string // the guidance under the fields, made in Update
	// asked: the person already has a next contact (shown), and the
	// form asks whether the plan's follow-up replaces it or is added;
	// replace is the answer, once given (0 none yet, 1 replace, 2 add).
	asked   *coaching.FollowUp
	replace int
}

// planAskReplaceMsg: saving found an open follow-up; the coach says
// whether the plan's follow-up replaces it.
type planAskReplaceMsg struct{ open coaching.FollowUp }

// planFormKeys is the plan form's key map: the shared keys; esc, which
// leaves keeping a draft; and ctrl+x, which throws the typing away.
type planFormKeys struct {
	formKeys
	Leave, Throw key.Binding
}

func newPlanFormKeys() *planFormKeys {
	return &planFormKeys{
		formKeys: newFormKeys(),
		Leave:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "close, keep draft")),
		Throw:    key.NewBinding(key.WithKeys("ctrl+x"), key.WithHelp("ctrl+x", "discard draft")),
	}
}

// The plan form's sections and fields.
func planSections(p coaching.ActionPlan) []formSection {
	const long = 4 * coaching.MaxLongField
	var areas []formChoice
	for _, b := range coaching.BehaviourChoices {
		areas = append(areas, formChoice{b.Label, b.Key})
	}
	days := ""
	if p.DaysPerWeek > 0 {
		days = strconv.Itoa(p.DaysPerWeek)
	}
	var barriers [3]coaching.Barrier
	copy(barriers[:], p.Barriers)
	return []formSection{
		section("The plan: their idea first; offer the menu only if they want it",
			choiceField("behaviour", "Area", areas, p.Behaviour.Label()),
			textField("what", "What", "what they will do, e.g. walk after lunch", p.What, long),
			textField("how_much", "How much", "e.g. 15 minutes", p.HowMuch, long),
			textField("when", "When", "e.g. straight after lunch", p.When, long),
			textField("where", "Where", "e.g. round the park", p.Where, long),
			textField("days", "Days a week", "1 to 7", days, 10),
			textField("start", "Start", "e.g. today, mon, 2026-11-24", p.StartDate, 40),
			textField("review", "Review", "e.g. +1w, fri, 2026-12-01", p.ReviewDate, 40),
			textField("barrier1", "Barrier", "what might get in the way?", barriers[0].Barrier, long).knownAs("barriers"),
			textField("solution1", "  their way", "what could they do about it?", barriers[0].Solution, long),
			textField("barrier2", "Barrier", "another, if any", barriers[1].Barrier, long),
			textField("solution2", "  their way", "", barriers[1].Solution, long),
			textField("barrier3", "Barrier", "", barriers[2].Barrier, long),
			textField("solution3", "  their way", "", barriers[2].Solution, long),
			textField("backup", "Backup plan", "if the plan can't happen", p.Backup, long),
		),
		section("Said back, then scored",
			textField("commitment", "In their words", "ask them to say the plan back; type what they say", p.Commitment, long),
			textField("confidence", "Confidence", "0-10: how sure are they they'll do it?", "", 10),
		),
		section("Next contact (in their time zone)",
			textField("followup_when", "Follow-up", "e.g. tomorrow 10:00, fri 14:00, +1w", "", 60).knownAs("follow-up"),
			textField("followup_reason", "  reason", "e.g. see how the walking went", "", long),
		),
	}
}

// notThePlan are the fields whose change is no change to the plan itself,
// so the same score given again after it is no rescoring.
var notThePlan = map[string]bool{"confidence": true, "followup_when": true, "followup_reason": true}

func newPlanForm(c *Common, p coaching.Person, base coaching.ActionPlan, callID int64) *planForm {
	keys := newPlanFormKeys()
	f := &planForm{form: newForm(c, fmt.Sprintf("plan:%d", p.ID), &keys.formKeys, planSections(base)...),
		keys: keys, person: p, base: base, callID: callID}
	f.restoreHint = keys.Throw.Help().Key + " discards it." // the title says how to save
	f.refresh()
	return f
}

// personLoc is the person's time zone, or the coach's if it is not known.
func (f *planForm) personLoc() *time.Location { return f.person.Zone(f.c.Local) }

func (f *planForm) Update(msg tea.Msg) (screen, tea.Cmd) {
	cmd := f.handle(msg)
	f.refresh()
	return f, cmd
}

// refresh brings the keys and the guidance up to date with the form.
func (f *planForm) refresh() {
	f.form.sync()
	f.keys.Leave.SetEnabled(f.idle())
	f.keys.Throw.SetEnabled(f.idle() && f.dirty())
	f.guide = f.guideLines()
}

func (f *planForm) handle(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case planSavedMsg:
		f.saving = false
		text := "Plan saved."
		if msg.due != "" {
			text += " Follow-up " + msg.due + "."
		}
		return tea.Batch(pop, func() tea.Msg { return infoMsg{text} })
	case formErrMsg:
		f.saving = false
		f.errText = msg.text
		return f.focusName(msg.field)
	case planAskReplaceMsg:
		f.saving = false
		f.asked = &msg.open
		old := coaching.FormatDue(msg.open, f.personLoc(), f.c.Local, f.c.Now())
		if msg.open.Reason != "" {
			old += " · " + oneLine(msg.open.Reason)
		}
		f.errText = "They already have a next contact: " + old + ". r replaces it with this plan's · a adds this one as well · esc back to the form"
		return nil
	case tea.KeyMsg:
		if f.asked != nil {
			switch msg.String() {
			case "r", "a":
				f.asked, f.errText = nil, ""
				f.replace = 1
				if msg.String() == "a" {
					f.replace = 2
				}
				return f.save()
			case "esc":
				f.asked, f.errText = nil, ""
			}
			return nil // one of those three
		}
		switch {
		case key.Matches(msg, f.keys.Save):
			f.takeScore()
			return f.save()
		case key.Matches(msg, f.keys.Leave):
			return f.leave()
		case key.Matches(msg, f.keys.Throw):
			f.confirming = true
			return nil
		case f.focused().name == "confidence" && key.Matches(msg, f.keys.Next, f.keys.Prev):
			f.takeScore()
		}
		before := f.values()
		cmd := f.update(msg)
		for name, v := range f.values() {
			if v != before[name] {
				f.errText = ""
				if !notThePlan[name] {
					f.changes++
					break
				}
			}
		}
		return cmd
	}
	return f.update(msg)
}

// takeScore keeps the confidence field as a score if it is one and it is
// new (coaching.NewConfidenceScore).
func (f *planForm) takeScore() {
	s := strings.TrimSpace(f.get("confidence"))
	if s == "" {
		return
	}
	score, err := coaching.ParseScore(s)
	if err != nil {
		f.errText = err.Error()
		return
	}
	if coaching.NewConfidenceScore(f.scores, score, f.changes != f.scoredAt) {
		f.scores = append(f.scores, score)
		f.scoredAt = f.changes
	}
}

// plan builds the plan from the fields; err names the field in trouble.
func (f *planForm) plan() (coaching.ActionPlan, error) {
	p := f.base
	p.PersonID = f.person.ID
	if f.callID != 0 {
		p.CallID = f.callID
	}
	for _, b := range coaching.BehaviourChoices {
		if b.Label == f.get("behaviour") {
			p.Behaviour = b.Behaviour
		}
	}
	p.What, p.HowMuch, p.When, p.Where = f.get("what"), f.get("how_much"), f.get("when"), f.get("where")
	p.DaysPerWeek = 0
	if d := strings.TrimSpace(f.get("days")); d != "" {
		n, err := strconv.Atoi(d)
		if err != nil || n < 1 || n > 7 {
			return p, &coaching.FieldError{Field: "days", Msg: "is how many days a week: a number from 1 to 7"}
		}
		p.DaysPerWeek = n
	}
	now, loc := f.c.Now(), f.personLoc()
	var err error
	if p.StartDate, err = parseDateField(f.get("start"), now, loc); err != nil {
		return p, &coaching.FieldError{Field: "start", Msg: err.Error()}
	}
	if p.ReviewDate, err = parseDateField(f.get("review"), now, loc); err != nil {
		return p, &coaching.FieldError{Field: "review", Msg: err.Error()}
	}
	p.Barriers = nil
	for i := 1; i <= 3; i++ {
		b, s := f.get(fmt.Sprintf("barrier%d", i)), f.get(fmt.Sprintf("solution%d", i))
		if strings.TrimSpace(b+s) != "" {
			p.Barriers = append(p.Barriers, coaching.Barrier{Barrier: b, Solution: s})
		}
	}
	p.Backup, p.Commitment = f.get("backup"), f.get("commitment")
	p.Confidence = coaching.NoScore
	if n := len(f.scores); n > 0 {
		p.Confidence = f.scores[n-1]
	}
	return p, p.Normalize(loc, now)
}

func parseDateField(s string, now time.Time, loc *time.Location) (string, error) {
	if strings.TrimSpace(s) == "" {
		return "", nil
	}
	return coaching.ParseDate(s, now, loc)
}

// followUp builds the follow-up from its fields; nil if none was given.
func (f *planForm) followUp() (*coaching.FollowUp, error) {
	when := strings.TrimSpace(f.get("followup_when"))
	if when == "" {
		return nil, nil
	}
	due, err := coaching.ParseWhen(when, f.c.Now(), f.personLoc())
	if err != nil {
		return nil, &coaching.FieldError{Field: "follow-up", Msg: err.Error()}
	}
	return &coaching.FollowUp{PersonID: f.person.ID, Due: due, Reason: coaching.CleanText(f.get("followup_reason")), MadeCallID: f.callID}, nil
}

func (f *planForm) save() tea.Cmd {
	if f.saving {
		return nil
	}
	p, err := f.plan()
	if err == nil && p.What == "" {
		err = &coaching.FieldError{Field: "what", Msg: "is needed: what will they do?"}
	}
	var fu *coaching.FollowUp
	if err == nil {
		fu, err = f.followUp()
	}
	if err != nil {
		f.errText = "Not saved: " + errorText(err)
		var fe *coaching.FieldError
		if errors.As(err, &fe) {
			return f.focusName(fe.Field)
		}
		return nil
	}
	f.saving, f.errText = true, ""
	scores := append([]int(nil), f.scores...)
	c, draft := f.c, f.draft
	personLoc := f.personLoc()
	answer, callID := f.replace, f.callID
	return func() tea.Msg {
		now := c.Now()
		if fu != nil && answer == 0 {
			// One next contact: ask before adding a second.
			open, ok, err := c.Store.OpenBeyondCall(c.Ctx, p.PersonID, callID)
			if err != nil {
				return formErrMsg{"Not saved: " + storage.Explain(err) + ". Your typing is still here; try ctrl+s again.", ""}
			}
			if ok {
				return planAskReplaceMsg{open}
			}
		}
		// One transaction: the plan (marking the plan it revises as
		// revised), its scores and its follow-up.
		if _, _, err := c.Store.CommitPlanReplacing(c.Ctx, p, scores, fu, answer == 1, now); err != nil {
			return formErrMsg{"Not saved: " + storage.Explain(err) + ". Your typing is still here; try ctrl+s again.", ""}
		}
		_ = draft.close(c) // saved; a failed removal only offers the draft again
		due := ""
		if fu != nil {
			due = coaching.FormatDue(*fu, personLoc, c.Local, now)
		}
		return planSavedMsg{due: due}
	}
}
