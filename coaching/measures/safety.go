package measures

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"callcoach/coaching"
)

// SafetyTriggered reports whether the answers raise the safety prompt: the
// instrument's safety item, PHQ-9 item 9 (thoughts of being better off
// dead or of hurting oneself), answered above 0. Higher answers predict
// suicide attempts, yet 0 does not rule risk out, so what the person says
// counts too (TriggerCoach); see docs/coaching.md, "Safety". A declined
// item does not trigger, but the score message tells the coach to ask
// directly. Any value above 0 triggers, even one out of range: a typing
// slip must not hide a risk.
func SafetyTriggered(inst Instrument, a Answers) bool {
	n := inst.Safety.Number
	return n > 0 && len(a) >= n && a[n-1] > 0
}

func safetyDeclined(inst Instrument, a Answers) bool {
	n := inst.Safety.Number
	return n > 0 && len(a) >= n && a[n-1] == Declined
}

// Trigger is what raised a safety prompt.
type Trigger string

// The triggers.
const (
	TriggerPHQ9Item9 Trigger = "phq9_item9" // PHQ-9 item 9 answered above 0
	TriggerCoach     Trigger = "coach"      // the coach raised it from what was said
)

// Triggers lists every trigger a safety event may be stored with: each
// instrument's safety item, in the registry's order, then the coach's own.
func Triggers() []Trigger {
	var ts []Trigger
	for _, inst := range All() {
		if inst.Safety.Number > 0 {
			ts = append(ts, inst.Safety.Trigger)
		}
	}
	return append(ts, TriggerCoach)
}

// ParseTrigger accepts a trigger's stored name.
func ParseTrigger(s string) (Trigger, error) {
	ts := Triggers()
	names := make([]string, len(ts))
	for i, t := range ts {
		if string(t) == s {
			return t, nil
		}
		names[i] = string(t)
	}
	return "", fmt.Errorf("unknown safety trigger %q: use %s", s, strings.Join(names, " or "))
}

// SafetyProgress is how far one safety event has got: raised when the
// panel opened, then recorded once what was done is saved, then reviewed
// at a later call.
type SafetyProgress struct {
	Recorded bool
	Reviewed bool
}

// PendingSafety picks, from a person's safety events newest first, the two
// that still need the coach. open is the newest raised but never recorded
// (its panel was left open, say by a crash): it opens again before
// anything else. flag is the newest recorded but not yet reviewed: it
// flags the person until a later call reviews it. Each is an index into
// events, or -1 when there is none.
func PendingSafety(events []SafetyProgress) (flag, open int) {
	flag, open = -1, -1
	for i, e := range events {
		switch {
		case !e.Recorded && open < 0:
			open = i
		case e.Recorded && !e.Reviewed && flag < 0:
			flag = i
		}
	}
	return flag, open
}

// SafetyAction is one thing the coach did once the safety prompt was raised;
// it is recorded, with the time, with the event.
type SafetyAction string

// The actions a coach can record.
const (
	ActionAskedDirectly SafetyAction = "asked_directly"
	ActionStayedOnLine  SafetyAction = "stayed_on_line"
	ActionTransferred   SafetyAction = "transferred"
	ActionEmergency     SafetyAction = "emergency_services"
	ActionSupervisor    SafetyAction = "supervisor_informed"
	ActionDeclined      SafetyAction = "person_declined"
	ActionNoCurrentRisk SafetyAction = "no_current_risk"
	// ActionOpenedByMistake closes a panel the coach opened by a slip of
	// the key (alt+h for a neighbouring chord) when nothing about safety was
	// said. It is recorded, with the time, like any action, but it stands
	// alone (CheckActions), only for the coach's own trigger
	// (MistakeAllowed), and it needs no review, so it never flags the
	// person (NeedsReview).
	ActionOpenedByMistake SafetyAction = "opened_by_mistake"
)

// MistakeAllowed reports whether a panel raised by t may be closed as
// opened by mistake: only one the coach raised. An answer above 0 to a
// safety item is the person's own, never a slip of the coach's key.
func MistakeAllowed(t Trigger) bool { return t == TriggerCoach }

// CheckActions checks what is recorded for an event raised by t: at least
// one action, none twice, and opened_by_mistake only alone and only where
// MistakeAllowed.
func CheckActions(t Trigger, actions []SafetyAction) error {
	if len(actions) == 0 {
		return errors.New("no action given: record at least one thing that was done")
	}
	for i, a := range actions {
		if slices.Contains(actions[:i], a) {
			return fmt.Errorf("the safety action %q is given twice", a)
		}
	}
	if !slices.Contains(actions, ActionOpenedByMistake) {
		return nil
	}
	if !MistakeAllowed(t) {
		return fmt.Errorf("a panel raised by %s cannot be closed as opened by mistake: only one the coach opened can", t)
	}
	if len(actions) > 1 {
		return errors.New("opened by mistake is recorded alone: if anything was done, record that instead")
	}
	return nil
}

// NeedsReview reports whether an event recorded with these actions waits
// for a review at a later call, flagging the person until then. Every
// event does except one closed as opened by mistake: it is reviewed the
// moment it is recorded, so it never shows as a safety flag.
func NeedsReview(actions []SafetyAction) bool {
	return !slices.Equal(actions, []SafetyAction{ActionOpenedByMistake})
}

// MaxClearReason is the longest reason for clearing a safety flag, in
// characters: a short sentence.
const MaxClearReason = 200

// CheckClearReason checks why an earlier safety flag is cleared at a later
// call: it is required, and short.
func CheckClearReason(reason string) error {
	n := utf8.RuneCountInString(reason)
	switch {
	case strings.TrimSpace(reason) == "":
		return &coaching.FieldError{Field: "reason", Msg: "say briefly why the flag is cleared"}
	case n > MaxClearReason:
		return &coaching.FieldError{Field: "reason", Msg: fmt.Sprintf("%d characters is too long; at most %d, a short sentence", n, MaxClearReason)}
	}
	return nil
}

// ActionChoice is an action as the coach picks it: a key and a label.
type ActionChoice struct {
	Action SafetyAction
	Key    string
	Label  string
}

// ActionChoices lists the actions in the order they are offered. A peer
// volunteer hands over rather than assessing alone, so for a peer handing
// over comes first and "no current risk" is the professional's judgement,
// not the peer's. Keys are the same for both roles.
func ActionChoices(peer bool) []ActionChoice {
	asked := ActionChoice{ActionAskedDirectly, "a", "asked them directly about suicide"}
	stayed := ActionChoice{ActionStayedOnLine, "l", "stayed on the line with them"}
	transferred := ActionChoice{ActionTransferred, "t", "transferred the call to a crisis line or the duty clinician"}
	emergency := ActionChoice{ActionEmergency, "e", "contacted emergency services"}
	supervisor := ActionChoice{ActionSupervisor, "h", "told my supervisor or the duty clinician"}
	declined := ActionChoice{ActionDeclined, "d", "they declined to talk about it or to accept help"}
	noRisk := ActionChoice{ActionNoCurrentRisk, "n", "asked, and judged there is no current risk"}
	if peer {
		supervisor.Label = "handed over to my supervisor or the named professional"
		noRisk.Label = "my supervisor or the professional judged there is no current risk"
		return []ActionChoice{supervisor, asked, stayed, transferred, emergency, declined, noRisk}
	}
	return []ActionChoice{asked, stayed, transferred, emergency, supervisor, declined, noRisk}
}

// ParseSafetyAction accepts an action's stored name.
func ParseSafetyAction(s string) (SafetyAction, error) {
	for _, c := range ActionChoices(false) {
		if string(c.Action) == s {
			return c.Action, nil
		}
	}
	if s == string(ActionOpenedByMistake) {
		return ActionOpenedByMistake, nil
	}
	return "", fmt.Errorf("unknown safety action %q", s)
}

// GenericSteps are the steps shown when the organisation has configured
// none (docs/coaching.md, "Safety"). They carry no phone numbers: those differ
// by country and come from the organisation's settings.
func GenericSteps(peer bool) []string {
	ask := `Ask plainly: "Are you thinking about suicide?" Asking does not put the idea in their head.`
	stay := "Stay on the line. Do not leave them alone, and do not end the call to go for help."
	secret := "Do not promise to keep this secret; say who you need to tell, and why."
	emergency := "If there is immediate danger, contact emergency services while you stay on the call."
	if peer {
		return []string{
			"Hand over to your supervisor or the named professional now: you do not assess risk alone.",
			ask,
			"If they say yes, and while help is on its way, ask whether they have a plan, the means, " +
				"when they might act, and whether they have tried before; pass on what they say.",
			stay,
			secret,
			emergency,
		}
	}
	return []string{
		ask,
		"If they say yes, ask whether they have a plan, the means to carry it out, when they might act, " +
			"and whether they have tried before.",
		stay,
		secret,
		"Get your supervisor or the duty clinician.",
		emergency,
	}
}
