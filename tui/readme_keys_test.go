package tui

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/key"

	"callcoach/coaching"
	"callcoach/coaching/measures"
	"callcoach/storage"
)

// TestREADMEKeyTableMatchesTheKeyMaps holds the README's table of keys to
// the screens' key maps, both ways: every key the table names for a screen
// is in that screen's key map in some state, and every binding a screen
// has is in the table, by one of its keys, but for the keys every text
// field has (moving the cursor, deleting), which the table sums up.
func TestREADMEKeyTableMatchesTheKeyMaps(t *testing.T) {
	table := readmeKeys(t)
	f := newKeyMapFixture(t)
	states := readmeScreens(t, f)
	for name, news := range states {
		documented := map[string]bool{}
		var bindings []key.Binding
		for _, s := range news {
			for _, b := range enabledBindings(s().FullHelp()...) {
				bindings = append(bindings, b)
				for _, k := range b.Keys() {
					documented[k] = true
				}
			}
		}
		rows, ok := table[name]
		if !ok {
			t.Errorf("the README's key table has no rows for %q", name)
			continue
		}
		for _, k := range rows {
			if !documented[k] {
				t.Errorf("README: %s: %q is in the table but in no key map of the screen", name, k)
			}
		}
		inTable := map[string]bool{}
		for _, k := range rows {
			inTable[k] = true
		}
		for _, b := range bindings {
			if textFieldKey(b) {
				continue
			}
			found := false
			for _, k := range b.Keys() {
				found = found || inTable[k]
			}
			if !found {
				t.Errorf("README: %s: %s (%s) is not in the table", name, b.Help().Key, b.Help().Desc)
			}
		}
	}
	for name := range table {
		if _, ok := states[name]; !ok {
			t.Errorf("the README's key table names a screen %q the test does not know", name)
		}
	}
}

// readmeScreens are the screens the README's table lists, each in the
// states a coach meets it in.
func readmeScreens(t *testing.T, f *keyMapFixture) map[string][]func() screen {
	person := func(keys ...string) func() screen {
		return func() screen {
			s := sized(newPersonScreen(f.c, f.ann.ID, false))
			return drive(t, settle(t, s, s.Init()), keys...)
		}
	}
	caseload := func(keys ...string) func() screen {
		return func() screen {
			s := sized(newCaseload(f.c))
			return drive(t, settle(t, s, s.Init()), keys...)
		}
	}
	busy := func() screen {
		s := person()()
		m, _ := s.Update(callBusyMsg{call: f.call, holder: storage.CallHolder{Instance: storage.Instance{ID: "x", PID: 1, Host: "there"}}})
		return m
	}
	lost := func() screen {
		s := f.callAt(t)().(*callScreen)
		s.loseCall(&storage.CallElsewhereError{CallID: f.call.ID})
		s.relayout()
		return s
	}
	plan := func(keys ...string) func() screen {
		return func() screen {
			return drive(t, sized(newPlanForm(f.c, f.ann, coaching.ActionPlan{Confidence: coaching.NoScore}, 0)), keys...)
		}
	}
	personForm := func(keys ...string) func() screen {
		return func() screen { return drive(t, sized(newPersonForm(f.c, f.ann)), keys...) }
	}
	measure := func(keys ...string) func() screen {
		return func() screen {
			inst, _ := measuresGet("phq2")
			return drive(t, sized(newMeasureScreen(f.c, f.bob, 0, inst)), keys...)
		}
	}
	summary := func(keys ...string) func() screen {
		return func() screen {
			return drive(t, sized(newSummaryScreen(f.c, f.call.ID, strings.Repeat("a line\n", 60))), keys...)
		}
	}
	panel := func(keys ...string) func() screen {
		return func() screen {
			return drive(t, sized(newSafetyPanel(f.c, storage.SafetyEvent{ID: 1, PersonID: f.ann.ID, Trigger: "coach"}, false)), keys...)
		}
	}
	search := func(q string, keys ...string) func() screen {
		return func() screen {
			s := drive(t, sized(newSearchScreen(f.c)), q).(*searchScreen)
			return drive(t, settle(t, s, s.query()), keys...)
		}
	}
	attempt := func(keys ...string) func() screen {
		return func() screen {
			s := sized(newAttemptScreen(f.c, f.ann.ID))
			return drive(t, settle(t, s, s.Init()), keys...)
		}
	}
	return map[string][]func() screen{
		"Log an attempt":    {attempt(), attempt("n")},
		"Caseload":          {caseload("tab", "tab", "tab", "tab", "down", "down"), caseload("/", "an", "left")},
		"Person":            {person(), person("down", "pgdown"), person("down", "o"), person("c"), person("w"), person("g"), busy},
		"Add / edit person": {personForm(), personForm("up"), personForm("tab", "x", "esc")},
		// After ctrl+g the chords' letters work alone: the table says so
		// in one row, so that state is not walked here.
		"Call workspace": {f.callAt(t), f.callAt(t, "alt+b", "alt+down"), f.callAt(t, "esc"), f.callAt(t, "alt+w"),
			f.callAt(t, "alt+v"), f.callAt(t, "alt+t", "enter"), f.callAt(t, "alt+i", "10", "left"),
			f.callAt(t, "alt+k", "safe", "left"), lost},
		"Action plan": {plan(), plan("tab", "walk", "left"), plan("tab", "walk", "ctrl+x")},
		"Measure": {measure("1"), func() screen {
			s := measure("2")().(*measureScreen) // positive
			m, cmd := s.Update(keyMsg(t, "2"))
			return settle(t, m, cmd)
		}, func() screen {
			inst, _ := measuresGet("gad7")
			return drive(t, sized(newMeasureScreen(f.c, f.bob, 0, inst)), "1", "1", "1", "1", "1", "1", "1")
		}},
		"Safety panel": {panel(), panel("tab", "said", "left"), panel("ctrl+z"), func() screen {
			s := panel()()
			s.SetSize(78, 16) // the steps do not all fit: they scroll
			return drive(t, s, "down")
		}},
		"Call summary": {summary("down"), summary("w", "left"), func() screen {
			s := summary()().(*summaryScreen)
			m, _ := s.Update(nextInQueueReadMsg{&storage.QueueRow{QueueEntry: coaching.QueueEntry{PersonID: f.bob.ID, Name: "Bob"}}})
			return m
		}},
		"Search": {search("walk", "down"), search("walk", "tab"), search("  w", "left")},
		"Registry": {func() screen {
			s := sized(newRegistryScreen(f.c))
			return settle(t, s, s.Init())
		}},
		"My practice": {func() screen {
			s := sized(newPracticeScreen(f.c))
			return settle(t, s, s.Init())
		}},
	}
}

// textFieldKey reports whether b is one of the keys every text field (or
// the notes) has, moving and deleting within the text.
func textFieldKey(b key.Binding) bool {
	for _, k := range b.Keys() {
		switch k {
		case "left", "right", "ctrl+left", "ctrl+right", "alt+left", "alt+right", "home", "end",
			"ctrl+a", "ctrl+e", "ctrl+b", "backspace", "ctrl+h", "delete", "ctrl+d", "alt+d", "alt+delete",
			"ctrl+w", "alt+backspace", "ctrl+u", "ctrl+k", "ctrl+v":
			return true
		}
	}
	return false
}

var (
	readmeKeyToken = regexp.MustCompile("`([^`]+)`")
	readmeArrows   = strings.NewReplacer("←", "left", "→", "right", "↑", "up", "↓", "down")
)

// readmeKeys reads the README's table of keys: for each screen, the keys
// its rows name (text in backticks that is a key).
func readmeKeys(t *testing.T) map[string][]string {
	t.Helper()
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	start := strings.Index(text, "\n## Keys")
	if start < 0 {
		t.Fatal("the README has no ## Keys section")
	}
	out := map[string][]string{}
	screen := ""
	for _, line := range strings.Split(text[start+1:], "\n")[1:] {
		if strings.HasPrefix(line, "#") {
			break
		}
		cells := strings.Split(line, "|")
		if !strings.HasPrefix(line, "|") || len(cells) < 4 || strings.HasPrefix(cells[1], "---") || strings.TrimSpace(cells[1]) == "Screen" {
			continue
		}
		if name := strings.TrimSpace(cells[1]); name != "" {
			screen = name
		}
		for _, cell := range cells[2:4] {
			for _, m := range readmeKeyToken.FindAllStringSubmatch(cell, -1) {
				if k, ok := readmeKeyName(m[1]); ok {
					out[screen] = append(out[screen], k)
				}
			}
		}
	}
	return out
}

// readmeKeyName turns what the README writes for a key into the name key
// bindings use: "↑" is "up", "pgdn" is "pgdown", "ctrl+←" is "ctrl+left".
// Words and examples in backticks are not keys.
func readmeKeyName(s string) (string, bool) {
	s = readmeArrows.Replace(s)
	switch s {
	case "space":
		return " ", true
	case "pgdn":
		return "pgdown", true
	case "enter", "esc", "tab", "shift+tab", "backspace", "delete", "pgup", "pgdown", "home", "end", "up", "down", "left", "right":
		return s, true
	}
	if rest, ok := strings.CutPrefix(s, "ctrl+"); ok && (len([]rune(rest)) == 1 || rest == "left" || rest == "right" || rest == "home" || rest == "end") {
		return s, true
	}
	if rest, ok := strings.CutPrefix(s, "alt+"); ok {
		if _, named := readmeKeyName(rest); named {
			return s, true
		}
	}
	if len([]rune(s)) == 1 {
		return s, true
	}
	return "", false
}

func measuresGet(id string) (measures.Instrument, bool) { return measures.Get(measures.ID(id)) }
