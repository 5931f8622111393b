package coaching

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// An attempt is a call logged with how it ended, often without the call
// workspace: no answer, left voicemail, wrong number, declined,
// rescheduled. After one that did not get through, a rule proposes when to
// try again, or after too many, another way to reach them
// (docs/queue.md, "Attempts and retries").

// AttemptChoices are the outcomes a coach logs as a quick attempt, in the
// order offered, with the keys they have when a call ends.
var AttemptChoices = func() []OutcomeChoice {
	var out []OutcomeChoice
	for _, c := range OutcomeChoices {
		if c.Outcome != OutcomeReached {
			out = append(out, c)
		}
	}
	return out
}()

// IsAttempt reports whether o ended a real attempt to reach someone: any
// outcome but none (the call is still open) and opened by mistake.
func (o Outcome) IsAttempt() bool {
	switch o {
	case OutcomeNone, OutcomeMistake:
		return false
	}
	_, err := ParseOutcome(string(o))
	return err == nil
}

// Unanswered reports whether o is an attempt that did not get through to
// them: no answer, or a voicemail left. These count towards the retry
// rule's limit.
func (o Outcome) Unanswered() bool { return o == OutcomeNoAnswer || o == OutcomeVoicemail }

// SpokeToThem reports whether the coach spoke with the person: reached,
// or they asked for another time, or said no.
func (o Outcome) SpokeToThem() bool {
	return o == OutcomeReached || o == OutcomeRescheduled || o == OutcomeDeclined
}

// ParseAttemptOutcome reads an attempt's outcome as a script or a coach
// types it: its stored name (no_answer), with a hyphen (no-answer), or
// its label (no answer, left voicemail), in any case.
func ParseAttemptOutcome(s string) (Outcome, error) {
	k := strings.ToLower(strings.TrimSpace(s))
	k = strings.NewReplacer("-", " ", "_", " ").Replace(k)
	k = strings.Join(strings.Fields(k), " ")
	var names []string
	for _, c := range AttemptChoices {
		if k == strings.ReplaceAll(string(c.Outcome), "_", " ") || k == c.Label {
			return c.Outcome, nil
		}
		names = append(names, strings.ReplaceAll(string(c.Outcome), "_", "-"))
	}
	return OutcomeNone, fmt.Errorf("%s is not an attempt's outcome; use one of %s", quoteInput(s), strings.Join(names, ", "))
}

// AttemptCounting gives the instants from which attempts count as today's
// and as this week's for a coach in loc: the start of the coach's day,
// and the start of the day six days before it, so "this week" is the last
// seven days on the coach's calendar, whichever day of the week it is.
func AttemptCounting(now time.Time, loc *time.Location) (today, week time.Time) {
	local := now.In(loc)
	y, m, d := local.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc), time.Date(y, m, d-6, 0, 0, 0, 0, loc)
}

// RetryRule is when to propose trying someone again.
type RetryRule struct {
	// Delay is how long after an attempt to try again at the earliest.
	Delay time.Duration
	// MaxAttempts is how many unanswered attempts in the last seven days
	// (AttemptCounting) end the proposals: after that many, another way to
	// reach them is suggested instead. 0 means no limit.
	MaxAttempts int
	// Hours is when to try someone whose call window is not known, read
	// on their clock.
	Hours CallWindow
}

// DefaultRetryHours is the window for someone whose own is not known.
const DefaultRetryHours = "09:00-20:00"

// DefaultRetryRule is 2 hours later, within their window (or 09:00-20:00
// their time), at most 3 unanswered attempts in seven days.
func DefaultRetryRule() RetryRule {
	hours, err := ParseCallWindow(DefaultRetryHours, time.UTC)
	if err != nil {
		panic(err) // a constant that does not parse is a programming error
	}
	return RetryRule{Delay: 2 * time.Hour, MaxAttempts: 3, Hours: hours}
}

// RetryProposal is what the rule proposes after an attempt: a time to try
// again, or, when no retry is proposed, perhaps another route.
type RetryProposal struct {
	At      time.Time // when to try again, in the person's zone; zero: no retry
	Why     string    // how At was chosen, in plain words
	Instead string    // with no retry: what to do instead; may be empty
}

// Retry reports whether a time to try again is proposed.
func (p RetryProposal) Retry() bool { return !p.At.IsZero() }

// Propose says when to try again after an attempt that ended with o at
// now. unanswered is how many unanswered attempts there have been in the
// last seven days, this one included; w is the person's call window (from
// ReadCallWindow, so its zone is theirs even when nothing is recorded).
//
// After no answer or a voicemail, the retry is Delay later, moved on to
// the next time inside their window (or the rule's Hours when their window
// is not known); it is never before now. After MaxAttempts unanswered
// attempts, no retry is proposed but another way to reach them is. A
// rescheduled call is proposed the same way, for the coach to change to
// the time the person gave, and does not count towards the limit. Wrong
// number and declined propose no retry. A call that reached them, or one
// not ended, proposes nothing.
func (r RetryRule) Propose(o Outcome, unanswered int, now time.Time, w CallWindow) RetryProposal {
	switch {
	case o == OutcomeWrongNumber:
		return RetryProposal{Instead: "Wrong number: no retry. Check their number with their GP or care team, or write to them."}
	case o == OutcomeDeclined:
		return RetryProposal{Instead: "They said no: no retry. If they want no more calls, pause or close them on their page."}
	case o.Unanswered() && r.MaxAttempts > 0 && unanswered >= r.MaxAttempts:
		return RetryProposal{Instead: fmt.Sprintf("%s in seven days without reaching them: rather than call again, try another way: a letter or a text message, or ask their GP or care team to pass a message on.", times(unanswered))}
	case !o.Unanswered() && o != OutcomeRescheduled:
		return RetryProposal{}
	}
	delay := max(r.Delay, 0)
	earliest := now.Add(delay)
	later := "now"
	if delay > 0 {
		later = plainDuration(delay) + " later"
	}
	window, whose, note := w, "their window", ""
	if !w.Understood() {
		window = r.Hours.In(w.Location())
		whose, note = r.Hours.String()+" their time", " (no call window known)"
	}
	p := RetryProposal{At: earliest.In(w.Location()), Why: later + note}
	if at, ok := window.Next(earliest); ok {
		p.At = at
		if at.Equal(earliest) {
			p.Why = later + ", inside " + whose + note
		} else {
			p.Why = later + " is outside " + whose + note + ": moved to when it opens"
		}
	}
	if o == OutcomeRescheduled {
		p.Why = "They asked for another time: change this to the time they gave. Proposed: " + p.Why
	}
	return p
}

// times is a count of tries in words: "1 try", "3 tries".
func times(n int) string {
	if n == 1 {
		return "1 try"
	}
	return fmt.Sprintf("%d tries", n)
}

// plainDuration is a delay in words: "2 hours", "90 minutes", "1 day".
func plainDuration(d time.Duration) string {
	unit := func(n int, one string) string {
		if n == 1 {
			return "1 " + one
		}
		return fmt.Sprintf("%d %ss", n, one)
	}
	switch {
	case d%(24*time.Hour) == 0 && d > 0:
		return unit(int(d/(24*time.Hour)), "day")
	case d%time.Hour == 0 && d > 0:
		return unit(int(d/time.Hour), "hour")
	case d >= time.Minute:
		return unit(int(d/time.Minute), "minute")
	}
	return unit(int(d/time.Second), "second")
}

// ParseRetry reads when to try again as a coach or a script gives it, on
// the coach's clock (loc): a delay from now, +90m, +2h or +1d (real
// elapsed time, at most 31 days), or a time as follow-ups take it
// (ParseWhen: tomorrow 10:00, fri 9:30, 2026-12-01 14:00). Empty is no
// retry (the zero time). It is refused unless it is later than now.
func ParseRetry(s string, now time.Time, loc *time.Location) (time.Time, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return time.Time{}, nil
	}
	rest, delay := strings.CutPrefix(t, "+")
	rest = strings.TrimSpace(rest)
	units := map[string]time.Duration{"m": time.Minute, "h": time.Hour, "d": 24 * time.Hour}
	unit, isUnit := units[rest[max(len(rest)-1, 0):]]
	if !delay {
		at, err := ParseWhen(t, now, loc)
		if err == nil && !at.After(now) {
			err = fmt.Errorf("that is in the past (%s); give a later time", at.In(loc).Format("Mon 2 Jan 15:04"))
		}
		return at, err
	}
	n, err := strconv.Atoi(strings.TrimSpace(rest[:max(len(rest)-1, 0)]))
	if !isUnit || err != nil || n <= 0 || n > 60*24*31 {
		return time.Time{}, fmt.Errorf("%s is not a delay callcoach reads; write +90m, +2h or +1d, or a time such as tomorrow 10:00", quoteInput(s))
	}
	return now.Add(time.Duration(n) * unit), nil
}
