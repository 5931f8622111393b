package coaching

import (
	"strings"
	"testing"
	"time"
)

func TestOutcomeKinds(t *testing.T) {
	tests := []struct {
		o                             Outcome
		attempt, unanswered, spoke, q bool // q: offered as a quick attempt
	}{
		{OutcomeReached, true, false, true, false},
		{OutcomeNoAnswer, true, true, false, true},
		{OutcomeVoicemail, true, true, false, true},
		{OutcomeRescheduled, true, false, true, true},
		{OutcomeDeclined, true, false, true, true},
		{OutcomeWrongNumber, true, false, false, true},
		{OutcomeMistake, false, false, false, false},
		{OutcomeNone, false, false, false, false},
		{Outcome("lost"), false, false, false, false},
	}
	for _, tc := range tests {
		offered := false
		for _, c := range AttemptChoices {
			offered = offered || c.Outcome == tc.o
		}
		if tc.o.IsAttempt() != tc.attempt || tc.o.Unanswered() != tc.unanswered || tc.o.SpokeToThem() != tc.spoke || offered != tc.q {
			t.Errorf("%q: attempt %v, unanswered %v, spoke %v, offered %v; want %v %v %v %v", tc.o,
				tc.o.IsAttempt(), tc.o.Unanswered(), tc.o.SpokeToThem(), offered, tc.attempt, tc.unanswered, tc.spoke, tc.q)
		}
	}
	if len(AttemptChoices) != 5 {
		t.Errorf("%d attempt choices, want the issue's five", len(AttemptChoices))
	}
}

func TestParseAttemptOutcome(t *testing.T) {
	tests := []struct {
		in      string
		want    Outcome
		wantErr string
	}{
		{in: "no-answer", want: OutcomeNoAnswer},
		{in: "no_answer", want: OutcomeNoAnswer},
		{in: " No Answer ", want: OutcomeNoAnswer},
		{in: "voicemail", want: OutcomeVoicemail},
		{in: "left voicemail", want: OutcomeVoicemail},
		{in: "wrong-number", want: OutcomeWrongNumber},
		{in: "declined", want: OutcomeDeclined},
		{in: "RESCHEDULED", want: OutcomeRescheduled},
		{in: "reached", wantErr: `"reached" is not an attempt's outcome; use one of no-answer, voicemail, rescheduled, declined, wrong-number`},
		{in: "opened_by_mistake", wantErr: "not an attempt's outcome"},
		{in: "", wantErr: `"" is not`},
		{in: "busy", wantErr: `"busy" is not`},
	}
	for _, tc := range tests {
		got, err := ParseAttemptOutcome(tc.in)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("ParseAttemptOutcome(%q) = %q, %v; want an error with %q", tc.in, got, err, tc.wantErr)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseAttemptOutcome(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestAttemptCounting(t *testing.T) {
	london := mustLoad(t, "Europe/London")
	tests := []struct {
		now         time.Time
		today, week string
	}{
		{time.Date(2026, 11, 30, 12, 0, 0, 0, london), "2026-11-30 00:00 GMT", "2026-11-24 00:00 GMT"},
		{time.Date(2026, 11, 30, 0, 0, 0, 0, london), "2026-11-30 00:00 GMT", "2026-11-24 00:00 GMT"},
		// The week runs over the clock change: seven calendar days, 167 hours.
		{time.Date(2026, 4, 1, 9, 0, 0, 0, london), "2026-04-01 00:00 BST", "2026-03-26 00:00 GMT"},
		{time.Date(2026, 11, 30, 23, 0, 0, 0, time.UTC), "2026-11-30 00:00 GMT", "2026-11-24 00:00 GMT"},
	}
	for _, tc := range tests {
		today, week := AttemptCounting(tc.now, london)
		if got := today.Format("2006-01-02 15:04 MST"); got != tc.today {
			t.Errorf("AttemptCounting(%s): today from %s, want %s", tc.now, got, tc.today)
		}
		if got := week.Format("2006-01-02 15:04 MST"); got != tc.week {
			t.Errorf("AttemptCounting(%s): week from %s, want %s", tc.now, got, tc.week)
		}
	}
	// The same instant is already tomorrow for a coach in Sydney.
	sydney := mustLoad(t, "Australia/Sydney")
	today, _ := AttemptCounting(time.Date(2026, 11, 30, 23, 0, 0, 0, time.UTC), sydney)
	if got := today.Format("2006-01-02 15:04"); got != "2026-12-01 00:00" {
		t.Errorf("Sydney's today starts %s, want 2026-12-01 00:00", got)
	}
}

func TestRetryPropose(t *testing.T) {
	london := mustLoad(t, "Europe/London")
	newYork := mustLoad(t, "America/New_York")
	window := func(s string, loc *time.Location) CallWindow {
		w, err := ParseCallWindow(s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return w
	}
	monNoon := time.Date(2026, 11, 30, 12, 0, 0, 0, london)
	rule := DefaultRetryRule()
	tests := []struct {
		name       string
		rule       *RetryRule // nil: the default
		o          Outcome
		unanswered int
		now        time.Time
		w          CallWindow
		at         string // in the window's zone, "" for no retry
		why        string // a part of Why
		instead    string // a part of Instead
	}{
		{"no answer: two hours later, inside their window", nil, OutcomeNoAnswer, 1, monNoon, window("weekdays 12:00-18:00", london),
			"Mon 30 Nov 14:00 GMT", "2 hours later, inside their window", ""},
		{"two hours later is outside: the next opening", nil, OutcomeNoAnswer, 1, monNoon, window("lunch time", london),
			"Tue 1 Dec 12:00 GMT", "2 hours later is outside their window: moved to when it opens", ""},
		{"voicemail late on a Friday: Monday morning", nil, OutcomeVoicemail, 2, time.Date(2026, 12, 4, 16, 30, 0, 0, london), window("weekdays 09:00-17:00", london),
			"Mon 7 Dec 09:00 GMT", "moved to when it opens", ""},
		{"a window over midnight", nil, OutcomeNoAnswer, 1, monNoon, window("22:00-01:00", london),
			"Mon 30 Nov 22:00 GMT", "outside their window", ""},
		{"their window on their clock", nil, OutcomeNoAnswer, 1, monNoon, window("weekdays 12:00-14:00", newYork),
			"Mon 30 Nov 12:00 EST", "moved to when it opens", ""},
		{"no window: within the rule's hours", nil, OutcomeNoAnswer, 1, monNoon, ReadCallWindow("", london),
			"Mon 30 Nov 14:00 GMT", "2 hours later, inside 09:00-20:00 their time (no call window known)", ""},
		{"no window, evening: the next morning", nil, OutcomeNoAnswer, 1, time.Date(2026, 11, 30, 19, 0, 0, 0, london), ReadCallWindow("", london),
			"Tue 1 Dec 09:00 GMT", "is outside 09:00-20:00 their time (no call window known): moved to when it opens", ""},
		{"words not understood count as no window", nil, OutcomeNoAnswer, 1, time.Date(2026, 11, 30, 19, 0, 0, 0, london), ReadCallWindow("after her dialysis", london),
			"Tue 1 Dec 09:00 GMT", "no call window known", ""},
		{"free text read from their words is used", nil, OutcomeNoAnswer, 1, monNoon, ReadCallWindow("weekday mornings before 11", london),
			"Tue 1 Dec 08:00 GMT", "outside their window", ""},
		{"the zero window is UTC", nil, OutcomeNoAnswer, 1, time.Date(2026, 11, 30, 19, 0, 0, 0, time.UTC), CallWindow{},
			"Tue 1 Dec 09:00 UTC", "no call window known", ""},

		// The limit: unanswered attempts in seven days, this one included.
		{"below the limit", nil, OutcomeNoAnswer, 2, monNoon, window("weekdays 12:00-18:00", london),
			"Mon 30 Nov 14:00 GMT", "2 hours later", ""},
		{"at the limit: another route", nil, OutcomeNoAnswer, 3, monNoon, window("weekdays 12:00-18:00", london),
			"", "", "3 tries in seven days without reaching them: rather than call again, try another way: a letter or a text message, or ask their GP or care team"},
		{"over the limit, a voicemail", nil, OutcomeVoicemail, 7, monNoon, ReadCallWindow("", london),
			"", "", "7 tries in seven days"},
		{"no limit", &RetryRule{Delay: time.Hour, Hours: rule.Hours}, OutcomeNoAnswer, 50, monNoon, ReadCallWindow("", london),
			"Mon 30 Nov 13:00 GMT", "1 hour later", ""},
		{"a limit of one", &RetryRule{Delay: time.Hour, MaxAttempts: 1}, OutcomeNoAnswer, 1, monNoon, ReadCallWindow("", london),
			"", "", "1 try in seven days"},

		// Outcomes that propose no retry.
		{"wrong number", nil, OutcomeWrongNumber, 0, monNoon, window("weekdays 12:00-18:00", london),
			"", "", "Wrong number: no retry. Check their number with their GP or care team, or write to them."},
		{"declined", nil, OutcomeDeclined, 0, monNoon, window("weekdays 12:00-18:00", london),
			"", "", "They said no: no retry."},
		{"reached: nothing to propose", nil, OutcomeReached, 0, monNoon, window("weekdays 12:00-18:00", london), "", "", ""},
		{"opened by mistake", nil, OutcomeMistake, 0, monNoon, window("weekdays 12:00-18:00", london), "", "", ""},
		{"not ended", nil, OutcomeNone, 0, monNoon, window("weekdays 12:00-18:00", london), "", "", ""},

		// Rescheduled: proposed for the coach to change; not counted.
		{"rescheduled", nil, OutcomeRescheduled, 9, monNoon, window("weekdays 12:00-18:00", london),
			"Mon 30 Nov 14:00 GMT", "They asked for another time: change this to the time they gave. Proposed: 2 hours later", ""},

		// Delays: none, negative, odd lengths. Never before now.
		{"no delay, inside now", &RetryRule{Hours: rule.Hours}, OutcomeNoAnswer, 1, monNoon, window("weekdays 12:00-18:00", london),
			"Mon 30 Nov 12:00 GMT", "now, inside their window", ""},
		{"a negative delay is none", &RetryRule{Delay: -3 * time.Hour, Hours: rule.Hours}, OutcomeNoAnswer, 1, monNoon, window("weekdays 12:00-18:00", london),
			"Mon 30 Nov 12:00 GMT", "now, inside", ""},
		{"90 minutes", &RetryRule{Delay: 90 * time.Minute, Hours: rule.Hours}, OutcomeNoAnswer, 1, monNoon, window("weekdays 12:00-18:00", london),
			"Mon 30 Nov 13:30 GMT", "90 minutes later", ""},
		{"a day", &RetryRule{Delay: 24 * time.Hour, Hours: rule.Hours}, OutcomeNoAnswer, 1, monNoon, window("weekdays 12:00-18:00", london),
			"Tue 1 Dec 12:00 GMT", "1 day later", ""},
		{"no hours and no window: the delay alone", &RetryRule{Delay: 2 * time.Hour}, OutcomeNoAnswer, 1, time.Date(2026, 11, 30, 23, 0, 0, 0, london), ReadCallWindow("", london),
			"Tue 1 Dec 01:00 GMT", "2 hours later (no call window known)", ""},

		// Clock changes: the delay is real time, the window their clock.
		{"New York, the night the clocks go forward", nil, OutcomeNoAnswer, 1, time.Date(2026, 3, 7, 23, 0, 0, 0, newYork), ReadCallWindow("", newYork),
			"Sun 8 Mar 09:00 EDT", "moved to when it opens", ""},
		{"London, two hours across the skipped hour", nil, OutcomeNoAnswer, 1, time.Date(2026, 3, 28, 23, 30, 0, 0, london), window("sun 01:00-03:00", london),
			"Sun 29 Mar 02:30 BST", "2 hours later, inside their window", ""},
		{"London, the night the clocks go back", nil, OutcomeNoAnswer, 1, time.Date(2026, 10, 24, 23, 30, 0, 0, london), window("sun 01:00-03:00", london),
			"Sun 25 Oct 01:30 BST", "2 hours later, inside their window", ""},
	}
	for _, tc := range tests {
		r := rule
		if tc.rule != nil {
			r = *tc.rule
		}
		p := r.Propose(tc.o, tc.unanswered, tc.now, tc.w)
		if tc.at == "" {
			if p.Retry() {
				t.Errorf("%s: a retry at %s, want none", tc.name, p.At)
			}
		} else {
			if got := p.At.In(tc.w.Location()).Format("Mon 2 Jan 15:04 MST"); !p.Retry() || got != tc.at {
				t.Errorf("%s: retry at %s (%v), want %s", tc.name, got, p.Retry(), tc.at)
			}
			if p.At.Before(tc.now) {
				t.Errorf("%s: retry %s is before now %s", tc.name, p.At, tc.now)
			}
			if p.At.Location() != tc.w.Location() {
				t.Errorf("%s: retry in %v, want their zone", tc.name, p.At.Location())
			}
		}
		if !strings.Contains(p.Why, tc.why) || tc.why == "" && p.Why != "" {
			t.Errorf("%s: why %q, want %q", tc.name, p.Why, tc.why)
		}
		if !strings.Contains(p.Instead, tc.instead) || tc.instead == "" && p.Instead != "" {
			t.Errorf("%s: instead %q, want %q", tc.name, p.Instead, tc.instead)
		}
	}
}

func TestDefaultRetryRule(t *testing.T) {
	r := DefaultRetryRule()
	if r.Delay != 2*time.Hour || r.MaxAttempts != 3 || r.Hours.String() != DefaultRetryHours || !r.Hours.Understood() {
		t.Errorf("default rule %+v", r)
	}
}

func TestParseRetry(t *testing.T) {
	london, _ := time.LoadLocation("Europe/London")
	now := time.Date(2026, 11, 30, 14, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		in      string
		want    time.Time
		wantErr string
	}{
		{"", time.Time{}, ""},
		{"  ", time.Time{}, ""},
		{"+90m", now.Add(90 * time.Minute), ""},
		{"+2h", now.Add(2 * time.Hour), ""},
		{"+ 1d", now.Add(24 * time.Hour), ""},
		{"tomorrow 10:00", time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC), ""},
		{"+0h", time.Time{}, "is not a delay"},
		{"+1w", time.Time{}, "is not a delay"},
		{"+2 weeks", time.Time{}, "is not a delay"},
		{"+45000m", time.Time{}, "is not a delay"},
		{"2020-01-01 10:00", time.Time{}, "in the past"},
		{"after lunch", time.Time{}, "not a date I can read"},
	} {
		got, err := ParseRetry(c.in, now, london)
		if c.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("ParseRetry(%q) = %v, %v; want an error with %q", c.in, got, err, c.wantErr)
			}
			continue
		}
		if err != nil || !got.Equal(c.want) {
			t.Errorf("ParseRetry(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
}
