package tui

import (
	tea "github.com/charmbracelet/bubbletea"

	"callcoach/storage"
)

// Live caseloads on a team database (issue 18): what another coach writes
// (a call logged, a person taken over, a safety flag) comes as a
// changedMsg, and the screen on top reads itself again. A screen under it
// reads itself again when it is back on top anyway.

// changedMsg says the team database changed; table is what was written,
// or "" for anything.
type changedMsg struct{ table string }

// listenChanges starts hearing the Store's changes, once the first screen
// is up; nothing on a file.
func listenChanges(c *Common) tea.Cmd {
	c.changes = c.Store.Changes(c.Ctx)
	return waitChange(c.changes)
}

// waitChange waits for the next change.
func waitChange(ch <-chan storage.Change) tea.Cmd {
	if ch == nil {
		return nil
	}
	return func() tea.Msg {
		ch, ok := <-ch
		if !ok {
			return nil
		}
		return changedMsg{table: ch.Table}
	}
}

// caseloadWord names where the caseload is kept, for sentences that say
// so: "file" on this computer, "team database" on a server.
func caseloadWord(c *Common) string {
	if c.Store.Team() {
		return "team database"
	}
	return "file"
}
