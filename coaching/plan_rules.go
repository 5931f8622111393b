package coaching

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// MaxBarriers bounds the barriers kept with one plan.
const MaxBarriers = 10

// BehaviourChoice is one area of the behaviour menu as the coach picks it.
type BehaviourChoice struct {
	Behaviour Behaviour
	Key       string
	Label     string
}

// BehaviourChoices is the behaviour menu in the order it is offered: the
// person's own idea first, then the self-management domains.
var BehaviourChoices = []BehaviourChoice{
	{BehaviourOwn, "o", "their own idea"},
	{BehaviourDiet, "d", "eating and drinking"},
	{BehaviourActivity, "a", "physical activity"},
	{BehaviourSleep, "s", "sleep"},
	{BehaviourSocial, "c", "social contact"},
	{BehaviourStress, "t", "stress and mood"},
	{BehaviourMedicines, "m", "medicines"},
}

// Label is the area in plain words; an unknown one is shown as stored.
func (b Behaviour) Label() string {
	for _, c := range BehaviourChoices {
		if c.Behaviour == b {
			return c.Label
		}
	}
	return string(b)
}

// ParseBehaviour accepts an area's stored name.
func ParseBehaviour(s string) (Behaviour, error) {
	for _, c := range BehaviourChoices {
		if string(c.Behaviour) == s {
			return c.Behaviour, nil
		}
	}
	return "", fmt.Errorf("unknown plan area %q", s)
}

var planStatuses = []struct {
	status PlanStatus
	label  string
}{
	{PlanActive, "active"},
	{PlanDone, "done"},
	{PlanPartly, "partly done"},
	{PlanNotDone, "not done"},
	{PlanRevised, "revised"},
	{PlanDropped, "dropped"},
}

// Label is the status in plain words; an unknown one is shown as stored.
func (s PlanStatus) Label() string {
	for _, c := range planStatuses {
		if c.status == s {
			return c.label
		}
	}
	return string(s)
}

// ParsePlanStatus accepts a status's stored name.
func ParsePlanStatus(s string) (PlanStatus, error) {
	for _, c := range planStatuses {
		if string(c.status) == s {
			return c.status, nil
		}
	}
	return "", fmt.Errorf("unknown plan status %q", s)
}

// Current reports whether a plan with this status is still the person's
// plan: every status but revised (a newer plan replaced it) and dropped
// (the person no longer wants it). A plan reviewed as done, partly done or
// not done stays current until it is revised or dropped.
func (s PlanStatus) Current() bool { return s != PlanRevised && s != PlanDropped }

// CurrentPlan is the person's current plan: of their plans whose status is
// Current, the one with the highest id, as ids grow with each plan saved.
// ok is false when none is current. storage's CurrentPlan and the
// caseload's plan column run the same rule in SQL (docs/coaching.md,
// "Brief Action Planning").
func CurrentPlan(plans []ActionPlan) (p ActionPlan, ok bool) {
	for _, q := range plans {
		if q.Status.Current() && (!ok || q.ID > p.ID) {
			p, ok = q, true
		}
	}
	return p, ok
}

// CanTransition reports whether a plan may go from one status to another.
// An active plan is reviewed (done, partly done, not done), revised or
// dropped; a reviewed plan may only be revised into a new one, or stay as
// it is; revised and dropped are final. Nothing goes back to active, and
// staying put is not a transition.
func CanTransition(from, to PlanStatus) bool {
	switch from {
	case PlanActive:
		switch to {
		case PlanDone, PlanPartly, PlanNotDone, PlanRevised, PlanDropped:
			return true
		}
	case PlanDone, PlanPartly, PlanNotDone:
		return to == PlanRevised
	}
	return false
}

// Hint is a gap in a plan the coach may want to fill, in plain words. Field
// uses the same names as Normalize's errors. Hints never block a save.
type Hint struct {
	Field string
	Msg   string
}

// Hints lists what would make the plan more specific (SMART), in the
// form's order. Each may be ignored: the person's plan is theirs. A missing
// backup plan is fine and gets no hint.
func (p ActionPlan) Hints() []Hint {
	var hs []Hint
	add := func(field, msg string) { hs = append(hs, Hint{field, msg}) }
	switch {
	case blank(p.What):
		add("what", "what will they do?")
	case namesOutcome(p.What):
		add("what", "this names a result; what will they DO to get there?")
	}
	if blank(p.HowMuch) {
		add("how much", "how much? e.g. how long, how far or how many")
	}
	if blank(p.When) {
		add("when", "when will they do it? e.g. after lunch")
	}
	if blank(p.Where) {
		add("where", "where will they do it? (if it helps to say)")
	}
	switch p.DaysPerWeek {
	case 0:
		add("days", "how many days this week?")
	case 7:
		add("days", "every day leaves no slack: most plans that last aim for fewer days")
	}
	start, okStart := isoDay(p.StartDate)
	review, okReview := isoDay(p.ReviewDate)
	if okStart && okReview {
		switch {
		case review.Before(start):
			add("review", "the review date is before the start date")
		case review.After(start.AddDate(0, 0, 21)):
			add("review", "the review is more than 3 weeks after the start: a check-in within 1-2 weeks keeps it fresh")
		}
	}
	for _, b := range p.Barriers {
		if !blank(b.Barrier) && blank(b.Solution) {
			add("barriers", fmt.Sprintf("what could they do about %q?", clip(CleanText(b.Barrier), 40)))
		}
	}
	return hs
}

// Complete reports whether the plan says what, how much, when and on how
// many days a week: without these it is not yet an action plan.
func (p ActionPlan) Complete() bool {
	return !blank(p.What) && !blank(p.HowMuch) && !blank(p.When) && p.DaysPerWeek >= 1 && p.DaysPerWeek <= 7
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }

// clip cuts s to n characters, marking the cut.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// isoDay reads a stored YYYY-MM-DD date; ok is false for "" or anything
// else.
func isoDay(s string) (time.Time, bool) {
	if !isoShape(s) {
		return time.Time{}, false
	}
	d, err := readISO(s)
	return d, err == nil
}

// outcomeWords name a result (weight, a reading, a feeling) rather than
// something to do. outcomePhrases are the same in more than one word.
var (
	outcomeWords = map[string]bool{
		"lose": true, "losing": true, "weigh": true, "weight": true,
		"kg": true, "kgs": true, "kilo": true, "kilos": true, "lb": true, "lbs": true,
		"pound": true, "pounds": true, "stone": true,
		"cholesterol": true, "hba1c": true, "a1c": true,
	}
	outcomePhrases = [][]string{
		{"blood", "sugar"}, {"blood", "sugars"}, {"blood", "pressure", "reading"},
		{"feel", "better"}, {"feeling", "better"},
	}
	// monitoringWords make a plan about a reading a behaviour after all:
	// "check blood sugar before breakfast" is something to do.
	monitoringWords = map[string]bool{
		"check": true, "checking": true, "test": true, "testing": true,
		"measure": true, "measuring": true, "record": true, "recording": true,
		"log": true, "logging": true, "track": true, "tracking": true,
		"monitor": true, "monitoring": true, "write": true,
	}
)

// namesOutcome reports whether what names a result rather than a
// behaviour: "lose 2 kg", "get my HbA1c down", "feel better".
func namesOutcome(what string) bool {
	words := strings.FieldsFunc(strings.ToLower(what), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	for i, w := range words {
		words[i] = strings.TrimLeftFunc(w, unicode.IsDigit) // "5kg" is "kg"
	}
	found := false
	for i, w := range words {
		if monitoringWords[w] {
			return false
		}
		if outcomeWords[w] {
			found = true
		}
		for _, ph := range outcomePhrases {
			if i+len(ph) <= len(words) && equalWords(words[i:i+len(ph)], ph) {
				found = true
			}
		}
	}
	return found
}

func equalWords(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return len(a) == len(b)
}

// Normalize cleans every field in place and checks the plan can be saved.
// It does not insist on a complete plan (see Complete and Hints): a plan
// may be saved as far as it got. Start and review dates must be "" or
// YYYY-MM-DD; anything else is read with ParseDate, in loc (the person's
// time zone) at now. An empty area is the person's own idea, an empty
// status active. Confidence must be a score 0 to 10 or NoScore: 0 is a
// real answer, so a plan built without setting Confidence counts as
// scored 0. Errors are *FieldError naming the form's field.
func (p *ActionPlan) Normalize(loc *time.Location, now time.Time) error {
	if p.Behaviour == "" {
		p.Behaviour = BehaviourOwn
	}
	if _, err := ParseBehaviour(string(p.Behaviour)); err != nil {
		return &FieldError{Field: "behaviour", Msg: fmt.Sprintf("%q is not one of the areas on the menu", p.Behaviour)}
	}
	texts := []struct {
		field string
		val   *string
	}{
		{"what", &p.What},
		{"how much", &p.HowMuch},
		{"when", &p.When},
		{"where", &p.Where},
	}
	for _, t := range texts {
		*t.val = CleanText(*t.val)
		if err := checkLen(t.field, *t.val); err != nil {
			return err
		}
	}
	if p.DaysPerWeek < 0 || p.DaysPerWeek > 7 {
		return &FieldError{Field: "days", Msg: "is how many days a week: a number from 1 to 7"}
	}
	var err error
	if p.StartDate, err = normalizeDate("start", p.StartDate, loc, now); err != nil {
		return err
	}
	if p.ReviewDate, err = normalizeDate("review", p.ReviewDate, loc, now); err != nil {
		return err
	}
	var barriers []Barrier
	for _, b := range p.Barriers {
		b.Barrier, b.Solution = CleanText(b.Barrier), CleanText(b.Solution)
		if b.Barrier == "" && b.Solution == "" {
			continue
		}
		for _, t := range []string{b.Barrier, b.Solution} {
			if err := checkLen("barriers", t); err != nil {
				return err
			}
		}
		barriers = append(barriers, b)
	}
	if len(barriers) > MaxBarriers {
		return &FieldError{Field: "barriers", Msg: fmt.Sprintf("%d barriers listed; at most %d fit", len(barriers), MaxBarriers)}
	}
	p.Barriers = barriers // a new slice: a copy of the plan sharing the old one is left alone
	for _, t := range []struct {
		field string
		val   *string
	}{{"backup", &p.Backup}, {"commitment", &p.Commitment}} {
		*t.val = CleanText(*t.val)
		if err := checkLen(t.field, *t.val); err != nil {
			return err
		}
	}
	if p.Confidence < NoScore || p.Confidence > 10 {
		return &FieldError{Field: "confidence", Msg: "is a score from 0 to 10, or none if not yet asked"}
	}
	if p.Status == "" {
		p.Status = PlanActive
	}
	if _, err := ParsePlanStatus(string(p.Status)); err != nil {
		return &FieldError{Field: "status", Msg: fmt.Sprintf("%q is not a plan status", p.Status)}
	}
	return nil
}

// checkLen refuses text longer than MaxLongField characters.
func checkLen(field, s string) error {
	if n := utf8.RuneCountInString(s); n > MaxLongField {
		return &FieldError{Field: field, Msg: fmt.Sprintf("is %d characters; at most %d fit", n, MaxLongField)}
	}
	return nil
}

// normalizeDate keeps "" and a real YYYY-MM-DD date as they are (a stored
// plan may be old) and reads anything else with ParseDate.
func normalizeDate(field, s string, loc *time.Location, now time.Time) (string, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "", nil
	case isoShape(s):
		if _, err := readISO(s); err != nil {
			return "", &FieldError{Field: field, Msg: err.Error()}
		}
		return s, nil
	}
	d, err := ParseDate(s, now, loc)
	if err != nil {
		return "", &FieldError{Field: field, Msg: err.Error()}
	}
	return d, nil
}

// ProblemSolvingSteps are the questions to work through together when
// confidence in a plan is below ConfidenceThreshold, in order, ending with
// the revised plan said back and scored again. There are none for a score
// at or above the threshold, or for no score.
func ProblemSolvingSteps(score int) []string {
	if score < 0 || ConfidentEnough(score) {
		return nil
	}
	return []string{
		"Could the plan be smaller or easier, so it feels doable this week?",
		"Would a different time, or fewer days, make it easier?",
		"What is most likely to get in the way, and what could they do about it?",
		"Is there someone who could help, or do it with them?",
		"Say the changed plan back together, then ask again: how confident, 0 to 10?",
	}
}

// PlanStep is what the plan form should ask for next, in Brief Action
// Planning's order.
type PlanStep int

// The steps of writing a plan.
const (
	StepDetails      PlanStep = iota // what, how much, when or days a week is missing
	StepCommitment                   // the person has not yet said the plan back
	StepConfidence                   // confidence not yet asked
	StepProblemSolve                 // confidence below ConfidenceThreshold: make it easier
	StepFollowUp                     // ready: agree the next contact
)

// String is the step's name, for logs and tests.
func (s PlanStep) String() string {
	switch s {
	case StepDetails:
		return "details"
	case StepCommitment:
		return "commitment"
	case StepConfidence:
		return "confidence"
	case StepProblemSolve:
		return "problem-solve"
	case StepFollowUp:
		return "follow-up"
	}
	return "step(" + strconv.Itoa(int(s)) + ")"
}

// NextPlanStep is the first step the plan still needs. The commitment comes
// before the confidence question. A score outside 0 to 10 counts as not
// yet asked.
func NextPlanStep(p ActionPlan) PlanStep {
	switch {
	case !p.Complete():
		return StepDetails
	case blank(p.Commitment):
		return StepCommitment
	case p.Confidence < 0 || p.Confidence > 10:
		return StepConfidence
	case !ConfidentEnough(p.Confidence):
		return StepProblemSolve
	}
	return StepFollowUp
}

// Revise starts the plan that replaces p: the same details and barriers,
// linked back by Replaces, but with no commitment and no confidence score,
// since a changed plan is said back and scored afresh. It is new (ID 0,
// active, no times) and belongs to no call until the caller sets one. Its
// barriers are a copy, so editing one plan leaves the other alone.
func (p ActionPlan) Revise() ActionPlan {
	n := p
	n.ID, n.Replaces, n.CallID = 0, p.ID, 0
	n.Commitment, n.Confidence, n.Status = "", NoScore, PlanActive
	n.Barriers = append([]Barrier(nil), p.Barriers...)
	n.CreatedAt, n.UpdatedAt = time.Time{}, time.Time{}
	return n
}

// trendBlocks draw a 0-10 score as one character: 0 is blank, 10 full.
var trendBlocks = []rune(" ▁▂▃▄▅▆▇█")

// trendLen is how many of the latest scores ConfidenceTrend shows.
const trendLen = 8

// ConfidenceTrend draws the latest confidence scores as a small chart that
// reads without colour: a block per score, then the numbers, as in
// "▄▆█ 5 → 7 → 9". Scores outside 0 to 10 are left out; "" if none.
func ConfidenceTrend(scores []ConfidenceScore) string {
	var kept []int
	for _, s := range scores {
		if s.Score >= 0 && s.Score <= 10 {
			kept = append(kept, s.Score)
		}
	}
	if len(kept) == 0 {
		return ""
	}
	kept = kept[max(0, len(kept)-trendLen):]
	var blocks strings.Builder
	nums := make([]string, len(kept))
	for i, n := range kept {
		// 9 blocks for 11 scores: round up, so only 0 is blank.
		blocks.WriteRune(trendBlocks[(n*(len(trendBlocks)-1)+9)/10])
		nums[i] = strconv.Itoa(n)
	}
	return blocks.String() + " " + strings.Join(nums, " → ")
}
