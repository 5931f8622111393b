package config

import (
	"strings"
	"testing"
	"time"

	"callcoach/coaching"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		want     Config
		problems []string // substrings, with the line, in order
	}{
		{"empty", "", Default(), nil},
		{"comments only", "# nothing\n", Default(), nil},
		{"the example", Example, Default(), nil},
		{"peer, 30 minutes", "role: peer\ncall_minutes: 30\nprompts: /org/p.yaml\n",
			Config{Role: coaching.RolePeer, CallTarget: 30 * time.Minute, PromptsPath: "/org/p.yaml"}, nil},
		{"no target", "call_minutes: 0", Config{Role: coaching.RoleCoach}, nil},
		{"bad role", "role: nurse\ncall_minutes: 15\n", Config{Role: coaching.RoleCoach, CallTarget: 15 * time.Minute},
			[]string{`c.yaml:1: role should be coach or peer, not "nurse"`}},
		{"bad minutes", "call_minutes: ten", Default(), []string{`c.yaml:1: call_minutes should be a whole number`}},
		{"too many minutes", "call_minutes: 241", Default(), []string{"from 0 to 240"}},
		{"negative minutes", "call_minutes: -5", Default(), []string{"from 0 to 240"}},
		{"unknown key", "role: peer\nrole_name: x\n", Config{Role: coaching.RolePeer, CallTarget: 20 * time.Minute},
			[]string{`c.yaml:2: unknown setting "role_name"`}},
		{"twice", "role: peer\nrole: coach\n", Config{Role: coaching.RolePeer, CallTarget: 20 * time.Minute},
			[]string{`c.yaml:2: "role" is given twice (first on line 1)`}},
		{"syntax", "role: peer\n  call_minutes: [\n", Default(), []string{"c.yaml:2: the file cannot be read as YAML"}},
		{"list", "- role: peer\n", Default(), []string{"c.yaml:1: the file should be settings"}},
		{"nested", "role:\n  - peer\n", Default(), []string{`c.yaml:2: "role" should be a single value`}},
		{"not utf8", "role: \xff\n", Default(), []string{"c.yaml: the file is not UTF-8"}},
		{"at the size limit", "role: peer\n#" + strings.Repeat("x", MaxFileBytes-13) + "\n",
			Config{Role: coaching.RolePeer, CallTarget: 20 * time.Minute}, nil},
		{"over the size limit", "role: peer\n#" + strings.Repeat("x", MaxFileBytes-12) + "\n", Default(),
			[]string{"c.yaml: the file is larger than 256 KB, the most a settings file may be"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, probs := Parse("c.yaml", []byte(tc.in))
			if got.Role != tc.want.Role || got.CallTarget != tc.want.CallTarget || got.PromptsPath != tc.want.PromptsPath || got.Safety.Configured() {
				t.Errorf("config = %+v, want %+v", got, tc.want)
			}
			if len(probs) != len(tc.problems) {
				t.Fatalf("problems = %v, want %d", probs, len(tc.problems))
			}
			for i, p := range probs {
				if !strings.Contains(p.String(), tc.problems[i]) {
					t.Errorf("problem %q lacks %q", p.String(), tc.problems[i])
				}
			}
		})
	}
}

func TestParseSafety(t *testing.T) {
	good := `safety:
  steps:
    - Stay on the line.
    - Get the duty clinician on extension 2201.
  contacts:
    - name: Duty clinician
      phone: ext. 2201
    - name: Crisis team
      phone: "0800 000 000"
`
	cfg, probs := Parse("c.yaml", []byte(good))
	if len(probs) != 0 {
		t.Fatalf("problems: %v", probs)
	}
	if !cfg.Safety.Configured() || len(cfg.Safety.Steps) != 2 || len(cfg.Safety.Contacts) != 2 ||
		cfg.Safety.Contacts[1] != (Contact{"Crisis team", "0800 000 000"}) {
		t.Fatalf("safety = %+v", cfg.Safety)
	}
	bad := []struct{ in, want string }{
		{"safety: yes\n", `c.yaml:1: "safety:" should be followed`},
		{"safety:\n  steps: call someone\n", "c.yaml:2: safety steps should be a list"},
		{"safety:\n  steps:\n    - \"\"\n", "c.yaml:3: a safety step is empty"},
		{"safety:\n  contacts:\n    - name: Duty\n", `c.yaml:3: this safety contact needs both`},
		{"safety:\n  contacts:\n    - name: Duty\n      tel: 1\n", `c.yaml:4: unknown field "tel"`},
		{"safety:\n  numbers: []\n", `c.yaml:2: unknown setting "numbers" under safety`},
	}
	for _, tc := range bad {
		cfg, probs := Parse("c.yaml", []byte(tc.in))
		if len(probs) == 0 || !strings.Contains(probs[0].String(), tc.want) {
			t.Errorf("Parse(%q) problems %v, want %q", tc.in, probs, tc.want)
		}
		if cfg.Role != coaching.RoleCoach {
			t.Errorf("Parse(%q) lost the other defaults", tc.in)
		}
	}
}
