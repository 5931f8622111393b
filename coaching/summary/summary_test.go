package summary

import (
	"strings"
	"testing"
	"time"

	"callcoach/coaching"
)

var start = time.Date(2026, 11, 23, 14, 0, 0, 0, time.UTC)

func write(t *testing.T, r coaching.CallRecord, end time.Time) string {
	t.Helper()
	text, err := Default().Execute(r, Times{Now: end, Coach: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	return text
}

func TestSummary(t *testing.T) {
	full := coaching.CallRecord{
		Person: coaching.Person{Name: "Margaret Okafor", PreferredName: "Maggie"},
		Call: coaching.Call{StartedAt: start, EndedAt: start.Add(18 * time.Minute), Outcome: coaching.OutcomeReached, Role: coaching.RolePeer,
			Notes: "Walked 3 of 4 days.\nKnee sore Thursday.\n"},
		Visits: []coaching.StageVisit{{Stage: coaching.StageEngage, At: start}, {Stage: coaching.StageReview, At: start},
			{Stage: coaching.StageEngage, At: start}, {Stage: coaching.StagePlan, At: start}},
		Rulers: []coaching.Ruler{
			{Kind: coaching.RulerImportance, Score: 8, About: "walking after lunch", FollowUp: "I want to keep up with my granddaughter"},
			{Kind: coaching.RulerConfidence, Score: 0},
		},
		Talk:  []coaching.ChangeTalk{{Kind: coaching.TalkDesire, Quote: "I want to walk more"}, {Kind: coaching.TalkSustain, Quote: "It's too cold"}},
		Tally: coaching.Tally{coaching.TallyOpenQuestion: 2, coaching.TallySimpleReflection: 1, coaching.TallyComplexReflect: 2},
	}
	got := write(t, full, start.Add(time.Hour))
	for _, want := range []string{
		"Call with Maggie (Margaret Okafor)\n",
		"Mon 23 Nov 2026 14:00 UTC · 18 min · reached · by a peer volunteer\n",
		"Stages: Check in → Review last plan → Plan\n",
		"- Importance 8/10 about walking after lunch\n",
		"  Why an 8 and not a 4? \"I want to keep up with my granddaughter\"\n",
		"- Confidence 0/10\n",
		"- Desire: \"I want to walk more\"\n",
		"- Sustain talk: \"It's too cold\"\n",
		"OQ 2 · CQ 0 · SR 1 · CR 2 · AF 0 · SU 0 · MI- 0\n",
		"R:Q 1.5 (too few to judge) · %CR 67% (too few to judge)\n",
		"Notes\nWalked 3 of 4 days.\nKnee sore Thursday.\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("summary lacks %q:\n%s", want, got)
		}
	}

	// A call with nothing captured: no empty sections, no NaN.
	bare := write(t, coaching.CallRecord{Person: coaching.Person{Name: "Ann"}, Call: coaching.Call{StartedAt: start}}, start.Add(90*time.Second))
	if want := "Call with Ann\nMon 23 Nov 2026 14:00 UTC · 1 min · unfinished · by a coach\n"; bare != want {
		t.Errorf("bare summary:\n%q\nwant\n%q", bare, want)
	}
}

// headings are the sections of the built-in summary, each shown only when
// the call produced something for it.
var headings = []string{"SAFETY", "Stages:", "Last plan reviewed", "Rulers", "In their own words", "Measures",
	"Action plan", "Next contact", "MI tally", "Notes"}

func TestSummarySections(t *testing.T) {
	plan := coaching.ActionPlan{Behaviour: coaching.BehaviourActivity, What: "walk", HowMuch: "15 min", When: "after lunch",
		DaysPerWeek: 3, Confidence: 8, Status: coaching.PlanActive}
	tests := []struct {
		heading string
		add     func(r *coaching.CallRecord)
		want    []string
	}{
		{"SAFETY", func(r *coaching.CallRecord) {
			r.Safety = []coaching.SafetyRecord{{Reason: "PHQ-9 question 9 was answered above 0", RaisedAt: start.Add(5 * time.Minute),
				Actions: []string{"asked them directly about suicide", "stayed on the line with them"}, Note: "no plan\nor means",
				RecordedAt: start.Add(7 * time.Minute)}}
		}, []string{"SAFETY\n- 14:05: PHQ-9 question 9 was answered above 0\n",
			"  Done: asked them directly about suicide; stayed on the line with them (recorded 14:07)\n",
			"  Note: no plan\n    or means\n"}},
		{"SAFETY", func(r *coaching.CallRecord) {
			r.Safety = []coaching.SafetyRecord{{Reason: "the coach raised a concern", RaisedAt: start}}
		}, []string{"- 14:00: the coach raised a concern\n  Nothing recorded yet: the safety panel was left open.\n"}},
		{"Stages:", func(r *coaching.CallRecord) {
			r.Visits = []coaching.StageVisit{{Stage: coaching.StageEngage}}
		}, []string{"Stages: Check in\n"}},
		{"Last plan reviewed", func(r *coaching.CallRecord) {
			r.Reviews = []coaching.ReviewRecord{{Plan: plan, Review: coaching.PlanReview{Outcome: coaching.PlanNotDone, GotInWay: "the rain"}}}
		}, []string{"Last plan reviewed\n- walk · 15 min · after lunch · 3 days a week: not done\n  What got in the way: the rain\n"}},
		{"Rulers", func(r *coaching.CallRecord) {
			r.Rulers = []coaching.Ruler{{Kind: coaching.RulerConfidence, Score: 6}}
		}, []string{"Rulers\n- Confidence 6/10\n"}},
		{"In their own words", func(r *coaching.CallRecord) {
			r.Talk = []coaching.ChangeTalk{{Kind: coaching.TalkCommitment, Quote: `I'll say "no" to the biscuits`}}
		}, []string{"- Commitment: \"I'll say \"no\" to the biscuits\"\n"}},
		{"Measures", func(r *coaching.CallRecord) {
			r.Measures = []coaching.MeasureGiven{
				{Name: "PHQ-9", Complete: true, Scored: true, Total: 12, Max: 27, Band: "moderate", Screen: true},
				{Name: "SEMCD-6", Complete: true, Scored: true, Total: 7.5, Mean: true, Max: 10},
				{Name: "PHQ-9", Complete: true, Screen: true},
			}
		}, []string{"Measures\n- PHQ-9: 12 of 27, moderate. A screen is not a diagnosis.\n- SEMCD-6: mean 7.5 of 10\n",
			"- PHQ-9: not scored. A screen is not a diagnosis.\n"}},
		{"Action plan", func(r *coaching.CallRecord) {
			p := plan
			p.Where, p.StartDate, p.Backup, p.Commitment = "the park", "2026-11-24", "stretches", "I'll go after lunch"
			p.Barriers = []coaching.Barrier{{Barrier: "rain", Solution: "the shopping centre"}}
			r.Plans = []coaching.PlanRecord{{Plan: p, Confidence: []coaching.ConfidenceScore{{Score: 5}, {Score: 8}}}}
		}, []string{"Action plan\n- New plan (physical activity): walk · 15 min · after lunch · 3 days a week\n",
			"  Where: the park\n  Starts 2026-11-24\n  Barrier: rain; way round it: the shopping centre\n  Backup: stretches\n",
			"  In their words: \"I'll go after lunch\"\n  Confidence: 5 → 8\n"}},
		{"Action plan", func(r *coaching.CallRecord) {
			p := plan
			p.Replaces, p.ReviewDate = 4, "2026-12-01"
			r.Plans = []coaching.PlanRecord{{Plan: p}}
		}, []string{"- Revised plan (physical activity): walk", "  review 2026-12-01\n", "  Confidence: 8\n"}},
		{"Next contact", func(r *coaching.CallRecord) {
			r.FollowUps = []coaching.FollowUp{{Due: time.Date(2026, 11, 27, 14, 0, 0, 0, time.UTC), Reason: "the new tablets"}}
		}, []string{"Next contact\n- Fri 27 Nov 2026 14:00 UTC: the new tablets\n"}},
		{"MI tally", func(r *coaching.CallRecord) {
			r.Tally = coaching.Tally{coaching.TallyMIInconsistent: 1}
		}, []string{"OQ 0 · CQ 0 · SR 0 · CR 0 · AF 0 · SU 0 · MI- 1\n", "R:Q — · %CR —\n"}},
		{"Notes", func(r *coaching.CallRecord) {
			r.Call.Notes = "\n\n  spoke briefly  \n\n"
		}, []string{"\n\nNotes\nspoke briefly\n"}},
	}
	for _, tc := range tests {
		t.Run(tc.heading, func(t *testing.T) {
			r := coaching.CallRecord{Person: coaching.Person{Name: "Ann"}, Call: coaching.Call{StartedAt: start, EndedAt: start.Add(10 * time.Minute)}}
			tc.add(&r)
			got := write(t, r, start)
			for _, want := range tc.want {
				if !strings.Contains(got, want) {
					t.Errorf("lacks %q:\n%s", want, got)
				}
			}
			for _, h := range headings {
				if has := strings.Contains(got, "\n"+h); has != (h == tc.heading) {
					t.Errorf("section %q shown: %v\n%s", h, has, got)
				}
			}
			if strings.Contains(got, `\"`) || strings.Contains(got, "\n\n\n") || !strings.HasSuffix(got, "\n") || strings.HasSuffix(got, "\n\n") {
				t.Errorf("escaping or spacing:\n%q", got)
			}
		})
	}
}

func TestFollowUpShowsTheirTimeWhenItDiffers(t *testing.T) {
	chicago, err := time.LoadLocation("America/Chicago")
	if err != nil {
		t.Skip(err)
	}
	due := time.Date(2026, 11, 27, 14, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		person *time.Location
		due    time.Time
		want   string
	}{
		{nil, due, "Fri 27 Nov 2026 14:00 UTC"},
		{time.UTC, due, "Fri 27 Nov 2026 14:00 UTC"},
		{chicago, due, "Fri 27 Nov 2026 14:00 UTC (08:00 CST their time)"},
		{chicago, due.Add(-10 * time.Hour), "Fri 27 Nov 2026 04:00 UTC (Thu 26 Nov 2026 22:00 CST their time)"},
	} {
		r := coaching.CallRecord{Person: coaching.Person{Name: "Ann"}, Call: coaching.Call{StartedAt: start},
			CallProduce: coaching.CallProduce{FollowUps: []coaching.FollowUp{{Due: tc.due}}}}
		d := NewData(r, Times{Now: start, Coach: time.UTC, Person: tc.person})
		if got := d.FollowUps[0].When; got != tc.want {
			t.Errorf("person in %v: %q, want %q", tc.person, got, tc.want)
		}
	}
}

func TestSummaryIsPlainText(t *testing.T) {
	r := coaching.CallRecord{
		Person: coaching.Person{Name: "Eve\x1b]0;title\x07"},
		Call:   coaching.Call{StartedAt: start, Notes: "line one\n\x1b[2Jline two\u202e"},
		CallProduce: coaching.CallProduce{Safety: []coaching.SafetyRecord{{Reason: "the coach raised a concern", Note: "\x9b2J", RaisedAt: start}},
			Plans: []coaching.PlanRecord{{Plan: coaching.ActionPlan{What: "walk\x1b[31m", Confidence: coaching.NoScore}}}},
	}
	got := write(t, r, start)
	if off, r := coaching.FirstUnsafe(got, true); off >= 0 {
		t.Fatalf("summary holds %s at %d: %q", coaching.DescribeRune(r), off, got)
	}
	if !strings.Contains(got, "line one\n[2Jline two") || !strings.Contains(got, "walk[31m") {
		t.Fatalf("summary lost its text: %q", got)
	}
}
