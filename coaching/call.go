package coaching

import (
	"fmt"
	"strings"
	"time"
)

// Outcome is how a call attempt ended.
type Outcome string

// The outcomes a coach can choose when ending a call. The empty outcome
// means the call has not been ended (it is still open, or the program
// stopped during it).
const (
	OutcomeNone        Outcome = ""
	OutcomeReached     Outcome = "reached"
	OutcomeNoAnswer    Outcome = "no_answer"
	OutcomeVoicemail   Outcome = "voicemail"
	OutcomeRescheduled Outcome = "rescheduled"
	OutcomeDeclined    Outcome = "declined"
	OutcomeWrongNumber Outcome = "wrong_number"
	// OutcomeMistake is a call opened by mistake that had something in it
	// when it was discarded (one with nothing in it is removed instead).
	// It is kept, marked so, and is not an attempt to reach anyone.
	OutcomeMistake Outcome = "opened_by_mistake"
)

// OutcomeChoice is one outcome as the coach picks it: a key and a label.
type OutcomeChoice struct {
	Outcome Outcome
	Key     string
	Label   string
}

// OutcomeChoices lists the outcomes in the order they are offered.
var OutcomeChoices = []OutcomeChoice{
	{OutcomeReached, "r", "reached"},
	{OutcomeNoAnswer, "n", "no answer"},
	{OutcomeVoicemail, "v", "left voicemail"},
	{OutcomeRescheduled, "s", "rescheduled"},
	{OutcomeDeclined, "d", "declined"},
	{OutcomeWrongNumber, "w", "wrong number"},
}

// MistakeChoice is how a coach discards a call started by mistake, when
// ending it.
var MistakeChoice = OutcomeChoice{OutcomeMistake, "x", "opened by mistake"}

// allOutcomes is every outcome a call can end with.
func allOutcomes() []OutcomeChoice {
	return append(append([]OutcomeChoice(nil), OutcomeChoices...), MistakeChoice)
}

// Label is the outcome in plain words.
func (o Outcome) Label() string {
	for _, c := range allOutcomes() {
		if c.Outcome == o {
			return c.Label
		}
	}
	if o == OutcomeNone {
		return "unfinished"
	}
	return string(o)
}

// ParseOutcome accepts an outcome's stored name.
func ParseOutcome(s string) (Outcome, error) {
	for _, c := range allOutcomes() {
		if string(c.Outcome) == s {
			return c.Outcome, nil
		}
	}
	return OutcomeNone, fmt.Errorf("unknown call outcome %q", s)
}

// MaxNotesLen bounds one call's notes (in bytes). It is far beyond any real
// call (a book chapter) but stops a runaway paste from growing without end.
const MaxNotesLen = 1 << 20

// Call is one contact attempt or conversation with a person.
type Call struct {
	ID        int64
	PersonID  int64
	StartedAt time.Time
	EndedAt   time.Time // zero while the call is open or was never ended
	Outcome   Outcome
	Notes     string
	// NotesRev counts saves of the notes. A save carries the revision it
	// was made from, so an older save arriving late never overwrites a
	// newer one.
	NotesRev  int64
	Role      Role   // who made the call: a coach or a peer volunteer
	Summary   string // the summary made when the call ended
	Coach     string // the name of the coach who made it
	UpdatedAt time.Time
}

// Unfinished reports whether the call was never ended: it is either still
// under way or the program stopped during it.
func (c Call) Unfinished() bool { return c.EndedAt.IsZero() }

// Duration is how long the call lasted, or has lasted by now if unfinished.
func (c Call) Duration(now time.Time) time.Duration {
	end := c.EndedAt
	if end.IsZero() {
		end = now
	}
	if end.Before(c.StartedAt) {
		return 0
	}
	return end.Sub(c.StartedAt)
}

// FormatDuration shows a call length the way a coach reads a timer:
// m:ss under an hour, h:mm:ss beyond.
func FormatDuration(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	s := int(d / time.Second)
	h, m, sec := s/3600, (s/60)%60, s%60
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, m, sec)
	}
	return fmt.Sprintf("%d:%02d", m, sec)
}

// FormatLength shows how long a finished call was, for lists: "under a
// minute", "18 min", "1 h 05 min".
func FormatLength(d time.Duration) string {
	m := int(d / time.Minute)
	switch {
	case m < 1:
		return "<1 min"
	case m < 60:
		return fmt.Sprintf("%d min", m)
	default:
		return fmt.Sprintf("%d h %02d min", m/60, m%60)
	}
}

// NotesPreview is the first non-empty line of the notes, for lists.
func NotesPreview(notes string) string {
	for _, line := range strings.Split(notes, "\n") {
		if t := strings.TrimSpace(line); t != "" {
			return t
		}
	}
	return ""
}
