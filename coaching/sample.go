package coaching

import (
	"fmt"
	"time"
)

// SamplePerson is one person of the sample caseload with their past calls,
// plans and next contact.
type SamplePerson struct {
	Person    Person
	Calls     []Call
	Plans     []SamplePlan
	FollowUps []FollowUp
	Measures  []SampleMeasure
	Readings  []Reading // what they tracked at home, oldest first
}

// SampleMeasure is a complete, scored PHQ-9 or GAD-7 total given on a
// day, so the demo's registry has someone in each state.
type SampleMeasure struct {
	Instrument string // "phq9" or "gad7"
	Total      int
	At         time.Time
}

// SamplePlan is a plan with the confidence scores it was given, in order.
// RevisesPrevious links it to the person's plan before it in the list.
type SamplePlan struct {
	Plan            ActionPlan
	Scores          []int
	RevisesPrevious bool
	At              time.Time
}

// sampleCall is a past call: how many days before now, the hour it began,
// its length in minutes, the outcome and the notes.
type sampleCall struct {
	daysAgo int
	hour    int
	minutes int
	outcome Outcome
	notes   string
}

// SampleCaseload is the made-up caseload `callcoach demo` opens: a dozen
// people with different conditions, needs and call histories, so a newcomer
// can see the app at work. Every name and number is invented; the phone
// numbers use ranges reserved for fiction.
func SampleCaseload(now time.Time) []SamplePerson {
	type spec struct {
		p     Person
		calls []sampleCall
	}
	specs := []spec{
		{Person{Name: "Margaret Okafor", PreferredName: "Maggie", Phone: "+44 20 7946 0132", TimeZone: "Europe/London",
			Conditions: []string{"type 2 diabetes", "high blood pressure"}, CallTimes: "weekday mornings before 11",
			CommunicationNeeds: "hard of hearing: speak slowly, check understanding", Consent: true}, []sampleCall{
			{2, 10, 18, OutcomeReached, "Walked after lunch on 3 of the 4 days she planned.\nKnee ached on Thursday, so she rested; no guilt about it.\nWants to keep the same plan and add Saturday with her granddaughter.\nConfidence 8/10."},
			{9, 10, 22, OutcomeReached, "Talked about sugar readings: higher after evening meals.\nShe chose: a 15-minute walk after lunch, Mon/Tue/Thu/Fri.\nSaid it back in her words: \"straight out after I wash up\".\nConfidence 7/10."},
			{16, 9, 3, OutcomeNoAnswer, ""},
		}},
		{Person{Name: "Daniel Reyes", Phone: "+1 202 555 0147", TimeZone: "America/Chicago",
			Conditions: []string{"COPD"}, CallTimes: "afternoons; not Wednesdays (rehab class)", Consent: true}, []sampleCall{
			{1, 15, 25, OutcomeReached, "Breathless on stairs this week; used his inhaler as taught.\nPulmonary rehab going well, likes the group.\nPlan: practise pursed-lip breathing twice a day, morning and evening, every day but Sunday.\nConfidence 6, so we made it once a day to start; then 8."},
			{8, 14, 12, OutcomeReached, "Quit date set for the 1st; partner supportive.\nWorried about evenings, when he used to smoke on the porch."},
		}},
		{Person{Name: "Aisha Rahman", Phone: "+44 161 496 0321", TimeZone: "Europe/London",
			Conditions: []string{"asthma", "anxiety"}, CallTimes: "after 6pm", CommunicationNeeds: "prefers short calls", Consent: true}, []sampleCall{
			{4, 18, 9, OutcomeReached, "Short call as she prefers.\nSleeping better since she stopped checking her phone in bed.\nWants to try a 10-minute wind-down: breathing exercise from the app, 4 nights this week."},
			{11, 18, 1, OutcomeVoicemail, "Left a message with a call-back number."},
		}},
		{Person{Name: "Tomasz Nowak", PreferredName: "Tom", Phone: "+44 29 2018 0456", TimeZone: "Europe/London",
			Conditions: []string{"heart failure"}, CallTimes: "any weekday", Consent: true}, []sampleCall{
			{3, 11, 20, OutcomeReached, "Weighs himself each morning now; wrote the numbers on the calendar.\nAnkles less swollen.\nAsked about salt: talked through what he already knows, then the leaflet from his nurse."},
		}},
		{Person{Name: "Grace Mensah", Phone: "+1 613 555 0188", TimeZone: "America/Toronto",
			Conditions: []string{"rheumatoid arthritis", "depression"}, CallTimes: "late mornings",
			CommunicationNeeds: "large-print letters", Consent: true}, []sampleCall{
			{6, 11, 30, OutcomeReached, "Flare-up last week, hard to get out.\nFeels low but connected: her sister visits on Sundays.\nPlan: gentle hand exercises while the kettle boils, most mornings (aim for 5).\nSaid confidence 9."},
			{13, 11, 2, OutcomeRescheduled, "Asked to move to Thursday; hospital appointment."},
		}},
		{Person{Name: "Li Wei", Phone: "+61 2 5550 1234", TimeZone: "Australia/Sydney",
			Conditions: []string{"chronic kidney disease", "type 2 diabetes"}, CallTimes: "evenings his time", CommunicationNeeds: "Mandarin interpreter for longer calls", Consent: true}, nil},
		{Person{Name: "Rosa Delgado", Phone: "+1 305 555 0110", TimeZone: "America/New_York",
			Conditions: []string{"obesity", "sleep apnoea"}, CallTimes: "lunch time", Consent: true}, []sampleCall{
			{5, 12, 15, OutcomeReached, "Using the CPAP mask most nights now; still takes it off around 3am.\nWants to cut down on sugary drinks at work.\nPlan: swap the afternoon soda for sparkling water, on the 4 days she is in the office.\nConfidence 7."},
			{12, 12, 14, OutcomeReached, "First call. Explained what coaching is and isn't. Consent given.\nShe is most bothered by tiredness during the day."},
		}},
		{Person{Name: "Ewan MacLeod", Phone: "+44 131 496 0777", TimeZone: "Europe/London",
			Conditions: []string{"multiple sclerosis"}, CallTimes: "Tuesdays and Fridays", Consent: true, Status: StatusPaused}, []sampleCall{
			{20, 14, 10, OutcomeDeclined, "Said he needs a break from calls for a month while his treatment changes. Paused at his request."},
		}},
		{Person{Name: "Fatima Zahra El Idrissi", PreferredName: "Fatima", Phone: "+33 1 99 00 12 34", TimeZone: "Europe/Paris",
			Conditions: []string{"type 1 diabetes"}, CallTimes: "weekends", CommunicationNeeds: "French or English", Consent: true}, []sampleCall{
			{7, 10, 16, OutcomeReached, "Carb counting going better; fewer lows at night.\nWants to walk to work twice a week when the weather allows.\nBackup plan: the exercise bike at home."},
		}},
		{Person{Name: "Samuel Adeyemi", PreferredName: "Sam", Phone: "+1 416 555 0199", TimeZone: "America/Toronto",
			Conditions: []string{"hypertension", "chronic back pain"}, CallTimes: "early mornings, before his shift", Consent: true}, []sampleCall{
			{0, 7, 11, OutcomeReached, "Back pain 6/10 this week. Tried the stretches the physio gave him on 2 days.\nHe wants to take his blood pressure tablets at the same time as breakfast so he stops missing them.\nConfidence 9."},
			{14, 7, 1, OutcomeNoAnswer, ""},
		}},
		{Person{Name: "Hannah Schmidt", Phone: "+49 30 555 0123", TimeZone: "Europe/Berlin",
			Conditions: []string{"long COVID"}, CallTimes: "afternoons", CommunicationNeeds: "fatigue: keep calls under 15 minutes", Consent: true}, []sampleCall{
			{10, 15, 13, OutcomeReached, "Energy very up and down. Talked about pacing: she plans the day in three parts with rest between.\nWill keep a simple energy diary on 5 days this week."},
		}},
		{Person{Name: "Joseph Tiwari", PreferredName: "Joe", Phone: "+44 117 496 0888", TimeZone: "Europe/London",
			Conditions: []string{"coronary heart disease", "type 2 diabetes"}, CallTimes: "weekday evenings"}, nil},
	}
	plans := samplePlans(now)
	out := make([]SamplePerson, 0, len(specs))
	for _, s := range specs {
		p := s.p
		if p.Status == "" {
			p.Status = StatusActive
		}
		p.CreatedAt = now.AddDate(0, 0, -30).UTC().Truncate(time.Second)
		p.UpdatedAt = p.CreatedAt
		if p.Consent {
			p.ConsentDate = p.CreatedAt.Format("2006-01-02")
		}
		sp := SamplePerson{Person: p}
		for _, c := range s.calls {
			day := now.AddDate(0, 0, -c.daysAgo).UTC()
			start := time.Date(day.Year(), day.Month(), day.Day(), c.hour, 0, 0, 0, time.UTC)
			if start.After(now) {
				start = now.Add(-time.Duration(c.minutes+5) * time.Minute).UTC().Truncate(time.Second)
			}
			end := start.Add(time.Duration(c.minutes) * time.Minute)
			sp.Calls = append(sp.Calls, Call{StartedAt: start, EndedAt: end, Outcome: c.outcome, Notes: c.notes, UpdatedAt: end})
		}
		if extra, ok := plans[p.Name]; ok {
			sp.Plans, sp.FollowUps = extra.plans, extra.followUps
		}
		sp.Measures = sampleMeasures(now)[p.Name]
		sp.Readings = sampleReadings(now)[p.Name]
		for _, m := range sp.Measures { // in care since their first measure
			if m.At.Before(sp.Person.CreatedAt) {
				sp.Person.CreatedAt, sp.Person.UpdatedAt = m.At, m.At
				if sp.Person.Consent {
					sp.Person.ConsentDate = m.At.Format("2006-01-02")
				}
			}
		}
		out = append(out, sp)
	}
	return out
}

type sampleExtra struct {
	plans     []SamplePlan
	followUps []FollowUp
}

// samplePlans gives some of the sample people plans and a next contact,
// so every caseload section has someone in it: overdue, due today,
// upcoming, and no follow-up.
func samplePlans(now time.Time) map[string]sampleExtra {
	// Days and hours on the coach's clock (now's), so that "tomorrow" is
	// never today near midnight away from UTC.
	day := func(d, hour int) time.Time {
		t := now.AddDate(0, 0, d)
		return time.Date(t.Year(), t.Month(), t.Day(), hour, 0, 0, 0, now.Location()).UTC()
	}
	date := func(d int) string { return now.AddDate(0, 0, d).Format("2006-01-02") }
	plan := func(b Behaviour, what, much, when, where string, days int, start, review int, commit string) ActionPlan {
		return ActionPlan{Behaviour: b, What: what, HowMuch: much, When: when, Where: where, DaysPerWeek: days,
			StartDate: date(start), ReviewDate: date(review), Commitment: commit, Confidence: NoScore, Status: PlanActive}
	}
	maggie1 := plan(BehaviourActivity, "walk after lunch", "15 minutes", "straight after washing up", "round the block", 4, -9, -2,
		"I'll go straight out after I wash up, four days")
	maggie1.Barriers = []Barrier{{"rain", "walk the corridors of the shopping centre"}}
	maggie2 := plan(BehaviourActivity, "walk after lunch", "15 minutes", "after lunch", "round the block", 5, -2, 5,
		"Five days, and Saturday with my granddaughter")
	daniel := plan(BehaviourOwn, "pursed-lip breathing practice", "5 minutes", "morning and evening", "at home", 6, -1, 6,
		"Twice a day, not Sundays")
	rosa := plan(BehaviourDiet, "swap the afternoon soda for sparkling water", "one can", "mid-afternoon", "at work", 4, -5, 2,
		"On my office days I'll have the fizzy water instead")
	grace := plan(BehaviourActivity, "hand exercises", "5 minutes", "while the kettle boils", "kitchen", 5, -6, 1,
		"Most mornings, while I wait for the kettle")
	sam := plan(BehaviourMedicines, "take the blood pressure tablets with breakfast", "one tablet", "at breakfast", "kitchen table", 5, 0, 7,
		"Tablet next to the cereal, every workday breakfast")
	return map[string]sampleExtra{
		"Margaret Okafor": {
			plans: []SamplePlan{
				{Plan: maggie1, Scores: []int{7}, At: day(-9, 10)},
				{Plan: maggie2, Scores: []int{8}, RevisesPrevious: true, At: day(-2, 10)},
			},
			// Due later today, whenever the demo is opened (late at night,
			// due now: later would be tomorrow).
			followUps: []FollowUp{{Due: laterToday(now), Reason: "see how the walking went"}},
		},
		"Daniel Reyes": {
			plans:     []SamplePlan{{Plan: daniel, Scores: []int{6, 8}, At: day(-1, 15)}},
			followUps: []FollowUp{{Due: day(6, 15), Reason: "breathing practice check-in"}},
		},
		"Rosa Delgado": {
			plans:     []SamplePlan{{Plan: rosa, Scores: []int{7}, At: day(-5, 12)}},
			followUps: []FollowUp{{Due: day(-1, 12), Reason: "how the water swap went"}},
		},
		"Grace Mensah": {
			plans:     []SamplePlan{{Plan: grace, Scores: []int{9}, At: day(-6, 11)}},
			followUps: []FollowUp{{Due: day(1, 11), Reason: "hands, and how her mood is"}},
		},
		"Samuel Adeyemi": {
			plans:     []SamplePlan{{Plan: sam, Scores: []int{9}, At: day(0, 7)}},
			followUps: []FollowUp{{Due: day(7, 7), Reason: "tablets with breakfast"}},
		},
		"Aisha Rahman": {
			followUps: []FollowUp{{Due: day(3, 18), Reason: "wind-down routine"}},
		},
	}
}

// sampleMeasures gives the registry (treat to target) one person in each
// state: not on track (Grace, and Ewan while paused), early (Rosa),
// responding (Hannah), remission (Fatima's GAD-7), not tracked (Sam).
func sampleMeasures(now time.Time) map[string][]SampleMeasure {
	day := func(d int) time.Time {
		t := now.AddDate(0, 0, -d).UTC()
		return time.Date(t.Year(), t.Month(), t.Day(), 11, 0, 0, 0, time.UTC)
	}
	return map[string][]SampleMeasure{
		"Grace Mensah": {{"phq9", 16, day(84)}, {"phq9", 15, day(42)}, {"phq9", 14, day(6)},
			{"gad7", 12, day(84)}, {"gad7", 5, day(6)}},
		"Ewan MacLeod":            {{"phq9", 20, day(91)}, {"phq9", 19, day(20)}},
		"Rosa Delgado":            {{"phq9", 11, day(12)}, {"phq9", 9, day(5)}},
		"Hannah Schmidt":          {{"phq9", 18, day(98)}, {"phq9", 12, day(50)}, {"phq9", 8, day(10)}},
		"Fatima Zahra El Idrissi": {{"gad7", 14, day(77)}, {"gad7", 4, day(7)}},
		"Samuel Adeyemi":          {{"phq9", 7, day(14)}},
	}
}

// sampleReadings gives two people what they tracked at home over the last
// weeks, so the demo's progress charts (g on the person page) have lines
// to draw: Maggie's blood pressure and weight as she walks after lunch,
// Samuel's blood pressure since the tablets moved to breakfast.
func sampleReadings(now time.Time) map[string][]Reading {
	day := func(d int) time.Time {
		t := now.AddDate(0, 0, -d).UTC()
		return time.Date(t.Year(), t.Month(), t.Day(), 8, 30, 0, 0, time.UTC)
	}
	bp := func(d int, sys, dia float64) Reading {
		return Reading{Kind: ReadingBP, Value: sys, Value2: dia, Unit: "mmHg", Entered: fmt.Sprintf("%.0f/%.0f", sys, dia), TakenAt: day(d)}
	}
	kg := func(d int, v float64) Reading {
		return Reading{Kind: ReadingWeight, Value: v, Unit: "kg", Entered: fmt.Sprintf("%.1f kg", v), TakenAt: day(d)}
	}
	return map[string][]Reading{
		"Margaret Okafor": {bp(40, 146, 92), kg(40, 84.2), bp(26, 141, 90), kg(26, 83.6), bp(12, 137, 87), kg(12, 83.1),
			bp(2, 134, 85), kg(2, 82.4)},
		"Samuel Adeyemi": {bp(21, 152, 96), bp(14, 149, 94), bp(7, 143, 91), bp(1, 139, 88)},
	}
}

// laterToday is about an hour and a half after now, on a quarter hour,
// if that is still today on now's clock; else now itself.
func laterToday(now time.Time) time.Time {
	due := now.Add(90 * time.Minute).Truncate(15 * time.Minute)
	y, m, d := now.Date()
	if dy, dm, dd := due.In(now.Location()).Date(); dy != y || dm != m || dd != d {
		return now.UTC().Truncate(time.Second)
	}
	return due.UTC()
}
