package tui

import (
	"time"

	"github.com/charmbracelet/bubbles/key"
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
	f := coaching.FollowUp{PersonID: w.person.ID, Due: s.due, Reason: coaching.CleanText(a), MadeCallID: w.call.ID}
	if w.plan != nil {
		f.PlanID = w.plan.ID
	}
	// One next contact: replace it, or add this one too? Not for one set
	// before this call: ending it, reached, completes that one.
	if old := w.context.data.beyond; old != nil {
		return followReplace{f: f, old: *old}, nil, ""
	}
	return nil, setFollowUp(w, f, false), ""
}

// setFollowUp writes the follow-up, replacing the open one or not, and
// keeps the one that counts where the context panel and the next question
// find it.
func setFollowUp(w *callScreen, f coaching.FollowUp, replace bool) tea.Cmd {
	store, ctx, now := w.c.Store, w.c.Ctx, w.c.Now()
	w.note = "Next contact: " + coaching.FormatDue(f, w.personLoc(), w.c.Local, now) + "."
	kept := f
	kept.CreatedAt = now
	if old := w.context.data.followUp; replace || old == nil || f.Due.Before(old.Due) {
		w.context.data.followUp = &kept
		w.context.key = "" // drawn again
	}
	if old := w.context.data.beyond; replace || old == nil || f.Due.Before(old.Due) {
		w.context.data.beyond = &kept
	}
	return w.write("follow-up", func() error {
		var err error
		if replace {
			_, err = store.ReplaceFollowUp(ctx, f, now)
		} else {
			_, err = store.AddFollowUp(ctx, f, now)
		}
		return err
	})
}

// followReplace asks, when they already have a next contact, whether the
// new one replaces it or is added beside it.
type followReplace struct {
	f, old coaching.FollowUp
}

func (followReplace) question() string                    { return "They already have a next contact:" }
func (followReplace) input() (string, int, bool)          { return "", 0, false }
func (followReplace) skippable() bool                     { return false }
func (followReplace) skip(*callScreen) (askStep, tea.Cmd) { return nil, nil }

func (s followReplace) lines(w *callScreen, _ string) []string {
	st := w.c.Styles
	old := coaching.FormatDue(s.old, w.personLoc(), w.c.Local, w.c.Now())
	if s.old.Reason != "" {
		old += " · " + oneLine(s.old.Reason)
	}
	return []string{st.Focused.Render("They already have a next contact: ") + old,
		st.Focused.Render("r") + " replace it with the new one · " + st.Focused.Render("a") + " add the new one as well · esc neither"}
}

func (s followReplace) answer(w *callScreen, letter string) (askStep, tea.Cmd, string) {
	switch letter {
	case "r":
		return nil, setFollowUp(w, s.f, true), ""
	case "a":
		return nil, setFollowUp(w, s.f, false), ""
	}
	return s, nil, "Press r to replace it, a to add this one as well, or esc."
}

func (followReplace) keys() []key.Binding {
	return []key.Binding{
		key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "replace the next contact")),
		key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "add it as well")),
	}
}
