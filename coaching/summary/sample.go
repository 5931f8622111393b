package summary

import (
	"time"

	"callcoach/coaching"
)

// Sample is a made-up call that produced one of everything a record can
// hold, an hour before now: Check writes it with a template, so that every
// section is tried.
func Sample(now time.Time) coaching.CallRecord {
	start := now.Add(-time.Hour).Truncate(time.Minute)
	at := func(min int) time.Time { return start.Add(time.Duration(min) * time.Minute) }
	old := coaching.ActionPlan{ID: 1, Behaviour: coaching.BehaviourActivity, What: "walk after lunch", HowMuch: "15 minutes",
		When: "straight after I wash up", DaysPerWeek: 4, Confidence: 7, Status: coaching.PlanPartly}
	next := coaching.ActionPlan{ID: 2, Behaviour: coaching.BehaviourActivity, What: "walk after lunch", HowMuch: "10 minutes",
		When: "straight after I wash up", Where: "round the park", DaysPerWeek: 3,
		StartDate: at(0).Format("2006-01-02"), ReviewDate: at(7 * 24 * 60).Format("2006-01-02"),
		Barriers: []coaching.Barrier{{Barrier: "rain", Solution: "walk round the shopping centre"}, {Barrier: "a sore knee"}},
		Backup:   "stretches at home", Commitment: "I'll go straight out after I wash up",
		Confidence: 8, Status: coaching.PlanActive, Replaces: 1}
	return coaching.CallRecord{
		Person: coaching.Person{Name: "Margaret Okafor", PreferredName: "Maggie"},
		Call: coaching.Call{StartedAt: start, EndedAt: at(18), Outcome: coaching.OutcomeReached, Role: coaching.RoleCoach,
			Notes: "Walked 3 of the 4 days.\nKnee ached on Thursday, so she rested."},
		Visits: []coaching.StageVisit{{Stage: coaching.StageEngage, At: at(0)}, {Stage: coaching.StageReview, At: at(2)}, {Stage: coaching.StagePlan, At: at(9)}},
		Rulers: []coaching.Ruler{
			{Kind: coaching.RulerImportance, Score: 8, About: "walking after lunch", FollowUp: "I want to keep up with my granddaughter"},
			{Kind: coaching.RulerConfidence, Score: 6},
		},
		Talk: []coaching.ChangeTalk{{Kind: coaching.TalkDesire, Quote: "I want to walk more"}, {Kind: coaching.TalkSustain, Quote: "It's too cold"}},
		Tally: coaching.Tally{coaching.TallyOpenQuestion: 4, coaching.TallyClosedQuestion: 1, coaching.TallySimpleReflection: 2,
			coaching.TallyComplexReflect: 3, coaching.TallyAffirmation: 1},
		CallProduce: coaching.CallProduce{
			Plans: []coaching.PlanRecord{{Plan: next, Confidence: []coaching.ConfidenceScore{{PlanID: 2, Score: 6, At: at(12)}, {PlanID: 2, Score: 8, At: at(14)}}}},
			Reviews: []coaching.ReviewRecord{{Plan: old,
				Review: coaching.PlanReview{PlanID: 1, Outcome: coaching.PlanPartly, Helped: "my neighbour came too", GotInWay: "the rain", At: at(3)}}},
			FollowUps: []coaching.FollowUp{{PlanID: 2, Due: at(7*24*60 - 60), Reason: "how the shorter walks went"}},
			Measures: []coaching.MeasureGiven{
				{Name: "PHQ-9", Title: "Depression screen (PHQ-9)", Complete: true, Scored: true, Total: 11, Max: 27, Band: "moderate", Screen: true, GivenAt: at(5)},
				{Name: "SEMCD-6", Title: "Confidence in managing a long-term condition (SEMCD-6)", Complete: true, Scored: true, Total: 6.5, Mean: true, Max: 10, GivenAt: at(8)},
				{Name: "GAD-7", Title: "Anxiety screen (GAD-7)", Screen: true, GivenAt: at(16)},
			},
			Safety: []coaching.SafetyRecord{
				{Reason: "PHQ-9 question 9 was answered above 0", Actions: []string{"asked them directly about suicide", "stayed on the line with them"},
					Note: "No plan or means.\nAgreed to see her GP this week.", RaisedAt: at(6), RecordedAt: at(8)},
				{Reason: "the coach raised a concern", RaisedAt: at(17)},
			},
		},
	}
}

// Bare is a made-up call that holds nothing: ended at once, with no
// answer. Check writes it too, so a template that counts on a part being
// there shows it.
func Bare(now time.Time) coaching.CallRecord {
	start := now.Add(-time.Hour).Truncate(time.Minute)
	return coaching.CallRecord{Person: coaching.Person{Name: "Ann"},
		Call: coaching.Call{StartedAt: start, EndedAt: start, Outcome: coaching.OutcomeNoAnswer}}
}
