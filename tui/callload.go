package tui

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"callcoach/coaching"
	"callcoach/storage"
)

// What a call already holds when its workspace opens (nothing, for a new
// one): the stages visited, the tally, rulers and change talk, the
// person's current plan, and their safety events.

type (
	callLoadedMsg struct {
		callID int64
		rec    coaching.CallRecord
		plan   *coaching.ActionPlan
		flag   *storage.SafetyEvent // recorded but not reviewed
		open   *storage.SafetyEvent // raised but never recorded (a crash)
	}
	// planLoadedMsg refreshes the current plan after a plan form closes.
	planLoadedMsg struct {
		callID int64
		plan   *coaching.ActionPlan
	}
	tallyMsg struct {
		callID int64
		tally  coaching.Tally
	}
)

// load reads what an unfinished call already holds.
func (m *callScreen) load() tea.Cmd {
	c, id, pid := m.c, m.call.ID, m.person.ID
	return func() tea.Msg {
		rec := coaching.CallRecord{}
		var err error
		if err = readMarks(c, id, &rec); err != nil {
			return callWriteErr{id, "Could not read this call's stages and marks: " + storage.Explain(err)}
		}
		msg := callLoadedMsg{callID: id, rec: rec}
		if msg.flag, msg.open, err = c.Store.PendingSafety(c.Ctx, pid); err != nil {
			return callWriteErr{id, "Could not read the safety flags: " + storage.Explain(err)}
		}
		plan, ok, err := c.Store.CurrentPlan(c.Ctx, pid)
		if err != nil {
			return callWriteErr{id, "Could not read the last plan: " + storage.Explain(err)}
		}
		if ok {
			msg.plan = &plan
		}
		return msg
	}
}

// onLoaded takes in what was read. A safety panel left open when the
// program stopped comes back first, until what was done is recorded.
func (m *callScreen) onLoaded(msg callLoadedMsg) tea.Cmd {
	if msg.callID != m.call.ID {
		return nil
	}
	m.loaded = true
	m.plan, m.flag = msg.plan, msg.flag
	m.visits, m.rulers, m.talk = msg.rec.Visits, msg.rec.Rulers, msg.rec.Talk
	if msg.rec.Tally != nil {
		m.tally = msg.rec.Tally
	}
	if m.viewer != nil {
		if n := len(m.visits); n > 0 {
			m.stage = m.visits[n-1].Stage
		}
		return nil
	}
	if msg.open != nil {
		return tea.Batch(m.enterFirstStage(), m.open(newSafetyPanel(m.c, *msg.open, m.call.Role == coaching.RolePeer)))
	}
	return m.enterFirstStage()
}

// enterFirstStage puts a new call at its first stage, or a resumed one back
// where it was.
func (m *callScreen) enterFirstStage() tea.Cmd {
	if n := len(m.visits); n > 0 {
		m.stage = m.visits[n-1].Stage
		return nil
	}
	return m.enterStage(coaching.StageEngage)
}

// readPlan reads the person's current plan afresh.
func (m *callScreen) readPlan() tea.Cmd {
	c, id, pid := m.c, m.call.ID, m.person.ID
	return func() tea.Msg {
		plan, ok, err := c.Store.CurrentPlan(c.Ctx, pid)
		if err != nil {
			return callWriteErr{id, "Could not read the plan: " + storage.Explain(err)}
		}
		if !ok {
			return planLoadedMsg{callID: id}
		}
		return planLoadedMsg{callID: id, plan: &plan}
	}
}

// readMarks fills in what was captured during a call: the stages visited,
// the tally, the rulers and the change talk.
func readMarks(c *Common, callID int64, rec *coaching.CallRecord) error {
	var err error
	if rec.Visits, err = c.Store.StageVisits(c.Ctx, callID); err != nil {
		return err
	}
	if rec.Tally, err = c.Store.Tally(c.Ctx, callID); err != nil {
		return err
	}
	if rec.Rulers, err = c.Store.Rulers(c.Ctx, callID); err != nil {
		return err
	}
	rec.Talk, err = c.Store.ChangeTalk(c.Ctx, callID)
	return err
}

// personLoc is the person's time zone, or the coach's if not known.
func (m *callScreen) personLoc() *time.Location { return m.person.Zone(m.c.Local) }
