package measures

import (
	"math"
	"testing"
)

func TestSparkline(t *testing.T) {
	tests := []struct {
		name   string
		totals []float64
		scale  float64
		want   string
	}{
		{"none", nil, 27, ""},
		{"rising PHQ", []float64{5, 9, 14}, 20, "▂▄▆ 5 → 9 → 14"},
		{"one value", []float64{9}, 27, "▃ 9"},
		{"zero is blank, the number still shows", []float64{0, 27}, 27, " █ 0 → 27"},
		{"small but above 0 shows the lowest bar", []float64{0.1, 1}, 27, "▁▁ 0.1 → 1"},
		{"each level", []float64{0, 1, 2, 3, 4, 5, 6, 7}, 8, " ▁▂▃▄▅▆▇ 0 → 1 → 2 → 3 → 4 → 5 → 6 → 7"},
		{"the last 8 only", []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 10, "▂▃▄▅▆▆▇█ 3 → 4 → 5 → 6 → 7 → 8 → 9 → 10"},
		{"SEMCD means keep a decimal", []float64{6.3, 7, 6.67}, 10, "▅▆▅ 6.3 → 7 → 6.7"},
		{"above the scale is drawn full", []float64{30}, 27, "█ 30"},
		{"below 0 is drawn blank", []float64{-2}, 27, "  -2"},
		{"no scale: the largest total", []float64{2, 4}, 0, "▄█ 2 → 4"},
		{"negative scale: the largest total", []float64{1, 8}, -5, "▁█ 1 → 8"},
		{"no scale and all zero", []float64{0, 0}, 0, "   0 → 0"},
		{"tiny negative shows as 0", []float64{-0.01}, 10, "  0"},
		{"infinity is drawn full", []float64{math.Inf(1)}, 27, "█ +Inf"},
		{"not a number is blank", []float64{math.NaN()}, 27, "  NaN"},
	}
	for _, tc := range tests {
		if got := Sparkline(tc.totals, Range{0, tc.scale}); got != tc.want {
			t.Errorf("%s: Sparkline(%v, 0-%v) = %q, want %q", tc.name, tc.totals, tc.scale, got, tc.want)
		}
	}
	totals := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9}
	Sparkline(totals, Range{0, 10})
	if totals[0] != 1 || len(totals) != 9 {
		t.Errorf("Sparkline changed its input: %v", totals)
	}
}

func TestChange(t *testing.T) {
	tests := []struct {
		first, last float64
		want        string
	}{
		{5, 14, "+9 since the first"},
		{14, 11, "−3 since the first"},
		{7, 6.5, "−0.5 since the first"},
		{7, 7, "no change since the first"},
		{0, 0, "no change since the first"},
		{6.3, 6.8, "+0.5 since the first"},
		{6.25, 5, "−1.3 since the first"},
		{1, 1.04, "no change since the first"},
		{1.04, 1, "no change since the first"},
		{0.1 + 0.2, 0.3, "no change since the first"},
		{27, 0, "−27 since the first"},
		{0, 0.06, "+0.1 since the first"},
	}
	for _, tc := range tests {
		if got := Change(tc.first, tc.last); got != tc.want {
			t.Errorf("Change(%v, %v) = %q, want %q", tc.first, tc.last, got, tc.want)
		}
	}
}

// A chart that does not start at 0 draws its bars from its own bottom.
func TestSparklineFromAFloor(t *testing.T) {
	tests := []struct {
		totals []float64
		r      Range
		want   string
	}{
		{[]float64{1, 5.5, 10}, Range{1, 10}, " ▄█ 1 → 5.5 → 10"},
		{[]float64{0, 1.1}, Range{1, 10}, " ▁ 0 → 1.1"},
		{[]float64{2, 4}, Range{1, 1}, "▃█ 2 → 4"},
	}
	for _, tc := range tests {
		if got := Sparkline(tc.totals, tc.r); got != tc.want {
			t.Errorf("Sparkline(%v, %v) = %q, want %q", tc.totals, tc.r, got, tc.want)
		}
	}
}
