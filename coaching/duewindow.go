package coaching

import "time"

// OverdueGrace is how long past its time a follow-up due today may wait
// before it counts as overdue.
const OverdueGrace = 2 * time.Hour

// DueWindow gives the two instants that split open follow-ups into the
// caseload's sections for a coach in loc: before overdueBefore a follow-up
// is overdue (its day has passed, or it is more than OverdueGrace late
// today); before tomorrow it is due today; from tomorrow on it is upcoming.
func DueWindow(now time.Time, loc *time.Location) (overdueBefore, tomorrow time.Time) {
	local := now.In(loc)
	today := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, loc)
	tomorrow = time.Date(local.Year(), local.Month(), local.Day()+1, 0, 0, 0, 0, loc)
	overdueBefore = now.Add(-OverdueGrace)
	if overdueBefore.Before(today) {
		overdueBefore = today
	}
	return overdueBefore, tomorrow
}
