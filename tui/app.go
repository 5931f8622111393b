package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"callcoach/storage"
)

// screen is the shape every screen has: a model that knows its size, its
// keys (for the help line) and whether a text field has the keyboard.
type screen interface {
	// Init runs when the screen is first shown.
	Init() tea.Cmd
	Update(msg tea.Msg) (screen, tea.Cmd)
	// View draws the screen's body in the size given by SetSize.
	View() string
	SetSize(width, height int)
	ShortHelp() []key.Binding
	FullHelp() [][]key.Binding
	// Typing reports whether keys go to a text field (or a question the
	// screen is asking), so global single-letter keys must not fire.
	Typing() bool
}

// resumer is a screen that wants to refresh when it is shown again after
// the screen above it closes.
type resumer interface {
	Resume() tea.Cmd
}

// flusher is a screen holding typed text that must reach the database
// before the program exits.
type flusher interface {
	Flush() error
}

// modal is a screen that keeps the keyboard until it is done (the safety
// panel, until what was done is recorded): while it is on top the global
// keys (search, help) wait, and no other screen opens over it.
type modal interface {
	Modal() bool
}

func isModal(s screen) bool {
	m, ok := s.(modal)
	return ok && m.Modal()
}

// saver is a screen that can hand over a command saving what it holds
// now, taken from its state at once and written off the UI goroutine, for
// when another screen is about to cover it.
type saver interface {
	SaveCmd() tea.Cmd
}

// App is the root model: it owns the screen stack and routes messages.
type App struct {
	c       *Common
	ahead   typeAhead // keys typed while the screen was changing
	dropped string    // what was said of keys typed ahead and not used
	stack   []screen
	keys    globalKeys
	help    *help.Model // shared by App values; sizeAll replaces it, never changes it
	helpO   helpOverlay
	width   int
	height  int
	errText string
	info    string
	check   pageCheck
	start   startUp
	lock    lockState
	// quitUnsaved: the last ctrl+c found typing this file will never
	// take; the next one quits without it.
	quitUnsaved bool
}

type globalKeys struct {
	Quit     key.Binding
	Help     key.Binding
	HelpF1   key.Binding
	HelpExit key.Binding
	Search   key.Binding
	HelpDown key.Binding
	HelpUp   key.Binding
	Lock     key.Binding
	// On the lock screen, and while choosing its passphrase.
	Unlock, LockClear, LockNext, LockNotNow key.Binding
}

func newGlobalKeys() globalKeys {
	return globalKeys{
		Quit:     key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit (saves everything)")),
		Help:     key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "all keys")),
		HelpF1:   key.NewBinding(key.WithKeys("f1"), key.WithHelp("f1", "all keys")),
		Search:   key.NewBinding(key.WithKeys("ctrl+f"), key.WithHelp("ctrl+f", "search every note, plan and quote")),
		HelpExit: key.NewBinding(key.WithKeys("esc", "f1"), key.WithHelp("esc", "close help")),
		HelpDown: key.NewBinding(key.WithKeys("down", "pgdown"), key.WithHelp("↑/↓", "scroll")),
		HelpUp:   key.NewBinding(key.WithKeys("up", "pgup"), key.WithHelp("↑", "scroll up")),
		// ctrl+l: L for lock. No screen or text field uses it, it is
		// not text, and terminals and tmux pass it through (alt+l is the
		// plan form; ctrl+g is the chord leader).
		Lock:       key.NewBinding(key.WithKeys("ctrl+l"), key.WithHelp("ctrl+l", "lock the screen (your passphrase unlocks it)")),
		Unlock:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "unlock")),
		LockClear:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear")),
		LockNext:   key.NewBinding(key.WithKeys("enter", "tab"), key.WithHelp("enter", "next / keep it")),
		LockNotNow: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "not now")),
	}
}

// NewApp builds the root model with the caseload as its first screen.
func NewApp(c *Common) App {
	h := help.New()
	h.ShortSeparator = " · "
	h.Styles.ShortKey = c.Styles.Key
	h.Styles.FullKey = c.Styles.Key
	h.Styles.ShortDesc = c.Styles.Subtle
	h.Styles.FullDesc = c.Styles.Subtle
	h.Styles.ShortSeparator = c.Styles.Subtle
	h.Styles.FullSeparator = c.Styles.Subtle
	h.Styles.Ellipsis = c.Styles.Subtle
	return App{c: c, stack: []screen{newCaseload(c)}, keys: newGlobalKeys(), help: &h,
		start: startUp{pending: c.Settings != nil}, lock: newLockState(c)}
}

// Init draws first and reads afterwards. The first frame is the caseload's
// own frame, with "Reading…" where its rows will be: main has read no more
// of the file than its schema version. Once that frame is on the screen
// (Common.Drawn), the settings are read and this program is registered on
// the file (startCmd); then the caseload is read, the page check starts,
// the file is watched and the warnings from start-up are shown (begin).
// The question of the terminal's background goes out at once: nothing
// waits for its answer.
func (a App) Init() tea.Cmd {
	var ask tea.Cmd
	if a.c.Background != nil {
		ask = a.c.Background.ask()
	}
	return tea.Batch(ask, afterFirstFrame(a.c.Drawn))
}

// startUp is how far the program has come from its first frame.
type startUp struct {
	pending bool         // the settings are still to come: keys wait
	begun   bool         // the screens read, the page check runs
	early   []tea.KeyMsg // keys that came while pending, in order
}

type (
	// firstFrameMsg says the first frame is on the screen.
	firstFrameMsg struct{}
	// startedMsg brings the settings (nil if Common has none to read),
	// once this program is registered on the file, and what became of
	// notes a program stopped while a team database could not be reached
	// left in the spool (storage.SendSpooled).
	startedMsg struct {
		settings *Settings
		spooled  int
		spoolErr error
		login    storage.Login // on a team database
		loginErr error
	}
)

// firstFrameWait bounds the wait for the first frame: a terminal that
// never gets one drawn (no size) must not stop the program reading.
const firstFrameWait = time.Second

func afterFirstFrame(drawn <-chan struct{}) tea.Cmd {
	return func() tea.Msg {
		if drawn != nil {
			select {
			case <-drawn:
			case <-time.After(firstFrameWait):
			}
		}
		return firstFrameMsg{}
	}
}

// startCmd reads the settings and registers this program on the file, off
// the UI goroutine: others can see it has the file open (a restore waits
// for it to close) and which call it writes.
func startCmd(c *Common) tea.Cmd {
	load, store, ctx, now := c.Settings, c.Store, c.Ctx, c.Now
	return func() tea.Msg {
		var msg startedMsg
		if load != nil {
			s := load()
			msg.settings = &s
		}
		// Before registering: a call the spool holds notes for is then
		// sent to unless another running callcoach has it open.
		msg.spooled, msg.spoolErr = store.SendSpooled(ctx, now())
		store.Register(ctx, now()) // a read-only file takes no registration
		msg.login, msg.loginErr = store.Login(ctx)
		return msg
	}
}

// begin puts the settings in place and starts reading: the first screen,
// the page check, the watch on the file. Keys that came before are then
// given to the screens, in order.
func (a App) begin(msg startedMsg) (tea.Model, tea.Cmd) {
	if a.start.begun {
		return a, nil
	}
	a.start.begun, a.start.pending = true, false
	if msg.settings != nil {
		a.c.apply(*msg.settings)
	}
	if a.c.Store.Team() {
		a.c.Login = msg.login
	}
	cmds := []tea.Cmd{a.top().Init(), startPageCheck(a.c), watchFile(a.c), listenChanges(a.c)}
	if text := a.startWarning(); text != "" {
		cmds = append(cmds, showErr(text))
	}
	switch {
	case msg.loginErr != nil:
		cmds = append(cmds, showErr("Could not ask the team database who you are ("+storage.Explain(msg.loginErr)+
			"); the team's pool and hand-overs are left out until callcoach starts again."))
	case msg.spoolErr != nil:
		cmds = append(cmds, showErr("Notes kept on this computer while the team database could not be reached are not all sent yet ("+
			storage.Explain(msg.spoolErr)+"); they stay kept, and are sent at the next start."))
	case msg.spooled > 0:
		text := "Sent the notes of 1 call that were kept on this computer while the team database could not be reached."
		if msg.spooled > 1 {
			text = fmt.Sprintf("Sent the notes of %d calls that were kept on this computer while the team database could not be reached.", msg.spooled)
		}
		cmds = append(cmds, func() tea.Msg { return infoMsg{text} })
	}
	if a.lockKeyOn() && a.c.Lock.After > 0 && !a.lock.set && a.lock.damaged == nil && a.lock.mode == lockOff {
		// The lock is on but has no passphrase yet: ask for one now,
		// over the first frame; esc leaves it for this session.
		m, _ := a.lockKey()
		a = m.(App)
	}
	cmds = append(cmds, a.armIdle())
	early := a.start.early
	a.start.early = nil
	var m tea.Model = a
	for _, k := range early {
		var cmd tea.Cmd
		m, cmd = m.Update(k)
		cmds = append(cmds, cmd)
	}
	return m, tea.Batch(cmds...)
}

// startWarning is the first warning from start-up, first why the file is
// read-only if it is, and how many more there are.
func (a App) startWarning() string {
	w := a.c.Warnings
	if ro := a.c.Store.ReadOnly(); ro != nil {
		w = append([]string{sentence(storage.Explain(ro))}, w...)
	}
	if len(w) == 0 {
		return ""
	}
	text := w[0]
	if len(w) > 1 {
		text += fmt.Sprintf(" (and %d more)", len(w)-1)
	}
	return text
}

// background takes in the terminal's answer: the colours follow it, and
// every screen lays itself out again with them.
func (a App) background(dark bool) App {
	if a.c.renderer != nil {
		a.c.renderer.SetHasDarkBackground(dark)
	}
	a.sizeAll()
	return a
}

func (a App) top() screen { return a.stack[len(a.stack)-1] }

// Flush writes whatever any screen still holds unsaved. main calls it after
// the program ends, however it ended.
func (a App) Flush() error {
	var first error
	for _, s := range a.stack {
		if f, ok := s.(flusher); ok {
			if err := f.Flush(); err != nil && first == nil {
				first = err
			}
		}
	}
	return first
}

const helpLines = 1

// statusView is the line (or, for a long message, up to three lines) above
// the help: an error, or a passing notice, wrapped to the width.
func (a App) statusView() []string {
	st := a.c.Styles
	var text string
	var style lipgloss.Style
	switch {
	case a.errText != "":
		text, style = "! "+a.errText, st.Error
	case a.info != "":
		text, style = a.info, st.Info
	case a.lockNote() != "":
		text, style = a.lockNote(), st.Subtle
	default:
		return []string{""}
	}
	w := a.drawWidth()
	if w <= 0 {
		return []string{""}
	}
	lines := strings.Split(lipgloss.NewStyle().Width(w).Render(text), "\n")
	maxLines := 3
	if a.height < 12 {
		maxLines = 1
	}
	if len(lines) > maxLines {
		lines = lines[:maxLines]
		lines[maxLines-1] = clipLine(strings.TrimRight(lines[maxLines-1], " ")+" …", w)
	}
	for i := range lines {
		lines[i] = style.Render(strings.TrimRight(lines[i], " "))
	}
	return lines
}

func (a *App) bodySize() (int, int) {
	h := a.height - len(a.bannerLines()) - len(a.statusView()) - helpLines
	if h < 1 {
		h = 1
	}
	return a.drawWidth(), h
}

// drawWidth is the width screens lay out in: the window less a margin on
// the right. Terminals disagree about the width of some characters (tmux
// draws a ZWJ emoji such as 👩🏽‍⚕️ four cells wide, the libraries count
// two); a line that came out wider than the window would wrap and shift
// the whole screen, so lines stop short of the edge.
func (a *App) drawWidth() int {
	switch {
	case a.width >= 40:
		return a.width - 2
	case a.width >= 10:
		return a.width - 1
	}
	return a.width
}

// Sized is the app drawn at the terminal's size w x h. main gives it the
// size before the program starts, so that the first View is already the
// caseload's own frame, ready for bubbletea's first flush; bubbletea asks
// the size itself only once running (tea.WindowSizeMsg), which can come
// after that flush on a busy machine and put the first frame a flush later.
func (a App) Sized(w, h int) App {
	a.width, a.height = w, h
	a.sizeAll()
	return a
}

func (a *App) sizeAll() {
	w, h := a.bodySize()
	host := a.host()
	for i, s := range a.stack {
		if c, ok := s.(*callScreen); ok {
			c.setDocked(c == host)
		}
		if host != nil && i == len(a.stack)-1 {
			s.SetSize(w, max(h-dockRows(), 1)) // inside the call's frame
			continue
		}
		s.SetSize(w, h)
	}
	if w := a.drawWidth(); a.help.Width != w {
		h := *a.help // a copy: an App value kept elsewhere keeps its own
		h.Width = w
		a.help = &h
	}
}

// Update routes: window size, then the help overlay, then global keys, then
// app messages, then the active screen.
func (a App) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	m, cmd := a.update(msg)
	if app, ok := m.(App); ok && len(app.ahead.keys) > 0 && app.lock.mode == lockOff {
		// Keys typed ahead wait while the screen is locked: they are not
		// the passphrase.
		if _, key := msg.(tea.KeyMsg); !key {
			m2, cmd2 := app.releaseKeys()
			return m2, tea.Batch(cmd, cmd2)
		}
	}
	return m, cmd
}

func (a App) update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok && k.Type == tea.KeyRunes {
		// A paste can carry escapes and overrides; no field takes them.
		k.Runes = typedRunes(k.Runes)
		msg = k
	}
	switch msg.(type) {
	case tea.KeyMsg:
		a.lock.last = a.c.Now() // any key puts off the idle lock
	case tea.MouseMsg:
		a.lock.last = a.c.Now() // and so does the mouse
		if a.lock.mode != lockOff {
			return a, nil // the screens under the lock take no clicks
		}
	}
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		return a.Sized(msg.Width, msg.Height), nil
	case lockIdleMsg:
		return a.idle()
	case lockCountMsg:
		a.lock.ticking = false
		return a, a.countdown()
	case lockTriedMsg:
		return a.tried(msg)
	case lockChosenMsg:
		return a.chosen(msg)
	case firstFrameMsg:
		if a.start.begun {
			return a, nil
		}
		return a, startCmd(a.c)
	case startedMsg:
		return a.begin(msg)
	case backgroundMsg:
		return a.background(msg.dark), nil
	case fileWatchMsg:
		if a.check.gone {
			return a, nil
		}
		return a, tea.Batch(lookAtFile(a.c), watchFile(a.c))
	case fileGoneMsg:
		if !a.check.gone {
			a.check.gone = true
			a.sizeAll()
		}
		// The screen on top hears of it too: a call keeps its notes.
		s, cmd := a.top().Update(msg)
		a.stack[len(a.stack)-1] = s
		return a, cmd
	case pageCheckMsg:
		cmd := a.checked(msg.err)
		a.sizeAll()
		return a, cmd
	case pageCheckSlowMsg:
		a.check.slow = true
		a.sizeAll()
		return a, nil
	case changedMsg:
		s, cmd := a.top().Update(msg)
		a.stack[len(a.stack)-1] = s
		return a, tea.Batch(cmd, waitChange(a.c.changes))
	case tea.KeyMsg:
		if a.lock.mode != lockOff {
			return a.updateLock(msg)
		}
		return a.updateKey(msg)
	case errMsg:
		a.errText = strings.TrimSuffix(msg.text, ".")
		if a.dropped == "" {
			a.errText = msg.text
		} else {
			a.errText += ". " + a.dropped
		}
		a.sizeAll()
		return a, nil
	case infoMsg:
		a.info = msg.text
		a.sizeAll()
		return a, nil
	case pushMsg:
		if !a.mayPush(msg.s) {
			return a, nil
		}
		a.stack = append(a.stack, msg.s)
		a.sizeAll()
		return a, msg.s.Init()
	case replaceMsg:
		for i := len(a.stack) - 1; i >= 0; i-- {
			if a.stack[i] == msg.old {
				a.stack[i] = msg.s
				a.sizeAll()
				return a, msg.s.Init()
			}
		}
		return a, nil // the screen it was for has closed
	case nextInQueueMsg:
		// Working down the queue: back to the caseload, then the next
		// person, unless a screen above the caseload still holds typing.
		for _, sc := range a.stack[1:] {
			if _, ok := sc.(flusher); ok {
				return a, nil
			}
		}
		a.stack = a.stack[:1]
		if !a.mayPush(msg.s) {
			return a, nil
		}
		a.stack = append(a.stack, msg.s)
		a.sizeAll()
		return a, msg.s.Init()
	case popMsg:
		if len(a.stack) > 1 {
			a.stack = a.stack[:len(a.stack)-1]
		}
		a.sizeAll() // a call a form was docked in has its whole room back
		if r, ok := a.top().(resumer); ok {
			return a, r.Resume()
		}
		return a, nil
	}
	if am, ok := msg.(addressed); ok {
		i := a.addressee(am)
		if i < 0 {
			return a, nil // its screen has closed
		}
		s, cmd := a.stack[i].Update(msg)
		a.stack[i] = s
		return a, cmd
	}
	s, cmd := a.top().Update(msg)
	a.stack[len(a.stack)-1] = s
	return a, cmd
}

// updateKey routes a key: keys that arrived together one by one, then
// quit, the help overlay, the global keys (not while a modal screen is on
// top), and the active screen.
func (a App) updateKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && !msg.Paste {
		// Keys typed quickly can arrive together; each is a key of its
		// own (a menu choice, an answer), so take them one by one.
		var m tea.Model = a
		var cmds []tea.Cmd
		for _, r := range msg.Runes {
			var cmd tea.Cmd
			m, cmd = m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt})
			cmds = append(cmds, cmd)
		}
		return m, tea.Batch(cmds...)
	}
	// A passing notice goes with the next key; the screens get its room
	// back.
	hadStatus := a.info != "" || a.errText != ""
	a.info = ""
	m, cmd := a.routeKey(msg)
	if app, ok := m.(App); ok && hadStatus && app.info == "" && app.errText == "" {
		app.sizeAll()
		m = app
	}
	return m, cmd
}

func (a App) routeKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	if a.start.pending && !key.Matches(msg, a.keys.Quit) {
		// Until the settings are in, no call may start with the
		// defaults: keys wait for them (a few milliseconds).
		if len(a.start.early) < maxTypeAhead {
			a.start.early = append(a.start.early, msg)
		}
		return a, nil
	}
	if key.Matches(msg, a.keys.Lock) && a.lockKeyOn() {
		// Before anything else: over help, search, a modal panel, and
		// while keys wait for a screen that is changing.
		return a.lockKey()
	}
	if key.Matches(msg, a.keys.Lock) && a.c.Lock.File != "" {
		a.info = "The demo's people are made up, so it does not lock; give lock_after in the settings file to try the screen lock."
		a.sizeAll()
		return a, nil
	}
	if !key.Matches(msg, a.keys.Quit) && a.holdKey(msg) {
		return a, nil
	}
	if key.Matches(msg, a.keys.Quit) {
		return a.quit()
	}
	a.quitUnsaved = false
	if host := a.host(); host != nil && host.fromDock(msg) && !a.helpO.open {
		// A tally mark pressed in a docked form is the call's.
		s, cmd := host.Update(msg)
		a.stack[len(a.stack)-2] = s
		return a, cmd
	}
	if a.helpO.open {
		return a.updateHelp(msg)
	}
	a.errText, a.dropped = "", ""
	if !isModal(a.top()) {
		if key.Matches(msg, a.keys.Search) {
			if _, open := a.top().(*searchScreen); !open {
				var save tea.Cmd
				if sv, ok := a.top().(saver); ok {
					save = sv.SaveCmd() // notes are safe before the call is covered
				}
				m, cmd := a.Update(pushMsg{newSearchScreen(a.c)})
				return m, tea.Batch(save, cmd)
			}
		}
		if key.Matches(msg, a.keys.HelpF1) || (!a.top().Typing() && key.Matches(msg, a.keys.Help)) {
			return a, a.openHelp()
		}
	}
	s, cmd := a.top().Update(msg)
	a.stack[len(a.stack)-1] = s
	return a, cmd
}

// quit writes what any screen holds unsaved, then ends the program; if it
// cannot be written it says so and stays, unless it never can be.
func (a App) quit() (tea.Model, tea.Cmd) {
	if err := a.Flush(); err != nil && !a.quitUnsaved {
		a.errText = "Could not save the last notes: " + storage.Explain(err) + ". Not quitting; try again."
		if why := unsaveable(err); why != "" {
			a.quitUnsaved = true
			a.errText = "This file is " + why + ", so what you typed cannot be saved: copy it somewhere if you need it, then press ctrl+c again to quit without it."
		}
		return a, nil
	}
	return a, tea.Quit
}

// mayPush says whether s may open over the screens there are: nothing
// opens over a modal screen, and a safety panel never opens twice for one
// event.
func (a App) mayPush(s screen) bool {
	if isModal(a.top()) {
		return false
	}
	if p, ok := s.(*safetyPanel); ok {
		for _, below := range a.stack {
			if q, ok := below.(*safetyPanel); ok && q.sameEvent(p) {
				return false
			}
		}
	}
	return true
}

// View draws the active screen, a status line and the help line, clipped to
// the window so nothing ever wraps or overflows.
func (a App) View() string {
	if a.width <= 0 || a.height <= 0 {
		return ""
	}
	if a.lock.mode != lockOff {
		return a.lockView() // nothing of the screens under it
	}
	w, h := a.bodySize()
	var body string
	if host := a.host(); host != nil {
		body = host.dockedView(fit(a.top().View(), w, max(h-dockRows(), 1)))
	} else {
		body = a.top().View()
	}
	if a.helpO.open {
		body = a.helpOverlayView(body, w, h)
	}
	var b strings.Builder
	for _, l := range a.bannerLines() {
		b.WriteString(clipLine(l, a.drawWidth()) + "\n")
	}
	b.WriteString(fit(body, w, h))
	if a.height > 1 {
		for _, l := range a.statusView() {
			b.WriteString("\n")
			b.WriteString(clipLine(l, a.drawWidth()))
		}
	}
	if a.height > 2 {
		b.WriteString("\n")
		b.WriteString(a.helpLine())
	}
	return screenSafe(b.String())
}
