package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"callcoach/coaching"
)

// The call queue: attempts logged without the call workspace, and the Now
// view's people in queue order (docs/queue.md). The order itself is
// coaching.CompareQueue's; this file reads the facts it needs, bounded so
// that the first page costs the same at any caseload size.

// Attempt is a try at reaching someone, logged in two keys or by
// `callcoach log`: a call that starts and ends at once, with its outcome.
type Attempt struct {
	PersonID int64
	Outcome  coaching.Outcome
	Role     coaching.Role // who made it; empty is a coach
	// Retry, if not zero, is when to try again: the person's open
	// follow-up moves to it (there is one next contact, not two), or a
	// follow-up is made for it if they had none.
	Retry time.Time
}

// AttemptLogged is what LogAttempt wrote.
type AttemptLogged struct {
	CallID     int64
	FollowUpID int64 // the follow-up set to the retry; 0 with no retry
	Moved      bool  // the retry moved an open follow-up (rather than making one)
	MovedFrom  time.Time
}

// ErrRetryInPast refuses a retry before the attempt.
var ErrRetryInPast = errors.New("the retry is in the past: give a later time")

// LogAttempt records the attempt at now, in one transaction: the call
// with its outcome (started and ended at now), and with a retry, the
// person's one open follow-up moved to it or made for it. An outcome that
// is not an attempt's, a person who does not exist, or a retry before now
// is refused and nothing is written.
func (s *Store) LogAttempt(ctx context.Context, a Attempt, now time.Time) (AttemptLogged, error) {
	fail := func(err error) (AttemptLogged, error) {
		return AttemptLogged{}, fmt.Errorf("log attempt for person %d: %w", a.PersonID, err)
	}
	if _, err := coaching.ParseAttemptOutcome(string(a.Outcome)); err != nil {
		return fail(err)
	}
	role := a.Role
	if role == "" {
		role = coaching.RoleCoach
	}
	if _, err := coaching.ParseRole(string(role)); err != nil {
		return fail(err)
	}
	at := formatTime(now)
	if !a.Retry.IsZero() && formatTime(a.Retry) <= at {
		return fail(ErrRetryInPast)
	}
	var out AttemptLogged
	err := s.write(ctx, func(tx *sql.Tx) error {
		if err := requirePerson(ctx, tx, a.PersonID); err != nil {
			return err
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO calls (person_id, role, started_at, ended_at, outcome, updated_at, coach)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, a.PersonID, string(role), at, at, string(a.Outcome), at, s.coachName()).Scan(&out.CallID)
		if err != nil {
			return err
		}
		if a.Retry.IsZero() {
			return nil
		}
		var due string
		err = tx.QueryRowContext(ctx, `SELECT id, due_at FROM follow_ups
			WHERE person_id = ? AND done_at IS NULL ORDER BY due_at, id LIMIT 1`, a.PersonID).Scan(&out.FollowUpID, &due)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			out.FollowUpID, err = insertFollowUp(ctx, tx, coaching.FollowUp{PersonID: a.PersonID, Due: a.Retry,
				Reason: "Try again: " + a.Outcome.Label()}, now)
			return err
		case err != nil:
			return err
		}
		out.Moved = true
		if out.MovedFrom, err = parseTime(due); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "UPDATE follow_ups SET due_at = ? WHERE id = ?", formatTime(a.Retry), out.FollowUpID)
		return err
	})
	if err != nil {
		return fail(err)
	}
	return out, nil
}

// QueueRow is one person in the Now view: the facts the queue orders by,
// and what their row shows.
type QueueRow struct {
	coaching.QueueEntry
	Tier      coaching.QueueTier
	CallTimes string // as recorded: shown when the window is not understood
	TimeZone  string // as recorded; empty: the coach's
	Phone     string
	Consent   bool
	Reason    string // the open follow-up's reason
}

// NowSummary is the Now view's header: the coach's day at a glance.
// Counts stop at CountCap (Capped says which did).
type NowSummary struct {
	Flagged, Overdue, DueToday int
	Capped                     struct{ Flagged, Overdue, DueToday bool }
	Made, Reached              int // attempts made today, and how many reached the person (also to CountCap)
}

// nowBound is how many people due before tomorrow the Now view orders:
// the most urgent by due time. Inside a tier the order puts those in
// their call window first, which no index can give; so the first nowBound
// by due time are read and ordered, and anyone due later than them comes
// after, in due order, on later pages (docs/queue.md, "Bounds").
const nowBound = 200

// NowQueue is the Now view's first limit people in queue order for the
// coach's day d (the coach's zone is loc, which is also the zone of people
// with none recorded), with their attempts today and in the last seven
// days and their last outcome.
func (s *Store) NowQueue(ctx context.Context, d coaching.CoachDay, loc *time.Location, limit int) ([]QueueRow, error) {
	fail := func(err error) ([]QueueRow, error) { return nil, fmt.Errorf("now queue: %w", err) }
	conn, err := s.ro.Conn(ctx)
	if err != nil {
		return fail(err)
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fail(err)
	}
	defer tx.Rollback()

	ids, err := queryIDs(ctx, tx, forEngine(s.pg, nowFlaggedSQL), nowBound)
	if err != nil {
		return fail(err)
	}
	due, err := queryIDs(ctx, tx, forEngine(s.pg, nowDueSQL), formatTime(d.Tomorrow), nowBound)
	if err != nil {
		return fail(err)
	}
	ids = append(ids, due...)
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := tx.QueryContext(ctx, nowRowsSQL(len(ids)), anys(ids)...)
	if err != nil {
		return fail(err)
	}
	var queue []QueueRow
	seen := map[int64]bool{}
	zones := zoneCache{coach: loc}
	for rows.Next() {
		var r QueueRow
		var name, preferred, due string
		if err := rows.Scan(&r.PersonID, &name, &preferred, &r.TimeZone, &r.CallTimes, &r.Phone, &r.Consent, &due, &r.Flagged); err != nil {
			rows.Close()
			return fail(err)
		}
		if seen[r.PersonID] {
			continue
		}
		seen[r.PersonID] = true
		r.Name = coaching.Person{Name: name, PreferredName: preferred}.DisplayName()
		if due != "" {
			if r.NextDue, err = parseTime(due); err != nil {
				rows.Close()
				return fail(fmt.Errorf("person %d: next_due_at: %w", r.PersonID, err))
			}
		}
		r.Window = windows.read(r.CallTimes, r.TimeZone, zones.get(r.TimeZone))
		r.Tier = r.QueueEntry.Tier(d)
		if r.Tier.InNow() {
			queue = append(queue, r)
		}
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return fail(err)
	}
	order := coaching.CompareQueue(d)
	slices.SortFunc(queue, func(a, b QueueRow) int { return order(a.QueueEntry, b.QueueEntry) })
	if limit > 0 && len(queue) > limit {
		queue = queue[:limit]
	}
	today, week := coaching.AttemptCounting(d.Now, loc)
	for i := range queue {
		r := &queue[i]
		a, err := personAttempts(ctx, tx, r.PersonID, today, week)
		if err != nil {
			return fail(err)
		}
		r.AttemptsToday, r.AttemptsThisWeek, r.LastOutcome = a.Today, a.ThisWeek, a.Last
		if err := tx.QueryRowContext(ctx, nowReasonSQL, r.PersonID).Scan(&r.Reason); err != nil {
			return fail(err)
		}
	}
	return queue, nil
}

// Attempts are the attempts made to reach a person: today and in the
// last seven days (coaching.AttemptCounting), how many of the seven days'
// did not get through (what the retry rule limits), and how the last ended.
type Attempts struct {
	Today, ThisWeek, UnansweredThisWeek int
	Last                                coaching.Outcome
}

// PersonAttempts counts the person's attempts for a coach at now in loc.
func (s *Store) PersonAttempts(ctx context.Context, personID int64, now time.Time, loc *time.Location) (Attempts, error) {
	today, week := coaching.AttemptCounting(now, loc)
	a, err := personAttempts(ctx, s.ro, personID, today, week)
	if err != nil {
		return Attempts{}, fmt.Errorf("attempts of person %d: %w", personID, err)
	}
	return a, nil
}

func personAttempts(ctx context.Context, q querier, personID int64, today, week time.Time) (Attempts, error) {
	var a Attempts
	var last sql.NullString
	err := q.QueryRowContext(ctx, nowAttemptsSQL, personID, formatTime(today), formatTime(week)).
		Scan(&a.Today, &a.ThisWeek, &a.UnansweredThisWeek, &last)
	a.Last = coaching.Outcome(last.String)
	return a, err
}

// NowHeader counts the coach's day for the Now view's header: people
// flagged, overdue and due later today (each counted no further than
// CountCap), and the attempts made today and how many reached someone.
func (s *Store) NowHeader(ctx context.Context, d coaching.CoachDay, loc *time.Location) (NowSummary, error) {
	var h NowSummary
	capped := func(n int) (int, bool) { return min(n, CountCap), n > CountCap }
	var flagged, overdue, dueToday int
	today, _ := coaching.AttemptCounting(d.Now, loc)
	err := s.ro.QueryRowContext(ctx, forEngine(s.pg, nowHeaderSQL),
		CountCap+1, formatTime(d.OverdueBefore), formatTime(d.Tomorrow), formatTime(today)).
		Scan(&flagged, &overdue, &dueToday, &h.Made, &h.Reached)
	if err != nil {
		return NowSummary{}, fmt.Errorf("now header: %w", err)
	}
	h.Flagged, h.Capped.Flagged = capped(flagged)
	h.Overdue, h.Capped.Overdue = capped(overdue)
	h.DueToday, h.Capped.DueToday = capped(dueToday)
	h.Made, _ = capped(h.Made)
	h.Reached, _ = capped(h.Reached)
	return h, nil
}

// The Now view's queries, as SQLite's (forEngine makes them PostgreSQL's);
// TestNowQueriesNeverScan holds each to seeks and bounded ranges of indexes.
const (
	// nowFlaggedSQL: people with an open safety flag, at most ?1.
	nowFlaggedSQL = `SELECT DISTINCT person_id FROM safety_events INDEXED BY safety_events_unreviewed
		WHERE reviewed_at IS NULL LIMIT ?`
	// nowDueSQL: the first ?2 people due before ?1 (tomorrow), in due order.
	nowDueSQL = `SELECT id FROM people INDEXED BY people_due
		WHERE next_due_at >= '' AND next_due_at < ? ORDER BY next_due_at, name_key LIMIT ?`
	// nowAttemptsSQL: person ?1's attempts since ?2 (today) and since ?3
	// (this week), the week's unanswered ones, and how the last one ended.
	nowAttemptsSQL = `SELECT
			count(*) FILTER (WHERE started_at >= ?2),
			count(*),
			count(*) FILTER (WHERE outcome IN ('no_answer', 'voicemail')),
			(SELECT outcome FROM calls WHERE person_id = ?1 AND outcome IS NOT NULL AND outcome <> 'opened_by_mistake'
				ORDER BY started_at DESC, id DESC LIMIT 1)
		FROM calls WHERE person_id = ?1 AND started_at >= ?3
			AND outcome IS NOT NULL AND outcome <> 'opened_by_mistake'`
	// nowReasonSQL: the reason of person ?1's open follow-up that counts.
	nowReasonSQL = `SELECT coalesce((SELECT reason FROM follow_ups
		WHERE person_id = ? AND done_at IS NULL ORDER BY due_at, id LIMIT 1), '')`
	// nowHeaderSQL: flagged, overdue (before ?2) and due today (before ?3),
	// each counted to at most ?1; attempts since ?4 (today), and those
	// that reached the person.
	nowHeaderSQL = `SELECT
		(SELECT count(*) FROM (SELECT DISTINCT person_id FROM safety_events INDEXED BY safety_events_unreviewed
			WHERE reviewed_at IS NULL LIMIT ?1) AS flagged),
		(SELECT count(*) FROM (SELECT 1 FROM people INDEXED BY people_due
			WHERE next_due_at >= '' AND next_due_at < ?2 LIMIT ?1) AS overdue),
		(SELECT count(*) FROM (SELECT 1 FROM people INDEXED BY people_due
			WHERE next_due_at >= ?2 AND next_due_at < ?3 LIMIT ?1) AS due_today),
		(SELECT count(*) FROM (SELECT 1 FROM calls INDEXED BY calls_started WHERE started_at >= ?4
			AND outcome IS NOT NULL AND outcome <> 'opened_by_mistake' LIMIT ?1) AS made),
		(SELECT count(*) FROM (SELECT 1 FROM calls INDEXED BY calls_started WHERE started_at >= ?4
			AND outcome = 'reached' LIMIT ?1) AS reached)`
)

// nowRowsSQL reads the rows of n people by id.
func nowRowsSQL(n int) string {
	return `SELECT p.id, p.name, p.preferred_name, p.time_zone, p.call_times, p.phone,
			p.consent, coalesce(p.next_due_at, ''),
			EXISTS (SELECT 1 FROM safety_events e WHERE e.person_id = p.id AND e.reviewed_at IS NULL)
		FROM people p WHERE p.status = 'active' AND p.id IN (?` + strings.Repeat(", ?", n-1) + `)`
}

// queryIDs runs a query of one integer column.
func queryIDs(ctx context.Context, tx *sql.Tx, query string, args ...any) ([]int64, error) {
	return column[int64](ctx, tx, query, args...)
}

// column returns the first column of a query's rows.
func column[T any](ctx context.Context, q querier, query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func anys(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

// zoneCache loads each recorded time zone once per queue; an empty or
// unknown one is the coach's.
type zoneCache struct {
	coach *time.Location
	m     map[string]*time.Location
}

func (z *zoneCache) get(name string) *time.Location {
	if name == "" {
		return z.coach
	}
	if loc, ok := z.m[name]; ok {
		return loc
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		loc = z.coach
	}
	if z.m == nil {
		z.m = map[string]*time.Location{}
	}
	z.m[name] = loc
	return loc
}

// windows reads call windows, keeping what it read: many people share
// the same few phrasings, and reading one is the costly part of a row.
var windows = &windowCache{m: map[windowKey]coaching.CallWindow{}}

type windowKey struct{ text, zone string }

type windowCache struct {
	mu sync.Mutex
	m  map[windowKey]coaching.CallWindow
}

// read reads text in loc, the zone named zone (empty: the coach's).
func (c *windowCache) read(text, zone string, loc *time.Location) coaching.CallWindow {
	if zone == "" {
		zone = "coach " + loc.String()
	}
	k := windowKey{text, zone}
	c.mu.Lock()
	defer c.mu.Unlock()
	if w, ok := c.m[k]; ok {
		return w
	}
	w := coaching.ReadCallWindow(text, loc)
	if len(c.m) >= 4096 {
		clear(c.m) // a bound: text is typed by people, not made up without end
	}
	c.m[k] = w
	return w
}
