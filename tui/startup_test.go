package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"callcoach/coaching"
	"callcoach/storage"
)

// startingHarness opens the app on the file at path as main does, with
// settings still to read, and draws its first frame without starting it:
// the test runs Init when it wants the program to go on.
func startingHarness(t *testing.T, path string, settings func() Settings) (*harness, App) {
	t.Helper()
	store, err := storage.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	h := commonHarness(t, store)
	h.c.Settings = settings
	app := NewApp(h.c)
	h.app = app
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	return h, app
}

// TestStartDrawsFirstThenReads: the first frame is the caseload's own
// frame, drawn before anything is read (no settings, no registration, no
// rows); once it is up the settings are read, this program registers on
// the file and the rows come; keys typed meanwhile wait for the settings
// and are then given to the caseload in order.
func TestStartDrawsFirstThenReads(t *testing.T) {
	path := caseloadFile(t, "Ann Walker", "Bea Cole")
	read := 0
	h, app := startingHarness(t, path, func() Settings {
		read++
		return Settings{Role: coaching.RolePeer, CallTarget: 15 * time.Minute,
			Warnings: []string{`Settings: config.yaml:2: unknown setting "rol"`}}
	})
	h.wantScreen("Caseload", "Overdue", "Due today", "Everyone", "Press / to find", "Reading…")
	h.dontWantScreen("Ann Walker", "people", "Overdue 0")
	h.typeText("/bea")
	h.wantScreen("Reading…")
	h.dontWantScreen("Find: bea")
	if _, registered := h.store.Self(); registered || read > 0 {
		t.Fatalf("before the first frame: registered %v, settings read %d times", registered, read)
	}
	if a := h.app.(App); a.start.begun {
		t.Fatal("the page check and the caseload started before the first frame")
	}

	h.run(app.Init())
	if _, registered := h.store.Self(); !registered || read != 1 {
		t.Fatalf("once started: registered %v, settings read %d times", registered, read)
	}
	if h.c.Role != coaching.RolePeer || h.c.CallTarget != 15*time.Minute {
		t.Fatalf("settings not in place: %s, %v", h.c.Role, h.c.CallTarget)
	}
	h.wantScreen("Find: bea", "Bea Cole", `config.yaml:2: unknown setting "rol"`)
	h.dontWantScreen("Ann Walker", "Reading…")

	h.run(app.Init()) // a second start does nothing more
	if read != 1 {
		t.Fatalf("settings read %d times", read)
	}
}

// TestFirstViewAtTheSizeGiven: sized before the program starts, the app's
// very first View is the caseload's own frame, without waiting for
// bubbletea to send the size.
func TestFirstViewAtTheSizeGiven(t *testing.T) {
	store, err := storage.Open(context.Background(), caseloadFile(t, "Ann Walker"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	h := commonHarness(t, store)
	h.c.Settings = func() Settings { return Settings{} }
	app := NewApp(h.c)
	if v := app.View(); v != "" {
		t.Fatalf("unsized, the app drew %q", v)
	}
	v := app.Sized(80, 24).View()
	for _, want := range []string{"Caseload", "Overdue", "Everyone", "Press / to find", "Reading…"} {
		if !strings.Contains(v, want) {
			t.Errorf("the first view lacks %q:\n%s", want, v)
		}
	}
	if lines := strings.Count(v, "\n") + 1; lines > 24 {
		t.Errorf("the first view has %d lines for 24 rows", lines)
	}
}

// TestQuitBeforeTheSettings: ctrl+c does not wait for the settings.
func TestQuitBeforeTheSettings(t *testing.T) {
	h, _ := startingHarness(t, caseloadFile(t, "Ann Walker"), func() Settings { return Settings{} })
	h.press("ctrl+c")
	if !h.quit {
		t.Fatal("ctrl+c waited for the settings")
	}
}

func TestStartupWarningIsShown(t *testing.T) {
	h, app := startingHarness(t, caseloadFile(t), func() Settings {
		return Settings{Role: coaching.RoleCoach, Warnings: []string{"Your prompt cards have 1 problem (first: p.yaml:3: unknown stage); using the built-in cards.", "second"}}
	})
	h.c.Warnings = []string{"The file was made private."}
	h.run(app.Init())
	h.wantScreen("The file was made private", "(and 2 more)")
}

// TestTheColoursFollowTheTerminalsAnswer: the first frame is drawn on a
// guess; the terminal's answer puts the colours right.
func TestTheColoursFollowTheTerminalsAnswer(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.c.renderer.SetHasDarkBackground(true)
	h.send(backgroundMsg{dark: false})
	if h.c.renderer.HasDarkBackground() {
		t.Fatal("still drawn for a dark background")
	}
	h.wantScreen("Caseload")
}

// TestLaterBuildsOnceWhenStarted: main hands bubbletea a Later, which
// builds the App at Init (after bubbletea has started its frame clock),
// once; its first Update hands bubbletea the App itself; a program that
// ended before it was built has nothing to flush.
func TestLaterBuildsOnceWhenStarted(t *testing.T) {
	store, err := storage.Open(context.Background(), caseloadFile(t, "Ann Walker"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	h := commonHarness(t, store)
	h.c.Settings = func() Settings { return Settings{} }
	built := 0
	later := Build(func() App { built++; return NewApp(h.c).Sized(80, 24) })
	if err := later.Flush(); err != nil || built != 0 {
		t.Fatalf("Flush before the start: %v, built %d times", err, built)
	}
	later.Init()
	if v := later.View(); built != 1 || !strings.Contains(v, "Caseload") || !strings.Contains(v, "Reading…") {
		t.Fatalf("built %d times; first view:\n%s", built, v)
	}
	m, _ := later.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("/")})
	if _, ok := m.(App); !ok || built != 1 {
		t.Fatalf("the first Update gave bubbletea a %T, built %d times", m, built)
	}
}
