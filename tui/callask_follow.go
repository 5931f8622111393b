package tui

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"callcoach/coaching"
)

// The next contact: when, in the person's time, then what for.

type followWhen struct{}

func (followWhen) question() string                    { return "Next contact, their time:" }
func (followWhen) input() (string, int, bool)          { return "e.g. tomorrow 10:00, fri 14:00, +1w", 60, true }
func (followWhen) skippable() bool                     { return false }
func (followWhen) skip(*callScreen) (askStep, tea.Cmd) { return nil, nil }

// lines previews the date as it is read so far.
func (followWhen) lines(w *callScreen, typed string) []string {
	now, loc := w.c.Now(), w.personLoc()
	due, err := coaching.ParseWhen(typed, now, loc)
	if err != nil {
		return nil
	}
	return []string{w.c.Styles.Subtle.Render("→ " + coaching.FormatDue(coaching.FollowUp{Due: due}, loc, w.c.Local, now))}
}

func (s followWhen) answer(w *callScreen, a string) (askStep, tea.Cmd, string) {
	due, err := coaching.ParseWhen(a, w.c.Now(), w.personLoc())
	if err != nil {
		return s, nil, err.Error()
	}
	return followReason{due: due}, nil, ""
}

type followReason struct{ due time.Time }

func (followReason) question() string { return "What for?" }
func (followReason) input() (string, int, bool) {
	return "e.g. see how the walking went; enter to skip", coaching.MaxLongField, true
}
func (followReason) skippable() bool { return true }

// skip keeps the date: the follow-up is set without a reason.
func (s followReason) skip(w *callScreen) (askStep, tea.Cmd) {
	next, cmd, _ := s.answer(w, "")
	return next, cmd
}

func (s followReason) answer(w *callScreen, a string) (askStep, tea.Cmd, string) {
	store, ctx, now := w.c.Store, w.c.Ctx, w.c.Now()
	f := coaching.FollowUp{PersonID: w.person.ID, Due: s.due, Reason: coaching.CleanText(a), MadeCallID: w.call.ID}
	if w.plan != nil {
		f.PlanID = w.plan.ID
	}
	w.note = "Next contact: " + coaching.FormatDue(f, w.personLoc(), w.c.Local, now) + "."
	return nil, w.write("follow-up", func() error {
		_, err := store.AddFollowUp(ctx, f, now)
		return err
	}), ""
}
