package measures

import (
	"reflect"
	"strings"
	"testing"
	"unicode"
)

func TestSafetyTriggered(t *testing.T) {
	d := Declined
	item9 := func(v int) Answers { return Answers{0, 0, 0, 0, 0, 0, 0, 0, v} }
	tests := []struct {
		name string
		id   ID
		a    Answers
		want bool
	}{
		{"item 9 at 0", PHQ9, item9(0), false},
		{"item 9 at 1", PHQ9, item9(1), true},
		{"item 9 at 2", PHQ9, item9(2), true},
		{"item 9 at 3", PHQ9, item9(3), true},
		{"item 9 declined", PHQ9, item9(d), false},
		{"item 9 out of range still triggers", PHQ9, item9(7), true},
		{"item 9 not reached", PHQ9, Answers{3, 3, 3, 3, 3, 3, 3, 3}, false},
		{"no answers", PHQ9, nil, false},
		{"high elsewhere, 0 on item 9", PHQ9, Answers{3, 3, 3, 3, 3, 3, 3, 3, 0}, false},
		{"too many answers, item 9 at 2", PHQ9, Answers{0, 0, 0, 0, 0, 0, 0, 0, 2, 0}, true},
		{"PHQ-2", PHQ2, Answers{3, 3}, false},
		{"GAD-7 high", GAD7, Answers{3, 3, 3, 3, 3, 3, 3}, false},
		{"GAD-7 with a ninth value", GAD7, item9(3), false},
		{"GAD-2", GAD2, Answers{3, 3}, false},
		{"SEMCD-6 with a ninth value", SEMCD6, Answers{1, 1, 1, 1, 1, 1, 1, 1, 10}, false},
	}
	for _, tc := range tests {
		inst := mustGet(t, tc.id)
		if got := SafetyTriggered(inst, tc.a); got != tc.want {
			t.Errorf("%s: SafetyTriggered = %v, want %v", tc.name, got, tc.want)
		}
		if got := Score(inst, tc.a).SafetyItem; got != tc.want {
			t.Errorf("%s: Result.SafetyItem = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestScoreSafetyMessages(t *testing.T) {
	d := Declined
	tests := []struct {
		name   string
		a      Answers
		safety bool
		scored bool
		say    string
	}{
		{"item 9 at 1 is still scored", Answers{1, 1, 1, 1, 1, 1, 1, 1, 1}, true, true,
			"Item 9 (thoughts of being better off dead or of self-harm) was answered above 0: follow the safety steps now, before going on. " +
				"Total 9 of 27: mild. A screen is not a diagnosis."},
		{"item 9 above 0 with another declined", Answers{1, d, 1, 1, 1, 1, 1, 1, 2}, true, false,
			"Item 9 (thoughts of being better off dead or of self-harm) was answered above 0: follow the safety steps now, before going on. " +
				"Not scored: item 2 was declined, and the PHQ-9 needs every item. A screen is not a diagnosis."},
		{"item 9 above 0 with a bad value elsewhere", Answers{9, 0, 0, 0, 0, 0, 0, 0, 1}, true, false,
			"Item 9 (thoughts of being better off dead or of self-harm) was answered above 0: follow the safety steps now, before going on. " +
				"Not scored. Item 1: 9 is not one of the answers; use 0 to 3, or mark it declined. A screen is not a diagnosis."},
		{"item 9 declined", Answers{2, 2, 2, 2, 2, 2, 2, 2, d}, false, false,
			"Item 9 (thoughts of being better off dead or of self-harm) was declined: ask about it directly. " +
				"Not scored: item 9 was declined, and the PHQ-9 needs every item. A screen is not a diagnosis."},
		{"item 9 below Declined is a slip, not a decline", Answers{0, 0, 0, 0, 0, 0, 0, 0, -2}, false, false,
			"Not scored. Item 9: -2 is not one of the answers; use 0 to 3, or mark it declined. A screen is not a diagnosis."},
		{"item 9 at 0", Answers{2, 2, 2, 2, 2, 2, 2, 2, 0}, false, true,
			"Total 16 of 27: moderately severe. 10 or more is the usual point to refer on for a clinical assessment. A screen is not a diagnosis."},
	}
	inst := mustGet(t, PHQ9)
	for _, tc := range tests {
		r := Score(inst, tc.a)
		if r.SafetyItem != tc.safety || r.Scored != tc.scored || r.Message != tc.say {
			t.Errorf("%s: %+v\nwant safety %v scored %v message %q", tc.name, r, tc.safety, tc.scored, tc.say)
		}
	}
}

func TestActionChoices(t *testing.T) {
	all := []SafetyAction{ActionAskedDirectly, ActionStayedOnLine, ActionTransferred, ActionEmergency,
		ActionSupervisor, ActionDeclined, ActionNoCurrentRisk}
	tests := []struct {
		peer       bool
		first      SafetyAction
		firstLabel string
	}{
		{false, ActionAskedDirectly, "asked them directly about suicide"},
		{true, ActionSupervisor, "handed over to my supervisor or the named professional"},
	}
	for _, tc := range tests {
		choices := ActionChoices(tc.peer)
		if len(choices) != len(all) || choices[0].Action != tc.first || choices[0].Label != tc.firstLabel {
			t.Errorf("peer %v: %d choices, first %+v; want %s %q first", tc.peer, len(choices), choices[0], tc.first, tc.firstLabel)
		}
		keys, actions := map[string]bool{}, map[SafetyAction]bool{}
		for _, c := range choices {
			if len([]rune(c.Key)) != 1 || !unicode.IsLower([]rune(c.Key)[0]) || keys[c.Key] || c.Label == "" {
				t.Errorf("peer %v: choice %+v has a bad, empty or repeated key or label", tc.peer, c)
			}
			keys[c.Key], actions[c.Action] = true, true
		}
		for _, a := range all {
			if !actions[a] {
				t.Errorf("peer %v: %s is not offered", tc.peer, a)
			}
		}
	}
	// The same key means the same action in both roles, so a coach who
	// moves between them is not caught out.
	coachKey := map[SafetyAction]string{}
	for _, c := range ActionChoices(false) {
		coachKey[c.Action] = c.Key
	}
	for _, c := range ActionChoices(true) {
		if coachKey[c.Action] != c.Key {
			t.Errorf("%s is %q for a peer but %q for a coach", c.Action, c.Key, coachKey[c.Action])
		}
		if c.Action == ActionNoCurrentRisk && !strings.Contains(c.Label, "supervisor or the professional") {
			t.Errorf("a peer's no-current-risk choice should be the professional's judgement: %q", c.Label)
		}
	}
	choices := ActionChoices(true)
	choices[0].Label = "changed"
	if ActionChoices(true)[0].Label == "changed" {
		t.Error("ActionChoices shares its slice between callers")
	}
}

func TestParseSafetyActionAndTrigger(t *testing.T) {
	for _, c := range ActionChoices(false) {
		if got, err := ParseSafetyAction(string(c.Action)); err != nil || got != c.Action {
			t.Errorf("ParseSafetyAction(%q) = %q, %v", c.Action, got, err)
		}
	}
	stored := map[SafetyAction]string{
		ActionAskedDirectly: "asked_directly", ActionStayedOnLine: "stayed_on_line", ActionTransferred: "transferred",
		ActionEmergency: "emergency_services", ActionSupervisor: "supervisor_informed", ActionDeclined: "person_declined",
		ActionNoCurrentRisk: "no_current_risk",
	}
	for a, s := range stored {
		if string(a) != s {
			t.Errorf("%s is stored as %q, want %q", a, string(a), s)
		}
	}
	if got, err := ParseSafetyAction("opened_by_mistake"); err != nil || got != ActionOpenedByMistake {
		t.Errorf("ParseSafetyAction(opened_by_mistake) = %q, %v", got, err)
	}
	for _, bad := range []string{"", "ASKED_DIRECTLY", "asked directly", "called_police", "mistake"} {
		if _, err := ParseSafetyAction(bad); err == nil || !strings.Contains(err.Error(), "unknown safety action") {
			t.Errorf("ParseSafetyAction(%q) = %v, want an error", bad, err)
		}
	}
	triggers := []struct {
		in   string
		want Trigger
		bad  bool
	}{
		{"phq9_item9", TriggerPHQ9Item9, false},
		{"coach", TriggerCoach, false},
		{"", "", true},
		{"PHQ9_ITEM9", "", true},
		{"phq2", "", true},
	}
	for _, tc := range triggers {
		got, err := ParseTrigger(tc.in)
		if got != tc.want || (err != nil) != tc.bad {
			t.Errorf("ParseTrigger(%q) = %q, %v", tc.in, got, err)
		}
		if err != nil && !strings.Contains(err.Error(), "phq9_item9 or coach") {
			t.Errorf("ParseTrigger(%q): error %q does not say what works", tc.in, err)
		}
	}
}

func TestGenericSteps(t *testing.T) {
	tests := []struct {
		peer  bool
		first string
		must  []string
	}{
		{false, "Ask plainly", []string{
			"suicide", "does not put the idea", "a plan", "the means", "when they might act", "tried before",
			"Stay on the line", "Do not leave them alone", "secret", "supervisor or the duty clinician",
			"immediate danger", "emergency services while you stay on the call",
		}},
		{true, "Hand over to your supervisor or the named professional now", []string{
			"you do not assess risk alone", "suicide", "does not put the idea", "a plan", "the means",
			"when they might act", "tried before", "pass on what they say", "Stay on the line",
			"Do not leave them alone", "secret", "emergency services while you stay on the call",
		}},
	}
	for _, tc := range tests {
		steps := GenericSteps(tc.peer)
		if len(steps) == 0 || !strings.HasPrefix(steps[0], tc.first) {
			t.Errorf("peer %v: first step %q, want it to start %q", tc.peer, steps, tc.first)
			continue
		}
		all := strings.Join(steps, "\n")
		for _, m := range tc.must {
			if !strings.Contains(all, m) {
				t.Errorf("peer %v: no step says %q", tc.peer, m)
			}
		}
		for _, s := range steps {
			// No phone numbers: they differ by country and come from config.
			if s == "" || strings.ContainsFunc(s, unicode.IsDigit) {
				t.Errorf("peer %v: step %q is empty or has a number in it", tc.peer, s)
			}
		}
	}
}

func TestTriggers(t *testing.T) {
	if got, want := Triggers(), []Trigger{TriggerPHQ9Item9, TriggerCoach}; !reflect.DeepEqual(got, want) {
		t.Errorf("Triggers() = %v, want %v", got, want)
	}
	tests := []struct {
		t    Trigger
		want ID // "" when no instrument raises it
	}{
		{TriggerPHQ9Item9, PHQ9},
		{TriggerCoach, ""},
		{"", ""},
		{"phq9", ""},
	}
	for _, tc := range tests {
		inst, ok := ForTrigger(tc.t)
		if ok != (tc.want != "") || inst.ID != tc.want {
			t.Errorf("ForTrigger(%q) = %q, %v; want %q", tc.t, inst.ID, ok, tc.want)
		}
	}
}

func TestPendingSafety(t *testing.T) {
	raised := SafetyProgress{}
	recorded := SafetyProgress{Recorded: true}
	reviewed := SafetyProgress{Recorded: true, Reviewed: true}
	tests := []struct {
		name       string
		events     []SafetyProgress // newest first
		flag, open int
	}{
		{"none", nil, -1, -1},
		{"one reviewed", []SafetyProgress{reviewed}, -1, -1},
		{"one recorded flags", []SafetyProgress{recorded}, 0, -1},
		{"one left open", []SafetyProgress{raised}, -1, 0},
		{"the newest open one", []SafetyProgress{reviewed, raised, raised}, -1, 1},
		{"the newest recorded one", []SafetyProgress{reviewed, recorded, recorded}, 1, -1},
		{"both at once", []SafetyProgress{recorded, reviewed, raised}, 0, 2},
		{"an older flag under a newer review still flags", []SafetyProgress{reviewed, recorded}, 1, -1},
		// The schema never stores this; nothing recorded means the panel is open.
		{"reviewed without a record is still open", []SafetyProgress{{Reviewed: true}}, -1, 0},
	}
	for _, tc := range tests {
		if flag, open := PendingSafety(tc.events); flag != tc.flag || open != tc.open {
			t.Errorf("%s: PendingSafety = flag %d open %d, want %d %d", tc.name, flag, open, tc.flag, tc.open)
		}
	}
}

func TestCheckActions(t *testing.T) {
	mistake := ActionOpenedByMistake
	tests := []struct {
		name    string
		trigger Trigger
		actions []SafetyAction
		says    string // "" when accepted
	}{
		{"one action", TriggerCoach, []SafetyAction{ActionAskedDirectly}, ""},
		{"several, in order", TriggerPHQ9Item9, []SafetyAction{ActionSupervisor, ActionStayedOnLine, ActionEmergency}, ""},
		{"none", TriggerCoach, nil, "no action given"},
		{"empty list", TriggerPHQ9Item9, []SafetyAction{}, "no action given"},
		{"one twice", TriggerCoach, []SafetyAction{ActionStayedOnLine, ActionTransferred, ActionStayedOnLine}, `"stayed_on_line" is given twice`},
		{"the coach's slip of the key", TriggerCoach, []SafetyAction{mistake}, ""},
		{"item 9 is never a slip", TriggerPHQ9Item9, []SafetyAction{mistake}, "raised by phq9_item9 cannot be closed as opened by mistake"},
		{"a slip with something done", TriggerCoach, []SafetyAction{ActionAskedDirectly, mistake}, "opened by mistake is recorded alone"},
		{"a slip given twice", TriggerCoach, []SafetyAction{mistake, mistake}, `"opened_by_mistake" is given twice`},
		{"an unknown trigger cannot be a slip", "phq9", []SafetyAction{mistake}, "cannot be closed as opened by mistake"},
	}
	for _, tc := range tests {
		err := CheckActions(tc.trigger, tc.actions)
		if (err == nil) != (tc.says == "") || err != nil && !strings.Contains(err.Error(), tc.says) {
			t.Errorf("%s: CheckActions = %v, want %q", tc.name, err, tc.says)
		}
	}
}

func TestMistakeAllowed(t *testing.T) {
	for tr, want := range map[Trigger]bool{TriggerCoach: true, TriggerPHQ9Item9: false, "": false, "Coach": false} {
		if got := MistakeAllowed(tr); got != want {
			t.Errorf("MistakeAllowed(%q) = %v, want %v", tr, got, want)
		}
	}
}

// TestNeedsReview: every recorded event waits for a review at a later call
// and flags the person until then, except one closed as opened by
// mistake.
func TestNeedsReview(t *testing.T) {
	tests := []struct {
		actions []SafetyAction
		want    bool
	}{
		{[]SafetyAction{ActionOpenedByMistake}, false},
		{[]SafetyAction{ActionNoCurrentRisk}, true},
		{[]SafetyAction{ActionAskedDirectly, ActionNoCurrentRisk}, true},
		{[]SafetyAction{ActionDeclined}, true},
		// CheckActions refuses these; should one be stored, it flags.
		{[]SafetyAction{ActionAskedDirectly, ActionOpenedByMistake}, true},
		{[]SafetyAction{ActionOpenedByMistake, ActionOpenedByMistake}, true},
		{nil, true},
	}
	for _, tc := range tests {
		if got := NeedsReview(tc.actions); got != tc.want {
			t.Errorf("NeedsReview(%v) = %v, want %v", tc.actions, got, tc.want)
		}
	}
}

func TestCheckClearReason(t *testing.T) {
	tests := []struct {
		reason string
		says   string // "" when accepted
	}{
		{"spoke to her; safe, sister staying this week", ""},
		{"x", ""},
		{strings.Repeat("a", MaxClearReason), ""},
		{"", "say briefly why the flag is cleared"},
		{"  \t ", "say briefly why the flag is cleared"},
		{strings.Repeat("é", MaxClearReason), ""}, // characters, not bytes
		{strings.Repeat("a", MaxClearReason+1), "201 characters is too long; at most 200"},
	}
	for _, tc := range tests {
		err := CheckClearReason(tc.reason)
		if (err == nil) != (tc.says == "") || err != nil && !strings.Contains(err.Error(), tc.says) {
			t.Errorf("CheckClearReason(%q) = %v, want %q", tc.reason, err, tc.says)
		}
		if err != nil && !strings.HasPrefix(err.Error(), "reason: ") {
			t.Errorf("CheckClearReason(%q) = %v: the error names no field", tc.reason, err)
		}
	}
}
