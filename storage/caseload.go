package storage

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"callcoach/coaching"
)

// CaseloadRow is one person as the caseload list shows them.
type CaseloadRow struct {
	ID            int64
	Name          string
	PreferredName string
	Phone         string
	Conditions    []string
	Status        coaching.Status
	LastCallAt    time.Time        // start of the newest call; zero if never called
	LastOutcome   coaching.Outcome // of the newest call; OutcomeNone if it is unfinished or there are no calls
	OpenCall      bool             // some call of theirs is unfinished
	Calls         int              // number of calls
}

// CaseloadQuery asks for one page of the caseload.
type CaseloadQuery struct {
	Filter string // see Caseload
	Offset int
	Limit  int // <= 0 means DefaultCaseloadLimit; capped at MaxCaseloadLimit
}

// Page sizes for Caseload.
const (
	DefaultCaseloadLimit = 50
	MaxCaseloadLimit     = 500
)

// Caseload returns one page of people sorted by name (case-insensitive),
// then id. A filter of three or more characters (trimmed) is a
// case-insensitive substring of the name, preferred name or conditions;
// when it has three or more digits, a phone number containing those digits
// matches too, so "020 7946" finds "+44 (0)20 7946 0000". A filter of one
// or two characters matches the start of the name. Case folding covers
// ASCII letters in names starting with a short filter, and all letters with
// simple case folding otherwise.
func (s *Store) Caseload(ctx context.Context, q CaseloadQuery) ([]CaseloadRow, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultCaseloadLimit
	}
	limit = min(limit, MaxCaseloadLimit)
	offset := max(q.Offset, 0)

	where, args := caseloadWhere(q.Filter)
	args = append(args, limit, offset)
	rows, err := s.ro.QueryContext(ctx, caseloadSQL(where), args...)
	if err != nil {
		return nil, fmt.Errorf("caseload: %w", err)
	}
	defer rows.Close()
	out := make([]CaseloadRow, 0, limit)
	for rows.Next() {
		var (
			r                  CaseloadRow
			conditions, status string
			lastAt, outcome    sql.NullString
		)
		if err := rows.Scan(&r.ID, &r.Name, &r.PreferredName, &r.Phone, &conditions, &status,
			&lastAt, &outcome, &r.OpenCall, &r.Calls); err != nil {
			return nil, fmt.Errorf("caseload: %w", err)
		}
		r.Conditions = coaching.ParseConditions(conditions)
		r.Status = coaching.Status(status)
		if r.LastCallAt, err = parseNullTime(lastAt); err != nil {
			return nil, fmt.Errorf("caseload: person %d: last call time: %w", r.ID, err)
		}
		r.LastOutcome = coaching.Outcome(outcome.String)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("caseload: %w", err)
	}
	return out, nil
}

// caseloadSQL is the page query for a WHERE clause from caseloadWhere; its
// last two arguments are LIMIT and OFFSET.
func caseloadSQL(where string) string {
	// The page is chosen first, walking people_name in order with no sort,
	// and only its rows look up their calls: each lookup is a seek in the
	// calls indexes. The outer ORDER BY sorts just the page.
	return `WITH page AS (
			SELECT id, name, preferred_name, phone, conditions, status
			FROM people p ` + where + `
			ORDER BY name COLLATE NOCASE, id
			LIMIT ? OFFSET ?
		)
		SELECT page.id, page.name, page.preferred_name, page.phone, page.conditions, page.status,
			last.started_at, last.outcome,
			EXISTS (SELECT 1 FROM calls c WHERE c.person_id = page.id AND c.ended_at IS NULL),
			(SELECT count(*) FROM calls c WHERE c.person_id = page.id)
		FROM page
		LEFT JOIN calls last ON last.id = (
			SELECT c.id FROM calls c WHERE c.person_id = page.id
			ORDER BY c.started_at DESC, c.id DESC LIMIT 1)
		ORDER BY page.name COLLATE NOCASE, page.id`
}

// CountCaseload counts the people Caseload would list for filter, over all
// pages.
func (s *Store) CountCaseload(ctx context.Context, filter string) (int, error) {
	where, args := caseloadWhere(filter)
	var n int
	if err := s.ro.QueryRowContext(ctx, "SELECT count(*) FROM people p "+where, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count caseload: %w", err)
	}
	return n, nil
}

// caseloadWhere is the WHERE clause (or "") and its arguments for filter,
// on people aliased p. Neither form scans the caseload: a filter of three
// or more characters is looked up in the trigram index people_search (a
// substring of name, preferred name or conditions, or of the phone's
// digits); a shorter one, too short for trigrams, matches the start of the
// name through the people_name index.
func caseloadWhere(filter string) (string, []any) {
	f := strings.TrimSpace(filter)
	switch {
	case f == "":
		return "", nil
	case utf8.RuneCountInString(f) < 3:
		// A range on people_name: every name that starts with f, in any
		// ASCII case, sorts between f and f followed by the largest
		// character.
		return "WHERE p.name COLLATE NOCASE >= ? AND p.name COLLATE NOCASE < ?", []any{f, f + "\U0010FFFF"}
	}
	match := "{name preferred_name conditions} : " + ftsString(f)
	if d := coaching.PhoneDigits(f); len(d) >= 3 {
		match += " OR phone_digits : " + ftsString(d)
	}
	return "WHERE p.id IN (SELECT rowid FROM people_search WHERE people_search MATCH ?)", []any{match}
}

// ftsString quotes s as an FTS5 string, so any character in it is matched
// literally rather than read as query syntax.
func ftsString(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}
