// Package summary writes up a call as plain text, for the person's record
// and for pasting into an organisation's own system. The write-up is a Go
// text/template: the built-in one (default.tmpl, which `callcoach summary
// example` prints) or an organisation's own, executed with Data, the
// call's record in plain words. A template can only arrange the text it
// is given: text/template has no way to read or write a file, run a
// program or reach a network, and what it writes is cleaned of anything a
// terminal would obey. Like the rest of coaching/, the package does no I/O
// and never reads the clock.
package summary

import (
	"fmt"
	"strings"
	"time"

	"callcoach/coaching"
)

// Data is what a summary template is given: the call's record in plain
// words. Times are in the coach's time zone. A list is empty when the call
// produced none, so {{with .Rulers}} or {{if .Plans}} leaves a section out.
type Data struct {
	Person        string    // the name to address: "Maggie (Margaret Okafor)", or the name alone
	Name          string    // the name on the caseload
	PreferredName string    // "" when none
	Started       time.Time // when the call began
	Ended         time.Time // when it ended; zero for a call never ended
	Length        string    // how long it lasted: "18 min", "<1 min", "1 h 05 min"
	Outcome       string    // "reached", "no answer", "left voicemail", "rescheduled", "declined", "unfinished"
	Role          string    // who made it: "coach" or "peer volunteer"
	Stages        []string  // the stages visited, each once, in the order first visited
	Rulers        []Ruler
	ChangeTalk    []Talk
	Tally         Tally
	Plans         []Plan     // plans made or revised in the call
	Reviews       []Review   // reviews of earlier plans
	FollowUps     []FollowUp // next contacts agreed
	Measures      []Measure  // questionnaires given
	Safety        []Safety   // safety events raised
	Notes         string     // the notes, without blank lines at either end
}

// Ruler is one 0-10 ruler and the person's answer to the question asked
// after it.
type Ruler struct {
	Kind     string // "Importance" or "Confidence"
	Score    int    // 0-10
	About    string // what it was about; "" when not said
	Question string // the question asked after the score ("Why an 8 and not a 4?")
	Answer   string // their answer; "" when none was typed
}

// Talk is something the person said about change, in their own words.
type Talk struct {
	Kind   string // "Desire", "Ability", "Reason", "Need", "Commitment", "Activation", "Taking steps" or "Sustain talk"
	Words  string
	Change bool // change talk; false for sustain talk
}

// Tally is the coach's own marks of their MI skills, with the two ratios.
type Tally struct {
	Marks     []Mark // every kind of mark, in the tally's order, those at 0 too
	Total     int    // all marks; 0 when none was made
	RQ        string // reflections to questions: "1.5", or "—" with no questions
	RQVerdict string // "good", "fair", "below fair" or "too few to judge"; "" with no questions
	PercentCR string // complex reflections among reflections: "67%", or "—"
	CRVerdict string // as RQVerdict; "" with no reflections
}

// Mark is one kind of tally mark and its count.
type Mark struct {
	Short string // "OQ"
	Name  string // "open question"
	Count int
}

// Plan is an action plan made or revised in the call.
type Plan struct {
	Revised     bool   // it revises an earlier plan
	Area        string // "physical activity", "their own idea", ...
	What        string
	HowMuch     string
	When        string
	Where       string
	DaysPerWeek int    // 0 when not said
	Start       string // YYYY-MM-DD; "" when not set
	Review      string // YYYY-MM-DD; "" when not set
	Barriers    []Barrier
	Backup      string
	Commitment  string // the person's own words, said back
	Confidence  []int  // every confidence score given, oldest first
	Trail       string // the same as a line: "6 → 8"; "" when none
	Line        string // the plan in a line: "walk · 15 min · after lunch · 3 days a week"
}

// Barrier is something that might get in the way, and the person's way
// round it.
type Barrier struct {
	Barrier  string
	Solution string // "" when none was found
}

// Review is how an earlier plan went, asked in the call.
type Review struct {
	Plan     string // the plan reviewed, in a line
	Outcome  string // "done", "partly done" or "not done"
	Helped   string
	GotInWay string
}

// FollowUp is the next contact agreed.
type FollowUp struct {
	Due    time.Time // when, in the coach's time zone
	When   string    // the same in words, with the person's own time when their clocks differ
	Reason string
}

// Measure is a questionnaire given in the call.
type Measure struct {
	Name   string // "PHQ-9"
	Title  string // "Depression screen (PHQ-9)"
	Scored bool
	Total  string // "12 of 27", "mean 7.5 of 10"; "" when not scored
	Band   string // the instrument's own band name; "" when none or not scored
	Result string // the total and band, or "not scored": "12 of 27, moderate"
	// NotADiagnosis is "A screen is not a diagnosis." for a depression or
	// anxiety screen, and "" for other measures.
	NotADiagnosis string
	Given         time.Time
}

// Safety is a safety event raised in the call and what was done.
type Safety struct {
	Reason     string    // why it was raised
	Raised     time.Time // when the safety panel opened
	Actions    []string  // what was done, in words, in the order recorded
	Note       string
	Recorded   bool      // false while nothing is recorded (the panel was left open)
	RecordedAt time.Time // zero while not recorded
}

// Times says when a summary is made and in which time zones it shows
// times.
type Times struct {
	Now    time.Time      // used as the end of a call never ended
	Coach  *time.Location // every time is shown in the coach's zone
	Person *time.Location // a follow-up is also shown in the person's; nil when not known
}

func (t Times) coach() *time.Location {
	if t.Coach == nil {
		return time.UTC
	}
	return t.Coach
}

// NewData puts the record into words for a template.
func NewData(r coaching.CallRecord, at Times) Data {
	loc := at.coach()
	c := r.Call
	d := Data{
		Person:        r.Person.Name,
		Name:          r.Person.Name,
		PreferredName: r.Person.PreferredName,
		Started:       c.StartedAt.In(loc),
		Length:        coaching.FormatLength(c.Duration(at.Now)),
		Outcome:       c.Outcome.Label(),
		Role:          role(c.Role).Label(),
		Stages:        visitedStages(r.Visits),
		Tally:         tally(r.Tally),
		Notes:         strings.TrimSpace(c.Notes),
	}
	if p := r.Person.PreferredName; p != "" && p != r.Person.Name {
		d.Person = p + " (" + r.Person.Name + ")"
	}
	if !c.EndedAt.IsZero() {
		d.Ended = c.EndedAt.In(loc)
	}
	for _, ru := range r.Rulers {
		x := Ruler{Kind: titleCase(string(ru.Kind)), Score: ru.Score, About: ru.About, Answer: ru.FollowUp}
		if ru.FollowUp != "" {
			x.Question = coaching.FollowUpQuestion(ru.Kind, ru.Score)
		}
		d.Rulers = append(d.Rulers, x)
	}
	for _, t := range r.Talk {
		d.ChangeTalk = append(d.ChangeTalk, Talk{Kind: titleCase(t.Kind.Label()), Words: t.Quote, Change: t.Kind.IsChangeTalk()})
	}
	for _, p := range r.Plans {
		d.Plans = append(d.Plans, plan(p))
	}
	for _, rv := range r.Reviews {
		d.Reviews = append(d.Reviews, Review{Plan: planLine(rv.Plan), Outcome: rv.Review.Outcome.Label(),
			Helped: rv.Review.Helped, GotInWay: rv.Review.GotInWay})
	}
	for _, f := range r.FollowUps {
		d.FollowUps = append(d.FollowUps, FollowUp{Due: f.Due.In(loc), When: dueWhen(f.Due, loc, at.Person), Reason: f.Reason})
	}
	for _, m := range r.Measures {
		x := Measure{Name: m.Name, Title: m.Title, Scored: m.Scored, Total: m.TotalText(), Result: m.Result(), Given: m.GivenAt.In(loc)}
		if m.Scored {
			x.Band = m.Band
		}
		if m.Screen {
			x.NotADiagnosis = coaching.NotADiagnosis
		}
		d.Measures = append(d.Measures, x)
	}
	for _, s := range r.Safety {
		x := Safety{Reason: s.Reason, Raised: s.RaisedAt.In(loc), Actions: s.Actions, Note: s.Note, Recorded: s.Recorded()}
		if s.Recorded() {
			x.RecordedAt = s.RecordedAt.In(loc)
		}
		d.Safety = append(d.Safety, x)
	}
	return d
}

func role(r coaching.Role) coaching.Role {
	if r == "" {
		return coaching.RoleCoach
	}
	return r
}

func tally(t coaching.Tally) Tally {
	var out Tally
	for _, k := range coaching.TallyKinds {
		out.Marks = append(out.Marks, Mark{Short: k.Short(), Name: k.Label(), Count: t[k]})
		out.Total += t[k]
	}
	rq, pct := t.ReflectionToQuestion(), t.PercentComplex()
	out.RQ, out.RQVerdict = rq.FormatRQ(), verdict(rq)
	out.PercentCR, out.CRVerdict = pct.FormatPercent(), verdict(pct)
	return out
}

// verdict is the ratio's band in words, or "" when it has none (no
// questions, or no reflections).
func verdict(r coaching.Ratio) string {
	if !r.Defined {
		return ""
	}
	return r.Verdict()
}

func plan(r coaching.PlanRecord) Plan {
	p := r.Plan
	out := Plan{Revised: r.Revised(), Area: p.Behaviour.Label(), What: p.What, HowMuch: p.HowMuch, When: p.When,
		Where: p.Where, DaysPerWeek: p.DaysPerWeek, Start: p.StartDate, Review: p.ReviewDate, Backup: p.Backup,
		Commitment: p.Commitment, Line: planLine(p)}
	for _, b := range p.Barriers {
		out.Barriers = append(out.Barriers, Barrier(b))
	}
	var trail []string
	for _, s := range r.Confidence {
		out.Confidence = append(out.Confidence, s.Score)
		trail = append(trail, fmt.Sprint(s.Score))
	}
	if len(trail) == 0 && p.Confidence != coaching.NoScore {
		out.Confidence = []int{p.Confidence}
		trail = []string{fmt.Sprint(p.Confidence)}
	}
	out.Trail = strings.Join(trail, " → ")
	return out
}

// planLine is a plan in a line: what, how much, when, how often.
func planLine(p coaching.ActionPlan) string {
	var parts []string
	for _, s := range []string{p.What, p.HowMuch, p.When} {
		if s = strings.TrimSpace(s); s != "" {
			parts = append(parts, s)
		}
	}
	if p.DaysPerWeek > 0 {
		parts = append(parts, fmt.Sprintf("%d %s a week", p.DaysPerWeek, plural(p.DaysPerWeek, "day", "days")))
	}
	if len(parts) == 0 {
		return "(a plan with nothing written in it)"
	}
	return strings.Join(parts, " · ")
}

// dueWhen is a follow-up's time in the coach's zone and, when the
// person's clocks show another time, theirs too.
func dueWhen(due time.Time, coach, person *time.Location) string {
	const layout = "Mon 2 Jan 2006 15:04 MST"
	mine := due.In(coach)
	text := mine.Format(layout)
	if person == nil {
		return text
	}
	their := due.In(person)
	if their.Format(layout) == text {
		return text
	}
	theirs := their.Format("15:04 MST")
	if their.Format("2006-01-02") != mine.Format("2006-01-02") {
		theirs = their.Format(layout)
	}
	return text + " (" + theirs + " their time)"
}

// visitedStages lists the stages in the order first visited, each once.
func visitedStages(visits []coaching.StageVisit) []string {
	seen := map[coaching.Stage]bool{}
	var out []string
	for _, v := range visits {
		if !seen[v.Stage] {
			seen[v.Stage] = true
			out = append(out, v.Stage.Title())
		}
	}
	return out
}

func titleCase(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
