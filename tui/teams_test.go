package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	"callcoach/coaching"
	"callcoach/storage"
)

// A coach's login on a team database, on a file the harness can open: the
// screens draw a coach's keys and views from Common.Login. What the
// server does with them (policies, hand-overs) is storage's tests' and
// the end-to-end test's (e2e_team_test.go).
func coachHarness(t *testing.T, w, h int) *harness {
	t.Helper()
	path := t.TempDir() + "/team.db"
	store, err := storage.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	return storeHarnessWith(t, store, w, h, func(c *Common) {
		c.Login = storage.Login{Role: "jo", Name: "Jo Smith", Coach: true}
	})
}

func TestTeamKeyShowsWhoseCaseload(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.addPerson(coaching.Person{Name: "Rosa"})
	h.refresh()
	h.wantScreen("Caseload")
	h.dontWantScreen("Your caseload", "team's pool")
	h.press("t") // no team on a file alone: nothing happens
	h.dontWantScreen("team's pool")
	if m := h.app.(App).stack[0].(*caseload); m.keys.Team.Enabled() {
		t.Error("t is on for a file")
	}

	h = coachHarness(t, 80, 24)
	h.wantScreen("Your caseload", "No one is on your caseload yet", "t to see the team's pool too")
	if !h.store.OwnCaseload() {
		t.Fatal("a coach's caseload is not their own by default")
	}
	h.addPerson(coaching.Person{Name: "Rosa"})
	h.press("t")
	h.wantScreen("Your caseload and the team's pool", "Rosa")
	if h.store.OwnCaseload() {
		t.Fatal("t left the caseload the coach's own")
	}
	if m := h.app.(App).stack[0].(*caseload); !m.keys.Team.Enabled() {
		t.Error("the help leaves t out")
	}
	h.wantScreen("Your caseload and the team's pool  1 person · t: yours only")
	h.press("t")
	h.wantScreen("Your caseload  1 person · t adds the team's pool")
	h.dontWantScreen("and the team's pool")
}

// The Now view lists people handed to the coach first, once each, with
// who handed them over and the start of the note; opening one shows the
// note in full.
func TestNowViewListsHandOversFirst(t *testing.T) {
	h := coachHarness(t, 100, 24)
	ben := h.addPerson(coaching.Person{Name: "Ben Okafor", Consent: true})
	ada := h.addPerson(coaching.Person{Name: "Ada Ames", Consent: true})
	for _, id := range []int64{ben, ada} {
		if _, err := h.store.AddFollowUp(context.Background(), coaching.FollowUp{PersonID: id, Due: h.now.Add(-time.Hour)}, h.now); err != nil {
			t.Fatal(err)
		}
	}
	h.refresh()
	h.wantScreen("[Now 2]", "Ada Ames", "Ben Okafor")
	m := h.app.(App).stack[0].(*caseload)
	rows, err := h.store.NowQueue(context.Background(), coaching.NewCoachDay(h.now, time.UTC), time.UTC, nowLimit)
	if err != nil {
		t.Fatal(err)
	}
	at := h.now.Add(-10 * time.Minute)
	h.send(nowPageMsg{seq: m.seq, section: sectionNow, rows: rows, handed: []storage.HandedOver{
		{PersonID: ben, Person: "Ben Okafor", From: "Sam Patel", Note: "Prefers mornings;\nhis daughter helps with the inhaler.", At: at, ToYou: true},
		{PersonID: ben, Person: "Ben Okafor", From: "Sam Patel", Note: "an older one", At: at.Add(-time.Hour), ToYou: true},
	}})
	h.wantScreen("[Now 2]", "1 handed to you · ", "Ben Okafor", "handed", "from Sam Patel 23 Nov: Prefers mornings; his daughter")
	h.dontWantScreen("an older one")
	lines := strings.Split(h.screen(), "\n")
	ben1, ada1 := -1, -1
	for i, l := range lines {
		if strings.Contains(l, "Ben Okafor") && ben1 < 0 {
			ben1 = i
		}
		if strings.Contains(l, "Ada Ames") && ada1 < 0 {
			ada1 = i
		}
		if strings.Contains(l, "Ben Okafor") && i != ben1 {
			t.Errorf("Ben is listed twice:\n%s", h.screen())
		}
	}
	if ben1 < 0 || ada1 < 0 || ben1 > ada1 {
		t.Errorf("the hand-over is not first:\n%s", h.screen())
	}
	h.press("home", "enter")
	h.wantScreen("Ben Okafor · no.")
}

// The hand-over form offers every coach but this one, then the pool, and
// on a file (no team) says why nothing was handed over, keeping the note.
func TestHandOverForm(t *testing.T) {
	h := coachHarness(t, 80, 24)
	id := h.addPerson(coaching.Person{Name: "Rosa Lind"})
	h.press("t")
	p := newPersonScreen(h.c, id, false)
	p.person = coaching.Person{ID: id, Name: "Rosa Lind"}
	f := newHandOverForm(h.c, p, []storage.TeamCoach{{Role: "jo", Name: "Jo Smith"}, {Role: "sam", Name: "Sam Patel"}, {Role: "sam2", Name: "Sam Patel"}, {Role: "al", Name: "the team's pool"}})
	var labels []string
	for _, c := range f.names["to"].choices {
		labels = append(labels, c.label)
	}
	if got := strings.Join(labels, "|"); got != "Sam Patel (sam)|Sam Patel (sam2)|the team's pool (al)|the team's pool" {
		t.Errorf("the choices are %s", got)
	}
	if f.roles["the team's pool"] != "" || f.roles["the team's pool (al)"] != "al" || f.roles["Sam Patel (sam2)"] != "sam2" {
		t.Errorf("the roles behind the choices: %v", f.roles)
	}

	h.press("enter") // Rosa's page
	h.wantScreen("Rosa Lind")
	h.press("H")
	h.wantScreen("Could not read the team's coaches", "only a team database")
	h.send(handOverCoachesMsg{coaches: []storage.TeamCoach{{Role: "jo", Name: "Jo Smith"}, {Role: "sam", Name: "Sam Patel"}}})
	h.wantScreen("Hand over Rosa Lind", "(•) Sam Patel", "( ) the team's pool")
	h.press("tab")
	h.typeText("Back from leave next week")
	h.press("ctrl+s")
	h.wantScreen("Not handed over: only a team database has coaches and hand-overs", "Back from leave next week")
	h.press("esc")
	h.wantScreen("Discard")
	h.press("n")
	h.wantScreen("Back from leave next week")
}

// A live change that adds someone above the first row shown (another
// coach hands Ada over while Bo is first) shows them, and the selection
// stays on Bo.
func TestLiveChangeShowsSomeoneAddedAbove(t *testing.T) {
	h := coachHarness(t, 80, 24)
	h.addPerson(coaching.Person{Name: "Bo Banks"})
	h.press("t") // the section is picked again: Everyone, Bo alone
	h.wantScreen("[Everyone 1]", "> Bo Banks")
	h.addPerson(coaching.Person{Name: "Ada Ames"})
	h.send(changedMsg{table: "people"})
	h.wantScreen("Ada Ames", "> Bo Banks")
	if s := h.screen(); strings.Index(s, "Ada Ames") > strings.Index(s, "Bo Banks") {
		t.Errorf("Ada is not above Bo:\n%s", s)
	}
}
