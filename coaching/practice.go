package coaching

import (
	"fmt"
	"sort"
	"time"
)

// PracticeCounts are the plain counts behind a stretch of a coach's own
// practice (docs/coaching.md, "The coach's own practice"). They carry no
// names, notes or quotes: the report is the coach's to share.
type PracticeCounts struct {
	Calls           int           // calls made: ended, not opened by mistake
	Reached         int           // calls that ended reached
	Talked          time.Duration // summed length of the reached calls
	Plans           int           // action plans made (a plan revised in the same call counts once)
	PlansConfident  int           // of those, how many reached ConfidenceThreshold
	FollowUpsDue    int           // follow-ups due and judged: on time, late or missed
	FollowUpsOnTime int           // of those, kept on time (FollowUpKeptOnTime)
	ChangeTalk      int           // change talk noted in reached calls (sustain talk is not counted)
	Tally           Tally         // MI tally marks of reached calls, undone marks left out
}

// Add adds o's counts to c.
func (c *PracticeCounts) Add(o PracticeCounts) {
	c.Calls += o.Calls
	c.Reached += o.Reached
	c.Talked += o.Talked
	c.Plans += o.Plans
	c.PlansConfident += o.PlansConfident
	c.FollowUpsDue += o.FollowUpsDue
	c.FollowUpsOnTime += o.FollowUpsOnTime
	c.ChangeTalk += o.ChangeTalk
	for k, n := range o.Tally {
		if n == 0 {
			continue
		}
		if c.Tally == nil {
			c.Tally = Tally{}
		}
		c.Tally[k] += n
	}
}

// Minutes is the time talked in whole minutes, rounded to the nearest.
func (c PracticeCounts) Minutes() int { return int(c.Talked.Round(time.Minute) / time.Minute) }

// ChangeTalkPerCall is change talk per reached call; ok is false with no
// reached call, where it is undefined rather than 0.
func (c PracticeCounts) ChangeTalkPerCall() (per float64, ok bool) {
	if c.Reached == 0 {
		return 0, false
	}
	return float64(c.ChangeTalk) / float64(c.Reached), true
}

// RQ is the stretch's R:Q over all its marks, judged as one call's would be.
func (c PracticeCounts) RQ() Ratio { return c.Tally.ReflectionToQuestion() }

// PercentComplex is the stretch's %CR over all its marks.
func (c PracticeCounts) PercentComplex() Ratio { return c.Tally.PercentComplex() }

// NoCalls says nothing was made in the stretch: not even an attempt.
func (c PracticeCounts) NoCalls() bool { return c.Calls == 0 }

// Verdict is r's verdict for the stretch: "no calls" when no call was
// made, "none reached" when every call was an attempt, "not tallied" when
// calls were reached but no mark was kept, else as for one call ("too few
// to judge" below the minimum marks, a dash when undefined, the band
// otherwise).
func (c PracticeCounts) Verdict(r Ratio) string {
	switch {
	case c.NoCalls():
		return "no calls"
	case c.Reached == 0:
		return "none reached"
	case c.Tally.Questions()+c.Tally.Reflections() == 0:
		return "not tallied"
	}
	return r.Verdict()
}

// FormatChangeTalkPerCall shows change talk per reached call with one
// decimal, or a dash when no call was reached.
func (c PracticeCounts) FormatChangeTalkPerCall() string {
	per, ok := c.ChangeTalkPerCall()
	if !ok {
		return "—"
	}
	return fmt.Sprintf("%.1f", per)
}

// PracticeWeek is one week of the practice: it starts on a Monday at
// midnight in the coach's time zone. From and To are the part of it inside
// the period asked for (the first and last week may be cut short).
type PracticeWeek struct {
	Start    time.Time
	From, To time.Time
	PracticeCounts
}

// Practice is a coach's practice over a period [From, To), week by week,
// with its totals.
type Practice struct {
	From, To time.Time
	Weeks    []PracticeWeek
	Total    PracticeCounts
}

// WeekStart is the Monday, midnight in loc, of the week that holds t.
func WeekStart(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	back := (int(l.Weekday()) + 6) % 7 // days since Monday
	return time.Date(l.Year(), l.Month(), l.Day()-back, 0, 0, 0, 0, loc)
}

// NewPractice lays out the empty weeks of [from, to) for a coach in loc,
// every week present, also those in which nothing happened. It has no
// weeks when to is not after from.
func NewPractice(from, to time.Time, loc *time.Location) Practice {
	p := Practice{From: from, To: to}
	for start := WeekStart(from, loc); start.Before(to); {
		next := time.Date(start.Year(), start.Month(), start.Day()+7, 0, 0, 0, 0, loc)
		w := PracticeWeek{Start: start, From: start, To: next}
		if w.From.Before(from) {
			w.From = from
		}
		if w.To.After(to) {
			w.To = to
		}
		p.Weeks = append(p.Weeks, w)
		start = next
	}
	return p
}

// WeekOf is the index of the week that holds t, or -1 when t is outside
// the period. It reads only the weeks' bounds.
func (p *Practice) WeekOf(t time.Time) int {
	i := sort.Search(len(p.Weeks), func(i int) bool { return t.Before(p.Weeks[i].To) })
	if i < len(p.Weeks) && !t.Before(p.Weeks[i].From) {
		return i
	}
	return -1
}

// Sum sets the totals from the weeks.
func (p *Practice) Sum() {
	p.Total = PracticeCounts{}
	for _, w := range p.Weeks {
		p.Total.Add(w.PracticeCounts)
	}
}

// ConfidentPlans counts the plans that reached ConfidenceThreshold, from
// how many plans had each latest score (-1: never scored). A plan's score
// is the last one given by the end of the week it was made in, so a
// week's figure does not change when later weeks are added; BAP asks for
// 7 or more before the call ends, and a plan rescored later to 7 after
// being made easier at the next call shows in that call's week as a new
// plan.
func ConfidentPlans(byLatestScore map[int]int) int {
	n := 0
	for score, plans := range byLatestScore {
		if score >= 0 && ConfidentEnough(score) {
			n += plans
		}
	}
	return n
}

// FollowUpKept is how a follow-up due in the period was kept.
type FollowUpKept int

// How a follow-up was kept.
const (
	// FollowUpPending: still open and not yet overdue; not judged.
	FollowUpPending FollowUpKept = iota
	FollowUpOnTime
	FollowUpLate
	// FollowUpMissed: overdue and still open, or closed without a call.
	FollowUpMissed
)

// FollowUpKeptOnTime judges f as of asOf for a coach in loc with the
// caseload's own rule (Due): it was kept on time when a call did it
// before it would have shown as overdue, that is on or before its day
// and no more than OverdueGrace late on the day. A follow-up replaced by
// another is the caller's to leave out: it was moved, not missed.
func FollowUpKeptOnTime(f FollowUp, asOf time.Time, loc *time.Location) FollowUpKept {
	switch {
	case f.DoneAt.IsZero() || f.DoneAt.After(asOf):
		if Due(f, asOf, loc) == Overdue {
			return FollowUpMissed
		}
		return FollowUpPending
	case f.DoneCallID == 0:
		return FollowUpMissed
	case Due(f, f.DoneAt, loc) == Overdue:
		return FollowUpLate
	}
	return FollowUpOnTime
}

// Count adds one judged follow-up to c; a pending one is not counted.
func (c *PracticeCounts) Count(k FollowUpKept) {
	if k == FollowUpPending {
		return
	}
	c.FollowUpsDue++
	if k == FollowUpOnTime {
		c.FollowUpsOnTime++
	}
}
