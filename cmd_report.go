package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"callcoach/coaching"
	"callcoach/storage"
	"callcoach/tui"
)

const reportUsage = `Usage:
  callcoach report [--from DATE] [--to DATE] [--format text|csv|json] [--coach NAME] [--db PATH]

Prints your own practice week by week (weeks start on Monday, on your
clock): calls made and reached, minutes talked, plans made and how many
reached confidence 7 or more, follow-ups kept on time, change talk per
reached call, and the MI tally (R:Q and %CR with the counts behind them,
against the MITI 4.2.1 thresholds). DATEs are YYYY-MM-DD; --to is the last
day counted. By default: the 12 weeks to today, this week included.
Only counts: no names, notes or quotes, so it is yours to share with a
supervisor if you choose. Safe to run while callcoach is open.

On a team database (--db postgres://...) a coach's report is their own:
the calls and plans their records carry their name on, and the follow-ups
of the people in their caseload now. A supervisor (or the database's
owner) gets every coach's report in turn and then the whole team's; with
--coach NAME (a coach's name or login) only that coach's, in any format.
Without --coach, csv and json hold the whole team's.
`

// reportWeeks is how many weeks the report covers by default.
const reportWeeks = 12

// runReport prints the coach's own practice.
func runReport(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, reportUsage) }
	fromFlag := fs.String("from", "", "the first day, YYYY-MM-DD")
	toFlag := fs.String("to", "", "the last day, YYYY-MM-DD")
	format := fs.String("format", "text", "text, csv or json")
	dbPath := fs.String("db", "", "the database file")
	coachFlag := fs.String("coach", "", "on a team database: one coach's report, by name or login")
	if code, ok := parseCommand(fs, args, stderr); !ok {
		return code
	}
	if *format != "text" && *format != "csv" && *format != "json" {
		fmt.Fprintf(stderr, "callcoach: --format is text, csv or json, not %q.\n", *format)
		return 2
	}
	now, loc := time.Now(), time.Local
	from, to, err := reportPeriod(*fromFlag, *toFlag, now, loc)
	if err != nil {
		fmt.Fprintf(stderr, "callcoach: %v.\n", err)
		return 2
	}
	ctx := context.Background()
	store, ok := openExisting(ctx, commandDB(*dbPath), "report on", stderr)
	if !ok {
		return 1
	}
	defer store.Close()
	reports, err := teamReports(ctx, store, *coachFlag, *format == "text", from, to, loc)
	if err != nil {
		fmt.Fprintln(stderr, "callcoach:", err)
		return 1
	}
	if len(reports) > 1 {
		var lines []string
		for _, r := range reports {
			report := tui.PracticeReport(r.practice)
			if len(report) > 0 { // a supervisor's: not "Your practice"
				report[0] = strings.Replace(report[0], "Your practice", "Practice", 1)
			}
			lines = append(lines, "== "+r.who+" ==")
			lines = append(append(lines, report...), "")
		}
		if _, err := fmt.Fprint(stdout, strings.Join(lines, "\n")); err != nil {
			fmt.Fprintln(stderr, "callcoach:", err)
			return 1
		}
		return 0
	}
	p := reports[0].practice
	switch *format {
	case "csv":
		err = printReportCSV(stdout, p)
	case "json":
		err = printReportJSON(stdout, p)
	default:
		_, err = fmt.Fprintln(stdout, strings.Join(tui.PracticeReport(p), "\n"))
	}
	if err != nil {
		fmt.Fprintln(stderr, "callcoach:", err)
		return 1
	}
	return 0
}

// coachReport is one report and whose it is ("" for the only one).
type coachReport struct {
	who      string
	practice coaching.Practice
}

// teamReports counts the practice the report prints: on a file, the
// file's; on a team database, a coach's own, or for a supervisor or the
// owner the coach asked for (coach, by name or login), or else every
// coach's in turn and the team's (all, for text) or the team's alone.
func teamReports(ctx context.Context, store *storage.Store, coach string, all bool, from, to time.Time, loc *time.Location) ([]coachReport, error) {
	one := func(c storage.TeamCoach, who string) ([]coachReport, error) {
		p, err := store.PracticeOf(ctx, c, from, to, loc)
		return []coachReport{{who, p}}, err
	}
	if !store.Team() {
		if coach != "" {
			return nil, fmt.Errorf("--coach is for a team database; a file holds one coach's practice")
		}
		return one(storage.TeamCoach{}, "")
	}
	login, err := store.Login(ctx)
	if err != nil {
		return nil, err
	}
	if login.Coach {
		if coach != "" && coach != login.Role && coach != login.Name {
			return nil, fmt.Errorf("a coach's report is their own; a supervisor reads another coach's")
		}
		if login.Name == "" {
			return nil, fmt.Errorf("the login %s has no name in the team's coaches, so its records cannot be told from others'; the database's owner adds it (docs/architecture.md, \"Coaches and who sees what\")", login.Role)
		}
		return one(storage.TeamCoach{Role: login.Role, Name: login.Name}, "")
	}
	coaches, err := store.TeamCoaches(ctx)
	if err != nil {
		return nil, err
	}
	if coach != "" {
		var names []string
		for _, c := range coaches {
			if coach == c.Role || coach == c.Name {
				return one(c, "")
			}
			names = append(names, c.Name+" ("+c.Role+")")
		}
		return nil, fmt.Errorf("no coach of the team is called %q; its coaches are: %s", coaching.StripUnsafe(coach, false), coaching.StripUnsafe(strings.Join(names, ", "), false))
	}
	var out []coachReport
	if all {
		for _, c := range coaches {
			r, err := one(c, coaching.StripUnsafe(c.Name, false)+" ("+coaching.StripUnsafe(c.Role, false)+")")
			if err != nil {
				return nil, err
			}
			out = append(out, r...)
		}
	}
	team, err := one(storage.TeamCoach{}, "The whole team")
	return append(out, team...), err
}

// reportPeriod reads --from and --to as days on the coach's clock and
// gives the period [from, to): to is the end of the last day, or now when
// that day has not ended, so follow-ups due later today are not yet
// judged. By default it is the reportWeeks weeks up to today.
func reportPeriod(fromText, toText string, now time.Time, loc *time.Location) (from, to time.Time, err error) {
	day := func(flagName, s string) (time.Time, error) {
		d, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(s), loc)
		if err != nil {
			return d, fmt.Errorf("--%s wants a day as YYYY-MM-DD, such as %s, not %q", flagName, now.In(loc).Format(time.DateOnly), s)
		}
		return d, nil
	}
	to = now
	if toText != "" {
		last, err := day("to", toText)
		if err != nil {
			return from, to, err
		}
		if end := last.AddDate(0, 0, 1); end.Before(now) {
			to = end
		}
	}
	if fromText == "" {
		from = coaching.WeekStart(to.Add(-time.Nanosecond), loc).AddDate(0, 0, -7*(reportWeeks-1))
	} else if from, err = day("from", fromText); err != nil {
		return from, to, err
	}
	if !from.Before(to) {
		return from, to, fmt.Errorf("--from %s is not before --to; the report would be empty", from.Format(time.DateOnly))
	}
	return from, to, nil
}

// reportColumns are the CSV's header; reportRecord.values gives a row.
var reportColumns = []string{"week_start", "from", "to", "calls", "reached", "minutes", "plans", "plans_confident_7",
	"follow_ups_due", "follow_ups_on_time", "change_talk", "change_talk_per_call",
	"open_questions", "closed_questions", "simple_reflections", "complex_reflections", "affirmations", "summaries", "mi_inconsistent",
	"rq", "rq_judged", "pct_cr", "pct_cr_judged"}

// reportRecord is a week (or the whole period) of `callcoach report
// --format json`: the counts, and the derived scores with their verdicts
// (null when undefined).
type reportRecord struct {
	WeekStart         string   `json:"week_start,omitempty"`
	From              string   `json:"from"`
	To                string   `json:"to"`
	Calls             int      `json:"calls"`
	Reached           int      `json:"reached"`
	Minutes           int      `json:"minutes"`
	Plans             int      `json:"plans"`
	PlansConfident    int      `json:"plans_confident_7"`
	FollowUpsDue      int      `json:"follow_ups_due"`
	FollowUpsOnTime   int      `json:"follow_ups_on_time"`
	ChangeTalk        int      `json:"change_talk"`
	ChangeTalkPerCall *float64 `json:"change_talk_per_call"`
	Tally             struct {
		OpenQuestions      int `json:"open_questions"`
		ClosedQuestions    int `json:"closed_questions"`
		SimpleReflections  int `json:"simple_reflections"`
		ComplexReflections int `json:"complex_reflections"`
		Affirmations       int `json:"affirmations"`
		Summaries          int `json:"summaries"`
		MIInconsistent     int `json:"mi_inconsistent"`
	} `json:"tally"`
	RQ          *float64 `json:"rq"`
	RQJudged    string   `json:"rq_judged"`
	PctCR       *float64 `json:"pct_cr"`
	PctCRJudged string   `json:"pct_cr_judged"`
}

func newReportRecord(weekStart string, from, to time.Time, c coaching.PracticeCounts) reportRecord {
	r := reportRecord{WeekStart: weekStart, From: from.Format(time.RFC3339), To: to.Format(time.RFC3339),
		Calls: c.Calls, Reached: c.Reached, Minutes: c.Minutes(), Plans: c.Plans, PlansConfident: c.PlansConfident,
		FollowUpsDue: c.FollowUpsDue, FollowUpsOnTime: c.FollowUpsOnTime, ChangeTalk: c.ChangeTalk}
	if per, ok := c.ChangeTalkPerCall(); ok {
		r.ChangeTalkPerCall = &per
	}
	t := c.Tally
	r.Tally.OpenQuestions, r.Tally.ClosedQuestions = t[coaching.TallyOpenQuestion], t[coaching.TallyClosedQuestion]
	r.Tally.SimpleReflections, r.Tally.ComplexReflections = t[coaching.TallySimpleReflection], t[coaching.TallyComplexReflect]
	r.Tally.Affirmations, r.Tally.Summaries, r.Tally.MIInconsistent = t[coaching.TallyAffirmation], t[coaching.TallySummary], t[coaching.TallyMIInconsistent]
	rq, pct := c.RQ(), c.PercentComplex()
	if rq.Defined {
		r.RQ = &rq.Value
	}
	if pct.Defined {
		r.PctCR = &pct.Value
	}
	r.RQJudged, r.PctCRJudged = c.Verdict(rq), c.Verdict(pct)
	return r
}

func (r reportRecord) values() []string {
	num := func(v *float64, prec int) string {
		if v == nil {
			return ""
		}
		return strconv.FormatFloat(*v, 'f', prec, 64)
	}
	it := strconv.Itoa
	t := r.Tally
	return []string{r.WeekStart, r.From, r.To, it(r.Calls), it(r.Reached), it(r.Minutes), it(r.Plans), it(r.PlansConfident),
		it(r.FollowUpsDue), it(r.FollowUpsOnTime), it(r.ChangeTalk), num(r.ChangeTalkPerCall, 2),
		it(t.OpenQuestions), it(t.ClosedQuestions), it(t.SimpleReflections), it(t.ComplexReflections), it(t.Affirmations), it(t.Summaries), it(t.MIInconsistent),
		num(r.RQ, 2), r.RQJudged, num(r.PctCR, 2), r.PctCRJudged}
}

// printReportCSV writes a header and a row a week; the whole period is
// left to whoever sums the columns (ratios are not summed: recompute them
// from the counts).
func printReportCSV(w io.Writer, p coaching.Practice) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(reportColumns); err != nil {
		return err
	}
	for _, wk := range p.Weeks {
		if err := cw.Write(newReportRecord(wk.Start.Format(time.DateOnly), wk.From, wk.To, wk.PracticeCounts).values()); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func printReportJSON(w io.Writer, p coaching.Practice) error {
	out := struct {
		From  string         `json:"from"`
		To    string         `json:"to"`
		Weeks []reportRecord `json:"weeks"`
		Total reportRecord   `json:"total"`
	}{From: p.From.Format(time.RFC3339), To: p.To.Format(time.RFC3339), Weeks: []reportRecord{},
		Total: newReportRecord("", p.From, p.To, p.Total)}
	for _, wk := range p.Weeks {
		out.Weeks = append(out.Weeks, newReportRecord(wk.Start.Format(time.DateOnly), wk.From, wk.To, wk.PracticeCounts))
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
