package coaching

import (
	"testing"
	"time"
)

func TestDueWindow(t *testing.T) {
	london, _ := time.LoadLocation("Europe/London")
	tests := []struct {
		name              string
		now               time.Time
		overdue, tomorrow string
	}{
		{"midday", time.Date(2026, 11, 23, 12, 0, 0, 0, london), "2026-11-23 10:00", "2026-11-24 00:00"},
		{"early morning: the day's start wins", time.Date(2026, 11, 23, 1, 0, 0, 0, london), "2026-11-23 00:00", "2026-11-24 00:00"},
		{"exactly two hours in", time.Date(2026, 11, 23, 2, 0, 0, 0, london), "2026-11-23 00:00", "2026-11-24 00:00"},
		{"spring forward day is 23 hours", time.Date(2026, 3, 29, 12, 0, 0, 0, london), "2026-03-29 10:00", "2026-03-30 00:00"},
		{"fall back day is 25 hours", time.Date(2026, 10, 25, 23, 30, 0, 0, london), "2026-10-25 21:30", "2026-10-26 00:00"},
	}
	for _, tc := range tests {
		o, tm := DueWindow(tc.now, london)
		if got := o.In(london).Format("2006-01-02 15:04"); got != tc.overdue {
			t.Errorf("%s: overdue before %s, want %s", tc.name, got, tc.overdue)
		}
		if got := tm.In(london).Format("2006-01-02 15:04"); got != tc.tomorrow {
			t.Errorf("%s: tomorrow %s, want %s", tc.name, got, tc.tomorrow)
		}
	}
}
