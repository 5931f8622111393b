package tui

import (
	"sync"

	tea "github.com/charmbracelet/bubbletea"

	"callcoach/storage"
)

// draftWriter keeps a form's unsaved fields in the database, so a closed
// terminal or a crash loses at most the last moment of typing. Once the
// form is saved or thrown away it is closed, and a late save from a timer
// can no longer bring the draft back.
type draftWriter struct {
	store  *storage.Store
	key    string
	mu     sync.Mutex
	closed bool
}

type (
	draftDueMsg    struct{ w *draftWriter }
	draftLoadedMsg struct {
		w     *draftWriter
		draft storage.Draft
		ok    bool
	}
	draftSavedMsg struct {
		w   *draftWriter
		err error
	}
	// draftKeptMsg says the draft of a form on its way out was written.
	draftKeptMsg struct {
		w   *draftWriter
		err error
	}
)

func newDraftWriter(store *storage.Store, key string) *draftWriter {
	return &draftWriter{store: store, key: key}
}

func (w *draftWriter) save(c *Common, fields map[string]string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return nil
	}
	return w.store.SaveDraft(c.Ctx, w.key, fields, c.Now())
}

// close removes the draft and stops further saves.
func (w *draftWriter) close(c *Common) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.closed = true
	return w.store.DeleteDraft(c.Ctx, w.key)
}

// load reads the draft left by an earlier session, if any.
func (w *draftWriter) load(c *Common) tea.Cmd {
	return func() tea.Msg {
		d, ok, err := w.store.LoadDraft(c.Ctx, w.key)
		if err != nil {
			return errMsg{"Could not read an unsaved draft: " + storage.Explain(err)}
		}
		return draftLoadedMsg{w: w, draft: d, ok: ok}
	}
}

// later arms the timer that saves the draft.
func (w *draftWriter) later(c *Common) tea.Cmd {
	return c.After(saveDelay, draftDueMsg{w})
}

// saveCmd writes the fields now, off the UI goroutine.
func (w *draftWriter) saveCmd(c *Common, fields map[string]string) tea.Cmd {
	return func() tea.Msg { return draftSavedMsg{w: w, err: w.save(c, fields)} }
}

// keepCmd writes the fields now, for a form that closes once they are kept.
func (w *draftWriter) keepCmd(c *Common, fields map[string]string) tea.Cmd {
	return func() tea.Msg { return draftKeptMsg{w: w, err: w.save(c, fields)} }
}
