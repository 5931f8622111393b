package coaching

import "testing"

func TestNextStage(t *testing.T) {
	low, seven, high := 5, 7, 9
	tests := []struct {
		from Stage
		conf *int
		want Stage
		ok   bool
	}{
		{StageEngage, nil, StageReview, true},
		{StageReview, nil, StageFocus, true},
		{StageFocus, nil, StageExplore, true},
		{StageExplore, nil, StagePlan, true},
		{StagePlan, nil, StageCommit, true},
		{StageCommit, nil, StageConfidence, true},
		{StageConfidence, nil, StageFollowUp, true},
		{StageConfidence, &low, StagePlan, true},
		{StageConfidence, &seven, StageFollowUp, true},
		{StageConfidence, &high, StageFollowUp, true},
		{StagePlan, &low, StageCommit, true}, // a low score only matters at the confidence stage
		{StageFollowUp, nil, StageClose, true},
		{StageClose, nil, StageClose, false},
		{Stage("nonsense"), nil, Stage("nonsense"), false},
	}
	for _, tc := range tests {
		got, ok := NextStage(tc.from, tc.conf)
		if got != tc.want || ok != tc.ok {
			t.Errorf("NextStage(%s, %v) = %s, %v; want %s, %v", tc.from, tc.conf, got, ok, tc.want, tc.ok)
		}
	}
}

func TestPreviousStageAndStageAt(t *testing.T) {
	if s, ok := PreviousStage(StageEngage); ok || s != StageEngage {
		t.Errorf("PreviousStage(engage) = %s, %v", s, ok)
	}
	if s, ok := PreviousStage(StageClose); !ok || s != StageFollowUp {
		t.Errorf("PreviousStage(close) = %s, %v", s, ok)
	}
	if len(DefaultFlow) != 9 {
		t.Fatalf("flow has %d stages; alt+1..alt+9 expect 9", len(DefaultFlow))
	}
	for n := 1; n <= 9; n++ {
		s, ok := StageAt(n)
		if !ok || StageIndex(s) != n-1 {
			t.Errorf("StageAt(%d) = %s, %v", n, s, ok)
		}
		if _, err := ParseStage(string(s)); err != nil || s.Title() == string(s) {
			t.Errorf("stage %s: parse %v, title %q", s, err, s.Title())
		}
	}
	for _, n := range []int{0, 10, -1} {
		if _, ok := StageAt(n); ok {
			t.Errorf("StageAt(%d) ok", n)
		}
	}
	if _, err := ParseStage("lunch"); err == nil {
		t.Error("ParseStage accepted an unknown stage")
	}
	// Brief Action Planning: the commitment comes before the confidence question.
	if StageIndex(StageCommit) > StageIndex(StageConfidence) {
		t.Error("commitment must come before confidence")
	}
}
