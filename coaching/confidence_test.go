package coaching

import "testing"

func TestNewConfidenceScore(t *testing.T) {
	tests := []struct {
		name    string
		kept    []int
		score   int
		changed bool
		want    bool
	}{
		{"the first score", nil, 5, false, true},
		{"the first score, 0", []int{}, 0, false, true},
		{"a different score", []int{5}, 8, false, true},
		{"the same score, nothing changed", []int{5}, 5, false, false},
		{"the same score after a change: a rescoring", []int{5}, 5, true, true},
		{"a different score after a change", []int{5}, 6, true, true},
		{"compares with the last, not the first", []int{5, 8}, 5, false, true},
		{"the last repeated after earlier ones", []int{8, 5}, 5, false, false},
		{"10 repeated", []int{3, 10}, 10, false, false},
		{"0 repeated", []int{0}, 0, false, false},
		{"0 after 10", []int{10}, 0, false, true},
	}
	for _, tc := range tests {
		if got := NewConfidenceScore(tc.kept, tc.score, tc.changed); got != tc.want {
			t.Errorf("%s: NewConfidenceScore(%v, %d, %v) = %v, want %v", tc.name, tc.kept, tc.score, tc.changed, got, tc.want)
		}
	}
}
