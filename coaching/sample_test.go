package coaching

import (
	"testing"
	"time"
)

// The demo's "later today" follow-up is today whatever the hour.
func TestLaterToday(t *testing.T) {
	loc := time.FixedZone("UTC+1", 3600)
	for _, tt := range []struct {
		now, want time.Time
	}{
		{time.Date(2026, 11, 30, 10, 5, 0, 0, loc), time.Date(2026, 11, 30, 11, 30, 0, 0, loc)},
		{time.Date(2026, 11, 30, 22, 10, 0, 0, loc), time.Date(2026, 11, 30, 23, 30, 0, 0, loc)},
		{time.Date(2026, 11, 30, 22, 40, 0, 0, loc), time.Date(2026, 11, 30, 22, 40, 0, 0, loc)},
		{time.Date(2026, 11, 30, 23, 59, 30, 0, loc), time.Date(2026, 11, 30, 23, 59, 30, 0, loc)},
	} {
		if got := laterToday(tt.now); !got.Equal(tt.want) {
			t.Errorf("laterToday(%v) = %v, want %v", tt.now, got.In(loc), tt.want)
		}
	}
}
