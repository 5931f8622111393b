package tui

import (
	"errors"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"callcoach/coaching"
	"callcoach/coaching/summary"
	"callcoach/storage"
)

// Ending a call: esc, then how it ended. The notes are saved, the call
// closed, its summary made and kept, and the summary shown.

type (
	callEndedMsg struct {
		callID  int64
		summary string
	}
	callEndErr       struct{ text string }
	callDiscardedMsg struct {
		callID  int64
		deleted bool
	}
)

// updateEnding takes the outcome key, or esc back to the call.
func (m *callScreen) updateEnding(msg tea.KeyMsg) tea.Cmd {
	if key.Matches(msg, m.keys.KeepGoing) {
		m.ending = false
		return nil
	}
	for i, k := range m.keys.Outcomes {
		if key.Matches(msg, k) {
			return m.end(coaching.OutcomeChoices[i].Outcome)
		}
	}
	if key.Matches(msg, m.keys.Discard) {
		return m.discard()
	}
	return nil
}

// discard ends a call opened by mistake: the notes are saved first, so
// the call goes only if nothing at all was noted in it.
func (m *callScreen) discard() tea.Cmd {
	m.closing = true
	notes, rev, w, c, id := m.notes.ed.Value(), m.notes.rev(), m.notes.writer, m.c, m.call.ID
	t := m.serial.ticket()
	s := m.serial
	return func() tea.Msg {
		var msg tea.Msg
		s.run(t, func() {
			err := w.save(c, notes, rev)
			var deleted bool
			if err == nil {
				deleted, err = c.Store.DiscardCall(c.Ctx, id, c.Now())
			}
			switch {
			case lostCall(err):
				msg = callLostMsg{id, err}
			case err != nil:
				msg = callEndErr{"Could not discard the call: " + storage.Explain(err) + ". It is still open."}
			default:
				msg = callDiscardedMsg{callID: id, deleted: deleted}
			}
		})
		return msg
	}
}

// outcomeLines are the ways to end the call, on two lines.
func outcomeLines() []string {
	m := coaching.MistakeChoice
	return []string{"End call: " + outcomeLine(), "          " + m.Key + " " + m.Label + " (removed if nothing was noted) · esc back to the call"}
}

// end runs behind any writes still queued, so the summary sees them.
func (m *callScreen) end(o coaching.Outcome) tea.Cmd {
	m.closing = true
	notes, rev, w, c := m.notes.ed.Value(), m.notes.rev(), m.notes.writer, m.c
	person, call := m.person, m.call
	t := m.serial.ticket()
	s := m.serial
	return func() tea.Msg {
		var msg tea.Msg
		s.run(t, func() { msg = finishCall(c, w, person, call, notes, rev, o) })
		return msg
	}
}

func finishCall(c *Common, w *noteWriter, p coaching.Person, call coaching.Call, notes string, rev int64, o coaching.Outcome) tea.Msg {
	ctx, store, now := c.Ctx, c.Store, c.Now()
	if err := w.save(c, notes, rev); lostCall(err) {
		return callLostMsg{call.ID, err}
	} else if err != nil {
		return callEndErr{"Could not save the notes, so the call is still open: " + storage.Explain(err)}
	}
	if err := store.EndCall(ctx, call.ID, o, now); lostCall(err) {
		return callLostMsg{call.ID, err}
	} else if err != nil {
		return callEndErr{"Could not end the call: " + storage.Explain(err) + ". Your notes are saved."}
	}
	if o == coaching.OutcomeReached {
		if err := store.CompleteFollowUps(ctx, p.ID, call.ID, now); err != nil {
			return callEndErr{"The call is ended, but its follow-up could not be marked done: " + storage.Explain(err)}
		}
	}
	text, warning, err := remakeSummary(c, p, call.ID, now)
	if err != nil {
		return callEndErr{"The call is ended, but " + err.Error()}
	}
	_ = store.ReleaseCall(ctx, call.ID) // ended: nobody need hold it; a claim left behind lapses with this program
	done := callEndedMsg{callID: call.ID, summary: text}
	if warning == "" {
		return done
	}
	return tea.BatchMsg{func() tea.Msg { return done }, showErr(warning)}
}

// remakeSummary makes an ended call's summary from what is stored (the
// call, its marks, and what it produced) and saves it. A template that
// fails still leaves a summary (the built-in one), and warning says why.
// The error reads on after "The call is ended, but ".
func remakeSummary(c *Common, p coaching.Person, callID int64, now time.Time) (text, warning string, err error) {
	ctx, store := c.Ctx, c.Store
	ended, err := store.GetCall(ctx, callID)
	if err != nil {
		return "", "", errors.New("could not be read back for its summary: " + storage.Explain(err))
	}
	rec := coaching.CallRecord{Person: p, Call: ended}
	if err := readMarks(c, callID, &rec); err != nil {
		return "", "", errors.New("its summary could not be made: " + storage.Explain(err))
	}
	if rec.CallProduce, err = store.CallProduce(ctx, callID); err != nil {
		return "", "", errors.New("its summary could not be made: " + storage.Explain(err))
	}
	at := summary.Times{Now: now, Coach: c.Local}
	if p.TimeZone != "" {
		if loc, err := time.LoadLocation(p.TimeZone); err == nil {
			at.Person = loc
		}
	}
	text, warning = c.Summary.Write(rec, at)
	if err := store.SaveSummary(ctx, callID, text, now); err != nil {
		return "", "", errors.New("its summary could not be saved: " + storage.Explain(err))
	}
	return text, warning, nil
}

// outcomeLine lists the outcome keys: "r reached · n no answer · ...".
func outcomeLine() string {
	var s string
	for i, o := range coaching.OutcomeChoices {
		if i > 0 {
			s += " · "
		}
		s += o.Key + " " + o.Label
	}
	return s
}
