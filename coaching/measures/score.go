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
	Band     string  // the instrument's own band name ("moderate"); "" when none
	Positive bool    // PHQ-2, GAD-2: the total is at or above the cut-off
	Next     ID      // the measure to give next when a two-item screen is positive
	Answered int     // items given a value
	// DeclinedN counts the items the person chose not to answer.
	DeclinedN int
	// Message says what the result means, for the coach; on the PHQ and GAD
	// it always ends with NotADiagnosis.
	Message string
	// SafetyItem is true when PHQ-9 item 9 was answered above 0: the safety
	// prompt must be raised (see SafetyTriggered).
	SafetyItem bool
}

// NotADiagnosis ends every message about a depression or anxiety screen.
const NotADiagnosis = "A screen is not a diagnosis."

// band is a named range of totals, up to and including upTo.
type band struct {
	upTo int
	name string
}

// rule is how an instrument is scored (COACHING.md section 5).
type rule struct {
	mean        bool // SEMCD-6: the mean of the answered items; otherwise the sum of all
	minAnswered int  // for a mean: the fewest answered items that give a score
	bands       []band
	positiveAt  int // two-item screens: a total at or above this is positive
	next        ID  // what to give when positive
	referAt     int // a total at or above this is the usual point to refer on
	screen      bool
}

// ruleFor returns the scoring rule of an instrument. The PHQ and GAD have
// no checked rule for missing items, so they need every item.
func ruleFor(id ID) (rule, bool) {
	switch id {
	case SEMCD6:
		return rule{mean: true, minAnswered: 4}, true
	case PHQ2:
		return rule{positiveAt: 3, next: PHQ9, screen: true}, true
	case GAD2:
		return rule{positiveAt: 3, next: GAD7, screen: true}, true
	case PHQ9:
		return rule{bands: []band{
			{4, "minimal"}, {9, "mild"}, {14, "moderate"}, {19, "moderately severe"}, {27, "severe"},
		}, referAt: 10, screen: true}, true
	case GAD7:
		return rule{bands: []band{
			{4, "minimal"}, {9, "mild"}, {14, "moderate"}, {21, "severe"},
		}, referAt: 10, screen: true}, true
	}
	return rule{}, false
}

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

// Score totals the answers under the instrument's rules. It never guesses:
// when a rule cannot be met the result is not scored and the message says
// why. Safety notes on PHQ-9 item 9 come first in the message.
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
		say = append(say, "Item 9 ("+item9About+") was answered above 0: follow the safety steps now, before going on.")
	case item9Declined(inst, a):
		say = append(say, "Item 9 ("+item9About+") was declined: ask about it directly.")
	}
	rl, known := ruleFor(inst.ID)
	err := Validate(inst, a)
	r.Complete = known && err == nil && len(a) == len(inst.Items)
	switch {
	case !known:
		say = append(say, fmt.Sprintf("Not scored: %q is not a measure callcoach knows.", inst.ID))
	case err != nil:
		say = append(say, "Not scored. "+capitalise(err.Error())+".")
	case !r.Complete:
		say = append(say, fmt.Sprintf("Unfinished: %d of %d items done so far.", len(a), len(inst.Items)))
	case rl.mean:
		say = append(say, r.scoreMean(inst, a, rl))
	default:
		say = append(say, r.scoreSum(inst, a, rl))
	}
	if rl.screen {
		say = append(say, NotADiagnosis)
	}
	r.Message = strings.Join(say, " ")
	return r
}

// scoreSum totals a complete PHQ or GAD; a declined item leaves it unscored.
func (r *Result) scoreSum(inst Instrument, a Answers, rl rule) string {
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
	msg := fmt.Sprintf("Total %d of %d", total, len(inst.Items)*maxValue(inst.Options))
	for _, b := range rl.bands {
		if total <= b.upTo {
			r.Band = b.name
			msg += ": " + b.name + "."
			break
		}
	}
	if rl.positiveAt > 0 {
		if total >= rl.positiveAt {
			r.Positive, r.Next = true, rl.next
			next, _ := Get(rl.next)
			msg += fmt.Sprintf(": screens positive (%d or more), so give the %s now.", rl.positiveAt, next.Name)
		} else {
			msg += fmt.Sprintf(": screens negative (below %d).", rl.positiveAt)
		}
	}
	if rl.referAt > 0 && total >= rl.referAt {
		msg += fmt.Sprintf(" %d or more is the usual point to refer on for a clinical assessment.", rl.referAt)
	}
	return msg
}

// scoreMean averages the answered items of the SEMCD-6, if enough were.
func (r *Result) scoreMean(inst Instrument, a Answers, rl rule) string {
	if r.Answered < rl.minAnswered {
		return fmt.Sprintf("Not scored: %s answered, and the %s needs at least %d.",
			countItems(r.Answered), inst.Name, rl.minAnswered)
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
	return fmt.Sprintf("Mean %.1f of %d from %s.", r.Total, maxValue(inst.Options), from)
}

func maxValue(opts []Option) int {
	m := 0
	for _, o := range opts {
		m = max(m, o.Value)
	}
	return m
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
