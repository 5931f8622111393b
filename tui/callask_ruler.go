package tui

import (
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"callcoach/coaching"
)

// A ruler: the score, 0 to 10, then why that score and not a lower one.

type rulerScore struct{ kind coaching.RulerKind }

func (s rulerScore) question() string {
	adj := "important"
	if s.kind == coaching.RulerConfidence {
		adj = "confident"
	}
	return "How " + adj + ", 0 to 10?"
}

func (rulerScore) input() (string, int, bool) { return "a whole number, 0 to 10", 40, true }
func (rulerScore) skippable() bool            { return false }
func (rulerScore) skip(*callScreen) (askStep, tea.Cmd) {
	return nil, nil
}

func (s rulerScore) answer(w *callScreen, a string) (askStep, tea.Cmd, string) {
	score, err := coaching.ParseScore(a)
	if err != nil {
		return s, nil, err.Error()
	}
	store, ctx, now := w.c.Store, w.c.Ctx, w.c.Now()
	ref := &rulerRef{ruler: coaching.Ruler{CallID: w.call.ID, Kind: s.kind, Score: score, At: now}}
	w.rulers = append(w.rulers, ref.ruler)
	w.note = fmt.Sprintf("%s %d saved.", strings.ToUpper(string(s.kind[:1]))+string(s.kind[1:]), score)
	if s.kind == coaching.RulerConfidence && !coaching.ConfidentEnough(score) {
		w.note += fmt.Sprintf(" Below %d: make the plan smaller or easier, then ask again.", coaching.ConfidenceThreshold)
	}
	cmd := w.write("ruler", func() error {
		id, err := store.SaveRuler(ctx, ref.ruler, now)
		ref.id = id
		return err
	})
	return rulerWhy{ref: ref}, cmd, ""
}

// rulerRef carries a ruler's database id from its insert to later updates.
// Both run through the call's serial writer, so the id is set before any
// update reads it.
type rulerRef struct {
	id    int64
	ruler coaching.Ruler
}

type rulerWhy struct{ ref *rulerRef }

func (s rulerWhy) question() string {
	return coaching.FollowUpQuestion(s.ref.ruler.Kind, s.ref.ruler.Score)
}

func (rulerWhy) input() (string, int, bool) {
	return "their reasons, in their words", coaching.MaxLongField, true
}
func (rulerWhy) skippable() bool { return true }

func (rulerWhy) skip(w *callScreen) (askStep, tea.Cmd) {
	w.note = "Score kept; no reason noted."
	return nil, nil
}

func (s rulerWhy) answer(w *callScreen, a string) (askStep, tea.Cmd, string) {
	why := coaching.CleanText(a)
	if why == "" {
		return nil, nil, ""
	}
	ref := s.ref
	for i := range w.rulers {
		if w.rulers[i].At.Equal(ref.ruler.At) && w.rulers[i].Kind == ref.ruler.Kind {
			w.rulers[i].FollowUp = why
		}
	}
	w.note = "Reason saved with the score."
	store, ctx, now := w.c.Store, w.c.Ctx, w.c.Now()
	return nil, w.write("ruler's reason", func() error {
		if ref.id == 0 {
			return fmt.Errorf("the score itself was not saved")
		}
		r := ref.ruler
		r.ID, r.FollowUp = ref.id, why
		_, err := store.SaveRuler(ctx, r, now)
		return err
	}), ""
}
