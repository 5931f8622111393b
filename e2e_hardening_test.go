package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// e2eEnv is a private data and config folder for one test's programs.
func e2eEnv(t *testing.T, extra ...string) (env []string, dir, db string) {
	t.Helper()
	dir = t.TempDir()
	data := filepath.Join(dir, "data")
	env = append([]string{"XDG_DATA_HOME=" + data, "XDG_CONFIG_HOME=" + filepath.Join(dir, "config"), "TERM=xterm-256color", "NO_COLOR=1"}, extra...)
	noScreenLock(t, filepath.Join(dir, "config"))
	return env, dir, filepath.Join(data, "callcoach", "callcoach.db")
}

// addAda adds Ada to an empty caseload and starts a call with her.
func addAda(s *tmuxSession) { addAndCall(s, "Ada Lovelace") }

// addAndCall adds someone by name to an empty caseload and starts a call
// with them.
func addAndCall(s *tmuxSession, name string) {
	s.waitFor("No one is on your caseload yet")
	s.keys("n")
	s.waitFor("New person")
	s.typeText(name)
	s.keys("C-s")
	s.waitFor("Added to the caseload")
	s.keys("c")
	s.waitFor("Call with " + strings.Fields(name)[0])
}

// TestEndToEndOneCallOnePlace: two programs on one file. The second is
// told where the call is open, takes it over, and the first stops writing
// and keeps what it had not sent; a holder killed with kill -9 lets go at
// once.
func TestEndToEndOneCallOnePlace(t *testing.T) {
	bin := binary(t)
	env, _, db := e2eEnv(t)
	socket := fmt.Sprintf("callcoach-e2e-lease-%d", os.Getpid())

	one := startTmux(t, socket, "one", env, bin)
	addAda(one)
	one.typeText("from one")
	waitForDB(t, db, "SELECT notes FROM call_notes", "from one")

	two := startTmux(t, socket, "two", env, bin)
	two.waitFor("unfinished call")
	two.keys("c")
	two.waitFor("There is an unfinished call")
	two.keys("Enter")
	two.waitFor("Open in another callcoach since ")
	two.waitFor("(process ")
	two.keys("t")
	two.waitFor("Call with Ada")
	two.waitFor("from one")
	two.keys("C-End")
	two.typeText(" then two")
	waitForDB(t, db, "SELECT notes FROM call_notes", "from one then two")

	// The first program learns of it from its next save or its next look
	// (every two seconds), whichever comes first: keys typed after that
	// are refused, keys typed before it go to a rescue file.
	one.typeText(" unsent")
	one.waitFor("Nothing more is saved here: taken over")
	one.waitFor("NOT SAVED HERE")
	if got := sqlite(t, db, "SELECT notes FROM call_notes"); got != "from one then two" {
		t.Fatalf("notes in the file = %q", got)
	}
	rescued, _ := filepath.Glob(filepath.Join(filepath.Dir(db), "rescued-notes-call1-*.txt"))
	switch len(rescued) {
	case 0:
		one.waitFor("Everything typed here was saved before it was taken over")
		if strings.Contains(one.screen(), "from one u") {
			t.Fatalf("text typed here is on screen, but in no file:\n%s", one.screen())
		}
	case 1:
		b, err := os.ReadFile(rescued[0])
		if err != nil || len(b) <= len("from one ") || !strings.HasPrefix("from one unsent", string(b)) {
			t.Fatalf("rescue file = %q, %v", b, err)
		}
	default:
		t.Fatalf("rescue files: %v", rescued)
	}

	// The holder is killed: a third program opens the call at once.
	two.kill9()
	three := startTmux(t, socket, "three", env, bin)
	three.waitFor("unfinished call")
	three.keys("c")
	three.waitFor("There is an unfinished call")
	three.keys("Enter")
	three.waitFor("Call with Ada")
	three.waitFor("saved")
	if strings.Contains(three.screen(), "Open in another callcoach") {
		t.Fatalf("a killed program still holds the call:\n%s", three.screen())
	}
}

// TestEndToEndRestoreWhileOpen: restore refuses a file a callcoach has
// open, naming it; a file replaced under a running program anyway is not
// written into, and the notes are kept.
func TestEndToEndRestoreWhileOpen(t *testing.T) {
	bin := binary(t)
	env, dir, db := e2eEnv(t)
	socket := fmt.Sprintf("callcoach-e2e-restore-%d", os.Getpid())

	s := startTmux(t, socket, "open", env, bin)
	addAda(s)
	s.typeText("before the backup")
	waitForDB(t, db, "SELECT notes FROM call_notes", "before the backup")
	backup := filepath.Join(dir, "backup.db")
	if out, err := exec.Command(bin, "backup", backup, "--db", db).CombinedOutput(); err != nil {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	before := fileBytes(t, db)
	out, err := exec.Command(bin, "restore", backup, "--db", db).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "callcoach has "+db+" open (process ") || !strings.Contains(string(out), "nothing was restored") {
		t.Fatalf("restore while open: %v\n%s", err, out)
	}
	if !bytes.Equal(fileBytes(t, db), before) {
		t.Fatal("the refused restore changed the file")
	}
	s.typeText(", still here")
	waitForDB(t, db, "SELECT notes FROM call_notes", "before the backup, still here")

	// Another program replaces the file anyway.
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Rename(db+suffix, filepath.Join(dir, "aside.db"+suffix))
	}
	if err := os.WriteFile(db, fileBytes(t, backup), 0o600); err != nil {
		t.Fatal(err)
	}
	s.typeText(" and after")
	s.waitFor("Nothing more is saved here: the database file was replaced")
	rescued, _ := filepath.Glob(filepath.Join(filepath.Dir(db), "rescued-notes-call1-*.txt"))
	if len(rescued) != 1 {
		t.Fatalf("rescue files: %v", rescued)
	}
	// The program notices from its next save or its next look at the file
	// (every two seconds), whichever comes first; keys after that are
	// refused, so the rescue holds all that was on screen by then.
	if b, err := os.ReadFile(rescued[0]); err != nil || !strings.HasPrefix(string(b), "before the backup, still here") ||
		!strings.HasPrefix("before the backup, still here and after", string(b)) {
		t.Fatalf("rescue file = %q, %v", b, err)
	}
	if got := sqlite(t, filepath.Join(dir, "aside.db"), "SELECT notes FROM call_notes"); got != "before the backup, still here" {
		t.Fatalf("the file set aside was written into: %q", got)
	}
}

func fileBytes(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestEndToEndTypingWhileAnotherProgramWrites: while another program holds
// the write lock, typing still shows at once and the header says why the
// notes are not saved yet; once the lock goes, they are.
func TestEndToEndTypingWhileAnotherProgramWrites(t *testing.T) {
	bin := binary(t)
	needTool(t, "sqlite3")
	env, _, db := e2eEnv(t)
	socket := fmt.Sprintf("callcoach-e2e-lock-%d", os.Getpid())

	s := startTmux(t, socket, "typing", env, bin)
	addAda(s)
	s.typeText("first")
	waitForDB(t, db, "SELECT notes FROM call_notes", "first")

	holder := exec.Command("sqlite3", db)
	in, err := holder.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := holder.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := holder.Start(); err != nil {
		t.Fatal(err)
	}
	defer holder.Process.Kill()
	io.WriteString(in, "BEGIN IMMEDIATE;\nSELECT 'locked';\n")
	if line, err := bufio.NewReader(out).ReadString('\n'); err != nil || line != "locked\n" {
		t.Fatalf("sqlite3 did not take the lock: %q, %v", line, err)
	}

	s.typeText(" a")
	s.waitFor("not saved yet: the file is busy")
	s.typeText("bcd")
	// Before the save's own wait (5 s) is over: drawing never waits for it.
	start := time.Now()
	for !strings.Contains(s.screen(), "first abcd") {
		if time.Since(start) > 3*time.Second {
			t.Fatalf("typing did not show while another program held the lock:\n%s", s.screen())
		}
		time.Sleep(20 * time.Millisecond)
	}
	io.WriteString(in, "ROLLBACK;\n.quit\n")
	holder.Wait()
	waitForDB(t, db, "SELECT notes FROM call_notes", "first abcd")
	s.waitFor("saved")
}

// TestEndToEndNoEscapesReachTheTerminal feeds text that commands a terminal
// through every way in (the form, the notes, a CSV import, a JSON import,
// the settings file, the prompt cards, the search box, and the file
// itself), walks every screen that shows it, and checks the bytes the
// program wrote to the terminal: only its own styling and screen handling.
func TestEndToEndNoEscapesReachTheTerminal(t *testing.T) {
	bin := binary(t)
	needTool(t, "sqlite3")
	dir := t.TempDir()
	data, config := filepath.Join(dir, "data"), filepath.Join(dir, "config")
	db := filepath.Join(data, "callcoach", "callcoach.db")
	env := []string{"XDG_DATA_HOME=" + data, "XDG_CONFIG_HOME=" + config, "TERM=xterm-256color", "COLORTERM=truecolor"}
	const osc52, title, clear = "\x1b]52;c;UFdORUQ=\x07", "\x1b]0;PWNED\x07", "\x1b[2J"

	if err := os.MkdirAll(filepath.Join(config, "callcoach"), 0o700); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(config, "callcoach", "config.yaml"), `role: coach
lock_after: 0
safety:
  steps:
    - "Stay on the line \e]0;PWNED\a and listen"
  contacts:
    - name: "Duty \e]52;c;UFdORUQ=\a clinician"
      phone: "555\e[2J0199"
`)
	writeFile(t, filepath.Join(config, "callcoach", "prompts.yaml"), "version: 1\nstages:\n  - id: engage\n    coach:\n      local: \"Our line \\e]0;PWNED\\a here\"\n")
	// A JSON export of someone whose name then had escapes put in.
	other, jsonDoc := filepath.Join(dir, "other.db"), filepath.Join(dir, "in.json")
	writeFile(t, filepath.Join(dir, "json.csv"), "name\nJson Person\n")
	for _, args := range [][]string{{"import", filepath.Join(dir, "json.csv"), "--db", other}, {"export", "--format", "json", "--out", jsonDoc, "--db", other}} {
		if out, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
	}
	writeFile(t, jsonDoc, strings.Replace(string(fileBytes(t, jsonDoc)), "Json Person", `Json \u001b]0;PWNED\u0007 Person`, 1))
	exec.Command(bin, "import", "--format", "json", jsonDoc, "--db", db).Run() // refused or not: what it stores is drawn safely
	csvFile := filepath.Join(dir, "people.csv")
	writeFile(t, csvFile, "name,conditions\n\"Csv "+title+" Person\",\"asthma "+clear+"\"\n")
	if out, err := exec.Command(bin, "import", csvFile, "--db", db).CombinedOutput(); err != nil {
		t.Fatalf("import csv: %v\n%s", err, out)
	}
	// Text no way in would let through, put straight into the file.
	sqlite(t, db, "INSERT INTO people (name, conditions, created_at, updated_at) VALUES ('Raw "+strings.ReplaceAll(title, "'", "''")+"x', '"+clear+"COPD', '2026-11-23T14:00:00Z', '2026-11-23T14:00:00Z')")
	sqlite(t, db, "INSERT INTO calls (person_id, started_at, ended_at, outcome, notes, summary, updated_at) SELECT id, '2026-11-23T14:00:00Z', '2026-11-23T14:10:00Z', 'reached', 'raw notes "+osc52+"', 'raw summary "+clear+" "+osc52+"', '2026-11-23T14:10:00Z' FROM people WHERE name LIKE 'Raw%'")

	raw := filepath.Join(dir, "terminal.bytes")
	s := newTmux(t, fmt.Sprintf("callcoach-e2e-esc-%d", os.Getpid()), "esc", "read go; exec env "+strings.Join(env, " ")+" "+bin, "")
	s.tmux("resize-window", "-t", s.name, "-x", "110", "-y", "50") // room for the whole prompt card
	s.tmux("pipe-pane", "-o", "-t", s.name, "cat >> "+raw)
	s.keys("Enter") // the shell starts the program once everything it writes is kept
	s.waitFor("Caseload")
	s.waitFor("which a terminal would act on") // the settings and cards refuse it, by line
	s.waitFor("Raw ␛]0;PWNED")

	// The form: a pasted name.
	s.keys("n")
	s.waitFor("New person")
	paste(s, "Form "+osc52+title+" Person")
	s.keys("C-s")
	s.waitFor("Added to the caseload")
	s.keys("Escape")
	s.waitFor("Caseload")
	// The person with the raw notes and summary; then a call with them.
	s.keys("/")
	s.typeText("raw")
	s.waitFor("> Raw")
	s.keys("Enter")
	s.waitFor("enter open")
	s.keys("Enter")
	s.waitFor("Summary of ")
	s.keys("Escape")
	s.waitFor("Caseload")
	s.keys("c")
	s.waitFor("Call with")
	paste(s, "pasted notes "+title+clear+" end")
	s.waitFor("pasted notes")
	s.keys("M-h")
	s.waitFor("What was done")
	s.keys("n", "Enter")
	s.waitFor("Safety event recorded")
	s.keys("C-f")
	s.waitFor("Search everything")
	paste(s, "notes "+osc52)
	s.waitFor("found")
	s.keys("Escape")
	s.waitFor("Call with")
	s.keys("Escape")
	s.waitFor("End call:")
	s.keys("r")
	s.waitFor("Call summary")
	s.keys("Enter")
	s.keys("C-c")

	deadline := time.Now().Add(10 * time.Second)
	for strings.TrimSpace(s.tmux("list-panes", "-t", s.name, "-F", "#{pane_dead}")) != "1" {
		if time.Now().After(deadline) {
			t.Fatalf("the program did not quit:\n%s", s.screen())
		}
		time.Sleep(50 * time.Millisecond)
	}
	// The last thing the program writes is leaving the alternate screen.
	var out []byte
	for !bytes.Contains(out, []byte("\x1b[?1049l")) {
		if time.Now().After(deadline) {
			t.Fatal("the end of the program's output never reached the capture")
		}
		time.Sleep(50 * time.Millisecond)
		out = fileBytes(t, raw)
	}
	if bad := foreignEscapes(out); len(bad) > 0 {
		t.Fatalf("the program wrote escape sequences that are not its own: %q", bad)
	}
	for _, leak := range []string{"555" + clear + "0199", title, osc52, "\u009b", "\u202e"} {
		if bytes.Contains(out, []byte(leak)) {
			t.Fatalf("the terminal received %q as it is", leak)
		}
	}
	if !bytes.Contains(out, []byte("␛]0;PWNED")) {
		t.Fatal("the payloads were never drawn at all: the test did not look where it meant to")
	}
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

// paste gives the program text the way a terminal pastes it (bracketed).
func paste(s *tmuxSession, text string) {
	s.t.Helper()
	s.tmux("set-buffer", "-b", "e2e", text)
	s.tmux("paste-buffer", "-p", "-d", "-b", "e2e", "-t", s.name)
}

// ownEscapes are the sequences callcoach's screen handling writes: CSI
// sequences (cursor, erase, modes, styling), and the query of the
// terminal's background colour.
var (
	csiSeq    = regexp.MustCompile(`^\x1b\[[0-?]*[ -/]*[@-~]`)
	bgQuery   = regexp.MustCompile(`^\x1b\]11;\?(\x07|\x1b\\)`)
	c1OrBidi  = regexp.MustCompile("[\u0080-\u009f\u202a-\u202e\u2066-\u2069]")
	allowCSIs = "ABCDEFGHJKLPSTXfhlmnrsu@`tq"
)

// foreignEscapes lists what in out is not the program's own terminal
// handling: OSC, DCS and other non-CSI sequences, CSI sequences of a kind
// the renderer never writes, C1 controls and bidi overrides.
func foreignEscapes(out []byte) []string {
	var bad []string
	for i := 0; i < len(out); i++ {
		if out[i] != 0x1b {
			continue
		}
		rest := out[i:]
		if m := bgQuery.Find(rest); m != nil {
			i += len(m) - 1
			continue
		}
		switch m := csiSeq.Find(rest); {
		case m != nil:
			if !strings.ContainsRune(allowCSIs, rune(m[len(m)-1])) {
				bad = append(bad, string(m))
			}
			i += len(m) - 1
		default:
			bad = append(bad, string(rest[:min(len(rest), 24)]))
		}
	}
	for _, m := range c1OrBidi.FindAll(out, -1) {
		bad = append(bad, string(m))
	}
	return bad
}

// TestCrashLoop kills the program with kill -9 while the coach types, over
// and over, and checks that every line the screen called saved is in the
// file and the file stays whole. It runs only when asked, as it takes
// minutes: CALLCOACH_CRASHLOOP=200 go test -run CrashLoop -v .
func TestCrashLoop(t *testing.T) {
	cycles, _ := strconv.Atoi(os.Getenv("CALLCOACH_CRASHLOOP"))
	if cycles <= 0 {
		t.Skip("set CALLCOACH_CRASHLOOP=N to kill the program N times while typing")
	}
	bin := binary(t)
	env, _, db := e2eEnv(t)
	socket := fmt.Sprintf("callcoach-e2e-crash-%d", os.Getpid())
	s := startTmux(t, socket, "crash-0", env, bin)
	addAda(s)
	var acked []string
	integrity := 0
	for n := 1; n <= cycles; n++ {
		line := fmt.Sprintf("line %d acknowledged.", n)
		s.typeText(line)
		s.keys("Enter")
		s.waitUntil("the line saved", func(screen string) bool {
			return strings.Contains(screen, line) && strings.Contains(screen, "saved") && !strings.Contains(screen, "saving")
		})
		acked = append(acked, line)
		s.typeText(fmt.Sprintf("in flight %d", n)) // the keystrokes a crash may take with it
		s.kill9()
		if got := sqlite(t, db, "PRAGMA integrity_check"); got != "ok" {
			integrity++
			t.Errorf("cycle %d: integrity_check = %q", n, got)
		}
		s = startTmux(t, socket, fmt.Sprintf("crash-%d", n), env, bin)
		s.waitFor("unfinished call")
		s.keys("c")
		s.waitFor("There is an unfinished call")
		s.keys("Enter")
		s.waitFor("Call with Ada")
		s.keys("C-End")
		s.keys("C-u") // drop what was in flight, if it landed, so lines stay whole
		s.waitUntil("the in-flight text gone", func(screen string) bool { return !strings.Contains(screen, "in flight") })
	}
	notes := sqlite(t, db, "SELECT notes FROM call_notes")
	lost := 0
	for _, l := range acked {
		if !strings.Contains(notes, l) {
			lost++
		}
	}
	t.Logf("%d cycles: %d acknowledged lines lost, %d integrity failures", cycles, lost, integrity)
	if lost > 0 {
		t.Fatalf("%d acknowledged lines lost", lost)
	}
}
