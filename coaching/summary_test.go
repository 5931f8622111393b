package coaching

import (
	"strings"
	"testing"
	"time"
)

func TestSummary(t *testing.T) {
	start := time.Date(2026, 11, 23, 14, 0, 0, 0, time.UTC)
	full := CallRecord{
		Person: Person{Name: "Margaret Okafor", PreferredName: "Maggie"},
		Call: Call{StartedAt: start, EndedAt: start.Add(18 * time.Minute), Outcome: OutcomeReached, Role: RolePeer,
			Notes: "Walked 3 of 4 days.\nKnee sore Thursday.\n"},
		Visits: []StageVisit{{StageEngage, start}, {StageReview, start}, {StageEngage, start}, {StagePlan, start}},
		Rulers: []Ruler{
			{Kind: RulerImportance, Score: 8, About: "walking after lunch", FollowUp: "I want to keep up with my granddaughter"},
			{Kind: RulerConfidence, Score: 0},
		},
		Talk:  []ChangeTalk{{Kind: TalkDesire, Quote: "I want to walk more"}, {Kind: TalkSustain, Quote: "It's too cold"}},
		Tally: Tally{TallyOpenQuestion: 2, TallySimpleReflection: 1, TallyComplexReflect: 2},
	}
	got := Summary(full, start.Add(time.Hour), time.UTC)
	for _, want := range []string{
		"Call with Maggie (Margaret Okafor)",
		"Mon 23 Nov 2026 14:00 UTC · 18 min · reached · by a peer volunteer",
		"Stages: Check in → Review last plan → Plan\n",
		"- Importance 8/10 about walking after lunch",
		`Why an 8 and not a 4? "I want to keep up with my granddaughter"`,
		"- Confidence 0/10\n",
		`- Desire: "I want to walk more"`,
		`- Sustain talk: "It's too cold"`,
		"OQ 2 · CQ 0 · SR 1 · CR 2 · AF 0 · SU 0 · MI- 0",
		"R:Q 1.5 (too few to judge) · %CR 67% (too few to judge)",
		"Notes\nWalked 3 of 4 days.\nKnee sore Thursday.\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("summary lacks %q:\n%s", want, got)
		}
	}

	// A call with nothing captured: no empty sections, no NaN.
	bare := Summary(CallRecord{Person: Person{Name: "Ann"}, Call: Call{StartedAt: start}}, start.Add(90*time.Second), time.UTC)
	for _, unwanted := range []string{"Stages", "Rulers", "own words", "MI tally", "Notes", "NaN"} {
		if strings.Contains(bare, unwanted) {
			t.Errorf("bare summary has %q:\n%s", unwanted, bare)
		}
	}
	if !strings.Contains(bare, "1 min · unfinished · by a coach") {
		t.Errorf("bare summary:\n%s", bare)
	}
}

func TestParseRole(t *testing.T) {
	for _, s := range []string{"coach", "peer"} {
		if r, err := ParseRole(s); err != nil || string(r) != s {
			t.Errorf("ParseRole(%q) = %q, %v", s, r, err)
		}
	}
	for _, s := range []string{"", "Coach", "nurse"} {
		if _, err := ParseRole(s); err == nil {
			t.Errorf("ParseRole(%q) accepted", s)
		}
	}
	if RolePeer.Label() != "peer volunteer" || RoleCoach.Label() != "coach" {
		t.Error("role labels")
	}
}

func TestSummaryIsPlainText(t *testing.T) {
	start := time.Date(2026, 11, 23, 14, 0, 0, 0, time.UTC)
	r := CallRecord{
		Person: Person{Name: "Eve\x1b]0;title\x07"},
		Call:   Call{StartedAt: start, Notes: "line one\n\x1b[2Jline two\u202e"},
	}
	got := Summary(r, start, time.UTC)
	if off, r := FirstUnsafe(got, true); off >= 0 {
		t.Fatalf("summary holds %s at %d: %q", DescribeRune(r), off, got)
	}
	if !strings.Contains(got, "line one\n[2Jline two") {
		t.Fatalf("summary lost its text: %q", got)
	}
}
