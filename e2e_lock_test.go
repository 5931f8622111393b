package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"callcoach/storage/screenlock"
)

// TestEndToEndScreenLock: with a passphrase set, callcoach opens locked;
// unlocked, a call is started and a note typed; after lock_after (10 s)
// without a key the window shows no name and no note, a wrong passphrase
// is refused, the right one brings the call back with its note, and the
// note is in the file.
func TestEndToEndScreenLock(t *testing.T) {
	bin := binary(t)
	dir := t.TempDir()
	data, config := filepath.Join(dir, "data"), filepath.Join(dir, "config")
	db := filepath.Join(data, "callcoach", "callcoach.db")
	if err := os.MkdirAll(filepath.Join(config, "callcoach"), 0o700); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(config, "callcoach", "config.yaml"), "lock_after: 10s\n")
	const pass = "tea at four, not five"
	if err := screenlock.Set(filepath.Join(config, "callcoach", screenlock.FileName), pass); err != nil {
		t.Fatal(err)
	}
	env := []string{"XDG_DATA_HOME=" + data, "XDG_CONFIG_HOME=" + config, "TERM=xterm-256color", "NO_COLOR=1"}
	socket := fmt.Sprintf("callcoach-e2e-lock-%d", os.Getpid())
	s := startTmux(t, socket, "lock", env, bin)

	s.waitFor("callcoach is locked")
	if screen := s.screen(); strings.Contains(screen, "Caseload") {
		t.Fatalf("the caseload shows before the passphrase:\n%s", screen)
	}
	s.typeText(pass)
	s.keys("Enter")
	addAda(s)
	const note = "Walks to the canal each morning"
	s.typeText(note)
	s.waitFor(note)

	// No key from here: the lock comes 10 s after the last one.
	locked := time.Now()
	s.waitWithin(30*time.Second, "the lock screen", func(screen string) bool { return strings.Contains(screen, "callcoach is locked") })
	if waited := time.Since(locked); waited < 8*time.Second {
		t.Errorf("locked after %v, want about 10 s", waited)
	}
	screen := s.screen()
	for _, secret := range []string{"Ada", "Lovelace", "canal", "Walks", "Call with"} {
		if strings.Contains(screen, secret) {
			t.Fatalf("the lock screen shows %q:\n%s", secret, screen)
		}
	}
	// Saved as it locked, before the passphrase.
	waitForDB(t, db, "SELECT notes FROM calls", note)

	s.typeText("tea at five")
	s.keys("Enter")
	s.waitFor("Wrong passphrase.")
	if screen := s.screen(); strings.Contains(screen, "tea at") || strings.Contains(screen, "canal") {
		t.Fatalf("the passphrase or a note shows:\n%s", screen)
	}
	start := time.Now()
	s.typeText(pass)
	s.keys("Enter")
	s.waitFor(note)
	t.Logf("unlocked in %v (Argon2id, and the screen drawn)", time.Since(start))
	s.waitFor("Call with Ada")
	if got := sqlite(t, db, "SELECT count(*) FROM calls WHERE ended_at IS NULL"); got != "1" {
		t.Fatalf("open calls = %s, want the one call still open", got)
	}
	s.typeText(" and back")
	s.waitFor(note + " and back")
	waitForDB(t, db, "SELECT notes FROM calls", note+" and back")
}
