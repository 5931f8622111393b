package tui

import (
	"errors"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"callcoach/coaching"
)

// A reading the person tracked since last time: one line, such as
// "bp 132/84" or "weight 180 lb". A value out of range is refused with the
// range; an unusual one is asked about once: the same text entered again
// keeps it.

type readingEntry struct {
	reg     coaching.ReadingRegistry
	unusual string // the text last refused as unusual, which enter now keeps
}

func newReadingEntry(c *Common) *readingEntry {
	return &readingEntry{reg: coaching.NewReadingRegistry(c.Readings)}
}

func (*readingEntry) question() string {
	return "Reading:"
}

func (*readingEntry) input() (string, int, bool) {
	return "what they tracked and its value: bp 132/84, glucose 7.2, weight 82 kg, steps 6500", 80, true
}
func (*readingEntry) skippable() bool { return false }
func (*readingEntry) skip(*callScreen) (askStep, tea.Cmd) {
	return nil, nil
}

func (s *readingEntry) answer(w *callScreen, a string) (askStep, tea.Cmd, string) {
	typed := strings.ToLower(strings.Join(strings.Fields(a), " "))
	r, err := s.reg.ParseReading(a, typed != "" && typed == s.unusual)
	var unusual *coaching.UnusualReadingError
	switch {
	case errors.As(err, &unusual):
		s.unusual = typed
		return s, nil, unusual.Msg
	case err != nil:
		s.unusual = ""
		return s, nil, coaching.RefusalText(err)
	}
	t, _ := s.reg.Type(r.Kind)
	store, ctx, now := w.c.Store, w.c.Ctx, w.c.Now()
	r.PersonID, r.CallID, r.TakenAt = w.person.ID, w.call.ID, w.call.StartedAt
	w.note = "Saved: " + t.Show(r)
	return nil, w.write("reading", func() error {
		_, err := store.AddReading(ctx, r, now)
		return err
	}), ""
}
