package coaching

import (
	"fmt"
	"math"
)

// TallyKind is one kind of coach behaviour marked during a call, after the
// MITI 4.2.1 behaviour codes (with questions split into open and closed, as
// MITI 3 did, since a coach finds that split useful live); see
// docs/coaching.md, "The MI tally and MITI thresholds".
type TallyKind string

// The kinds of tally mark.
const (
	TallyOpenQuestion     TallyKind = "open_question"
	TallyClosedQuestion   TallyKind = "closed_question"
	TallySimpleReflection TallyKind = "simple_reflection"
	TallyComplexReflect   TallyKind = "complex_reflection"
	TallyAffirmation      TallyKind = "affirmation"
	TallySummary          TallyKind = "summary"
	TallyMIInconsistent   TallyKind = "mi_inconsistent"
)

// TallyKinds lists the kinds in the order they are shown.
var TallyKinds = []TallyKind{
	TallyOpenQuestion, TallyClosedQuestion, TallySimpleReflection, TallyComplexReflect,
	TallyAffirmation, TallySummary, TallyMIInconsistent,
}

var tallyLabels = map[TallyKind][2]string{ // short, long
	TallyOpenQuestion:     {"OQ", "open question"},
	TallyClosedQuestion:   {"CQ", "closed question"},
	TallySimpleReflection: {"SR", "simple reflection"},
	TallyComplexReflect:   {"CR", "complex reflection"},
	TallyAffirmation:      {"AF", "affirmation"},
	TallySummary:          {"SU", "summary"},
	TallyMIInconsistent:   {"MI-", "MI-inconsistent move"},
}

// Short is the kind's abbreviation, as in the tally panel.
func (k TallyKind) Short() string { return tallyLabels[k][0] }

// Label is the kind in plain words.
func (k TallyKind) Label() string { return tallyLabels[k][1] }

// ParseTallyKind accepts a kind's stored name.
func ParseTallyKind(s string) (TallyKind, error) {
	if _, ok := tallyLabels[TallyKind(s)]; ok {
		return TallyKind(s), nil
	}
	return "", fmt.Errorf("unknown tally mark %q", s)
}

// Tally counts the marks of one call.
type Tally map[TallyKind]int

// Questions counts open and closed questions together (MITI's Q).
func (t Tally) Questions() int { return t[TallyOpenQuestion] + t[TallyClosedQuestion] }

// Reflections counts simple and complex reflections (SR + CR).
func (t Tally) Reflections() int { return t[TallySimpleReflection] + t[TallyComplexReflect] }

// Band is how a summary score compares with MITI 4.2.1's thresholds.
type Band int

// The bands, from worst to best. BandNone means the score is undefined
// (its divisor is 0).
const (
	BandNone Band = iota
	BandBelowFair
	BandFair
	BandGood
)

// String is the band as a word, so it reads without colour.
func (b Band) String() string {
	switch b {
	case BandBelowFair:
		return "below fair"
	case BandFair:
		return "fair"
	case BandGood:
		return "good"
	}
	return "—"
}

// Thresholds of MITI 4.2.1 (fair, good) for the two ratio scores
// (docs/coaching.md, "The MI tally and MITI thresholds").
const (
	RQFair         = 1.0
	RQGood         = 2.0
	PctComplexFair = 0.40
	PctComplexGood = 0.50
)

// How many marks a ratio needs before its band means anything
// (docs/coaching.md, "A tally that does not judge too early"). Below
// these, one more mark can move a score across a whole band: with three
// reflections, one complex reflection is 33% (below fair) and two are 67%
// (good). The ratio itself shows from the first mark; only the word waits.
const (
	// MinMarksForRQ: R:Q is judged once questions and reflections
	// together number at least this.
	MinMarksForRQ = 10
	// MinReflectionsForPct: %CR is judged once there are at least this
	// many reflections.
	MinReflectionsForPct = 6
)

// Ratio is a derived score that may be undefined. Band is where the value
// falls; Enough says whether there are enough marks for the band to mean
// something.
type Ratio struct {
	Value   float64
	Defined bool
	Band    Band
	Enough  bool
}

// Verdict is the band in words once there are enough marks, "too few to
// judge" before, and a dash when the ratio is undefined.
func (r Ratio) Verdict() string {
	switch {
	case !r.Defined:
		return "—"
	case !r.Enough:
		return "too few to judge"
	}
	return r.Band.String()
}

func band(v, fair, good float64) Band {
	switch {
	case v >= good:
		return BandGood
	case v >= fair:
		return BandFair
	default:
		return BandBelowFair
	}
}

// ReflectionToQuestion is R:Q, (SR + CR) / Q. With no questions it is
// undefined, never 0 or infinity.
func (t Tally) ReflectionToQuestion() Ratio {
	q := t.Questions()
	if q == 0 {
		return Ratio{}
	}
	v := float64(t.Reflections()) / float64(q)
	return Ratio{Value: v, Defined: true, Band: band(v, RQFair, RQGood), Enough: q+t.Reflections() >= MinMarksForRQ}
}

// PercentComplex is %CR, CR / (SR + CR), as a fraction 0-1. With no
// reflections it is undefined.
func (t Tally) PercentComplex() Ratio {
	r := t.Reflections()
	if r == 0 {
		return Ratio{}
	}
	v := float64(t[TallyComplexReflect]) / float64(r)
	return Ratio{Value: v, Defined: true, Band: band(v, PctComplexFair, PctComplexGood), Enough: r >= MinReflectionsForPct}
}

// FormatRQ shows R:Q with one decimal ("1.5"), or a dash when undefined.
func (r Ratio) FormatRQ() string {
	if !r.Defined {
		return "—"
	}
	return fmt.Sprintf("%.1f", shown(r.Value, 10, RQFair, RQGood))
}

// shown is v rounded to 1/per, but never up onto a threshold v has not
// reached: 0.99 reads 0.9 beside "below fair", not 1.0, and 39.99% reads
// 39%.
func shown(v, per float64, thresholds ...float64) float64 {
	r := math.Round(v*per) / per
	for _, t := range thresholds {
		if v < t && r >= t {
			r = math.Round(t*per-1) / per
		}
	}
	return r
}

// FormatPercent shows a fraction as a whole percentage ("40%"), or a dash,
// rounded as FormatRQ is.
func (r Ratio) FormatPercent() string {
	if !r.Defined {
		return "—"
	}
	return fmt.Sprintf("%.0f%%", shown(r.Value, 100, PctComplexFair, PctComplexGood)*100)
}
