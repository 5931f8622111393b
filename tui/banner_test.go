package tui

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"callcoach/coaching"
	"callcoach/storage"
)

// caseloadFile leaves a closed database at a new path holding the named
// people, each with a call with notes, and returns the path.
func caseloadFile(t *testing.T, names ...string) string {
	t.Helper()
	h := newHarness(t, 80, 24)
	for _, n := range names {
		id := h.addPerson(coaching.Person{Name: n})
		call, err := h.store.StartCall(context.Background(), id, coaching.RoleCoach, h.now)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := h.store.SaveNotes(context.Background(), call.ID, "walking after lunch", 1, h.now); err != nil {
			t.Fatal(err)
		}
		if err := h.store.EndCall(context.Background(), call.ID, coaching.OutcomeReached, h.now); err != nil {
			t.Fatal(err)
		}
	}
	if err := h.store.Close(); err != nil {
		t.Fatal(err)
	}
	return h.path
}

// damageIndex overwrites the first page of the index called name in the
// closed database at path, as a failing disk would.
func damageIndex(t *testing.T, path, name string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	var root, size int64
	if err := db.QueryRow("SELECT rootpage FROM sqlite_schema WHERE name = ?", name).Scan(&root); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow("PRAGMA page_size").Scan(&size); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(bytes.Repeat([]byte{0x01, 0xee}, int(size/2)), (root-1)*size); err != nil {
		t.Fatal(err)
	}
}

// wantText is wantScreen for sentences the screen wraps: lines are joined
// and runs of spaces made one.
func (h *harness) wantText(subs ...string) {
	h.t.Helper()
	flat := strings.Join(strings.Fields(h.screen()), " ")
	for _, sub := range subs {
		if !strings.Contains(flat, sub) {
			h.t.Fatalf("screen lacks %q:\n%s", sub, h.screen())
		}
	}
}

func TestDamagedFileBannerStays(t *testing.T) {
	path := caseloadFile(t, "Ann Walker", "Bea Stone")
	damageIndex(t, path, "search_text_data") // the notes' full-text index: the caseload reads on
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}

	h := openHarness(t, path, 80, 24)
	h.wantText("DAMAGED FILE: nothing more is saved into it.", path+" is damaged, so callcoach saves nothing more into it", "callcoach backup NEWFILE")
	h.press("down", "up", "x")
	h.wantScreen("DAMAGED", "Ann Walker")
	h.press("c") // start a call with Ann
	h.wantText("DAMAGED FILE", "Could not start the call: "+path+" is damaged, so callcoach")
	h.dontWantScreen("start call for person")
	h.press("down")
	h.wantScreen("DAMAGED")
	h.store.Close()
	if after, _ := os.ReadFile(path); !bytes.Equal(after, before) {
		t.Error("the damaged file was written to")
	}
}

func TestReadOnlyBannerOnEveryScreen(t *testing.T) {
	path := caseloadFile(t, "Ann Walker")
	store, err := storage.OpenReadOnly(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	h := storeHarness(t, store, 80, 24)
	h.wantText("READ-ONLY: you can read everything; nothing is saved.", "Nothing can be saved: callcoach opened "+path+" read-only, because it was asked to.")
	h.press("x")
	h.wantScreen("READ-ONLY", "Ann Walker") // the reason goes; the banner stays
	h.press("enter")
	h.wantScreen("READ-ONLY", "walking after lunch") // the person, with the call's notes
	h.press("?")
	h.wantScreen("READ-ONLY", "Keys on this screen")
	h.press("esc", "c")
	h.wantText("READ-ONLY", "Could not start the call: nothing can be saved: callcoach opened "+path)
	h.press("esc")
	h.send(tea.KeyMsg{Type: tea.KeyCtrlF})
	h.typeText("walking")
	h.wantScreen("READ-ONLY", "walking")
}

func TestSlowPageCheckIsShownUntilItEnds(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.send(pageCheckSlowMsg{})
	h.dontWantScreen("Checking") // this one has ended already

	// A check under way: the command it starts is left unrun, so its
	// verdict is not in.
	m, _ := NewApp(h.c).Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	h.app = m
	h.send(pageCheckSlowMsg{})
	h.wantScreen("Checking the database file")
	h.press("j")
	h.wantScreen("Checking the database file")
	h.send(pageCheckMsg{})
	h.dontWantScreen("Checking")
}

// TestBannerAtEverySize holds the frame to the window with the banner up.
func TestBannerAtEverySize(t *testing.T) {
	path := caseloadFile(t, "Ann Walker")
	damageIndex(t, path, "calls_person_started")
	for _, size := range [][2]int{{120, 40}, {80, 24}, {40, 11}, {30, 8}, {20, 6}, {10, 3}} {
		store, err := storage.OpenReadOnly(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		h := storeHarness(t, store, size[0], size[1])
		h.press("enter", "esc")
		if size[1] >= 6 && !strings.Contains(h.screen(), "READ-ONLY") {
			t.Errorf("%dx%d: no READ-ONLY:\n%s", size[0], size[1], h.screen())
		}
	}
}

// TestQuitWhenNothingCanBeSaved: ctrl+c saves what was typed first, and
// does not quit if it cannot; but a read-only file will never take it, so
// a second ctrl+c quits without it.
func TestQuitWhenNothingCanBeSaved(t *testing.T) {
	path := caseloadFile(t, "Ann Walker")
	store, err := storage.OpenReadOnly(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	h := storeHarness(t, store, 80, 24)
	h.press("n")
	h.typeText("Cy Young")
	h.press("ctrl+c")
	if h.quit {
		t.Fatal("quit at once, dropping what was typed without a word")
	}
	h.wantText("This file is read-only, so what you typed cannot be saved", "press ctrl+c again to quit without it")
	h.press("ctrl+c")
	if !h.quit {
		t.Fatalf("the second ctrl+c did not quit:\n%s", h.screen())
	}
}
