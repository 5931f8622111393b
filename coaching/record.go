package coaching

import (
	"fmt"
	"strconv"
	"time"
)

// CallRecord is everything one call holds and produced: its notes and the
// marks made during it, and what was agreed, reviewed, given and done.
// The call summary (coaching/summary) is written from it.
type CallRecord struct {
	Person Person
	Call   Call
	Visits []StageVisit
	Rulers []Ruler
	Talk   []ChangeTalk
	Tally  Tally
	CallProduce
}

// CallProduce is what a call produced beyond its notes and marks, each
// list in the order it happened. storage reads it (Store.CallProduce).
type CallProduce struct {
	Plans     []PlanRecord   // plans made or revised in the call
	Reviews   []ReviewRecord // reviews of earlier plans asked in the call
	FollowUps []FollowUp     // next contacts agreed in the call
	Measures  []MeasureGiven // questionnaires given in the call
	Safety    []SafetyRecord // safety events raised in the call
}

// PlanRecord is a plan made in a call with every confidence score it was
// given, oldest first: the trail shows a plan made easier until the
// person was confident enough.
type PlanRecord struct {
	Plan       ActionPlan
	Confidence []ConfidenceScore
}

// Revised reports whether the plan revises an earlier one.
func (p PlanRecord) Revised() bool { return p.Plan.Replaces != 0 }

// ReviewRecord is a review asked in a call, with the plan it was about.
type ReviewRecord struct {
	Review PlanReview
	Plan   ActionPlan
}

// MeasureGiven is a questionnaire given in a call, as the record shows it:
// the instrument's names and its result. storage fills it from the
// registry in coaching/measures, which this package cannot import.
type MeasureGiven struct {
	Name     string  // "PHQ-9"
	Title    string  // "Depression screen (PHQ-9)"
	Complete bool    // every item answered or declined
	Scored   bool    // a total was worked out under the instrument's rules
	Total    float64 // the sum, or the mean to 1 decimal; 0 when not scored
	Mean     bool    // the total is a mean (the SEMCD-6), not a sum
	Max      float64 // the highest total the instrument gives
	Band     string  // the instrument's own band name ("moderate"); "" when none
	// Screen is true for the depression and anxiety screens, whose result
	// is not a diagnosis.
	Screen  bool
	GivenAt time.Time
}

// NotADiagnosis is said with every depression or anxiety screen's result;
// coaching/measures says the same (measures.NotADiagnosis).
const NotADiagnosis = "A screen is not a diagnosis."

// TotalText is the total out of the most it can be ("12 of 27", "mean 7.5
// of 10"), or "" when the measure was not scored.
func (m MeasureGiven) TotalText() string {
	if !m.Scored {
		return ""
	}
	most := strconv.FormatFloat(m.Max, 'f', -1, 64)
	if m.Mean {
		return fmt.Sprintf("mean %.1f of %s", m.Total, most)
	}
	return fmt.Sprintf("%s of %s", strconv.FormatFloat(m.Total, 'f', -1, 64), most)
}

// Result is the total with its band ("12 of 27, moderate"), or why there
// is none: "not scored", or "not scored (unfinished)" for one stopped
// part-way.
func (m MeasureGiven) Result() string {
	switch {
	case m.Scored && m.Band != "":
		return m.TotalText() + ", " + m.Band
	case m.Scored:
		return m.TotalText()
	case !m.Complete:
		return "not scored (unfinished)"
	}
	return "not scored"
}

// SafetyRecord is a safety event raised in a call, as the record shows it:
// why it was raised and what the coach did, in words. storage fills it
// from the wording in coaching/measures.
type SafetyRecord struct {
	Reason     string   // "PHQ-9 question 9 was answered above 0 (...)", or the coach raised it
	Actions    []string // what was done, in the order recorded; none until recorded
	Note       string
	RaisedAt   time.Time
	RecordedAt time.Time // zero while nothing is recorded (the panel was left open)
}

// Recorded reports whether what was done has been recorded.
func (s SafetyRecord) Recorded() bool { return !s.RecordedAt.IsZero() }
