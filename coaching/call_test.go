package coaching

import (
	"testing"
	"time"
)

func TestOutcomes(t *testing.T) {
	for _, c := range OutcomeChoices {
		got, err := ParseOutcome(string(c.Outcome))
		if err != nil || got != c.Outcome {
			t.Errorf("ParseOutcome(%q) = %q, %v", c.Outcome, got, err)
		}
		if c.Outcome.Label() != c.Label {
			t.Errorf("Label(%q) = %q", c.Outcome, c.Outcome.Label())
		}
	}
	if _, err := ParseOutcome("hung_up"); err == nil {
		t.Error("ParseOutcome accepted an unknown outcome")
	}
	if _, err := ParseOutcome(""); err == nil {
		t.Error("ParseOutcome accepted the empty outcome")
	}
	if OutcomeNone.Label() != "unfinished" {
		t.Errorf("OutcomeNone.Label() = %q", OutcomeNone.Label())
	}
	keys := map[string]bool{}
	for _, c := range OutcomeChoices {
		if keys[c.Key] {
			t.Errorf("key %q used twice", c.Key)
		}
		keys[c.Key] = true
	}
}

func TestCallDuration(t *testing.T) {
	start := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	now := start.Add(90 * time.Second)
	tests := []struct {
		name string
		c    Call
		want time.Duration
	}{
		{"open", Call{StartedAt: start}, 90 * time.Second},
		{"ended", Call{StartedAt: start, EndedAt: start.Add(time.Minute)}, time.Minute},
		{"clock went back", Call{StartedAt: now.Add(time.Hour)}, 0},
	}
	for _, tc := range tests {
		if got := tc.c.Duration(now); got != tc.want {
			t.Errorf("%s: Duration = %v, want %v", tc.name, got, tc.want)
		}
	}
	if !(Call{StartedAt: start}).Unfinished() || (Call{StartedAt: start, EndedAt: now}).Unfinished() {
		t.Error("Unfinished is wrong")
	}
}

func TestFormatDuration(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "0:00"},
		{-time.Second, "0:00"},
		{59 * time.Second, "0:59"},
		{61 * time.Second, "1:01"},
		{59*time.Minute + 59*time.Second, "59:59"},
		{time.Hour, "1:00:00"},
		{2*time.Hour + 3*time.Minute + 4*time.Second + 900*time.Millisecond, "2:03:04"},
	}
	for _, tc := range tests {
		if got := FormatDuration(tc.d); got != tc.want {
			t.Errorf("FormatDuration(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

func TestNotesPreview(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"\n\n  \n", ""},
		{"first\nsecond", "first"},
		{"\n  indented line  \nnext", "indented line"},
	}
	for _, tc := range tests {
		if got := NotesPreview(tc.in); got != tc.want {
			t.Errorf("NotesPreview(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestCleanTextAndConditions(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  a  ", "a"},
		{"a\tb", "a b"},
		{"a\nb", "a b"},
		{"\x00x", "x"},
		{"مريم", "مريم"},
	}
	for _, tc := range tests {
		if got := CleanText(tc.in); got != tc.want {
			t.Errorf("CleanText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := FormatConditions(ParseConditions(" asthma ;; COPD,asthma ,")); got != "asthma, COPD" {
		t.Errorf("conditions = %q", got)
	}
	if got := ParseConditions(""); got != nil {
		t.Errorf("ParseConditions(\"\") = %q", got)
	}
}

func TestFormatLength(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "<1 min"},
		{59 * time.Second, "<1 min"},
		{time.Minute, "1 min"},
		{59*time.Minute + 59*time.Second, "59 min"},
		{time.Hour, "1 h 00 min"},
		{65 * time.Minute, "1 h 05 min"},
	}
	for _, tc := range tests {
		if got := FormatLength(tc.d); got != tc.want {
			t.Errorf("FormatLength(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

func TestOutcomesIncludeWrongNumberAndMistake(t *testing.T) {
	for _, tc := range []struct {
		stored string
		want   Outcome
		label  string
	}{
		{"wrong_number", OutcomeWrongNumber, "wrong number"},
		{"opened_by_mistake", OutcomeMistake, "opened by mistake"},
		{"reached", OutcomeReached, "reached"},
	} {
		got, err := ParseOutcome(tc.stored)
		if err != nil || got != tc.want || got.Label() != tc.label {
			t.Errorf("ParseOutcome(%q) = %q %q, %v", tc.stored, got, got.Label(), err)
		}
	}
	for _, c := range OutcomeChoices {
		if c.Outcome == OutcomeMistake || c.Key == MistakeChoice.Key {
			t.Errorf("opened by mistake is offered as an ordinary outcome (key %q)", c.Key)
		}
	}
}
