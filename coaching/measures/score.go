package measures

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"callcoach/coaching"
)

// Declined marks an item the person chose not to answer.
const Declined = -1

// Answers holds one value per item, in order: a value from the instrument's
// options, or Declined. Fewer answers than items means the measure is not
// finished yet.
type Answers []int

// Result is a scored administration, in numbers and in plain words.
type Result struct {
	Complete bool    // every item answered or declined
	Scored   bool    // a total could be computed under the instrument's rules
	Total    float64 // the sum (PHQ, GAD) or the mean to 1 decimal (SEMCD-6)
	// Band is the instrument's own band name ("moderate"); on a two-item
	// screen BandPositive or BandNegative; "" when none.
	Band     string
	Positive bool // PHQ-2, GAD-2: the total is at or above the cut-off
	Next     ID   // the measure to give next when a two-item screen is positive
	Answered int  // items given a value
	// DeclinedN counts the items the person chose not to answer.
	DeclinedN int
	// Message says what the result means, for the coach; on the PHQ and GAD
	// it always ends with NotADiagnosis.
	Message string
	// SafetyItem is true when the instrument's safety item (PHQ-9 item 9)
	// was answered above 0: the safety prompt must be raised (see
	// SafetyTriggered).
	SafetyItem bool
}

// The result of a two-item screen (PHQ-2, GAD-2), stored as its band so
// that the person's record and every export show it.
const (
	BandPositive = "positive"
	BandNegative = "negative"
)

// NotADiagnosis ends every message about a depression or anxiety screen.
const NotADiagnosis = "A screen is not a diagnosis."

// Validate checks the answers fit the instrument: no more answers than
// items, and each one of the options or Declined. The error names the item
// and says what is allowed.
func Validate(inst Instrument, a Answers) error {
	if len(a) > len(inst.Items) {
		return &coaching.FieldError{Field: "answers", Msg: fmt.Sprintf(
			"%d answers given, but the %s has %d items", len(a), inst.Name, len(inst.Items))}
	}
	for i, v := range a {
		if v == Declined || hasOption(inst.Options, v) {
			continue
		}
		return &coaching.FieldError{Field: fmt.Sprintf("item %d", inst.Items[i].Number), Msg: fmt.Sprintf(
			"%d is not one of the answers; use %s, or mark it declined", v, describeOptions(inst.Options))}
	}
	return nil
}

func hasOption(opts []Option, v int) bool {
	for _, o := range opts {
		if o.Value == v {
			return true
		}
	}
	return false
}

// describeOptions says which values are allowed: "0 to 3" when they run
// without a gap, otherwise each one ("0, 2 or 5").
func describeOptions(opts []Option) string {
	run := len(opts) > 1
	for i := 1; i < len(opts); i++ {
		if opts[i].Value != opts[i-1].Value+1 {
			run = false
		}
	}
	if run {
		return fmt.Sprintf("%d to %d", opts[0].Value, opts[len(opts)-1].Value)
	}
	vals := make([]int, len(opts))
	for i, o := range opts {
		vals[i] = o.Value
	}
	return listInts(vals, "or")
}

// SafetyItemNote is the sentence a result opens with when the safety item
// was answered above 0.
func SafetyItemNote(inst Instrument) string {
	return fmt.Sprintf("Item %d (%s) was answered above 0: follow the safety steps now, before going on.",
		inst.Safety.Number, inst.Safety.About)
}

// Score totals the answers under the instrument's rules. It never guesses:
// when a rule cannot be met the result is not scored and the message says
// why. Notes on the safety item (PHQ-9 item 9) come first in the message.
func Score(inst Instrument, a Answers) Result {
	r := Result{SafetyItem: SafetyTriggered(inst, a)}
	for _, v := range a {
		if v == Declined {
			r.DeclinedN++
		} else {
			r.Answered++
		}
	}
	var say []string
	switch {
	case r.SafetyItem:
		say = append(say, SafetyItemNote(inst))
	case safetyDeclined(inst, a):
		say = append(say, fmt.Sprintf("Item %d (%s) was declined: ask about it directly.", inst.Safety.Number, inst.Safety.About))
	}
	_, known := Get(inst.ID)
	err := Validate(inst, a)
	r.Complete = known && err == nil && len(a) == len(inst.Items)
	switch {
	case !known:
		say = append(say, fmt.Sprintf("Not scored: %q is not a measure callcoach knows.", inst.ID))
	case err != nil:
		say = append(say, "Not scored. "+capitalise(err.Error())+".")
	case !r.Complete:
		say = append(say, fmt.Sprintf("Unfinished: %d of %d items done so far.", len(a), len(inst.Items)))
	case inst.Scoring.Method == Mean:
		say = append(say, r.scoreMean(inst, a))
	default:
		say = append(say, r.scoreSum(inst, a))
	}
	if known && inst.ClinicalFollowUp {
		say = append(say, NotADiagnosis)
	}
	r.Message = strings.Join(say, " ")
	return r
}

// scoreSum totals a complete PHQ or GAD; a declined item leaves it unscored.
func (r *Result) scoreSum(inst Instrument, a Answers) string {
	var declined []int
	total := 0
	for i, v := range a {
		if v == Declined {
			declined = append(declined, inst.Items[i].Number)
			continue
		}
		total += v
	}
	switch {
	case len(declined) == len(a):
		return "Not scored: every item was declined."
	case len(declined) == 1:
		return fmt.Sprintf("Not scored: item %d was declined, and the %s needs every item.", declined[0], inst.Name)
	case len(declined) > 1:
		return fmt.Sprintf("Not scored: items %s were declined, and the %s needs every item.", listInts(declined, "and"), inst.Name)
	}
	r.Scored, r.Total = true, float64(total)
	msg := fmt.Sprintf("Total %d of %.0f", total, inst.Totals().Max)
	if r.Band = inst.BandOf(total); r.Band != "" {
		msg += ": " + r.Band + "."
	}
	if inst.PositiveAt > 0 {
		r.Band = BandNegative
		if total >= inst.PositiveAt {
			r.Positive, r.Next, r.Band = true, inst.StepUp, BandPositive
			next, _ := Get(inst.StepUp)
			msg += fmt.Sprintf(": screens positive (%d or more), so give the %s now.", inst.PositiveAt, next.Name)
		} else {
			msg += fmt.Sprintf(": screens negative (below %d).", inst.PositiveAt)
		}
	}
	if inst.ReferAt > 0 && total >= inst.ReferAt {
		msg += fmt.Sprintf(" %d or more is the usual point to refer on for a clinical assessment.", inst.ReferAt)
	}
	return msg
}

// scoreMean averages the answered items of the SEMCD-6, if enough were.
func (r *Result) scoreMean(inst Instrument, a Answers) string {
	if r.Answered < inst.Scoring.MinAnswered {
		return fmt.Sprintf("Not scored: %s answered, and the %s needs at least %d.",
			countItems(r.Answered), inst.Name, inst.Scoring.MinAnswered)
	}
	sum := 0
	for _, v := range a {
		if v != Declined {
			sum += v
		}
	}
	r.Scored = true
	r.Total = math.Round(float64(sum)/float64(r.Answered)*10) / 10
	from := fmt.Sprintf("all %d answers", r.Answered)
	if r.DeclinedN > 0 {
		from = fmt.Sprintf("%d answers (%s declined)", r.Answered, numberWord(r.DeclinedN))
	}
	return fmt.Sprintf("Mean %.1f of %.0f from %s.", r.Total, inst.Totals().Max, from)
}

// countItems says how many items were answered: "no items were", "only 1
// item was", "only 3 items were".
func countItems(n int) string {
	switch n {
	case 0:
		return "no items were"
	case 1:
		return "only 1 item was"
	}
	return fmt.Sprintf("only %d items were", n)
}

// listInts joins numbers as in a sentence: "4", "4 and 6", "2, 4 or 6".
func listInts(ns []int, conj string) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	if len(s) < 2 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " " + conj + " " + s[len(s)-1]
}

// numberWord spells small counts as a coach would say them.
func numberWord(n int) string {
	words := []string{"none", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"}
	if n >= 0 && n < len(words) {
		return words[n]
	}
	return strconv.Itoa(n)
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
