package tui

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"callcoach/coaching"
	"callcoach/storage"
)

// TestNowViewAndAnAttemptInTwoKeys: the caseload opens on the Now view,
// flagged first, then overdue with whoever is inside their window first;
// a then n logs a no-answer, enter accepts the proposed retry, and the row
// shows the try while the person moves down to later today.
func TestNowViewAndAnAttemptInTwoKeys(t *testing.T) {
	h := newHarness(t, 100, 30) // the clock: Mon 23 Nov 2026 14:00 UTC
	ctx := context.Background()
	rosa := h.addPerson(coaching.Person{Name: "Rosa Delgado", TimeZone: "Europe/London", CallTimes: "weekdays 12:00-17:00", Consent: true})
	nia := h.addPerson(coaching.Person{Name: "Nia Young", TimeZone: "America/New_York", CallTimes: "weekdays 12:00-16:00", Consent: true})
	sam := h.addPerson(coaching.Person{Name: "Sam Yee", TimeZone: "Australia/Sydney"})
	h.addPerson(coaching.Person{Name: "Ben Otto"})
	for _, id := range []int64{rosa, nia} {
		if _, err := h.store.AddFollowUp(ctx, coaching.FollowUp{PersonID: id, Due: h.now.Add(-26 * time.Hour), Reason: "walking plan"}, h.now.Add(-72*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := h.store.RaiseSafety(ctx, storageSafety(sam), h.now.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	h.refresh()
	h.wantScreen("[Now 3]", "1 flagged · 2 overdue · 0 due today · made 0, reached 0 today", "! no consent recorded")
	screen := h.screen()
	order := []string{"[SAFETY] Sam Yee !", "Rosa Delgado", "Nia Young"}
	last := -1
	for _, name := range order {
		i := strings.Index(screen, name)
		if i < last {
			t.Fatalf("%q out of order (flag, then inside their window, then outside):\n%s", name, screen)
		}
		last = i
	}
	h.dontWantScreen("Ben Otto")
	// Rosa: 14:00 in London, inside; Nia: 09:00 in New York, outside.
	h.wantScreen("Mon 14:00  in window", "Mon 09:00  outside", "Tue 01:00  not known")

	h.press("down") // Rosa
	h.press("a")
	h.wantScreen("Log an attempt", "Rosa Delgado · no. 1", "inside their window", "How did it end?")
	h.press("n")
	h.wantScreen("It ended: no answer", "Proposed: Mon 23 Nov 16:00 their time (2 hours later", "Try again (your clock): 2026-11-23 16:00")
	h.press("enter")
	h.wantScreen("Logged for Rosa Delgado. Next try Mon 23 Nov 16:00 their time.", "[Now 3]", "made 1, reached 0 today")
	h.wantScreen("later", "1/1", "no answer")
	f, ok, err := h.store.OpenFollowUp(ctx, rosa)
	if err != nil || !ok || !f.Due.Equal(h.now.Add(2*time.Hour)) || f.Reason != "walking plan" {
		t.Fatalf("Rosa's follow-up after the attempt: %+v, %v, %v", f, ok, err)
	}
	if c := h.calls(rosa); len(c) != 1 || c[0].Outcome != coaching.OutcomeNoAnswer {
		t.Fatalf("Rosa's calls: %+v", c)
	}

	// A retry typed in the past is refused, with nothing written; esc
	// goes back, and esc again cancels.
	h.press("home", "a", "v")
	h.press("ctrl+u")
	h.typeText("yesterday 10:00")
	h.press("enter")
	h.wantScreen("in the past")
	h.press("esc")
	h.wantScreen("How did it end?")
	h.press("esc")
	h.wantScreen("[Now 3]")
	if n := len(h.calls(sam)); n != 0 {
		t.Fatalf("Sam has %d calls after a cancelled attempt", n)
	}

	// Nia is outside her window (09:00 in New York): c asks first; esc
	// starts nothing.
	h.press("home", "down")
	h.wantScreen("> Nia Young")
	h.press("c")
	h.wantScreen("It is 09:00 for Nia Young, outside their call window", "Call anyway?")
	h.press("esc")
	h.dontWantScreen("Call anyway?")
	if n := len(h.calls(nia)); n != 0 {
		t.Fatalf("Nia has %d calls after saying no", n)
	}
}

// storageSafety is a safety flag raised by the coach for person id.
func storageSafety(id int64) storage.SafetyEvent {
	return storage.SafetyEvent{PersonID: id, Trigger: "coach"}
}

// TestCallTimesAreCheckedWhenTyped: call times typed into the profile must
// be a window the queue understands, refused with examples otherwise;
// words recorded before are kept as they are until someone rewrites them.
func TestCallTimesAreCheckedWhenTyped(t *testing.T) {
	h := newHarness(t, 100, 30)
	id := h.addPerson(coaching.Person{Name: "Rosa", CallTimes: "ring after her dialysis"})
	h.refresh()
	h.press("tab", "tab", "tab", "tab", "tab", "enter") // Everyone, Rosa
	h.wantScreen("Rosa", "no. 1")
	h.press("e")
	h.wantScreen("Edit", "ring after her dialysis")
	h.press("ctrl+s") // the old words, untouched, are kept
	h.wantScreen("Profile saved.")
	h.press("e")
	for range 7 {
		h.press("tab") // to Call times
	}
	h.press("ctrl+u")
	h.typeText("after her dialysis")
	h.press("ctrl+s")
	h.wantScreen("Not saved: Call times:", "not a time of day", "12:00-14:00")
	h.press("ctrl+u")
	h.typeText("weekdays 12-14")
	h.press("ctrl+s")
	h.wantScreen("Profile saved.")
	p, err := h.store.GetPerson(context.Background(), id)
	if err != nil || p.CallTimes != "weekdays 12-14" {
		t.Fatalf("stored call times %q, %v", p.CallTimes, err)
	}
}

// TestConsentFirst: a call with someone whose consent is not recorded
// says to ask first; alt+g records it with its time, once.
func TestConsentFirst(t *testing.T) {
	h := newHarness(t, 100, 30)
	id := h.addPerson(coaching.Person{Name: "Rosa"})
	h.refresh()
	h.press("c")
	h.wantScreen("Call with Rosa", "NO CONSENT RECORDED: ask first")
	h.press("alt+g")
	h.wantScreen("Consent recorded at 14:00.")
	h.dontWantScreen("NO CONSENT RECORDED")
	p, err := h.store.GetPerson(context.Background(), id)
	if err != nil || !p.Consent || p.ConsentDate != "2026-11-23" || !p.ConsentAt.Equal(h.now) {
		t.Fatalf("consent stored: %v %q %v, %v", p.Consent, p.ConsentDate, p.ConsentAt, err)
	}
	h.press("alt+g")
	h.wantScreen("Consent is already recorded (2026-11-23).")
}

// TestOneNextContact: in a call, a next contact set when the one this
// call is for is open is simply set (ending the call, reached, completes
// that one); set again, it asks whether it replaces the one just set
// (shown with its date and reason) or is added; r closes the old one,
// pointing to the new.
func TestOneNextContact(t *testing.T) {
	h := newHarness(t, 100, 30)
	ctx := context.Background()
	id := h.addPerson(coaching.Person{Name: "Rosa", Consent: true})
	if _, err := h.store.AddFollowUp(ctx, coaching.FollowUp{PersonID: id, Due: h.now.Add(26 * time.Hour), Reason: "check the tablets"}, h.now.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	h.refresh()
	h.press("c") // nobody to call now: it opens on everyone
	h.wantScreen("Call with Rosa")
	h.press("alt+f")
	h.typeText("fri 14:00")
	h.press("enter")
	h.typeText("walking plan")
	h.press("enter")
	h.wantScreen("Next contact: Fri 27 Nov 14:00.")
	h.press("alt+f")
	h.typeText("thu 09:00")
	h.press("enter")
	h.typeText("call back")
	h.press("enter")
	h.wantScreen("They already have a next contact:", "walking plan", "r replace it with the new one", "a add the new one as well")
	h.press("r")
	h.wantScreen("Next contact: Thu 26 Nov 09:00.")
	var n int
	var replaced, walking int64
	if err := rawQuery(h, "SELECT id FROM follow_ups WHERE reason = 'walking plan'").Scan(&walking); err != nil {
		t.Fatal(err)
	}
	if err := rawQuery(h, "SELECT replaced_by FROM follow_ups WHERE id = ?", walking).Scan(&replaced); err != nil || replaced == 0 {
		t.Fatalf("the walking plan follow-up: replaced by %d, %v", replaced, err)
	}
	// Ending the call, reached, completes the one it was for; the one set
	// last is the next contact.
	h.press("esc", "r")
	h.wantScreen("Call summary")
	if err := rawQuery(h, "SELECT count(*) FROM follow_ups WHERE person_id = ? AND done_at IS NULL", id).Scan(&n); err != nil || n != 1 {
		t.Fatalf("%d open follow-ups after the call, %v: one next contact", n, err)
	}
	if f, ok, _ := h.store.OpenFollowUp(ctx, id); !ok || f.Reason != "call back" {
		t.Fatalf("the next contact: %+v", f)
	}
}

// rawQuery reads the test's file directly, as another program would.
func rawQuery(h *harness, query string, args ...any) *sql.Row {
	h.t.Helper()
	db, err := sql.Open("sqlite", "file:"+h.path+"?mode=ro")
	if err != nil {
		h.t.Fatal(err)
	}
	h.t.Cleanup(func() { db.Close() })
	return db.QueryRow(query, args...)
}

// TestNextInQueueAfterACall: ending a call offers the next person in the
// Now view; n starts their call, with the caseload beneath.
func TestNextInQueueAfterACall(t *testing.T) {
	h := newHarness(t, 100, 30)
	ctx := context.Background()
	rosa := h.addPerson(coaching.Person{Name: "Rosa", Consent: true})
	ben := h.addPerson(coaching.Person{Name: "Ben", Consent: true})
	for i, id := range []int64{rosa, ben} {
		if _, err := h.store.AddFollowUp(ctx, coaching.FollowUp{PersonID: id, Due: h.now.Add(-time.Duration(30-i) * time.Hour)}, h.now.Add(-72*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	h.refresh()
	h.wantScreen("[Now 2]", "> Rosa")
	h.press("c")
	h.wantScreen("Call with Rosa")
	h.typeText("talked about walking")
	h.press("esc", "r")
	h.wantScreen("Call summary", "Next in the queue: Ben (overdue, not known) · n calls them")
	h.press("n")
	h.wantScreen("Call with Ben")
	if n := len(h.calls(ben)); n != 1 {
		t.Fatalf("Ben has %d calls", n)
	}
	h.press("esc", "x") // opened by mistake: thrown away
	h.wantScreen("Ben")
	h.press("esc")
	h.wantScreen("Caseload") // the caseload is beneath, not Rosa's page
}

// TestNowViewKeepsUpWithTheClock: shown for a while, the Now view reads
// itself again: later today becomes due now as its time comes.
func TestNowViewKeepsUpWithTheClock(t *testing.T) {
	h := newHarness(t, 100, 30)
	id := h.addPerson(coaching.Person{Name: "Leo Tate", Consent: true})
	if _, err := h.store.AddFollowUp(context.Background(), coaching.FollowUp{PersonID: id, Due: h.now.Add(30 * time.Minute)}, h.now); err != nil {
		t.Fatal(err)
	}
	h.refresh()
	h.wantScreen("[Now 1]", "Leo Tate", "later")
	h.advance(time.Minute)
	h.wantScreen("later")
	h.advance(30 * time.Minute)
	h.wantScreen("due now")
	h.dontWantScreen("later ")
}
