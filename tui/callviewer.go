package tui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"callcoach/coaching"
	"callcoach/storage"
)

// A call shown to read only (open in another callcoach), and a call that
// may no longer be written here (taken over, or its file replaced): what
// the workspace shows and which keys still work.

// refreshViewer reads the call again for a read-only view.
func (m *callScreen) refreshViewer() tea.Cmd {
	c, id := m.c, m.call.ID
	return func() tea.Msg {
		call, err := c.Store.GetCall(c.Ctx, id)
		if err != nil {
			return nil // tried again at the next tick
		}
		h, held, err := c.Store.CallHolderOf(c.Ctx, id, c.Now())
		if err != nil {
			return nil
		}
		return viewerRefreshMsg{call: call, holder: h, held: held}
	}
}

// newCallViewer opens a call another callcoach is writing, to read only:
// the notes follow what the other one saves, and nothing is written.
func newCallViewer(c *Common, p coaching.Person, call coaching.Call, h storage.CallHolder) *callScreen {
	m := newCallScreen(c, p, call)
	m.viewer = &h
	m.notes.ed.SetReadOnly(true)
	return m
}

// updateViewer shows what the other callcoach has saved since the last look.
func (m *callScreen) updateViewer(msg viewerRefreshMsg) tea.Cmd {
	if m.viewer == nil || msg.call.ID != m.call.ID {
		return nil
	}
	if msg.call.NotesRev != m.call.NotesRev {
		m.notes.ed.SetValue(msg.call.Notes) // the newest lines in view
	}
	m.call = msg.call
	m.viewerGone = !msg.held
	if msg.held {
		m.viewer = &msg.holder
	}
	return nil
}

// updateViewerKey: a read-only view moves through the notes, takes the
// call over on t, and goes back on esc.
func (m *callScreen) updateViewerKey(msg tea.KeyMsg) (screen, tea.Cmd) {
	switch {
	case key.Matches(msg, m.keys.Leave):
		return m, pop
	case key.Matches(msg, m.keys.TakeOver) && m.call.Unfinished():
		return m, claimCall(m.c, m.call.ID, true)
	case msg.Type == tea.KeyRunes:
		m.note = "Read only here: this call is open in another callcoach. t takes it over; esc goes back."
		return m, nil
	}
	var cmd tea.Cmd
	m.notes.ed, cmd = m.notes.ed.Update(msg)
	return m, cmd
}

// updateLostKey: once the call is lost, the notes can be read and copied,
// and esc leaves; nothing is written.
func (m *callScreen) updateLostKey(msg tea.KeyMsg) (screen, tea.Cmd) {
	switch {
	case key.Matches(msg, m.keys.Leave):
		return m, pop
	case key.Matches(msg, m.keys.CopyNotes):
		if err := m.c.Copy(m.notes.ed.Value()); err != nil {
			m.note = "Could not copy: " + err.Error()
		} else {
			m.note = "Notes copied to the clipboard."
		}
		return m, nil
	case msg.Type == tea.KeyRunes:
		m.note = "Nothing more is saved here: alt+y copies the notes; esc leaves."
		return m, nil
	}
	var cmd tea.Cmd
	m.notes.ed, cmd = m.notes.ed.Update(msg)
	return m, cmd
}

// leaseLines is what the prompt area says in a read-only view or once the
// call is lost.
func (m *callScreen) leaseLines() []string {
	st := m.c.Styles
	var lines []string
	switch {
	case m.viewer != nil && m.viewerGone && m.call.Unfinished():
		lines = append(lines, st.Warn.Render("Read only: the other callcoach has let this call go. t continues it here · esc back"))
	case m.viewer != nil && !m.call.Unfinished():
		lines = append(lines, st.Warn.Render("Read only: this call was ended in the other callcoach. esc back"))
	case m.viewer != nil:
		lines = append(lines, st.Warn.Render("Read only: open in another callcoach since "+m.viewer.Since.In(m.c.Local).Format("15:04")+
			" ("+oneLine(m.viewer.Where())+")."))
	default:
		lines = append(lines, st.Error.Render(oneLine(m.lost)))
		switch {
		case m.rescueErr != "":
			lines = append(lines, st.Error.Render(oneLine(m.rescueErr)))
		case m.rescued != "":
			lines = append(lines, st.Warn.Render("Your notes as on screen are kept in "+oneLine(m.rescued)))
		default:
			lines = append(lines, st.Warn.Render("Everything typed here was saved before it was taken over."))
		}
	}
	if m.note != "" {
		lines = append(lines, st.Info.Render(m.note))
	}
	return lines
}
