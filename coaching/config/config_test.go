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
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, probs := Parse("c.yaml", []byte(tc.in))
			if got != tc.want {
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
