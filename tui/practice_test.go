package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"callcoach/coaching"
)

// practiceCall stores a reached call of mins minutes at start, with marks.
func (h *harness) practiceCall(person int64, start time.Time, mins int, marks map[coaching.TallyKind]int) {
	h.t.Helper()
	ctx := context.Background()
	c, err := h.store.StartCall(ctx, person, coaching.RoleCoach, start)
	if err != nil {
		h.t.Fatal(err)
	}
	for kind, n := range marks {
		for range n {
			if err := h.store.AddTallyMark(ctx, c.ID, kind, start.Add(time.Minute)); err != nil {
				h.t.Fatal(err)
			}
		}
	}
	if err := h.store.EndCall(ctx, c.ID, coaching.OutcomeReached, start.Add(time.Duration(mins)*time.Minute)); err != nil {
		h.t.Fatal(err)
	}
}

func TestPracticeScreen(t *testing.T) {
	h := newHarness(t, 80, 24)
	ann := h.addPerson(coaching.Person{Name: "Annabel Quist"})
	// testStart is Monday 23 Nov: two calls last week, one this week, and
	// one 13 weeks ago, outside the twelve shown.
	h.practiceCall(ann, time.Date(2026, 11, 17, 10, 0, 0, 0, time.UTC), 20, map[coaching.TallyKind]int{
		coaching.TallyOpenQuestion: 4, coaching.TallySimpleReflection: 3, coaching.TallyComplexReflect: 3})
	h.practiceCall(ann, time.Date(2026, 11, 19, 10, 0, 0, 0, time.UTC), 15, map[coaching.TallyKind]int{coaching.TallyClosedQuestion: 1})
	h.practiceCall(ann, time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC), 10, nil)
	h.practiceCall(ann, time.Date(2026, 8, 20, 9, 0, 0, 0, time.UTC), 10, nil)
	h.refresh()

	h.press("P")
	h.wantScreen("My practice", "Mon 7 Sep to Mon 23 Nov 2026, 12 weeks",
		"Calls 3 · reached 3 · 45 min", "R:Q 1.2 (6/5) fair", "%CR 50% (3/6) good",
		"Calls reached each week", "Mon 16 Nov", "█", "esc back")
	h.checkView()
	h.dontWantScreen("Annabel", "Quist")

	h.press("right")
	h.wantScreen("R:Q each week", "1.2 fair", "no calls", "┊")
	h.checkView()
	h.press("right")
	h.wantScreen("%CR each week", "50% good")
	h.press("right")
	h.wantScreen("Week by week", "Talk/call")
	h.checkView()
	h.press("right")
	h.wantScreen("Calls reached each week")
	h.press("left")
	h.wantScreen("Week by week")

	// Small windows: the newest weeks stay, nothing overflows.
	for _, size := range [][2]int{{40, 12}, {20, 6}, {80, 24}} {
		h.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		h.checkView()
	}
	h.send(tea.WindowSizeMsg{Width: 80, Height: 12})
	h.wantScreen("Week of", "Mon 23 Nov", "the last 4 of 12 weeks")
	h.dontWantScreen("Mon 7 Sep     ")
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})

	h.press("esc")
	h.wantScreen("Annabel Quist")
}

// A year of a busy coach still fits 78 columns, and every week is there.
func TestPracticeReportWidth(t *testing.T) {
	from := time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
	p := coaching.NewPractice(from, from.AddDate(1, 0, 0), time.UTC)
	for i := range p.Weeks {
		if i%5 == 0 {
			continue // a week off
		}
		p.Weeks[i].PracticeCounts = coaching.PracticeCounts{Calls: 700, Reached: 420, Talked: 95 * time.Hour, Plans: 420, PlansConfident: 153,
			FollowUpsDue: 423, FollowUpsOnTime: 200, ChangeTalk: 840, Tally: coaching.Tally{coaching.TallyOpenQuestion: 2100,
				coaching.TallyClosedQuestion: 1260, coaching.TallySimpleReflection: 1200, coaching.TallyComplexReflect: 840}}
	}
	p.Sum()
	lines := PracticeReport(p)
	text := strings.Join(lines, "\n")
	for i, l := range lines {
		if w := ansi.StringWidth(l); w > 78 {
			t.Errorf("line %d is %d wide: %q", i, w, l)
		}
	}
	for _, want := range []string{"53 weeks", "All weeks", "no calls", "0.6 below fair", "41%", "85680/141120", "35280/85680", "Calls reached each week", "R:Q each week"} {
		if !strings.Contains(text, want) {
			t.Errorf("the report lacks %q:\n%s", want, text)
		}
	}
}
