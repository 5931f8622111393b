package config

import (
	"fmt"
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
		{"coach", "coach: \" Sam Patel \"\n", func() Config { c := Default(); c.Coach = "Sam Patel"; return c }(), nil},
		{"coach's name too long", "coach: " + strings.Repeat("x", 101) + "\n", Default(), []string{"c.yaml:1: coach should be your name, at most 100 characters"}},
		{"no target", "call_minutes: 0", Config{Role: coaching.RoleCoach}, nil},
		{"summary template", "summary_template: org/summary.tmpl\n",
			Config{Role: coaching.RoleCoach, CallTarget: 20 * time.Minute, SummaryTemplatePath: "org/summary.tmpl"}, nil},
		{"summary template naming nothing", "role: peer\nsummary_template: \"  \"\n", Config{Role: coaching.RolePeer, CallTarget: 20 * time.Minute},
			[]string{`c.yaml:2: summary_template should name a file`}},
		{"a team database", "database: postgres://sam@db.example.org/team\n",
			func() Config { c := Default(); c.Database = "postgres://sam@db.example.org/team"; return c }(), nil},
		{"a file", "database: /srv/caseloads/mine.db\n",
			func() Config { c := Default(); c.Database = "/srv/caseloads/mine.db"; return c }(), nil},
		{"a database with its password", "database: postgres://sam:secret@db/team\n",
			func() Config { c := Default(); c.Database = "postgres://sam:secret@db/team"; return c }(),
			[]string{"c.yaml:1: database holds a password, which anyone who can read this file can see; keep it in ~/.pgpass instead"}},
		{"a database naming nothing", "database: ''\n", Default(), []string{"c.yaml:1: database should name a file or a postgres:// URL"}},
		{"a database URL callcoach cannot read", "database: postgres://sam@db:port/team\n", Default(),
			[]string{"c.yaml:1: database is not a URL callcoach can read"}},
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
			if got.Role != tc.want.Role || got.CallTarget != tc.want.CallTarget || got.PromptsPath != tc.want.PromptsPath ||
				got.SummaryTemplatePath != tc.want.SummaryTemplatePath || got.Safety.Configured() {
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

// Text that would command the terminal it is shown on (ESC sequences that
// set the clipboard or clear the screen, C1 controls, bidirectional
// overrides), raw or written as a YAML escape, is refused by line, and only
// the setting it is in falls back to its default.
func TestParseUnsafeText(t *testing.T) {
	const safety = "role: peer\ncall_minutes: 30\nsafety:\n  steps:\n    - Stay on the line.\n%s  contacts:\n    - name: Duty clinician\n      phone: ext. 2201\n%s"
	tests := []struct {
		name            string
		steps, contacts string // added to the steps and contacts of safety
		other           string // instead of the safety section
		wantSteps       int
		wantContacts    int
		problems        []string
	}{
		{name: "OSC 52 escaped in a step", steps: "    - \"\\e]52;c;aGVsbG8=\\a Call 999.\"\n", wantSteps: 1, wantContacts: 1,
			problems: []string{"c.yaml:6: a safety step has ESC (U+001B) in it, which a terminal would act on instead of showing; remove it"}},
		{name: "a raw ESC in a step", steps: "    - \x1b]0;title\x07 Call 999.\n", wantSteps: 1, wantContacts: 1,
			problems: []string{"c.yaml:6: this line has ESC (U+001B) in it, which a terminal would act on instead of showing; delete it"}},
		{name: "screen clear escaped in a phone", contacts: "    - name: Crisis team\n      phone: \"\\e[2J0800 000 000\"\n", wantSteps: 1, wantContacts: 1,
			problems: []string{"c.yaml:10: a contact's phone has ESC (U+001B) in it"}},
		{name: "a raw C1 CSI in a phone", contacts: "    - name: Crisis team\n      phone: 0800\u009b2J\n", wantSteps: 1, wantContacts: 1,
			problems: []string{"c.yaml:10: this line has a C1 control character (U+009B) in it"}},
		{name: "a raw override in a name", contacts: "    - name: \u202eCrisis team\n      phone: 0800 000 000\n", wantSteps: 1, wantContacts: 1,
			problems: []string{"c.yaml:9: this line has U+202E (a right-to-left or left-to-right override) in it"}},
		{name: "an escaped isolate in a name", contacts: "    - name: \"Crisis \\u2066team\"\n      phone: 0800 000 000\n", wantSteps: 1, wantContacts: 1,
			problems: []string{"c.yaml:9: a contact's name has U+2066"}},
		{name: "a tab inside a step", steps: "    - \"Call\\t999.\"\n", wantSteps: 1, wantContacts: 1,
			problems: []string{"c.yaml:6: a safety step has a tab (U+0009) in it"}},
		{name: "a step on two lines", steps: "    - |\n      Call\n      999.\n", wantSteps: 1, wantContacts: 1,
			problems: []string{"c.yaml:6: a safety step should be text on one line"}},
		{name: "an override in a comment", steps: "    # old step: \u202eno\n", wantSteps: 1, wantContacts: 1,
			problems: []string{"c.yaml:6: this line has U+202E"}},
		{name: "good text with a zero-width joiner and accents", steps: "    - Zoë's team 👩\u200d⚕️ is on call.\n", wantSteps: 2, wantContacts: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := fmt.Sprintf(safety, tc.steps, tc.contacts)
			cfg, probs := Parse("c.yaml", []byte(in))
			if cfg.Role != coaching.RolePeer || cfg.CallTarget != 30*time.Minute {
				t.Errorf("the other settings were lost: %+v", cfg)
			}
			if len(cfg.Safety.Steps) != tc.wantSteps || len(cfg.Safety.Contacts) != tc.wantContacts {
				t.Errorf("safety = %q, want %d steps and %d contacts", cfg.Safety, tc.wantSteps, tc.wantContacts)
			}
			for _, s := range append(cfg.Safety.Steps, fmt.Sprint(cfg.Safety.Contacts)) {
				if i, r := coaching.FirstUnsafe(s, false); i >= 0 {
					t.Errorf("%q has %s", s, coaching.DescribeRune(r))
				}
			}
			if len(probs) != len(tc.problems) {
				t.Fatalf("problems = %v, want %q", probs, tc.problems)
			}
			for i, p := range probs {
				if !strings.Contains(p.String(), tc.problems[i]) {
					t.Errorf("problem %q lacks %q", p.String(), tc.problems[i])
				}
			}
		})
	}

	// The other settings: each is refused alone, by line.
	for _, tc := range []struct{ in, problem string }{
		{"role: \"peer\\e]0;x\\a\"\ncall_minutes: 30\n", `c.yaml:1: the value of role has ESC (U+001B) in it`},
		{"prompts: \"org\\u202e.yaml\"\ncall_minutes: 30\n", `c.yaml:1: the value of prompts has U+202E`},
		{"prompts: org\x1b[2J.yaml\ncall_minutes: 30\n", `c.yaml:1: this line has ESC (U+001B) in it`},
	} {
		cfg, probs := Parse("c.yaml", []byte(tc.in))
		if cfg.Role != coaching.RoleCoach || cfg.PromptsPath != "" || cfg.CallTarget != 30*time.Minute {
			t.Errorf("Parse(%q) = %+v", tc.in, cfg)
		}
		if len(probs) != 1 || !strings.Contains(probs[0].String(), tc.problem) {
			t.Errorf("Parse(%q) problems %v, want %q", tc.in, probs, tc.problem)
		}
	}
}

func TestParseRetry(t *testing.T) {
	def := coaching.DefaultRetryRule()
	tests := []struct {
		name     string
		in       string
		delay    time.Duration
		max      int
		hours    string
		problems []string
	}{
		{"defaults", "", 2 * time.Hour, 3, "09:00-20:00", nil},
		{"the example", Example, 2 * time.Hour, 3, "09:00-20:00", nil},
		{"set", "retry_minutes: 90\nretry_max_attempts: 5\nretry_hours: weekdays 9-17, sat 10:00-12:00\n", 90 * time.Minute, 5, "weekdays 09:00-17:00, sat 10:00-12:00", nil},
		{"no delay, no limit", "retry_minutes: 0\nretry_max_attempts: 0\n", 0, 0, "09:00-20:00", nil},
		{"a week at most", "retry_minutes: 10081\n", 2 * time.Hour, 3, "09:00-20:00", []string{"c.yaml:1: retry_minutes should be a whole number of minutes from 0 to 10080"}},
		{"words", "retry_minutes: 2h\n", 2 * time.Hour, 3, "09:00-20:00", []string{`retry_minutes should be a whole number of minutes from 0 to 10080 (a week), not "2h"`}},
		{"too many attempts", "retry_max_attempts: 21\n", 2 * time.Hour, 3, "09:00-20:00", []string{"c.yaml:1: retry_max_attempts should be a whole number from 0 (no limit) to 20"}},
		{"hours unclear", "retry_hours: 9-5\n", 2 * time.Hour, 3, "09:00-20:00", []string{`c.yaml:1: retry_hours: 9-5 is unclear`, "e.g."}},
		{"hours empty", "retry_hours: \"\"\n", 2 * time.Hour, 3, "09:00-20:00", []string{"retry_hours is empty"}},
	}
	for _, tc := range tests {
		got, probs := Parse("c.yaml", []byte(tc.in))
		r := got.Retry
		if r.Delay != tc.delay || r.MaxAttempts != tc.max || r.Hours.String() != tc.hours {
			t.Errorf("%s: retry %v, %d, %q; want %v, %d, %q", tc.name, r.Delay, r.MaxAttempts, r.Hours, tc.delay, tc.max, tc.hours)
		}
		var text []string
		for _, p := range probs {
			text = append(text, p.String())
		}
		all := strings.Join(text, "\n")
		if len(tc.problems) == 0 && len(probs) > 0 {
			t.Errorf("%s: problems %v", tc.name, all)
		}
		for _, want := range tc.problems {
			if !strings.Contains(all, want) {
				t.Errorf("%s: problems %q lack %q", tc.name, all, want)
			}
		}
	}
	if def.Hours.String() != coaching.DefaultRetryHours {
		t.Errorf("default hours %q", def.Hours)
	}
}

func TestParseLockAfter(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Duration
		set     bool
		problem string
	}{
		{"", DefaultLockAfter, false, ""},
		{Example, DefaultLockAfter, false, ""},
		{"lock_after: 5m\n", 5 * time.Minute, true, ""},
		{"lock_after: 90s\n", 90 * time.Second, true, ""},
		{"lock_after: 1h\n", time.Hour, true, ""},
		{"lock_after: 1h30m\n", 90 * time.Minute, true, ""},
		{"lock_after: 0\n", 0, true, ""},
		{"lock_after: 10s\n", 10 * time.Second, true, ""},
		{"lock_after: 8h\n", 8 * time.Hour, true, ""},
		{"role: peer\nlock_after: 9s\n", DefaultLockAfter, false, `c.yaml:2: lock_after should be a time from 10s to 8h, such as 90s, 5m or 1h, or 0 for no lock when idle; not "9s"`},
		{"lock_after: 8h1s\n", DefaultLockAfter, false, `not "8h1s"`},
		{"lock_after: 5\n", DefaultLockAfter, false, `not "5"`},
		{"lock_after: five minutes\n", DefaultLockAfter, false, `not "five minutes"`},
		{"lock_after: -5m\n", DefaultLockAfter, false, `not "-5m"`},
		{"lock_after: 0s\n", 0, true, ""},
		{"lock_after: \"\"\n", DefaultLockAfter, false, `not ""`},
		{"lock_afterr: 5m\n", DefaultLockAfter, false, "retry_hours, lock_after, target_weeks, prompts"},
	}
	for _, tc := range tests {
		got, probs := Parse("c.yaml", []byte(tc.in))
		if got.LockAfter != tc.want || got.LockAfterSet != tc.set {
			t.Errorf("%q: lock after %v (set %v), want %v (set %v)", tc.in, got.LockAfter, got.LockAfterSet, tc.want, tc.set)
		}
		switch {
		case tc.problem == "" && len(probs) > 0:
			t.Errorf("%q: problems %v", tc.in, probs)
		case tc.problem != "" && (len(probs) != 1 || !strings.Contains(probs[0].String(), tc.problem)):
			t.Errorf("%q: problems %v, want one with %q", tc.in, probs, tc.problem)
		}
	}
}

func TestParseTargetWeeks(t *testing.T) {
	tests := []struct {
		in      string
		want    int
		problem string
	}{
		{"", coaching.DefaultTargetWeeks, ""},
		{Example, coaching.DefaultTargetWeeks, ""},
		{"target_weeks: 12\n", 12, ""},
		{"target_weeks: 4\n", 4, ""},
		{"target_weeks: 52\n", 52, ""},
		{"role: peer\ntarget_weeks: 3\n", coaching.DefaultTargetWeeks, `c.yaml:2: target_weeks should be a whole number of weeks from 4 to 52, not "3"`},
		{"target_weeks: 53\n", coaching.DefaultTargetWeeks, `not "53"`},
		{"target_weeks: 0\n", coaching.DefaultTargetWeeks, `not "0"`},
		{"target_weeks: 10.5\n", coaching.DefaultTargetWeeks, `not "10.5"`},
		{"target_weeks: ten\n", coaching.DefaultTargetWeeks, `not "ten"`},
		{"target_weeks: \"\"\n", coaching.DefaultTargetWeeks, `not ""`},
	}
	for _, tc := range tests {
		got, probs := Parse("c.yaml", []byte(tc.in))
		if got.TargetWeeks != tc.want {
			t.Errorf("%q: target weeks %d, want %d", tc.in, got.TargetWeeks, tc.want)
		}
		switch {
		case tc.problem == "" && len(probs) > 0:
			t.Errorf("%q: problems %v", tc.in, probs)
		case tc.problem != "" && (len(probs) != 1 || !strings.Contains(probs[0].String(), tc.problem)):
			t.Errorf("%q: problems %v, want one with %q", tc.in, probs, tc.problem)
		}
	}
}

func TestParseReadings(t *testing.T) {
	good := "readings:\n  - name: Peak  Flow\n    unit: L/min\n    min: 50\n    max: 900\n  - name: waist\n    unit: cm\n    min: 40\n    max: 200.5\n"
	cfg, probs := Parse("c.yaml", []byte(good))
	if len(probs) != 0 {
		t.Fatalf("problems: %v", probs)
	}
	want := []coaching.CustomReading{{Name: "peak flow", Unit: "L/min", Min: 50, Max: 900}, {Name: "waist", Unit: "cm", Min: 40, Max: 200.5}}
	if fmt.Sprint(cfg.Readings) != fmt.Sprint(want) {
		t.Fatalf("readings = %+v, want %+v", cfg.Readings, want)
	}
	item := func(lines ...string) string { return "readings:\n  - " + strings.Join(lines, "\n    ") + "\n" }
	tests := []struct{ in, problem string }{
		{"readings: peak flow\n", "c.yaml:1: readings should be a list"},
		{"readings:\n  - peak flow\n", `c.yaml:2: each reading needs "name:"`},
		{item("name: peak flow", "unit: L/min", "min: 50"), `c.yaml:2: this reading needs "name:", "unit:", "min:" and "max:"`},
		{item("name: peak flow", "unit: L/min", "min: 900", "max: 50"), "c.yaml:2: this reading's min (900) should be below its max (50)"},
		{item("name: peak flow", "unit: L/min", "min: low", "max: 50"), `c.yaml:4: a reading's min should be a number, not "low"`},
		{item("name: weight", "unit: st", "min: 1", "max: 50"), `c.yaml:2: "weight" is a built-in reading already`},
		{item("name: BP", "unit: x", "min: 1", "max: 50"), `"BP" is a built-in reading already`},
		{item("name: 2nd try", "unit: x", "min: 1", "max: 50"), `c.yaml:2: a reading's name should be words of letters`},
		{item("name: a"+strings.Repeat("b", 40), "unit: x", "min: 1", "max: 50"), "longer than 40 characters"},
		{item("name: waist", "unit: 10 cm", "min: 1", "max: 50"), `c.yaml:3: a reading's unit should be one word`},
		{item("name: waist", "unit: cm", "min: 1", "max: 50", "code: x"), `c.yaml:6: unknown field "code" in a reading`},
		{item("name: waist", "unit: [cm]", "min: 1", "max: 50"), `c.yaml:3: a reading's unit should be a single value`},
		{item("name: waist", "unit: cm", "min: 1", "max: 50") + item("name: Waist", "unit: in", "min: 1", "max: 50")[len("readings:\n"):],
			`c.yaml:6: the reading "waist" is given twice (first on line 2)`},
		{item("name: \"waist\\e\"", "unit: cm", "min: 1", "max: 50"), "ESC"},
	}
	for _, tc := range tests {
		cfg, probs := Parse("c.yaml", []byte(tc.in))
		if len(probs) != 1 || !strings.Contains(probs[0].String(), tc.problem) {
			t.Errorf("Parse(%q): problems %v, want one saying %q", tc.in, probs, tc.problem)
		}
		if len(cfg.Readings) > 1 {
			t.Errorf("Parse(%q): readings %+v", tc.in, cfg.Readings)
		}
	}
	// The example's readings are commented out, but they parse as written.
	var lines []string
	for _, l := range strings.Split(Example, "\n") {
		if strings.HasPrefix(l, "# readings:") || strings.HasPrefix(l, "#   ") && len(lines) > 0 {
			lines = append(lines, strings.TrimPrefix(l, "# "))
		}
	}
	cfg, probs = Parse("c.yaml", []byte(strings.Join(lines, "\n")))
	if len(probs) != 0 || len(cfg.Readings) != 1 || cfg.Readings[0].Name != "peak flow" {
		t.Errorf("the example's readings: %+v, %v", cfg.Readings, probs)
	}
}
