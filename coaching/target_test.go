package coaching

import (
	"testing"
	"time"
)

func TestTargetOf(t *testing.T) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	weeks := func(n int) time.Time { return now.Add(-time.Duration(n) * 7 * 24 * time.Hour) }
	tests := []struct {
		name          string
		first, latest float64
		firstAt       time.Time
		count         int
		weeks         int
		want          TargetStatus
		change        float64
		inCare        int
	}{
		{"exactly 50% drop is a response", 20, 10, weeks(12), 3, 10, TargetResponding, -50, 12},
		{"one point short of 50% at 10 weeks", 20, 11, weeks(10), 3, 10, TargetNotOnTrack, -45, 10},
		{"one point short of 50% at 9 weeks is early", 20, 11, weeks(9), 3, 10, TargetEarly, -45, 9},
		{"a minute short of 10 weeks is early", 20, 11, weeks(10).Add(time.Minute), 3, 10, TargetEarly, -45, 9},
		{"odd first: 7.5 is half of 15, 7 is a response", 15, 7, weeks(12), 2, 10, TargetResponding, -53.333333333333336, 12},
		{"odd first: 8 is short of half of 15", 15, 8, weeks(12), 2, 10, TargetNotOnTrack, -46.666666666666664, 12},
		{"first 10 is tracked", 10, 8, weeks(11), 2, 10, TargetNotOnTrack, -20, 11},
		{"first 9 is not tracked", 9, 9, weeks(11), 2, 10, TargetNotTracked, 0, 11},
		{"first 0 is not tracked", 0, 0, weeks(11), 2, 10, TargetNotTracked, 0, 11},
		{"first 0 then a rise is not tracked, change 0", 0, 6, weeks(11), 2, 10, TargetNotTracked, 0, 11},
		{"latest = first after the weeks", 14, 14, weeks(10), 4, 10, TargetNotOnTrack, 0, 10},
		{"a rise", 12, 18, weeks(15), 4, 10, TargetNotOnTrack, 50, 15},
		{"a rise, early", 12, 18, weeks(2), 2, 10, TargetEarly, 50, 2},
		{"one measure only, new", 16, 16, weeks(0), 1, 10, TargetEarly, 0, 0},
		{"one measure only, long ago", 16, 16, weeks(30), 1, 10, TargetNotOnTrack, 0, 30},
		{"remission: below 5", 20, 4, weeks(8), 3, 10, TargetRemission, -80, 8},
		{"5 is not remission", 10, 5, weeks(8), 3, 10, TargetResponding, -50, 8},
		{"remission needs a response: 10 to 4", 10, 4, weeks(1), 2, 10, TargetRemission, -60, 1},
		{"a longer setting: 11 weeks at 12", 20, 15, weeks(11), 3, 12, TargetEarly, -25, 11},
		{"a shorter setting: 4 weeks at 4", 20, 15, weeks(4), 3, 4, TargetNotOnTrack, -25, 4},
		{"first in the future (clock moved) is 0 weeks", 20, 20, now.Add(time.Hour), 1, 10, TargetEarly, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Progress{FirstTotal: tt.first, LatestTotal: tt.latest, FirstAt: tt.firstAt, LatestAt: now, Count: tt.count}
			got := TargetOf(p, tt.weeks, now)
			if got.Status != tt.want || got.Change != tt.change || got.Weeks != tt.inCare {
				t.Errorf("TargetOf(%v→%v, %d weeks) = %v %v%% %d weeks, want %v %v%% %d weeks",
					tt.first, tt.latest, tt.weeks, got.Status, got.Change, got.Weeks, tt.want, tt.change, tt.inCare)
			}
		})
	}
}

func TestTargetStatusWords(t *testing.T) {
	for s, want := range map[TargetStatus]string{
		TargetNotOnTrack: "not on track", TargetEarly: "early", TargetResponding: "responding",
		TargetRemission: "remission", TargetNotTracked: "not tracked", TargetStatus(9): "TargetStatus(9)",
	} {
		if got := s.String(); got != want {
			t.Errorf("%d: %q, want %q", int(s), got, want)
		}
	}
}

func TestChangeText(t *testing.T) {
	for _, tt := range []struct {
		pct  float64
		want string
	}{{-50, "−50%"}, {-46.67, "−47%"}, {0, "0%"}, {-0.4, "0%"}, {50, "+50%"}, {0.5, "+1%"}, {-100, "−100%"}} {
		if got := ChangeText(tt.pct); got != tt.want {
			t.Errorf("ChangeText(%v) = %q, want %q", tt.pct, got, tt.want)
		}
	}
}
