package measures

import (
	"strconv"
	"strings"
	"testing"

	"callcoach/coaching"
)

// withTotal answers every item of inst so the values add up to total,
// filling items with the top value from the first, so PHQ-9 item 9 (the
// last) is above 0 only for totals over 24.
func withTotal(t *testing.T, inst Instrument, total int) Answers {
	t.Helper()
	a := make(Answers, len(inst.Items))
	_, top := inst.Scale()
	left := total
	for i := range a {
		a[i] = min(top, left)
		left -= a[i]
	}
	if left != 0 || sumOf(a) != total {
		t.Fatalf("cannot make %s total %d", inst.ID, total)
	}
	return a
}

func sumOf(a Answers) int {
	s := 0
	for _, v := range a {
		s += v
	}
	return s
}

func TestScoreBands(t *testing.T) {
	tests := []struct {
		id    ID
		total int
		band  string
		refer bool
	}{
		{PHQ9, 0, "minimal", false},
		{PHQ9, 4, "minimal", false},
		{PHQ9, 5, "mild", false},
		{PHQ9, 9, "mild", false},
		{PHQ9, 10, "moderate", true},
		{PHQ9, 14, "moderate", true},
		{PHQ9, 15, "moderately severe", true},
		{PHQ9, 19, "moderately severe", true},
		{PHQ9, 20, "severe", true},
		{PHQ9, 27, "severe", true},
		{GAD7, 0, "minimal", false},
		{GAD7, 4, "minimal", false},
		{GAD7, 5, "mild", false},
		{GAD7, 9, "mild", false},
		{GAD7, 10, "moderate", true},
		{GAD7, 14, "moderate", true},
		{GAD7, 15, "severe", true},
		{GAD7, 21, "severe", true},
	}
	for _, tc := range tests {
		inst := mustGet(t, tc.id)
		a := withTotal(t, inst, tc.total)
		r := Score(inst, a)
		if !r.Complete || !r.Scored || r.Total != float64(tc.total) || r.Band != tc.band {
			t.Errorf("%s total %d: %+v, want band %q", tc.id, tc.total, r, tc.band)
		}
		safety := tc.id == PHQ9 && tc.total > 24
		if r.Answered != len(inst.Items) || r.DeclinedN != 0 || r.Positive || r.Next != "" || r.SafetyItem != safety {
			t.Errorf("%s total %d: counts or screen fields wrong: %+v", tc.id, tc.total, r)
		}
		max := map[ID]int{PHQ9: 27, GAD7: 21}[tc.id]
		head := "Total " + strconv.Itoa(tc.total) + " of " + strconv.Itoa(max) + ": " + tc.band + "."
		if safety {
			head = "Item 9 (thoughts of being better off dead or of self-harm) was answered above 0: " +
				"follow the safety steps now, before going on. " + head
		}
		if !strings.HasPrefix(r.Message, head) || !strings.HasSuffix(r.Message, " "+NotADiagnosis) {
			t.Errorf("%s total %d: message %q, want it to start %q and end with the reminder", tc.id, tc.total, r.Message, head)
		}
		if got := strings.Contains(r.Message, "10 or more is the usual point to refer on"); got != tc.refer {
			t.Errorf("%s total %d: refer-on note %v, want %v: %q", tc.id, tc.total, got, tc.refer, r.Message)
		}
	}
}

func TestScoreTwoItemScreens(t *testing.T) {
	tests := []struct {
		id       ID
		a        Answers
		total    float64
		positive bool
		next     ID
		band     string // the result, stored as the band
		say      string
	}{
		{PHQ2, Answers{0, 0}, 0, false, "", "negative", "Total 0 of 6: screens negative (below 3). A screen is not a diagnosis."},
		{PHQ2, Answers{1, 1}, 2, false, "", "negative", "Total 2 of 6: screens negative (below 3). A screen is not a diagnosis."},
		{PHQ2, Answers{2, 1}, 3, true, PHQ9, "positive", "Total 3 of 6: screens positive (3 or more), so give the PHQ-9 now. A screen is not a diagnosis."},
		{PHQ2, Answers{3, 3}, 6, true, PHQ9, "positive", "Total 6 of 6: screens positive (3 or more), so give the PHQ-9 now. A screen is not a diagnosis."},
		{GAD2, Answers{2, 0}, 2, false, "", "negative", "Total 2 of 6: screens negative (below 3). A screen is not a diagnosis."},
		{GAD2, Answers{0, 3}, 3, true, GAD7, "positive", "Total 3 of 6: screens positive (3 or more), so give the GAD-7 now. A screen is not a diagnosis."},
	}
	for _, tc := range tests {
		r := Score(mustGet(t, tc.id), tc.a)
		if !r.Scored || r.Total != tc.total || r.Positive != tc.positive || r.Next != tc.next || r.Band != tc.band || r.Message != tc.say {
			t.Errorf("%s %v: %+v\nwant total %v positive %v next %q band %q message %q", tc.id, tc.a, r, tc.total, tc.positive, tc.next, tc.band, tc.say)
		}
	}
}

func TestScoreDeclinedAndUnfinished(t *testing.T) {
	d := Declined
	tests := []struct {
		name     string
		id       ID
		a        Answers
		complete bool
		answered int
		declined int
		say      string
	}{
		{"PHQ-9 one declined", PHQ9, Answers{1, 1, 1, d, 1, 1, 1, 1, 0}, true, 8, 1,
			"Not scored: item 4 was declined, and the PHQ-9 needs every item. A screen is not a diagnosis."},
		{"PHQ-9 two declined", PHQ9, Answers{1, 1, 1, d, 1, d, 1, 1, 0}, true, 7, 2,
			"Not scored: items 4 and 6 were declined, and the PHQ-9 needs every item. A screen is not a diagnosis."},
		{"PHQ-9 three declined", PHQ9, Answers{d, 1, 1, d, 1, d, 1, 1, 0}, true, 6, 3,
			"Not scored: items 1, 4 and 6 were declined, and the PHQ-9 needs every item. A screen is not a diagnosis."},
		{"PHQ-9 all declined", PHQ9, Answers{d, d, d, d, d, d, d, d, d}, true, 0, 9,
			"Item 9 (thoughts of being better off dead or of self-harm) was declined: ask about it directly. " +
				"Not scored: every item was declined. A screen is not a diagnosis."},
		{"PHQ-9 only item 9 declined", PHQ9, Answers{0, 0, 0, 0, 0, 0, 0, 0, d}, true, 8, 1,
			"Item 9 (thoughts of being better off dead or of self-harm) was declined: ask about it directly. " +
				"Not scored: item 9 was declined, and the PHQ-9 needs every item. A screen is not a diagnosis."},
		{"PHQ-9 unfinished", PHQ9, Answers{1, 2, 3, 0, 1}, false, 5, 0,
			"Unfinished: 5 of 9 items done so far. A screen is not a diagnosis."},
		{"PHQ-9 not started", PHQ9, nil, false, 0, 0,
			"Unfinished: 0 of 9 items done so far. A screen is not a diagnosis."},
		{"GAD-7 one declined", GAD7, Answers{1, 1, 1, 1, 1, 1, d}, true, 6, 1,
			"Not scored: item 7 was declined, and the GAD-7 needs every item. A screen is not a diagnosis."},
		{"GAD-2 all declined", GAD2, Answers{d, d}, true, 0, 2,
			"Not scored: every item was declined. A screen is not a diagnosis."},
		{"PHQ-2 one declined", PHQ2, Answers{3, d}, true, 1, 1,
			"Not scored: item 2 was declined, and the PHQ-2 needs every item. A screen is not a diagnosis."},
	}
	for _, tc := range tests {
		r := Score(mustGet(t, tc.id), tc.a)
		if r.Scored || r.Complete != tc.complete || r.Answered != tc.answered || r.DeclinedN != tc.declined ||
			r.Band != "" || r.Positive || r.Total != 0 || r.Message != tc.say {
			t.Errorf("%s: %+v\nwant complete %v answered %d declined %d message %q", tc.name, r, tc.complete, tc.answered, tc.declined, tc.say)
		}
	}
}

func TestScoreSEMCD6(t *testing.T) {
	d := Declined
	tests := []struct {
		name   string
		a      Answers
		scored bool
		total  float64
		say    string
	}{
		{"all answered", Answers{6, 6, 6, 7, 7, 7}, true, 6.5, "Mean 6.5 of 10 from all 6 answers."},
		{"thirds round down", Answers{6, 6, 6, 6, 7, 7}, true, 6.3, "Mean 6.3 of 10 from all 6 answers."},
		{"two thirds round up", Answers{6, 6, 7, 7, 7, 7}, true, 6.7, "Mean 6.7 of 10 from all 6 answers."},
		{"half rounds up", Answers{6, 6, 6, 7, d, d}, true, 6.3, "Mean 6.3 of 10 from 4 answers (two declined)."},
		{"one declined", Answers{5, 6, 7, d, 8, 6}, true, 6.4, "Mean 6.4 of 10 from 5 answers (one declined)."},
		{"ends of the scale", Answers{1, 1, 1, 10, 10, 10}, true, 5.5, "Mean 5.5 of 10 from all 6 answers."},
		{"whole mean keeps its decimal", Answers{8, 8, 8, 8, 8, 8}, true, 8, "Mean 8.0 of 10 from all 6 answers."},
		{"4 answered is enough", Answers{d, 2, d, 2, 3, 3}, true, 2.5, "Mean 2.5 of 10 from 4 answers (two declined)."},
		{"3 answered is not", Answers{d, 2, d, 2, 3, d}, false, 0, "Not scored: only 3 items were answered, and the SEMCD-6 needs at least 4."},
		{"1 answered", Answers{d, d, d, 9, d, d}, false, 0, "Not scored: only 1 item was answered, and the SEMCD-6 needs at least 4."},
		{"all declined", Answers{d, d, d, d, d, d}, false, 0, "Not scored: no items were answered, and the SEMCD-6 needs at least 4."},
		{"4 answered but unfinished", Answers{7, 7, 7, 7}, false, 0, "Unfinished: 4 of 6 items done so far."},
	}
	inst := mustGet(t, SEMCD6)
	for _, tc := range tests {
		r := Score(inst, tc.a)
		if r.Scored != tc.scored || r.Total != tc.total || r.Message != tc.say || r.Band != "" || r.Positive || r.SafetyItem {
			t.Errorf("%s: %+v\nwant scored %v total %v message %q", tc.name, r, tc.scored, tc.total, tc.say)
		}
	}
}

func TestValidate(t *testing.T) {
	d := Declined
	tests := []struct {
		name  string
		id    ID
		a     Answers
		field string // "" when valid
		says  string
	}{
		{"empty", PHQ9, nil, "", ""},
		{"all values and declined", PHQ9, Answers{0, 1, 2, 3, d, 0, 1, 2, 3}, "", ""},
		{"4 on the PHQ", PHQ9, Answers{0, 1, 4}, "item 3", "4 is not one of the answers; use 0 to 3, or mark it declined"},
		{"-2 is not declined", GAD7, Answers{-2}, "item 1", "-2 is not one of the answers; use 0 to 3, or mark it declined"},
		{"first bad value is named", GAD2, Answers{9, 7}, "item 1", "9 is not"},
		{"0 on the SEMCD-6", SEMCD6, Answers{5, 0}, "item 2", "0 is not one of the answers; use 1 to 10, or mark it declined"},
		{"11 on the SEMCD-6", SEMCD6, Answers{11}, "item 1", "use 1 to 10"},
		{"10 on the SEMCD-6", SEMCD6, Answers{10, 1, d}, "", ""},
		{"too many", PHQ9, Answers{0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, "answers", "10 answers given, but the PHQ-9 has 9 items"},
		{"too many on the PHQ-2", PHQ2, Answers{0, 0, 0}, "answers", "3 answers given, but the PHQ-2 has 2 items"},
	}
	for _, tc := range tests {
		err := Validate(mustGet(t, tc.id), tc.a)
		if tc.field == "" {
			if err != nil {
				t.Errorf("%s: Validate = %v, want nil", tc.name, err)
			}
			continue
		}
		fe, ok := err.(*coaching.FieldError)
		if !ok || fe.Field != tc.field || !strings.Contains(fe.Msg, tc.says) || !coaching.IsFieldError(err) {
			t.Errorf("%s: Validate = %v, want field %q saying %q", tc.name, err, tc.field, tc.says)
		}
	}
}

func TestScoreInvalidAndUnknown(t *testing.T) {
	tests := []struct {
		name string
		inst Instrument
		a    Answers
		say  string
	}{
		{"out of range", mustGet(t, PHQ2), Answers{1, 5},
			"Not scored. Item 2: 5 is not one of the answers; use 0 to 3, or mark it declined. A screen is not a diagnosis."},
		{"too many", mustGet(t, SEMCD6), Answers{1, 2, 3, 4, 5, 6, 7},
			"Not scored. Answers: 7 answers given, but the SEMCD-6 has 6 items."},
		{"unknown instrument", Instrument{ID: "pam13", Name: "PAM-13"}, nil,
			`Not scored: "pam13" is not a measure callcoach knows.`},
	}
	for _, tc := range tests {
		r := Score(tc.inst, tc.a)
		if r.Scored || r.Complete || r.Message != tc.say {
			t.Errorf("%s: %+v\nwant message %q", tc.name, r, tc.say)
		}
	}
}

// Every message on a depression or anxiety screen ends with the reminder,
// whatever the answers; the SEMCD-6 is not a screen and never says it.
func TestEveryScreenMessageEndsWithTheReminder(t *testing.T) {
	d := Declined
	sets := []Answers{nil, {0}, {d}, {3, 3}, {1, 9}, {0, 0, 0, 0, 0, 0, 0}, {d, d, d, d, d, d, d},
		{1, 1, 1, 1, 1, 1, 1, 1, 1}, {3, 3, 3, 3, 3, 3, 3, 3, 3}, {1, 1, 1, 1, 1, 1, 1, 1, d}, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0}}
	for _, inst := range All() {
		for _, a := range sets {
			msg := Score(inst, a).Message
			ends := strings.HasSuffix(msg, ". "+NotADiagnosis)
			if inst.ClinicalFollowUp != ends || strings.Count(msg, NotADiagnosis) > 1 {
				t.Errorf("%s %v: message %q; reminder expected %v", inst.ID, a, msg, inst.ClinicalFollowUp)
			}
		}
	}
}

func TestDescribeOptions(t *testing.T) {
	tests := []struct {
		values []int
		want   string
	}{
		{[]int{0, 1, 2, 3}, "0 to 3"},
		{[]int{1, 2}, "1 to 2"},
		{[]int{0, 2, 5}, "0, 2 or 5"},
		{[]int{0, 1, 3}, "0, 1 or 3"},
		{[]int{3, 2, 1}, "3, 2 or 1"},
		{[]int{7}, "7"},
	}
	for _, tc := range tests {
		opts := make([]Option, len(tc.values))
		for i, v := range tc.values {
			opts[i] = Option{Value: v}
		}
		if got := describeOptions(opts); got != tc.want {
			t.Errorf("describeOptions(%v) = %q, want %q", tc.values, got, tc.want)
		}
	}
}

func TestWordHelpers(t *testing.T) {
	for _, tc := range []struct {
		got, want string
	}{
		{numberWord(0), "none"}, {numberWord(1), "one"}, {numberWord(2), "two"}, {numberWord(9), "nine"},
		{numberWord(10), "10"}, {numberWord(-1), "-1"},
		{listInts(nil, "and"), ""}, {listInts([]int{4}, "and"), "4"}, {listInts([]int{4, 6}, "and"), "4 and 6"},
		{listInts([]int{1, 4, 6}, "and"), "1, 4 and 6"}, {listInts([]int{0, 5}, "or"), "0 or 5"},
		{countItems(0), "no items were"}, {countItems(1), "only 1 item was"}, {countItems(3), "only 3 items were"},
		{capitalise(""), ""}, {capitalise("item 4"), "Item 4"}, {capitalise("Answers"), "Answers"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
