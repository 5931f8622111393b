package tui

import (
	"errors"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"callcoach/storage"
)

// The banner is the top line (or lines) of every screen while the file
// cannot take what the coach types: it is read-only, its pages failed the
// check, or the check is still running. Unlike the status line, no key
// clears it.

// pageCheckMsg is the verdict of the store's page check.
type pageCheckMsg struct{ err error }

// pageCheckSlowMsg comes a moment after the check starts: if it is still
// running, the coach is told why nothing is saved yet.
type pageCheckSlowMsg struct{}

// slowCheck is how long the check runs unannounced.
const slowCheck = time.Second

// pageCheck is the state of the page check.
type pageCheck struct {
	done, slow bool
	damaged    bool // the file failed: nothing is saved
	gone       bool // the file was replaced or removed under the program
}

// fileWatchMsg is the periodic look at whether the file is still the one
// opened; fileGoneMsg says it is not.
type (
	fileWatchMsg struct{}
	fileGoneMsg  struct{ err error }
)

// fileWatchEvery is how often the App looks whether its file is still
// there: a restore or a removal from another terminal is noticed within
// this time even on a screen that writes nothing.
const fileWatchEvery = 2 * time.Second

func watchFile(c *Common) tea.Cmd { return c.After(fileWatchEvery, fileWatchMsg{}) }

// lookAtFile checks the file off the UI goroutine.
func lookAtFile(c *Common) tea.Cmd {
	store := c.Store
	return func() tea.Msg {
		if err := store.CheckFile(); err != nil {
			return fileGoneMsg{err}
		}
		return nil
	}
}

// startPageCheck runs the page check in the background. The App starts it
// once the first frame is on the screen (see App.Init).
func startPageCheck(c *Common) tea.Cmd {
	store, ctx := c.Store, c.Ctx
	return tea.Batch(
		func() tea.Msg { return pageCheckMsg{store.CheckPages(ctx)} },
		c.After(slowCheck, pageCheckSlowMsg{}),
	)
}

// checked takes in the page check's verdict: damage raises the banner and
// is told in full once, in the status line.
func (a *App) checked(err error) tea.Cmd {
	a.check.done = true
	switch {
	case errors.Is(err, storage.ErrDamaged):
		a.check.damaged = true
		return showErr(sentence(storage.Explain(err)))
	case err != nil:
		return showErr("The database file could not be checked (" + storage.Explain(err) + "); nothing is saved until it is: quit and start callcoach again.")
	}
	return nil
}

// bannerLines draws the banner: a headline, and under a damaged file's
// what to do, wrapped to the width; one line in a short window, none in a
// window too small for anything.
func (a App) bannerLines() []string {
	w := a.drawWidth()
	if a.height < 5 || w <= 0 {
		return nil
	}
	st := a.c.Styles
	readOnly := a.c.Store.ReadOnly() != nil
	var head string
	style := st.Warn.Bold(true)
	switch {
	case a.check.gone:
		head, style = "FILE REPLACED OR REMOVED: nothing more is saved. Quit, then start callcoach again.", st.Error
	case a.check.damaged && readOnly:
		head, style = "READ-ONLY · DAMAGED FILE: nothing can be saved.", st.Error
	case a.check.damaged:
		head, style = "DAMAGED FILE: nothing more is saved into it.", st.Error
	case readOnly:
		head = "READ-ONLY: you can read everything; nothing is saved."
	case a.check.slow && !a.check.done:
		head, style = "Checking the database file before saving anything (a large one takes a while)…", st.Warn
	default:
		return nil
	}
	out := []string{style.Render(clipLine(head, w))}
	if !a.check.damaged || a.height < 12 {
		return out
	}
	const todo = "Quit, then restore your newest backup (callcoach restore FILE), or rescue what can still be read into a new file (callcoach backup NEWFILE)."
	lines := strings.Split(lipgloss.NewStyle().Width(w).Render(todo), "\n")
	if len(lines) > 2 {
		lines = lines[:2]
		lines[1] = clipLine(strings.TrimRight(lines[1], " ")+" …", w)
	}
	for _, l := range lines {
		out = append(out, st.Error.Render(strings.TrimRight(l, " ")))
	}
	return out
}

// unsaveable says why err is a refusal no retry will change ("read-only",
// "damaged"), or "" if it is not one.
func unsaveable(err error) string {
	switch {
	case errors.Is(err, storage.ErrReadOnly):
		return "read-only"
	case errors.Is(err, storage.ErrDamaged):
		return "damaged"
	}
	return ""
}

// sentence makes one of the store's sentences (no capital, no full stop,
// to sit inside another) stand alone.
func sentence(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	return strings.ToUpper(string(r[0])) + string(r[1:]) + "."
}
