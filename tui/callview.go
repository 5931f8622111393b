package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"

	"callcoach/coaching"
	"callcoach/coaching/measures"
)

// The workspace layout at 80x24: a header line; the stage list beside the
// prompt card; a prompt line (questions, warnings, or a rule); the notes;
// the MI tally. As the window shrinks, panels give way in this order: the
// stage list (its place goes to a line in the card), then most of the
// card, then the card, then the tally. The notes always keep some rows.
const (
	stageListWidth = 20
	cardFullHeight = 9 // as tall as the stage list: one row per stage
	cardSmall      = 4
)

type callLayout struct {
	stages bool // the stage list beside the card
	cardH  int  // 0 hides the card
	tally  bool
	notesH int
}

func (m *callScreen) layout() callLayout {
	w, h := m.width, m.height
	l := callLayout{stages: w >= 60, tally: h >= 8}
	switch {
	case h >= 30:
		// Tall windows give the card room for its examples and what to
		// listen for; the notes keep at least half.
		l.cardH = min(max(h/2-3, cardFullHeight), 16)
	case h >= 20:
		l.cardH = cardFullHeight
	case h >= 12:
		l.cardH = cardSmall
		l.stages = false
	default:
		l.stages = false
	}
	used := 1 + l.cardH + len(m.promptLines())
	if l.tally {
		used++
	}
	l.notesH = max(h-used, 1)
	return l
}

func (m *callScreen) SetSize(w, h int) {
	m.width, m.height = w, h
	m.resizeNotes()
}

// resizeNotes gives the notes what the other panels leave. Called after
// anything that may change the prompt area's height.
func (m *callScreen) resizeNotes() {
	l := m.layout()
	if m.notes.Width() != m.width || m.notes.Height() != l.notesH {
		m.notes.SetSize(m.width, l.notesH)
	}
}

func (m *callScreen) View() string {
	m.resizeNotes()
	l := m.layout()
	var b strings.Builder
	b.WriteString(m.headerView(l))
	if l.cardH > 0 {
		b.WriteString("\n")
		b.WriteString(m.topView(l))
	}
	for _, line := range m.promptLines() {
		b.WriteString("\n")
		b.WriteString(clipLine(line, m.width))
	}
	b.WriteString("\n")
	b.WriteString(m.notes.View())
	if l.tally {
		b.WriteString("\n")
		b.WriteString(clipLine(m.tallyView(), m.width))
	}
	return b.String()
}

func (m *callScreen) headerView(l callLayout) string {
	st := m.c.Styles
	name := oneLine(m.person.DisplayName())
	title := "Call with " + name
	if m.width < 60 {
		title = name
	}
	left := st.Title.Render(title)
	if l.cardH == 0 {
		// No card, so the header says where the call is.
		left += " " + st.Focused.Render(fmt.Sprintf("%d %s", coaching.StageIndex(m.stage)+1, m.stage.Title()))
	}
	left += "  " + m.timerView() + "  " + m.saveState()
	right := st.Subtle.Render(m.call.Role.Label())
	gap := m.width - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 2 {
		return clipLine(left, m.width)
	}
	return left + strings.Repeat(" ", gap) + right
}

// timerView shows the time on the call against the target length, and
// says gently when the end is near or past.
func (m *callScreen) timerView() string {
	st := m.c.Styles
	elapsed := m.call.Duration(m.c.Now())
	s := coaching.FormatDuration(elapsed)
	target := m.c.CallTarget
	if target <= 0 {
		return st.Key.Render(s)
	}
	s += " / " + coaching.FormatDuration(target)
	switch left := target - elapsed; {
	case left < 0:
		return st.Warn.Render(s + " · over time, start to close")
	case left <= 2*time.Minute:
		return st.Warn.Render(s + " · about to close")
	}
	return st.Key.Render(s)
}

// slowSave is how long a save may wait before the header says why the
// notes are not saved yet.
const slowSave = time.Second

// saveState says whether what is on screen is in the file. It reads the
// writer's state without waiting for it, so a save stuck behind another
// program's lock never holds up drawing.
func (m *callScreen) saveState() string {
	st := m.c.Styles
	switch {
	case m.viewer != nil:
		return st.Warn.Render("READ ONLY")
	case m.lost != "":
		return st.Error.Render("NOT SAVED HERE")
	case m.saveErr != "":
		return st.Error.Render("NOT SAVED")
	case m.writer.savedRev() >= m.rev():
		return st.OK.Render("saved")
	case m.writer.waiting(m.c.Now()) >= slowSave && m.c.Store.Checking():
		return st.Warn.Render("not saved yet: checking the file first")
	case m.writer.waiting(m.c.Now()) >= slowSave:
		return st.Warn.Render("not saved yet: the file is busy")
	default:
		return st.Subtle.Render("saving…")
	}
}

// topKey is what the stage list and card depend on; View redraws them
// only when it changes, not on every keystroke in the notes.
type topKey struct {
	stage      coaching.Stage
	visits     int
	confidence int
	w, h       int
	stages     bool
	plan       string
}

// topView is the stage list beside the prompt card, or the card alone.
func (m *callScreen) topView(l callLayout) string {
	k := topKey{stage: m.stage, visits: len(m.visits), confidence: -1, w: m.width, h: l.cardH, stages: l.stages}
	if m.plan != nil {
		k.plan = planLine(*m.plan)
	}
	if c := m.lastConfidence(); c != nil {
		k.confidence = *c
	}
	if k == m.topKey && m.topCache != "" {
		return m.topCache
	}
	m.topKey, m.topCache = k, m.drawTop(l)
	return m.topCache
}

func (m *callScreen) drawTop(l callLayout) string {
	if !l.stages {
		return m.cardView(m.width, l.cardH, true)
	}
	list := m.stageListView(l.cardH)
	card := m.cardView(max(m.width-stageListWidth-1, 1), l.cardH, false)
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

// cardView draws the prompt card in w x h: the stage and its goal, for a
// peer volunteer when to hand over, what to ask, example wordings, what to
// listen for, and any note the organisation added.
func (m *callScreen) cardView(w, h int, withStage bool) string {
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
	if m.stage == coaching.StageReview {
		if m.plan == nil {
			lines = append(lines, st.Subtle.Render("No earlier plan: go on to Focus (alt+n)."))
		} else {
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
		add(st.Info, "“", e+"”")
	}
	add(st.Subtle, "Listen for: ", card.ListenFor)
	add(st.Focused, "Here: ", card.Local)
	if len(lines) > h {
		lines = lines[:h]
		lines[h-1] = clipLine(lines[h-1], max(w-2, 1)) + "…"
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	for i := range lines {
		lines[i] = padRight(lines[i], w)
	}
	return strings.Join(lines, "\n")
}

// promptLines is the area between the card and the notes: a question the
// workspace is asking, a warning, the last action, or a plain rule.
func (m *callScreen) promptLines() []string {
	st := m.c.Styles
	rule := st.Separator.Render(strings.Repeat("─", max(m.width, 0)))
	switch {
	case !m.writable():
		return m.leaseLines()
	case m.ending:
		return []string{st.Warn.Render("End call: " + outcomeLine())}
	case m.leader:
		return []string{st.Warn.Render("ctrl+g: now press the key (n, p, 1-9, o, q, r, e, a, s, m, z, i, c, t); esc cancels")}
	case m.ask.open():
		return m.askLines()
	case m.endErr != "":
		return []string{st.Error.Render(m.endErr)}
	case m.saveErr != "":
		return []string{st.Error.Render(m.saveErr)}
	case m.writeErr != "":
		return []string{st.Error.Render(m.writeErr)}
	case m.notes.Overflowed():
		return []string{st.Warn.Render(fmt.Sprintf("These notes have reached the %d KB limit; the rest of that paste was not added.", coaching.MaxNotesLen/1024))}
	case m.note != "":
		return []string{st.Info.Render(m.note)}
	case m.flag != nil:
		return []string{st.Warn.Render("SAFETY FLAG from " + m.flag.RaisedAt.In(m.c.Local).Format("Mon 2 Jan") +
			": ask how they are since; alt+k marks it reviewed")}
	}
	return []string{rule}
}

// askLines is the open question: a passing note above it if there is one
// (for example advice after a low confidence score), then the question and
// its input.
func (m *callScreen) askLines() []string {
	st := m.c.Styles
	a := &m.ask
	var lines []string
	if m.note != "" {
		lines = append(lines, st.Info.Render(m.note))
	}
	if a.err != "" {
		lines = append(lines, st.Error.Render(a.err))
	}
	switch a.step {
	case askMeasure:
		var parts []string
		for i, inst := range measures.All() {
			parts = append(parts, fmt.Sprintf("%d %s", i+1, inst.Name))
		}
		return append(lines, st.Focused.Render("Which measure? ")+strings.Join(parts, " · ")+" · esc")
	case askTalkKind:
		head := st.Focused.Render("Which kind? ") + st.Subtle.Render("“"+oneLine(a.quote)+"”")
		return append(lines, head, talkKeys(false), talkKeys(true))
	case askReviewOutcome:
		return append(lines, st.Focused.Render("How did the plan go? ")+"d done · p partly · n not done · esc later")
	case askReviewNext:
		return append(lines, st.Focused.Render("Now: ")+"c continue it · r revise it · n a new plan · esc decide later")
	case askFollowWhen:
		if due, err := coaching.ParseWhen(a.input.Value(), m.c.Now(), m.personLoc()); err == nil {
			lines = append(lines, st.Subtle.Render("→ "+coaching.FormatDue(coaching.FollowUp{Due: due}, m.personLoc(), m.c.Local, m.c.Now())))
		}
	}
	q := st.Focused.Render(a.question()) + " "
	a.input.Width = max(m.width-lipgloss.Width(q)-inputSlack, 1)
	return append(lines, q+a.input.View())
}

// tallyView is the MI tally with its two ratios held against MITI 4.2.1's
// thresholds, as words so it reads without colour.
func (m *callScreen) tallyView() string {
	st := m.c.Styles
	var parts []string
	for _, k := range coaching.TallyKinds {
		parts = append(parts, fmt.Sprintf("%s %d", k.Short(), m.tally[k]))
	}
	rq, pct := m.tally.ReflectionToQuestion(), m.tally.PercentComplex()
	return st.Subtle.Render(strings.Join(parts, " ")) + st.Separator.Render(" │ ") +
		ratioView(st, "R:Q", rq.FormatRQ(), rq) + st.Separator.Render(" │ ") +
		ratioView(st, "%CR", pct.FormatPercent(), pct)
}

// ratioView shows a ratio and its band in words; an undefined ratio is a
// dash alone.
func ratioView(st Styles, name, value string, r coaching.Ratio) string {
	if !r.Defined {
		return st.Subtle.Render(name + " " + value)
	}
	return bandStyle(st, r.Band).Render(name + " " + value + " " + r.Band.String())
}

func bandStyle(st Styles, b coaching.Band) lipgloss.Style {
	switch b {
	case coaching.BandGood:
		return st.OK
	case coaching.BandFair:
		return st.Info
	case coaching.BandBelowFair:
		return st.Warn
	}
	return st.Subtle
}

// outcomeLine lists the outcome keys: "r reached · n no answer · ...".
func outcomeLine() string {
	var parts []string
	for _, o := range coaching.OutcomeChoices {
		parts = append(parts, o.Key+" "+o.Label)
	}
	return strings.Join(parts, " · ")
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
