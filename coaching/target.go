package coaching

import (
	"fmt"
	"math"
	"time"
)

// Treat to target (docs/coaching.md, "Treat to target"): for PHQ-9 and
// GAD-7, a person who started with at least moderate symptoms should have
// improved by half within a set number of weeks; one who has not is raised
// with the team so the plan of care changes. The rules here are the
// measurement-based care of the AIMS Center's collaborative care.

// DefaultTargetWeeks is how long in care before a person who has not
// improved by half is flagged: the AIMS Center's guidance is to consult
// and adjust after 10 to 12 weeks, and the earlier end is the safer one.
const DefaultTargetWeeks = 10

// The bounds on the setting: fewer than 4 weeks is too soon for a
// treatment to work, more than a year is no longer a target.
const (
	MinTargetWeeks = 4
	MaxTargetWeeks = 52
)

// TargetFrom is the first score from which a person is tracked: 10 on
// PHQ-9 and GAD-7, their common cut-off for moderate symptoms. Below it
// a halving is noise (a 4 falling to 2), and treat to target is for people
// whose symptoms needed treating.
const TargetFrom = 10

// RemissionBelow is the score under which a person is in remission: PHQ-9
// below 5, GAD-7 below 5 (the top of the "minimal" band is 4).
const RemissionBelow = 5

// TargetStatus is where a person stands against the target.
type TargetStatus int

// The statuses, in the order the registry lists them: the people to raise
// with the team first.
const (
	TargetNotOnTrack TargetStatus = iota // in care the set weeks or more, improved by less than half
	TargetEarly                          // improved by less than half, but not yet in care the set weeks
	TargetResponding                     // improved by half or more
	TargetRemission                      // improved by half or more and now below 5
	TargetNotTracked                     // the first score was below TargetFrom
)

// String is the status as the registry shows it: words, so it reads
// without colour.
func (s TargetStatus) String() string {
	switch s {
	case TargetNotOnTrack:
		return "not on track"
	case TargetEarly:
		return "early"
	case TargetResponding:
		return "responding"
	case TargetRemission:
		return "remission"
	case TargetNotTracked:
		return "not tracked"
	}
	return fmt.Sprintf("TargetStatus(%d)", int(s))
}

// Progress is one person's PHQ-9 or GAD-7 totals: the first and the latest
// complete, scored administration, and how many there were. With one
// measure, the latest is the first.
type Progress struct {
	FirstTotal, LatestTotal float64
	FirstAt, LatestAt       time.Time
	Count                   int
}

// Target is how a person's progress stands on the given day.
type Target struct {
	Status TargetStatus
	// Change is the percent change from the first score to the latest:
	// negative is better (−50 is a response). 0 when the first is 0.
	Change float64
	// InCare is the time since the first score; Weeks counts its whole weeks.
	InCare time.Duration
	Weeks  int
}

// Responded reports whether the latest score is at least 50% below the
// first: latest ≤ first/2, compared without division so that exactly half
// counts. Storage keeps the same test in SQL (measure_progress.state).
func (p Progress) Responded() bool { return p.LatestTotal*2 <= p.FirstTotal }

// Tracked reports whether the first score was high enough to track.
func (p Progress) Tracked() bool { return p.FirstTotal >= TargetFrom }

// TargetOf says where progress stands at now, with weeks the number of
// weeks in care after which a person not responding is not on track.
func TargetOf(p Progress, weeks int, now time.Time) Target {
	t := Target{InCare: max(now.Sub(p.FirstAt), 0)}
	t.Weeks = int(t.InCare / (7 * 24 * time.Hour))
	if p.FirstTotal > 0 {
		t.Change = (p.LatestTotal - p.FirstTotal) / p.FirstTotal * 100
	}
	switch {
	case !p.Tracked():
		t.Status = TargetNotTracked
	case p.Responded() && p.LatestTotal < RemissionBelow:
		t.Status = TargetRemission
	case p.Responded():
		t.Status = TargetResponding
	case t.InCare >= time.Duration(weeks)*7*24*time.Hour:
		t.Status = TargetNotOnTrack
	default:
		t.Status = TargetEarly
	}
	return t
}

// ChangeText is a percent change as the registry shows it: signed, whole
// percent, with a true minus sign ("−50%", "+20%", "0%").
func ChangeText(pct float64) string {
	n := int(math.Round(pct))
	switch {
	case n < 0:
		return fmt.Sprintf("−%d%%", -n)
	case n > 0:
		return fmt.Sprintf("+%d%%", n)
	}
	return "0%"
}
