package prompts

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"callcoach/coaching"
)

var roles = []coaching.Role{coaching.RoleCoach, coaching.RolePeer}

func TestDefaultFileIsValid(t *testing.T) {
	if _, problems := parse("default.yaml", DefaultYAML(), true); len(problems) > 0 {
		t.Fatalf("default.yaml breaks the built-in rules: %v", problems)
	}
	// An organisation may start from a copy of the defaults, so it must
	// also pass as an override.
	if problems := Check("default.yaml", DefaultYAML()); len(problems) > 0 {
		t.Fatalf("default.yaml fails as an override: %v", problems)
	}
}

func TestDefaultHasEveryCard(t *testing.T) {
	lib := Default()
	if got, want := len(lib.cards), len(coaching.DefaultFlow)*len(roles); got != want {
		t.Errorf("default library has %d cards; want %d", got, want)
	}
	for _, s := range coaching.DefaultFlow {
		for _, r := range roles {
			c := lib.Card(s, r)
			if c.Goal == "" || c.Ask == "" || c.ListenFor == "" {
				t.Errorf("%s/%s: goal %q, ask %q, listen_for %q; all are needed", s, r, c.Goal, c.Ask, c.ListenFor)
			}
			if n := len(c.Examples); n < 2 || n > 3 {
				t.Errorf("%s/%s has %d examples; want 2 or 3", s, r, n)
			}
			if r == coaching.RolePeer && c.HandOver == "" {
				t.Errorf("%s/peer has no hand_over", s)
			}
			if c.Local != "" {
				t.Errorf("%s/%s: the defaults have local text %q", s, r, c.Local)
			}
		}
	}
}

// texts lists every text of a card with its field name.
func texts(c Card) map[string][]string {
	return map[string][]string{
		"goal": {c.Goal}, "ask": {c.Ask}, "examples": c.Examples,
		"listen_for": {c.ListenFor}, "hand_over": {c.HandOver}, "local": {c.Local},
	}
}

func TestDefaultTextsFitOnACard(t *testing.T) {
	limits := map[string]int{"goal": 90, "ask": 200, "examples": 140, "listen_for": 160, "hand_over": 200, "local": 0}
	for _, s := range coaching.DefaultFlow {
		for _, r := range roles {
			for field, ts := range texts(Default().Card(s, r)) {
				for _, text := range ts {
					if n := utf8.RuneCountInString(text); n > limits[field] {
						t.Errorf("%s/%s %s is %d characters; the guide is %d: %q", s, r, field, n, limits[field], text)
					}
				}
			}
		}
	}
}

func TestDefaultWording(t *testing.T) {
	everywhere := []struct {
		name  string
		re    *regexp.Regexp
		roles []coaching.Role
	}{
		// A plan for every day turns one missed day into a failure.
		{"every-day advice", regexp.MustCompile(`(?i)\bevery ?day\b|\bdaily\b`), roles},
		// "Why not higher?" evokes the case against change.
		{"asking why not higher", regexp.MustCompile(`(?i)not (a )?higher`), roles},
		// Person-first language.
		{"a condition as a label", regexp.MustCompile(`(?i)\b(diabetics?|asthmatics?|epileptics?|sufferers?|victims?)\b`), roles},
		// Numbers to call come from the organisation, never the defaults.
		{"a phone number", regexp.MustCompile(`\d{3,}`), roles},
		{"jargon on a peer card", regexp.MustCompile(`(?i)\b(MI|DARN|CAT|SMART|OARS|change talk|sustain talk|elicit|ruler)\b`), []coaching.Role{coaching.RolePeer}},
	}
	for _, w := range everywhere {
		for _, s := range coaching.DefaultFlow {
			for _, r := range w.roles {
				for field, ts := range texts(Default().Card(s, r)) {
					for _, text := range ts {
						if m := w.re.FindString(text); m != "" {
							t.Errorf("%s/%s %s has %s (%q): %q", s, r, field, w.name, m, text)
						}
					}
				}
			}
		}
	}
}

func TestDefaultFollowsTheMethod(t *testing.T) {
	tests := []struct {
		stage coaching.Stage
		why   string
		want  []string // each must appear in the goal or ask of both roles
	}{
		{coaching.StageCommit, "the person says the plan back in their own words", []string{"back", "own words"}},
		{coaching.StageConfidence, "below 7 the plan is made easier", []string{"0", "10", "7"}},
		{coaching.StageFocus, "one thing for their health in the next week or two", []string{"one", "health"}},
		{coaching.StagePlan, "what, how much, when, where, how often", []string{"what", "how much", "when", "where"}},
		{coaching.StageReview, "the last plan is reviewed", []string{"last", "plan"}},
		{coaching.StageClose, "sum up and thank", []string{"Sum", "thank"}},
	}
	for _, tc := range tests {
		for _, r := range roles {
			c := Default().Card(tc.stage, r)
			for _, w := range tc.want {
				if !strings.Contains(c.Goal+" "+c.Ask, w) {
					t.Errorf("%s/%s should say %q (%s): goal %q, ask %q", tc.stage, r, w, tc.why, c.Goal, c.Ask)
				}
			}
		}
	}
	// The ruler follow-up asks why the score is not lower, on both cards
	// that take a ruler.
	for _, s := range []coaching.Stage{coaching.StageExplore, coaching.StageConfidence} {
		coach := Default().Card(s, coaching.RoleCoach)
		if !strings.Contains(strings.Join(coach.Examples, " ")+coach.Ask, "not a") {
			t.Errorf("%s/coach never asks why the score is not lower", s)
		}
	}
	// The menu of ideas is offered only with permission.
	if ask := Default().Card(coaching.StageFocus, coaching.RoleCoach).Ask; !strings.Contains(ask, "permission") {
		t.Errorf("focus/coach should offer ideas only with permission: %q", ask)
	}
	if fu := Default().Card(coaching.StageFollowUp, coaching.RoleCoach).Ask; !strings.Contains(fu, "1-2 weeks") {
		t.Errorf("follow_up/coach should offer a check-in within 1-2 weeks: %q", fu)
	}
}

func TestDefaultYAMLIsACopy(t *testing.T) {
	b := DefaultYAML()
	if !strings.HasPrefix(string(b), "# callcoach prompt cards") || !strings.Contains(string(b), "version: 1") {
		t.Fatalf("DefaultYAML does not look like the embedded file: %.60q", b)
	}
	b[0] = 'X'
	if DefaultYAML()[0] != '#' {
		t.Error("changing the returned bytes changed the embedded file")
	}
}

func TestCardIsACopyAndNeverPanics(t *testing.T) {
	lib := Default()
	c := lib.Card(coaching.StagePlan, coaching.RoleCoach)
	want := c.Examples[0]
	c.Examples[0] = "changed"
	if got := lib.Card(coaching.StagePlan, coaching.RoleCoach).Examples[0]; got != want {
		t.Errorf("changing a returned card changed the library: %q", got)
	}
	var nilLib *Library
	for _, tc := range []struct {
		lib   *Library
		stage coaching.Stage
		role  coaching.Role
	}{
		{lib, "lunch", coaching.RoleCoach},
		{lib, coaching.StagePlan, "nurse"},
		{lib, "", ""},
		{nilLib, coaching.StagePlan, coaching.RoleCoach},
	} {
		if got := tc.lib.Card(tc.stage, tc.role); !got.IsZero() {
			t.Errorf("Card(%q, %q) = %+v; want the zero card", tc.stage, tc.role, got)
		}
	}
}

func TestCardIsZero(t *testing.T) {
	tests := []struct {
		card Card
		want bool
	}{
		{Card{}, true},
		{Card{Examples: []string{}}, true},
		{Card{Goal: "g"}, false},
		{Card{Ask: "a"}, false},
		{Card{Examples: []string{"e"}}, false},
		{Card{ListenFor: "l"}, false},
		{Card{HandOver: "h"}, false},
		{Card{Local: "o"}, false},
		{Default().Card(coaching.StageEngage, coaching.RoleCoach), false},
	}
	for _, tc := range tests {
		if got := tc.card.IsZero(); got != tc.want {
			t.Errorf("%+v.IsZero() = %v; want %v", tc.card, got, tc.want)
		}
	}
}

func TestLoadMerges(t *testing.T) {
	def := Default()
	plan := coaching.StagePlan
	tests := []struct {
		name     string
		yaml     string
		stage    coaching.Stage
		role     coaching.Role
		want     func(d Card) Card // the expected card, from the default one
		unmoved  []coaching.Stage  // stages whose cards must stay the defaults
		peerKept bool              // the other role's card on stage keeps the default
	}{
		{
			name:  "one field replaces the default, the rest stay",
			yaml:  "version: 1\nstages:\n  - id: plan\n    coach:\n      goal: Agree one small step.\n",
			stage: plan, role: coaching.RoleCoach,
			want:    func(d Card) Card { d.Goal = "Agree one small step."; return d },
			unmoved: []coaching.Stage{coaching.StageEngage, coaching.StageClose}, peerKept: true,
		},
		{
			name:  "examples are replaced as a whole",
			yaml:  "version: 1\nstages:\n  - id: plan\n    coach:\n      examples:\n        - \"What will you do?\"\n",
			stage: plan, role: coaching.RoleCoach,
			want:     func(d Card) Card { d.Examples = []string{"What will you do?"}; return d },
			peerKept: true,
		},
		{
			name:  "local addition on a peer card",
			yaml:  "version: 1\nstages:\n  - id: confidence\n    peer:\n      local: \"Our service: call the duty nurse on extension 2201.\"\n",
			stage: coaching.StageConfidence, role: coaching.RolePeer,
			want: func(d Card) Card { d.Local = "Our service: call the duty nurse on extension 2201."; return d },
		},
		{
			name: "a subset of stages in any order",
			yaml: "version: 1\nstages:\n  - id: close\n    peer:\n      ask: Say goodbye warmly.\n" +
				"  - id: engage\n    peer:\n      hand_over: Get the duty nurse.\n",
			stage: coaching.StageEngage, role: coaching.RolePeer,
			want:    func(d Card) Card { d.HandOver = "Get the duty nurse."; return d },
			unmoved: []coaching.Stage{coaching.StageReview, coaching.StagePlan},
		},
		{
			name:  "text is trimmed; a block keeps its line breaks",
			yaml:  "version: 1\nstages:\n  - id: plan\n    coach:\n      ask: |\n        First line.\n        Second line.\n",
			stage: plan, role: coaching.RoleCoach,
			want: func(d Card) Card { d.Ask = "First line.\nSecond line."; return d },
		},
		{
			name:  "a file with nothing to change",
			yaml:  "version: 1\n",
			stage: plan, role: coaching.RoleCoach,
			want:    func(d Card) Card { return d },
			unmoved: coaching.DefaultFlow,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lib, problems := Load("ours.yaml", []byte(tc.yaml))
			if len(problems) > 0 {
				t.Fatalf("problems: %v", problems)
			}
			if lib == def {
				t.Fatal("Load returned the default library itself")
			}
			want := tc.want(def.Card(tc.stage, tc.role))
			if got := lib.Card(tc.stage, tc.role); !cardsEqual(got, want) {
				t.Errorf("card = %+v\nwant %+v", got, want)
			}
			if tc.peerKept {
				if got := lib.Card(tc.stage, coaching.RolePeer); !cardsEqual(got, def.Card(tc.stage, coaching.RolePeer)) {
					t.Errorf("the peer card changed: %+v", got)
				}
			}
			for _, s := range tc.unmoved {
				for _, r := range roles {
					if !cardsEqual(lib.Card(s, r), def.Card(s, r)) {
						t.Errorf("%s/%s changed", s, r)
					}
				}
			}
		})
	}
	// Loading never changes the defaults.
	if got := def.Card(plan, coaching.RoleCoach).Goal; got == "Agree one small step." {
		t.Error("an override changed the default library")
	}
}

func TestLoadBrokenFileKeepsDefaults(t *testing.T) {
	broken := "version: 1\nstages:\n  - id: plan\n    coach:\n      goal: Agree one small step.\n  - id: closing\n"
	lib, problems := Load("ours.yaml", []byte(broken))
	if lib != Default() {
		t.Error("a broken override did not give the default library")
	}
	if len(problems) != 1 || problems[0].Line != 6 || !strings.Contains(problems[0].Msg, `"closing"`) {
		t.Errorf("problems = %v; want the unknown stage on line 6", problems)
	}
	if got := lib.Card(coaching.StagePlan, coaching.RoleCoach).Goal; got == "Agree one small step." {
		t.Error("the valid part of a broken file was applied")
	}
	if lib, problems := Load("ours.yaml", nil); lib != Default() || len(problems) != 1 {
		t.Errorf("an empty override: library %p, problems %v", lib, problems)
	}
}

func TestOddUnicodeIsAccepted(t *testing.T) {
	tests := []struct {
		name, text string
	}{
		{"Arabic", "ما هو الشيء الذي تودّ فعله من أجل صحتك؟"},
		{"Hebrew with a right-to-left mark", "\u200fמה היית רוצה לעשות למען הבריאות שלך?"},
		{"emoji with joiners and skin tones", "Great work 👏🏽 👨‍👩‍👧 💪"},
		{"accents, composed and combining", "Très bien, José: cafe\u0301 ou thé?"},
		{"CJK", "你想为健康做一件什么事？"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			y := "version: 1\r\nstages:\r\n  - id: engage\r\n    peer:\r\n      ask: \"" + tc.text + "\"\r\n      examples:\r\n        - \"" + tc.text + "\"\r\n"
			lib, problems := Load("ours.yaml", []byte(y))
			if len(problems) > 0 {
				t.Fatalf("problems: %v", problems)
			}
			c := lib.Card(coaching.StageEngage, coaching.RolePeer)
			if c.Ask != tc.text || !slices.Equal(c.Examples, []string{tc.text}) {
				t.Errorf("ask %q, examples %q; want %q", c.Ask, c.Examples, tc.text)
			}
		})
	}
}

func cardsEqual(a, b Card) bool {
	return a.Goal == b.Goal && a.Ask == b.Ask && slices.Equal(a.Examples, b.Examples) &&
		a.ListenFor == b.ListenFor && a.HandOver == b.HandOver && a.Local == b.Local
}
