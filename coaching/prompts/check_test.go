package prompts

import (
	"fmt"
	"strings"
	"testing"
)

// head starts an override for the coach card of the plan stage; the card's
// fields go on line 5 onwards.
const head = "version: 1\nstages:\n  - id: plan\n    coach:\n"

type want struct {
	line int
	has  string // a part of the message
}

func TestCheckFindsProblems(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want []want
	}{
		{"empty file", "", []want{{0, "the file is empty"}}},
		{"only spaces", " \n\n\t\n", []want{{0, "the file is empty"}}},
		{"only comments", "# our prompts\n# more to come\n", []want{{0, "only comments"}}},
		{"an empty document", "---\n", []want{{1, "no settings"}}},
		{"syntax: colon inside plain text", head + "      goal: Plan: small\n", []want{{5, "cannot be read as YAML (mapping values are not allowed"}}},
		{"syntax: quote never closed", head + "      goal: \"Plan small\n      ask: x\n", []want{{5, "cannot be read as YAML"}}},
		{"syntax: a list never closed", "version: 1\nstages: [\n", []want{{2, "cannot be read as YAML"}}},
		{"syntax: tab indentation", "version: 1\nstages:\n  - id: plan\n\tcoach:\n", []want{{4, "indented with a tab"}}},
		{"a second document", "version: 1\n---\nversion: 1\n", []want{{2, "second document"}}},
		{"the file is a list", "- id: plan\n", []want{{1, `should start with "version: 1"`}}},
		{"the file is one word", "prompts\n", []want{{1, `should start with "version: 1"`}}},
		{"version missing", "stages:\n  - id: plan\n", []want{{1, `"version: 1" is missing`}}},
		{"version 2", "version: 2\n", []want{{1, "version should be 1"}}},
		{"version as a list", "version:\n  - 1\n", []want{{1, "version should be 1"}}},
		{"version empty", "version:\n", []want{{1, "version should be 1"}}},
		{"unknown top-level key", "version: 1\nstage:\n  - id: plan\n", []want{{2, `unknown setting "stage"`}}},
		{"stages is text", "version: 1\nstages: plan\n", []want{{2, `"stages:" should be followed by a list`}}},
		{"stages is a set of fields", "version: 1\nstages:\n  plan:\n    coach: {}\n", []want{{2, `"stages:" should be followed by a list`}}},
		{"stages is empty", "version: 1\nstages:\n", []want{{2, `"stages:" should be followed by a list`}}},
		{"a stage is a bare name", "version: 1\nstages:\n  - plan\n", []want{{3, `each stage should start with "- id:"`}}},
		{"a stage without id", "version: 1\nstages:\n  - coach:\n      goal: x\n", []want{{3, "this stage has no id"}}},
		{"an empty id", "version: 1\nstages:\n  - id:\n", []want{{3, "the stage id should be one of: engage,"}}},
		{"unknown stage", "version: 1\nstages:\n  - id: closing\n", []want{{3, `unknown stage "closing"; the stages are engage, review, focus, explore, plan, commit, confidence, follow_up, close`}}},
		{"stage in capitals", "version: 1\nstages:\n  - id: Plan\n", []want{{3, `unknown stage "Plan"`}}},
		{"a stage listed twice", head + "      goal: x\n  - id: plan\n", []want{{6, "stage plan is listed twice (first on line 3)"}}},
		{"unknown role", "version: 1\nstages:\n  - id: plan\n    volunteer:\n      goal: x\n", []want{{4, `unknown role "volunteer" in the stage on line 3`}}},
		{"a role given twice", head + "      goal: x\n    coach:\n      ask: y\n", []want{{6, `"coach" is given twice in the stage on line 3 (first on line 4)`}}},
		{"unknown field", head + "      listen: worry\n", []want{{5, `unknown field "listen" in the coach card of stage plan; the fields are goal, ask, examples, listen_for, hand_over, local`}}},
		{"a field given twice", head + "      goal: a\n      goal: b\n", []want{{6, `"goal" is given twice in the coach card of stage plan (first on line 5)`}}},
		{"an empty card", head, []want{{4, "the coach card of stage plan is empty"}}},
		{"a card as text", "version: 1\nstages:\n  - id: plan\n    peer: be kind\n", []want{{4, "the peer card of stage plan should be a set of fields"}}},
		{"a card as a list", head + "      - goal: x\n", []want{{5, "the coach card of stage plan should be a set of fields"}}},
		{"goal as a list", head + "      goal:\n        - a\n", []want{{6, `the goal of the coach card of stage plan should be text, not a list`}}},
		{"ask as fields", head + "      ask:\n        first: a\n", []want{{6, "the ask of the coach card of stage plan should be text, not a set of fields"}}},
		{"examples as text", head + "      examples: What will you do?\n", []want{{5, "the examples of the coach card of stage plan should be a list"}}},
		{"an example as a list", head + "      examples:\n        - [a, b]\n", []want{{6, "example 1 of the coach card of stage plan should be text"}}},
		{"an example as fields", head + "      examples:\n        - ok\n        - say: hi\n", []want{{7, "example 2 of the coach card of stage plan should be text"}}},
		{"an empty goal", head + "      goal: \"\"\n", []want{{5, "the goal of the coach card of stage plan is empty; write the text, or delete the line"}}},
		{"a goal left blank", head + "      goal:\n      ask: x\n", []want{{5, "the goal of the coach card of stage plan is empty"}}},
		{"a goal of spaces", head + "      goal: \"   \"\n", []want{{5, "is empty"}}},
		{"an empty example", head + "      examples:\n        - ok\n        -\n", []want{{7, "example 2 of the coach card of stage plan is empty"}}},
		{"an empty local", "version: 1\nstages:\n  - id: plan\n    peer:\n      local: ''\n", []want{{5, "the local of the peer card of stage plan is empty"}}},
		{"no examples", head + "      examples: []\n", []want{{5, "the coach card of stage plan has 0 examples; give between 1 and 5"}}},
		{"six examples", head + "      examples: [a, b, c, d, e, f]\n", []want{{5, "has 6 examples; give between 1 and 5"}}},
		{"a text over 2,000 characters", head + "      ask: " + strings.Repeat("é", 2001) + "\n", []want{{5, "the ask of the coach card of stage plan is 2,001 characters long; the limit is 2,000"}}},
		{"an example over 2,000 characters", head + "      examples:\n        - ok\n        - " + strings.Repeat("x", 2500) + "\n", []want{{7, "example 2 of the coach card of stage plan is 2,500 characters long"}}},
		{"a control character typed in", head + "      goal: Plan\x07 small\n", []want{{5, "this line has a control character (U+0007) in it, which a terminal would act on instead of showing; delete it"}}},
		{"control characters on two lines", head + "      goal: a\x00\x01\n      ask: b\x1b\n", []want{{5, "(U+0000)"}, {6, "(U+001B)"}}},
		{"a delete character", head + "      goal: a\x7f\n", []want{{5, "(U+007F)"}}},
		{"a C1 control character", head + "      goal: a\u0085b\n", []want{{5, "(U+0085)"}}},
		{"an escaped control character", head + "      goal: \"Plan\\x07 small\"\n", []want{{5, "the goal of the coach card of stage plan has a control character (U+0007) in it"}}},
		{"an escaped carriage return", head + "      goal: \"a\\rb\"\n", []want{{5, "(U+000D)"}}},
		{"an escaped OSC 52", head + "      ask: \"Ask \\e]52;c;aGVsbG8=\\a now\"\n", []want{{5, "the ask of the coach card of stage plan has ESC (U+001B) in it"}}},
		{"a right-to-left override", head + "      goal: Plan \u202esmall\n", []want{{5, "this line has U+202E (a right-to-left or left-to-right override) in it"}}},
		{"an override in a comment", head + "      goal: Plan # \u202eold\n", []want{{5, "U+202E"}}},
		{"an escaped isolate", head + "      goal: \"Plan \\u2066small\"\n", []want{{5, "the goal of the coach card of stage plan has U+2066"}}},
		{"an escaped C1 control", "version: 1\nstages:\n  - id: plan\n    coach:\n      examples:\n        - \"Why \\x9b2J?\"\n",
			[]want{{6, "example 1 of the coach card of stage plan has a C1 control character (U+009B) in it"}}},
		{"invalid UTF-8", "version: 1\nstages:\n  - id: plan\n    coach:\n      goal: caf\xe9\n", []want{{0, "not UTF-8 text (the first bad byte is on line 5)"}}},
		{"invalid UTF-8 hides other problems", "stages:\n  - id: lunch\n\xff\n", []want{{0, "not UTF-8"}}},
		{"UTF-16", "\xff\xfev\x00e\x00r\x00", []want{{0, "not UTF-8 text (the first bad byte is on line 1)"}}},
		{"an alias", head + "      goal: &g Plan small\n  - id: close\n    coach:\n      goal: *g\n", []want{{8, "the goal of the coach card of stage close uses *g"}}},
		{"a card as an alias", head + "      goal: &g Plan small\n  - id: close\n    coach: *g\n", []want{{7, "the coach card of stage close uses *g"}}},
		{"a merge key", head + "      <<: {goal: x}\n", []want{{5, `unknown field "<<"`}}},
		{"a key that is a list", head + "      [goal]: x\n", []want{{5, "a name was expected here in the coach card of stage plan"}}},
		{
			"several problems, in file order",
			"version: 1\nstages:\n  - id: closing\n    coach:\n      goal: x\n  - id: plan\n    peer:\n      listen: y\n      examples: z\n",
			[]want{{3, `unknown stage "closing"`}, {8, `unknown field "listen" in the peer card of stage plan`}, {9, "the examples of the peer card of stage plan should be a list"}},
		},
		{
			"an unknown stage's cards are still checked",
			"version: 1\nstages:\n  - id: closing\n    coach:\n      gaol: x\n",
			[]want{{3, `unknown stage "closing"`}, {5, `unknown field "gaol" in the coach card of the stage on line 3`}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Check("ours.yaml", []byte(tc.yaml))
			assertProblems(t, got, tc.want)
		})
	}
}

func assertProblems(t *testing.T, got []Problem, want []want) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d problems, want %d:\n%s", len(got), len(want), list(got))
	}
	for i, w := range want {
		p := got[i]
		if p.File != "ours.yaml" || p.Line != w.line || !strings.Contains(p.Msg, w.has) {
			t.Errorf("problem %d = %s\nwant ours.yaml:%d: ...%s...", i, p, w.line, w.has)
		}
	}
}

func list(ps []Problem) string {
	var b strings.Builder
	for _, p := range ps {
		fmt.Fprintf(&b, "  %s\n", p)
	}
	return b.String()
}

func TestCheckAccepts(t *testing.T) {
	tests := []struct{ name, yaml string }{
		{"only the version", "version: 1\n"},
		{"version in quotes", "version: \"1\"\n"},
		{"no stages yet", "version: 1\nstages: []\n"},
		{"a stage with only its id", "version: 1\nstages:\n  - id: close\n"},
		{"text of exactly 2,000 characters", head + "      ask: " + strings.Repeat("é", 2000) + "\n"},
		{"one example", head + "      examples:\n        - What will you do?\n"},
		{"five examples", head + "      examples: [a, b, c, d, e]\n"},
		{"hand_over on a coach card", head + "      hand_over: Follow the safety protocol.\n"},
		{"all fields", head + "      goal: g\n      ask: a\n      examples: [e]\n      listen_for: l\n      hand_over: h\n      local: o\n"},
		{"a number as text", head + "      goal: 10\n"},
		{"tabs inside text", head + "      goal: \"a\\tb\"\n"},
		{"a multi-line block", head + "      ask: >\n        Ask how it went,\n        then listen.\n"},
		{"a byte-order mark", "\ufeffversion: 1\n"},
		{"Windows line ends", "version: 1\r\nstages:\r\n  - id: plan\r\n    coach:\r\n      goal: x\r\n"},
		{"an anchor with no alias", head + "      goal: &g Plan small\n"},
		{"a hash inside quotes", head + "      goal: \"Step #1: agree the plan\"\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Check("ours.yaml", []byte(tc.yaml)); len(got) > 0 {
				t.Errorf("problems:\n%s", list(got))
			}
		})
	}
}

// TestDefaultRules checks what the built-in file needs beyond an override,
// by breaking a copy of it.
func TestDefaultRules(t *testing.T) {
	def := string(DefaultYAML())
	lineOf := func(s string) int {
		i := strings.Index(def, s)
		if i < 0 {
			t.Fatalf("default.yaml has no %q", s)
		}
		return strings.Count(def[:i], "\n") + 1
	}
	closePeer := lineOf("  - id: close\n") + 9 // "    peer:" of the close stage
	if !strings.HasPrefix(strings.Split(def, "\n")[closePeer-1], "    peer:") {
		t.Fatalf("line %d of default.yaml is not the close stage's peer card", closePeer)
	}
	lastHandOver := def[strings.LastIndex(def, "      hand_over:"):]
	tests := []struct {
		name  string
		edit  func(string) string
		line  int
		has   string
		valid bool // as an override, the edited file is still fine
	}{
		{"a peer card without hand_over", func(s string) string { return strings.Replace(s, lastHandOver, "", 1) },
			closePeer, "the peer card of stage close has no hand_over", true},
		{"local text in the defaults", func(s string) string { return s + "      local: ours\n" },
			strings.Count(def, "\n") + 1, "local is for an organisation's own file", true},
		{"four examples", func(s string) string {
			return strings.Replace(s, "        - \"What's been on your mind lately?\"\n", "        - \"What's been on your mind lately?\"\n        - \"And?\"\n", 1)
		}, lineOf("      examples:\n        - \"Hi, it's good"), "the peer card of stage engage has 4 examples; give between 2 and 3", true},
		{"a stage missing", func(s string) string { return s[:strings.Index(s, "  - id: close\n")] },
			lineOf("\nstages:\n") + 1, "stage close is missing", true},
		{"a role missing", func(s string) string { return s[:strings.Index(s, "    peer:\n      goal: \"Sum up")] },
			lineOf("  - id: close\n"), "stage close has no peer card", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			edited := []byte(tc.edit(def))
			_, got := parse("ours.yaml", edited, true)
			assertProblems(t, got, []want{{tc.line, tc.has}})
			if tc.valid {
				if got := Check("ours.yaml", edited); len(got) > 0 {
					t.Errorf("as an override: %s", list(got))
				}
			}
		})
	}
}

func TestProblemString(t *testing.T) {
	tests := []struct {
		p    Problem
		want string
	}{
		{Problem{"prompts.yaml", 14, `unknown stage "closing"`}, `prompts.yaml:14: unknown stage "closing"`},
		{Problem{"prompts.yaml", 0, "the file is empty"}, "prompts.yaml: the file is empty"},
	}
	for _, tc := range tests {
		if got := tc.p.String(); got != tc.want {
			t.Errorf("String() = %q; want %q", got, tc.want)
		}
	}
}

func TestTooManyProblemsAreCut(t *testing.T) {
	y := "version: 1\nstages:\n" + strings.Repeat("  - id: closing\n", 500)
	got := Check("ours.yaml", []byte(y))
	if len(got) != maxProblems+1 {
		t.Fatalf("%d problems; want %d and a last word", len(got), maxProblems+1)
	}
	if last := got[maxProblems]; last.Line != 0 || !strings.Contains(last.Msg, "more problems than shown") {
		t.Errorf("last problem = %s", last)
	}
}

// bigFiles are files at and past the limits: each is refused or reported
// without reading it all in, whatever its size. How long that takes is
// BenchmarkCheckBigFiles's to measure.
func bigFiles() []struct {
	name string
	yaml string
	want []want
	cut  bool // so many problems that the list is cut
} {
	const mb = 1 << 20
	return []struct {
		name string
		yaml string
		want []want
		cut  bool
	}{
		{"a 1 MB goal", head + "      goal: " + strings.Repeat("a", mb) + "\n",
			[]want{{5, "the goal of the coach card of stage plan is 1,048,576 characters long; the limit is 2,000"}}, false},
		{"a 1 MB card in two lines", head + "      goal: Plan\n      ask: " + strings.Repeat("é", mb/2) + "\n",
			[]want{{6, "the ask of the coach card of stage plan is 524,288 characters long"}}, false},
		{"9,000 examples", head + "      examples:\n" + strings.Repeat("        - \"How did it go?\"\n", 9000),
			[]want{{5, "has 9,000 examples; give between 1 and 5"}}, false},
		{"10,000 lines of repeated stages", "version: 1\nstages:\n" + strings.Repeat("  - id: plan\n", maxLines-3), nil, true},
		{"a 1 MB block of text", head + "      ask: |\n" + strings.Repeat("        Ask how it went and listen well.\n", mb/41),
			[]want{{0, "the file has 25,580 lines, more than the 10,000 a prompts file may have"}}, false},
		{"1 MB of repeated stages", "version: 1\nstages:\n" + strings.Repeat("  - id: plan\n", mb/13),
			[]want{{0, "lines, more than the 10,000"}}, false},
		{"a file over 2 MB", head + "      goal: " + strings.Repeat("a", 2*mb) + "\n",
			[]want{{0, "the file is larger than 2,097,152 bytes, the most a prompts file may be"}}, false},
	}
}

func TestCheckBigFiles(t *testing.T) {
	for _, tc := range bigFiles() {
		t.Run(tc.name, func(t *testing.T) {
			got := Check("ours.yaml", []byte(tc.yaml))
			if tc.cut {
				if len(got) != maxProblems+1 {
					t.Errorf("%d problems; want them cut at %d", len(got), maxProblems)
				}
				return
			}
			assertProblems(t, got, tc.want)
		})
	}
}

// BenchmarkCheckBigFiles: each of these should take well under 100 ms.
func BenchmarkCheckBigFiles(b *testing.B) {
	for _, tc := range bigFiles() {
		data := []byte(tc.yaml)
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				Check("ours.yaml", data)
			}
		})
	}
}
