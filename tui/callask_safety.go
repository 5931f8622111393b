package tui

import (
	"errors"

	tea "github.com/charmbracelet/bubbletea"

	"callcoach/coaching"
	"callcoach/coaching/measures"
)

// Clearing an earlier safety flag (alt+k): why, in a few words. The reason
// is required and kept with the review; esc leaves the flag as it is.

type safetyClearReason struct{}

func (safetyClearReason) question() string { return "Why is the flag cleared?" }
func (safetyClearReason) input() (string, int, bool) {
	return "what you asked, what they said (required)", measures.MaxClearReason, true
}
func (safetyClearReason) skippable() bool { return false }

func (safetyClearReason) skip(w *callScreen) (askStep, tea.Cmd) {
	w.note = "The safety flag stays until you clear it with a reason."
	return nil, nil
}

func (s safetyClearReason) answer(w *callScreen, a string) (askStep, tea.Cmd, string) {
	reason := coaching.CleanText(a)
	if err := measures.CheckClearReason(reason); err != nil {
		msg := err.Error()
		if fe := (*coaching.FieldError)(nil); errors.As(err, &fe) {
			msg = fe.Msg
		}
		return s, nil, sentence(msg) + " (esc leaves the flag)"
	}
	w.flag = nil
	w.note = "Safety flag cleared in this call, with the reason."
	store, ctx, pid, id, now := w.c.Store, w.c.Ctx, w.person.ID, w.call.ID, w.c.Now()
	return nil, w.write("safety review", func() error { return store.ReviewSafety(ctx, pid, id, reason, now) }), ""
}
