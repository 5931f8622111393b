package tui

import (
	"time"

	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"callcoach/coaching"
	"callcoach/coaching/measures"
	"callcoach/storage"
)

// What each chord does (the table is in callkeys.go), and the writes
// behind stages and the tally. Every write goes through the call's serial
// writer, in the order the coach acted.

// doChord carries out the action bound to a letter.
func (m *callScreen) doChord(letter string) tea.Cmd {
	ch, ok := m.keys.chords[letter]
	if !ok {
		m.note = "alt+" + letter + " does nothing here; f1 lists the keys."
		return nil
	}
	switch ch.act {
	case actNextStage:
		next, ok := coaching.NextStage(m.stage, m.lastConfidence())
		if !ok {
			m.note = "This is the last stage. esc ends the call."
			return nil
		}
		return m.enterStage(next)
	case actPrevStage:
		if prev, ok := coaching.PreviousStage(m.stage); ok {
			return m.enterStage(prev)
		}
	case actJump:
		s, _ := coaching.StageAt(ch.stage)
		return m.enterStage(s)
	case actTally:
		return m.mark(ch.tally)
	case actUndoTally:
		return m.undoMark()
	case actImportance:
		m.ask.start(m.c, rulerScore{kind: coaching.RulerImportance})
	case actConfidence:
		m.ask.start(m.c, rulerScore{kind: coaching.RulerConfidence})
	case actChangeTalk:
		m.ask.start(m.c, talkQuote{})
		m.ask.in.SetValue(strings.TrimSpace(m.notes.ed.CurrentLine()))
		m.ask.in.CursorEnd()
	case actPlan:
		return m.openPlan(coaching.ActionPlan{Confidence: coaching.NoScore})
	case actReview:
		if m.plan == nil {
			m.note = "There is no plan to review yet; alt+l writes one."
			return nil
		}
		m.ask.start(m.c, reviewOutcome{review: coaching.PlanReview{PlanID: m.plan.ID, CallID: m.call.ID}})
	case actFollowUp:
		m.ask.start(m.c, followWhen{})
	case actMeasure:
		m.ask.start(m.c, measureChoice{})
	case actReading:
		m.ask.start(m.c, newReadingEntry(m.c))
	case actSafety:
		ev := storage.SafetyEvent{PersonID: m.person.ID, CallID: m.call.ID, Trigger: string(measures.TriggerCoach)}
		return tea.Batch(m.saveNow(), m.open(newSafetyPanel(m.c, ev, m.call.Role == coaching.RolePeer)))
	case actWholeCard:
		m.wholeCard, m.cardTop = !m.wholeCard, 0
		if m.wholeCard && !m.contextBeside() {
			m.context.shown = false // one in the card's place at a time
		}
	case actContext:
		m.context.shown, m.context.chosen = !m.context.shown, true
		if m.context.shown && !m.contextBeside() {
			m.wholeCard = false
		}
	case actConsent:
		if m.person.Consent {
			m.note = "Consent is already recorded."
			if m.person.ConsentDate != "" {
				m.note = "Consent is already recorded (" + m.person.ConsentDate + ")."
			}
			return nil
		}
		now := m.c.Now()
		m.person.Consent, m.person.ConsentAt = true, now
		m.person.ConsentDate = now.In(m.c.Local).Format(time.DateOnly)
		m.note = "Consent recorded at " + now.In(m.c.Local).Format("15:04") + "."
		store, ctx, id, loc := m.c.Store, m.c.Ctx, m.person.ID, m.c.Local
		return m.write("consent", func() error { return store.RecordConsent(ctx, id, now, loc) })
	case actSafetyReviewed:
		switch {
		case m.flag == nil:
			m.note = "There is no earlier safety flag to review."
		case m.ask.open(): // it asks why: not over another question
			m.note = "Finish this question first (enter), or esc to leave it."
		default:
			m.ask.start(m.c, safetyClearReason{})
		}
	}
	return nil
}

// write runs fn through the call's serial writer; an error comes back as a
// message the workspace shows, or, if the call is no longer ours, as the
// news that it was lost.
func (m *callScreen) write(what string, fn func() error) tea.Cmd {
	t := m.serial.ticket()
	s, id := m.serial, m.call.ID
	return func() tea.Msg {
		var err error
		s.run(t, func() { err = fn() })
		if lostCall(err) {
			return callLostMsg{id, err}
		}
		if err != nil {
			return callWriteErr{id, "Could not save the " + what + ": " + storage.Explain(err) + ". Note it in the notes for now."}
		}
		return nil
	}
}

// openPlan saves the notes and opens the plan form over the call.
func (m *callScreen) openPlan(base coaching.ActionPlan) tea.Cmd {
	return tea.Batch(m.saveNow(), m.open(newPlanForm(m.c, m.person, base, m.call.ID)))
}

// lastConfidence is the latest confidence score of this call, if any.
func (m *callScreen) lastConfidence() *int {
	for i := len(m.rulers) - 1; i >= 0; i-- {
		if m.rulers[i].Kind == coaching.RulerConfidence {
			s := m.rulers[i].Score
			return &s
		}
	}
	return nil
}

func (m *callScreen) enterStage(s coaching.Stage) tea.Cmd {
	if s == m.stage && len(m.visits) > 0 {
		return nil
	}
	m.stage = s
	now := m.c.Now()
	m.visits = append(m.visits, coaching.StageVisit{Stage: s, At: now})
	store, ctx, id := m.c.Store, m.c.Ctx, m.call.ID
	return m.write("stage", func() error { return store.EnterStage(ctx, id, s, now) })
}

func (m *callScreen) mark(k coaching.TallyKind) tea.Cmd {
	m.tally[k]++
	m.note = "Marked: " + k.Label() + "."
	store, ctx, id, now := m.c.Store, m.c.Ctx, m.call.ID, m.c.Now()
	return m.write("tally mark", func() error { return store.AddTallyMark(ctx, id, k, now) })
}

// undoMark takes back the newest mark and reads the tally as stored.
func (m *callScreen) undoMark() tea.Cmd {
	store, ctx, id, now := m.c.Store, m.c.Ctx, m.call.ID, m.c.Now()
	t := m.serial.ticket()
	s := m.serial
	return func() tea.Msg {
		var msg tea.Msg
		s.run(t, func() {
			if _, _, err := store.UndoTallyMark(ctx, id, now); lostCall(err) {
				msg = callLostMsg{id, err}
				return
			} else if err != nil {
				msg = callWriteErr{id, "Could not undo the tally mark: " + storage.Explain(err)}
				return
			}
			tally, err := store.Tally(ctx, id)
			if err != nil {
				msg = callWriteErr{id, "Could not read the tally: " + storage.Explain(err)}
				return
			}
			msg = tallyMsg{id, tally}
		})
		return msg
	}
}
