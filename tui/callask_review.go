package tui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"callcoach/coaching"
)

// A review of the last plan: how it went, what helped, what got in the
// way; then continue it, revise it or make a new one.

// reviewKeys are the answers to "how did it go?".
var reviewKeys = map[string]coaching.PlanStatus{"d": coaching.PlanDone, "p": coaching.PlanPartly, "n": coaching.PlanNotDone}

type reviewOutcome struct{ review coaching.PlanReview }

func (reviewOutcome) question() string                    { return "How did the plan go?" }
func (reviewOutcome) input() (string, int, bool)          { return "", 0, false }
func (reviewOutcome) skippable() bool                     { return false }
func (reviewOutcome) skip(*callScreen) (askStep, tea.Cmd) { return nil, nil }

func (s reviewOutcome) lines(w *callScreen, _ string) []string {
	return []string{w.c.Styles.Focused.Render("How did the plan go? ") + "d done · p partly · n not done · esc later"}
}

func (s reviewOutcome) answer(w *callScreen, letter string) (askStep, tea.Cmd, string) {
	o, ok := reviewKeys[letter]
	if !ok {
		return s, nil, "Press d, p or n (or esc)."
	}
	r := s.review
	r.Outcome = o
	return reviewHelped{review: r}, nil, ""
}

type reviewHelped struct{ review coaching.PlanReview }

func (reviewHelped) question() string { return "What helped?" }
func (reviewHelped) input() (string, int, bool) {
	return "in their words; enter to skip", coaching.MaxLongField, true
}
func (reviewHelped) skippable() bool { return true }
func (s reviewHelped) skip(w *callScreen) (askStep, tea.Cmd) {
	next, cmd, _ := s.answer(w, "")
	return next, cmd
}

func (s reviewHelped) answer(w *callScreen, a string) (askStep, tea.Cmd, string) {
	r := s.review
	r.Helped = coaching.CleanText(a)
	return reviewGotInWay{review: r}, nil, ""
}

type reviewGotInWay struct{ review coaching.PlanReview }

func (reviewGotInWay) question() string { return "What got in the way?" }
func (reviewGotInWay) input() (string, int, bool) {
	return "in their words; enter to skip", coaching.MaxLongField, true
}
func (reviewGotInWay) skippable() bool { return true }
func (s reviewGotInWay) skip(w *callScreen) (askStep, tea.Cmd) {
	next, cmd, _ := s.answer(w, "")
	return next, cmd
}

func (s reviewGotInWay) answer(w *callScreen, a string) (askStep, tea.Cmd, string) {
	store, ctx, now := w.c.Store, w.c.Ctx, w.c.Now()
	r := s.review
	r.GotInWay = coaching.CleanText(a)
	r.At = now
	w.plan.Status = r.Outcome
	w.note = "Review saved: " + r.Outcome.Label() + "."
	return reviewNext{}, w.write("plan review", func() error { return store.ReviewPlan(ctx, r, now) }), ""
}

type reviewNext struct{}

func (reviewNext) question() string                    { return "Now:" }
func (reviewNext) input() (string, int, bool)          { return "", 0, false }
func (reviewNext) skippable() bool                     { return false }
func (reviewNext) skip(*callScreen) (askStep, tea.Cmd) { return nil, nil }

func (reviewNext) lines(w *callScreen, _ string) []string {
	return []string{w.c.Styles.Focused.Render("Now: ") + "c continue it · r revise it · n a new plan · esc decide later"}
}

// answer carries out the choice after a review: continue the plan or
// revise it (both a new plan linked to the old, as history is never
// overwritten), or start a new one.
func (s reviewNext) answer(w *callScreen, letter string) (askStep, tea.Cmd, string) {
	switch letter {
	case "c", "r":
		return nil, w.openPlan(w.plan.Revise()), ""
	case "n":
		return nil, w.openPlan(coaching.ActionPlan{Confidence: coaching.NoScore}), ""
	}
	return s, nil, "Press c, r or n (or esc to decide later)."
}

func (reviewOutcome) keys() []key.Binding {
	return []key.Binding{
		key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "done")),
		key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "partly done")),
		key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "not done")),
	}
}

func (reviewNext) keys() []key.Binding {
	return []key.Binding{
		key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "continue the plan")),
		key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "revise it")),
		key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "a new plan")),
	}
}
