package tui

import (
	"errors"
	"sync"
	"sync/atomic"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"callcoach/coaching"
	"callcoach/storage"
	"callcoach/tui/editor"
)

// The notes pane: the editor that has the keyboard from the first moment
// of a call, and the saver behind it. Typed notes are written at most
// saveDelay after the first unsaved key; what the header says about them
// is read without waiting for a save.

// saveDelay is how long typed notes may wait before they are written. The
// first unsaved keystroke starts the wait, so a coach who types without a
// pause is still saved within this time.
const saveDelay = 700 * time.Millisecond

// slowSave is how long a save may wait before the header says why the
// notes are not saved yet.
const slowSave = time.Second

type (
	saveDueMsg    struct{ callID int64 }
	notesSavedMsg struct {
		callID int64
		rev    int64
		err    error
	}
)

// noteWriter writes one call's notes. It is shared by the pane's copies
// and by Flush, and remembers the newest revision known to be stored, so
// nothing is written twice and nothing older overwrites something newer.
// What the screen draws (the revision stored, whether a save is waiting)
// is read without a lock: drawing never waits for the database.
type noteWriter struct {
	store   *storage.Store
	callID  int64
	base    int64      // added to the editor's revision to give the database's
	mu      sync.Mutex // one save at a time
	written atomic.Int64
	since   atomic.Int64 // when the save under way began (Unix ns by the Common clock); 0 if none
}

// errNotesNewer is a save the database refused because the notes stored
// are newer: another callcoach wrote them.
var errNotesNewer = errors.New("the notes saved are newer than these (written by another callcoach)")

func newNoteWriter(store *storage.Store, callID, base, stored int64) *noteWriter {
	w := &noteWriter{store: store, callID: callID, base: base}
	w.written.Store(stored)
	return w
}

func (w *noteWriter) save(c *Common, notes string, rev int64) error {
	if rev <= w.written.Load() {
		return nil
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if rev <= w.written.Load() {
		return nil
	}
	w.since.Store(c.Now().UnixNano())
	defer w.since.Store(0)
	applied, err := w.store.SaveNotes(c.Ctx, w.callID, notes, rev, c.Now())
	if err != nil {
		return err
	}
	if !applied {
		return errNotesNewer
	}
	w.written.Store(rev)
	return nil
}

func (w *noteWriter) savedRev() int64 { return w.written.Load() }

// waiting is how long the save under way has been waiting, or 0.
func (w *noteWriter) waiting(now time.Time) time.Duration {
	since := w.since.Load()
	if since == 0 {
		return 0
	}
	return max(now.Sub(time.Unix(0, since)), 0)
}

// notesPane is the editor with its saver.
type notesPane struct {
	c      *Common
	callID int64
	ed     editor.Model
	writer *noteWriter
	queued bool   // a save is armed
	err    string // the last save failed; it is being retried
	kept   bool   // it failed for want of the team database: the spool has the notes
}

func newNotesPane(c *Common, call coaching.Call) notesPane {
	ed := editor.New()
	ed.SetMaxBytes(coaching.MaxNotesLen)
	ed.Placeholder = "Type notes here as you talk; they are saved as you type."
	ed.CursorStyle = c.Styles.Cursor
	ed.PlaceholderStyle = c.Styles.Subtle
	ed.SetValue(call.Notes)
	ed.Focus()
	// The editor counts SetValue as a change; the stored notes are that
	// text, so the database revision of the editor's state now is NotesRev.
	base := call.NotesRev - int64(ed.Revision())
	return notesPane{c: c, callID: call.ID, ed: ed, writer: newNoteWriter(c.Store, call.ID, base, call.NotesRev)}
}

// rev is the revision of the notes as the database counts it.
func (p *notesPane) rev() int64 { return p.writer.base + int64(p.ed.Revision()) }

// unsaved reports whether the screen holds notes the file does not.
func (p *notesPane) unsaved() bool { return p.writer.savedRev() < p.rev() }

// key types into the notes and arms a save if the text changed.
func (p *notesPane) key(msg tea.KeyMsg) tea.Cmd {
	before := p.ed.Revision()
	var cmd tea.Cmd
	p.ed, cmd = p.ed.Update(msg)
	if p.ed.Revision() != before {
		return tea.Batch(cmd, p.queue())
	}
	return cmd
}

// saveNow writes the notes as they are now, off the UI goroutine.
func (p *notesPane) saveNow() tea.Cmd {
	notes, rev, w, c, id := p.ed.Value(), p.rev(), p.writer, p.c, p.callID
	return func() tea.Msg {
		return notesSavedMsg{callID: id, rev: rev, err: w.save(c, notes, rev)}
	}
}

// saveForSearchNow writes the notes as they are now and brings the search
// index up to date with them, off the UI goroutine: search is opening over
// the call, and a save alone leaves the index a moment behind (see
// storage/notesindex.go). Should indexing fail, the store tries again
// later; the notes are saved either way.
func (p *notesPane) saveForSearchNow() tea.Cmd {
	notes, rev, w, c, id := p.ed.Value(), p.rev(), p.writer, p.c, p.callID
	return func() tea.Msg {
		err := w.save(c, notes, rev)
		if err == nil {
			c.Store.IndexNotes(c.Ctx)
		}
		return notesSavedMsg{callID: id, rev: rev, err: err}
	}
}

// queue arms the save timer unless it is already armed.
func (p *notesPane) queue() tea.Cmd {
	if p.queued {
		return nil
	}
	p.queued = true
	return p.c.After(saveDelay, saveDueMsg{callID: p.callID})
}

// flush writes the notes now and waits; only for the way out.
func (p *notesPane) flush() error { return p.writer.save(p.c, p.ed.Value(), p.rev()) }

// saved takes in a save's result: a failure is said and retried.
func (p *notesPane) saved(msg notesSavedMsg) tea.Cmd {
	if errors.Is(msg.err, storage.ErrUnreachable) {
		p.err = "Team database unreachable: notes kept on this computer, sent when it is back."
		p.kept = true
		return p.queue()
	}
	if msg.err != nil {
		p.err = "Notes NOT saved yet (" + storage.Explain(msg.err) + "); retrying. Keep typing, nothing is lost."
		p.kept = false
		return p.queue()
	}
	p.kept = false
	p.err = ""
	return nil
}

// state says whether what is on screen is in the file, for the header.
func (p *notesPane) state() string {
	st := p.c.Styles
	waiting := p.writer.waiting(p.c.Now())
	switch {
	case p.kept:
		return st.Warn.Render("kept on this computer")
	case p.err != "":
		return st.Error.Render("NOT SAVED")
	case !p.unsaved():
		return st.OK.Render("saved")
	case waiting >= slowSave && p.c.Store.Checking():
		return st.Warn.Render("not saved yet: checking the file first")
	case waiting >= slowSave && p.c.Store.Team():
		return st.Warn.Render("not saved yet: the team database is slow to answer")
	case waiting >= slowSave:
		return st.Warn.Render("not saved yet: the file is busy")
	default:
		return st.Subtle.Render("saving…")
	}
}
