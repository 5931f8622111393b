package coaching

import (
	"testing"
	"time"
)

func TestWeeklyMITIVerdicts(t *testing.T) {
	tests := []struct {
		name        string
		counts      PracticeCounts
		rq, rqV     string
		pct, pctV   string
		talkPerCall string
	}{
		{"week with no calls", PracticeCounts{}, "—", "no calls", "—", "no calls", "—"},
		{"calls but zero marks", PracticeCounts{Calls: 3, Reached: 2}, "—", "not tallied", "—", "not tallied", "0.0"},
		{"affirmations only", PracticeCounts{Calls: 1, Reached: 1, Tally: Tally{TallyAffirmation: 2}}, "—", "not tallied", "—", "not tallied", "0.0"},
		{"attempts only", PracticeCounts{Calls: 4}, "—", "none reached", "—", "none reached", "—"},
		{"one question", PracticeCounts{Calls: 1, Reached: 1, Tally: Tally{TallyOpenQuestion: 1}}, "0.0", "too few to judge", "—", "—", "0.0"},
		{"one reflection", PracticeCounts{Calls: 1, Reached: 1, Tally: Tally{TallyComplexReflect: 1}}, "—", "—", "100%", "too few to judge", "0.0"},
		{"just below the minimum", PracticeCounts{Calls: 2, Reached: 2, ChangeTalk: 3,
			Tally: Tally{TallyOpenQuestion: 3, TallySimpleReflection: 3, TallyComplexReflect: 3}},
			"2.0", "too few to judge", "50%", "good", "1.5"},
		{"enough, fair", PracticeCounts{Calls: 5, Reached: 4, ChangeTalk: 2,
			Tally: Tally{TallyOpenQuestion: 3, TallyClosedQuestion: 2, TallySimpleReflection: 4, TallyComplexReflect: 2, TallyAffirmation: 9}},
			"1.2", "fair", "33%", "below fair", "0.5"},
		{"enough, good", PracticeCounts{Calls: 9, Reached: 9,
			Tally: Tally{TallyOpenQuestion: 4, TallySimpleReflection: 4, TallyComplexReflect: 4}},
			"2.0", "good", "50%", "good", "0.0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.counts
			if got := c.RQ().FormatRQ(); got != tt.rq {
				t.Errorf("R:Q = %q, want %q", got, tt.rq)
			}
			if got := c.Verdict(c.RQ()); got != tt.rqV {
				t.Errorf("R:Q verdict = %q, want %q", got, tt.rqV)
			}
			if got := c.PercentComplex().FormatPercent(); got != tt.pct {
				t.Errorf("%%CR = %q, want %q", got, tt.pct)
			}
			if got := c.Verdict(c.PercentComplex()); got != tt.pctV {
				t.Errorf("%%CR verdict = %q, want %q", got, tt.pctV)
			}
			if got := c.FormatChangeTalkPerCall(); got != tt.talkPerCall {
				t.Errorf("change talk per call = %q, want %q", got, tt.talkPerCall)
			}
		})
	}
}

// Marks too few in every week can be enough over the period: the totals
// are judged on the sum, not on an average of weekly ratios.
func TestPracticeSumJudgesTheWhole(t *testing.T) {
	loc := time.UTC
	p := NewPractice(time.Date(2026, 11, 2, 0, 0, 0, 0, loc), time.Date(2026, 11, 23, 0, 0, 0, 0, loc), loc)
	if len(p.Weeks) != 3 {
		t.Fatalf("%d weeks, want 3", len(p.Weeks))
	}
	p.Weeks[0].PracticeCounts = PracticeCounts{Calls: 2, Reached: 1, Talked: 10 * time.Minute,
		Tally: Tally{TallyOpenQuestion: 2, TallySimpleReflection: 2, TallyComplexReflect: 2}}
	p.Weeks[2].PracticeCounts = PracticeCounts{Calls: 1, Reached: 1, Talked: 20*time.Minute + 40*time.Second, Plans: 1, PlansConfident: 1,
		Tally: Tally{TallyClosedQuestion: 1, TallySimpleReflection: 2, TallyComplexReflect: 2}}
	p.Sum()
	for i, want := range []string{"too few to judge", "no calls", "too few to judge"} {
		w := p.Weeks[i]
		if got := w.Verdict(w.RQ()); got != want {
			t.Errorf("week %d R:Q verdict = %q, want %q", i, got, want)
		}
	}
	tot := p.Total
	if tot.Calls != 3 || tot.Reached != 2 || tot.Minutes() != 31 || tot.Plans != 1 || tot.PlansConfident != 1 {
		t.Errorf("totals = %+v", tot)
	}
	if got := tot.Verdict(tot.RQ()); got != "good" || tot.RQ().FormatRQ() != "2.7" {
		t.Errorf("total R:Q = %s %q, want 2.7 good", tot.RQ().FormatRQ(), got)
	}
	if got := tot.Verdict(tot.PercentComplex()); got != "good" {
		t.Errorf("total %%CR verdict = %q, want good", got)
	}
}

func TestNewPracticeWeeks(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	tests := []struct {
		name      string
		from, to  time.Time
		starts    []string
		firstFrom string
		lastTo    string
	}{
		{"a Wednesday to a Tuesday", time.Date(2026, 10, 21, 0, 0, 0, 0, london), time.Date(2026, 11, 4, 0, 0, 0, 0, london),
			[]string{"2026-10-19", "2026-10-26", "2026-11-02"}, "2026-10-21 00:00", "2026-11-04 00:00"},
		{"Monday to Monday", time.Date(2026, 11, 2, 0, 0, 0, 0, london), time.Date(2026, 11, 9, 0, 0, 0, 0, london),
			[]string{"2026-11-02"}, "2026-11-02 00:00", "2026-11-09 00:00"},
		{"a Sunday is the end of its week", time.Date(2026, 11, 8, 23, 30, 0, 0, london), time.Date(2026, 11, 9, 0, 30, 0, 0, london),
			[]string{"2026-11-02", "2026-11-09"}, "2026-11-08 23:30", "2026-11-09 00:30"},
		{"empty period", time.Date(2026, 11, 9, 0, 0, 0, 0, london), time.Date(2026, 11, 9, 0, 0, 0, 0, london), nil, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := NewPractice(tt.from, tt.to, london)
			var starts []string
			for _, w := range p.Weeks {
				starts = append(starts, w.Start.Format(time.DateOnly))
				if w.Start.Weekday() != time.Monday || w.Start.Hour() != 0 {
					t.Errorf("week starts %v, not Monday midnight", w.Start)
				}
			}
			if len(starts) != len(tt.starts) {
				t.Fatalf("weeks %v, want %v", starts, tt.starts)
			}
			for i := range starts {
				if starts[i] != tt.starts[i] {
					t.Fatalf("weeks %v, want %v", starts, tt.starts)
				}
			}
			if len(p.Weeks) == 0 {
				return
			}
			if got := p.Weeks[0].From.Format("2006-01-02 15:04"); got != tt.firstFrom {
				t.Errorf("first week from %s, want %s", got, tt.firstFrom)
			}
			if got := p.Weeks[len(p.Weeks)-1].To.Format("2006-01-02 15:04"); got != tt.lastTo {
				t.Errorf("last week to %s, want %s", got, tt.lastTo)
			}
		})
	}
	// The week holding the clocks going back is 169 hours long.
	p := NewPractice(time.Date(2026, 10, 19, 0, 0, 0, 0, london), time.Date(2026, 11, 2, 0, 0, 0, 0, london), london)
	if got := p.Weeks[0].To.Sub(p.Weeks[0].From); got != 169*time.Hour {
		t.Errorf("week of 25 Oct 2026 lasts %v, want 169h", got)
	}
	if i := p.WeekOf(time.Date(2026, 10, 25, 23, 59, 0, 0, london)); i != 0 {
		t.Errorf("Sunday 25 Oct in week %d, want 0", i)
	}
	if i := p.WeekOf(time.Date(2026, 10, 18, 23, 59, 0, 0, london)); i != -1 {
		t.Errorf("the day before the period in week %d, want -1", i)
	}
	if i := p.WeekOf(time.Date(2026, 10, 26, 0, 0, 0, 0, london)); i != 1 {
		t.Errorf("Monday 26 Oct in week %d, want 1", i)
	}
	if i := p.WeekOf(time.Date(2026, 11, 2, 0, 0, 0, 0, london)); i != -1 {
		t.Errorf("the period's end in week %d, want -1", i)
	}
}

func TestConfidentPlans(t *testing.T) {
	tests := []struct {
		name string
		by   map[int]int
		want int
	}{
		{"none", nil, 0},
		{"never scored", map[int]int{-1: 3}, 0},
		{"6 is not enough", map[int]int{6: 2}, 0},
		{"7 is", map[int]int{7: 2, 6: 1}, 2},
		{"the edges", map[int]int{0: 1, 10: 4, -1: 1}, 4},
	}
	for _, tt := range tests {
		if got := ConfidentPlans(tt.by); got != tt.want {
			t.Errorf("%s: ConfidentPlans(%v) = %d, want %d", tt.name, tt.by, got, tt.want)
		}
	}
}

func TestFollowUpKeptOnTime(t *testing.T) {
	loc := time.UTC
	due := time.Date(2026, 11, 24, 9, 0, 0, 0, loc)
	at := func(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, loc) }
	asOf := at(30, 12, 0)
	tests := []struct {
		name   string
		doneAt time.Time
		byCall bool
		asOf   time.Time
		want   FollowUpKept
	}{
		{"called a day early", at(23, 15, 0), true, asOf, FollowUpOnTime},
		{"called on the hour", due, true, asOf, FollowUpOnTime},
		{"called within the grace", at(24, 10, 59), true, asOf, FollowUpOnTime},
		{"called at the end of the grace", at(24, 11, 0), true, asOf, FollowUpOnTime},
		{"called just after the grace", at(24, 11, 1), true, asOf, FollowUpLate},
		{"called the next day", at(25, 8, 0), true, asOf, FollowUpLate},
		{"closed without a call", at(24, 9, 30), false, asOf, FollowUpMissed},
		{"still open and overdue", time.Time{}, false, asOf, FollowUpMissed},
		{"still open, due later today", time.Time{}, false, at(24, 8, 0), FollowUpPending},
		{"still open, within the grace", time.Time{}, false, at(24, 10, 0), FollowUpPending},
		{"done after the report's end", at(25, 8, 0), true, at(24, 10, 0), FollowUpPending},
	}
	for _, tt := range tests {
		f := FollowUp{Due: due, DoneAt: tt.doneAt}
		if tt.byCall {
			f.DoneCallID = 7
		}
		if got := FollowUpKeptOnTime(f, tt.asOf, loc); got != tt.want {
			t.Errorf("%s: got %d, want %d", tt.name, got, tt.want)
		}
	}
	var c PracticeCounts
	for _, k := range []FollowUpKept{FollowUpPending, FollowUpOnTime, FollowUpLate, FollowUpMissed, FollowUpOnTime} {
		c.Count(k)
	}
	if c.FollowUpsDue != 4 || c.FollowUpsOnTime != 2 {
		t.Errorf("counted %d due, %d on time; want 4, 2", c.FollowUpsDue, c.FollowUpsOnTime)
	}
}
