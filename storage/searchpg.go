package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// Newest first on PostgreSQL. The planner chooses between walking the
// newest rows (search_text's primary key, backwards) until enough match,
// and reading the GIN index of words for every match and sorting them. It
// judges by how many rows it expects to match, each word's share of the
// rows multiplied, as if words were independent; they are not. Two
// common words that are never in one note ("days mornings": each in tens
// of thousands of a million notes, together in none) look like thousands
// of matches, so it walks, and the walk reads every row to the end (700 ms
// in a million notes), where the index would have said "none" at once.
//
// So the walk is bounded here, and the index read when the walk has not
// found enough: the first walk reads the newest pgWalkFirst rows; if too few of
// them match to fill the limit, it walks again as far as their share says
// the limit needs (at most pgWalkMost rows); if that falls short too, or
// nothing matched, the GIN index gives every match (pgNewestIDs). Each
// step's answer is whole on its own, so the result is the newest limit
// matches whichever step gives it.

const (
	// pgWalkFirst is how many of the newest rows the first walk reads,
	// for a limit of up to pgWalkFirst: a few milliseconds.
	pgWalkFirst = 1000
	// pgWalkMost is the longest walk, for a limit of up to pgWalkMost/30:
	// beyond it, reading the index and sorting costs less.
	pgWalkMost = 30000
)

// pgWalks is how far the first walk goes for limit, and the longest walk.
func pgWalks(limit int) (first, most int) {
	return max(pgWalkFirst, limit), max(pgWalkMost, 30*limit)
}

// pgWalkSQL reads the matches among the newest ?1 rows of search_text,
// newest first, at most ?3 (?2 the tsquery); cols are the columns read.
// The inner LIMIT keeps the planner from walking further.
func pgWalkSQL(cols string) string {
	return `SELECT ` + cols + ` FROM (SELECT rowid, person_id, body, words FROM search_text
		ORDER BY rowid DESC LIMIT ?1) r WHERE words @@ to_tsquery('callcoach_search', ?2) ORDER BY rowid DESC LIMIT ?3`
}

// pgWalkLength is how far the second walk goes, given that found of the
// first walk's walked rows matched and limit are wanted; 0 if a second
// walk would not do (nothing matched, or the walk would be longer than
// most).
func pgWalkLength(found, walked, limit, most int) int {
	if found == 0 || found >= limit {
		return 0
	}
	// Half as far again as the share found says, so that a share a
	// little lower further back still fills the limit.
	n := (limit*walked/found)*3/2 + 1
	if n > most {
		return 0
	}
	return n
}

// pgNewestIDs is the rowids of the newest limit matches of w, read from a
// GIN index (search_starts', when w has words its query can take, else
// search_text's): every match is found, and the newest sorted out.
// The planner is told not to walk (enable_indexscan, which would read the
// primary key backwards) nor to read the whole table (enable_seqscan),
// and given memory enough that the index's lists of rows stay exact
// (work_mem; at 4 MB a common word's list of a million notes is kept by
// page, and each row of each page is checked again); nor JIT nor parallel
// workers, whose start costs more than the query (50 ms for workers in a
// million notes, where the index's answer took 5). Those settings hold
// for the one query only: in a transaction of its own on db, or inside
// tx to a savepoint rolled back after.
func pgNewestIDs(ctx context.Context, q querier, w SearchWords, limit int) (ids []int64, err error) {
	var tx *sql.Tx
	switch q := q.(type) {
	case *sql.Tx:
		tx = q
		if _, err := tx.ExecContext(ctx, "SAVEPOINT newest"); err != nil {
			return nil, err
		}
		defer func() {
			if _, rerr := tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT newest"); rerr != nil {
				err = errors.Join(err, rerr)
			}
		}()
	case interface {
		BeginTx(context.Context, *sql.TxOptions) (*sql.Tx, error)
	}:
		if tx, err = q.BeginTx(ctx, &sql.TxOptions{ReadOnly: true}); err != nil {
			return nil, err
		}
		defer func() { err = errors.Join(err, rollback(tx)) }()
	default:
		return nil, fmt.Errorf("pgNewestIDs: %T", q)
	}
	if _, err := tx.ExecContext(ctx, `SELECT set_config('enable_indexscan', 'off', true), set_config('enable_seqscan', 'off', true),
		set_config('work_mem', '64MB', true), set_config('jit', 'off', true), set_config('max_parallel_workers_per_gather', '0', true)`); err != nil {
		return nil, err
	}
	query, args := `SELECT rowid FROM search_text WHERE `+pgMatch+` ORDER BY rowid DESC LIMIT ?`, []any{w.tsquery(), limit}
	if px := w.prefixQuery(); px != "" {
		// The starts of words find the rows (search_starts, migration
		// 26), each then asked the query itself (IS TRUE keeps the planner
		// off the index of words), found by its primary key: no join but
		// a loop over the rows found.
		if _, err := tx.ExecContext(ctx, `SELECT set_config('enable_hashjoin', 'off', true), set_config('enable_mergejoin', 'off', true)`); err != nil {
			return nil, err
		}
		query = `SELECT t.rowid FROM search_starts s JOIN search_text t ON t.rowid = s.rowid
			WHERE s.prefixes @@ ?::tsquery AND (t.words @@ to_tsquery('callcoach_search', ?)) IS TRUE
			ORDER BY t.rowid DESC LIMIT ?`
		args = []any{px, w.tsquery(), limit}
	}
	return queryIDs(ctx, tx, query, args...)
}

// searchNewestPG is Search's query on PostgreSQL: the newest limit hits
// of w, by a walk of the newest rows or the index (see the top of this file).
func searchNewestPG(ctx context.Context, conn *sql.Conn, w SearchWords, limit int) ([]SearchHit, error) {
	tsquery := w.tsquery()
	first, most := pgWalks(limit)
	walk := searchHitsFrom(true, pgWalkSQL("rowid, person_id, body AS snip"))
	hits, err := searchHits(ctx, conn, true, w, walk, first, tsquery, limit)
	if err != nil || len(hits) >= limit {
		return hits, err
	}
	if n := pgWalkLength(len(hits), first, limit, most); n > 0 {
		if hits, err = searchHits(ctx, conn, true, w, walk, n, tsquery, limit); err != nil || len(hits) >= limit {
			return hits, err
		}
	}
	ids, err := pgNewestIDs(ctx, conn, w, limit)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	args := []any{tsquery}
	for _, id := range ids {
		args = append(args, id)
	}
	return searchHits(ctx, conn, true, w, searchHitsSQL(true, len(ids)), args...)
}

// bestWindowPG is bestWindow on PostgreSQL: the newest BestMatchWindow
// matches' text, by a walk or the index as searchNewestPG finds them.
func bestWindowPG(ctx context.Context, q querier, w SearchWords) ([]matchText, error) {
	tsquery := w.tsquery()
	first, most := pgWalks(BestMatchWindow)
	read := func(query string, args ...any) ([]matchText, error) {
		return readMatchTexts(ctx, q, query, args...)
	}
	walk := pgWalkSQL("rowid, body")
	found, err := read(walk, first, tsquery, BestMatchWindow)
	if err != nil || len(found) >= BestMatchWindow {
		return found, err
	}
	if n := pgWalkLength(len(found), first, BestMatchWindow, most); n > 0 {
		if found, err = read(walk, n, tsquery, BestMatchWindow); err != nil || len(found) >= BestMatchWindow {
			return found, err
		}
	}
	ids, err := pgNewestIDs(ctx, q, w, BestMatchWindow)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	return read(`SELECT rowid, body FROM search_text WHERE rowid = ANY (?) ORDER BY rowid DESC`, ids)
}

// prefixLength is how many characters of a word search_starts.prefixes
// keeps at most (migration 26).
const prefixLength = 12

// prefixQuery is a tsquery for search_starts.prefixes that every row w
// matches also matches: each word as an exact lexeme, a word begun cut to
// prefixLength characters. Words of other than ASCII letters and digits
// are left out (PostgreSQL's parser might split them otherwise than as
// one lexeme); "" if none is left.
func (w SearchWords) prefixQuery() string {
	var parts []string
	for _, sw := range w.words {
		f := foldWord(sw.text)
		if f == "" || strings.IndexFunc(f, func(r rune) bool { return !('a' <= r && r <= 'z' || '0' <= r && r <= '9') }) >= 0 {
			continue
		}
		if sw.prefix && len(f) > prefixLength {
			f = f[:prefixLength]
		}
		parts = append(parts, "'"+f+"'")
	}
	return strings.Join(parts, " & ")
}
