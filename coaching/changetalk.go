package coaching

import (
	"fmt"
	"time"
)

// TalkKind classifies something the person said about change: the
// preparatory DARN (desire, ability, reasons, need), the mobilising CAT
// (commitment, activation, taking steps), or sustain talk (their own case
// for things staying as they are); see docs/coaching.md, "Motivational
// interviewing".
type TalkKind string

// The kinds of change talk, and sustain talk.
const (
	TalkDesire     TalkKind = "desire"
	TalkAbility    TalkKind = "ability"
	TalkReason     TalkKind = "reason"
	TalkNeed       TalkKind = "need"
	TalkCommitment TalkKind = "commitment"
	TalkActivation TalkKind = "activation"
	TalkSteps      TalkKind = "taking_steps"
	TalkSustain    TalkKind = "sustain"
)

// TalkChoice is one kind as the coach picks it: a key, a label, a hint.
type TalkChoice struct {
	Kind  TalkKind
	Key   string
	Label string
	Hint  string
}

// TalkChoices lists the kinds in the order they are offered.
var TalkChoices = []TalkChoice{
	{TalkDesire, "d", "desire", `"I want to…", "I wish…"`},
	{TalkAbility, "a", "ability", `"I could…", "I can…"`},
	{TalkReason, "r", "reason", `"It would help me…"`},
	{TalkNeed, "n", "need", `"I have to…", "I must…"`},
	{TalkCommitment, "c", "commitment", `"I will…", "I'm going to…"`},
	{TalkActivation, "v", "activation", `"I'm ready to…", "I'm willing to…"`},
	{TalkSteps, "t", "taking steps", `"I already started…"`},
	{TalkSustain, "s", "sustain talk", `their case for no change`},
}

// Label is the kind in plain words.
func (k TalkKind) Label() string {
	for _, c := range TalkChoices {
		if c.Kind == k {
			return c.Label
		}
	}
	return string(k)
}

// IsChangeTalk is true for DARN-CAT, false for sustain talk.
func (k TalkKind) IsChangeTalk() bool { return k != TalkSustain }

// Preparatory is true for the preparatory change talk, DARN: desire,
// ability, reasons and need.
func (k TalkKind) Preparatory() bool {
	switch k {
	case TalkDesire, TalkAbility, TalkReason, TalkNeed:
		return true
	}
	return false
}

// Mobilising is true for the mobilising change talk, CAT: commitment,
// activation and taking steps. Sustain talk is never mobilising.
func (k TalkKind) Mobilising() bool {
	switch k {
	case TalkCommitment, TalkActivation, TalkSteps:
		return true
	}
	return false
}

// ParseTalkKind accepts a kind's stored name.
func ParseTalkKind(s string) (TalkKind, error) {
	for _, c := range TalkChoices {
		if string(c.Kind) == s {
			return c.Kind, nil
		}
	}
	return "", fmt.Errorf("unknown kind of change talk %q", s)
}

// ChangeTalk is a quote in the person's own words, with its kind.
type ChangeTalk struct {
	ID     int64
	CallID int64
	Kind   TalkKind
	Quote  string
	At     time.Time
}
