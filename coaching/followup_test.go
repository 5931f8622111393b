package coaching

import (
	"testing"
	"time"
)

func TestDueStateString(t *testing.T) {
	tests := []struct {
		d    DueState
		want string
	}{
		{Overdue, "overdue"},
		{DueToday, "due today"},
		{Upcoming, "upcoming"},
		{DueState(99), "unknown"},
	}
	for _, tc := range tests {
		if got := tc.d.String(); got != tc.want {
			t.Errorf("DueState(%d).String() = %q, want %q", int(tc.d), got, tc.want)
		}
	}
	if !(Overdue < DueToday && DueToday < Upcoming) {
		t.Error("due states do not sort from most to least urgent")
	}
}

func TestDue(t *testing.T) {
	london := mustLoad(t, "Europe/London")
	sydney := mustLoad(t, "Australia/Sydney")
	at := func(loc *time.Location, y int, m time.Month, d, h, min int) time.Time {
		return time.Date(y, m, d, h, min, 0, 0, loc)
	}
	utc := func(y int, m time.Month, d, h, min int) time.Time { return at(time.UTC, y, m, d, h, min) }
	midday := at(london, 2026, 11, 23, 12, 0)
	tests := []struct {
		name  string
		coach *time.Location
		now   time.Time
		due   time.Time
		want  DueState
	}{
		{"due now", london, midday, midday, DueToday},
		{"later today", london, midday, at(london, 2026, 11, 23, 23, 59), DueToday},
		{"two hours late is within the grace", london, midday, at(london, 2026, 11, 23, 10, 0), DueToday},
		{"a minute over the grace", london, midday, at(london, 2026, 11, 23, 9, 59), Overdue},
		{"early today, long past", london, midday, at(london, 2026, 11, 23, 0, 0), Overdue},
		{"tomorrow at midnight", london, midday, at(london, 2026, 11, 24, 0, 0), Upcoming},
		{"next week", london, midday, at(london, 2026, 11, 30, 9, 0), Upcoming},
		{"yesterday, though only an hour ago", london, at(london, 2026, 11, 23, 0, 30), at(london, 2026, 11, 22, 23, 30), Overdue},
		{"midnight today, checked before 02:00", london, at(london, 2026, 11, 23, 1, 59), at(london, 2026, 11, 23, 0, 0), DueToday},
		{"last year", london, midday, at(london, 2025, 11, 23, 12, 0), Overdue},
		{"never set", london, midday, time.Time{}, Overdue},
		// Clock changes: the grace is real time, not the clocks' difference.
		{"spring forward: clocks say 2h45 late, really 1h45", london, utc(2026, 3, 29, 2, 30), utc(2026, 3, 29, 0, 45), DueToday},
		{"spring forward: 2h01 real", london, at(london, 2026, 3, 29, 12, 0), at(london, 2026, 3, 29, 9, 59), Overdue},
		{"spring forward: last minute of the short day", london, at(london, 2026, 3, 29, 12, 0), at(london, 2026, 3, 29, 23, 59), DueToday},
		{"fall back: clocks say 1h30 late, really 2h30", london, utc(2026, 10, 25, 2, 0), utc(2026, 10, 24, 23, 30), Overdue},
		{"fall back: last minute of the long day", london, at(london, 2026, 10, 25, 12, 0), at(london, 2026, 10, 25, 23, 59), DueToday},
		{"fall back: next day", london, at(london, 2026, 10, 25, 23, 30), at(london, 2026, 10, 26, 0, 0), Upcoming},
		// Person in Sydney, coach in London: the coach's day decides.
		{"their tomorrow 09:00 is the coach's evening", london, midday, at(sydney, 2026, 11, 24, 9, 0), DueToday},
		{"their tomorrow 11:00 is the coach's midnight", london, midday, at(sydney, 2026, 11, 24, 11, 0), Upcoming},
		{"their 20:00 today was 09:00 for the coach", london, midday, at(sydney, 2026, 11, 23, 20, 0), Overdue},
		{"their 21:30 today was 10:30 for the coach", london, midday, at(sydney, 2026, 11, 23, 21, 30), DueToday},
		// The same follow-up for a coach in Sydney, where it is 23:00.
		{"London 14:00 is tomorrow for a coach in Sydney", sydney, midday, at(london, 2026, 11, 23, 14, 0), Upcoming},
		{"London 11:30 is today for a coach in Sydney", sydney, midday, at(london, 2026, 11, 23, 11, 30), DueToday},
	}
	for _, tc := range tests {
		if got := Due(FollowUp{Due: tc.due}, tc.now, tc.coach); got != tc.want {
			t.Errorf("%s: Due = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestFormatDue(t *testing.T) {
	london := mustLoad(t, "Europe/London")
	sydney := mustLoad(t, "Australia/Sydney")
	newYork := mustLoad(t, "America/New_York")
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, london)
	tests := []struct {
		name          string
		person, coach *time.Location
		now           time.Time // zero: now above
		due           time.Time
		want          string
	}{
		{"same zone", london, london, time.Time{}, time.Date(2026, 11, 24, 10, 0, 0, 0, london), "Tue 24 Nov 10:00"},
		{"other zone, same clocks in winter", london, time.UTC, time.Time{}, time.Date(2026, 11, 24, 10, 0, 0, 0, london), "Tue 24 Nov 10:00"},
		{"other zone, clocks an hour apart in summer", london, time.UTC, time.Time{}, time.Date(2026, 6, 2, 10, 0, 0, 0, london), "Tue 2 Jun 10:00 their time (09:00 yours)"},
		{"New York, same day", newYork, london, time.Time{}, time.Date(2026, 11, 24, 10, 0, 0, 0, newYork), "Tue 24 Nov 10:00 their time (15:00 yours)"},
		{"Sydney, the coach's day before", sydney, london, time.Time{}, time.Date(2026, 11, 24, 10, 0, 0, 0, sydney), "Tue 24 Nov 10:00 their time (Mon 23 Nov 23:00 yours)"},
		{"next year", london, london, time.Time{}, time.Date(2027, 1, 5, 10, 0, 0, 0, london), "Tue 5 Jan 2027 10:00"},
		{"last year", london, london, time.Time{}, time.Date(2025, 11, 24, 10, 0, 0, 0, london), "Mon 24 Nov 2025 10:00"},
		{"new year in Sydney only", sydney, london, time.Date(2026, 12, 31, 12, 0, 0, 0, london), time.Date(2027, 1, 1, 9, 0, 0, 0, sydney), "Fri 1 Jan 2027 09:00 their time (Thu 31 Dec 22:00 yours)"},
	}
	for _, tc := range tests {
		n := tc.now
		if n.IsZero() {
			n = now
		}
		if got := FormatDue(FollowUp{Due: tc.due}, tc.person, tc.coach, n); got != tc.want {
			t.Errorf("%s: FormatDue = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestOpensOn(t *testing.T) {
	tests := []struct {
		name                     string
		overdue, today, upcoming int
		want                     DueState
		ok                       bool
	}{
		{"nobody due", 0, 0, 0, 0, false},
		{"only upcoming", 0, 0, 5, 0, false},
		{"overdue first", 3, 2, 1, Overdue, true},
		{"one overdue is enough", 1, 0, 0, Overdue, true},
		{"due today when nobody is overdue", 0, 1, 4, DueToday, true},
	}
	for _, tc := range tests {
		counts := map[DueState]int{Overdue: tc.overdue, DueToday: tc.today, Upcoming: tc.upcoming}
		d, ok := OpensOn(func(d DueState) int { return counts[d] })
		if ok != tc.ok || ok && d != tc.want {
			t.Errorf("%s: OpensOn = %v, %v; want %v, %v", tc.name, d, ok, tc.want, tc.ok)
		}
	}
}
