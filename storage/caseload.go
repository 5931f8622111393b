package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"callcoach/coaching"
)

// CaseloadRow is one person as the caseload list shows them.
type CaseloadRow struct {
	ID             int64
	Name           string
	PreferredName  string
	Phone          string
	Conditions     []string
	Status         coaching.Status
	LastCallAt     time.Time        // start of the newest call; zero if never called
	LastOutcome    coaching.Outcome // of the newest call; OutcomeNone if it is unfinished or there are no calls
	OpenCall       bool             // some call of theirs is unfinished
	Calls          int              // number of calls
	ActivePlan     string           // what the current plan is (see CurrentPlan); "" if none
	LastConfidence int              // the newest confidence score of any of their plans, or coaching.NoScore
	NextDue        time.Time        // when their earliest open follow-up is due; zero if none
	SafetyFlag     bool             // some safety event of theirs is not yet reviewed
}

// Section is a part of the caseload chosen by each person's earliest open
// follow-up, against the two instants a CaseloadQuery gives.
type Section int

// The sections. Every person is in SectionAll and in exactly one other.
const (
	SectionAll        Section = iota // everyone, by name
	SectionOverdue                   // due before OverdueBefore, soonest first
	SectionDueToday                  // due from OverdueBefore until DueBefore, soonest first
	SectionUpcoming                  // due from DueBefore on, soonest first
	SectionNoFollowUp                // no open follow-up, by name
)

func (s Section) String() string {
	switch s {
	case SectionAll:
		return "all"
	case SectionOverdue:
		return "overdue"
	case SectionDueToday:
		return "due today"
	case SectionUpcoming:
		return "upcoming"
	case SectionNoFollowUp:
		return "no follow-up"
	}
	return fmt.Sprintf("Section(%d)", int(s))
}

// DueSection is the section of people whose earliest open follow-up is
// in due state d, as coaching.Due and coaching.DueWindow agree.
func DueSection(d coaching.DueState) Section {
	switch d {
	case coaching.Overdue:
		return SectionOverdue
	case coaching.DueToday:
		return SectionDueToday
	}
	return SectionUpcoming
}

// CaseloadQuery asks for one page of the caseload.
type CaseloadQuery struct {
	Filter  string  // see Caseload
	Section Section // SectionAll by default
	// OverdueBefore and DueBefore split the sections (coaching.DueWindow
	// gives them for a coach's day). They are needed, OverdueBefore not
	// after DueBefore, for the three due sections and for CountSections.
	OverdueBefore time.Time
	DueBefore     time.Time
	Offset        int
	Limit         int // <= 0 means DefaultCaseloadLimit; capped at MaxCaseloadLimit
}

// Page sizes for Caseload.
const (
	DefaultCaseloadLimit = 50
	MaxCaseloadLimit     = 500
)

// Caseload returns one page of the people in q's section who match q's
// filter. SectionAll and SectionNoFollowUp are sorted by name
// (case-insensitive), then id; the due sections by when the earliest open
// follow-up is due, then name, then id. A filter of three or more
// characters (trimmed) is a case-insensitive substring of the name,
// preferred name or conditions; when it has three or more digits, a phone
// number containing those digits matches too, so "020 7946" finds "+44
// (0)20 7946 0000". A filter of one or two characters matches the start of
// the name. Case folding covers ASCII letters in names starting with a
// short filter, and all letters with simple case folding otherwise.
func (s *Store) Caseload(ctx context.Context, q CaseloadQuery) ([]CaseloadRow, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultCaseloadLimit
	}
	limit = min(limit, MaxCaseloadLimit)
	offset := max(q.Offset, 0)

	whereClause, args, err := caseloadWhere(q)
	if err != nil {
		return nil, fmt.Errorf("caseload: %w", err)
	}
	args = append(args, limit, offset)
	rows, err := s.ro.QueryContext(ctx, caseloadSQL(whereClause, q.Section), args...)
	if err != nil {
		return nil, fmt.Errorf("caseload: %w", err)
	}
	defer rows.Close()
	out := make([]CaseloadRow, 0, limit)
	for rows.Next() {
		var (
			r                        CaseloadRow
			conditions, status       string
			nextDue, lastAt, outcome sql.NullString
			plan                     sql.NullString
			confidence               sql.NullInt64
		)
		if err := rows.Scan(&r.ID, &r.Name, &r.PreferredName, &r.Phone, &conditions, &status, &nextDue,
			&lastAt, &outcome, &r.OpenCall, &r.Calls, &plan, &confidence, &r.SafetyFlag); err != nil {
			return nil, fmt.Errorf("caseload: %w", err)
		}
		r.Conditions = coaching.ParseConditions(conditions)
		r.Status = coaching.Status(status)
		if r.LastCallAt, err = parseNullTime(lastAt); err != nil {
			return nil, fmt.Errorf("caseload: person %d: last call time: %w", r.ID, err)
		}
		if r.NextDue, err = parseNullTime(nextDue); err != nil {
			return nil, fmt.Errorf("caseload: person %d: next due time: %w", r.ID, err)
		}
		r.LastOutcome = coaching.Outcome(outcome.String)
		r.ActivePlan = plan.String
		r.LastConfidence = coaching.NoScore
		if confidence.Valid {
			r.LastConfidence = int(confidence.Int64)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("caseload: %w", err)
	}
	return out, nil
}

// caseloadOrder is the ORDER BY of section, on the columns of table t.
func caseloadOrder(section Section, t string) string {
	byName := t + ".name COLLATE NOCASE, " + t + ".id"
	switch section {
	case SectionOverdue, SectionDueToday, SectionUpcoming:
		return t + ".next_due_at, " + byName
	}
	return byName
}

// caseloadSQL is the page query for a WHERE clause from caseloadWhere; its
// last two arguments are LIMIT and OFFSET.
func caseloadSQL(whereClause string, section Section) string {
	// The page is chosen first, walking people_name (by name) or
	// people_next_due (by due time) in order with no sort, and only its
	// rows look up their calls, plans and safety events: each lookup is a
	// seek in an index of calls, action_plans, confidence_scores or
	// safety_events. The outer ORDER BY sorts just the page.
	return `WITH page AS (
			SELECT id, name, preferred_name, phone, conditions, status, next_due_at
			FROM people p` + whereClause + `
			ORDER BY ` + caseloadOrder(section, "p") + `
			LIMIT ? OFFSET ?
		)
		SELECT page.id, page.name, page.preferred_name, page.phone, page.conditions, page.status,
			page.next_due_at, last.started_at, last.outcome,
			EXISTS (SELECT 1 FROM calls c WHERE c.person_id = page.id AND c.ended_at IS NULL),
			(SELECT count(*) FROM calls c WHERE c.person_id = page.id),
			(SELECT a.what FROM action_plans a WHERE a.person_id = page.id AND a.` + currentPlanWhere + `
				ORDER BY a.id DESC LIMIT 1),
			(SELECT s.score FROM action_plans a JOIN confidence_scores s ON s.plan_id = a.id
				WHERE a.person_id = page.id ORDER BY s.scored_at DESC, s.id DESC LIMIT 1),
			EXISTS (SELECT 1 FROM safety_events e WHERE e.person_id = page.id AND e.reviewed_at IS NULL)
		FROM page
		LEFT JOIN calls last ON last.id = (
			SELECT c.id FROM calls c WHERE c.person_id = page.id
			ORDER BY c.started_at DESC, c.id DESC LIMIT 1)
		ORDER BY ` + caseloadOrder(section, "page")
}

// CountCaseload counts the people Caseload would list for filter, over all
// pages, in SectionAll.
func (s *Store) CountCaseload(ctx context.Context, filter string) (int, error) {
	cond, args := filterCond(filter, false)
	var n int
	if err := s.ro.QueryRowContext(ctx, "SELECT count(*) FROM people p"+where(cond), args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count caseload: %w", err)
	}
	return n, nil
}

// CountSections counts the people in each of the five sections who match
// q's filter, over all pages; q's Section, Offset and Limit are ignored.
func (s *Store) CountSections(ctx context.Context, q CaseloadQuery) (map[Section]int, error) {
	if err := checkDueWindow(q); err != nil {
		return nil, fmt.Errorf("count caseload sections: %w", err)
	}
	query, args := sectionCountsSQL(q)
	counts := make([]int, len(countedSections))
	dest := make([]any, len(counts))
	for i := range counts {
		dest[i] = &counts[i]
	}
	if err := s.ro.QueryRowContext(ctx, query, args...).Scan(dest...); err != nil {
		return nil, fmt.Errorf("count caseload sections: %w", err)
	}
	out := make(map[Section]int, len(counts))
	for i, sec := range countedSections {
		out[sec] = counts[i]
	}
	return out, nil
}

// countedSections are the columns of sectionCountsSQL, in order.
var countedSections = []Section{SectionAll, SectionOverdue, SectionDueToday, SectionUpcoming, SectionNoFollowUp}

// sectionCountsSQL is the query counting each of countedSections for q's
// filter, with its arguments.
func sectionCountsSQL(q CaseloadQuery) (string, []any) {
	filter, filterArgs := filterCond(q.Filter, false)
	var (
		cols []string
		args []any
	)
	for _, sec := range countedSections {
		cond, a := sectionCond(sec, q)
		switch {
		case filter == "":
			// Each count is a range of people_next_due (or the table's
			// own count): cheaper than testing every person four times.
			cols = append(cols, "(SELECT count(*) FROM people p"+where(cond)+")")
		case cond == "":
			cols = append(cols, "count(*)")
		default:
			// One pass over the people the filter matches.
			cols = append(cols, "count(*) FILTER (WHERE "+cond+")")
		}
		args = append(args, a...)
	}
	query := "SELECT " + strings.Join(cols, ", ")
	if filter != "" {
		query += " FROM people p" + where(filter)
		args = append(args, filterArgs...)
	}
	return query, args
}

// checkDueWindow refuses instants that cannot split the sections.
func checkDueWindow(q CaseloadQuery) error {
	if q.OverdueBefore.IsZero() || q.DueBefore.IsZero() {
		return errors.New("the caseload's sections need the instants that start overdue and upcoming")
	}
	if q.OverdueBefore.After(q.DueBefore) {
		return errors.New("the overdue boundary is after the start of upcoming")
	}
	return nil
}

// formatBound formats an instant to compare stored times with. Stored
// times are whole seconds, so an instant part-way through a second is
// rounded up: stored < bound then holds exactly when the stored time is
// before the instant.
func formatBound(t time.Time) string {
	if s := t.Truncate(time.Second); !s.Equal(t) {
		t = s.Add(time.Second)
	}
	return formatTime(t)
}

// caseloadWhere is the WHERE clause (or "") and its arguments for q's
// filter and section, on people aliased p.
func caseloadWhere(q CaseloadQuery) (string, []any, error) {
	switch q.Section {
	case SectionAll, SectionNoFollowUp:
	case SectionOverdue, SectionDueToday, SectionUpcoming:
		if err := checkDueWindow(q); err != nil {
			return "", nil, err
		}
	default:
		return "", nil, fmt.Errorf("unknown caseload section %d", int(q.Section))
	}
	byDue := q.Section == SectionOverdue || q.Section == SectionDueToday || q.Section == SectionUpcoming
	filter, args := filterCond(q.Filter, byDue)
	section, sectionArgs := sectionCond(q.Section, q)
	switch {
	case filter == "":
		return where(section), sectionArgs, nil
	case section == "":
		return where(filter), args, nil
	}
	return where(filter + " AND " + section), append(args, sectionArgs...), nil
}

// where is " WHERE cond", or "" for no condition.
func where(cond string) string {
	if cond == "" {
		return ""
	}
	return " WHERE " + cond
}

// sectionCond is the condition (or "") and its arguments that pick
// section's people, aliased p, with q's instants. Stored times are text
// in one format, so text order is time order.
func sectionCond(section Section, q CaseloadQuery) (string, []any) {
	overdue, due := formatBound(q.OverdueBefore), formatBound(q.DueBefore)
	switch section {
	case SectionOverdue:
		return "p.next_due_at < ?", []any{overdue}
	case SectionDueToday:
		return "p.next_due_at >= ? AND p.next_due_at < ?", []any{overdue, due}
	case SectionUpcoming:
		return "p.next_due_at >= ?", []any{due}
	case SectionNoFollowUp:
		return "p.next_due_at IS NULL", nil
	}
	return "", nil
}

// filterCond is the condition (or "") and its arguments for filter, on
// people aliased p. Neither form scans the caseload: a filter of three or
// more characters is looked up in the trigram index people_search (a
// substring of name, preferred name or conditions, or of the phone's
// digits); a shorter one, too short for trigrams, matches the start of the
// name through the people_name index.
//
// With byDue, the page is read in due order instead: the condition is
// written (with SQLite's unary +) so that it cannot pick the index, and is
// tested on each person met walking people_next_due, which stops at a
// page's worth. However many people the filter matches, a page then costs
// at most one walk of the section's part of that index, where sorting
// every match by due time would cost a read of each.
func filterCond(filter string, byDue bool) (string, []any) {
	f := strings.TrimSpace(filter)
	plus := ""
	if byDue {
		plus = "+"
	}
	switch {
	case f == "":
		return "", nil
	case utf8.RuneCountInString(f) < 3:
		// A range on people_name: every name that starts with f, in any
		// ASCII case, sorts between f and f followed by the largest
		// character.
		return plus + "p.name COLLATE NOCASE >= ? AND " + plus + "p.name COLLATE NOCASE < ?", []any{f, f + "\U0010FFFF"}
	}
	match := "{name preferred_name conditions} : " + ftsString(f)
	if d := coaching.PhoneDigits(f); len(d) >= 3 {
		match += " OR phone_digits : " + ftsString(d)
	}
	return plus + "p.id IN (SELECT rowid FROM people_search WHERE people_search MATCH ?)", []any{match}
}

// ftsString quotes s as an FTS5 string, so any character in it is matched
// literally rather than read as query syntax.
func ftsString(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}
