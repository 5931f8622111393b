package coaching

import "time"

// DueState is how urgent an open follow-up is for the coach today. The
// states sort from most to least urgent.
type DueState int

// The due states.
const (
	Overdue DueState = iota
	DueToday
	Upcoming
)

// String is the state in plain words.
func (d DueState) String() string {
	switch d {
	case Overdue:
		return "overdue"
	case DueToday:
		return "due today"
	case Upcoming:
		return "upcoming"
	}
	return "unknown"
}

// OpensOn picks the part of the caseload a coach sees first, until they
// pick one: whoever needs a call soonest. people counts those in each due
// state. It is Overdue when anyone is, else DueToday when anyone is; ok is
// false otherwise, and the caseload opens on everyone. Upcoming people are
// never where it opens: none of them needs a call today.
func OpensOn(people func(DueState) int) (d DueState, ok bool) {
	for _, d := range []DueState{Overdue, DueToday} {
		if people(d) > 0 {
			return d, true
		}
	}
	return 0, false
}

// Due says whether f is overdue, due today or upcoming for a coach in loc:
// "today" is the coach's working day, whatever the person's time zone. A
// follow-up is overdue when its day (in loc) has passed, or when it is due
// today and more than OverdueGrace late, so a call planned for 09:00 and
// made at 10:30 is still on time. The grace is real elapsed time, also on
// the days the clocks change. It agrees with DueWindow, which the caseload
// uses to sort people into the same sections. Whether f is still open is
// the caller's business.
func Due(f FollowUp, now time.Time, loc *time.Location) DueState {
	overdueBefore, tomorrow := DueWindow(now, loc)
	switch {
	case f.Due.Before(overdueBefore):
		return Overdue
	case f.Due.Before(tomorrow):
		return DueToday
	}
	return Upcoming
}

// FormatDue shows when f is due in the person's time zone and, if the
// coach's clocks show a different time, in the coach's too: "Tue 24 Nov
// 10:00 their time (09:00 yours)", or "(Mon 23 Nov 23:00 yours)" when the
// day differs. When both show the same, it is just "Tue 24 Nov 10:00". The
// year appears only when it is not the current one.
func FormatDue(f FollowUp, personLoc, coachLoc *time.Location, now time.Time) string {
	their := f.Due.In(personLoc)
	yours := f.Due.In(coachLoc)
	text := their.Format(dayLayout(their, now)) + " " + their.Format("15:04")
	if their.Format(time.DateTime) == yours.Format(time.DateTime) {
		return text
	}
	mine := yours.Format("15:04")
	if !dayOf(yours).Equal(dayOf(their)) {
		mine = yours.Format(dayLayout(yours, now)) + " " + mine
	}
	return text + " their time (" + mine + " yours)"
}

// dayLayout is the layout for t's day: with the year only if it is not
// the year now is in, in t's time zone.
func dayLayout(t, now time.Time) string {
	if t.Year() != now.In(t.Location()).Year() {
		return "Mon 2 Jan 2006"
	}
	return "Mon 2 Jan"
}
