package tui

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"callcoach/coaching"
	"callcoach/storage"
)

// A call is written from one place at a time (storage.ClaimCall). Opening
// an unfinished call claims it first; if another callcoach has it, the
// coach is told where and since when, and may read it here or take it
// over. A workspace whose call was taken over, or whose file was replaced
// under it, stops writing, says so, and keeps the notes on screen and in a
// rescue file.

type (
	// callClaimedMsg: the call is ours to write; open it as read now.
	callClaimedMsg struct{ call coaching.Call }
	// callBusyMsg: another callcoach has the call.
	callBusyMsg struct {
		call   coaching.Call
		holder storage.CallHolder
	}
	// callLostMsg: a write was refused because the call is no longer ours
	// or the file is no longer the one opened.
	callLostMsg struct {
		callID int64
		err    error
	}
	// viewerRefreshMsg brings a read-only view up to date.
	viewerRefreshMsg struct {
		call   coaching.Call
		holder storage.CallHolder
		held   bool
	}
	// holderCheckMsg is the periodic look at who holds the call.
	holderCheckMsg struct {
		callID int64
		err    error // non-nil: the call or the file is no longer ours
	}
	rescuedMsg struct {
		callID int64
		path   string
		err    error
	}
)

// claimCall claims the call (or, with takeOver, takes it from whoever has
// it) and reads it afresh, so the workspace starts from what is stored now.
func claimCall(c *Common, callID int64, takeOver bool) tea.Cmd {
	return func() tea.Msg {
		ctx, now := c.Ctx, c.Now()
		var err error
		if takeOver {
			err = c.Store.TakeOverCall(ctx, callID, now)
		} else {
			err = c.Store.ClaimCall(ctx, callID, now)
		}
		var busy *storage.CallElsewhereError
		if errors.As(err, &busy) {
			call, gerr := c.Store.GetCall(ctx, callID)
			if gerr != nil {
				return errMsg{"Could not read the call: " + gerr.Error()}
			}
			return callBusyMsg{call: call, holder: busy.Holder}
		}
		if err != nil {
			return errMsg{"Could not open the call: " + err.Error()}
		}
		call, err := c.Store.GetCall(ctx, callID)
		if err != nil {
			return errMsg{"Could not read the call: " + err.Error()}
		}
		return callClaimedMsg{call}
	}
}

// lostCall reports whether err means the call may no longer be written
// from here.
func lostCall(err error) bool {
	return errors.Is(err, storage.ErrCallElsewhere) || errors.Is(err, storage.ErrFileGone)
}

// lostText is what the workspace says once it may no longer write: the
// consequence first, as the line may be cut on a narrow window.
func lostText(c *Common, err error) string {
	var busy *storage.CallElsewhereError
	switch {
	case errors.As(err, &busy) && busy.Holder.ID != "":
		return "Nothing more is saved here: taken over at " + busy.Holder.Since.In(c.Local).Format("15:04") +
			" by another callcoach (" + busy.Holder.Where() + ")."
	case errors.Is(err, storage.ErrCallElsewhere):
		return "Nothing more is saved here: another callcoach took this call over."
	case errors.Is(err, storage.ErrFileGone):
		return "Nothing more is saved here: the database file was replaced or removed (a restore?)."
	}
	return err.Error()
}

// checkHolder looks whether the call and the file are still ours.
func (m *callScreen) checkHolder() tea.Cmd {
	c, id := m.c, m.call.ID
	self, registered := c.Store.Self()
	return func() tea.Msg {
		if err := c.Store.CheckFile(); err != nil {
			return holderCheckMsg{callID: id, err: err}
		}
		if !registered {
			return nil
		}
		h, held, err := c.Store.CallHolderOf(c.Ctx, id, c.Now())
		switch {
		case err != nil:
			return nil // a failed look is tried again at the next tick
		case !held:
			return holderCheckMsg{callID: id, err: &storage.CallElsewhereError{CallID: id}}
		case h.ID != self.ID:
			return holderCheckMsg{callID: id, err: &storage.CallElsewhereError{CallID: id, Holder: h}}
		}
		return nil
	}
}

// loseCall stops the workspace writing and keeps what is on screen in a
// rescue file beside the database, unless everything typed is known to
// be stored in the file still in use.
func (m *callScreen) loseCall(err error) tea.Cmd {
	if m.lost != "" {
		return nil
	}
	m.lost = lostText(m.c, err)
	m.ending, m.leader = false, false
	m.ask.close()
	m.notes.SetReadOnly(true)
	if m.writer.savedRev() >= m.rev() && !errors.Is(err, storage.ErrFileGone) {
		return nil
	}
	return m.rescue()
}

// rescue writes the notes as they are on screen to a new 0600 file beside
// the database, named without the person's name.
func (m *callScreen) rescue() tea.Cmd {
	notes, id, dir, now := m.notes.Value(), m.call.ID, filepath.Dir(m.c.Store.Path()), m.c.Now()
	return func() tea.Msg {
		path, err := writeRescue(dir, id, notes, now)
		return rescuedMsg{callID: id, path: path, err: err}
	}
}

func writeRescue(dir string, callID int64, notes string, now time.Time) (string, error) {
	base := filepath.Join(dir, fmt.Sprintf("rescued-notes-call%d-%s", callID, now.UTC().Format("20060102T150405Z")))
	for n := 1; ; n++ {
		path := base + ".txt"
		if n > 1 {
			path = fmt.Sprintf("%s-%d.txt", base, n)
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, os.ErrExist) {
			continue
		}
		if err != nil {
			return "", err
		}
		_, werr := f.WriteString(notes)
		return path, errors.Join(werr, f.Sync(), f.Close())
	}
}

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
	m.notes.SetReadOnly(true)
	return m
}

// updateViewer shows what the other callcoach has saved since the last look.
func (m *callScreen) updateViewer(msg viewerRefreshMsg) tea.Cmd {
	if m.viewer == nil || msg.call.ID != m.call.ID {
		return nil
	}
	if msg.call.NotesRev != m.call.NotesRev {
		m.notes.SetValue(msg.call.Notes) // the newest lines in view
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
	case msg.Alt || msg.Type == tea.KeyRunes:
		m.note = "Read only here: this call is open in another callcoach. t takes it over; esc goes back."
		return m, nil
	}
	var cmd tea.Cmd
	m.notes, cmd = m.notes.Update(msg)
	return m, cmd
}

// updateLostKey: once the call is lost, the notes can be read and copied,
// and esc leaves; nothing is written.
func (m *callScreen) updateLostKey(msg tea.KeyMsg) (screen, tea.Cmd) {
	switch {
	case key.Matches(msg, m.keys.Leave):
		return m, pop
	case key.Matches(msg, m.keys.CopyNotes):
		if err := m.c.Copy(m.notes.Value()); err != nil {
			m.note = "Could not copy: " + err.Error()
		} else {
			m.note = "Notes copied to the clipboard."
		}
		return m, nil
	case msg.Alt || msg.Type == tea.KeyRunes:
		m.note = "Nothing more is saved here: alt+y copies the notes; esc leaves."
		return m, nil
	}
	var cmd tea.Cmd
	m.notes, cmd = m.notes.Update(msg)
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
