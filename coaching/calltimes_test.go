package coaching

import (
	"testing"
	"time"
)

// at is a time on the person's own clock: Monday 30 Nov 2026 is a Monday.
func at(weekday time.Weekday, hhmm string) time.Time {
	t, err := time.Parse("15:04", hhmm)
	if err != nil {
		panic(err)
	}
	d := 30 + int(weekday-time.Monday+7)%7
	return time.Date(2026, 11, d, t.Hour(), t.Minute(), 0, 0, time.UTC)
}

func TestParseCallTimes(t *testing.T) {
	mon, wed, sat := time.Monday, time.Wednesday, time.Saturday
	type when struct {
		day   time.Weekday
		clock string
		suits bool
	}
	cases := []struct {
		words string
		ok    bool
		at    []when
	}{
		{"weekday mornings before 11", true, []when{{mon, "08:00", true}, {mon, "10:59", true}, {mon, "11:00", false}, {mon, "07:59", false}, {sat, "09:00", false}}},
		{"afternoons; not Wednesdays (rehab class)", true, []when{{mon, "12:00", true}, {mon, "16:59", true}, {mon, "17:00", false}, {wed, "14:00", false}, {sat, "13:00", true}}},
		{"after 6pm", true, []when{{mon, "18:00", true}, {mon, "17:59", false}, {sat, "23:00", true}}},
		{"after 6", true, []when{{mon, "18:00", true}, {mon, "07:00", false}}},
		{"any weekday", true, []when{{mon, "03:00", true}, {sat, "12:00", false}}},
		{"late mornings", true, []when{{mon, "10:00", true}, {mon, "09:59", false}, {mon, "12:00", false}}},
		{"evenings his time", true, []when{{mon, "17:00", true}, {mon, "20:59", true}, {mon, "21:00", false}}},
		{"lunch time", true, []when{{mon, "12:15", true}, {mon, "07:15", false}, {mon, "14:00", false}}},
		{"Tue/Thu 9-11am", true, []when{{time.Tuesday, "09:30", true}, {time.Thursday, "10:59", true}, {mon, "09:30", false}, {time.Tuesday, "11:00", false}}},
		{"between 2 and 4", true, []when{{mon, "14:00", true}, {mon, "15:59", true}, {mon, "16:00", false}, {mon, "02:30", false}}},
		{"from 9:30 to 12:00", true, []when{{mon, "09:30", true}, {mon, "09:29", false}, {mon, "11:59", true}}},
		{"weekdays except Fridays", true, []when{{mon, "10:00", true}, {time.Friday, "10:00", false}, {sat, "10:00", false}}},
		{"weekdays but not before 10", true, []when{{mon, "09:00", false}, {mon, "10:00", true}, {sat, "11:00", false}}},
		{"mornings or evenings", true, []when{{mon, "09:00", true}, {mon, "14:00", false}, {mon, "19:00", true}}},
		{"any time", true, []when{{mon, "03:00", true}, {sat, "23:59", true}}},
		{"not Wednesdays", true, []when{{mon, "03:00", true}, {wed, "12:00", false}}},
		{"Saturday 10am–noon", true, []when{{sat, "11:00", true}, {sat, "12:00", false}, {mon, "11:00", false}}},
		// Words it does not follow: it says it cannot tell, never guesses.
		{"when the kids are at school", false, nil},
		{"ring after her dialysis", false, nil},
		{"", false, nil},
		{"prefers short calls", false, nil},
		{"mornings after 6pm", false, nil},
		{"before 25", false, nil},
		{"9", false, nil},
		{"13pm", false, nil},
	}
	for _, tc := range cases {
		ct, ok := ParseCallTimes(tc.words)
		if ok != tc.ok {
			t.Errorf("ParseCallTimes(%q) ok = %v, want %v (%+v)", tc.words, ok, tc.ok, ct)
			continue
		}
		for _, w := range tc.at {
			if got := ct.Suits(at(w.day, w.clock)); got != w.suits {
				t.Errorf("%q at %v %s: suits = %v, want %v", tc.words, w.day, w.clock, got, w.suits)
			}
		}
	}
}

func TestClockMinutes(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
		ok   bool
	}{
		{"11", 11 * 60, true}, {"6", 18 * 60, true}, {"7", 19 * 60, true}, {"8", 8 * 60, true}, {"12", 12 * 60, true},
		{"6am", 6 * 60, true}, {"12am", 0, true}, {"12pm", 12 * 60, true}, {"9:30am", 9*60 + 30, true},
		{"18:00", 18 * 60, true}, {"06:00", 6 * 60, true}, {"noon", 12 * 60, true},
		{"13pm", 0, false}, {"0am", 0, false}, {"25", 0, false}, {"9:7", 0, false}, {"9:75", 0, false}, {"x", 0, false}, {"123", 0, false},
	} {
		got, ok := clockMinutes(tc.in)
		if ok != tc.ok || ok && got != tc.want {
			t.Errorf("clockMinutes(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// FuzzParseCallTimes: any words, however odd, are read or refused, never
// a panic, and whatever is read answers for every minute of the week.
func FuzzParseCallTimes(f *testing.F) {
	for _, s := range []string{"weekday mornings before 11", "9-11am", "not (wed)", "between 2 and", "after", "early", "—", "12:60pm"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ct, ok := ParseCallTimes(s)
		if !ok {
			return
		}
		for m := 0; m < 7*day; m += 97 {
			ct.Suits(at(time.Monday, "00:00").Add(time.Duration(m) * time.Minute))
		}
	})
}
