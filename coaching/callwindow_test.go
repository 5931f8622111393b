package coaching

import (
	"strings"
	"testing"
	"time"
)

// clockAt is "Mon 12:00" on the person's own clock, in the week of
// Monday 30 Nov 2026 (see at in calltimes_test.go).
func clockAt(t *testing.T, s string) time.Time {
	t.Helper()
	day, hhmm, _ := strings.Cut(s, " ")
	wd, ok := weekdays()[strings.ToLower(day)]
	if !ok {
		t.Fatalf("bad day in %q", s)
	}
	return at(wd, hhmm)
}

func TestParseCallWindow(t *testing.T) {
	tests := []struct {
		in      string
		want    string   // the checked form
		inside  []string // on their clock
		outside []string
		wantErr string // a part of the refusal
	}{
		// The examples.
		{in: "weekdays 12:00-14:00", want: "weekdays 12:00-14:00", inside: []string{"Mon 12:00", "Fri 13:59"}, outside: []string{"Mon 11:59", "Mon 14:00", "Sat 12:30", "Sun 13:00"}},
		{in: "sat morning", want: "sat morning", inside: []string{"Sat 08:00", "Sat 11:59"}, outside: []string{"Sat 07:59", "Sat 12:00", "Sun 09:00", "Fri 09:00"}},
		{in: "not before 10", want: "not before 10:00", inside: []string{"Mon 10:00", "Sun 23:59", "Sat 14:00"}, outside: []string{"Mon 09:59", "Sat 00:00", "Wed 03:00"}},
		{in: "mon-fri 9-11, sat 10:00-12:00", want: "weekdays 09:00-11:00, sat 10:00-12:00", inside: []string{"Mon 09:00", "Thu 10:30", "Sat 11:59"}, outside: []string{"Mon 11:00", "Sat 09:30", "Sun 10:00"}},
		{in: "22:00-01:00", want: "22:00-01:00", inside: []string{"Mon 22:00", "Tue 00:59", "Sun 23:30", "Mon 00:30"}, outside: []string{"Mon 01:00", "Mon 21:59", "Wed 12:00"}},
		// Over midnight, the night belongs to the day it starts on.
		{in: "fri 22:00-01:00", want: "fri 22:00-01:00", inside: []string{"Fri 23:00", "Sat 00:30"}, outside: []string{"Fri 00:30", "Sun 00:30", "Sat 22:30"}},
		{in: "sat 23:00-00:30", want: "sat 23:00-00:30", inside: []string{"Sat 23:30", "Sun 00:15"}, outside: []string{"Sun 00:30", "Sat 00:15"}},
		{in: "22:00-00:00", want: "22:00-00:00", inside: []string{"Mon 23:59"}, outside: []string{"Tue 00:00"}},
		{in: "10:00-24:00", want: "10:00-00:00", inside: []string{"Mon 23:59"}, outside: []string{"Tue 00:00", "Mon 09:59"}},
		// Periods, with ParseCallTimes's meanings.
		{in: "lunch time", want: "lunch time", inside: []string{"Mon 12:00", "Sun 13:59"}, outside: []string{"Mon 11:59", "Mon 14:00"}},
		{in: "lunchtimes", want: "lunch time", inside: []string{"Tue 12:30"}},
		{in: "weekday mornings", want: "weekdays morning", inside: []string{"Mon 08:00"}, outside: []string{"Sat 09:00", "Mon 12:00"}},
		{in: "afternoons; not wednesdays", want: "afternoon, not wed", inside: []string{"Mon 12:00", "Sat 16:59"}, outside: []string{"Wed 14:00", "Mon 17:00"}},
		{in: "evenings", want: "evening", inside: []string{"Mon 17:00", "Mon 20:59"}, outside: []string{"Mon 21:00"}},
		// am and pm, and an end's am or pm lent to a bare start.
		{in: "2-4pm", want: "14:00-16:00", inside: []string{"Mon 14:00"}, outside: []string{"Mon 02:00", "Mon 16:00"}},
		{in: "11-1pm", want: "11:00-13:00"},
		{in: "8-10pm", want: "20:00-22:00", outside: []string{"Mon 08:00"}},
		{in: "9 am to 11:30 a.m.", want: "09:00-11:30"},
		{in: "noon-2pm", want: "12:00-14:00"},
		{in: "tue/thu 2-4pm", want: "tue/thu 14:00-16:00", inside: []string{"Thu 15:00"}, outside: []string{"Thu 02:00", "Wed 15:00"}},
		{in: "12am-6am", want: "00:00-06:00"},
		{in: "10pm-1am", want: "22:00-01:00"},
		// Days.
		{in: "tue/thu 9-11am", want: "tue/thu 09:00-11:00", inside: []string{"Tue 09:00", "Thu 10:59"}, outside: []string{"Wed 10:00"}},
		{in: "tue and thu lunch time", want: "tue/thu lunch time"},
		{in: "Mondays and Wednesdays 18:00 – 20:00", want: "mon/wed 18:00-20:00"},
		{in: "fri-mon evening", want: "mon/fri-sun evening", inside: []string{"Sun 18:00", "Mon 18:00"}, outside: []string{"Tue 18:00"}},
		{in: "mon-wed/fri after 18:00", want: "mon-wed/fri after 18:00", inside: []string{"Fri 18:00"}, outside: []string{"Thu 19:00"}},
		{in: "daily 9-17", want: "daily 09:00-17:00"},
		{in: "every day before 11", want: "daily before 11:00", inside: []string{"Sun 00:00"}, outside: []string{"Sun 11:00"}},
		{in: "weekends", want: "weekends all day", inside: []string{"Sat 03:00"}, outside: []string{"Fri 23:59"}},
		{in: "weekdays, not fri", want: "weekdays all day, not fri", inside: []string{"Thu 23:59"}, outside: []string{"Fri 12:00", "Sat 12:00"}},
		{in: "sat all day, mon 10-12", want: "sat all day, mon 10:00-12:00", inside: []string{"Sat 03:00", "Mon 10:00"}, outside: []string{"Mon 12:00"}},
		{in: "not wed", want: "not wed", inside: []string{"Tue 23:59", "Thu 00:00"}, outside: []string{"Wed 12:00"}},
		{in: "not wed afternoon, not before 10", want: "not wed afternoon, not before 10:00", inside: []string{"Wed 10:00", "Wed 17:00"}, outside: []string{"Wed 12:00", "Mon 09:00"}},
		{in: "any time", want: "any time", inside: []string{"Mon 03:00", "Sat 23:59"}},
		{in: "  Sat   Morning ;", want: "sat morning"},
		{in: "", want: ""},
		{in: "   ", want: ""},

		// Refusals: each says what is wrong and gives examples.
		{in: "3-5", wantErr: `"15:00-17:00" (3pm-5pm) or "03:00-05:00" (3am-5am)`},
		{in: "7-9", wantErr: `"19:00-21:00" (7pm-9pm) or "07:00-09:00" (7am-9am)`},
		{in: "10-2", wantErr: `"10:00-14:00" (10am-2pm)`},
		{in: "after 6", wantErr: `"6" could be 06:00 or 18:00; e.g. 18:00 or 6pm`},
		{in: "before 0", wantErr: "unclear"},
		{in: "23-8", wantErr: `would run over midnight; if that is meant, write both as times; e.g. "23:00-08:00"`},
		{in: "14:00-13:00", wantErr: `runs over midnight for 23 hours; check the start and the end are not swapped; e.g. "13:00-14:00"`},
		{in: "10:00-10:00", wantErr: "starts and ends at the same time"},
		{in: "25:00-26:00", wantErr: `"26:00" is not a time of day`},
		{in: "10:75-11:00", wantErr: `"10:75" is not a time of day`},
		{in: "13pm-2pm", wantErr: "with am or pm the hour is 1 to 12"},
		{in: "9:00:00-11:00", wantErr: "not a time of day"},
		{in: "after 24:00", wantErr: "not a time of day"},
		{in: "mon, wed 10-12", wantErr: `is mon all day, or 10:00-12:00 too?; e.g. "mon all day, wed 10:00-12:00" or "mon/wed 10:00-12:00"`},
		{in: "sat, 10-12", wantErr: `"sat all day, 10:00-12:00" or "daily 10:00-12:00"`},
		{in: "mornings after 6pm", wantErr: "two times in one part"},
		{in: "early morning", wantErr: "give the hours"},
		{in: "tomorrow 10:00", wantErr: `"tomorrow" is not a day or a time of day`},
		{in: "when the kids are at school", wantErr: "is not a day or a time of day"},
		{in: "mon 10", wantErr: "a moment, not a window"},
		{in: "9-11 mon", wantErr: "the days come after the times; put them first"},
		{in: "sat any time", wantErr: `say "all day"`},
		{in: "mon-", wantErr: "needs a day or a time on each side"},
		{in: "tue/", wantErr: "needs a day or a time on each side"},
		{in: "mon-xyz", wantErr: `"xyz" is not a day`},
		{in: "mon/noon", wantErr: `"noon" should be a day after "/"`},
		{in: "before", wantErr: "needs a time after it"},
		{in: "9-", wantErr: "needs an end time"},
		{in: "not", wantErr: "says nothing"},
		{in: "not any time", wantErr: "leaves no time to call"},
		{in: "mon 10-12, not mon", wantErr: "leaves no time at all to call"},
		{in: "(lunch)", wantErr: "has a bracket in it"},
		{in: "9.30-11", wantErr: "has a full stop"},
		{in: ",;,", wantErr: "has no days or times in it"},
		{in: "\x1b[31m", wantErr: `"\x1b[31m"`},
	}
	for _, tc := range tests {
		w, err := ParseCallWindow(tc.in, nil)
		if tc.wantErr != "" {
			switch {
			case err == nil:
				t.Errorf("ParseCallWindow(%q) = %q, want a refusal with %q", tc.in, w, tc.wantErr)
			case !strings.Contains(err.Error(), tc.wantErr):
				t.Errorf("ParseCallWindow(%q) refused with %q, want it to contain %q", tc.in, err, tc.wantErr)
			case !strings.Contains(err.Error(), "e.g. "):
				t.Errorf("ParseCallWindow(%q) refused with %q: no example", tc.in, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseCallWindow(%q): %v", tc.in, err)
			continue
		}
		if w.String() != tc.want {
			t.Errorf("ParseCallWindow(%q) = %q, want %q", tc.in, w, tc.want)
		}
		wantKind := CheckedWindow
		if tc.want == "" {
			wantKind = NoWindow
		}
		if w.Kind() != wantKind || w.Understood() != (wantKind == CheckedWindow) {
			t.Errorf("ParseCallWindow(%q) kind %v, understood %v; want %v", tc.in, w.Kind(), w.Understood(), wantKind)
		}
		for _, c := range tc.inside {
			if !w.Contains(clockAt(t, c)) {
				t.Errorf("%q: %s should be inside", tc.in, c)
			}
		}
		for _, c := range tc.outside {
			if w.Contains(clockAt(t, c)) {
				t.Errorf("%q: %s should be outside", tc.in, c)
			}
		}
		// The checked form reads back to the same window.
		again, err := ParseCallWindow(w.String(), nil)
		if err != nil || again.String() != w.String() || !sameWeek(again, w) {
			t.Errorf("%q: its checked form %q reads back as %q, %v", tc.in, w, again, err)
		}
	}
}

func sameWeek(a, b CallWindow) bool {
	if a.week == nil || b.week == nil {
		return a.week == b.week
	}
	return *a.week == *b.week
}

func TestReadCallWindow(t *testing.T) {
	london := mustLoad(t, "Europe/London")
	tests := []struct {
		in     string
		kind   WindowKind
		text   string
		inside string // "" to skip
	}{
		{"", NoWindow, "", ""},
		{"weekdays 12:00-14:00", CheckedWindow, "weekdays 12:00-14:00", "Tue 12:00"},
		{" Sat Morning ", CheckedWindow, "sat morning", "Sat 09:00"},
		// Free text typed before the checked form: read leniently.
		{"weekday mornings before 11", ReadFromWords, "weekday mornings before 11", "Mon 10:59"},
		{"after 6", ReadFromWords, "after 6", "Mon 18:00"},
		{"afternoons (not Wednesdays: rehab)", ReadFromWords, "afternoons (not Wednesdays: rehab)", "Wed 14:00"},
		{"ring after her dialysis", FreeText, "ring after her dialysis", ""},
		{"mornings after 6pm", FreeText, "mornings after 6pm", ""},
	}
	for _, tc := range tests {
		w := ReadCallWindow(tc.in, london)
		if w.Kind() != tc.kind || w.String() != tc.text {
			t.Errorf("ReadCallWindow(%q) = %v %q, want %v %q", tc.in, w.Kind(), w, tc.kind, tc.text)
		}
		if w.Location() != london {
			t.Errorf("ReadCallWindow(%q) is in %v, want London", tc.in, w.Location())
		}
		if w.Understood() != (tc.kind == CheckedWindow || tc.kind == ReadFromWords) {
			t.Errorf("ReadCallWindow(%q).Understood() = %v", tc.in, w.Understood())
		}
		if tc.inside != "" {
			// clockAt is UTC; London in late November is on UTC too.
			if !w.Contains(clockAt(t, tc.inside)) {
				t.Errorf("ReadCallWindow(%q): %s should be inside", tc.in, tc.inside)
			}
		}
	}
}

// TestCheckedAgreesWithWords: stored words the checked form also reads
// mean the same minutes either way, so reading them strictly first
// changes no one's window.
func TestCheckedAgreesWithWords(t *testing.T) {
	for _, s := range []string{
		"lunch time", "weekday mornings", "sat morning", "evenings", "not wed", "weekdays, not fri",
		"afternoons; not Wednesdays", "9-11", "mon 9 to 11", "tue/thu 9-11am", "any time", "before 11",
		"after 18:00", "after 8", "2-4pm", "11-1pm", "12am-6am", "weekends", "sat 10am-12pm",
	} {
		strict, err := ParseCallWindow(s, nil)
		if err != nil {
			t.Errorf("ParseCallWindow(%q): %v", s, err)
			continue
		}
		ct, ok := ParseCallTimes(s)
		if !ok {
			t.Errorf("ParseCallTimes(%q) does not read it", s)
			continue
		}
		if *ct.week() != *strict.week {
			t.Errorf("%q: the checked form and ParseCallTimes disagree", s)
		}
	}
	// The one known difference (docs/queue.md): the lenient reader takes
	// "8-10pm" as 08:00-22:00; stored, it is read by the checked form.
	w := ReadCallWindow("8-10pm", nil)
	if w.Kind() != CheckedWindow || w.String() != "20:00-22:00" {
		t.Errorf("ReadCallWindow(8-10pm) = %v %q", w.Kind(), w)
	}
}

func TestCallWindowNoWindow(t *testing.T) {
	now := time.Date(2026, 11, 30, 3, 37, 0, 0, time.UTC)
	for _, w := range []CallWindow{{}, ReadCallWindow("", nil), ReadCallWindow("ring after her dialysis", nil)} {
		if w.Understood() || w.Contains(now) || w.State(now) != WindowUnknown || w.Describe(now, time.UTC) != "" {
			t.Errorf("%v %q: understood %v, contains %v, state %v, describe %q", w.Kind(), w, w.Understood(), w.Contains(now), w.State(now), w.Describe(now, time.UTC))
		}
		if _, ok := w.Next(now); ok {
			t.Errorf("%v %q: Next found an instant", w.Kind(), w)
		}
	}
	if (CallWindow{}).Location() != time.UTC {
		t.Error("the zero window is not in UTC")
	}
}

// TestCallWindowZones: windows on the person's clock, seen from another
// zone, on the days the clocks change.
func TestCallWindowZones(t *testing.T) {
	london := mustLoad(t, "Europe/London")
	newYork := mustLoad(t, "America/New_York")
	lordHowe := mustLoad(t, "Australia/Lord_Howe")
	utc := func(s string) time.Time {
		t.Helper()
		v, err := time.Parse("2006-01-02 15:04", s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		name     string
		window   string
		loc      *time.Location
		coach    *time.Location
		now      string // UTC
		state    WindowState
		next     string // UTC; the instant Next gives
		closes   string // UTC; "" when not asked
		describe string
	}{
		// A London lunch window seen from New York. The US moves its clocks
		// on 8 March, the UK on 29 March: for three weeks the two are four
		// hours apart, not five.
		{"before either change: 07:30 in New York is 12:30 in London", "weekdays 12:00-14:00", london, newYork,
			"2026-03-06 12:30", InsideWindow, "2026-03-06 12:30", "2026-03-06 14:00", "inside their window until 14:00 their time (09:00 yours)"},
		{"US changed, UK not: 07:30 in New York is 11:30 in London", "weekdays 12:00-14:00", london, newYork,
			"2026-03-09 11:30", OutsideWindow, "2026-03-09 12:00", "", "outside: next window 12:00 their time (08:00 yours)"},
		{"the weekend of the UK change: the window opens Monday at 12:00 BST", "weekdays 12:00-14:00", london, newYork,
			"2026-03-28 12:00", OutsideWindow, "2026-03-30 11:00", "", "outside: next window Mon 12:00 their time (Mon 07:00 yours)"},
		{"both changed: five hours apart again", "weekdays 12:00-14:00", london, newYork,
			"2026-03-30 11:30", InsideWindow, "2026-03-30 11:30", "2026-03-30 13:00", "inside their window until 14:00 their time (09:00 yours)"},
		{"autumn, UK back first: four hours apart", "weekdays 12:00-14:00", london, newYork,
			"2026-10-23 15:00", OutsideWindow, "2026-10-26 12:00", "", "outside: next window Mon 12:00 their time (Mon 08:00 yours)"},
		{"autumn, US back too: five hours", "weekdays 12:00-14:00", london, newYork,
			"2026-10-30 15:00", OutsideWindow, "2026-11-02 12:00", "", "outside: next window Mon 12:00 their time (Mon 07:00 yours)"},

		// A window over the hour the clocks skip: on 29 March London has no
		// 01:00-02:00, so the window opens at 02:00 BST and lasts an hour.
		{"London spring: opens when the clocks jump", "sun 01:00-03:00", london, london,
			"2026-03-28 23:00", OutsideWindow, "2026-03-29 01:00", "2026-03-29 02:00", "outside: next window Sun 02:00 their time"},
		// On 25 October 01:00-02:00 happens twice: the window lasts three hours.
		{"London autumn: the repeated hour is inside twice", "sun 01:00-03:00", london, london,
			"2026-10-24 22:00", OutsideWindow, "2026-10-25 00:00", "2026-10-25 03:00", "outside: next window Sun 01:00 their time"},
		{"London autumn: a short window comes round again after the clocks go back", "sun 01:30-01:45", london, london,
			"2026-10-25 00:50", OutsideWindow, "2026-10-25 01:30", "", "outside: next window 01:30 their time"},
		{"London autumn: the first time", "sun 01:30-01:45", london, london,
			"2026-10-25 00:00", OutsideWindow, "2026-10-25 00:30", "", "outside: next window 01:30 their time"},

		// Lord Howe moves its clocks by half an hour. On 4 October 2026
		// 02:00-02:29 is skipped; on 5 April 01:30-01:59 happens twice.
		{"Lord Howe spring: the window opens at 02:30", "sun 02:00-03:00", lordHowe, lordHowe,
			"2026-10-03 12:00", OutsideWindow, "2026-10-03 15:30", "2026-10-03 16:00", "outside: next window Sun 02:30 their time"},
		{"Lord Howe autumn: the repeated half hour is inside twice", "sun 01:30-02:00", lordHowe, lordHowe,
			"2026-04-04 12:00", OutsideWindow, "2026-04-04 14:30", "2026-04-04 15:30", "outside: next window Sun 01:30 their time"},
		{"Lord Howe seen from London, across its change", "weekdays 09:00-10:00", lordHowe, london,
			"2026-10-01 23:30", OutsideWindow, "2026-10-04 22:00", "", "outside: next window Mon 09:00 their time (Sun 23:00 yours)"},
		{"Lord Howe seen from London: inside, its morning is the coach's night", "weekdays 09:00-10:00", lordHowe, london,
			"2026-10-04 22:30", InsideWindow, "2026-10-04 22:30", "2026-10-04 23:00", "inside their window until 10:00 their time (Mon 00:00 yours)"},

		// Over midnight, across zones.
		{"a New York night window seen from London", "22:00-01:00", newYork, london,
			"2026-11-24 05:30", InsideWindow, "2026-11-24 05:30", "2026-11-24 06:00", "inside their window until 01:00 their time (06:00 yours)"},
		{"a New York night window, just closed", "22:00-01:00", newYork, london,
			"2026-11-24 06:00", OutsideWindow, "2026-11-25 03:00", "", "outside: next window 22:00 their time (Wed 03:00 yours)"},
		{"any time never closes", "any time", newYork, london,
			"2026-11-24 06:00", InsideWindow, "2026-11-24 06:00", "", "inside their window"},
		{"same clocks: no second time", "weekdays 12:00-14:00", london, london,
			"2026-11-24 09:00", OutsideWindow, "2026-11-24 12:00", "", "outside: next window 12:00 their time"},
	}
	for _, tc := range tests {
		w, err := ParseCallWindow(tc.window, tc.loc)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		now := utc(tc.now)
		if got := w.State(now); got != tc.state {
			t.Errorf("%s: state %v, want %v", tc.name, got, tc.state)
		}
		next, ok := w.Next(now)
		if !ok || !next.Equal(utc(tc.next)) {
			t.Errorf("%s: next %s (%v), want %s UTC", tc.name, next.UTC().Format(time.DateTime), ok, tc.next)
		}
		if ok && next.Location() != tc.loc {
			t.Errorf("%s: next is in %v, want the person's zone", tc.name, next.Location())
		}
		if tc.closes != "" {
			end, ok := w.Closes(next)
			if !ok || !end.Equal(utc(tc.closes)) {
				t.Errorf("%s: closes %s (%v), want %s UTC", tc.name, end.UTC().Format(time.DateTime), ok, tc.closes)
			}
		}
		if got := w.Describe(now, tc.coach); got != tc.describe {
			t.Errorf("%s: describe %q, want %q", tc.name, got, tc.describe)
		}
	}
}

// TestCallWindowNextBruteForce: Next and Closes agree with a search minute
// by minute, around each clock change of 2026 in three zones.
func TestCallWindowNextBruteForce(t *testing.T) {
	if testing.Short() {
		t.Skip("minute-by-minute search")
	}
	zones := map[string][]string{
		"Europe/London":       {"2026-03-29 01:00", "2026-10-25 01:00"},
		"America/New_York":    {"2026-03-08 07:00", "2026-11-01 06:00"},
		"Australia/Lord_Howe": {"2026-04-04 15:00", "2026-10-03 15:30"},
	}
	windows := []string{"sun 01:00-03:00", "sun 01:30-02:15", "sat 23:00-02:30", "02:00-02:30", "not sun 01:00-04:00", "weekdays 12:00-14:00"}
	search := func(w CallWindow, t time.Time, want bool) time.Time {
		if w.Contains(t) == want {
			return t
		}
		u := t.Truncate(time.Minute).Add(time.Minute)
		for w.Contains(u) != want {
			u = u.Add(time.Minute)
		}
		return u
	}
	for name, changes := range zones {
		loc := mustLoad(t, name)
		for _, text := range windows {
			w, err := ParseCallWindow(text, loc)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range changes {
				change, _ := time.Parse("2006-01-02 15:04", c)
				for d := -26 * time.Hour; d <= 4*time.Hour; d += 61 * time.Minute {
					from := change.Add(d + 17*time.Second)
					next, ok := w.Next(from)
					if want := search(w, from, true); !ok || !next.Equal(want) {
						t.Errorf("%s %q from %s: next %s, search finds %s", name, text, from.UTC(), next.UTC(), want.UTC())
						continue
					}
					end, ok := w.Closes(next)
					if want := search(w, next, false); !ok || !end.Equal(want) {
						t.Errorf("%s %q from %s: closes %s, search finds %s", name, text, next.UTC(), end.UTC(), want.UTC())
					}
				}
			}
		}
	}
}

// FuzzParseCallWindow: any text is read or refused, never a panic; a
// refusal gives examples; a window read comes back the same from its
// checked form, and Next lands inside it, never before the time asked.
func FuzzParseCallWindow(f *testing.F) {
	for _, s := range []string{"weekdays 12:00-14:00", "sat morning", "not before 10", "mon-fri 9-11, sat 10:00-12:00", "22:00-01:00",
		"2-4pm", "mon, wed 10-12", "not", "-", "/", "mon-", "12:60pm", "sat 23:00-00:30", "fri-mon evening", "any time", "24:00"} {
		f.Add(s)
	}
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		w, err := ParseCallWindow(s, london)
		if err != nil {
			if !strings.Contains(err.Error(), "; e.g. ") {
				t.Fatalf("ParseCallWindow(%q) refused with no example: %v", s, err)
			}
			return
		}
		again, err := ParseCallWindow(w.String(), london)
		if err != nil || again.String() != w.String() || !sameWeek(w, again) {
			t.Fatalf("ParseCallWindow(%q) = %q, which reads back as %q, %v", s, w, again, err)
		}
		if !w.Understood() {
			return
		}
		for _, from := range []time.Time{
			time.Date(2026, 3, 28, 23, 59, 0, 0, time.UTC),
			time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC),
			time.Date(2026, 11, 30, 12, 0, 30, 0, time.UTC),
		} {
			next, ok := w.Next(from)
			if !ok || next.Before(from) || !w.Contains(next) {
				t.Fatalf("%q from %s: next %s, %v", w, from, next, ok)
			}
		}
	})
}
