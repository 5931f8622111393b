package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"callcoach/coaching"
	"callcoach/coaching/measures"
	"callcoach/storage"
)

// progressPerson stores Ann with blood pressures and weights, two PHQ-9s,
// a plan scored 5 then 8, and three reviews of it.
func progressPerson(h *harness) {
	h.t.Helper()
	ctx := context.Background()
	id := h.addPerson(coaching.Person{Name: "Ann"})
	day := func(month time.Month, d int) time.Time { return time.Date(2026, month, d, 10, 0, 0, 0, time.UTC) }
	for _, r := range []coaching.Reading{
		{Kind: coaching.ReadingBP, Value: 132, Value2: 84, Unit: "mmHg", Entered: "132/84", TakenAt: day(10, 3)},
		{Kind: coaching.ReadingBP, Value: 135, Value2: 86, Unit: "mmHg", Entered: "135/86", TakenAt: day(10, 20)},
		{Kind: coaching.ReadingBP, Value: 128, Value2: 80, Unit: "mmHg", Entered: "128/80", TakenAt: day(11, 20)},
		{Kind: coaching.ReadingWeight, Value: 81.6, Unit: "kg", Entered: "81.6 kg", TakenAt: day(10, 5)},
		{Kind: coaching.ReadingWeight, Value: 80.4, Unit: "kg", Entered: "80.4 kg", TakenAt: day(11, 19)},
	} {
		r.PersonID = id
		if _, err := h.store.AddReading(ctx, r, r.TakenAt); err != nil {
			h.t.Fatal(err)
		}
	}
	for i, answers := range [][]int{{2, 2, 2, 2, 2, 1, 1, 1, 1}, {1, 1, 1, 1, 1, 1, 1, 1, 1}} {
		total := 0
		for _, a := range answers {
			total += a
		}
		inst, _ := measures.Get(measures.PHQ9)
		rec := storage.MeasureRecord{PersonID: id, Instrument: string(measures.PHQ9), Answers: answers, Complete: true,
			Scored: true, Total: float64(total), Band: inst.BandOf(total), Closing: -1}
		if _, err := h.store.SaveMeasure(ctx, rec, day(10, 3+30*i)); err != nil {
			h.t.Fatal(err)
		}
	}
	plan := coaching.ActionPlan{PersonID: id, Behaviour: coaching.BehaviourActivity, What: "walk after lunch",
		Confidence: coaching.NoScore, Status: coaching.PlanActive}
	planID, _, err := h.store.CommitPlan(ctx, plan, []int{5, 8}, nil, day(10, 3))
	if err != nil {
		h.t.Fatal(err)
	}
	for i, o := range []coaching.PlanStatus{coaching.PlanNotDone, coaching.PlanPartly, coaching.PlanDone} {
		if err := h.store.ReviewPlan(ctx, coaching.PlanReview{PlanID: planID, Outcome: o}, day(10, 10+7*i)); err != nil {
			h.t.Fatal(err)
		}
	}
	h.refresh()
}

// chartFits holds every line of the screen to its width.
func chartFits(h *harness) {
	h.t.Helper()
	for i, l := range strings.Split(h.screen(), "\n") {
		if w := ansi.StringWidth(l); w > h.w {
			h.t.Fatalf("line %d is %d cells, window %d: %q", i, w, h.w, l)
		}
	}
}

func TestProgressChartsPageThroughReadingsMeasuresConfidenceAndReviews(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {50, 16}} {
		h := newHarness(t, size[0], size[1])
		progressPerson(h)
		h.press("enter", "g")
		h.wantScreen("Progress 1/5: Blood pressure (mmHg)", "132/84 → 128/80, −4/−4 mmHg since 3 Oct",
			"3 Oct 2026", "20 Nov 2026", "128/80 mmHg", "░")
		chartFits(h)
		h.press("right")
		h.wantScreen("Progress 2/5: Weight (kg)", "81.6 → 80.4, −1.2 kg since 5 Oct", "█")
		chartFits(h)
		h.press("right")
		h.wantScreen("Progress 3/5: PHQ-9 total", "14 → 9, −5 since 3 Oct")
		chartFits(h)
		h.press("right")
		h.wantScreen("Progress 4/5: Confidence", "5 → 8, +3 since 3 Oct")
		chartFits(h)
		h.press("right")
		h.wantScreen("Progress 5/5: How the plans went", "✗ ~ ✓", "first not done (10 Oct)", "✓ done (1) · ~ partly done (1)",
			"✓ done · walk after lunch")
		chartFits(h)
		h.press("right")
		h.wantScreen("Progress 1/5")
		h.press("left")
		h.wantScreen("Progress 5/5")
		h.press("g")
		h.dontWantScreen("Progress")
		h.wantScreen("Calls (0)")
	}
}

func TestProgressPagesALongChartAndSaysWhenTooSmall(t *testing.T) {
	h := newHarness(t, 80, 24)
	id := h.addPerson(coaching.Person{Name: "Ann"})
	for i := range 30 {
		at := testStart.AddDate(0, 0, i-40)
		r := coaching.Reading{PersonID: id, Kind: coaching.ReadingMood, Value: float64(i % 11), Unit: "/10", Entered: "x", TakenAt: at}
		if _, err := h.store.AddReading(context.Background(), r, at); err != nil {
			t.Fatal(err)
		}
	}
	h.refresh()
	h.press("enter", "g")
	h.wantScreen("Mood (out of 10)", "of 30", "↑/↓ earlier/later", "7/10")
	last := testStart.AddDate(0, 0, -11).Format("2 Jan 2006")
	first := testStart.AddDate(0, 0, -40).Format("2 Jan 2006")
	h.wantScreen(last)
	h.dontWantScreen(first)
	for range 30 {
		h.press("up")
	}
	h.wantScreen(first, "rows 1–")
	h.dontWantScreen(last)
	h.send(tea.WindowSizeMsg{Width: 30, Height: 10})
	h.wantScreen("Too small: charts need 36×8.")
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	h.wantScreen("Mood (out of 10)")
}

func TestProgressWithNothingToChart(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.addPerson(coaching.Person{Name: "Ann"})
	h.refresh()
	h.press("enter", "g")
	h.wantScreen("Nothing to chart yet")
	h.press("esc")
	h.wantScreen("Calls (0)")
}

// At 80x24 a chart has its line over time above the bars, dated on its
// axis; at 50x16 there is no room for it and the bars stay.
func TestProgressLineOverTime(t *testing.T) {
	h := newHarness(t, 80, 24)
	progressPerson(h)
	h.press("enter", "g")
	h.wantScreen("Progress 1/5: Blood pressure", "┤", "└┬", "3 Oct", "20 Nov", "3 Oct 2026  ░")
	chartFits(h)
	h.press("right", "right")
	h.wantScreen("Progress 3/5: PHQ-9 total", " 27 ┤", " 0 ┤", "14 ┼", "3 Oct", "2 Nov")
	for _, size := range [][2]int{{50, 16}, {50, 20}, {40, 12}} {
		h.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		h.wantScreen("Progress 3/5: PHQ-9 total", "3 Oct 2026", "2 Nov 2026")
		chartFits(h)
	}
}

// resample reads the points at evenly spaced times, joined by straight
// lines: a long gap is a long stretch of the line.
func TestResample(t *testing.T) {
	day := func(d int, v float64) chartPoint {
		return chartPoint{at: time.Date(2026, 10, 1+d, 0, 0, 0, 0, time.UTC), hi: v}
	}
	hi := func(p chartPoint) float64 { return p.hi }
	tests := []struct {
		name string
		pts  []chartPoint
		cols int
		want []float64
	}{
		{"even", []chartPoint{day(0, 0), day(10, 10)}, 11, []float64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
		{"a rise then a long flat", []chartPoint{day(0, 0), day(1, 10), day(10, 10)}, 11, []float64{0, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10}},
		{"three evenly", []chartPoint{day(0, 4), day(2, 0), day(4, 4)}, 5, []float64{4, 2, 0, 2, 4}},
		{"two columns", []chartPoint{day(0, 1), day(3, 2), day(9, 7)}, 2, []float64{1, 7}},
	}
	for _, tt := range tests {
		got := resample(tt.pts, tt.cols, hi)
		if len(got) != len(tt.want) {
			t.Fatalf("%s: %v", tt.name, got)
		}
		for i := range got {
			if d := got[i] - tt.want[i]; d > 1e-9 || d < -1e-9 {
				t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
				break
			}
		}
	}
}
