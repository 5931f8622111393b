package tui

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"callcoach/coaching"
	"callcoach/coaching/config"
	"callcoach/storage"
	"callcoach/storage/screenlock"
)

const testPassphrase = "correct horse"

// cheapHashes makes the hashes these tests write cheap: each keeps its own
// parameters, so checking them stays cheap too. The real cost is timed in
// storage/screenlock.
func cheapHashes(t *testing.T) {
	t.Helper()
	old := screenlock.DefaultParams
	screenlock.DefaultParams = screenlock.Params{Time: 1, MemoryKiB: 64, Threads: 1}
	t.Cleanup(func() { screenlock.DefaultParams = old })
}

// lockHarness starts the app as main would with a screen lock: after is
// lock_after; with a passphrase set (testPassphrase), it opens locked.
func lockHarness(t *testing.T, set bool, after time.Duration) (h *harness, file string) {
	t.Helper()
	cheapHashes(t)
	dir := t.TempDir()
	file = filepath.Join(dir, "config", screenlock.FileName)
	if set {
		if err := screenlock.Set(file, testPassphrase); err != nil {
			t.Fatal(err)
		}
	}
	store, err := storage.Open(context.Background(), filepath.Join(dir, "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	h = storeHarnessWith(t, store, 80, 24, func(c *Common) {
		c.Lock = ScreenLock{File: file, Set: set, After: after, AfterSet: true}
		if err := screenlock.Status(file); set && err != nil {
			c.Lock.Damaged = err
		}
	})
	return h, file
}

// lockEvents are the screen lock's entries in the audit trail, in order.
func (h *harness) lockEvents() string {
	h.t.Helper()
	var got []string
	err := h.store.AuditTrail(context.Background(), time.Time{}, func(e coaching.AuditEntry) error {
		switch e.Action {
		case coaching.AuditLocked, coaching.AuditUnlocked, coaching.AuditUnlockFailed:
			got = append(got, string(e.Action))
		}
		return nil
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return strings.Join(got, ",")
}

// unlock types the passphrase at the lock screen.
func (h *harness) unlock() {
	h.t.Helper()
	h.wantScreen("callcoach is locked")
	h.typeText(testPassphrase)
	h.press("enter")
	h.dontWantScreen("callcoach is locked")
}

// wantLocked checks the screen shows the lock and none of words.
func (h *harness) wantLocked(words ...string) {
	h.t.Helper()
	h.wantScreen("callcoach is locked")
	h.dontWantScreen(words...)
}

// callWithNotes opens a call on a person and types notes into it.
func (h *harness) callWithNotes(notes string) int64 {
	h.t.Helper()
	id := h.addPerson(coaching.Person{Name: "Margaret Okafor", PreferredName: "Maggie", Conditions: []string{"COPD"}})
	h.refresh()
	h.wantScreen("Margaret Okafor")
	h.press("c")
	h.wantScreen("Maggie")
	h.typeText(notes)
	return id
}

// idleFor lets time pass with no key: this program's registration on the
// file is renewed (the harness renews it by hand) and the timers fire.
func (h *harness) idleFor(d time.Duration) {
	h.t.Helper()
	h.setNow(h.now.Add(d))
	if err := h.store.Beat(context.Background(), h.now); err != nil {
		h.t.Fatal(err)
	}
	h.fire()
}

// The people and notes of the tests below, none of which may show on the
// lock screen.
var secrets = []string{"Margaret", "Okafor", "Maggie", "COPD", "walks", "shop", "Caseload"}

func TestLockOpensLockedAndOnlyTheRightPassphraseUnlocks(t *testing.T) {
	h, _ := lockHarness(t, true, 5*time.Minute)
	h.wantLocked("Caseload")
	h.press("enter") // empty: not a try
	h.wantScreen("Type your passphrase, then enter.")
	h.typeText("correct hors")
	h.wantScreen("Passphrase: ************")
	h.dontWantScreen("correct hors")
	h.press("enter")
	h.wantLocked()
	h.wantScreen("Wrong passphrase.")
	h.dontWantScreen("Try again") // the first wrong ones cost no wait
	h.typeText(testPassphrase + "!")
	h.press("enter")
	h.wantLocked()
	h.typeText(testPassphrase)
	h.press("enter")
	h.wantScreen("Caseload", "No one is on your caseload yet")
	if got := h.lockEvents(); got != "unlock-failed,unlock-failed,unlocked" {
		t.Errorf("audit = %s", got)
	}
}

func TestIdleLockHidesEverythingAndKeepsTheCallAndItsNotes(t *testing.T) {
	h, _ := lockHarness(t, true, 5*time.Minute)
	h.unlock()
	notes := "walks to the shop on Tuesdays"
	id := h.callWithNotes(notes)
	h.idleFor(4 * time.Minute)
	h.wantScreen(notes) // not yet
	h.press("alt+o")    // a key puts the lock off again
	h.idleFor(4 * time.Minute)
	h.wantScreen(notes, "OQ 1")
	h.idleFor(time.Minute)
	h.wantLocked(secrets...)
	// The notes were written when it locked, not only at the next save.
	calls := h.calls(id)
	if len(calls) != 1 || calls[0].Notes != notes || !calls[0].Unfinished() {
		t.Fatalf("under the lock the call is %+v; want it open with the notes saved", calls)
	}
	h.idleFor(10 * time.Minute) // the call's timer and saves run on under the lock
	h.typeText("not a note")
	h.press("enter")
	h.wantLocked(secrets...)
	h.typeText(testPassphrase)
	h.press("enter")
	h.wantScreen("Maggie", notes, "OQ 1")
	h.dontWantScreen("not a note")
	h.typeText(" and back")
	h.wantScreen(notes + " and back")
	h.press("ctrl+c")
	if calls := h.calls(id); calls[0].Notes != notes+" and back" || !calls[0].Unfinished() {
		t.Fatalf("after the lock the call is %+v", calls[0])
	}
	if got := h.lockEvents(); got != "unlocked,locked,unlock-failed,unlocked" {
		t.Errorf("audit = %s", got)
	}
}

func TestLockKeyCoversTheSafetyPanelHelpAndSearch(t *testing.T) {
	h, _ := lockHarness(t, true, 0) // 0: only on the key
	h.unlock()
	h.c.Safety = config.Safety{Steps: []string{"Stay on the line."}}
	h.callWithNotes("walks to the shop daily")
	h.press("alt+h")
	h.wantScreen("You raised a safety concern")
	h.press("ctrl+l")
	h.wantLocked(append(secrets, "safety", "SAFETY", "Stay on the line")...)
	h.unlock()
	h.wantScreen("You raised a safety concern", "Stay on the line.")
	h.press("n", "enter")
	h.wantScreen("walks to the shop daily")

	h.press("f1")
	h.typeText("lock")
	h.wantScreen("Find: lock", "ctrl+l", "lock the screen")
	h.press("ctrl+l")
	h.wantLocked(append(secrets, "Find:", "lock the screen")...)
	h.unlock()
	h.wantScreen("Find: lock", "lock the screen") // the help is open as it was
	h.press("esc")

	h.press("ctrl+f")
	h.typeText("walks")
	h.wantScreen("«walks» to the shop daily")
	h.press("ctrl+l")
	h.wantLocked(secrets...)
	h.unlock()
	h.wantScreen("«walks» to the shop daily")
	h.advance(time.Hour)
	h.wantScreen("«walks» to the shop daily") // lock_after 0: never when idle
}

func TestWrongPassphrasesWaitLongerAndLonger(t *testing.T) {
	h, file := lockHarness(t, true, 5*time.Minute)
	for range 3 {
		h.typeText("wrong guess")
		h.press("enter")
	}
	h.wantScreen("Wrong passphrase.", "Try again in 2 s.")
	h.advance(time.Second)
	h.wantScreen("Try again in 1 s.")
	h.typeText(testPassphrase) // during the wait even the right one is not checked
	h.press("enter")
	h.wantLocked()
	h.advance(time.Second)
	h.dontWantScreen("Try again")
	h.typeText("wrong again")
	h.press("enter")
	h.wantScreen("Wrong passphrase.", "Try again in 4 s.")

	// A restart does not reset it: the count is in the lock file.
	h2 := lockRestart(t, h, file)
	h2.typeText(testPassphrase)
	h2.press("enter")
	h2.wantScreen("Try again in 4 s.")
	h2.wantLocked()
	h2.advance(4 * time.Second)
	h2.unlock()
}

// lockRestart starts the app again on h's file and lock file, as main
// would, and sets its clock to h's.
func lockRestart(t *testing.T, h *harness, file string) *harness {
	t.Helper()
	if err := h.store.Close(); err != nil {
		t.Fatal(err)
	}
	store, err := storage.Open(context.Background(), h.path)
	if err != nil {
		t.Fatal(err)
	}
	h2 := storeHarnessWith(t, store, 80, 24, func(c *Common) {
		c.Lock = ScreenLock{File: file, After: 5 * time.Minute, AfterSet: true}
		if err := screenlock.Status(file); err == nil {
			c.Lock.Set = true
		} else {
			c.Lock.Damaged = err
		}
	})
	h2.setNow(h.now)
	return h2
}

func TestFirstUseAsksForAPassphrase(t *testing.T) {
	h, file := lockHarness(t, false, 5*time.Minute)
	h.wantScreen("Choose a passphrase for the screen lock", "after 5 min without a key, and on ctrl+l", "esc not now")
	h.press("esc")
	h.wantScreen("Caseload", "Screen lock not set up: ctrl+l chooses a passphrase.")
	h.advance(time.Hour)
	h.wantScreen("Caseload") // no passphrase: it cannot lock

	h.press("ctrl+l")
	h.wantScreen("Choose a passphrase")
	h.typeText("short")
	h.press("enter")
	h.wantScreen("A passphrase needs at least 8 characters; this one has 5.")
	h.press("ctrl+u")
	h.typeText(testPassphrase)
	h.press("enter", "correct horsE", "enter")
	h.wantScreen("The two do not match")
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Fatalf("a lock file before the passphrase was confirmed: %v", err)
	}
	h.typeText(testPassphrase)
	h.press("enter")
	h.wantScreen("Caseload", "Screen lock set: it locks after 5 min without a key, and on ctrl+l.")
	h.dontWantScreen("not set up")
	data, err := os.ReadFile(file)
	if err != nil || !strings.HasPrefix(string(data), "$argon2id$") || strings.Contains(string(data), testPassphrase) {
		t.Fatalf("lock file %q, %v", data, err)
	}
	if fi, _ := os.Stat(file); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("lock file mode %v", fi.Mode().Perm())
	}
	h.advance(5 * time.Minute)
	h.wantLocked("Caseload")
	h.unlock()
}

func TestDamagedLockFileStaysLocked(t *testing.T) {
	h, file := lockHarness(t, true, 5*time.Minute)
	if err := os.WriteFile(file, []byte("$argon2id$v=19$m=oops\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	h.typeText(testPassphrase)
	h.press("enter")
	h.wantLocked()
	h.wantScreen("is not an Argon2id hash", "delete that file")
	h.typeText(testPassphrase)
	h.press("enter")
	h.wantLocked()

	// Damaged at start: locked from the first frame, saying how to reset.
	h2 := lockRestart(t, h, file)
	h2.wantLocked()
	h2.wantScreen("is not an Argon2id hash", "delete that file")
}

// The demo's people are made up: no lock unless the settings ask for one.
func TestDemoDoesNotLock(t *testing.T) {
	cheapHashes(t)
	file := filepath.Join(t.TempDir(), screenlock.FileName)
	if err := screenlock.Set(file, testPassphrase); err != nil {
		t.Fatal(err)
	}
	store, err := storage.Open(context.Background(), filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	h := storeHarnessWith(t, store, 80, 24, func(c *Common) {
		c.Lock = ScreenLock{File: file, Set: true, Demo: true, After: 5 * time.Minute}
	})
	h.wantScreen("Caseload")
	h.advance(time.Hour)
	h.press("ctrl+l")
	h.wantScreen("Caseload", "it does not lock")
}

// A form's typing is kept as a draft the moment the screen locks, before
// its save delay, and is there as it was after unlocking.
func TestLockKeepsAFormDraft(t *testing.T) {
	h, _ := lockHarness(t, true, 0)
	h.unlock()
	h.press("n")
	h.typeText("Half Typed")
	ctx := context.Background()
	if _, ok, _ := h.store.LoadDraft(ctx, "person:new"); ok {
		t.Fatal("draft written before the save delay")
	}
	h.press("ctrl+l")
	h.wantLocked("Half Typed", "New person")
	if d, ok, err := h.store.LoadDraft(ctx, "person:new"); err != nil || !ok || d.Fields["name"] != "Half Typed" {
		t.Fatalf("draft under the lock = %+v, %v, %v", d, ok, err)
	}
	h.unlock()
	h.wantScreen("Half Typed")
}

// A passphrase typed and entered while the last one is still being
// checked is tried next, not dropped.
func TestEnterDuringACheckIsTriedNext(t *testing.T) {
	h, _ := lockHarness(t, true, 5*time.Minute)
	h.typeText("wrong guess")
	m, check := h.app.Update(tea.KeyMsg{Type: tea.KeyEnter}) // the check is under way...
	for _, r := range testPassphrase {
		m, _ = m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	m, cmd := m.Update(tea.KeyMsg{Type: tea.KeyEnter}) // ...when this enter comes
	if cmd != nil {
		t.Fatal("a second check started while the first was under way")
	}
	h.app = m
	h.wantLocked()
	h.wantScreen("Checking…")
	h.run(check)
	h.wantScreen("Caseload")
}
