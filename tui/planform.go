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

// planGuideLines is the height of the guidance under the plan's fields.
const planGuideLines = 5

type planSavedMsg struct {
	due string
}

// planForm writes an action plan with the person, in Brief Action
// Planning's order: the plan (what, how much, when, where, how often),
// then the person says it back (commitment), then how confident they are;
// below 7 the form guides problem-solving, and each new score is kept;
// then the follow-up. ctrl+s saves it all at once from any field.
type planForm struct {
	*form
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
}

func newPlanForm(c *Common, p coaching.Person, base coaching.ActionPlan, callID int64) *planForm {
	const long = 4 * coaching.MaxLongField
	var choices, keys []string
	behaviour := 0
	for i, b := range coaching.BehaviourChoices {
		choices = append(choices, b.Label)
		keys = append(keys, b.Key)
		if b.Behaviour == base.Behaviour {
			behaviour = i
		}
	}
	days := ""
	if base.DaysPerWeek > 0 {
		days = strconv.Itoa(base.DaysPerWeek)
	}
	barrier := func(i int) (string, string) {
		if i < len(base.Barriers) {
			return base.Barriers[i].Barrier, base.Barriers[i].Solution
		}
		return "", ""
	}
	b1, s1 := barrier(0)
	b2, s2 := barrier(1)
	b3, s3 := barrier(2)
	fields := []formField{
		{name: "behaviour", label: "Area", kind: choiceField, choices: choices, choiceKeys: keys, choice: behaviour,
			heading: "The plan: their idea first; offer the menu only if they want it"},
		textRow(c, "what", "What", "what they will do, e.g. walk after lunch", base.What, long),
		textRow(c, "how_much", "How much", "e.g. 15 minutes", base.HowMuch, long),
		textRow(c, "when", "When", "e.g. straight after lunch", base.When, long),
		textRow(c, "where", "Where", "e.g. round the park", base.Where, long),
		textRow(c, "days", "Days a week", "1 to 7", days, 10),
		textRow(c, "start", "Start", "e.g. today, mon, 2026-11-24", base.StartDate, 40),
		textRow(c, "review", "Review", "e.g. +1w, fri, 2026-12-01", base.ReviewDate, 40),
		textRow(c, "barrier1", "Barrier", "what might get in the way?", b1, long),
		textRow(c, "solution1", "  their way", "what could they do about it?", s1, long),
		textRow(c, "barrier2", "Barrier", "another, if any", b2, long),
		textRow(c, "solution2", "  their way", "", s2, long),
		textRow(c, "barrier3", "Barrier", "", b3, long),
		textRow(c, "solution3", "  their way", "", s3, long),
		textRow(c, "backup", "Backup plan", "if the plan can't happen", base.Backup, long),
		textRow(c, "commitment", "In their words", "ask them to say the plan back; type what they say", base.Commitment, long),
		textRow(c, "confidence", "Confidence", "0-10: how sure are they they'll do it?", "", 10),
		textRow(c, "followup_when", "Follow-up", "e.g. tomorrow 10:00, fri 14:00, +1w", "", 60),
		textRow(c, "followup_reason", "  reason", "e.g. see how the walking went", "", long),
	}
	fields[15].heading = "Said back, then scored"
	fields[17].heading = "Next contact (in their time zone)"
	f := &planForm{form: newForm(c, fmt.Sprintf("plan:%d", p.ID), fields), person: p, base: base, callID: callID}
	return f
}

// personLoc is the person's time zone, or the coach's if it is not known.
func (f *planForm) personLoc() *time.Location {
	if f.person.TimeZone != "" {
		if loc, err := time.LoadLocation(f.person.TimeZone); err == nil {
			return loc
		}
	}
	return f.c.Local
}

func (f *planForm) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case planSavedMsg:
		f.saving = false
		text := "Plan saved."
		if msg.due != "" {
			text += " Follow-up " + msg.due + "."
		}
		return f, tea.Batch(pop, func() tea.Msg { return infoMsg{text} })
	case formErrMsg:
		f.saving = false
		f.errText = msg.text
		return f, f.focusName(msg.field)
	case tea.KeyMsg:
		if !f.confirming && key.Matches(msg, f.keys.Save) {
			f.takeScore()
			return f, f.save()
		}
		leaving := f.fields[f.focus].name == "confidence" &&
			(key.Matches(msg, f.keys.Next) || key.Matches(msg, f.keys.Prev))
		if leaving {
			f.takeScore()
		}
		before := f.values()
		cmd, _ := f.update(msg)
		if after := f.values(); !sameValues(before, after) {
			f.errText = ""
			if planChanged(before, after) {
				f.changes++
			}
		}
		return f, cmd
	}
	cmd, _ := f.update(msg)
	return f, cmd
}

// planChanged reports whether the plan itself changed (not the score or
// the follow-up): only then is the same score given again a rescoring.
func planChanged(before, after map[string]string) bool {
	for k, v := range after {
		switch k {
		case "confidence", "followup_when", "followup_reason":
			continue
		}
		if before[k] != v {
			return true
		}
	}
	return false
}

func sameValues(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// takeScore records the confidence field as a score if it is one and the
// form changed since the last score (or it is the first).
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
	if len(f.scores) > 0 && f.scores[len(f.scores)-1] == score && f.scoredAt == f.changes {
		return
	}
	f.scores = append(f.scores, score)
	f.scoredAt = f.changes
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

// formFieldOf maps coaching's field names in plan errors to the form's.
var planFieldNames = map[string]string{
	"what": "what", "how much": "how_much", "when": "when", "where": "where", "days": "days",
	"start": "start", "review": "review", "barriers": "barrier1", "backup": "backup",
	"commitment": "commitment", "follow-up": "followup_when", "behaviour": "behaviour",
	"confidence": "confidence",
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
			return f.focusName(planFieldNames[fe.Field])
		}
		return nil
	}
	f.saving, f.errText = true, ""
	scores := append([]int(nil), f.scores...)
	c, draft := f.c, f.draft
	personLoc := f.personLoc()
	return func() tea.Msg {
		now := c.Now()
		// One transaction: the plan (marking the plan it revises as
		// revised), its scores and its follow-up.
		if _, _, err := c.Store.CommitPlan(c.Ctx, p, scores, fu, now); err != nil {
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

// errorText words an error for the coach: a field's name and what is wrong.
func errorText(err error) string {
	var fe *coaching.FieldError
	if errors.As(err, &fe) {
		return fieldTitle(fe.Field) + " " + fe.Msg
	}
	return storage.Explain(err)
}

func fieldTitle(s string) string {
	s = strings.ReplaceAll(s, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// guide is the guidance under the fields: what to do next in Brief Action
// Planning's order, the problem-solving path after a low score, which SMART
// parts are still vague, and what the typed dates mean.
func (f *planForm) guide() []string {
	st := f.c.Styles
	var lines []string
	if f.errText != "" {
		lines = append(lines, st.Error.Render(oneLine(f.errText)))
	}
	if s := f.statusView(); s != "" {
		lines = append(lines, s)
	}
	p, perr := f.plan()
	if perr != nil && f.errText == "" {
		lines = append(lines, st.Error.Render(oneLine(errorText(perr))))
	}
	if n := len(f.scores); n > 0 && !coaching.ConfidentEnough(f.scores[n-1]) {
		lines = append(lines, st.Warn.Render(fmt.Sprintf("Confidence %d is below %d. Work through it together:", f.scores[n-1], coaching.ConfidenceThreshold)))
		for i, step := range coaching.ProblemSolvingSteps(f.scores[n-1]) {
			lines = append(lines, st.Warn.Render(fmt.Sprintf(" %d. %s", i+1, step)))
		}
	} else if perr == nil {
		lines = append(lines, st.Info.Render("Next: "+nextStepText(coaching.NextPlanStep(p))))
	}
	if n := len(f.scores); n > 1 {
		var ss []string
		for _, s := range f.scores {
			ss = append(ss, strconv.Itoa(s))
		}
		lines = append(lines, st.Subtle.Render("Scores so far: "+strings.Join(ss, " → ")))
	}
	if fu, err := f.followUp(); err != nil {
		lines = append(lines, st.Error.Render(oneLine(errorText(err))))
	} else if fu != nil {
		lines = append(lines, st.Subtle.Render("Follow-up: "+coaching.FormatDue(*fu, f.personLoc(), f.c.Local, f.c.Now())))
	}
	if perr == nil {
		for _, h := range p.Hints() {
			lines = append(lines, st.Subtle.Render("· "+h.Msg))
		}
	}
	return lines
}

func nextStepText(s coaching.PlanStep) string {
	switch s {
	case coaching.StepDetails:
		return "make it specific: what, how much, when, and how many days a week."
	case coaching.StepCommitment:
		return "ask them to say the plan back in their own words, and type what they say."
	case coaching.StepConfidence:
		return "ask how confident they are, 0 to 10, that they will do it."
	case coaching.StepProblemSolve:
		return "make the plan easier together, then ask for the commitment and the score again."
	}
	return "agree when you will next talk, then ctrl+s saves it all."
}

func (f *planForm) View() string {
	st := f.c.Styles
	var b strings.Builder
	title := "Action plan with " + oneLine(f.person.DisplayName())
	if f.base.Replaces != 0 {
		title = "Revised plan with " + oneLine(f.person.DisplayName())
	}
	b.WriteString(st.Title.Render(title) + st.Subtle.Render("  ctrl+s saves from any field"))
	b.WriteString("\n")
	guide := f.guide()
	guideH := min(len(guide), planGuideLines)
	if f.height < 14 {
		guideH = min(guideH, 2)
	}
	b.WriteString(f.fieldsView(f.height - 2 - guideH))
	b.WriteString("\n")
	b.WriteString(st.Separator.Render(strings.Repeat("─", max(f.width, 0))))
	for _, l := range guide[:guideH] {
		b.WriteString("\n" + clipLine(l, f.width))
	}
	return b.String()
}
