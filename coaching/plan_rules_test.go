package coaching

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestBehaviourChoices(t *testing.T) {
	want := []BehaviourChoice{
		{BehaviourOwn, "o", "their own idea"},
		{BehaviourDiet, "d", "eating and drinking"},
		{BehaviourActivity, "a", "physical activity"},
		{BehaviourSleep, "s", "sleep"},
		{BehaviourSocial, "c", "social contact"},
		{BehaviourStress, "t", "stress and mood"},
		{BehaviourMedicines, "m", "medicines"},
	}
	if !reflect.DeepEqual(BehaviourChoices, want) {
		t.Fatalf("BehaviourChoices = %v, want %v", BehaviourChoices, want)
	}
	for _, c := range want {
		if got := c.Behaviour.Label(); got != c.Label {
			t.Errorf("%q.Label() = %q, want %q", c.Behaviour, got, c.Label)
		}
		got, err := ParseBehaviour(string(c.Behaviour))
		if err != nil || got != c.Behaviour {
			t.Errorf("ParseBehaviour(%q) = %q, %v", c.Behaviour, got, err)
		}
	}
	for _, bad := range []string{"", "Diet", "swimming", "d", "physical activity"} {
		if got, err := ParseBehaviour(bad); err == nil {
			t.Errorf("ParseBehaviour(%q) = %q, want an error", bad, got)
		}
	}
	if got := Behaviour("swimming").Label(); got != "swimming" {
		t.Errorf("unknown area's label = %q, want it as stored", got)
	}
}

func TestPlanStatusLabels(t *testing.T) {
	tests := []struct {
		s     PlanStatus
		label string
	}{
		{PlanActive, "active"},
		{PlanDone, "done"},
		{PlanPartly, "partly done"},
		{PlanNotDone, "not done"},
		{PlanRevised, "revised"},
		{PlanDropped, "dropped"},
	}
	for _, tc := range tests {
		if got := tc.s.Label(); got != tc.label {
			t.Errorf("%q.Label() = %q, want %q", tc.s, got, tc.label)
		}
		got, err := ParsePlanStatus(string(tc.s))
		if err != nil || got != tc.s {
			t.Errorf("ParsePlanStatus(%q) = %q, %v", tc.s, got, err)
		}
	}
	for _, bad := range []string{"", "partly done", "Done", "finished"} {
		if got, err := ParsePlanStatus(bad); err == nil {
			t.Errorf("ParsePlanStatus(%q) = %q, want an error", bad, got)
		}
	}
	if got := PlanStatus("paused").Label(); got != "paused" {
		t.Errorf("unknown status's label = %q, want it as stored", got)
	}
}

func TestCanTransition(t *testing.T) {
	all := []PlanStatus{PlanActive, PlanDone, PlanPartly, PlanNotDone, PlanRevised, PlanDropped, "", "paused"}
	allowed := map[[2]PlanStatus]bool{
		{PlanActive, PlanDone}:     true,
		{PlanActive, PlanPartly}:   true,
		{PlanActive, PlanNotDone}:  true,
		{PlanActive, PlanRevised}:  true,
		{PlanActive, PlanDropped}:  true,
		{PlanDone, PlanRevised}:    true,
		{PlanPartly, PlanRevised}:  true,
		{PlanNotDone, PlanRevised}: true,
	}
	for _, from := range all {
		for _, to := range all {
			want := allowed[[2]PlanStatus{from, to}]
			if got := CanTransition(from, to); got != want {
				t.Errorf("CanTransition(%q, %q) = %v, want %v", from, to, got, want)
			}
		}
	}
}

// completePlan is a plan with nothing for Hints to say.
func completePlan() ActionPlan {
	return ActionPlan{
		Behaviour: BehaviourActivity, What: "walk after lunch", HowMuch: "15 minutes", When: "straight after lunch",
		Where: "round the park", DaysPerWeek: 3, StartDate: "2026-11-23", ReviewDate: "2026-12-01",
		Barriers:   []Barrier{{"rain", "take the umbrella"}},
		Commitment: "I'll walk round the park after lunch three days", Confidence: 8, Status: PlanActive,
	}
}

func TestHints(t *testing.T) {
	with := func(f func(p *ActionPlan)) ActionPlan {
		p := completePlan()
		f(&p)
		return p
	}
	outcome := Hint{"what", "this names a result; what will they DO to get there?"}
	tests := []struct {
		name string
		p    ActionPlan
		want []Hint
	}{
		{"complete", completePlan(), nil},
		{"no backup is fine", with(func(p *ActionPlan) { p.Backup = "" }), nil},
		{"empty plan, in the form's order", ActionPlan{}, []Hint{
			{"what", "what will they do?"},
			{"how much", "how much? e.g. how long, how far or how many"},
			{"when", "when will they do it? e.g. after lunch"},
			{"where", "where will they do it? (if it helps to say)"},
			{"days", "how many days this week?"},
		}},
		{"blank what", with(func(p *ActionPlan) { p.What = " \t " }), []Hint{{"what", "what will they do?"}}},
		{"lose kg", with(func(p *ActionPlan) { p.What = "lose 2 kg" }), []Hint{outcome}},
		{"units run into the number", with(func(p *ActionPlan) { p.What = "Lose 5kg by Christmas" }), []Hint{outcome}},
		{"pounds", with(func(p *ActionPlan) { p.What = "drop 10lbs" }), []Hint{outcome}},
		{"a stone", with(func(p *ActionPlan) { p.What = "get down a stone" }), []Hint{outcome}},
		{"weight", with(func(p *ActionPlan) { p.What = "get my weight down" }), []Hint{outcome}},
		{"HbA1c", with(func(p *ActionPlan) { p.What = "get my HbA1c under 48" }), []Hint{outcome}},
		{"cholesterol", with(func(p *ActionPlan) { p.What = "lower cholesterol" }), []Hint{outcome}},
		{"blood sugar", with(func(p *ActionPlan) { p.What = "better blood sugar" }), []Hint{outcome}},
		{"blood pressure reading", with(func(p *ActionPlan) { p.What = "a lower blood pressure reading" }), []Hint{outcome}},
		{"feel better", with(func(p *ActionPlan) { p.What = "Feel better!" }), []Hint{outcome}},
		{"checking a reading is a behaviour", with(func(p *ActionPlan) { p.What = "check blood sugar before breakfast" }), nil},
		{"recording weight is a behaviour", with(func(p *ActionPlan) { p.What = "record my weight on Mondays" }), nil},
		{"lifting weights is a behaviour", with(func(p *ActionPlan) { p.What = "lift weights" }), nil},
		{"words inside words do not count", with(func(p *ActionPlan) { p.What = "walk to the milestone with background music" }), nil},
		{"blood alone is not a reading", with(func(p *ActionPlan) { p.What = "give blood" }), nil},
		{"no how much", with(func(p *ActionPlan) { p.HowMuch = "" }), []Hint{{"how much", "how much? e.g. how long, how far or how many"}}},
		{"no when", with(func(p *ActionPlan) { p.When = "" }), []Hint{{"when", "when will they do it? e.g. after lunch"}}},
		{"no where", with(func(p *ActionPlan) { p.Where = "" }), []Hint{{"where", "where will they do it? (if it helps to say)"}}},
		{"no days", with(func(p *ActionPlan) { p.DaysPerWeek = 0 }), []Hint{{"days", "how many days this week?"}}},
		{"one day", with(func(p *ActionPlan) { p.DaysPerWeek = 1 }), nil},
		{"six days", with(func(p *ActionPlan) { p.DaysPerWeek = 6 }), nil},
		{"every day", with(func(p *ActionPlan) { p.DaysPerWeek = 7 }), []Hint{{"days", "every day leaves no slack: most plans that last aim for fewer days"}}},
		{"review before start", with(func(p *ActionPlan) { p.ReviewDate = "2026-11-22" }), []Hint{{"review", "the review date is before the start date"}}},
		{"review on the start day", with(func(p *ActionPlan) { p.ReviewDate = "2026-11-23" }), nil},
		{"review exactly 3 weeks on", with(func(p *ActionPlan) { p.ReviewDate = "2026-12-14" }), nil},
		{"review 3 weeks and a day on", with(func(p *ActionPlan) { p.ReviewDate = "2026-12-15" }), []Hint{{"review", "the review is more than 3 weeks after the start: a check-in within 1-2 weeks keeps it fresh"}}},
		{"review with no start", with(func(p *ActionPlan) { p.StartDate = ""; p.ReviewDate = "2027-06-01" }), nil},
		{"unreadable dates are Normalize's business", with(func(p *ActionPlan) { p.ReviewDate = "soon" }), nil},
		{"barrier without a way round", with(func(p *ActionPlan) {
			p.Barriers = []Barrier{{"rain", "umbrella"}, {"too tired", " "}, {"", "a solution alone"}}
		}), []Hint{{"barriers", `what could they do about "too tired"?`}}},
		{"a long barrier is cut short", with(func(p *ActionPlan) { p.Barriers = []Barrier{{strings.Repeat("b", 50), ""}} }),
			[]Hint{{"barriers", `what could they do about "` + strings.Repeat("b", 40) + `…"?`}}},
	}
	for _, tc := range tests {
		if got := tc.p.Hints(); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: Hints() = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestComplete(t *testing.T) {
	with := func(f func(p *ActionPlan)) ActionPlan {
		p := ActionPlan{What: "walk", HowMuch: "15 minutes", When: "after lunch", DaysPerWeek: 3}
		f(&p)
		return p
	}
	tests := []struct {
		name string
		p    ActionPlan
		want bool
	}{
		{"what, how much, when, days", with(func(*ActionPlan) {}), true},
		{"no where, backup or dates needed", with(func(p *ActionPlan) { p.Where, p.Backup, p.StartDate = "", "", "" }), true},
		{"no what", with(func(p *ActionPlan) { p.What = "" }), false},
		{"blank what", with(func(p *ActionPlan) { p.What = "  " }), false},
		{"no how much", with(func(p *ActionPlan) { p.HowMuch = "" }), false},
		{"no when", with(func(p *ActionPlan) { p.When = "\t" }), false},
		{"0 days", with(func(p *ActionPlan) { p.DaysPerWeek = 0 }), false},
		{"1 day", with(func(p *ActionPlan) { p.DaysPerWeek = 1 }), true},
		{"7 days", with(func(p *ActionPlan) { p.DaysPerWeek = 7 }), true},
		{"8 days", with(func(p *ActionPlan) { p.DaysPerWeek = 8 }), false},
		{"negative days", with(func(p *ActionPlan) { p.DaysPerWeek = -1 }), false},
		{"empty", ActionPlan{}, false},
	}
	for _, tc := range tests {
		if got := tc.p.Complete(); got != tc.want {
			t.Errorf("%s: Complete() = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestNormalizePlan(t *testing.T) {
	london := mustLoad(t, "Europe/London")
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, london)
	long := strings.Repeat("é", MaxLongField+1)
	atLimit := strings.Repeat("é", MaxLongField)
	barriers := func(n int) []Barrier {
		var bs []Barrier
		for range n {
			bs = append(bs, Barrier{"rain", "umbrella"})
		}
		return bs
	}
	tests := []struct {
		name      string
		p         ActionPlan
		wantField string // "" means valid
		check     func(t *testing.T, p ActionPlan)
	}{
		{name: "zero plan", p: ActionPlan{}, check: func(t *testing.T, p ActionPlan) {
			if p.Status != PlanActive || p.Behaviour != BehaviourOwn || p.Confidence != 0 {
				t.Errorf("status %q, area %q, confidence %d; want active, own, 0", p.Status, p.Behaviour, p.Confidence)
			}
		}},
		{name: "complete plan unchanged", p: completePlan(), check: func(t *testing.T, p ActionPlan) {
			if !reflect.DeepEqual(p, completePlan()) {
				t.Errorf("got %+v", p)
			}
		}},
		{name: "text cleaned", p: ActionPlan{What: "  walk\tafter\x1blunch ", HowMuch: " 15 min\xff ", When: "\n10am\n", Where: " park ", Backup: " indoors ", Commitment: " I will "}, check: func(t *testing.T, p ActionPlan) {
			got := []string{p.What, p.HowMuch, p.When, p.Where, p.Backup, p.Commitment}
			want := []string{"walk after lunch", "15 min", "10am", "park", "indoors", "I will"}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got %q, want %q", got, want)
			}
		}},
		{name: "what at the limit", p: ActionPlan{What: atLimit}},
		{name: "what too long", p: ActionPlan{What: long}, wantField: "what"},
		{name: "how much too long", p: ActionPlan{HowMuch: long}, wantField: "how much"},
		{name: "when too long", p: ActionPlan{When: long}, wantField: "when"},
		{name: "where too long", p: ActionPlan{Where: long}, wantField: "where"},
		{name: "backup too long", p: ActionPlan{Backup: long}, wantField: "backup"},
		{name: "commitment too long", p: ActionPlan{Commitment: long}, wantField: "commitment"},
		{name: "barrier too long", p: ActionPlan{Barriers: []Barrier{{long, "x"}}}, wantField: "barriers"},
		{name: "solution too long", p: ActionPlan{Barriers: []Barrier{{"x", long}}}, wantField: "barriers"},
		{name: "barrier and solution each at the limit", p: ActionPlan{Barriers: []Barrier{{atLimit, atLimit}}}},
		{name: "0 days: not yet said", p: ActionPlan{DaysPerWeek: 0}},
		{name: "7 days", p: ActionPlan{DaysPerWeek: 7}},
		{name: "8 days", p: ActionPlan{DaysPerWeek: 8}, wantField: "days"},
		{name: "negative days", p: ActionPlan{DaysPerWeek: -1}, wantField: "days"},
		{name: "dates trimmed", p: ActionPlan{StartDate: " 2026-11-24 ", ReviewDate: "2026-12-01\n"}, check: func(t *testing.T, p ActionPlan) {
			if p.StartDate != "2026-11-24" || p.ReviewDate != "2026-12-01" {
				t.Errorf("dates %q %q", p.StartDate, p.ReviewDate)
			}
		}},
		{name: "typed dates read in the person's zone", p: ActionPlan{StartDate: "tomorrow", ReviewDate: "+1w"}, check: func(t *testing.T, p ActionPlan) {
			if p.StartDate != "2026-11-24" || p.ReviewDate != "2026-11-30" {
				t.Errorf("dates %q %q", p.StartDate, p.ReviewDate)
			}
		}},
		{name: "old stored dates kept", p: ActionPlan{StartDate: "2020-01-06", ReviewDate: "2030-01-01"}},
		{name: "impossible start", p: ActionPlan{StartDate: "2026-02-30"}, wantField: "start"},
		{name: "ambiguous start", p: ActionPlan{StartDate: "11/12"}, wantField: "start"},
		{name: "unreadable review", p: ActionPlan{ReviewDate: "soonish"}, wantField: "review"},
		{name: "review a year and more away", p: ActionPlan{ReviewDate: "+60w"}, wantField: "review"},
		{name: "empty barriers dropped", p: ActionPlan{Barriers: []Barrier{{"", ""}, {" ", "\t"}, {" rain ", ""}, {"", " lift "}}}, check: func(t *testing.T, p ActionPlan) {
			want := []Barrier{{"rain", ""}, {"", "lift"}}
			if !reflect.DeepEqual(p.Barriers, want) {
				t.Errorf("barriers %q, want %q", p.Barriers, want)
			}
		}},
		{name: "only empty barriers", p: ActionPlan{Barriers: []Barrier{{"", ""}}}, check: func(t *testing.T, p ActionPlan) {
			if len(p.Barriers) != 0 {
				t.Errorf("barriers %q, want none", p.Barriers)
			}
		}},
		{name: "10 barriers", p: ActionPlan{Barriers: barriers(MaxBarriers)}},
		{name: "11 barriers", p: ActionPlan{Barriers: barriers(MaxBarriers + 1)}, wantField: "barriers"},
		{name: "11 with an empty one", p: ActionPlan{Barriers: append(barriers(MaxBarriers), Barrier{})}},
		{name: "no score", p: ActionPlan{Confidence: NoScore}},
		{name: "score 0", p: ActionPlan{Confidence: 0}},
		{name: "score 10", p: ActionPlan{Confidence: 10}},
		{name: "score 11", p: ActionPlan{Confidence: 11}, wantField: "confidence"},
		{name: "score -2", p: ActionPlan{Confidence: -2}, wantField: "confidence"},
		{name: "reviewed status kept", p: ActionPlan{Status: PlanPartly}, check: func(t *testing.T, p ActionPlan) {
			if p.Status != PlanPartly {
				t.Errorf("status %q", p.Status)
			}
		}},
		{name: "unknown status", p: ActionPlan{Status: "finished"}, wantField: "status"},
		{name: "menu area kept", p: ActionPlan{Behaviour: BehaviourSleep}, check: func(t *testing.T, p ActionPlan) {
			if p.Behaviour != BehaviourSleep {
				t.Errorf("area %q", p.Behaviour)
			}
		}},
		{name: "unknown area", p: ActionPlan{Behaviour: "swimming"}, wantField: "behaviour"},
	}
	for _, tc := range tests {
		p := tc.p
		err := p.Normalize(london, now)
		if tc.wantField == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			} else if tc.check != nil {
				tc.check(t, p)
			}
			continue
		}
		var fe *FieldError
		if !errors.As(err, &fe) {
			t.Errorf("%s: error %v, want a field error on %q", tc.name, err, tc.wantField)
		} else if fe.Field != tc.wantField {
			t.Errorf("%s: error on %q (%v), want %q", tc.name, fe.Field, err, tc.wantField)
		}
	}
}

func TestNormalizePlanLeavesSharedBarriersAlone(t *testing.T) {
	shared := []Barrier{{" rain ", ""}, {"", ""}}
	p := ActionPlan{Barriers: shared}
	if err := p.Normalize(time.UTC, time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	if shared[0].Barrier != " rain " || len(p.Barriers) != 1 || p.Barriers[0].Barrier != "rain" {
		t.Errorf("shared %q, normalized %q", shared, p.Barriers)
	}
}

func TestProblemSolvingSteps(t *testing.T) {
	wantParts := []string{"smaller or easier", "different time, or fewer days", "get in the way", "someone who could help", "ask again: how confident, 0 to 10?"}
	tests := []struct {
		score int
		steps bool
	}{
		{NoScore, false}, {-5, false}, {0, true}, {1, true}, {6, true}, {7, false}, {10, false}, {11, false},
	}
	for _, tc := range tests {
		got := ProblemSolvingSteps(tc.score)
		if !tc.steps {
			if len(got) != 0 {
				t.Errorf("ProblemSolvingSteps(%d) = %q, want none", tc.score, got)
			}
			continue
		}
		if len(got) != len(wantParts) {
			t.Errorf("ProblemSolvingSteps(%d) has %d steps, want %d", tc.score, len(got), len(wantParts))
			continue
		}
		for i, part := range wantParts {
			if !strings.Contains(got[i], part) {
				t.Errorf("ProblemSolvingSteps(%d)[%d] = %q, want it to mention %q", tc.score, i, got[i], part)
			}
		}
	}
	ProblemSolvingSteps(3)[0] = "changed"
	if ProblemSolvingSteps(3)[0] == "changed" {
		t.Error("a caller's change to the steps leaks into the next call")
	}
}

func TestNextPlanStep(t *testing.T) {
	with := func(f func(p *ActionPlan)) ActionPlan {
		p := completePlan()
		f(&p)
		return p
	}
	tests := []struct {
		name string
		p    ActionPlan
		want PlanStep
	}{
		{"empty", ActionPlan{Confidence: NoScore}, StepDetails},
		{"no days yet, though said and scored", with(func(p *ActionPlan) { p.DaysPerWeek = 0 }), StepDetails},
		{"no how much", with(func(p *ActionPlan) { p.HowMuch = "" }), StepDetails},
		{"not said back", with(func(p *ActionPlan) { p.Commitment = " " }), StepCommitment},
		{"said back, not scored", with(func(p *ActionPlan) { p.Confidence = NoScore }), StepConfidence},
		{"score out of range counts as not asked", with(func(p *ActionPlan) { p.Confidence = 11 }), StepConfidence},
		{"scored 0", with(func(p *ActionPlan) { p.Confidence = 0 }), StepProblemSolve},
		{"scored 6", with(func(p *ActionPlan) { p.Confidence = 6 }), StepProblemSolve},
		{"scored 7", with(func(p *ActionPlan) { p.Confidence = 7 }), StepFollowUp},
		{"scored 10", with(func(p *ActionPlan) { p.Confidence = 10 }), StepFollowUp},
		{"revised plan starts again at the commitment", completePlan().Revise(), StepCommitment},
	}
	for _, tc := range tests {
		if got := NextPlanStep(tc.p); got != tc.want {
			t.Errorf("%s: NextPlanStep = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestPlanStepString(t *testing.T) {
	tests := []struct {
		s    PlanStep
		want string
	}{
		{StepDetails, "details"},
		{StepCommitment, "commitment"},
		{StepConfidence, "confidence"},
		{StepProblemSolve, "problem-solve"},
		{StepFollowUp, "follow-up"},
		{PlanStep(9), "step(9)"},
	}
	for _, tc := range tests {
		if got := tc.s.String(); got != tc.want {
			t.Errorf("PlanStep(%d).String() = %q, want %q", int(tc.s), got, tc.want)
		}
	}
}

func TestRevise(t *testing.T) {
	old := completePlan()
	old.ID, old.PersonID, old.CallID, old.Replaces = 12, 3, 40, 7
	old.Status = PlanNotDone
	old.CreatedAt = time.Date(2026, 11, 9, 10, 0, 0, 0, time.UTC)
	old.UpdatedAt = old.CreatedAt.Add(time.Hour)
	old.Barriers = []Barrier{{"rain", "umbrella"}, {"tired", ""}}

	got := old.Revise()
	want := old
	want.ID, want.Replaces, want.CallID = 0, 12, 0
	want.Commitment, want.Confidence, want.Status = "", NoScore, PlanActive
	want.CreatedAt, want.UpdatedAt = time.Time{}, time.Time{}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Revise() = %+v\nwant %+v", got, want)
	}
	got.Barriers[0].Solution = "stay in"
	got.Barriers = append(got.Barriers, Barrier{"new", ""})
	if old.Barriers[0].Solution != "umbrella" || len(old.Barriers) != 2 {
		t.Errorf("editing the revision changed the old plan's barriers: %q", old.Barriers)
	}
	if b := (ActionPlan{ID: 1}).Revise().Barriers; len(b) != 0 {
		t.Errorf("a plan with no barriers revised into %q", b)
	}
}

func TestConfidenceTrend(t *testing.T) {
	scores := func(ns ...int) []ConfidenceScore {
		var out []ConfidenceScore
		for _, n := range ns {
			out = append(out, ConfidenceScore{Score: n})
		}
		return out
	}
	tests := []struct {
		name   string
		scores []ConfidenceScore
		want   string
	}{
		{"none", nil, ""},
		{"empty", []ConfidenceScore{}, ""},
		{"only out of range", scores(-1, 11), ""},
		{"rising", scores(5, 7, 9), "▄▆█ 5 → 7 → 9"},
		{"zero is blank but numbered", scores(0), "  0"},
		{"ten", scores(10), "█ 10"},
		{"every score", scores(0, 1, 2, 3, 4, 5, 6, 7), " ▁▂▃▄▄▅▆ 0 → 1 → 2 → 3 → 4 → 5 → 6 → 7"},
		{"the top of the scale", scores(8, 9, 10), "▇██ 8 → 9 → 10"},
		{"the last 8 of 10", scores(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), "▃▄▄▅▆▇██ 3 → 4 → 5 → 6 → 7 → 8 → 9 → 10"},
		{"out of range left out", scores(4, -1, 6, 12), "▄▅ 4 → 6"},
	}
	for _, tc := range tests {
		if got := ConfidenceTrend(tc.scores); got != tc.want {
			t.Errorf("%s: ConfidenceTrend = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestPlanStatusCurrent(t *testing.T) {
	tests := []struct {
		status PlanStatus
		want   bool
	}{
		{PlanActive, true},
		{PlanDone, true},
		{PlanPartly, true},
		{PlanNotDone, true},
		{PlanRevised, false},
		{PlanDropped, false},
	}
	for _, tc := range tests {
		if got := tc.status.Current(); got != tc.want {
			t.Errorf("%s.Current() = %v, want %v", tc.status, got, tc.want)
		}
	}
}

func TestCurrentPlan(t *testing.T) {
	plan := func(id int64, s PlanStatus) ActionPlan { return ActionPlan{ID: id, Status: s} }
	tests := []struct {
		name  string
		plans []ActionPlan
		want  int64 // 0: none is current
	}{
		{"no plans", nil, 0},
		{"one active", []ActionPlan{plan(1, PlanActive)}, 1},
		{"only revised and dropped", []ActionPlan{plan(3, PlanRevised), plan(2, PlanDropped)}, 0},
		{"the revision, not the plan it replaced", []ActionPlan{plan(2, PlanActive), plan(1, PlanRevised)}, 2},
		{"a reviewed plan is still current", []ActionPlan{plan(1, PlanDone)}, 1},
		{"partly and not done are current too", []ActionPlan{plan(4, PlanNotDone), plan(3, PlanPartly)}, 4},
		{"the newest current, past a newer dropped one", []ActionPlan{plan(5, PlanDropped), plan(4, PlanActive), plan(3, PlanActive)}, 4},
		{"oldest first gives the same", []ActionPlan{plan(3, PlanActive), plan(4, PlanActive), plan(5, PlanDropped)}, 4},
		{"an older active plan under a newer done one", []ActionPlan{plan(7, PlanDone), plan(6, PlanActive)}, 7},
	}
	for _, tc := range tests {
		p, ok := CurrentPlan(tc.plans)
		if ok != (tc.want != 0) || p.ID != tc.want {
			t.Errorf("%s: CurrentPlan = plan %d, %v; want plan %d", tc.name, p.ID, ok, tc.want)
		}
	}
}
