package storage

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

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
// then id. The filter, trimmed, is a case-insensitive substring of the
// name, preferred name or conditions; when it contains digits, a phone
// number containing those digits matches too, so "020 7946" finds
// "+44 (0)20 7946 0000". Case folding is SQLite's: ASCII letters only.
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
// on people aliased p.
func caseloadWhere(filter string) (string, []any) {
	f := strings.TrimSpace(filter)
	if f == "" {
		return "", nil
	}
	pat := "%" + escapeLike(f) + "%"
	where := `WHERE (p.name LIKE ? ESCAPE '\' OR p.preferred_name LIKE ? ESCAPE '\' OR p.conditions LIKE ? ESCAPE '\'`
	args := []any{pat, pat, pat}
	if d := coaching.PhoneDigits(f); d != "" {
		where += ` OR p.phone_digits LIKE ?` // digits only: nothing to escape
		args = append(args, "%"+d+"%")
	}
	return where + ")", args
}

// escapeLike makes s match itself literally in LIKE ... ESCAPE '\'.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
