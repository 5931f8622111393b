package tui

import (
	"context"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"callcoach/coaching"
	"callcoach/storage"
)

// timerMsg is what Common.After yields under test: the harness holds it
// until the test fires the timers.
type timerMsg struct {
	d   time.Duration
	msg tea.Msg
}

// harness drives the root model the way bubbletea would, but on the test's
// goroutine: commands run at once and their messages are fed back, timers
// wait for fire(), and the clock moves only when the test moves it.
type harness struct {
	t      *testing.T
	app    tea.Model
	c      *Common
	store  *storage.Store
	path   string
	now    time.Time  // written only through setNow
	clock  sync.Mutex // guards now against a command reading it elsewhere
	timers []tea.Msg
	copied string // what was put on the clipboard
	quit   bool
	w, h   int
}

var testStart = time.Date(2026, 11, 23, 14, 0, 0, 0, time.UTC)

func newHarness(t *testing.T, w, h int) *harness {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.db")
	return openHarness(t, path, w, h)
}

// openHarness starts the app on an existing (or new) database file, as a
// restart would.
func openHarness(t *testing.T, path string, w, h int) *harness {
	t.Helper()
	store, err := storage.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	return storeHarness(t, store, w, h)
}

// storeHarness starts the app on an open store, which it closes at the
// end of the test.
func storeHarness(t *testing.T, store *storage.Store, w, h int) *harness {
	t.Helper()
	return storeHarnessWith(t, store, w, h, nil)
}

// storeHarnessWith is storeHarness with setup given the shared state
// before the app is made (a screen lock to start with, say).
func storeHarnessWith(t *testing.T, store *storage.Store, w, h int, setup func(*Common)) *harness {
	t.Helper()
	t.Cleanup(func() { store.Close() })
	// Renewed by hand, on the test's clock. A file that takes no writes
	// (read-only, damaged) takes no registration either, as in the app.
	if _, err := store.RegisterEvery(context.Background(), testStart, 0); err != nil && !errors.Is(err, storage.ErrReadOnly) && !errors.Is(err, storage.ErrDamaged) {
		t.Fatalf("register: %v", err)
	}
	hs := commonHarness(t, store)
	if setup != nil {
		setup(hs.c)
	}
	app := NewApp(hs.c)
	hs.app = app
	hs.send(tea.WindowSizeMsg{Width: w, Height: h})
	hs.run(app.Init())
	return hs
}

// commonHarness is a harness on an open store with the app's shared state
// made, and no app yet.
func commonHarness(t *testing.T, store *storage.Store) *harness {
	t.Helper()
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	hs := &harness{t: t, store: store, path: store.Path(), now: testStart}
	c := NewCommon(context.Background(), store, r)
	c.Now = func() time.Time {
		hs.clock.Lock()
		defer hs.clock.Unlock()
		return hs.now
	}
	c.After = func(d time.Duration, msg tea.Msg) tea.Cmd {
		return func() tea.Msg { return timerMsg{d, msg} }
	}
	c.Local = time.UTC
	c.Copy = func(text string) error { hs.copied = text; return nil } // never to the test's terminal
	hs.c = c
	return hs
}

// restart ends this program's hold on the file, as its process ending
// would, and starts the app again on the same file.
func (h *harness) restart(w, ht int) *harness {
	h.t.Helper()
	if err := h.store.Close(); err != nil {
		h.t.Fatalf("close: %v", err)
	}
	return openHarness(h.t, h.path, w, ht)
}

func (h *harness) send(msg tea.Msg) {
	h.t.Helper()
	if ws, ok := msg.(tea.WindowSizeMsg); ok {
		h.w, h.h = ws.Width, ws.Height
	}
	m, cmd := h.app.Update(msg)
	h.app = m
	h.run(cmd)
	h.checkView()
}

func (h *harness) run(cmd tea.Cmd) {
	h.t.Helper()
	if cmd == nil {
		return
	}
	switch msg := cmd().(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			h.run(c)
		}
	case timerMsg:
		h.timers = append(h.timers, msg.msg)
	case tea.QuitMsg:
		h.quit = true
	default:
		h.send(msg)
	}
}

// setNow moves the clock; a command running on another goroutine (a save
// stuck behind a lock) may be reading it.
func (h *harness) setNow(t time.Time) {
	h.clock.Lock()
	defer h.clock.Unlock()
	h.now = t
}

// fire delivers every timer that is waiting (and only those).
func (h *harness) fire() {
	h.t.Helper()
	ts := h.timers
	h.timers = nil
	for _, m := range ts {
		h.send(m)
	}
}

// pause is typing pausing: it delivers the waiting count of the
// caseload's tabs (countSoon), and leaves the other timers waiting.
func (h *harness) pause() {
	h.t.Helper()
	var kept []tea.Msg
	var due []tea.Msg
	for _, m := range h.timers {
		if _, ok := m.(countDueMsg); ok {
			due = append(due, m)
		} else {
			kept = append(kept, m)
		}
	}
	h.timers = kept
	for _, m := range due {
		h.send(m)
	}
}

// advance moves the clock and fires the timers, as time passing would.
func (h *harness) advance(d time.Duration) {
	h.t.Helper()
	h.setNow(h.now.Add(d))
	h.fire()
}

var keyTypes = map[string]tea.KeyType{
	"enter": tea.KeyEnter, "esc": tea.KeyEsc, "tab": tea.KeyTab, "shift+tab": tea.KeyShiftTab,
	"up": tea.KeyUp, "down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight,
	"pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown, "home": tea.KeyHome, "end": tea.KeyEnd,
	"backspace": tea.KeyBackspace, "space": tea.KeySpace, "f1": tea.KeyF1,
	"ctrl+s": tea.KeyCtrlS, "ctrl+c": tea.KeyCtrlC, "ctrl+l": tea.KeyCtrlL, "ctrl+f": tea.KeyCtrlF, "ctrl+u": tea.KeyCtrlU, "ctrl+g": tea.KeyCtrlG,
	"ctrl+end": tea.KeyCtrlEnd, "ctrl+z": tea.KeyCtrlZ, "ctrl+y": tea.KeyCtrlY, "ctrl+w": tea.KeyCtrlW,
}

// press sends named keys ("enter", "ctrl+s") or, for anything else, the
// characters one at a time as typing would.
func (h *harness) press(keys ...string) {
	h.t.Helper()
	for _, k := range keys {
		if kt, ok := keyTypes[k]; ok {
			h.send(tea.KeyMsg{Type: kt})
			continue
		}
		if r, ok := strings.CutPrefix(k, "alt+"); ok && keyTypes[r] != 0 {
			h.send(tea.KeyMsg{Type: keyTypes[r], Alt: true})
			continue
		}
		if r, ok := strings.CutPrefix(k, "alt+"); ok && len([]rune(r)) == 1 {
			h.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(r), Alt: true})
			continue
		}
		h.typeText(k)
	}
}

func (h *harness) typeText(s string) {
	h.t.Helper()
	for _, r := range s {
		h.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
}

func (h *harness) paste(s string) {
	h.t.Helper()
	h.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s), Paste: true})
}

func (h *harness) screen() string { return ansi.Strip(h.app.View()) }

// checkView holds every frame to the rules: exactly the window's height,
// no line wider than the window.
func (h *harness) checkView() {
	h.t.Helper()
	if h.w <= 0 || h.h <= 0 {
		return
	}
	v := h.app.View()
	lines := strings.Split(v, "\n")
	if len(lines) != h.h {
		h.t.Fatalf("view has %d lines, window is %d high:\n%s", len(lines), h.h, ansi.Strip(v))
	}
	for i, l := range lines {
		if w := ansi.StringWidth(l); w > h.w {
			h.t.Fatalf("line %d is %d cells wide, window is %d:\n%q", i, w, h.w, ansi.Strip(l))
		}
	}
}

func (h *harness) wantScreen(subs ...string) {
	h.t.Helper()
	s := h.screen()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			h.t.Fatalf("screen lacks %q:\n%s", sub, s)
		}
	}
}

func (h *harness) dontWantScreen(subs ...string) {
	h.t.Helper()
	s := h.screen()
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			h.t.Fatalf("screen shows %q but should not:\n%s", sub, s)
		}
	}
}

// addPerson stores a person directly, as if added earlier.
func (h *harness) addPerson(p coaching.Person) int64 {
	h.t.Helper()
	if err := p.Normalize(time.LoadLocation); err != nil {
		h.t.Fatal(err)
	}
	id, err := h.store.CreatePerson(context.Background(), p, h.now)
	if err != nil {
		h.t.Fatal(err)
	}
	return id
}
