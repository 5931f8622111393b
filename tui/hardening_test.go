package tui

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"callcoach/coaching"
	"callcoach/coaching/config"
)

// holdWriteLock takes the database's write lock from another connection,
// as a big import in another program would, until release is called.
func holdWriteLock(t *testing.T, path string) (release func()) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(context.Background(), "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	done := false
	release = func() {
		if done {
			return
		}
		done = true
		conn.ExecContext(context.Background(), "ROLLBACK")
		conn.Close()
		db.Close()
	}
	t.Cleanup(release)
	return release
}

func (h *harness) callScreen() *callScreen {
	h.t.Helper()
	cs, ok := h.app.(App).top().(*callScreen)
	if !ok {
		h.t.Fatalf("the call workspace is not on top:\n%s", h.screen())
	}
	return cs
}

// TestDrawingNeverWaitsForTheWriter: while another program holds the write
// lock, a save of the notes waits; drawing the screen must not wait with
// it, and the header says the notes are not saved yet, and why.
func TestDrawingNeverWaitsForTheWriter(t *testing.T) {
	h, _ := inCall(t, 80, 24)
	h.typeText("first words")
	h.advance(saveDelay)
	h.wantScreen("saved")

	release := holdWriteLock(t, h.path)
	h.typeText(" and more")
	cs := h.callScreen()
	save := cs.saveNow()
	done := make(chan tea.Msg, 1)
	go func() { done <- save() }()
	for cs.notes.writer.since.Load() == 0 {
		runtime.Gosched() // until the save is under way, stuck behind the lock
	}
	h.setNow(h.now.Add(2 * time.Second))
	h.wantScreen("first words and more", "not saved yet: the file is busy")
	select {
	case <-done:
		t.Fatal("drawing waited until the save was over")
	default:
	}
	release()
	h.send(<-done)
	h.wantScreen("saved")
	h.dontWantScreen("NOT SAVED", "busy")
}

// TestEscKeepsWhatWasAnswered: esc at a question that follows an answer
// skips that question and keeps the answer, as the help line says.
func TestEscKeepsWhatWasAnswered(t *testing.T) {
	t.Run("follow-up date", func(t *testing.T) {
		h, pid := inCall(t, 80, 24)
		h.press("alt+f")
		h.wantScreen("esc cancel")
		h.typeText("tomorrow 10:00")
		h.press("enter")
		h.wantScreen("What for?", "esc skip")
		h.press("esc")
		h.wantScreen("Next contact: Tue 24 Nov 10:00")
		f, ok, err := h.store.OpenFollowUp(context.Background(), pid)
		if err != nil || !ok {
			t.Fatalf("the follow-up was dropped: ok=%v err=%v", ok, err)
		}
		if f.Reason != "" || !f.Due.Equal(time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)) {
			t.Fatalf("follow-up = %+v", f)
		}
	})
	t.Run("plan review", func(t *testing.T) {
		h := newHarness(t, 80, 24)
		id := h.addPerson(coaching.Person{Name: "Ann"})
		plan := coaching.ActionPlan{PersonID: id, Behaviour: coaching.BehaviourActivity, What: "walk",
			Confidence: coaching.NoScore, Status: coaching.PlanActive}
		planID, _, err := h.store.CommitPlan(context.Background(), plan, []int{8}, nil, h.now)
		if err != nil {
			t.Fatal(err)
		}
		h.refresh()
		h.press("c", "alt+v", "p")
		h.wantScreen("What helped?", "esc skip")
		h.press("esc")
		h.wantScreen("What got in the way?")
		h.typeText("rain")
		h.press("enter")
		h.wantScreen("Review saved: partly done")
		reviews, err := h.store.PlanReviews(context.Background(), planID)
		if err != nil || len(reviews) != 1 || reviews[0].Outcome != coaching.PlanPartly || reviews[0].GotInWay != "rain" {
			t.Fatalf("reviews = %+v, %v", reviews, err)
		}
	})
	t.Run("change talk without a kind says it was not saved", func(t *testing.T) {
		h, _ := inCall(t, 80, 24)
		h.press("alt+t")
		h.typeText("I want to walk more")
		h.press("enter")
		h.wantScreen("Which kind?")
		h.press("esc")
		h.wantScreen("Not saved: change talk needs its kind")
	})
}

// TestACallIsOpenInOnePlace: two programs on one file. The second is told
// where the call is open and since when, may read it as it is written,
// and take it over; the first then stops writing, says so, and keeps what
// it had not sent in a rescue file. Nothing typed in either is lost.
func TestACallIsOpenInOnePlace(t *testing.T) {
	one := newHarness(t, 80, 24)
	id := one.addPerson(coaching.Person{Name: "Ann"})
	one.refresh()
	one.press("c")
	one.typeText("from one")
	one.advance(saveDelay)
	one.wantScreen("saved")

	two := openHarness(t, one.path, 80, 24)
	two.press("enter", "c")
	two.wantScreen("There is an unfinished call")
	two.press("enter")
	two.wantScreen("Open in another callcoach since 14:00 (process ", "r read it here", "t take it over", "esc cancel")

	two.press("r")
	two.wantScreen("Call with Ann", "READ ONLY", "from one", "Read only: open in another callcoach since 14:00", "t take the call over")
	two.typeText("x")
	two.wantScreen("Read only here")
	one.typeText(" and more")
	one.advance(saveDelay)
	two.advance(time.Second)
	two.wantScreen("from one and more")
	two.dontWantScreen("from onex")

	two.press("t")
	two.wantScreen("Call with Ann", "saved", "from one and more")
	two.dontWantScreen("READ ONLY")
	two.press("ctrl+end")
	two.typeText(" by two")
	two.advance(saveDelay)
	two.wantScreen("saved")

	one.typeText(" lost words")
	one.advance(saveDelay)
	one.wantScreen("NOT SAVED HERE", "Nothing more is saved here: taken over at 14:00 by another callcoach", "kept in ", "alt+y copy the notes")
	if got := one.calls(id)[0].Notes; got != "from one and more by two" {
		t.Fatalf("notes in the file = %q", got)
	}
	cs := one.callScreen()
	b, err := os.ReadFile(cs.rescued)
	if err != nil || string(b) != "from one and more lost words" {
		t.Fatalf("rescue file %q = %q, %v", cs.rescued, b, err)
	}
	if fi, err := os.Stat(cs.rescued); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("rescue file mode: %v %v", fi.Mode(), err)
	}
	one.typeText("more")
	one.wantScreen("Nothing more is saved here")
	one.press("ctrl+c")
	if !one.quit {
		t.Fatalf("the program whose call was taken over cannot quit:\n%s", one.screen())
	}
}

// TestAnIdleWorkspaceNoticesItWasTakenOver: with nothing typed, the first
// program still learns within a few seconds that its call went elsewhere,
// and says everything typed there was saved.
func TestAnIdleWorkspaceNoticesItWasTakenOver(t *testing.T) {
	one := newHarness(t, 80, 24)
	one.addPerson(coaching.Person{Name: "Ann"})
	one.refresh()
	one.press("c")
	one.typeText("said and saved")
	one.advance(saveDelay)
	two := openHarness(t, one.path, 80, 24)
	two.press("enter", "c", "enter", "t")
	two.wantScreen("Call with Ann", "saved")
	for range 3 {
		one.advance(time.Second)
	}
	one.wantScreen("NOT SAVED HERE", "Everything typed here was saved before it was taken over")
}

// TestAReplacedFileStopsTheWorkspace: a file replaced under a running
// program (a restore from another terminal) is not written into; the
// notes are kept in a rescue file.
func TestAReplacedFileStopsTheWorkspace(t *testing.T) {
	h, _ := inCall(t, 80, 24)
	h.typeText("typed before the restore")
	h.advance(saveDelay)
	if err := os.Rename(h.path, h.path+".aside"); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(h.path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	h.typeText(", and after")
	h.advance(saveDelay)
	h.wantScreen("Nothing more is saved here: the database file was replaced or removed", "kept in ")
	b, err := os.ReadFile(h.callScreen().rescued)
	if err != nil || string(b) != "typed before the restore, and after" {
		t.Fatalf("rescue = %q, %v", b, err)
	}
	h.advance(fileWatchEvery)
	h.wantScreen("FILE REPLACED OR REMOVED: nothing more is saved")
	h.press("esc")
	h.wantScreen("FILE REPLACED OR REMOVED") // on every screen
}

// TestARemovedFileIsNoticedOnAnyScreen: on the caseload, writing nothing,
// the program still says within seconds that its file went.
func TestARemovedFileIsNoticedOnAnyScreen(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.addPerson(coaching.Person{Name: "Ann"})
	h.refresh()
	h.advance(fileWatchEvery)
	h.dontWantScreen("FILE REPLACED")
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(h.path + suffix)
	}
	h.advance(fileWatchEvery)
	h.wantScreen("FILE REPLACED OR REMOVED: nothing more is saved")
}

// payloads are texts that command a terminal if written to it as they
// are: set the clipboard, change the window title, clear the screen, hide
// what follows, a one-byte CSI, a right-to-left override, a zero-width
// space.
var payloads = []string{
	"\x1b]52;c;UFdORUQ=\x07", "\x1b]0;PWNED\x07", "\x1b[2J", "\x1b[8m", "\u009b2J", "\u202e", "\u200b",
}

func payload(prefix string) string { return prefix + strings.Join(payloads, "·") + "end" }

// leaks is what of the payloads a screen drew as it is. The harness draws
// without colour, so a screen's body must hold no ESC at all.
func leaks(body string) []string {
	var out []string
	for _, bad := range []string{"\x1b", "\u009b", "\u202e", "\u200b"} {
		if strings.Contains(body, bad) {
			out = append(out, fmt.Sprintf("%q", bad))
		}
	}
	return out
}

// TestNothingFromTheDataCommandsTheTerminal puts the payloads where no
// cleaning on the way in could catch them (straight into the file, into
// the organisation's safety steps, into the search box) and checks every
// screen that draws them: each screen's own drawing shows them as
// symbols, before the frame's last line of defence.
func TestNothingFromTheDataCommandsTheTerminal(t *testing.T) {
	h := newHarness(t, 100, 40)
	h.c.Safety = config.Safety{Steps: []string{payload("step ")}, Contacts: []config.Contact{{Name: payload("duty "), Phone: payload("555 ")}}}
	id := h.addPerson(coaching.Person{Name: "Placeholder"})
	plan := coaching.ActionPlan{PersonID: id, Behaviour: coaching.BehaviourActivity, What: "walk", Confidence: coaching.NoScore, Status: coaching.PlanActive}
	_, _, err := h.store.CommitPlan(context.Background(), plan, []int{8}, &coaching.FollowUp{PersonID: id, Due: h.now.Add(time.Hour), Reason: "r"}, h.now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.store.StartCall(context.Background(), id, coaching.RoleCoach, h.now); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", h.path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		"UPDATE people SET name = ?1, preferred_name = ?1, phone = ?1, conditions = ?1, call_times = ?1, communication_needs = ?1",
		"UPDATE calls SET notes = ?1, summary = ?1",
		"UPDATE action_plans SET what = ?1, how_much = ?1, commitment = ?1",
		"UPDATE follow_ups SET reason = ?1",
	} {
		if _, err := db.Exec(q, payload("x ")); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}

	check := func(where string) {
		t.Helper()
		body := h.app.(App).top().View()
		if l := leaks(body); len(l) > 0 {
			t.Fatalf("%s draws %v as it is:\n%q", where, l, body)
		}
		if l := leaks(h.app.View()); len(l) > 0 {
			t.Fatalf("%s: the frame holds %v", where, l)
		}
	}
	h.refresh()
	h.wantScreen("␛]0;PWNED")
	check("the caseload")
	h.press("enter")
	h.wantScreen("␛[2J")
	check("the person screen (profile and notes)")
	h.press("tab")
	check("the person screen (plan in full)")
	h.press("tab", "c", "enter")
	h.wantScreen("Call with")
	check("the call workspace")
	h.press("alt+h")
	h.wantScreen("step ␛]52;c;UFdORUQ=")
	check("the safety panel")
	h.press("n", "enter")
	h.send(tea.KeyMsg{Type: tea.KeyCtrlF})
	h.paste(payload("q "))
	check("search")
	h.press("esc")
	h.press("esc", "r")
	h.wantScreen("Call summary")
	check("the call summary")
}
