package coaching

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// The Now view lists whom to call, most urgent first: an open safety flag,
// then overdue follow-ups, then those due now, then those due later today;
// within each, people inside their call window first. docs/queue.md,
// "Queue order", gives the reasons.

// QueueTier is how urgent a person is in the Now view. Tiers sort from
// most to least urgent.
type QueueTier int

// The queue tiers.
const (
	TierFlagged    QueueTier = iota // an open safety flag, whatever is due
	TierOverdue                     // the follow-up's day has passed, or it is more than OverdueGrace late
	TierDue                         // due today, its time has come
	TierLaterToday                  // due later today
	TierNotToday                    // nothing due today: not in the Now view
)

// String is the tier in plain words.
func (q QueueTier) String() string {
	switch q {
	case TierFlagged:
		return "safety flag"
	case TierOverdue:
		return "overdue"
	case TierDue:
		return "due now"
	case TierLaterToday:
		return "later today"
	case TierNotToday:
		return "not today"
	}
	return "unknown"
}

// InNow reports whether people in the tier belong in the Now view.
func (q QueueTier) InNow() bool { return q >= TierFlagged && q < TierNotToday }

// CoachDay is the coach's day as the queue sees it: now, and the two
// instants DueWindow gives. Build it once per ordering, so every row is
// judged against the same clock.
type CoachDay struct {
	Now           time.Time
	OverdueBefore time.Time // a follow-up due before this is overdue
	Tomorrow      time.Time // the start of the coach's tomorrow
}

// NewCoachDay is the coach's day at now, in loc, the coach's time zone:
// "today" is the coach's working day, whatever the person's zone.
func NewCoachDay(now time.Time, loc *time.Location) CoachDay {
	overdueBefore, tomorrow := DueWindow(now, loc)
	return CoachDay{Now: now, OverdueBefore: overdueBefore, Tomorrow: tomorrow}
}

// QueueEntry is what the queue knows about one person: enough to place
// them and to show their row.
type QueueEntry struct {
	PersonID int64
	Name     string    // as the coach addresses them (DisplayName); orders ties
	Flagged  bool      // an open safety flag
	NextDue  time.Time // the open follow-up that counts; zero when there is none
	Window   CallWindow
	// Attempts made to reach them today and in the last seven days (see
	// AttemptCounting), and how the last one ended. Shown on the row;
	// they do not change the order.
	AttemptsToday    int
	AttemptsThisWeek int
	LastOutcome      Outcome
}

// Tier places the entry for the coach's day: flagged first whatever is
// due; then by the follow-up's due time against the day's instants, as
// Due does, with due today split at now into due and later today.
func (e QueueEntry) Tier(d CoachDay) QueueTier {
	switch {
	case e.Flagged:
		return TierFlagged
	case e.NextDue.IsZero() || !e.NextDue.Before(d.Tomorrow):
		return TierNotToday
	case e.NextDue.Before(d.OverdueBefore):
		return TierOverdue
	case !e.NextDue.After(d.Now):
		return TierDue
	}
	return TierLaterToday
}

// CompareQueue orders two entries for the Now view, for slices.SortFunc:
// by tier; within a tier those inside their call window now, then those
// whose window is not known, then those outside it; then by due time,
// earliest first and no follow-up last; then by name, ignoring case, and
// by id, so the order is the same every time.
func CompareQueue(d CoachDay) func(a, b QueueEntry) int {
	return func(a, b QueueEntry) int {
		if c := cmp.Compare(a.Tier(d), b.Tier(d)); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Window.State(d.Now), b.Window.State(d.Now)); c != 0 {
			return c
		}
		switch {
		case a.NextDue.IsZero() != b.NextDue.IsZero():
			if a.NextDue.IsZero() {
				return 1
			}
			return -1
		case a.NextDue.Before(b.NextDue):
			return -1
		case b.NextDue.Before(a.NextDue):
			return 1
		}
		if c := strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)); c != 0 {
			return c
		}
		return cmp.Compare(a.PersonID, b.PersonID)
	}
}

// NowQueue is the Now view: the entries that belong in it, in queue
// order. es is left as it was.
func NowQueue(es []QueueEntry, d CoachDay) []QueueEntry {
	var now []QueueEntry
	for _, e := range es {
		if e.Tier(d).InNow() {
			now = append(now, e)
		}
	}
	slices.SortFunc(now, CompareQueue(d))
	return now
}
