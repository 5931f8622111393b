package main

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestEndToEndTypingAhead: c and then talking and typing at once. Every
// key reaches the notes; none quits the program (q on the caseload) or
// edits the person (e on their page).
func TestEndToEndTypingAhead(t *testing.T) {
	bin := binary(t)
	env, _, db := e2eEnv(t)
	socket := fmt.Sprintf("callcoach-e2e-ahead-%d", os.Getpid())
	s := startTmux(t, socket, "ahead", env, bin)
	s.waitFor("No one is on your caseload yet")
	s.keys("n")
	s.waitFor("New person")
	s.typeText("Ada Lovelace")
	s.keys("C-s")
	s.waitFor("Added to the caseload")
	s.keys("Escape")
	s.waitFor("Caseload")
	s.keys("c")
	s.typeText("quick word: eased off, feeling better")
	s.waitFor("quick word: eased off, feeling better")
	if strings.TrimSpace(s.tmux("list-panes", "-t", s.name, "-F", "#{pane_dead}")) == "1" {
		t.Fatalf("the program ended: %s", s.errors())
	}
	s.waitFor("Call with Ada")
	waitForDB(t, db, "SELECT notes FROM call_notes", "quick word: eased off, feeling better")
}
