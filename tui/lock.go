package tui

// The screen lock: after lock_after without a key, or on ctrl+l, the whole
// window shows only that callcoach is locked, until the coach's passphrase
// is typed. Nothing of the screens under it is drawn (help, search, forms,
// the safety panel, banners), but they stay as they were and go on hearing
// everything but keys: notes are saved, a call's timer runs, its hold on
// the call is renewed. The passphrase's hash is kept by storage/screenlock.

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"callcoach/coaching"
	"callcoach/storage"
	"callcoach/storage/screenlock"
)

// ScreenLock is how the screen lock starts, as main finds it.
type ScreenLock struct {
	// File is the lock file, beside the settings file; "" leaves the
	// program without a screen lock (tests that are not about it).
	File string
	// Set says a passphrase is set: the program opens locked, so that
	// quitting from the lock and starting again does not get past it.
	Set bool
	// Damaged is why the lock file cannot be used, if it cannot: the
	// program opens locked and says how to reset it, never unlocked.
	Damaged error
	// Demo: the people are made up, so the screen locks only if the
	// settings file gives lock_after.
	Demo bool
	// After and AfterSet come from the settings (Common.apply): the idle
	// time (0: only on the key), and whether the file gave it.
	After    time.Duration
	AfterSet bool
}

// lockMode is what the lock shows.
type lockMode int

const (
	lockOff     lockMode = iota // the screens
	lockShown                   // locked: the passphrase is asked
	lockSetting                 // the passphrase is being chosen
)

// lockState is the App's part of the screen lock.
type lockState struct {
	mode    lockMode
	set     bool  // a passphrase is set
	damaged error // the lock file cannot be used
	// fields are the passphrase fields, nil while none is shown.
	fields  *lockFields
	second  bool      // choosing: the second field has the keyboard
	msg     string    // under the field: what went wrong
	until   time.Time // no try before this
	busy    bool      // a check or a hash is under way
	queued  bool      // enter was pressed during a check: try the field next
	last    time.Time // the last key
	armed   bool      // an idle timer is out
	ticking bool      // a countdown tick is out
}

// lockFields are the lock's passphrase fields. They are kept out of
// lockState, behind a pointer, because a textinput.Model is some 5 KB and
// App is passed by value through every Update and View: held in App, the
// two doubled its size, and the copies grew the stacks before the first
// frame (docs/performance.md, "First frame"). They change only through
// edit, so that an App value kept elsewhere keeps the fields it had.
type lockFields struct {
	input textinput.Model
	again textinput.Model // choosing: the passphrase a second time
}

// edit gives the fields to change: a copy of the current ones (or new
// empty ones), now this lockState's own.
func (l *lockState) edit() *lockFields {
	f := new(lockFields)
	if l.fields != nil {
		*f = *l.fields
	}
	l.fields = f
	return f
}

// shown gives the fields to read: empty ones if none are shown.
func (l *lockState) shown() *lockFields {
	if l.fields == nil {
		return &lockFields{}
	}
	return l.fields
}

type (
	// lockIdleMsg is the idle timer: the screen locks if no key came
	// since lock_after ago.
	lockIdleMsg struct{}
	// lockCountMsg moves the "try again in" countdown on.
	lockCountMsg struct{}
	// lockTriedMsg is the verdict on a passphrase.
	lockTriedMsg struct {
		res screenlock.Result
		err error
	}
	// lockChosenMsg says the new passphrase was written, or why not.
	lockChosenMsg struct{ err error }
)

func newLockState(c *Common) lockState {
	l := lockState{set: c.Lock.Set, damaged: c.Lock.Damaged, last: c.Now()}
	if c.Lock.File != "" && !c.Lock.Demo && (l.set || l.damaged != nil) {
		l.mode = lockShown
		l.fields = &lockFields{input: passphraseInput(c)}
	}
	return l
}

func passphraseInput(c *Common) textinput.Model {
	ti := newAskInput(c, "", 256)
	ti.EchoMode = textinput.EchoPassword
	ti.EchoCharacter = '*'
	return ti
}

// lockKeyOn says whether the lock key does anything: there is a lock file
// to keep, and this is not the demo (unless its settings ask for a lock).
func (a App) lockKeyOn() bool {
	l := a.c.Lock
	return l.File != "" && (!l.Demo || l.AfterSet)
}

// lockIdleOn says whether the screen locks by itself when idle.
func (a App) lockIdleOn() bool {
	return a.lockKeyOn() && a.c.Lock.After > 0 && (a.lock.set || a.lock.damaged != nil)
}

// lockNote is the quiet line in the status that says the lock is not set
// up, or "".
func (a App) lockNote() string {
	if !a.start.begun || !a.lockKeyOn() || a.c.Lock.After == 0 || a.lock.set || a.lock.damaged != nil || a.lock.mode != lockOff {
		return ""
	}
	return "Screen lock not set up: " + a.keys.Lock.Help().Key + " chooses a passphrase."
}

// armIdle sends the idle timer out, unless one is out already: one timer,
// re-armed from the last key when it fires, so keys cost nothing.
func (a *App) armIdle() tea.Cmd {
	if a.lock.armed || a.lock.mode != lockOff || !a.lockIdleOn() {
		return nil
	}
	a.lock.armed = true
	wait := a.lock.last.Add(a.c.Lock.After).Sub(a.c.Now())
	return a.c.After(max(wait, time.Second), lockIdleMsg{})
}

// idle takes the idle timer: lock if no key came for lock_after, else wait
// the rest.
func (a App) idle() (tea.Model, tea.Cmd) {
	a.lock.armed = false
	if a.lock.mode != lockOff || !a.lockIdleOn() {
		return a, nil
	}
	if a.c.Now().Sub(a.lock.last) >= a.c.Lock.After {
		return a.lockNow()
	}
	return a, a.armIdle()
}

// lockNow locks the screen. Whatever any screen holds unsaved is sent to
// be written at once, by the same commands that save it before search
// covers it; the screens stay as they are underneath.
func (a App) lockNow() (tea.Model, tea.Cmd) {
	var cmds []tea.Cmd
	for _, s := range a.stack {
		if sv, ok := s.(saver); ok {
			cmds = append(cmds, sv.SaveCmd())
		}
	}
	a.lock.mode, a.lock.msg, a.lock.busy = lockShown, "", false
	a.lock.fields = &lockFields{input: passphraseInput(a.c)}
	cmds = append(cmds, a.c.record(coaching.AuditLocked, 0))
	return a, tea.Batch(cmds...)
}

// lockKey is ctrl+l: lock, or choose a passphrase if there is none.
func (a App) lockKey() (tea.Model, tea.Cmd) {
	if a.lock.set || a.lock.damaged != nil {
		return a.lockNow()
	}
	a.lock.mode, a.lock.msg, a.lock.second, a.lock.busy = lockSetting, "", false, false
	f := &lockFields{input: passphraseInput(a.c), again: passphraseInput(a.c)}
	f.again.Blur()
	a.lock.fields = f
	return a, nil
}

// updateLock takes a key while the lock (or the choice of passphrase) is
// on the screen: nothing reaches the screens under it.
func (a App) updateLock(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	if key.Matches(msg, a.keys.Quit) {
		m, cmd := a.quit()
		if app, ok := m.(App); ok && app.errText != "" {
			app.lock.msg = app.errText
			return app, cmd
		}
		return m, cmd
	}
	if a.lock.mode == lockSetting {
		if a.lock.busy {
			return a, nil // the passphrase is being kept; the form is going
		}
		return a.updateChoose(msg)
	}
	switch msg.Type {
	case tea.KeyEnter:
		if a.lock.busy {
			// One check at a time: what is typed meanwhile is tried
			// when this one is done.
			a.lock.queued = true
			return a, nil
		}
		return a.tryUnlock()
	case tea.KeyEsc:
		a.lock.edit().input.Reset()
		return a, nil
	}
	var cmd tea.Cmd
	f := a.lock.edit()
	f.input, cmd = updateInput(f.input, msg)
	return a, cmd
}

// tryUnlock checks what was typed, off the UI goroutine (Argon2id takes a
// moment on purpose).
func (a App) tryUnlock() (tea.Model, tea.Cmd) {
	pass := a.lock.shown().input.Value()
	now := a.c.Now()
	switch {
	case a.lock.damaged != nil:
		a.lock.msg = sentence(a.lock.damaged.Error())
		return a, nil
	case pass == "":
		a.lock.msg = "Type your passphrase, then enter."
		return a, nil
	case now.Before(a.lock.until):
		a.lock.edit().input.Reset()
		return a, a.countdown()
	}
	a.lock.busy, a.lock.msg = true, ""
	a.lock.edit().input.Reset()
	file := a.c.Lock.File
	return a, func() tea.Msg {
		res, err := screenlock.Try(file, pass, now)
		return lockTriedMsg{res, err}
	}
}

// tried takes the verdict on a passphrase.
func (a App) tried(msg lockTriedMsg) (tea.Model, tea.Cmd) {
	a.lock.busy = false
	queued := a.lock.queued
	a.lock.queued = false
	now := a.c.Now()
	var damaged *screenlock.DamagedError
	var failed tea.Cmd // the audit entry of a wrong passphrase
	switch {
	case errors.As(msg.err, &damaged):
		a.lock.damaged = damaged
		a.lock.msg = sentence(damaged.Error())
		return a, nil
	case msg.res.OK:
		a.lock.mode, a.lock.msg, a.lock.until = lockOff, "", time.Time{}
		a.lock.fields = nil // nothing of it stays in memory longer than need be
		a.lock.last = now
		if msg.err != nil {
			// Right, but the count of wrong tries could not be cleared.
			a.errText = "Unlocked, but the screen lock file could not be updated: " + storage.Explain(msg.err)
		}
		a.sizeAll()
		return a, tea.Batch(a.armIdle(), a.c.record(coaching.AuditUnlocked, 0))
	case msg.err != nil:
		a.lock.msg = "Could not check the passphrase: " + storage.Explain(msg.err) + ". Try again; if it goes on, quit (ctrl+c) and see the README, \"Screen lock\"."
		return a, nil
	case msg.res.Refused:
		a.lock.msg = ""
	default:
		a.lock.msg = "Wrong passphrase."
		failed = a.c.record(coaching.AuditUnlockFailed, 0)
	}
	a.lock.until = time.Time{}
	if msg.res.Wait > 0 {
		a.lock.until = now.Add(msg.res.Wait)
	}
	count := tea.Batch(a.countdown(), failed)
	if queued && a.lock.shown().input.Value() != "" {
		m, try := a.tryUnlock()
		return m, tea.Batch(count, try)
	}
	return a, count
}

// countdown sends a tick in a second while tries wait, so the "try again
// in" line counts down.
func (a *App) countdown() tea.Cmd {
	if a.lock.ticking || !a.c.Now().Before(a.lock.until) {
		return nil
	}
	a.lock.ticking = true
	return a.c.After(time.Second, lockCountMsg{})
}

// updateChoose takes a key while the passphrase is being chosen: type it,
// enter, type it again, enter. esc leaves it for now.
func (a App) updateChoose(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	l := &a.lock
	switch msg.Type {
	case tea.KeyEsc:
		l.mode, l.msg = lockOff, ""
		a.sizeAll()
		return a, nil
	case tea.KeyTab, tea.KeyShiftTab, tea.KeyUp, tea.KeyDown:
		l.msg = ""
		return a, l.focusChoice(!l.second)
	case tea.KeyEnter:
		first := l.shown().input.Value()
		if n := utf8.RuneCountInString(first); n < screenlock.MinLength {
			l.msg = fmt.Sprintf("A passphrase needs at least %d characters; this one has %d.", screenlock.MinLength, n)
			return a, l.focusChoice(false)
		}
		if !l.second {
			l.msg = ""
			return a, l.focusChoice(true)
		}
		if l.shown().again.Value() != first {
			l.msg = "The two do not match. Type it again below (or tab back to change the first)."
			l.edit().again.Reset()
			return a, nil
		}
		l.busy, l.msg = true, ""
		file := a.c.Lock.File
		return a, func() tea.Msg { return lockChosenMsg{screenlock.Set(file, first)} }
	}
	var cmd tea.Cmd
	f := l.edit()
	if l.second {
		f.again, cmd = updateInput(f.again, msg)
	} else {
		f.input, cmd = updateInput(f.input, msg)
	}
	return a, cmd
}

func (l *lockState) focusChoice(second bool) tea.Cmd {
	l.second = second
	f := l.edit()
	if second {
		f.input.Blur()
		return f.again.Focus()
	}
	f.again.Blur()
	return f.input.Focus()
}

// chosen takes the word that the new passphrase was written.
func (a App) chosen(msg lockChosenMsg) (tea.Model, tea.Cmd) {
	a.lock.busy = false
	if msg.err != nil {
		a.lock.msg = "Could not keep the passphrase: " + storage.Explain(msg.err) + ". Try again, or esc to go on without the lock."
		return a, nil
	}
	a.lock.mode, a.lock.set, a.lock.damaged, a.lock.msg = lockOff, true, nil, ""
	a.lock.fields = nil
	a.lock.last = a.c.Now()
	when := "on " + a.keys.Lock.Help().Key
	if a.c.Lock.After > 0 {
		when = "after " + shortDuration(a.c.Lock.After) + " without a key, and on " + a.keys.Lock.Help().Key
	}
	a.info = "Screen lock set: it locks " + when + "."
	a.sizeAll()
	return a, a.armIdle()
}

// shortDuration says 5m, 90s or 1h30m as a coach would: 5 min, 90 s, 1 h 30 min.
func shortDuration(d time.Duration) string {
	h, m, s := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	var parts []string
	if h > 0 {
		parts = append(parts, fmt.Sprintf("%d h", h))
	}
	if m > 0 {
		parts = append(parts, fmt.Sprintf("%d min", m))
	}
	if s > 0 {
		parts = append(parts, fmt.Sprintf("%d s", s))
	}
	return strings.Join(parts, " ")
}

// lockView draws the lock, or the choice of passphrase, on the whole
// window: nothing of the screens under it.
func (a App) lockView() string {
	st := a.c.Styles
	w := a.drawWidth()
	wrap := func(text string, style lipgloss.Style) []string {
		var out []string
		for _, l := range strings.Split(lipgloss.NewStyle().Width(max(w-4, 10)).Render(text), "\n") {
			out = append(out, style.Render(strings.TrimRight(l, " ")))
		}
		return out
	}
	field := func(label string, in textinput.Model, focused bool) string {
		mark := "  "
		if focused {
			mark = "> "
		}
		return mark + st.Key.Render(label) + " " + in.View()
	}
	var lines []string
	var keys []key.Binding
	if a.lock.mode == lockSetting {
		lines = append(lines, st.Title.Render("Choose a passphrase for the screen lock"), "")
		when := "on " + a.keys.Lock.Help().Key
		if a.c.Lock.After > 0 {
			when = "after " + shortDuration(a.c.Lock.After) + " without a key, and on " + a.keys.Lock.Help().Key
		}
		lines = append(lines, wrap(fmt.Sprintf("callcoach locks the screen %s, so that no name or note shows while you are away. At least %d characters; it is kept only as a hash.", when, screenlock.MinLength), st.Subtle)...)
		lines = append(lines, "", field("Passphrase:", a.lock.shown().input, !a.lock.second), field("Again:     ", a.lock.shown().again, a.lock.second))
		keys = []key.Binding{a.keys.LockNext, a.keys.LockNotNow, a.keys.Quit}
	} else {
		lines = append(lines, st.Title.Render("callcoach is locked"), "")
		if a.lock.damaged == nil {
			lines = append(lines, field("Passphrase:", a.lock.shown().input, true))
		}
		keys = []key.Binding{a.keys.Unlock, a.keys.LockClear, a.keys.Quit}
	}
	lines = append(lines, "")
	switch {
	case a.lock.busy && a.lock.mode == lockSetting:
		lines = append(lines, st.Subtle.Render("Keeping it…"))
	case a.lock.busy:
		lines = append(lines, st.Subtle.Render("Checking…"))
	case a.lock.msg != "":
		lines = append(lines, wrap(a.lock.msg, st.Error)...)
	case a.lock.damaged != nil:
		lines = append(lines, wrap(sentence(a.lock.damaged.Error()), st.Error)...)
	}
	if left := a.lock.until.Sub(a.c.Now()); left > 0 && a.lock.mode == lockShown {
		lines = append(lines, st.Warn.Render(fmt.Sprintf("Try again in %d s.", int((left+time.Second-1)/time.Second))))
	}
	for i, l := range lines {
		lines[i] = clipLine("  "+l, w)
	}
	body := strings.Join(lines, "\n")
	h := a.height
	if h > 2 {
		h--
	}
	top := max((h-len(lines))/3, 0)
	var b strings.Builder
	b.WriteString(fit(strings.Repeat("\n", top)+body, w, h))
	if a.height > 2 {
		b.WriteString("\n" + clipLine(a.help.ShortHelpView(keys), w))
	}
	return screenSafe(b.String())
}
