package storage

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"
)

// SearchKind says what a search hit is.
type SearchKind int

// The kinds of thing search finds.
const (
	HitNote SearchKind = 1 // a call's notes
	HitPlan SearchKind = 2 // an action plan: what, and the person's own words
	HitTalk SearchKind = 3 // a change-talk quote
)

// SearchHit is one thing found: whose it is, when, and the words around the
// match, with the matched words between « and ».
type SearchHit struct {
	Kind       SearchKind
	RefID      int64 // the call, plan or change-talk row
	CallID     int64 // the call it belongs to (notes, change talk); 0 for a plan
	PersonID   int64
	PersonName string
	At         time.Time
	Snippet    string
}

// Search finds notes, plans and change-talk quotes containing every word
// of query (each word also matches as the start of a longer one: "walk"
// finds "walking"), newest first, at most limit. Newest first, not by
// relevance: FTS5 walks its index in rowid order and stops at the limit,
// where ranking would score every match (hundreds of milliseconds for a
// common word in a million notes). Rowids follow their rows' ids, so the
// order is the order things were written. Only the snippets of the hits
// returned are built.
func (s *Store) Search(ctx context.Context, query string, limit int) ([]SearchHit, error) {
	match := searchMatch(query)
	if match == "" {
		return nil, nil
	}
	limit = max(min(limit, 100), 1)
	rows, err := s.ro.QueryContext(ctx, searchNewestSQL, match, limit)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	defer rows.Close()
	var out []SearchHit
	for rows.Next() {
		var h SearchHit
		var rowid int64
		var at string
		if err := rows.Scan(&rowid, &h.PersonID, &h.PersonName, &h.Snippet, &at, &h.CallID); err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		h.Kind, h.RefID = SearchKind(rowid%4), rowid/4
		if h.At, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("search: hit %d: %w", rowid, err)
		}
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	return out, nil
}

// searchNewestSQL finds the newest hits of a match (?1), at most ?2, with
// their snippets, whose they are and when.
const searchNewestSQL = `
		WITH hits AS (
			SELECT rowid, person_id, snippet(search_text, 0, '«', '»', '…', 10) AS snip
			FROM search_text WHERE search_text MATCH ? ORDER BY rowid DESC LIMIT ?)
		SELECT h.rowid, h.person_id, p.name, h.snip,
			CASE h.rowid % 4
				WHEN 1 THEN (SELECT started_at FROM calls WHERE id = h.rowid / 4)
				WHEN 2 THEN (SELECT created_at FROM action_plans WHERE id = h.rowid / 4)
				ELSE (SELECT said_at FROM change_talk WHERE id = h.rowid / 4) END,
			CASE h.rowid % 4
				WHEN 1 THEN h.rowid / 4
				WHEN 3 THEN (SELECT call_id FROM change_talk WHERE id = h.rowid / 4)
				ELSE 0 END
		FROM hits h JOIN people p ON p.id = h.person_id`

// searchMatch turns what the coach typed into an FTS5 query: each word a
// quoted prefix, all of them required. Punctuation separates words and is
// never read as query syntax.
func searchMatch(query string) string {
	words := strings.FieldsFunc(query, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	var parts []string
	for _, w := range words {
		parts = append(parts, `"`+w+`"*`)
	}
	return strings.Join(parts, " ")
}
