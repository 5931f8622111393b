package storage

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"callcoach/coaching"
)

// maxPracticeWeeks bounds a report's period, so its week list stays well
// inside SQLite's limit on bound parameters (three a week).
const maxPracticeWeeks = 53 * 20

// Practice counts the coach's own practice over [from, to), week by week
// in loc (weeks start on Monday): calls made and reached, minutes talked,
// plans made and how many reached confidence 7, follow-ups kept on time
// (judged as of to), change talk and the MI tally. Calls, and what was
// noted in them, count in the week the call started; plans in the week
// they were made; follow-ups in the week they were due. Only counts come
// back: no names, notes or quotes.
func (s *Store) Practice(ctx context.Context, from, to time.Time, loc *time.Location) (coaching.Practice, error) {
	return s.PracticeOf(ctx, TeamCoach{}, from, to, loc)
}

// PracticeOf is Practice for one coach of a team database: the calls,
// tally, change talk and plans their records carry their name on, and the
// follow-ups of the people in their caseload now. The zero TeamCoach is
// everyone this login may read (on a file, the file's coach).
func (s *Store) PracticeOf(ctx context.Context, coach TeamCoach, from, to time.Time, loc *time.Location) (coaching.Practice, error) {
	p := coaching.NewPractice(from, to, loc)
	if len(p.Weeks) == 0 {
		return p, nil
	}
	if len(p.Weeks) > maxPracticeWeeks {
		return p, fmt.Errorf("a report covers at most %d years; ask for a shorter period", maxPracticeWeeks/53)
	}
	if coach != (TeamCoach{}) && !s.pg {
		return p, ErrNotTeam
	}
	weeks, args := practiceWeeks(p)
	steps := []func(context.Context, *coaching.Practice, string, []any, TeamCoach) error{
		s.practiceCalls, s.practiceTally, s.practiceTalk, s.practicePlans,
	}
	for _, step := range steps {
		if err := step(ctx, &p, weeks, args, coach); err != nil {
			return p, fmt.Errorf("count the practice: %w", err)
		}
	}
	if err := s.practiceFollowUps(ctx, &p, loc, coach); err != nil {
		return p, fmt.Errorf("count the practice: %w", err)
	}
	p.Sum()
	return p, nil
}

// byCoach narrows a weekly query to coach's records: the column col
// (calls' or plans' coach) holds their name. Each query has its WHERE
// last before GROUP BY.
func byCoach(query, col string, args []any, coach TeamCoach) (string, []any) {
	if coach == (TeamCoach{}) {
		return query, args
	}
	i := strings.LastIndex(query, "\nGROUP BY")
	return query[:i] + " AND " + col + " = ?" + query[i:], append(append([]any(nil), args...), coach.Name)
}

// practiceWeeks is the weeks of p as a common table expression, weeks(i,
// lo, hi), and its arguments: each week's bounds as stored times, so a
// join on a time column seeks its index once a week.
func practiceWeeks(p coaching.Practice) (string, []any) {
	var b strings.Builder
	b.WriteString("WITH weeks(i, lo, hi) AS (VALUES ")
	args := make([]any, 0, 3*len(p.Weeks))
	for i, w := range p.Weeks {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(CAST(? AS INTEGER), ?, ?)") // PostgreSQL would take an untyped number for text
		args = append(args, i, formatTime(w.From), formatTime(w.To))
	}
	b.WriteString(")\n")
	return b.String(), args
}

// The calls made each week: ended, not opened by mistake. Minutes are
// those of reached calls (an attempt starts and ends at once).
const practiceCallsSQL = `
SELECT w.i, count(*), sum(CASE WHEN c.outcome = 'reached' THEN 1 ELSE 0 END),
       sum(CASE WHEN c.outcome = 'reached' AND c.ended_at > c.started_at
                THEN unixepoch(c.ended_at) - unixepoch(c.started_at) ELSE 0 END)
FROM weeks w JOIN calls c ON c.started_at >= w.lo AND c.started_at < w.hi
WHERE c.outcome IS NOT NULL AND c.outcome <> 'opened_by_mistake'
GROUP BY w.i`

func (s *Store) practiceCalls(ctx context.Context, p *coaching.Practice, weeks string, args []any, coach TeamCoach) error {
	query, args := byCoach(weeks+practiceCallsSQL, "c.coach", args, coach)
	return s.practiceRows(ctx, query, args, func(rows *sql.Rows) error {
		var i, calls, reached int
		var seconds int64
		if err := rows.Scan(&i, &calls, &reached, &seconds); err != nil {
			return err
		}
		w := &p.Weeks[i]
		w.Calls, w.Reached, w.Talked = calls, reached, time.Duration(seconds)*time.Second
		return nil
	})
}

// The tally marks of reached calls; an undone mark does not count.
const practiceTallySQL = `
SELECT w.i, t.kind, count(*)
FROM weeks w JOIN calls c ON c.started_at >= w.lo AND c.started_at < w.hi
JOIN tally_marks t ON t.call_id = c.id
WHERE c.outcome = 'reached' AND t.undone_at IS NULL
GROUP BY w.i, t.kind`

func (s *Store) practiceTally(ctx context.Context, p *coaching.Practice, weeks string, args []any, coach TeamCoach) error {
	query, args := byCoach(weeks+practiceTallySQL, "c.coach", args, coach)
	return s.practiceRows(ctx, query, args, func(rows *sql.Rows) error {
		var i, n int
		var kind string
		if err := rows.Scan(&i, &kind, &n); err != nil {
			return err
		}
		k, err := coaching.ParseTallyKind(kind)
		if err != nil {
			return err
		}
		w := &p.Weeks[i]
		if w.Tally == nil {
			w.Tally = coaching.Tally{}
		}
		w.Tally[k] = n
		return nil
	})
}

// Change talk noted in reached calls; sustain talk is not change talk.
const practiceTalkSQL = `
SELECT w.i, count(*)
FROM weeks w JOIN calls c ON c.started_at >= w.lo AND c.started_at < w.hi
JOIN change_talk t ON t.call_id = c.id
WHERE c.outcome = 'reached' AND t.kind <> 'sustain'
GROUP BY w.i`

func (s *Store) practiceTalk(ctx context.Context, p *coaching.Practice, weeks string, args []any, coach TeamCoach) error {
	query, args := byCoach(weeks+practiceTalkSQL, "c.coach", args, coach)
	return s.practiceRows(ctx, query, args, func(rows *sql.Rows) error {
		var i, n int
		if err := rows.Scan(&i, &n); err != nil {
			return err
		}
		p.Weeks[i].ChangeTalk = n
		return nil
	})
}

// Plans made each week, by the last confidence score given by the week's
// end (-1: none). A plan revised in the call it was made in (BAP's
// re-scaling below 7) counts once, as its revision.
const practicePlansSQL = `
SELECT w.i,
       coalesce((SELECT s.score FROM confidence_scores s WHERE s.plan_id = p.id AND s.scored_at < w.hi
                 ORDER BY s.scored_at DESC, s.id DESC LIMIT 1), -1) AS latest,
       count(*)
FROM weeks w JOIN action_plans p ON p.created_at >= w.lo AND p.created_at < w.hi
WHERE NOT EXISTS (SELECT 1 FROM action_plans r WHERE r.replaces = p.id AND r.call_id = p.call_id)
GROUP BY w.i, latest`

func (s *Store) practicePlans(ctx context.Context, p *coaching.Practice, weeks string, args []any, coach TeamCoach) error {
	byScore := make([]map[int]int, len(p.Weeks))
	query, args := byCoach(weeks+practicePlansSQL, "p.coach", args, coach)
	err := s.practiceRows(ctx, query, args, func(rows *sql.Rows) error {
		var i, score, n int
		if err := rows.Scan(&i, &score, &n); err != nil {
			return err
		}
		if byScore[i] == nil {
			byScore[i] = map[int]int{}
		}
		byScore[i][score] += n
		p.Weeks[i].Plans += n
		return nil
	})
	for i, by := range byScore {
		p.Weeks[i].PlansConfident = coaching.ConfidentPlans(by)
	}
	return err
}

const practiceFollowUpsSQL = `SELECT due_at, done_at, done_call_id IS NOT NULL FROM follow_ups
WHERE due_at >= ? AND due_at < ? AND replaced_by IS NULL`

// practiceFollowUps judges the follow-ups due in the period, as of its
// end, by coaching.FollowUpKeptOnTime. One replaced by another (moved to
// a new time) is left out: the one that replaced it is judged instead.
func (s *Store) practiceFollowUps(ctx context.Context, p *coaching.Practice, loc *time.Location, coach TeamCoach) error {
	query, args := practiceFollowUpsSQL, []any{formatTime(p.From), formatTime(p.To)}
	if coach != (TeamCoach{}) {
		// A follow-up carries no coach: it is whoever has the person now.
		query += " AND person_id IN (SELECT id FROM people WHERE assigned_to = ?)"
		args = append(args, coach.Role)
	}
	rows, err := s.ro.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var due string
		var done sql.NullString
		var byCall bool
		if err := rows.Scan(&due, &done, &byCall); err != nil {
			return err
		}
		var f coaching.FollowUp
		if f.Due, err = parseTime(due); err != nil {
			return err
		}
		if done.Valid {
			if f.DoneAt, err = parseTime(done.String); err != nil {
				return err
			}
		}
		if byCall {
			f.DoneCallID = 1 // only whether a call did it matters here
		}
		if i := p.WeekOf(f.Due); i >= 0 {
			p.Weeks[i].Count(coaching.FollowUpKeptOnTime(f, p.To, loc))
		}
	}
	return rows.Err()
}

// practiceRows runs one of the weekly queries on a reader and hands each
// row to scan.
func (s *Store) practiceRows(ctx context.Context, query string, args []any, scan func(*sql.Rows) error) error {
	rows, err := s.ro.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// PracticeScript is the SQL Practice runs for [from, to) in loc, as one
// script for the sqlite3 CLI with the values written in: what SQLite
// itself needs for the report's counts, the anchor `callcoach report` is
// timed against (the root package's BenchmarkReportCommand).
func PracticeScript(from, to time.Time, loc *time.Location) string {
	p := coaching.NewPractice(from, to, loc)
	weeks, args := practiceWeeks(p)
	var b strings.Builder
	for _, q := range []string{practiceCallsSQL, practiceTallySQL, practiceTalkSQL, practicePlansSQL} {
		b.WriteString(inlineArgs(weeks+q, args) + ";\n")
	}
	b.WriteString(inlineArgs(practiceFollowUpsSQL, []any{formatTime(p.From), formatTime(p.To)}) + ";\n")
	return b.String()
}

// inlineArgs writes args (ints and strings without quotes) in place of
// query's ? marks, in order.
func inlineArgs(query string, args []any) string {
	var b strings.Builder
	for _, a := range args {
		before, after, _ := strings.Cut(query, "?")
		b.WriteString(before)
		if s, ok := a.(string); ok {
			b.WriteString("'" + strings.ReplaceAll(s, "'", "''") + "'")
		} else {
			fmt.Fprint(&b, a)
		}
		query = after
	}
	b.WriteString(query)
	return b.String()
}
