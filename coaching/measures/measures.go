// Package measures holds the short questionnaires a coach may read out on a
// call (SEMCD-6, PHQ-2, PHQ-9, GAD-2, GAD-7). Its registry (All, Get) is
// the one place an instrument is described: its wording, answers, scoring,
// bands and cut-offs, LOINC codes, safety item and chart range. Storage,
// the exports and every screen read it; adding an instrument is one entry
// in instruments.go and a row in its table test. Only instruments free to
// reproduce carry item text; licensed ones such as the PAM-13 are never
// shipped. The facts behind each entry are in docs/coaching.md, section
// "Measures". Like the rest of coaching/, it does no I/O and never reads
// the clock.
package measures

// ID names an instrument as it is stored.
type ID string

// The instruments, by stored name.
const (
	SEMCD6 ID = "semcd6"
	PHQ2   ID = "phq2"
	PHQ9   ID = "phq9"
	GAD2   ID = "gad2"
	GAD7   ID = "gad7"
)

// Option is one answer the person can give, with the value it scores.
type Option struct {
	Value int
	Label string // what the coach reads out: "Several days", or a number on the SEMCD-6
	LOINC string // the answer's LOINC code ("LA6569-3"); "" where there is none
}

// Item is one question of an instrument.
type Item struct {
	Number int    // 1-based, as printed on the form
	Text   string // verbatim; only for instruments free to reproduce
	LOINC  string // the item's LOINC code; "" where none has been checked
}

// Method is how the item answers make a total.
type Method int

// The scoring methods.
const (
	Sum  Method = iota // the sum of every item; a declined item leaves it unscored
	Mean               // the mean of the answered items, to 1 decimal
)

// Scoring is how an instrument is totalled.
type Scoring struct {
	Method Method
	// MinAnswered is, for a mean, the fewest answered items that give a
	// score. A sum needs every item, so it is 0 there.
	MinAnswered int
}

// Band is a named range of totals, from the end of the band before it up
// to and including UpTo.
type Band struct {
	UpTo int
	Name string // the instrument's own word: "moderate"
}

// SafetyItem is the item whose answer above 0 raises the safety prompt.
type SafetyItem struct {
	Number  int     // 1-based; 0 when the instrument has none
	About   string  // what it asks about, in a few words, for messages
	Trigger Trigger // stored with the safety event it raises
}

// Range is a span of totals, both ends included.
type Range struct {
	Min, Max float64
}

// Instrument is a questionnaire as it is administered by phone, with
// everything the app needs to score, store and export it.
type Instrument struct {
	ID    ID
	Name  string // "PHQ-9"
	Title string // plain words: "Depression screen (PHQ-9)"

	// Intro is what the coach says before the first item: our own words,
	// then the instrument's stem verbatim where it has one.
	Intro   string
	Options []Option // the answers every item shares, in the order read out
	Items   []Item

	// Free is true when the item text may be reproduced without a licence.
	Free bool
	// ClinicalFollowUp is true for the depression and anxiety screens: a
	// result is not a diagnosis and needs clinical follow-up, which a peer
	// volunteer hands over.
	ClinicalFollowUp bool

	Scoring Scoring
	Bands   []Band // in order, the last ending at the highest total; none when the source gives none
	// PositiveAt is, on a two-item screen, the total at or above which the
	// screen is positive; 0 when it has no such cut-off.
	PositiveAt int
	// StepUp is the instrument to give next when the screen is positive.
	StepUp ID
	// ReferAt is the total at or above which the usual advice is to refer
	// on for a clinical assessment; 0 when there is none.
	ReferAt int
	Safety  SafetyItem

	TotalLOINC string // "" where unverified: the exports use a local code
	PanelLOINC string // "" where unverified

	// Closing is the question after the items on how much the problems get
	// in the way of work, home or relationships; "" for instruments without
	// one. Its answer is stored, never scored.
	Closing        string
	ClosingOptions []Option
}

// All lists the instruments in the order they are offered. Each call
// returns fresh copies, so a caller may change them freely.
func All() []Instrument {
	return []Instrument{semcd6(), phq2(), phq9(), gad2(), gad7()}
}

// Get finds an instrument by its stored name.
func Get(id ID) (Instrument, bool) {
	for _, inst := range All() {
		if inst.ID == id {
			return inst, true
		}
	}
	return Instrument{}, false
}

// Scale is the lowest and highest value one item can score.
func (inst Instrument) Scale() (lo, hi int) {
	for i, o := range inst.Options {
		if i == 0 {
			lo, hi = o.Value, o.Value
		}
		lo, hi = min(lo, o.Value), max(hi, o.Value)
	}
	return lo, hi
}

// Totals is the span a scored total can take: for a sum, every item at
// the bottom of the scale to every item at the top; for a mean, the scale
// itself.
func (inst Instrument) Totals() Range {
	lo, hi := inst.Scale()
	if inst.Scoring.Method == Mean {
		return Range{float64(lo), float64(hi)}
	}
	n := len(inst.Items)
	return Range{float64(lo * n), float64(hi * n)}
}

// Chart is the span a chart of an instrument's totals draws: from 0, so a
// bar's height reads the same way on every instrument, up to the highest
// total it can give (27 on the PHQ-9, 10 on the SEMCD-6's mean).
func (inst Instrument) Chart() Range {
	return Range{0, inst.Totals().Max}
}

// BandOf names the band a whole total falls in; "" when the instrument
// has no bands or the total is above them all.
func (inst Instrument) BandOf(total int) string {
	for _, b := range inst.Bands {
		if total <= b.UpTo {
			return b.Name
		}
	}
	return ""
}

// ForTrigger is the instrument whose safety item raises trigger t; ok is
// false for a trigger no instrument raises (the coach's own).
func ForTrigger(t Trigger) (inst Instrument, ok bool) {
	for _, inst := range All() {
		if inst.Safety.Number > 0 && inst.Safety.Trigger == t {
			return inst, true
		}
	}
	return Instrument{}, false
}

// StepUp is the full measure a two-item screen steps up to when it is
// positive (Instrument.StepUp), with the answers that carry over: the
// PHQ-2's items are the PHQ-9's first two (the GAD-2's the GAD-7's), so a
// person is not asked them twice. Only answers to items the next measure
// begins with, word for word, carry. ok is false when inst steps up to
// nothing, or when the next measure does not begin with inst's items.
func StepUp(inst Instrument, a Answers) (next Instrument, carried Answers, ok bool) {
	next, ok = Get(inst.StepUp)
	if !ok || len(inst.Items) > len(next.Items) {
		return Instrument{}, nil, false
	}
	for i, it := range inst.Items {
		if it.Number != next.Items[i].Number || it.Text != next.Items[i].Text {
			return Instrument{}, nil, false
		}
	}
	n := min(len(a), len(inst.Items))
	return next, append(Answers{}, a[:n]...), true
}
