package coaching

import (
	"fmt"
	"time"
)

// Stage is one step of a call's flow. The flow suggests the next stage;
// the coach may jump to any stage at any time.
type Stage string

// The stages of the default flow, in Brief Action Planning's order: the
// commitment (the person says the plan back) comes before the confidence
// question (docs/coaching.md, "Brief Action Planning").
const (
	StageEngage     Stage = "engage"
	StageReview     Stage = "review"
	StageFocus      Stage = "focus"
	StageExplore    Stage = "explore"
	StagePlan       Stage = "plan"
	StageCommit     Stage = "commit"
	StageConfidence Stage = "confidence"
	StageFollowUp   Stage = "follow_up"
	StageClose      Stage = "close"
)

// DefaultFlow is the order the stages are offered in.
var DefaultFlow = []Stage{
	StageEngage, StageReview, StageFocus, StageExplore, StagePlan,
	StageCommit, StageConfidence, StageFollowUp, StageClose,
}

// stageTitles are the short names shown in the stage list.
var stageTitles = map[Stage]string{
	StageEngage:     "Check in",
	StageReview:     "Review last plan",
	StageFocus:      "Focus",
	StageExplore:    "Explore",
	StagePlan:       "Plan",
	StageCommit:     "Commitment",
	StageConfidence: "Confidence",
	StageFollowUp:   "Follow-up",
	StageClose:      "Close",
}

// Title is the stage's short name.
func (s Stage) Title() string {
	if t, ok := stageTitles[s]; ok {
		return t
	}
	return string(s)
}

// ParseStage accepts a stage's stored name.
func ParseStage(s string) (Stage, error) {
	if _, ok := stageTitles[Stage(s)]; ok {
		return Stage(s), nil
	}
	return "", fmt.Errorf("unknown stage %q", s)
}

// StageIndex is the stage's place in the default flow, or -1.
func StageIndex(s Stage) int {
	for i, st := range DefaultFlow {
		if st == s {
			return i
		}
	}
	return -1
}

// NextStage suggests the stage after s. Confidence below the threshold
// sends the plan back for problem-solving: the suggestion after a low
// confidence score is the plan stage again, since a revised plan needs a
// new commitment and a new score. The last stage has no next one.
func NextStage(s Stage, lastConfidence *int) (Stage, bool) {
	if s == StageConfidence && lastConfidence != nil && !ConfidentEnough(*lastConfidence) {
		return StagePlan, true
	}
	i := StageIndex(s)
	if i < 0 || i+1 >= len(DefaultFlow) {
		return s, false
	}
	return DefaultFlow[i+1], true
}

// PreviousStage is the stage before s in the default flow.
func PreviousStage(s Stage) (Stage, bool) {
	i := StageIndex(s)
	if i <= 0 {
		return s, false
	}
	return DefaultFlow[i-1], true
}

// StageAt is the n-th stage of the flow, counting from 1 (as alt+1..alt+9).
func StageAt(n int) (Stage, bool) {
	if n < 1 || n > len(DefaultFlow) {
		return "", false
	}
	return DefaultFlow[n-1], true
}

// StageVisit records that the call moved to a stage, and when.
type StageVisit struct {
	Stage Stage
	At    time.Time
}
