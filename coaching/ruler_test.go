package coaching

import (
	"strings"
	"testing"
)

func TestParseScore(t *testing.T) {
	tests := []struct {
		in   string
		want int
		bad  bool
	}{
		{"0", 0, false}, {"10", 10, false}, {" 7 ", 7, false}, {"07", 7, false},
		{"11", 0, true}, {"-1", 0, true}, {"", 0, true}, {"seven", 0, true},
		{"6.5", 0, true}, {"1e1", 0, true}, {"٣", 0, true}, {"99999999999999999999", 0, true},
	}
	for _, tc := range tests {
		got, err := ParseScore(tc.in)
		if (err != nil) != tc.bad || got != tc.want {
			t.Errorf("ParseScore(%q) = %d, %v", tc.in, got, err)
		}
		if err != nil && !strings.Contains(err.Error(), "0 to 10") {
			t.Errorf("error %q does not say what works", err)
		}
	}
}

func TestLowerAnchorAndFollowUp(t *testing.T) {
	tests := []struct {
		n       int
		lower   int
		ok      bool
		contain string
	}{
		{0, 0, false, "say a 1"},
		{1, 0, true, "Why a 1 and not a 0?"},
		{2, 1, true, "Why a 2 and not a 1?"},
		{3, 1, true, "Why a 3 and not a 1?"},
		{6, 3, true, "Why a 6 and not a 3?"},
		{7, 3, true, "Why a 7 and not a 3?"},
		{10, 5, true, "Why a 10 and not a 5?"},
		{11, 0, false, ""},
		{-1, 0, false, ""},
	}
	for _, tc := range tests {
		lower, ok := LowerAnchor(tc.n)
		if lower != tc.lower || ok != tc.ok {
			t.Errorf("LowerAnchor(%d) = %d, %v", tc.n, lower, ok)
		}
		q := FollowUpQuestion(RulerImportance, tc.n)
		if tc.contain == "" && q != "" || !strings.Contains(q, tc.contain) {
			t.Errorf("FollowUpQuestion(%d) = %q, want it to contain %q", tc.n, q, tc.contain)
		}
		if strings.Contains(q, "higher") {
			t.Errorf("FollowUpQuestion(%d) asks about higher: %q", tc.n, q)
		}
	}
	if q := FollowUpQuestion(RulerConfidence, 0); !strings.Contains(q, "confident") {
		t.Errorf("confidence at 0: %q", q)
	}
	if q := NextStepQuestion(6); q != "What would help you move from a 6 to a 7?" {
		t.Errorf("NextStepQuestion(6) = %q", q)
	}
	if q := NextStepQuestion(7); q != "What would help you move from a 7 to an 8?" {
		t.Errorf("NextStepQuestion(7) = %q", q)
	}
	if q := FollowUpQuestion(RulerConfidence, 8); q != "Why an 8 and not a 4?" {
		t.Errorf("FollowUpQuestion(8) = %q", q)
	}
	if q := NextStepQuestion(10); strings.Contains(q, "11") {
		t.Errorf("NextStepQuestion(10) = %q", q)
	}
}

func TestConfidentEnough(t *testing.T) {
	for n := 0; n <= 10; n++ {
		if got, want := ConfidentEnough(n), n >= 7; got != want {
			t.Errorf("ConfidentEnough(%d) = %v", n, got)
		}
	}
}
