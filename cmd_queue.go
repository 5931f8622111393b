package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"callcoach/coaching"
	"callcoach/storage"
	"callcoach/tui"
)

const nextUsage = `Usage:
  callcoach next [--limit N] [--format text|json] [--db PATH]

Prints the Now queue: whom to call, most urgent first (an open safety flag,
then overdue, due now, later today; inside their call window first), with
each person's number (what callcoach log --person takes), their local time
and window, attempts today and this week, and the last outcome. Safe to run
while callcoach is open on the same file.
`

const logUsage = `Usage:
  callcoach log --person ID --outcome OUTCOME [--retry WHEN | --no-retry] [--db PATH] [--config PATH]

Records an attempt to reach someone without opening the call screen.
OUTCOME is one of no-answer, voicemail, wrong-number, declined, rescheduled.
Without --retry, the retry rule of the settings file proposes when to try
again (by default 2 hours later, inside their call window, at most 3
unanswered attempts in seven days) and it is set. --retry sets it yourself:
+2h, +90m, +1d, or a time as follow-ups take it (tomorrow 10:00, fri 9:30,
2026-12-01 14:00), on your clock. --no-retry sets none. Their one open
follow-up moves to the retry; if they have none, one is made.
Safe to run while callcoach is open on the same file.
`

// runNext prints the Now queue.
func runNext(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("next", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, nextUsage) }
	limit := fs.Int("limit", 20, "how many people to print")
	format := fs.String("format", "text", "text or json")
	dbPath := fs.String("db", "", "the database file")
	if code, ok := parseCommand(fs, args, stderr); !ok {
		return code
	}
	if *limit < 1 || *limit > 1000 {
		fmt.Fprintf(stderr, "callcoach: --limit wants a number from 1 to 1000, not %d.\n", *limit)
		return 2
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(stderr, "callcoach: --format is text or json, not %q.\n", *format)
		return 2
	}
	ctx := context.Background()
	store, ok := openExisting(ctx, commandDB(*dbPath), "read the queue from", stderr)
	if !ok {
		return 1
	}
	defer store.Close()
	now, loc := time.Now(), time.Local
	d := coaching.NewCoachDay(now, loc)
	rows, err := store.NowQueue(ctx, d, loc, *limit)
	if err != nil {
		fmt.Fprintln(stderr, "callcoach:", err)
		return 1
	}
	head, err := store.NowHeader(ctx, d, loc)
	if err != nil {
		fmt.Fprintln(stderr, "callcoach:", err)
		return 1
	}
	if *format == "json" {
		return printNextJSON(stdout, stderr, rows, now, loc)
	}
	fmt.Fprintln(stdout, tui.DayAtAGlance(head))
	if len(rows) == 0 {
		fmt.Fprintln(stdout, "Nobody to call now: no flags, nothing overdue or due today.")
		return 0
	}
	for _, r := range rows {
		fmt.Fprintln(stdout, nextLine(r, now, loc))
	}
	return 0
}

// nextLine is one person of the queue in a line of plain text: safe to
// print whatever was typed into their record.
func nextLine(r storage.QueueRow, now time.Time, loc *time.Location) string {
	parts := []string{
		fmt.Sprintf("no. %d", r.PersonID),
		plain(r.Name),
		r.Tier.String(),
		"their time " + now.In(r.Window.Location()).Format("Mon 15:04"),
	}
	if desc := r.Window.Describe(now, loc); desc != "" {
		parts = append(parts, desc)
	} else if r.CallTimes != "" {
		parts = append(parts, "call times: "+plain(r.CallTimes))
	} else {
		parts = append(parts, "no call times")
	}
	parts = append(parts, fmt.Sprintf("tries today %d, this week %d", r.AttemptsToday, r.AttemptsThisWeek))
	if r.LastOutcome != coaching.OutcomeNone {
		parts = append(parts, "last: "+r.LastOutcome.Label())
	}
	if !r.NextDue.IsZero() {
		parts = append(parts, "due "+r.NextDue.In(loc).Format("Mon 2 Jan 15:04"))
	}
	if r.Reason != "" {
		parts = append(parts, "for: "+plain(r.Reason))
	}
	if !r.Consent {
		parts = append(parts, "NO CONSENT RECORDED")
	}
	return strings.Join(parts, " · ")
}

// nextRecord is one person of the queue in `callcoach next --format json`.
type nextRecord struct {
	Person         int64  `json:"person"`
	Name           string `json:"name"`
	Tier           string `json:"tier"`
	TheirTime      string `json:"their_time"`
	TimeZone       string `json:"time_zone"`
	Window         string `json:"window"` // inside, outside or unknown
	WindowText     string `json:"window_text"`
	TriesToday     int    `json:"tries_today"`
	TriesThisWeek  int    `json:"tries_this_week"`
	LastOutcome    string `json:"last_outcome,omitempty"`
	Due            string `json:"due,omitempty"`
	Reason         string `json:"reason,omitempty"`
	Consent        bool   `json:"consent"`
	SafetyFlagOpen bool   `json:"safety_flag_open"`
}

func printNextJSON(stdout, stderr io.Writer, rows []storage.QueueRow, now time.Time, loc *time.Location) int {
	out := make([]nextRecord, 0, len(rows))
	for _, r := range rows {
		rec := nextRecord{Person: r.PersonID, Name: r.Name, Tier: r.Tier.String(),
			TheirTime: now.In(r.Window.Location()).Format(time.RFC3339), TimeZone: r.Window.Location().String(),
			Window: r.Window.State(now).String(), WindowText: r.CallTimes,
			TriesToday: r.AttemptsToday, TriesThisWeek: r.AttemptsThisWeek, LastOutcome: string(r.LastOutcome),
			Reason: r.Reason, Consent: r.Consent, SafetyFlagOpen: r.Flagged}
		if !r.NextDue.IsZero() {
			rec.Due = r.NextDue.UTC().Format(time.RFC3339)
		}
		out = append(out, rec)
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		fmt.Fprintln(stderr, "callcoach:", err)
		return 1
	}
	return 0
}

// runLog records an attempt.
func runLog(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("log", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, logUsage) }
	person := fs.String("person", "", "the person's number")
	outcomeFlag := fs.String("outcome", "", "no-answer, voicemail, wrong-number, declined or rescheduled")
	retryFlag := fs.String("retry", "", "when to try again: +2h, +90m, +1d, or a time such as tomorrow 10:00")
	noRetry := fs.Bool("no-retry", false, "set no retry")
	dbPath := fs.String("db", "", "the database file")
	configFlag := fs.String("config", "", "settings file (for the retry rule)")
	if code, ok := parseCommand(fs, args, stderr); !ok {
		return code
	}
	id, err := strconv.ParseInt(strings.TrimSpace(*person), 10, 64)
	if *person == "" || err != nil || id <= 0 {
		fmt.Fprintf(stderr, "callcoach: --person wants a person's number, such as 12 (callcoach next shows them), not %q.\n", *person)
		return 2
	}
	if *outcomeFlag == "" {
		fmt.Fprintln(stderr, "callcoach: say how the attempt ended with --outcome: no-answer, voicemail, wrong-number, declined or rescheduled.")
		return 2
	}
	outcome, err := coaching.ParseAttemptOutcome(*outcomeFlag)
	if err != nil {
		fmt.Fprintf(stderr, "callcoach: %v.\n", err)
		return 2
	}
	if *noRetry && *retryFlag != "" {
		fmt.Fprintln(stderr, "callcoach: give --retry or --no-retry, not both.")
		return 2
	}
	now, loc := time.Now(), time.Local
	var retry time.Time
	if *retryFlag != "" {
		if retry, err = coaching.ParseRetry(*retryFlag, now, loc); err != nil {
			var ask *coaching.TodayOrNextWeek
			if errors.As(err, &ask) {
				err = fmt.Errorf("%w; write the date to say which", err)
			}
			fmt.Fprintf(stderr, "callcoach: --retry: %v\n", err)
			return 2
		}
		if retry.IsZero() {
			fmt.Fprintln(stderr, "callcoach: --retry wants a time, such as +2h or tomorrow 10:00; --no-retry sets none.")
			return 2
		}
	}

	ctx := context.Background()
	store, ok := openExisting(ctx, commandDB(*dbPath), "log an attempt in", stderr)
	if !ok {
		return 1
	}
	defer store.Close()
	p, err := store.GetPerson(ctx, id)
	if errors.Is(err, storage.ErrNotFound) {
		fmt.Fprintf(stderr, "callcoach: there is no person number %d in %s; callcoach next lists them with their numbers.\n", id, store.Path())
		return 1
	}
	if err != nil {
		fmt.Fprintln(stderr, "callcoach:", err)
		return 1
	}
	theirs := p.Zone(loc)
	var proposal coaching.RetryProposal
	if retry.IsZero() && !*noRetry {
		cfg, warnings := loadRetrySettings(*configFlag)
		for _, w := range warnings {
			fmt.Fprintln(stderr, "callcoach:", w)
		}
		before, err := store.PersonAttempts(ctx, id, now, loc)
		if err != nil {
			fmt.Fprintln(stderr, "callcoach:", err)
			return 1
		}
		unanswered := before.UnansweredThisWeek
		if outcome.Unanswered() {
			unanswered++
		}
		proposal = cfg.Propose(outcome, unanswered, now, coaching.ReadCallWindow(p.CallTimes, theirs))
		retry = proposal.At
	}
	logged, err := store.LogAttempt(ctx, storage.Attempt{PersonID: id, Outcome: outcome, Retry: retry}, now)
	if err != nil {
		fmt.Fprintln(stderr, "callcoach:", err)
		return 1
	}
	name := plain(p.DisplayName())
	fmt.Fprintf(stdout, "Logged %s for %s (no. %d) at %s.\n", outcome.Label(), name, id, now.In(loc).Format("15:04"))
	switch {
	case !retry.IsZero():
		when := retry.In(theirs).Format("Mon 2 Jan 15:04") + " their time"
		if yours := retry.In(loc).Format("15:04"); yours != retry.In(theirs).Format("15:04") {
			when += " (" + yours + " yours)"
		}
		how := "set by you"
		if proposal.Retry() {
			how = proposal.Why
		}
		verb := "Next try"
		if logged.Moved {
			verb = "Their follow-up moved to"
		}
		fmt.Fprintf(stdout, "%s: %s (%s).\n", verb, when, how)
	case proposal.Instead != "":
		fmt.Fprintln(stdout, proposal.Instead)
	default:
		fmt.Fprintln(stdout, "No retry set.")
	}
	return 0
}

// loadRetrySettings is the retry rule of the settings file (or the
// default), and what was wrong with the file.
func loadRetrySettings(configPath string) (coaching.RetryRule, []string) {
	cfg, _, warnings := loadSettings(configPath, "")
	return cfg.Retry, warnings
}

// parseCommand parses a command's flags, which may come before or after
// anything else; it refuses positional arguments. ok is false when the
// command should end with code.
func parseCommand(fs *flag.FlagSet, args []string, stderr io.Writer) (code int, ok bool) {
	positional, err := parseInterleaved(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0, false
		}
		return 2, false
	}
	if len(positional) > 0 {
		fmt.Fprintf(stderr, "callcoach: unexpected %q\n", positional[0])
		fs.Usage()
		return 2, false
	}
	return 0, true
}

// plain is text from the file made safe to print on one line of a
// terminal: line breaks and tabs become spaces, other control characters
// (escape among them) their visible pictures, and bidirectional overrides
// are dropped, so nothing typed into a record can command the terminal.
func plain(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t' || r == '\r':
			return ' '
		case r < 0x20:
			return 0x2400 + r
		case r == 0x7F:
			return '\u2421'
		case r >= 0x80 && r <= 0x9F, r == utf8.RuneError:
			return '\uFFFD'
		case coaching.UnsafeRune(r):
			return -1
		}
		return r
	}, s)
}

// commandDB is the caseload a command works on: --db, or the settings
// file's database, or the file in your data folder.
func commandDB(flagPath string) string {
	if flagPath != "" {
		return flagPath
	}
	if d := settingsDatabase(""); d != "" {
		return d
	}
	return defaultPath("callcoach.db")
}
