package coaching

import "testing"

func TestTallyRatios(t *testing.T) {
	tests := []struct {
		name      string
		t         Tally
		rq, pct   string
		rqB, pctB Band
	}{
		{"empty", Tally{}, "—", "—", BandNone, BandNone},
		{"questions only", Tally{TallyOpenQuestion: 3}, "0.0", "—", BandBelowFair, BandNone},
		{"reflections only", Tally{TallySimpleReflection: 2}, "—", "0%", BandNone, BandBelowFair},
		{"R:Q exactly fair", Tally{TallyOpenQuestion: 2, TallySimpleReflection: 2}, "1.0", "0%", BandFair, BandBelowFair},
		{"R:Q just under fair", Tally{TallyOpenQuestion: 10, TallySimpleReflection: 9}, "0.9", "0%", BandBelowFair, BandBelowFair},
		{"R:Q exactly good", Tally{TallyClosedQuestion: 1, TallySimpleReflection: 1, TallyComplexReflect: 1}, "2.0", "50%", BandGood, BandGood},
		{"open and closed both count", Tally{TallyOpenQuestion: 1, TallyClosedQuestion: 1, TallySimpleReflection: 3}, "1.5", "0%", BandFair, BandBelowFair},
		{"%CR exactly fair", Tally{TallySimpleReflection: 3, TallyComplexReflect: 2}, "—", "40%", BandNone, BandFair},
		{"%CR just under fair", Tally{TallySimpleReflection: 61, TallyComplexReflect: 39}, "—", "39%", BandNone, BandBelowFair},
		{"all complex", Tally{TallyComplexReflect: 4, TallyOpenQuestion: 1}, "4.0", "100%", BandGood, BandGood},
		{"others do not count", Tally{TallyAffirmation: 5, TallySummary: 2, TallyMIInconsistent: 1}, "—", "—", BandNone, BandNone},
	}
	for _, tc := range tests {
		rq, pct := tc.t.ReflectionToQuestion(), tc.t.PercentComplex()
		if rq.FormatRQ() != tc.rq || rq.Band != tc.rqB {
			t.Errorf("%s: R:Q = %s %v, want %s %v", tc.name, rq.FormatRQ(), rq.Band, tc.rq, tc.rqB)
		}
		if pct.FormatPercent() != tc.pct || pct.Band != tc.pctB {
			t.Errorf("%s: %%CR = %s %v, want %s %v", tc.name, pct.FormatPercent(), pct.Band, tc.pct, tc.pctB)
		}
	}
}

// TestTallyJudgesOnlyWithEnoughMarks: the band is given once there are
// enough marks, and at exactly that many; the ratio shows before.
func TestTallyJudgesOnlyWithEnoughMarks(t *testing.T) {
	for _, tc := range []struct {
		name      string
		t         Tally
		rqV, pctV string
		rqEnough  bool
		pctEnough bool
	}{
		{"one mark", Tally{TallyOpenQuestion: 1}, "0.0 too few to judge", "— —", false, false},
		{"nine of ten", Tally{TallyOpenQuestion: 5, TallySimpleReflection: 4}, "0.8 too few to judge", "0% too few to judge", false, false},
		{"ten exactly", Tally{TallyOpenQuestion: 5, TallySimpleReflection: 5}, "1.0 fair", "0% too few to judge", true, false},
		{"five reflections", Tally{TallyOpenQuestion: 2, TallyComplexReflect: 5}, "2.5 too few to judge", "100% too few to judge", false, false},
		{"six reflections", Tally{TallyOpenQuestion: 2, TallySimpleReflection: 3, TallyComplexReflect: 3}, "3.0 too few to judge", "50% good", false, true},
		{"enough of both", Tally{TallyOpenQuestion: 4, TallySimpleReflection: 4, TallyComplexReflect: 2}, "1.5 fair", "33% below fair", true, true},
		{"affirmations do not count", Tally{TallyAffirmation: 20, TallyOpenQuestion: 1}, "0.0 too few to judge", "— —", false, false},
	} {
		rq, pct := tc.t.ReflectionToQuestion(), tc.t.PercentComplex()
		if got := rq.FormatRQ() + " " + rq.Verdict(); got != tc.rqV || rq.Enough != tc.rqEnough {
			t.Errorf("%s: R:Q %q (enough %v), want %q (%v)", tc.name, got, rq.Enough, tc.rqV, tc.rqEnough)
		}
		if got := pct.FormatPercent() + " " + pct.Verdict(); got != tc.pctV || pct.Enough != tc.pctEnough {
			t.Errorf("%s: %%CR %q (enough %v), want %q (%v)", tc.name, got, pct.Enough, tc.pctV, tc.pctEnough)
		}
	}
}

func TestTallyKindsAndBands(t *testing.T) {
	seen := map[string]bool{}
	for _, k := range TallyKinds {
		if k.Short() == "" || k.Label() == "" || seen[k.Short()] {
			t.Errorf("kind %s: short %q label %q", k, k.Short(), k.Label())
		}
		seen[k.Short()] = true
		if got, err := ParseTallyKind(string(k)); err != nil || got != k {
			t.Errorf("ParseTallyKind(%s) = %s, %v", k, got, err)
		}
	}
	if _, err := ParseTallyKind("grunt"); err == nil {
		t.Error("ParseTallyKind accepted nonsense")
	}
	for b, want := range map[Band]string{BandNone: "—", BandBelowFair: "below fair", BandFair: "fair", BandGood: "good"} {
		if b.String() != want {
			t.Errorf("Band(%d) = %q", b, b.String())
		}
	}
}

func TestTalkKinds(t *testing.T) {
	keys := map[string]bool{}
	for _, c := range TalkChoices {
		if keys[c.Key] {
			t.Errorf("key %q twice", c.Key)
		}
		keys[c.Key] = true
		if got, err := ParseTalkKind(string(c.Kind)); err != nil || got != c.Kind || c.Kind.Label() != c.Label {
			t.Errorf("kind %s: %s %v %q", c.Kind, got, err, c.Kind.Label())
		}
	}
	if len(TalkChoices) != 8 {
		t.Errorf("%d kinds, want DARN + CAT + sustain = 8", len(TalkChoices))
	}
	if TalkSustain.IsChangeTalk() || !TalkNeed.IsChangeTalk() {
		t.Error("IsChangeTalk is wrong")
	}
	if _, err := ParseTalkKind("grumble"); err == nil {
		t.Error("ParseTalkKind accepted nonsense")
	}
}

// A shown figure never rounds up onto a threshold it has not reached.
func TestRatioFormatNeverRoundsOntoAThreshold(t *testing.T) {
	tests := []struct {
		r       Ratio
		rq, pct string
	}{
		{Ratio{Value: 0.999, Defined: true}, "0.9", "100%"},
		{Ratio{Value: 0.3999, Defined: true}, "0.4", "39%"},
		{Ratio{Value: 0.4, Defined: true}, "0.4", "40%"},
		{Ratio{Value: 0.4999, Defined: true}, "0.5", "49%"},
		{Ratio{Value: 2.0 / 3, Defined: true}, "0.7", "67%"},
		{Ratio{Value: 1.96, Defined: true}, "1.9", "196%"},
		{Ratio{Value: 2.04, Defined: true}, "2.0", "204%"},
		{Ratio{Value: 1.0, Defined: true}, "1.0", "100%"},
		{Ratio{}, "—", "—"},
	}
	for _, tt := range tests {
		if got := tt.r.FormatRQ(); got != tt.rq {
			t.Errorf("FormatRQ(%v) = %q, want %q", tt.r.Value, got, tt.rq)
		}
		if got := tt.r.FormatPercent(); got != tt.pct {
			t.Errorf("FormatPercent(%v) = %q, want %q", tt.r.Value, got, tt.pct)
		}
	}
}
