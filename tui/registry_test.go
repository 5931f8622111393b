package tui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"callcoach/coaching"
	"callcoach/coaching/measures"
	"callcoach/storage"
)

// registryPeople puts people at treat to target's boundaries on the
// harness's clock: each with totals given weeks ago, the last total now.
func registryPeople(h *harness) {
	h.t.Helper()
	ctx := context.Background()
	ago := func(weeks int) time.Time { return h.now.AddDate(0, 0, -7*weeks) }
	for _, p := range []struct {
		name   string
		inst   measures.ID
		weeks  int
		totals []float64
	}{
		{"Ann Exact", measures.PHQ9, 12, []float64{20, 10}}, // exactly 50% better
		{"Ben Short", measures.PHQ9, 10, []float64{20, 11}}, // 45% at 10 weeks
		{"Cal Nine", measures.PHQ9, 9, []float64{20, 11}},   // 45% at 9 weeks
		{"Dee Below", measures.PHQ9, 20, []float64{9, 9}},   // first 9
		{"Eve Same", measures.PHQ9, 10, []float64{10, 10}},  // first 10, no change
		{"Fay Once", measures.PHQ9, 11, []float64{16}},      // one measure only
		{"Gus Rise", measures.PHQ9, 3, []float64{12, 18}},   // a rise
		{"Hal Remit", measures.PHQ9, 14, []float64{20, 3}},
		{"Ivy Anxious", measures.GAD7, 12, []float64{15, 15}},
	} {
		id := h.addPerson(coaching.Person{Name: p.name})
		for i, total := range p.totals {
			at := ago(p.weeks)
			if i > 0 {
				at = h.now.Add(-time.Hour)
			}
			rec := storage.MeasureRecord{PersonID: id, Instrument: string(p.inst), Complete: true, Scored: true, Total: total, Closing: -1}
			if _, err := h.store.SaveMeasure(ctx, rec, at); err != nil {
				h.t.Fatal(err)
			}
		}
	}
}

// lineOf is the screen's line that names who.
func lineOf(h *harness, who string) (int, string) {
	for i, l := range strings.Split(h.screen(), "\n") {
		if strings.Contains(l, who) {
			return i, l
		}
	}
	h.t.Fatalf("no line for %s:\n%s", who, h.screen())
	return -1, ""
}

func TestRegistryScreen(t *testing.T) {
	h := newHarness(t, 80, 24)
	registryPeople(h)
	h.press("R")
	h.wantScreen("Registry · PHQ-9", "not on track: under 50% better after 10 weeks", "tab: GAD-7",
		"Name", "First", "Latest", "Change", "Care", "Status")
	want := []struct{ who, status, change, weeks string }{
		{"Fay Once", "not on track", "–", "11 wk"},
		{"Ben Short", "not on track", "−45%", "10 wk"},
		{"Eve Same", "not on track", "0%", "10 wk"},
		{"Cal Nine", "early", "−45%", "9 wk"},
		{"Gus Rise", "early", "+50%", "3 wk"},
		{"Hal Remit", "remission", "−85%", "14 wk"},
		{"Ann Exact", "responding", "−50%", "12 wk"},
		{"Dee Below", "not tracked", "0%", "20 wk"},
	}
	last := -1
	for _, w := range want {
		i, l := lineOf(h, w.who)
		if i <= last {
			t.Errorf("%s is out of order:\n%s", w.who, h.screen())
		}
		last = i
		if !strings.HasSuffix(strings.TrimRight(l, " "), w.status) || !strings.Contains(l, " "+w.change+" ") || !strings.Contains(l, w.weeks) {
			t.Errorf("%s: %q, want %s, %s, %s", w.who, l, w.status, w.change, w.weeks)
		}
	}
	if _, l := lineOf(h, "Fay Once"); !strings.HasPrefix(l, "> ") {
		t.Errorf("the cursor is not on the first line: %q", l)
	}
	if strings.Contains(h.screen(), "Ivy Anxious") {
		t.Error("GAD-7 shown among PHQ-9")
	}
	h.press("tab")
	h.wantScreen("Registry · GAD-7", "tab: PHQ-9", "Ivy Anxious")
	if _, l := lineOf(h, "Ivy Anxious"); !strings.HasSuffix(strings.TrimRight(l, " "), "not on track") {
		t.Errorf("Ivy: %q", l)
	}
	h.press("enter")
	h.wantScreen("Ivy Anxious")
	if strings.Contains(h.screen(), "Registry") {
		t.Fatalf("enter did not open the person:\n%s", h.screen())
	}
	h.press("esc")
	h.wantScreen("Registry · GAD-7", "Ivy Anxious")
	h.press("esc")
	h.wantScreen("Now") // the caseload
	if strings.Contains(h.screen(), "Registry ·") {
		t.Fatalf("esc did not go back:\n%s", h.screen())
	}
}

// TestRegistryNarrow: at 48 columns the dates and weeks go, the words stay.
func TestRegistryNarrow(t *testing.T) {
	h := newHarness(t, 48, 12)
	registryPeople(h)
	h.press("R")
	_, l := lineOf(h, "Ben Short")
	if !strings.Contains(l, "not on track") || !strings.Contains(l, "−45%") || strings.Contains(l, "wk") {
		t.Errorf("narrow line: %q\n%s", l, h.screen())
	}
	h.press("down", "down", "down", "down", "down", "down", "down")
	if _, l := lineOf(h, "Dee Below"); !strings.HasPrefix(l, "> ") {
		t.Errorf("the cursor did not scroll to the last: %q\n%s", l, h.screen())
	}
}

// TestRegistryWeeksFromSettings: target_weeks moves who is not on track.
func TestRegistryWeeksFromSettings(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.c.TargetWeeks = 12
	registryPeople(h)
	h.press("R")
	h.wantScreen("after 12 weeks")
	if _, l := lineOf(h, "Ben Short"); !strings.HasSuffix(strings.TrimRight(l, " "), "early") {
		t.Errorf("Ben at 10 of 12 weeks: %q", l)
	}
}

// More people than one read: the screen reads on as the cursor nears the
// end, each page after the last line, and coming back keeps the place.
func TestRegistryReadsOn(t *testing.T) {
	h := newHarness(t, 80, 24)
	ctx := context.Background()
	n := registryLimit*2 + 50
	for i := range n {
		id := h.addPerson(coaching.Person{Name: fmt.Sprintf("Person %03d", i)})
		// The longest in care first: person 0 is first, person n-1 last.
		rec := storage.MeasureRecord{PersonID: id, Instrument: string(measures.PHQ9), Complete: true, Scored: true, Total: 15, Closing: -1}
		if _, err := h.store.SaveMeasure(ctx, rec, h.now.Add(-time.Duration(n-i)*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	h.press("R")
	h.wantScreen("Person 000")
	for range n/20 + 5 {
		h.press("pgdown")
	}
	h.wantScreen(fmt.Sprintf("Person %03d", n-1))
	if _, l := lineOf(h, fmt.Sprintf("Person %03d", n-1)); !strings.HasPrefix(l, "> ") {
		t.Errorf("the cursor is not on the last person: %q", l)
	}
	// Every person once, in order, as read.
	s := h.app.(App).top().(*registryScreen)
	if len(s.lines) != n {
		t.Fatalf("%d lines read, want %d", len(s.lines), n)
	}
	for i, l := range s.lines {
		if want := fmt.Sprintf("Person %03d", i); l.name != want {
			t.Fatalf("line %d is %s, want %s", i, l.name, want)
		}
	}
	h.press("enter")
	h.wantScreen(fmt.Sprintf("Person %03d", n-1))
	h.press("esc")
	h.wantScreen("Registry · PHQ-9", fmt.Sprintf("Person %03d", n-1))
}
