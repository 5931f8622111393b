package tui

// The help: the line at the bottom of every screen, and on ? or f1 every
// key of the screen on top, in an overlay that leaves the first line (a
// call's timer) and the last lines (its notes and tally) in view, and
// filters as you type, like lazygit's.

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// helpOverlay is the open help: the filter typed and how far it scrolled.
// The filter is behind a pointer, nil while the help is closed, so that
// App, passed by value everywhere, does not carry a textinput.Model's
// 5 KB (see lockFields).
type helpOverlay struct {
	open   bool
	filter *textinput.Model
	top    int
}

// typed is the filter's text, "" while the help is closed.
func (h helpOverlay) typed() string {
	if h.filter == nil {
		return ""
	}
	return h.filter.Value()
}

// helpKeep is how many lines the overlay leaves in view at the bottom of
// the screen under it.
func helpKeep(h int) int { return min(6, h/3) }

// openHelp shows the overlay with an empty filter.
func (a *App) openHelp() tea.Cmd {
	ti := newAskInput(a.c, "type to find a key", 40)
	ti.Prompt = "Find: "
	ti.KeyMap = editKeys()
	a.helpO = helpOverlay{open: true, filter: &ti}
	return nil
}

// updateHelp takes a key while the help is open: esc or f1 closes it,
// ↑/↓ and pgup/pgdn scroll, anything else edits the filter.
func (a App) updateHelp(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	_, rows := a.helpRows()
	k := a.keys
	switch {
	case key.Matches(msg, k.HelpExit):
		a.helpO = helpOverlay{}
		return a, nil
	case key.Matches(msg, k.HelpDown):
		a.helpO.top = min(a.helpO.top+max(rows/2, 1), max(len(a.helpEntries())-rows, 0))
		return a, nil
	case key.Matches(msg, k.HelpUp):
		a.helpO.top = max(a.helpO.top-max(rows/2, 1), 0)
		return a, nil
	}
	var cmd tea.Cmd
	var filter textinput.Model // a copy: an App value kept elsewhere keeps its own
	if a.helpO.filter != nil {
		filter = *a.helpO.filter
	}
	filter, cmd = updateInput(filter, msg)
	a.helpO.filter, a.helpO.top = &filter, 0
	return a, cmd
}

// helpEntries are the screen's keys and the global ones, one line each,
// those that match the filter (in the key or the words) only.
func (a App) helpEntries() []string {
	st := a.c.Styles
	global := []key.Binding{a.keys.Help, a.keys.HelpF1, a.keys.Search}
	if a.lockKeyOn() {
		global = append(global, a.keys.Lock)
	}
	groups := append(a.top().FullHelp(), append(global, a.keys.Quit))
	want := strings.ToLower(strings.TrimSpace(a.helpO.typed()))
	var out []string
	for _, g := range groups {
		var block []string
		for _, k := range g {
			if !k.Enabled() {
				continue
			}
			hk := k.Help()
			if want != "" && !strings.Contains(strings.ToLower(hk.Key+" "+hk.Desc), want) {
				continue
			}
			block = append(block, st.Key.Render(padRight(hk.Key, 16))+" "+hk.Desc)
		}
		if len(block) > 0 && len(out) > 0 && want == "" {
			out = append(out, "")
		}
		out = append(out, block...)
	}
	return out
}

// helpPlace is a screen that says where the help overlay should sit, to
// leave what matters in view (a call's notes).
type helpPlace interface {
	helpArea() (first, height int)
}

// helpRows is where the overlay sits in the body and how many entries it
// shows: where the screen asks, or from its second line down to a few
// lines from the bottom.
func (a App) helpRows() (first, rows int) {
	_, h := a.bodySize()
	first, height := 1, h-1-helpKeep(h)
	if p, ok := a.top().(helpPlace); ok && a.host() == nil {
		if f, n := p.helpArea(); n >= 6 {
			first, height = f, n
		}
	}
	return first, max(height-3, 1) // the title, the filter and the rule under it
}

// helpOverlayView puts the overlay over body: the first line and the last
// few stay; between them, the title, the filter and the keys found.
func (a App) helpOverlayView(body string, w, h int) string {
	st := a.c.Styles
	lines := strings.Split(fit(body, w, h), "\n")
	first, rows := a.helpRows()
	entries := a.helpEntries()
	panel := []string{st.Title.Render("Keys on this screen") + st.Subtle.Render("  esc closes · ↑/↓ scroll"), a.helpO.filter.View()}
	shown := entries[min(a.helpO.top, len(entries)):]
	if len(entries) == 0 {
		panel = append(panel, st.Subtle.Render("No key matches that."))
	}
	for i := 0; i < rows && i < len(shown); i++ {
		panel = append(panel, shown[i])
	}
	if len(shown) > rows {
		panel[len(panel)-1] = st.Subtle.Render("  … ↓ more")
	}
	for len(panel) < rows+2 && len(entries) > 0 {
		panel = append(panel, "")
	}
	rule := st.Separator.Render(strings.Repeat("─", max(w, 0)))
	for i, l := range panel {
		if first+i < len(lines) {
			lines[first+i] = padRight(l, w)
		}
	}
	if end := first + len(panel); end < len(lines) {
		lines[end] = rule
	}
	return strings.Join(lines, "\n")
}

// helpLine is the short help of the active screen, always ending with the
// key for all keys: the screen's own keys give way first when space is short.
func (a App) helpLine() string {
	w := a.drawWidth()
	if a.helpO.open {
		return clipLine(a.help.ShortHelpView([]key.Binding{a.keys.HelpExit, a.keys.HelpDown}), w)
	}
	st := a.help.Styles
	sep := st.ShortSeparator.Render(a.help.ShortSeparator)
	item := func(k key.Binding) string {
		return st.ShortKey.Render(k.Help().Key) + " " + st.ShortDesc.Render(k.Help().Desc)
	}
	tail := item(a.helpKey())
	room := w - lipgloss.Width(tail) - lipgloss.Width(sep)
	var b strings.Builder
	for _, k := range a.top().ShortHelp() {
		if !k.Enabled() {
			continue
		}
		it := item(k)
		if lipgloss.Width(b.String())+lipgloss.Width(it)+lipgloss.Width(sep) > room {
			break
		}
		b.WriteString(it + sep)
	}
	return clipLine(b.String()+tail, w)
}

func (a App) helpKey() key.Binding {
	if a.top().Typing() {
		return a.keys.HelpF1
	}
	return a.keys.Help
}
