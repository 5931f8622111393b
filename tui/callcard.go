package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"callcoach/coaching"
	"callcoach/coaching/prompts"
)

// The stage list and the prompt card: where the call is in the flow, and
// what to ask at this stage. They are drawn in Update, and only when what
// they show changes, not on every keystroke in the notes.

// topKey is what the stage list and card depend on.
type topKey struct {
	whole      bool
	cardTop    int
	stage      coaching.Stage
	visits     int
	confidence int
	w, h       int
	stages     bool
	plan       string
}

func (m *callScreen) topKeyNow(l callLayout) topKey {
	k := topKey{whole: m.wholeCard, cardTop: m.cardTop, stage: m.stage, visits: len(m.visits), confidence: -1, w: m.width, h: l.cardH, stages: l.stages}
	if m.plan != nil {
		k.plan = planLine(*m.plan)
	}
	if c := m.lastConfidence(); c != nil {
		k.confidence = *c
	}
	return k
}

// card is the prompt card for the current stage and the call's role.
func (m *callScreen) card() prompts.Card {
	if m.c.Prompts == nil {
		return prompts.Default().Card(m.stage, m.call.Role)
	}
	return m.c.Prompts.Card(m.stage, m.call.Role)
}

func (m *callScreen) drawTop(l callLayout) string {
	if !l.stages {
		lines := m.cardLines(m.width, true)
		if m.wholeCard && len(lines) > l.cardH {
			return m.wholeCardView(lines, l.cardH)
		}
		return m.cardView(lines, m.width, l.cardH)
	}
	w := max(m.width-stageListWidth-1, 1)
	list := m.stageListView(l.cardH)
	card := m.cardView(m.cardLines(w, false), w, l.cardH)
	sep := strings.TrimSuffix(strings.Repeat(m.c.Styles.Separator.Render("│")+"\n", l.cardH), "\n")
	return lipgloss.JoinHorizontal(lipgloss.Top, list, sep, card)
}

func (m *callScreen) stageListView(h int) string {
	st := m.c.Styles
	next, hasNext := coaching.NextStage(m.stage, m.lastConfidence())
	visited := map[coaching.Stage]bool{}
	for _, v := range m.visits {
		visited[v.Stage] = true
	}
	var lines []string
	for i, s := range coaching.DefaultFlow {
		mark := "  "
		switch {
		case s == m.stage:
			mark = "> "
		case hasNext && s == next:
			mark = "→ "
		case visited[s]:
			mark = "✓ "
		}
		line := padRight(fmt.Sprintf("%s%d %s", mark, i+1, s.Title()), stageListWidth)
		if s == m.stage {
			line = st.Focused.Render(line)
		} else if !visited[s] {
			line = st.Subtle.Render(line)
		}
		lines = append(lines, line)
	}
	for len(lines) < h {
		lines = append(lines, strings.Repeat(" ", stageListWidth))
	}
	return strings.Join(lines[:h], "\n")
}

// cardLines is the prompt card at width w, every line of it: the stage
// and its goal, for a peer volunteer when to hand over, what to ask,
// example wordings, what to listen for, and any note the organisation
// added. At the review stage it quotes the person's real plan.
func (m *callScreen) cardLines(w int, withStage bool) []string {
	st := m.c.Styles
	card := m.card()
	var lines []string
	add := func(style lipgloss.Style, prefix, text string) {
		if strings.TrimSpace(text) == "" {
			return
		}
		wrapped := lipgloss.NewStyle().Width(max(w-1, 1)).Render(oneLine(prefix + text))
		for _, l := range strings.Split(wrapped, "\n") {
			lines = append(lines, style.Render(strings.TrimRight(l, " ")))
		}
	}
	head := m.stage.Title()
	if withStage {
		head = fmt.Sprintf("%d/%d %s", coaching.StageIndex(m.stage)+1, len(coaching.DefaultFlow), head)
	}
	if next, ok := coaching.NextStage(m.stage, m.lastConfidence()); ok {
		head += st.Subtle.Render("   next: " + next.Title() + " (alt+n)")
	}
	lines = append(lines, st.Title.Render(head))
	plan := ""
	if m.stage == coaching.StageReview {
		if m.plan == nil {
			lines = append(lines, st.Subtle.Render("No earlier plan: go on to Focus (alt+n)."))
		} else {
			plan = planWords(*m.plan)
			add(st.Focused, "Last plan: ", planLine(*m.plan))
			add(st.Subtle, "", "alt+v: how did it go? Then continue, revise or a new plan.")
		}
	}
	switch m.stage {
	case coaching.StagePlan:
		add(st.Subtle, "", "alt+l opens the plan form.")
	case coaching.StageEngage:
		add(st.Subtle, "", "alt+w gives a measure if one is due; alt+h if they may be at risk.")
	}
	if card.Ask == "" {
		lines = append(lines, st.Subtle.Render("No prompt card for this stage."))
	}
	add(st.App, "", card.Goal)
	add(st.Warn, "Hand over: ", card.HandOver)
	add(st.App, "Ask: ", card.Ask)
	for _, e := range card.Examples {
		if e, ok := prompts.WithPlan(e, plan); ok {
			add(st.Info, "“", e+"”")
		}
	}
	add(st.Subtle, "Listen for: ", card.ListenFor)
	add(st.Focused, "Here: ", card.Local)
	return lines
}

// cardView fits the card's lines into w x h. A card cut short says so,
// and how to see it whole.
func (m *callScreen) cardView(lines []string, w, h int) string {
	if len(lines) > h {
		lines = append([]string(nil), lines[:h]...)
		more := m.c.Styles.Warn.Render(" … more: " + m.keys.cardKey())
		last := clipLine(lines[h-1], max(w-lipgloss.Width(more), 1))
		if strings.HasSuffix(strings.TrimRight(ansi.Strip(last), " "), "…") { // cut mid-line: one ellipsis is enough
			more = m.c.Styles.Warn.Render(" more: " + m.keys.cardKey())
		}
		lines[h-1] = last + more
	}
	out := make([]string, h)
	for i := range out {
		if i < len(lines) {
			out[i] = padRight(lines[i], w)
		} else {
			out[i] = padRight("", w)
		}
	}
	return strings.Join(out, "\n")
}

// wholeCardView shows h of a whole card's lines from cardTop, when even
// the whole card does not fit (a small terminal): alt+↑/↓ scroll it, and
// the last row says where it is.
func (m *callScreen) wholeCardView(lines []string, h int) string {
	if h < 2 {
		return m.cardView(lines, m.width, h)
	}
	top := max(min(m.cardTop, len(lines)-(h-1)), 0)
	shown := append([]string(nil), lines[top:min(top+h-1, len(lines))]...)
	var where string
	switch {
	case top+h-1 >= len(lines):
		where = fmt.Sprintf("  end of the card · alt+↑ back · %s: card away", m.keys.cardKey())
	default:
		where = fmt.Sprintf("  … alt+↓ more (%d of %d lines)", top+h-1, len(lines))
	}
	shown = append(shown, m.c.Styles.Subtle.Render(clipLine(where, m.width)))
	return m.cardView(shown, m.width, h)
}

// planLine is a plan in a few words: what, how much, when, how often, and
// the last confidence score.
func planLine(p coaching.ActionPlan) string {
	parts := []string{p.What}
	for _, s := range []string{p.HowMuch, p.When} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	if p.DaysPerWeek > 0 {
		parts = append(parts, fmt.Sprintf("%d days a week", p.DaysPerWeek))
	}
	if p.Confidence != coaching.NoScore {
		parts = append(parts, fmt.Sprintf("confidence %d", p.Confidence))
	}
	if p.Status != "" && p.Status != coaching.PlanActive {
		parts = append(parts, p.Status.Label())
	}
	return strings.Join(parts, " · ")
}

// planWords is a plan as said aloud: "walk after lunch, 20 minutes,
// straight after lunch, 3 days a week".
func planWords(p coaching.ActionPlan) string {
	parts := []string{p.What}
	for _, s := range []string{p.HowMuch, p.When} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	if p.DaysPerWeek > 0 {
		parts = append(parts, fmt.Sprintf("%d days a week", p.DaysPerWeek))
	}
	return strings.Join(parts, ", ")
}
