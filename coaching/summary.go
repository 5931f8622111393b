package coaching

import (
	"fmt"
	"strings"
	"time"
)

// CallRecord is everything captured during one call.
type CallRecord struct {
	Person Person
	Call   Call
	Visits []StageVisit
	Rulers []Ruler
	Talk   []ChangeTalk
	Tally  Tally
}

// Summary writes the call up as plain text for the person's record and for
// pasting into an organisation's own system: who, when, how long, the
// stages, the rulers with the person's reasons, their own words about
// change, the MI tally with its ratios, and the notes. Times are shown in
// loc; end is when the call ended (or now, for one still open).
func Summary(r CallRecord, end time.Time, loc *time.Location) string {
	var b strings.Builder
	c := r.Call
	name := r.Person.Name
	if r.Person.PreferredName != "" && r.Person.PreferredName != r.Person.Name {
		name = r.Person.PreferredName + " (" + r.Person.Name + ")"
	}
	fmt.Fprintf(&b, "Call with %s\n", name)
	outcome := c.Outcome.Label()
	role := c.Role
	if role == "" {
		role = RoleCoach
	}
	fmt.Fprintf(&b, "%s · %s · %s · by a %s\n",
		c.StartedAt.In(loc).Format("Mon 2 Jan 2006 15:04 MST"),
		FormatLength(callLength(c, end)), outcome, role.Label())

	if stages := visitedStages(r.Visits); len(stages) > 0 {
		fmt.Fprintf(&b, "\nStages: %s\n", strings.Join(stages, " → "))
	}
	if len(r.Rulers) > 0 {
		b.WriteString("\nRulers\n")
		for _, ru := range r.Rulers {
			fmt.Fprintf(&b, "- %s %d/10", titleCase(string(ru.Kind)), ru.Score)
			if ru.About != "" {
				fmt.Fprintf(&b, " about %s", ru.About)
			}
			b.WriteString("\n")
			if ru.FollowUp != "" {
				q := FollowUpQuestion(ru.Kind, ru.Score)
				fmt.Fprintf(&b, "  %s %q\n", q, ru.FollowUp)
			}
		}
	}
	if len(r.Talk) > 0 {
		b.WriteString("\nIn their own words\n")
		for _, t := range r.Talk {
			fmt.Fprintf(&b, "- %s: %q\n", titleCase(t.Kind.Label()), t.Quote)
		}
	}
	if tallyTotal(r.Tally) > 0 {
		b.WriteString("\nMI tally (the coach's own marks, not a rating)\n")
		var parts []string
		for _, k := range TallyKinds {
			parts = append(parts, fmt.Sprintf("%s %d", k.Short(), r.Tally[k]))
		}
		b.WriteString(strings.Join(parts, " · ") + "\n")
		rq, pct := r.Tally.ReflectionToQuestion(), r.Tally.PercentComplex()
		fmt.Fprintf(&b, "R:Q %s (%s) · %%CR %s (%s)\n", rq.FormatRQ(), rq.Verdict(), pct.FormatPercent(), pct.Verdict())
	}
	if notes := strings.TrimSpace(c.Notes); notes != "" {
		b.WriteString("\nNotes\n")
		b.WriteString(notes)
		b.WriteString("\n")
	}
	return StripUnsafe(b.String(), true)
}

func callLength(c Call, end time.Time) time.Duration {
	if !c.EndedAt.IsZero() {
		end = c.EndedAt
	}
	if end.Before(c.StartedAt) {
		return 0
	}
	return end.Sub(c.StartedAt)
}

// visitedStages lists the stages in the order first visited, each once.
func visitedStages(visits []StageVisit) []string {
	seen := map[Stage]bool{}
	var out []string
	for _, v := range visits {
		if !seen[v.Stage] {
			seen[v.Stage] = true
			out = append(out, v.Stage.Title())
		}
	}
	return out
}

func tallyTotal(t Tally) int {
	n := 0
	for _, v := range t {
		n += v
	}
	return n
}

func titleCase(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
