package tui

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

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
	// callOpenFailedMsg: the call could not be started or opened.
	callOpenFailedMsg struct{ text string }
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
				return callOpenFailedMsg{"Could not read the call: " + storage.Explain(gerr)}
			}
			return callBusyMsg{call: call, holder: busy.Holder}
		}
		if err != nil {
			return callOpenFailedMsg{"Could not open the call: " + storage.Explain(err)}
		}
		call, err := c.Store.GetCall(ctx, callID)
		if err != nil {
			return callOpenFailedMsg{"Could not read the call: " + storage.Explain(err)}
		}
		return callClaimedMsg{call}
	}
}

// routeLease takes the messages about who holds the call and whether the
// file is still the one opened.
func (m *callScreen) routeLease(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case holderCheckMsg:
		if msg.callID == m.call.ID && msg.err != nil && m.writable() {
			return m, m.loseCall(msg.err)
		}
	case callLostMsg:
		if msg.callID == m.call.ID {
			return m, m.loseCall(msg.err)
		}
	case fileGoneMsg:
		if m.writable() {
			return m, m.loseCall(msg.err)
		}
	case rescuedMsg:
		if msg.callID == m.call.ID {
			m.rescued = msg.path
			if msg.err != nil {
				m.rescueErr = "Could not keep the notes in a file (" + msg.err.Error() + "): copy them with alt+y now."
			}
		}
	case viewerRefreshMsg:
		return m, m.updateViewer(msg)
	case callClaimedMsg:
		if msg.call.ID == m.call.ID && m.viewer != nil {
			return m, replace(m, newCallScreen(m.c, m.person, msg.call))
		}
	}
	return m, nil
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
	m.closing = false
	m.lost = lostText(m.c, err)
	m.ending, m.leader = false, false
	m.ask.close()
	m.notes.ed.SetReadOnly(true)
	if !m.notes.unsaved() && !errors.Is(err, storage.ErrFileGone) {
		return nil
	}
	return m.rescue()
}

// rescue writes the notes as they are on screen to a new 0600 file beside
// the database, named without the person's name.
func (m *callScreen) rescue() tea.Cmd {
	notes, id, dir, now := m.notes.ed.Value(), m.call.ID, filepath.Dir(m.c.Store.Path()), m.c.Now()
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
