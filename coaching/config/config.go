// Package config reads callcoach's settings file: who makes the calls
// (coach or peer volunteer), the target call length, when to propose
// trying someone again, and where an organisation's own prompt cards and
// call summary template are. Callers pass the file's bytes in;
// the package does no I/O.
package config

import (
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"callcoach/coaching"
	"callcoach/coaching/prompts"
)

// Config is what the settings file says, with defaults for what it leaves out.
type Config struct {
	// Coach is the coach's own name, which every record and the audit
	// trail carry; "" when not set (main then uses the computer's).
	Coach       string
	Role        coaching.Role
	CallTarget  time.Duration // 0: no target
	PromptsPath string        // "" : prompts.yaml beside the settings file, if there is one
	// SummaryTemplatePath is the organisation's call summary template;
	// "": summary.tmpl beside the settings file, if there is one.
	SummaryTemplatePath string
	Safety              Safety
	// Retry is when to propose trying someone again after an attempt
	// that did not reach them (docs/queue.md, "Attempts and retries").
	Retry coaching.RetryRule
	// LockAfter is how long without a key before the screen locks; 0: it
	// locks only on the key. LockAfterSet says the file gave it (the demo
	// locks only then: its people are made up).
	LockAfter    time.Duration
	LockAfterSet bool
	// Readings are the organisation's own kinds of reading, beside the
	// built-in ones (coaching.NewReadingRegistry).
	Readings []coaching.CustomReading
	// TargetWeeks is how many weeks in care before a person whose PHQ-9
	// or GAD-7 has not fallen by half is flagged "not on track" in the
	// registry (coaching.TargetOf).
	TargetWeeks int
	// Database is the caseload to open when --db does not say: a file, or
	// a team's PostgreSQL database as a postgres:// URL; "" for the file in
	// the user's data folder.
	Database string
}

// Safety is the organisation's own safety protocol: the steps to follow
// when someone may be at risk, and whom to call. callcoach has no country's
// numbers built in; without these it shows generic steps and asks the
// coach to get their organisation to fill them in.
type Safety struct {
	Steps    []string
	Contacts []Contact
}

// Contact is a person or service to reach in a safety event.
type Contact struct {
	Name  string
	Phone string
}

// Configured reports whether the organisation set its own protocol.
func (s Safety) Configured() bool { return len(s.Steps) > 0 || len(s.Contacts) > 0 }

// Default is the configuration without a settings file.
func Default() Config {
	return Config{Role: coaching.RoleCoach, CallTarget: 20 * time.Minute, Retry: coaching.DefaultRetryRule(), LockAfter: DefaultLockAfter, TargetWeeks: coaching.DefaultTargetWeeks}
}

// The screen lock's idle time: 5 minutes unless the file says otherwise,
// and when it does, from 10 seconds (less would lock mid-sentence) to 8
// hours, or 0 for no lock when idle.
const (
	DefaultLockAfter = 5 * time.Minute
	MinLockAfter     = 10 * time.Second
	MaxLockAfter     = 8 * time.Hour
)

// Bounds on the retry settings: a week's delay, and a limit beyond which
// no one would still be calling.
const (
	MaxRetryMinutes  = 7 * 24 * 60
	MaxRetryAttempts = 20
)

// MaxCoachName bounds the coach's name.
const MaxCoachName = 100

// MaxCallMinutes bounds the target call length.
const MaxCallMinutes = 240

// MaxFileBytes bounds a settings file. A real one is a few lines, and a
// long safety protocol a few kilobytes; the bound keeps a wrong or damaged
// file from filling memory. A caller reads at most MaxFileBytes+1 bytes of
// the file, so that Parse sees when it is over.
const MaxFileBytes = 256 << 10

// Example is a settings file to start from, as `callcoach config example`
// would print it.
const Example = `# callcoach settings. Every line is optional.

# Your name, as every call, plan, measure and reading you record and the
# audit trail (callcoach audit) give it. By default, your full name on this
# computer; --coach NAME overrides it.
# coach: Sam Patel

# Who makes the calls: coach, or peer (a peer-support volunteer, who is
# shown plainer prompts and, on every stage, when to hand over).
role: coach

# How long a call should last, in minutes; 0 for no target. The timer
# warns gently two minutes before.
call_minutes: 20

# After an attempt that does not reach someone (no answer, voicemail),
# a retry is proposed this many minutes later, moved on to their call
# window; after this many such attempts in seven days, another way to
# reach them is suggested instead (0: no limit).
retry_minutes: 120
retry_max_attempts: 3

# When to propose a retry for someone with no call window, on their clock.
# retry_hours: 09:00-20:00

# The screen locks after this long without a key (and on ctrl+l), showing
# only that callcoach is locked until your passphrase is typed: 90s, 5m,
# 1h; from 10s to 8h, or 0 for no lock when idle. The first time, callcoach
# asks you to choose the passphrase. Forgotten it? Delete the file "lock"
# beside this one and choose a new one.
# lock_after: 5m

# The registry (R on the caseload) flags people whose PHQ-9 or GAD-7 has
# not fallen by half after this many weeks in care, to raise with the
# team: 10 by default (the AIMS Center's treat to target), from 4 to 52.
# target_weeks: 10

# Your organisation's own prompt cards (see: callcoach prompts dump).
# Without this line, prompts.yaml beside this file is used if it exists.
# prompts: /path/to/prompts.yaml

# Your organisation's own call summary (see: callcoach summary example).
# Without this line, summary.tmpl beside this file is used if it exists.
# summary_template: /path/to/summary.tmpl

# The caseload to open: a file, or your team's PostgreSQL database. Without
# this line, callcoach.db in your data folder; --db overrides it. Keep a
# password in ~/.pgpass, not here.
# database: postgres://sam@coaching-db.example.org/team

# Your organisation's safety protocol, shown when someone may be at risk.
# callcoach has no phone numbers built in: put your own here.
# safety:
#   steps:
#     - Stay on the line; do not leave them alone.
#     - Get the duty clinician on extension 2201.
#   contacts:
#     - name: Duty clinician
#       phone: ext. 2201
#     - name: Emergency services
#       phone: (your local number)

# Readings your organisation tracks beyond the built-in ones (blood
# pressure, glucose, weight, steps, sleep, mood, pain): a name the coach
# types before the value, its unit, and the range it must be in.
# readings:
#   - name: peak flow
#     unit: L/min
#     min: 50
#     max: 900
`

// Parse reads a settings file. Problems come with the file name and line;
// with any problem the defaults are returned for the settings in error, so
// a broken file never stops a call. A value holding a character a terminal
// would obey rather than show (coaching.UnsafeRune), raw or written as a
// YAML escape, is such a problem: the settings end up on the screen.
func Parse(name string, data []byte) (Config, []prompts.Problem) {
	cfg := Default()
	pr := &problems{file: name}
	if len(data) > MaxFileBytes {
		pr.add(0, "the file is larger than %d KB, the most a settings file may be; one is a few lines, so check this is the right file. The default settings are used until it is fixed", MaxFileBytes>>10)
		return cfg, pr.list
	}
	if !utf8.Valid(data) {
		pr.add(0, "the file is not UTF-8 text; save it as UTF-8 and try again")
		return cfg, pr.list
	}
	data = pr.scrub(data)
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line := 0
		msg := err.Error()
		if i := strings.Index(msg, "line "); i >= 0 {
			fmt.Sscanf(msg[i:], "line %d", &line)
		}
		pr.add(line, "the file cannot be read as YAML (%s); check the indentation and colons", strings.TrimPrefix(msg, "yaml: "))
		return cfg, pr.list
	}
	if len(doc.Content) == 0 {
		return cfg, pr.list // empty or only comments: all defaults
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		pr.add(root.Line, `the file should be settings, one per line, like "role: coach"`)
		return cfg, pr.list
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if pr.unsafe(k, "the name of a setting") {
			continue
		}
		if first, ok := seen[k.Value]; ok {
			pr.add(k.Line, "%q is given twice (first on line %d); keep one", k.Value, first)
			continue
		}
		seen[k.Value] = k.Line
		if k.Value == "safety" {
			cfg.Safety = parseSafety(v, pr)
			continue
		}
		if k.Value == "readings" {
			cfg.Readings = parseReadings(v, pr)
			continue
		}
		if v.Kind != yaml.ScalarNode {
			pr.add(v.Line, "%q should be a single value on its line", k.Value)
			continue
		}
		if pr.unsafe(v, "the value of "+k.Value) {
			continue
		}
		switch k.Value {
		case "coach":
			name := strings.TrimSpace(v.Value)
			if utf8.RuneCountInString(name) > MaxCoachName {
				pr.add(v.Line, "coach should be your name, at most %d characters", MaxCoachName)
				continue
			}
			cfg.Coach = name
		case "role":
			r, err := coaching.ParseRole(strings.TrimSpace(v.Value))
			if err != nil {
				pr.add(v.Line, "role should be coach or peer, not %q", v.Value)
				continue
			}
			cfg.Role = r
		case "call_minutes":
			n, err := strconv.Atoi(strings.TrimSpace(v.Value))
			if err != nil || n < 0 || n > MaxCallMinutes {
				pr.add(v.Line, "call_minutes should be a whole number of minutes from 0 to %d, not %q", MaxCallMinutes, v.Value)
				continue
			}
			cfg.CallTarget = time.Duration(n) * time.Minute
		case "retry_minutes":
			n, err := strconv.Atoi(strings.TrimSpace(v.Value))
			if err != nil || n < 0 || n > MaxRetryMinutes {
				pr.add(v.Line, "retry_minutes should be a whole number of minutes from 0 to %d (a week), not %q", MaxRetryMinutes, v.Value)
				continue
			}
			cfg.Retry.Delay = time.Duration(n) * time.Minute
		case "retry_max_attempts":
			n, err := strconv.Atoi(strings.TrimSpace(v.Value))
			if err != nil || n < 0 || n > MaxRetryAttempts {
				pr.add(v.Line, "retry_max_attempts should be a whole number from 0 (no limit) to %d, not %q", MaxRetryAttempts, v.Value)
				continue
			}
			cfg.Retry.MaxAttempts = n
		case "retry_hours":
			w, err := coaching.ParseCallWindow(v.Value, time.UTC)
			if err != nil {
				pr.add(v.Line, "retry_hours: %v", err)
				continue
			}
			if !w.Understood() {
				pr.add(v.Line, "retry_hours is empty; give hours such as 09:00-20:00, or leave the line out")
				continue
			}
			cfg.Retry.Hours = w
		case "lock_after":
			d, ok := parseLockAfter(strings.TrimSpace(v.Value))
			if !ok {
				pr.add(v.Line, "lock_after should be a time from 10s to 8h, such as 90s, 5m or 1h, or 0 for no lock when idle; not %q", v.Value)
				continue
			}
			cfg.LockAfter, cfg.LockAfterSet = d, true
		case "target_weeks":
			n, err := strconv.Atoi(strings.TrimSpace(v.Value))
			if err != nil || n < coaching.MinTargetWeeks || n > coaching.MaxTargetWeeks {
				pr.add(v.Line, "target_weeks should be a whole number of weeks from %d to %d, not %q", coaching.MinTargetWeeks, coaching.MaxTargetWeeks, v.Value)
				continue
			}
			cfg.TargetWeeks = n
		case "prompts":
			p := strings.TrimSpace(v.Value)
			if p == "" {
				pr.add(v.Line, "prompts should name a file")
				continue
			}
			cfg.PromptsPath = p
		case "database":
			d := strings.TrimSpace(v.Value)
			if d == "" {
				pr.add(v.Line, "database should name a file or a postgres:// URL")
				continue
			}
			if strings.HasPrefix(d, "postgres://") || strings.HasPrefix(d, "postgresql://") {
				u, err := url.Parse(d)
				if err != nil {
					pr.add(v.Line, "database is not a URL callcoach can read: write it as postgres://USER@HOST/DATABASE")
					continue
				}
				if _, has := u.User.Password(); has {
					pr.add(v.Line, "database holds a password, which anyone who can read this file can see; keep it in ~/.pgpass instead")
				}
			}
			cfg.Database = d
		case "summary_template":
			p := strings.TrimSpace(v.Value)
			if p == "" {
				pr.add(v.Line, "summary_template should name a file")
				continue
			}
			cfg.SummaryTemplatePath = p
		default:
			pr.add(k.Line, "unknown setting %q; the settings are coach, role, call_minutes, retry_minutes, retry_max_attempts, retry_hours, lock_after, target_weeks, prompts, summary_template, database, safety and readings", k.Value)
		}
	}
	return cfg, pr.list
}

// parseLockAfter reads lock_after: 0 (or 0s), or a duration (90s, 5m,
// 1h30m) within the bounds.
func parseLockAfter(s string) (time.Duration, bool) {
	if s == "0" {
		return 0, true
	}
	d, err := time.ParseDuration(s)
	if err != nil || (d != 0 && d < MinLockAfter) || d > MaxLockAfter {
		return 0, false
	}
	return d, true
}

// problems collects what is wrong with a settings file.
type problems struct {
	file     string
	list     []prompts.Problem
	scrubbed bool // scrub replaced characters; their lines are reported
}

func (p *problems) add(line int, format string, args ...any) {
	p.list = append(p.list, prompts.Problem{File: p.file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// scrub reports each line holding a character a terminal would obey
// (other than tab, and the line ends), and returns data with those
// characters replaced by U+FFFD. The YAML reader would refuse the whole
// file without saying where; this way only the settings on those lines
// are lost (unsafe refuses a value holding U+FFFD).
func (p *problems) scrub(data []byte) []byte {
	line, reported := 1, 0
	var out []byte
	for i, r := range string(data) {
		switch {
		case r == '\n':
			line++
		case r == '\t' || r == '\r' || !coaching.UnsafeRune(r):
		default:
			if reported != line {
				p.add(line, "this line has %s in it, which a terminal would act on instead of showing; delete it (retyping the line is the surest way)", coaching.DescribeRune(r))
				reported = line
			}
			if out == nil {
				out = append(make([]byte, 0, len(data)+64), data[:i]...)
			}
			out = utf8.AppendRune(out, utf8.RuneError)
			continue
		}
		if out != nil {
			out = utf8.AppendRune(out, r)
		}
	}
	if out == nil {
		return data
	}
	p.scrubbed = true
	return out
}

// unsafe reports whether n's value (trimmed, as it would be used) holds a
// character a terminal would obey, adding a problem at its line unless
// scrub reported it already. Every setting is a single line of text.
func (p *problems) unsafe(n *yaml.Node, what string) bool {
	t := strings.TrimSpace(n.Value)
	if p.scrubbed && strings.ContainsRune(t, utf8.RuneError) {
		return true
	}
	i, r := coaching.FirstUnsafe(t, false)
	switch {
	case i < 0:
		return false
	case r == '\n':
		p.add(n.Line, "%s should be text on one line", what)
	default:
		p.add(n.Line, "%s has %s in it, which a terminal would act on instead of showing; remove it", what, coaching.DescribeRune(r))
	}
	return true
}

// maxSafetyText bounds one step or contact field.
const maxSafetyText = 500

// parseSafety reads the safety section: steps, a list of text, and
// contacts, a list of name and phone.
func parseSafety(n *yaml.Node, pr *problems) Safety {
	var s Safety
	if n.Kind != yaml.MappingNode {
		pr.add(n.Line, `"safety:" should be followed by "steps:" and "contacts:", indented`)
		return s
	}
	text := func(v *yaml.Node, what string) (string, bool) {
		t := strings.TrimSpace(v.Value)
		switch {
		case v.Kind != yaml.ScalarNode:
			pr.add(v.Line, "%s should be text on one line", what)
		case pr.unsafe(v, what):
		case t == "":
			pr.add(v.Line, "%s is empty", what)
		case utf8.RuneCountInString(t) > maxSafetyText:
			pr.add(v.Line, "%s is longer than %d characters", what, maxSafetyText)
		default:
			return t, true
		}
		return "", false
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if pr.unsafe(k, "a name under safety") {
			continue
		}
		switch k.Value {
		case "steps":
			if v.Kind != yaml.SequenceNode {
				pr.add(v.Line, `safety steps should be a list, one step per line starting with "- "`)
				continue
			}
			for _, item := range v.Content {
				if t, ok := text(item, "a safety step"); ok {
					s.Steps = append(s.Steps, t)
				}
			}
		case "contacts":
			if v.Kind != yaml.SequenceNode {
				pr.add(v.Line, `safety contacts should be a list, each starting with "- name:" and then "phone:"`)
				continue
			}
			for _, item := range v.Content {
				if item.Kind != yaml.MappingNode {
					pr.add(item.Line, `each safety contact needs "name:" and "phone:"`)
					continue
				}
				var c Contact
				refused := false // a field is there but cannot be used: that is the problem reported
				for j := 0; j+1 < len(item.Content); j += 2 {
					ck, cv := item.Content[j], item.Content[j+1]
					if pr.unsafe(ck, "a name in a safety contact") {
						refused = true
						continue
					}
					var ok bool
					switch ck.Value {
					case "name":
						c.Name, ok = text(cv, "a contact's name")
						refused = refused || !ok
					case "phone":
						c.Phone, ok = text(cv, "a contact's phone")
						refused = refused || !ok
					default:
						pr.add(ck.Line, "unknown field %q in a safety contact; use name and phone", ck.Value)
					}
				}
				if c.Name == "" || c.Phone == "" {
					if !refused {
						pr.add(item.Line, `this safety contact needs both "name:" and "phone:"`)
					}
					continue
				}
				s.Contacts = append(s.Contacts, c)
			}
		default:
			pr.add(k.Line, "unknown setting %q under safety; use steps and contacts", k.Value)
		}
	}
	return s
}

// Bounds on the organisation's own readings.
const (
	MaxReadings       = 20
	MaxReadingName    = 40
	MaxReadingUnit    = 20
	maxReadingBound   = 1e9
	readingNameFormat = "a reading's name should be words of letters (and digits after the first letter), such as peak flow"
)

// parseReadings reads the readings section: a list of name, unit, min and
// max. A kind with a problem is left out; the others are kept.
func parseReadings(n *yaml.Node, pr *problems) []coaching.CustomReading {
	if n.Kind != yaml.SequenceNode {
		pr.add(n.Line, `readings should be a list, each starting with "- name:" and then "unit:", "min:" and "max:"`)
		return nil
	}
	var out []coaching.CustomReading
	seen := map[string]int{}
	for _, item := range n.Content {
		if item.Kind != yaml.MappingNode {
			pr.add(item.Line, `each reading needs "name:", "unit:", "min:" and "max:"`)
			continue
		}
		var c coaching.CustomReading
		var hasMin, hasMax, bad bool
		for j := 0; j+1 < len(item.Content); j += 2 {
			k, v := item.Content[j], item.Content[j+1]
			if pr.unsafe(k, "a name in a reading") {
				bad = true
				continue
			}
			if v.Kind != yaml.ScalarNode {
				pr.add(v.Line, "a reading's %s should be a single value", k.Value)
				bad = true
				continue
			}
			if pr.unsafe(v, "a reading's "+k.Value) {
				bad = true
				continue
			}
			t := strings.TrimSpace(v.Value)
			switch k.Value {
			case "name":
				c.Name = strings.ToLower(strings.Join(strings.Fields(t), " "))
				switch {
				case !readingName(c.Name):
					pr.add(v.Line, readingNameFormat+", not %q", t)
					bad = true
				case utf8.RuneCountInString(c.Name) > MaxReadingName:
					pr.add(v.Line, "a reading's name is longer than %d characters", MaxReadingName)
					bad = true
				case coaching.ReadingNameTaken(c.Name):
					pr.add(v.Line, "%q is a built-in reading already; give yours another name", t)
					bad = true
				}
			case "unit":
				c.Unit = t
				if t == "" || strings.ContainsAny(t, " \t") || utf8.RuneCountInString(t) > MaxReadingUnit || strings.IndexFunc(t, unicode.IsDigit) == 0 {
					pr.add(v.Line, "a reading's unit should be one word of at most %d characters, not starting with a digit, such as L/min; not %q", MaxReadingUnit, t)
					bad = true
				}
			case "min", "max":
				f, err := strconv.ParseFloat(t, 64)
				if err != nil || math.IsNaN(f) || math.Abs(f) > maxReadingBound {
					pr.add(v.Line, "a reading's %s should be a number, not %q", k.Value, t)
					bad = true
					continue
				}
				if k.Value == "min" {
					c.Min, hasMin = f, true
				} else {
					c.Max, hasMax = f, true
				}
			default:
				pr.add(k.Line, "unknown field %q in a reading; use name, unit, min and max", k.Value)
			}
		}
		switch {
		case bad:
		case c.Name == "" || c.Unit == "" || !hasMin || !hasMax:
			pr.add(item.Line, `this reading needs "name:", "unit:", "min:" and "max:"`)
		case c.Min >= c.Max:
			pr.add(item.Line, "this reading's min (%g) should be below its max (%g)", c.Min, c.Max)
		case seen[c.Name] != 0:
			pr.add(item.Line, "the reading %q is given twice (first on line %d); keep one", c.Name, seen[c.Name])
		case len(out) == MaxReadings:
			pr.add(item.Line, "at most %d readings of your own; this one is left out", MaxReadings)
		default:
			seen[c.Name] = item.Line
			out = append(out, c)
		}
	}
	return out
}

// readingName: words of letters and digits, each starting with a letter,
// so the parser can tell where the name ends and the value starts.
func readingName(s string) bool {
	if s == "" {
		return false
	}
	for _, w := range strings.Split(s, " ") {
		for i, r := range w {
			if !(unicode.IsLetter(r) || (i > 0 && (unicode.IsDigit(r) || r == '-'))) {
				return false
			}
		}
	}
	return true
}
