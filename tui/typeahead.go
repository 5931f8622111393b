package tui

import (
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// Typing ahead. A coach presses c and starts typing notes at once, while
// the person is read, the call started and the workspace drawn; or presses
// enter on a summary and then tab, before the person screen is back. Keys
// that arrive while the screen on top is opening another (or closing) are
// held, and given, in order, to the screen that is on top once the change
// is over, if it takes text (the notes, a form): never to the one that was
// going, and never as commands to a screen that does not take text (they
// are shown instead, so nothing typed is lost unseen). A question that
// appears on the way (continue the unfinished call, or start a new one?)
// is not answered by keys typed before it was shown: they wait for the
// screen after it.

// changing is a screen opening another, or closing: keys wait.
type changing interface {
	Changing() bool
}

// asking is a screen showing a question keys typed earlier must not
// answer: they wait until it is answered.
type asking interface {
	Asking() bool
}

// typeAheadLimit is how long keys wait for a change of screen that does
// not come (an error along the way): then they are let go, and said.
const typeAheadLimit = 10 * time.Second

// maxTypeAhead bounds the keys held.
const maxTypeAhead = 4096

type typeAhead struct {
	keys  []tea.KeyMsg
	since time.Time
}

func isChanging(s screen) bool {
	c, ok := s.(changing)
	return ok && c.Changing()
}

func isAsking(s screen) bool {
	a, ok := s.(asking)
	return ok && a.Asking()
}

// holdKey keeps a key while the screen on top is changing, and reports
// whether it did.
func (a *App) holdKey(msg tea.KeyMsg) bool {
	if !isChanging(a.top()) {
		return false // a question shown takes the keys typed now
	}
	if len(a.ahead.keys) == 0 {
		a.ahead.since = a.c.Now()
	}
	if len(a.ahead.keys) < maxTypeAhead {
		a.ahead.keys = append(a.ahead.keys, msg)
	}
	return true
}

// releaseKeys gives the held keys to the screen on top once it is no
// longer changing nor asking; keys held too long are let go with a word.
func (a App) releaseKeys() (tea.Model, tea.Cmd) {
	if len(a.ahead.keys) == 0 {
		return a, nil
	}
	if isChanging(a.top()) || isAsking(a.top()) {
		if a.c.Now().Sub(a.ahead.since) < typeAheadLimit {
			return a, nil
		}
		a.dropKeys()
		return a, nil
	}
	held := a.ahead.keys
	a.ahead = typeAhead{}
	if !a.top().Typing() || isModal(a.top()) {
		// Only a screen that takes text gets what was typed ahead: keys
		// meant for the notes must not act as commands elsewhere (e on a
		// person's page edits them).
		a.ahead.keys = held
		a.dropKeys()
		return a, nil
	}
	var m tea.Model = a
	var cmds []tea.Cmd
	for i, k := range held {
		app := m.(App)
		if isChanging(app.top()) || isAsking(app.top()) {
			// The keys opened another screen: the rest wait for it.
			app.ahead.keys = append(app.ahead.keys, held[i:]...)
			app.ahead.since = app.c.Now()
			m = app
			break
		}
		var cmd tea.Cmd
		m, cmd = app.Update(k)
		cmds = append(cmds, cmd)
	}
	return m, tea.Batch(cmds...)
}

// dropKeys lets the held keys go, showing what they would have typed, so
// nothing typed is lost unseen. The words stay with the next error too.
func (a *App) dropKeys() {
	a.dropped = "Not used, typed while the screen was changing: “" + oneLine(keysText(a.ahead.keys)) + "”"
	a.ahead = typeAhead{}
	a.errText = a.dropped
	a.sizeAll()
}

// keysText is what the keys would have typed.
func keysText(keys []tea.KeyMsg) string {
	var b strings.Builder
	for _, k := range keys {
		switch k.Type {
		case tea.KeyRunes:
			b.WriteString(string(k.Runes))
		case tea.KeySpace:
			b.WriteByte(' ')
		case tea.KeyEnter:
			b.WriteString(" ⏎ ")
		}
	}
	return b.String()
}
