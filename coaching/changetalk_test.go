package coaching

import "testing"

func TestTalkKindGroups(t *testing.T) {
	tests := []struct {
		kind                    TalkKind
		preparatory, mobilising bool
	}{
		{TalkDesire, true, false},
		{TalkAbility, true, false},
		{TalkReason, true, false},
		{TalkNeed, true, false},
		{TalkCommitment, false, true},
		{TalkActivation, false, true},
		{TalkSteps, false, true},
		{TalkSustain, false, false}, // sustain talk is never mobilising
		{"grumble", false, false},
	}
	seen := map[TalkKind]bool{}
	for _, tc := range tests {
		seen[tc.kind] = true
		if got := tc.kind.Preparatory(); got != tc.preparatory {
			t.Errorf("%s.Preparatory() = %v, want %v", tc.kind, got, tc.preparatory)
		}
		if got := tc.kind.Mobilising(); got != tc.mobilising {
			t.Errorf("%s.Mobilising() = %v, want %v", tc.kind, got, tc.mobilising)
		}
	}
	for _, c := range TalkChoices {
		if !seen[c.Kind] {
			t.Errorf("%s is offered but not in this table", c.Kind)
		}
		// Change talk is exactly preparatory or mobilising.
		if c.Kind.IsChangeTalk() != (c.Kind.Preparatory() != c.Kind.Mobilising()) {
			t.Errorf("%s: change talk %v, preparatory %v, mobilising %v",
				c.Kind, c.Kind.IsChangeTalk(), c.Kind.Preparatory(), c.Kind.Mobilising())
		}
	}
}
