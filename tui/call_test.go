package tui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"callcoach/coaching"
)

// inCall starts a harness with one person and a call open on them.
func inCall(t *testing.T, w, h int) (*harness, int64) {
	t.Helper()
	hs := newHarness(t, w, h)
	id := hs.addPerson(coaching.Person{Name: "Margaret Okafor", PreferredName: "Maggie", Conditions: []string{"COPD"}})
	hs.refresh()
	hs.press("c")
	if w >= 20 && h >= 3 {
		hs.wantScreen("Maggie")
	}
	return hs, id
}

func (h *harness) callID(personID int64) int64 {
	h.t.Helper()
	calls := h.calls(personID)
	if len(calls) == 0 {
		h.t.Fatal("no call")
	}
	return calls[0].ID
}

func TestWorkspaceShowsEveryPanelAt80x24(t *testing.T) {
	h, _ := inCall(t, 80, 24)
	h.wantScreen(
		"0:00 / 20:00", "saved", "coach", // header
		"> 1 Check in", "2 Review last plan", "9 Close", // stage list
		"Check in", "next: Review last plan (alt+n)", "Ask:", // card
		"OQ 0 CQ 0 SR 0 CR 0 AF 0 SU 0 MI- 0", "R:Q —", "%CR —", // tally
	)
	h.dontWantScreen("NaN", "Inf")
}

func TestStagesByChord(t *testing.T) {
	h, pid := inCall(t, 80, 24)
	call := h.callID(pid)
	h.typeText("hello")
	h.press("alt+n")
	h.wantScreen("> 2 Review last plan", "✓ 1 Check in")
	h.press("alt+5")
	h.wantScreen("> 5 Plan", "next: Commitment")
	h.press("alt+p")
	h.wantScreen("> 4 Explore")
	h.press("ctrl+g", "9")
	h.wantScreen("> 9 Close")
	h.press("alt+n")
	h.wantScreen("This is the last stage")
	h.wantScreen("hello") // chords never type into the notes
	h.dontWantScreen("hellon", "hello5")
	visits, err := h.store.StageVisits(context.Background(), call)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, v := range visits {
		got = append(got, string(v.Stage))
	}
	if strings.Join(got, ",") != "engage,review,plan,explore,close" {
		t.Fatalf("visits = %v", got)
	}
}

func TestTallyChordsAndRatios(t *testing.T) {
	h, pid := inCall(t, 80, 24)
	call := h.callID(pid)
	h.press("alt+o", "alt+o", "alt+q")
	h.wantScreen("OQ 2 CQ 1", "R:Q 0.0 too few", "%CR —", "Marked: closed question")
	h.press("alt+r", "alt+e", "alt+e", "alt+a", "alt+s", "alt+m")
	h.wantScreen("SR 1 CR 2 AF 1 SU 1 MI- 1", "R:Q 1.0 too few", "%CR 67% too few")
	h.press("alt+o", "alt+o", "alt+r", "alt+e") // 10 questions and reflections: R:Q is judged
	h.wantScreen("R:Q 1.0 fair", "%CR 60% too few")
	h.press("ctrl+g", "e") // the sixth reflection: %CR is judged
	h.wantScreen("CR 4", "R:Q 1.2 fair", "%CR 67% good")
	h.press("alt+z", "alt+z", "alt+z", "alt+z", "alt+z")
	h.wantScreen("SR 1 CR 2 AF 1 SU 1 MI- 1")
	h.press("alt+z")
	h.wantScreen("SR 1 CR 2 AF 1 SU 1 MI- 0")
	tally, err := h.store.Tally(context.Background(), call)
	if err != nil {
		t.Fatal(err)
	}
	want := coaching.Tally{coaching.TallyOpenQuestion: 2, coaching.TallyClosedQuestion: 1, coaching.TallySimpleReflection: 1,
		coaching.TallyComplexReflect: 2, coaching.TallyAffirmation: 1, coaching.TallySummary: 1}
	for _, k := range coaching.TallyKinds {
		if tally[k] != want[k] {
			t.Errorf("stored %s = %d, want %d", k, tally[k], want[k])
		}
	}
}

func TestRulerAsksTheFollowUpAndSavesBoth(t *testing.T) {
	h, pid := inCall(t, 80, 24)
	call := h.callID(pid)
	h.press("alt+i")
	h.wantScreen("How important, 0 to 10?")
	h.typeText("seven")
	h.press("enter")
	h.wantScreen("not a score: type a whole number from 0 to 10")
	h.press("ctrl+u")
	h.typeText("11")
	h.press("enter")
	h.wantScreen("not a score")
	h.press("ctrl+u")
	h.typeText("6")
	h.press("enter")
	h.wantScreen("Why a 6 and not a 3?")
	h.typeText("I want to keep up with my granddaughter")
	h.press("enter")
	h.wantScreen("Reason saved")
	h.press("alt+c")
	h.typeText("0")
	h.press("enter")
	h.wantScreen("feel even a little more confident")
	h.press("esc")
	h.wantScreen("Score kept")
	rulers, err := h.store.Rulers(context.Background(), call)
	if err != nil {
		t.Fatal(err)
	}
	if len(rulers) != 2 || rulers[0].Score != 6 || rulers[0].FollowUp != "I want to keep up with my granddaughter" ||
		rulers[1].Kind != coaching.RulerConfidence || rulers[1].Score != 0 || rulers[1].FollowUp != "" {
		t.Fatalf("rulers = %+v", rulers)
	}
	// The ruler never typed into the notes.
	if notes := h.calls(pid)[0].Notes; notes != "" {
		t.Fatalf("notes = %q", notes)
	}
}

func TestLowConfidenceSuggestsRevisingThePlan(t *testing.T) {
	h, _ := inCall(t, 80, 24)
	h.press("alt+7")
	h.wantScreen("> 7 Confidence", "next: Follow-up")
	h.press("alt+c")
	h.typeText("5")
	h.press("enter")
	h.wantScreen("Below 7: make the plan smaller or easier")
	h.press("esc", "alt+n")
	h.wantScreen("> 5 Plan")
	h.press("alt+7", "alt+c")
	h.typeText("8")
	h.press("enter", "esc")
	h.wantScreen("next: Follow-up")
}

func TestChangeTalkFromTheNotesLine(t *testing.T) {
	h, pid := inCall(t, 80, 24)
	call := h.callID(pid)
	h.typeText("first line")
	h.press("enter")
	h.typeText("  I want to be able to walk to the shops  ")
	h.press("alt+t")
	h.wantScreen("Their words:", "I want to be able to walk to the shops")
	h.press("enter")
	h.wantScreen("Which kind?", "d desire", "s sustain talk")
	h.press("x")
	h.wantScreen("Press one of the letters shown")
	h.press("d")
	h.wantScreen("Saved as desire")
	h.press("alt+t", "ctrl+u")
	h.typeText("It's just too cold out")
	h.press("enter", "s")
	h.press("alt+t", "ctrl+u", "enter")
	h.wantScreen("Type what the person said")
	h.press("esc")
	talk, err := h.store.ChangeTalk(context.Background(), call)
	if err != nil {
		t.Fatal(err)
	}
	if len(talk) != 2 || talk[0].Kind != coaching.TalkDesire || talk[0].Quote != "I want to be able to walk to the shops" ||
		talk[1].Kind != coaching.TalkSustain {
		t.Fatalf("talk = %+v", talk)
	}
	if got := h.calls(pid)[0].Notes; got != "" && !strings.HasPrefix(h.screen(), "") {
		t.Fatal(got)
	}
}

func TestEndingShowsAndSavesTheSummary(t *testing.T) {
	h, pid := inCall(t, 80, 24)
	h.typeText("Walked 3 of 4 days.")
	h.press("alt+o", "alt+r", "alt+4", "alt+i")
	h.typeText("8")
	h.press("enter")
	h.typeText("my grandchildren")
	h.press("enter")
	h.setNow(h.now.Add(12 * time.Minute))
	h.press("esc", "r")
	h.wantScreen("Call summary", "Call with Maggie (Margaret Okafor)", "12 min · reached · by a coach",
		"Stages: Check in → Explore", "Importance 8/10", `"my grandchildren"`, "R:Q 1.0 (too few to judge)", "Walked 3 of 4 days.")
	c := h.calls(pid)[0]
	if c.Unfinished() || !strings.Contains(c.Summary, "Importance 8/10") {
		t.Fatalf("stored call %+v", c)
	}
	h.press("enter")
	h.wantScreen("Summary of", "Importance 8/10")
}

func TestPeerRoleCardsAndRecord(t *testing.T) {
	hs := newHarness(t, 80, 24)
	hs.c.Role = coaching.RolePeer
	id := hs.addPerson(coaching.Person{Name: "Ann"})
	hs.refresh()
	hs.press("c")
	hs.wantScreen("peer volunteer", "Hand over:")
	if got := hs.calls(id)[0].Role; got != coaching.RolePeer {
		t.Fatalf("role = %q", got)
	}
}

func TestTimerWarnsGently(t *testing.T) {
	h, _ := inCall(t, 80, 24)
	h.advance(17 * time.Minute)
	h.wantScreen("17:00 / 20:00")
	h.dontWantScreen("about to close")
	h.advance(90 * time.Second)
	h.wantScreen("18:30 / 20:00 · about to close")
	h.advance(3 * time.Minute)
	h.wantScreen("over time")
}

func TestResumedCallKeepsItsMarks(t *testing.T) {
	h, _ := inCall(t, 80, 24)
	h.press("alt+o", "alt+e", "alt+3")
	h2 := h.restart(80, 24)
	h2.press("c", "enter")
	h2.wantScreen("> 3 Focus", "OQ 1", "CR 1")
}

func TestWorkspaceAtEverySize(t *testing.T) {
	for _, size := range [][2]int{{120, 40}, {80, 24}, {60, 20}, {59, 19}, {50, 14}, {40, 11}, {30, 8}, {20, 6}, {10, 3}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			h, _ := inCall(t, size[0], size[1])
			h.typeText(strings.Repeat("word ", 60))
			h.press("alt+o", "alt+i")
			h.typeText("6")
			h.press("enter")
			h.typeText("because")
			h.press("enter", "alt+t", "enter")
			h.press("d", "esc")
			if size[0] >= 80 && size[1] >= 6 {
				h.wantScreen("Call with")
			}
			if size[0] >= 20 && size[1] >= 6 {
				h.wantScreen("Maggie")
			}
		})
	}
}

func TestSummaryCopyAndWrite(t *testing.T) {
	h, id := inCall(t, 80, 24)
	var copied string
	h.c.Copy = func(s string) error { copied = s; return nil }
	h.typeText("Talked about pacing.")
	h.press("esc", "v")
	h.wantScreen("Call summary", "left voicemail")
	h.press("y")
	if !strings.Contains(copied, "Talked about pacing.") {
		t.Fatalf("copied %q", copied)
	}
	h.wantScreen("Sent to the clipboard")

	path := filepath.Join(t.TempDir(), "summary.txt")
	h.press("w")
	// Named by the date and the call, never the person: folders get listed.
	h.wantScreen("Write to:", fmt.Sprintf("call-summary-2026-11-23-1400-%d.txt", h.callID(id)))
	for _, l := range strings.Split(h.screen(), "\n") {
		if strings.Contains(l, "Write to:") && (strings.Contains(l, "Maggie") || strings.Contains(l, "Okafor")) {
			t.Errorf("the suggested file is named after the person: %q", l)
		}
	}
	h.press("ctrl+u")
	h.typeText(path)
	h.press("enter")
	h.wantScreen("Written to " + path)
	b, err := os.ReadFile(path)
	if err != nil || !strings.Contains(string(b), "Talked about pacing.") {
		t.Fatalf("file: %v %q", err, b)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v", fi.Mode().Perm())
	}
	h.press("w", "ctrl+u")
	h.typeText(path)
	h.press("enter")
	h.wantScreen("Not written:", "choose another name")
	h.press("w", "ctrl+u")
	h.typeText(filepath.Join(path, "no", "such", "dir.txt"))
	h.press("enter")
	h.wantScreen("Not written")
}
