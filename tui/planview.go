package tui

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"

	"callcoach/coaching"
)

// planGuideLines is the height of the guidance under the plan's fields.
const planGuideLines = 5

// guideLines is the guidance under the fields: what to do next in Brief Action
// Planning's order, the problem-solving path after a low score, which SMART
// parts are still vague, and what the typed dates mean.
func (f *planForm) guideLines() []string {
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
	guide := f.guide
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

// ShortHelp is the help line: saving, the next field and the ways out
// first, as the line is cut to the width; or the question's answers.
func (f *planForm) ShortHelp() []key.Binding {
	k := f.keys
	return []key.Binding{k.Discard, k.KeepEditing, k.Save, k.Next, k.Leave, k.Throw, k.ChoiceNext, k.Prev}
}

func (f *planForm) FullHelp() [][]key.Binding {
	return append([][]key.Binding{{f.keys.Save, f.keys.Leave, f.keys.Throw}}, f.keys.help(f.focused())...)
}
