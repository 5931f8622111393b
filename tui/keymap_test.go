package tui

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// keyMapCheck is one state of a screen whose key map checkKeyMap holds to
// its behaviour.
type keyMapCheck struct {
	// name says which screen and state this is, in failures.
	name string
	// new returns the screen in the state to check, sized. It is called
	// afresh for every key tried, so every key meets the same state; build
	// it with keyMapCommon's Common, and settle it if it loads in Init.
	new func() screen
	// typing reports the keys a focused text field takes as text: they
	// change the screen without being in the key map. nil if nothing on the
	// screen takes text in this state; fieldText for a text input.
	typing func(tea.KeyMsg) bool
	// keys are the keys tried that are not documented; nil for
	// candidateKeys().
	keys []string
}

// checkKeyMap holds a screen's key map to what the screen does, in one
// state of the screen ("the bindings that Update matches are the ones the
// help shows"). Of the bindings FullHelp lists, the enabled ones:
//
//   - each has a key and a description in its help, no key the root takes
//     before the screen sees it (ctrl+c, ctrl+f, f1; ? unless the screen is
//     Typing), and no key another enabled binding has;
//   - each does something: one of its keys, sent to a fresh screen, changes
//     the view or brings back a command. One is enough, as a binding often
//     lists alternatives (pressing the letter of the choice already made
//     rightly changes nothing). Pick a state where every enabled key can
//     act: a text field with text and the cursor inside it, a list with a
//     row to open.
//
// Every enabled binding of ShortHelp is in FullHelp too, or sums some of
// them up (each of its keys is in FullHelp). Every other key
// tried changes nothing and brings back no command, unless c.typing says it
// is text for a field. And View, called twice, draws the same.
//
// A screen's states differ in what they allow (a question asked, a text
// field or a choice focused): call it once for each. Views are compared
// with colours on, so that a cursor moved within a field counts as a
// change.
func checkKeyMap(t *testing.T, c keyMapCheck) {
	t.Helper()
	s := c.new()
	if v := s.View(); v != s.View() {
		t.Errorf("%s: View drew differently the second time: it changes something", c.name)
	}
	full := enabledBindings(s.FullHelp()...)
	documented := map[string]key.Binding{}
	for _, b := range full {
		h := b.Help()
		if h.Key == "" || h.Desc == "" || len(b.Keys()) == 0 {
			t.Errorf("%s: binding %q (%q) has no key or no description in the help", c.name, b.Keys(), h.Desc)
		}
		for _, k := range b.Keys() {
			if other, ok := documented[k]; ok && bindingID(other) != bindingID(b) {
				t.Errorf("%s: %q is in two bindings: %q and %q", c.name, k, other.Help().Desc, h.Desc)
			}
			documented[k] = b
			if rootTakes(s, keyMsg(t, k)) {
				t.Errorf("%s: %q (%s) never reaches the screen: the root takes it first", c.name, k, h.Desc)
			}
		}
	}
	inFull := map[string]bool{}
	for _, b := range full {
		inFull[bindingID(b)] = true
	}
	for _, b := range enabledBindings(s.ShortHelp()) {
		if inFull[bindingID(b)] {
			continue
		}
		// A help-line entry may sum several bindings up ("↑/↓ calls",
		// "alt+o/q/r tally"): each of its keys must then be documented.
		for _, k := range b.Keys() {
			if _, ok := documented[k]; !ok {
				t.Errorf("%s: %s (%s) is on the help line but %q is not in the full help", c.name, b.Help().Key, b.Help().Desc, k)
			}
		}
	}
	for _, b := range full {
		acts := false
		for _, k := range b.Keys() {
			if keyActs(c, keyMsg(t, k)) {
				acts = true
				break
			}
		}
		if !acts {
			t.Errorf("%s: %s (%s) is documented but none of %q does anything", c.name, b.Help().Key, b.Help().Desc, b.Keys())
		}
	}
	keys := c.keys
	if keys == nil {
		keys = candidateKeys()
	}
	for _, k := range keys {
		msg := keyMsg(t, k)
		if _, ok := documented[msg.String()]; ok || rootTakes(s, msg) || (c.typing != nil && c.typing(msg)) {
			continue
		}
		if keyActs(c, msg) {
			t.Errorf("%s: %q does something but is not in the key map", c.name, k)
		}
	}
}

// keyActs reports whether msg, sent to a fresh screen, changes its view or
// brings back a command.
func keyActs(c keyMapCheck, msg tea.KeyMsg) bool {
	s := c.new()
	before := s.View()
	after, cmd := s.Update(msg)
	return cmd != nil || after.View() != before
}

// fieldText is what a text input takes as text: printable keys, space, and
// alt with a letter, which a text input types as the letter.
func fieldText(msg tea.KeyMsg) bool {
	return msg.Type == tea.KeyRunes || msg.Type == tea.KeySpace
}

// rootTakes reports whether the root model acts on msg before the screen
// on top sees it.
func rootTakes(s screen, msg tea.KeyMsg) bool {
	g := newGlobalKeys()
	return key.Matches(msg, g.Quit, g.Search, g.HelpF1, g.Lock) || (!s.Typing() && key.Matches(msg, g.Help))
}

func enabledBindings(groups ...[]key.Binding) []key.Binding {
	var out []key.Binding
	for _, g := range groups {
		for _, b := range g {
			if b.Enabled() {
				out = append(out, b)
			}
		}
	}
	return out
}

func bindingID(b key.Binding) string {
	return strings.Join(b.Keys(), " ") + "|" + b.Help().Key + "|" + b.Help().Desc
}

// candidateKeys are the keys a screen is tried with: letters, digits, a
// little punctuation, the named keys, ctrl and alt with letters.
func candidateKeys() []string {
	keys := []string{" ", "?", "/", "-", ".", ",", "'", "esc", "enter", "tab", "shift+tab", "backspace", "delete", "insert",
		"up", "down", "left", "right", "home", "end", "pgup", "pgdown", "ctrl+up", "ctrl+down", "ctrl+left", "ctrl+right",
		"ctrl+home", "ctrl+end", "shift+up", "shift+down", "shift+left", "shift+right", "alt+enter", "alt+backspace",
		"alt+left", "alt+right", "alt+delete", "ctrl+@", "ctrl+\\", "ctrl+]", "ctrl+^", "ctrl+_"}
	for i := 1; i <= 12; i++ {
		keys = append(keys, fmt.Sprintf("f%d", i))
	}
	for r := 'a'; r <= 'z'; r++ {
		keys = append(keys, string(r), strings.ToUpper(string(r)), "alt+"+string(r))
		if r != 'i' && r != 'm' { // ctrl+i is tab, ctrl+m is enter
			keys = append(keys, "ctrl+"+string(r))
		}
	}
	for r := '0'; r <= '9'; r++ {
		keys = append(keys, string(r), "alt+"+string(r))
	}
	return keys
}

// keyTypeNames are bubbletea's names of keys ("ctrl+s", "pgdown") to
// their types.
var keyTypeNames = func() map[string]tea.KeyType {
	m := map[string]tea.KeyType{}
	for kt := tea.KeyType(-200); kt < 200; kt++ {
		if n := kt.String(); n != "" && kt != tea.KeyRunes {
			if _, ok := m[n]; !ok {
				m[n] = kt
			}
		}
	}
	return m
}()

// keyMsg is the key a binding names ("ctrl+s", "alt+f", "a", " "), as the
// terminal would send it.
func keyMsg(t *testing.T, name string) tea.KeyMsg {
	t.Helper()
	var msg tea.KeyMsg
	rest, alt := strings.CutPrefix(name, "alt+")
	if !alt || rest == "" {
		rest = name
		alt = false
	}
	switch kt, ok := keyTypeNames[rest]; {
	case rest == " ":
		msg = tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}, Alt: alt}
	case ok:
		msg = tea.KeyMsg{Type: kt, Alt: alt}
	case len([]rune(rest)) == 1:
		msg = tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(rest), Alt: alt}
	default:
		t.Fatalf("%q is not a key", name)
	}
	if msg.String() != name {
		t.Fatalf("key %q comes out as %q", name, msg.String())
	}
	return msg
}

// keyMapCommon is the harness's Common with colours on, so that a view
// shows where a field's cursor is.
func keyMapCommon(h *harness) *Common {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.TrueColor)
	c := *h.c
	c.Styles = NewStyles(r)
	return &c
}

// drive sends keys to a screen, as press does to the app: a key's name
// ("tab", "ctrl+u") or else text, typed a character at a time. What the
// screen asks for (commands) is dropped: use settle for that.
func drive(t *testing.T, s screen, keys ...string) screen {
	t.Helper()
	for _, k := range keys {
		rest, alt := strings.CutPrefix(k, "alt+")
		if _, named := keyTypeNames[rest]; named || len([]rune(k)) == 1 || alt && len([]rune(rest)) == 1 {
			s, _ = s.Update(keyMsg(t, k))
			continue
		}
		for _, r := range k {
			s, _ = s.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
		}
	}
	return s
}

// settle runs cmd and the commands that follow from it, giving their
// messages to the screen, as the program would: for a screen that loads
// what it shows in Init. Messages for the root (a screen pushed or popped,
// a notice) and timers are dropped.
func settle(t *testing.T, s screen, cmd tea.Cmd) screen {
	t.Helper()
	queue := []tea.Cmd{cmd}
	for n := 0; len(queue) > 0; n++ {
		if n > 1000 {
			t.Fatal("settle: the screen keeps asking for more")
		}
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case nil, timerMsg, pushMsg, popMsg, replaceMsg, errMsg, infoMsg, tea.QuitMsg:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		default:
			var next tea.Cmd
			s, next = s.Update(msg)
			queue = append(queue, next)
		}
	}
	return s
}

func TestKeyMsgNamesRoundTrip(t *testing.T) {
	for _, k := range candidateKeys() {
		keyMsg(t, k) // fails on a name that is not the key it says
	}
}
