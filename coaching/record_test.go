package coaching

import "testing"

func TestMeasureResults(t *testing.T) {
	for _, tc := range []struct {
		m            MeasureGiven
		total, whole string
	}{
		{MeasureGiven{Complete: true, Scored: true, Total: 12, Max: 27, Band: "moderate"}, "12 of 27", "12 of 27, moderate"},
		{MeasureGiven{Complete: true, Scored: true, Total: 0, Max: 6}, "0 of 6", "0 of 6"},
		{MeasureGiven{Complete: true, Scored: true, Total: 7, Mean: true, Max: 10}, "mean 7.0 of 10", "mean 7.0 of 10"},
		{MeasureGiven{Complete: true, Max: 27}, "", "not scored"},
		{MeasureGiven{Max: 27}, "", "not scored (unfinished)"},
	} {
		if got := tc.m.TotalText(); got != tc.total {
			t.Errorf("%+v: total %q, want %q", tc.m, got, tc.total)
		}
		if got := tc.m.Result(); got != tc.whole {
			t.Errorf("%+v: result %q, want %q", tc.m, got, tc.whole)
		}
	}
}
