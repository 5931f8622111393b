package coaching

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func mustLoad(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("load %s: %v", name, err)
	}
	return loc
}

func TestParseWhen(t *testing.T) {
	london := mustLoad(t, "Europe/London")
	// Monday 23 November 2026, midday, no clock change near.
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, london)
	const layout = "2006-01-02 15:04:05"
	tests := []struct {
		in      string
		want    string // in London, layout above; "" when an error is wanted
		wantErr string // a part of the error's message
	}{
		// ISO, local to the person's zone; no time means DefaultFollowUpHour.
		{in: "2026-11-24", want: "2026-11-24 09:00:00"},
		{in: "2026-11-24 10:00", want: "2026-11-24 10:00:00"},
		{in: "2026-11-24T10:00", want: "2026-11-24 10:00:00"},
		{in: "2026-11-24T10:00:00", want: "2026-11-24 10:00:00"},
		{in: "2026-11-24t10:00:30", want: "2026-11-24 10:00:30"},
		// RFC 3339 names an instant, shown in the person's zone.
		{in: "2026-11-24T10:00:00+11:00", want: "2026-11-23 23:00:00"},
		{in: "2026-11-24T10:00:00Z", want: "2026-11-24 10:00:00"},
		{in: "2026-11-24t10:00:00z", want: "2026-11-24 10:00:00"},
		{in: "2026-11-24T10:00+01:00", want: "2026-11-24 09:00:00"},
		// today, tomorrow, with or without a time, any case and spacing.
		{in: "today 15:00", want: "2026-11-23 15:00:00"},
		{in: "TODAY 3:30PM", want: "2026-11-23 15:30:00"},
		{in: "today 12:00", want: "2026-11-23 12:00:00"}, // now itself is not past
		{in: "  tomorrow  ", want: "2026-11-24 09:00:00"},
		{in: "tomorrow 10:00", want: "2026-11-24 10:00:00"},
		{in: "tomorrow 9:05", want: "2026-11-24 09:05:00"},
		{in: "tomorrow 9am", want: "2026-11-24 09:00:00"},
		{in: "tomorrow at 9 am", want: "2026-11-24 09:00:00"},
		{in: "tomorrow 9 a.m.", want: "2026-11-24 09:00:00"},
		{in: "tomorrow 12pm", want: "2026-11-24 12:00:00"},
		{in: "tomorrow 12am", want: "2026-11-24 00:00:00"},
		{in: "tomorrow 12:30am", want: "2026-11-24 00:30:00"},
		{in: "tomorrow 11:59pm", want: "2026-11-24 23:59:00"},
		{in: "tomorrow 00:00", want: "2026-11-24 00:00:00"},
		{in: "tomorrow 23:59", want: "2026-11-24 23:59:00"},
		// Weekdays: the next one strictly after today (a Monday).
		{in: "tues", want: "2026-11-24 09:00:00"},
		{in: "wed", want: "2026-11-25 09:00:00"},
		{in: "thurs", want: "2026-11-26 09:00:00"},
		{in: "fri", want: "2026-11-27 09:00:00"},
		{in: "Friday 14:00", want: "2026-11-27 14:00:00"},
		{in: "on fri, 10:00", want: "2026-11-27 10:00:00"},
		{in: "next fri", want: "2026-11-27 09:00:00"},
		{in: "sat", want: "2026-11-28 09:00:00"},
		{in: "sunday", want: "2026-11-29 09:00:00"},
		{in: "mon", want: "2026-11-30 09:00:00"}, // typed on a Monday after 09:00: next week (TestWhenWeekdayIsToday)
		{in: "next mon 2pm", want: "2026-11-30 14:00:00"},
		// A time before the day.
		{in: "2pm fri", want: "2026-11-27 14:00:00"},
		{in: "10:00 tomorrow", want: "2026-11-24 10:00:00"},
		// Offsets.
		{in: "+3d", want: "2026-11-26 09:00:00"},
		{in: "+2w", want: "2026-12-07 09:00:00"},
		{in: "+1d 14:00", want: "2026-11-24 14:00:00"},
		{in: "+0d 15:00", want: "2026-11-23 15:00:00"},
		{in: "in 3 days", want: "2026-11-26 09:00:00"},
		{in: "in 2 weeks", want: "2026-12-07 09:00:00"},
		{in: "in a week", want: "2026-11-30 09:00:00"},
		{in: "in 1 day", want: "2026-11-24 09:00:00"},
		{in: "in a week 10am", want: "2026-11-30 10:00:00"},
		{in: "+52w", want: "2027-11-22 09:00:00"},

		// Refusals, each saying why or what works.
		{in: "", wantErr: "nothing typed; try 2026-11-30, tomorrow 10:00"},
		{in: "   ", wantErr: "nothing typed"},
		{in: "next tues-ish", wantErr: `"next tues-ish" is not a date I can read; try 2026-11-30, tomorrow 10:00, fri 14:00, +3d or in 2 weeks`},
		{in: "soon", wantErr: "not a date I can read"},
		{in: "next week", wantErr: "not a date I can read"},
		{in: "tomorrow 10:00 please", wantErr: "not a date I can read"},
		{in: "fri tomorrow", wantErr: "not a date I can read"},
		{in: "+3", wantErr: "not a date I can read"},
		{in: "+3x", wantErr: "not a date I can read"},
		{in: "+1000d", wantErr: "not a date I can read"},
		{in: "in 3 hours", wantErr: "not a date I can read"},
		{in: "10", wantErr: `"10" on its own is unclear; type 10:00, 10am or 10pm`},
		{in: "tomorrow 10", wantErr: "type 10:00, 10am or 10pm"},
		{in: "tomorrow 0", wantErr: "type 00:00"},
		{in: "fri 17", wantErr: `"17" on its own is unclear; type 17:00`},
		{in: "2026", wantErr: "not a date or a time"},
		{in: "2026-02-30", wantErr: "2026-02-30 is not a real date: February 2026 has 28 days"},
		{in: "2028-02-30", wantErr: "February 2028 has 29 days"},
		{in: "2026-13-01", wantErr: "there is no month 13"},
		{in: "2026-11-00", wantErr: "not a real date"},
		{in: "2026-11-24 25:00", wantErr: `"25:00" is not a time of day`},
		{in: "tomorrow 10:75", wantErr: `"10:75" is not a time of day`},
		{in: "tomorrow 24:00", wantErr: "not a time of day"},
		{in: "tomorrow 10:5", wantErr: "not a time of day"},
		{in: "tomorrow 100:00", wantErr: "not a time of day"},
		{in: "tomorrow 10:00:60", wantErr: "not a time of day"},
		{in: "tomorrow 13pm", wantErr: "with am or pm the hour is 1 to 12"},
		{in: "tomorrow 0am", wantErr: "with am or pm the hour is 1 to 12"},
		{in: "25:00 tomorrow", wantErr: "not a time of day"},
		{in: "14:00", wantErr: "has no day; say which day too, e.g. today 14:00"},
		{in: "11/12/2026", wantErr: `"11/12/2026" could be 11 December or 12 November: the order of day and month differs between countries; type 2026-12-11 or 2026-11-12`},
		{in: "12/11", wantErr: "could be 12 November or 11 December"},
		{in: "11.12.2026", wantErr: "type 2026-12-11 or 2026-11-12"},
		{in: "11-12-2026", wantErr: "type 2026-12-11 or 2026-11-12"},
		{in: "11/12/26 10:00", wantErr: "type 2026-12-11 or 2026-11-12"},
		{in: "24/11/2026", wantErr: "differs between countries, so type year-month-day: 2026-11-24"},
		{in: "5/5", wantErr: "year-month-day: 2026-05-05"},
		{in: "31/31", wantErr: `"31/31" is not a date I can read; type year-month-day, e.g. 2026-11-30`},
		{in: "last friday", wantErr: "in the past"},
		{in: "yesterday", wantErr: "in the past"},
		{in: "3 days ago", wantErr: "in the past"},
		{in: "today 09:00", wantErr: "that is in the past (Mon 23 Nov 2026 09:00)"},
		{in: "today", wantErr: "with no time given, 09:00 is used"},
		{in: "today 11:59", wantErr: "in the past"},
		{in: "2026-11-20", wantErr: "in the past"},
		{in: "2025-11-24T10:00:00Z", wantErr: "in the past"},
		{in: "2027-12-01", wantErr: "more than a year away"},
		{in: "+53w", wantErr: "more than a year away"},
		{in: "\x1b[31mred", wantErr: `"\x1b[31mred"`},
		{in: strings.Repeat("x", 100), wantErr: strings.Repeat("x", 40) + `…"`},
	}
	for _, tc := range tests {
		got, err := ParseWhen(tc.in, now, london)
		if tc.wantErr != "" {
			if err == nil {
				t.Errorf("ParseWhen(%q) = %s, want an error with %q", tc.in, got.Format(layout), tc.wantErr)
			} else if !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("ParseWhen(%q) error %q, want it to contain %q", tc.in, err, tc.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseWhen(%q): %v", tc.in, err)
			continue
		}
		if s := got.In(london).Format(layout); s != tc.want {
			t.Errorf("ParseWhen(%q) = %s, want %s", tc.in, s, tc.want)
		}
		if got.Location() != london {
			t.Errorf("ParseWhen(%q) is in %s, want the person's zone", tc.in, got.Location())
		}
	}
}

// TestParseWhenClockChanges checks wall-clock arithmetic across the 2026
// clock changes: a typed time is what the clocks in the person's zone show,
// a skipped time is refused, a repeated one is the first.
func TestParseWhenClockChanges(t *testing.T) {
	london := mustLoad(t, "Europe/London")
	newYork := mustLoad(t, "America/New_York")
	tests := []struct {
		name    string
		loc     *time.Location
		now     time.Time
		in      string
		wantUTC string // "" when the time is skipped
	}{
		{"London spring: tomorrow 10:00 is 10:00 BST", london, time.Date(2026, 3, 28, 12, 0, 0, 0, london), "tomorrow 10:00", "2026-03-29 09:00"},
		{"London spring: default hour", london, time.Date(2026, 3, 28, 12, 0, 0, 0, london), "tomorrow", "2026-03-29 08:00"},
		{"London spring: a week on", london, time.Date(2026, 3, 28, 12, 0, 0, 0, london), "+1w 10:00", "2026-04-04 09:00"},
		{"London spring: 00:59 still GMT", london, time.Date(2026, 3, 28, 12, 0, 0, 0, london), "2026-03-29 00:59", "2026-03-29 00:59"},
		{"London spring: 01:00 skipped", london, time.Date(2026, 3, 28, 12, 0, 0, 0, london), "2026-03-29 01:00", ""},
		{"London spring: 01:30 skipped", london, time.Date(2026, 3, 28, 12, 0, 0, 0, london), "tomorrow 01:30", ""},
		{"London spring: 1:59am skipped", london, time.Date(2026, 3, 28, 12, 0, 0, 0, london), "sun 1:59am", ""},
		{"London spring: 02:00 is BST", london, time.Date(2026, 3, 28, 12, 0, 0, 0, london), "2026-03-29 02:00", "2026-03-29 01:00"},
		{"London autumn: tomorrow 10:00 is 10:00 GMT", london, time.Date(2026, 10, 24, 12, 0, 0, 0, london), "tomorrow 10:00", "2026-10-25 10:00"},
		{"London autumn: 01:30 twice, the first", london, time.Date(2026, 10, 24, 12, 0, 0, 0, london), "tomorrow 01:30", "2026-10-25 00:30"},
		{"London autumn: RFC 3339 instant kept", london, time.Date(2026, 10, 24, 12, 0, 0, 0, london), "2026-10-25T01:30:00Z", "2026-10-25 01:30"},
		{"New York spring: tomorrow 10:00 is EDT", newYork, time.Date(2026, 3, 7, 12, 0, 0, 0, newYork), "tomorrow 10:00", "2026-03-08 14:00"},
		{"New York spring: 02:30 skipped", newYork, time.Date(2026, 3, 7, 12, 0, 0, 0, newYork), "tomorrow 2:30am", ""},
		{"New York spring: 03:00 is EDT", newYork, time.Date(2026, 3, 7, 12, 0, 0, 0, newYork), "tomorrow 03:00", "2026-03-08 07:00"},
		{"New York spring: 01:59 still EST", newYork, time.Date(2026, 3, 7, 12, 0, 0, 0, newYork), "tomorrow 01:59", "2026-03-08 06:59"},
		{"New York autumn: tomorrow 10:00 is EST", newYork, time.Date(2026, 10, 31, 12, 0, 0, 0, newYork), "tomorrow 10:00", "2026-11-01 15:00"},
		{"New York autumn: 01:30 twice, the first", newYork, time.Date(2026, 10, 31, 12, 0, 0, 0, newYork), "sun 1:30am", "2026-11-01 05:30"},
		{"New York autumn: in 2 days", newYork, time.Date(2026, 10, 31, 12, 0, 0, 0, newYork), "in 2 days", "2026-11-02 14:00"},
	}
	for _, tc := range tests {
		got, err := ParseWhen(tc.in, tc.now, tc.loc)
		if tc.wantUTC == "" {
			if err == nil {
				t.Errorf("%s: ParseWhen(%q) = %s, want it refused", tc.name, tc.in, got.UTC())
			} else if !errors.Is(err, ErrClockSkipped) || !strings.Contains(err.Error(), "skipped by the clock change") {
				t.Errorf("%s: error %q does not say the time is skipped", tc.name, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: ParseWhen(%q): %v", tc.name, tc.in, err)
			continue
		}
		if s := got.UTC().Format("2006-01-02 15:04"); s != tc.wantUTC {
			t.Errorf("%s: ParseWhen(%q) = %s UTC (%s), want %s UTC", tc.name, tc.in, s, got, tc.wantUTC)
		}
	}
}

func TestParseDate(t *testing.T) {
	london := mustLoad(t, "Europe/London")
	sydney := mustLoad(t, "Australia/Sydney")
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, london) // a Monday
	tests := []struct {
		in      string
		now     time.Time // zero: now above
		loc     *time.Location
		want    string
		wantErr string
	}{
		{in: "2026-11-24", want: "2026-11-24"},
		{in: " Today ", want: "2026-11-23"},
		{in: "tomorrow", want: "2026-11-24"},
		{in: "tomorrow 10:00", want: "2026-11-24"}, // the time is not kept
		{in: "tomorrow 25:00", wantErr: "not a time of day"},
		{in: "next mon", want: "2026-11-30"}, // "mon" alone asks: TestWhenWeekdayIsToday
		{in: "fri", want: "2026-11-27"},
		{in: "+1w", want: "2026-11-30"},
		{in: "in 2 weeks", want: "2026-12-07"},
		{in: "2026-11-24T23:30:00-08:00", want: "2026-11-25"}, // that instant is the 25th in London
		{in: "today 08:00", want: "2026-11-23"},               // past times are fine for plan dates
		{in: "2026-11-20", want: "2026-11-20"},
		{in: "2025-11-23", want: "2025-11-23"}, // exactly a year ago
		{in: "2025-11-22", wantErr: "22 Nov 2025 is more than a year ago"},
		{in: "2027-11-23", want: "2027-11-23"}, // exactly a year ahead
		{in: "2027-11-24", wantErr: "more than a year away"},
		{in: "+53w", wantErr: "more than a year away"},
		{in: "2026-02-29", wantErr: "February 2026 has 28 days"},
		{in: "2028-02-29", now: time.Date(2028, 1, 10, 12, 0, 0, 0, london), want: "2028-02-29"},
		{in: "yesterday", wantErr: "type the date itself, e.g. 2026-11-22"},
		{in: "last fri", wantErr: "words for past days are not read"},
		{in: "11/12", wantErr: "differs between countries"},
		{in: "", wantErr: "nothing typed; try 2026-11-30, today, tomorrow, mon, +1w or in 2 weeks"},
		{in: "whenever", wantErr: `"whenever" is not a date I can read; try 2026-11-30, today, tomorrow`},
		{in: "10", wantErr: "on its own is unclear"},
		// The day is the person's: late evening in London is already
		// tomorrow in Sydney.
		{in: "today", now: time.Date(2026, 11, 23, 23, 30, 0, 0, london), loc: sydney, want: "2026-11-24"},
		{in: "today", now: time.Date(2026, 11, 23, 23, 30, 0, 0, london), want: "2026-11-23"},
	}
	for _, tc := range tests {
		n, loc := tc.now, tc.loc
		if n.IsZero() {
			n = now
		}
		if loc == nil {
			loc = london
		}
		got, err := ParseDate(tc.in, n, loc)
		if tc.wantErr != "" {
			if err == nil {
				t.Errorf("ParseDate(%q) = %s, want an error with %q", tc.in, got, tc.wantErr)
			} else if !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("ParseDate(%q) error %q, want it to contain %q", tc.in, err, tc.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseDate(%q): %v", tc.in, err)
		} else if got != tc.want {
			t.Errorf("ParseDate(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

// TestWhenWeekdayIsToday: a weekday's name typed on that day ("mon 10:00"
// on Monday at 08:33) may be today or a week today: the screen is given a
// question to ask, with the words that answer it, not a silent next week.
func TestWhenWeekdayIsToday(t *testing.T) {
	london := mustLoad(t, "Europe/London")
	sydney := mustLoad(t, "Australia/Sydney")
	monday := time.Date(2026, 11, 23, 8, 33, 0, 0, london)
	const layout = "2006-01-02 15:04 MST"
	tests := []struct {
		name      string
		in        string
		now       time.Time
		loc       *time.Location
		today     string // "" when no question is asked
		nextWeek  string
		words     [2]string
		want      string // without a question: what it means
		wantError string
	}{
		{name: "the issue's example", in: "mon 10:00", now: monday, loc: london,
			today: "2026-11-23 10:00 GMT", nextWeek: "2026-11-30 10:00 GMT", words: [2]string{"today 10:00", "next mon 10:00"},
			wantError: `"mon 10:00": Monday is today. Type today 10:00 for today, or next mon 10:00 for Mon 30 Nov`},
		{name: "no time: 09:00 today is still to come", in: "Monday", now: monday, loc: london,
			today: "2026-11-23 09:00 GMT", nextWeek: "2026-11-30 09:00 GMT", words: [2]string{"today", "next monday"}},
		{name: "the time first, with fillers", in: "at 2 pm on Mon", now: monday, loc: london,
			today: "2026-11-23 14:00 GMT", nextWeek: "2026-11-30 14:00 GMT", words: [2]string{"2pm today", "2pm next mon"}},
		{name: "now itself is not past", in: "mon 8:33", now: monday, loc: london,
			today: "2026-11-23 08:33 GMT", nextWeek: "2026-11-30 08:33 GMT", words: [2]string{"today 8:33", "next mon 8:33"}},
		{name: "today's time has passed: a week today", in: "mon 08:00", now: monday, loc: london, want: "2026-11-30 08:00 GMT"},
		{name: "next says which", in: "next mon 10:00", now: monday, loc: london, want: "2026-11-30 10:00 GMT"},
		{name: "another weekday is never asked about", in: "tue 10:00", now: monday, loc: london, want: "2026-11-24 10:00 GMT"},
		{name: "today is the person's: already Monday in Sydney", in: "mon 14:00", now: time.Date(2026, 11, 22, 23, 30, 0, 0, london), loc: sydney,
			today: "2026-11-23 14:00 AEDT", nextWeek: "2026-11-30 14:00 AEDT", words: [2]string{"today 14:00", "next mon 14:00"}},
		{name: "still Sunday in London", in: "mon 14:00", now: time.Date(2026, 11, 22, 23, 30, 0, 0, london), loc: london, want: "2026-11-23 14:00 GMT"},
		// 01:30 does not happen in London on 29 March 2026: only next week can be meant.
		{name: "today's time is skipped by the clocks", in: "sun 01:30", now: time.Date(2026, 3, 29, 0, 30, 0, 0, london), loc: london, want: "2026-04-05 01:30 BST"},
	}
	for _, tc := range tests {
		got, err := ParseWhen(tc.in, tc.now, tc.loc)
		if tc.today == "" {
			if err != nil || got.Format(layout) != tc.want {
				t.Errorf("%s: ParseWhen(%q) = %s, %v; want %s", tc.name, tc.in, got.Format(layout), err, tc.want)
			}
			continue
		}
		var q *TodayOrNextWeek
		if !errors.As(err, &q) {
			t.Errorf("%s: ParseWhen(%q) = %s, %v; want a question", tc.name, tc.in, got.Format(layout), err)
			continue
		}
		if q.TodayAt.Format(layout) != tc.today || q.NextWeekAt.Format(layout) != tc.nextWeek || q.Today != tc.words[0] || q.NextWeek != tc.words[1] {
			t.Errorf("%s: question %s / %s, %q / %q; want %s / %s, %q / %q", tc.name, q.TodayAt.Format(layout), q.NextWeekAt.Format(layout), q.Today, q.NextWeek, tc.today, tc.nextWeek, tc.words[0], tc.words[1])
		}
		if q.TodayAt.Location() != tc.loc || q.Weekday != q.TodayAt.Weekday() {
			t.Errorf("%s: question in %v on %v", tc.name, q.TodayAt.Location(), q.Weekday)
		}
		if tc.wantError != "" && err.Error() != tc.wantError {
			t.Errorf("%s: error %q, want %q", tc.name, err, tc.wantError)
		}
		// Either answer, typed back, is read without asking.
		for i, words := range tc.words {
			want := []time.Time{q.TodayAt, q.NextWeekAt}[i]
			if got, err := ParseWhen(words, tc.now, tc.loc); err != nil || !got.Equal(want) {
				t.Errorf("%s: the answer %q reads as %s, %v; want %s", tc.name, words, got.Format(layout), err, want.Format(layout))
			}
		}
	}

	// Plan dates: today and a week today are both fair, so it always asks.
	for _, now := range []time.Time{monday, time.Date(2026, 11, 23, 23, 0, 0, 0, london)} {
		_, err := ParseDate("mon", now, london)
		var q *TodayOrNextWeek
		if !errors.As(err, &q) {
			t.Errorf("ParseDate(mon) at %s: %v, want a question", now, err)
			continue
		}
		if q.TodayAt.Format("2006-01-02") != "2026-11-23" || q.NextWeekAt.Format("2006-01-02") != "2026-11-30" || q.Today != "today" || q.NextWeek != "next mon" {
			t.Errorf("ParseDate(mon): %+v", q)
		}
		for _, c := range []struct{ words, want string }{{q.Today, "2026-11-23"}, {q.NextWeek, "2026-11-30"}} {
			if got, err := ParseDate(c.words, now, london); err != nil || got != c.want {
				t.Errorf("ParseDate(%q) = %s, %v; want %s", c.words, got, err, c.want)
			}
		}
	}
	if d, err := ParseDate("mon 10:00", monday.AddDate(0, 0, 1), london); err != nil || d != "2026-11-30" {
		t.Errorf("ParseDate(mon) on a Tuesday = %s, %v", d, err)
	}
}
