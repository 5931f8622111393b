// Package measures holds the short questionnaires a coach may read out on a
// call (SEMCD-6, PHQ-2, PHQ-9, GAD-2, GAD-7): their wording, answer options
// and scoring, the safety rule on PHQ-9 item 9, and a small trend for the
// person screen. Only instruments free to reproduce carry item text; licensed
// ones such as the PAM-13 are never shipped. Like the rest of coaching/, it
// does no I/O and never reads the clock.
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
}

// Item is one question of an instrument.
type Item struct {
	Number int    // 1-based, as printed on the form
	Text   string // verbatim; only for instruments free to reproduce
	LOINC  string // the item's LOINC code; "" where none has been checked
}

// Instrument is a questionnaire as it is administered by phone.
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
	// result needs clinical follow-up, which a peer volunteer hands over.
	ClinicalFollowUp bool

	TotalLOINC string // "" where unverified: local codes are used instead
	PanelLOINC string

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
