package storage

import (
	"context"
	"database/sql"
	"fmt"
)

// Name order as numbers. Every person has a name_key, and name_key order
// is name order: name without regard to case, then id. The caseload pages
// through people by name_key, and the finder's trigram index is keyed by
// it, so matches come out already in name order (migration 11).
//
// Keys live in (0, nameKeyTop]. A person added or renamed is left without
// a key (NULL) by the statement that adds or renames them, and keyNames,
// run by every write transaction before it commits, gives them one
// between their two neighbours. When two neighbours have no room between
// them, a stretch around them is spread out evenly again, wide enough
// that the next many additions there find room; this is the classic
// order-maintenance scheme, with work per addition that stays small on
// average whatever the caseload's size.
const (
	nameKeyTop = int64(1) << 62
	// nameKeyStep is the room left after the last person (or before the
	// first) for one added at either end, so adding people in name order
	// (an import of a sorted list) never crowds.
	nameKeyStep = int64(1) << 32
	// nameKeyRoom is the least room a spread-out stretch leaves between
	// neighbours.
	nameKeyRoom = int64(1) << 20
)

// keyNames gives every person without a name_key their place in name
// order (pg: the transaction is PostgreSQL's). On PostgreSQL a coach sees
// only their own people and the pool, but keys are unique across the
// team: the neighbours are read, and keys set, through the SECURITY
// DEFINER functions name_neighbour_key, name_keys_from and set_name_key,
// which see everyone (0024_baseline.sql, "Teams").
func keyNames(ctx context.Context, tx *sql.Tx, pg bool) error {
	type unkeyed struct {
		id   int64
		name string
	}
	var todo []unkeyed
	rows, err := tx.QueryContext(ctx, unkeyedSQL)
	if err != nil {
		return fmt.Errorf("name order: %w", err)
	}
	for rows.Next() {
		var u unkeyed
		if err := rows.Scan(&u.id, &u.name); err != nil {
			rows.Close()
			return fmt.Errorf("name order: %w", err)
		}
		todo = append(todo, u)
	}
	if err := rows.Close(); err != nil {
		return fmt.Errorf("name order: %w", err)
	}
	for _, u := range todo {
		if err := placeName(ctx, tx, u.id, u.name, pg); err != nil {
			return fmt.Errorf("name order of person %d: %w", u.id, err)
		}
	}
	return nil
}

// placeName gives person id (named name) a key between the keyed people
// just before and just after them in name order.
func placeName(ctx context.Context, tx *sql.Tx, id int64, name string, pg bool) error {
	lo, err := neighbourKey(ctx, tx, id, name, true, pg)
	if err != nil {
		return err
	}
	hi, err := neighbourKey(ctx, tx, id, name, false, pg)
	if err != nil {
		return err
	}
	var key int64
	switch {
	case hi == 0 && lo <= nameKeyTop-nameKeyStep: // the last in name order
		key = lo + nameKeyStep
	case lo == 0 && hi > nameKeyStep: // the first
		key = hi - nameKeyStep
	case hi == 0 && lo < nameKeyTop:
		key = lo + (nameKeyTop-lo+1)/2
	case hi-lo >= 2:
		key = lo + (hi-lo)/2
	default:
		return spreadNames(ctx, tx, id, lo, hi, pg)
	}
	return setNameKey(ctx, tx, id, key, pg)
}

// setNameKey gives person id the key (0: none, only if they have one).
func setNameKey(ctx context.Context, tx *sql.Tx, id, key int64, pg bool) error {
	var err error
	switch {
	case pg:
		_, err = tx.ExecContext(ctx, "SELECT set_name_key(?, ?)", id, sql.NullInt64{Int64: key, Valid: key != 0})
	case key == 0:
		_, err = tx.ExecContext(ctx, "UPDATE people SET name_key = NULL WHERE id = ? AND name_key IS NOT NULL", id)
	default:
		_, err = tx.ExecContext(ctx, "UPDATE people SET name_key = ? WHERE id = ?", key, id)
	}
	return err
}

// neighbourKey is the key of the keyed person just before (before) or
// just after person id in name order, or 0 if there is none. Each is one
// or two seeks in people_name, whose order is name without case, then id.
func neighbourKey(ctx context.Context, tx *sql.Tx, id int64, name string, before, pg bool) (int64, error) {
	if pg {
		q := "SELECT name_neighbour_key(?, ?, false)"
		if before {
			q = "SELECT name_neighbour_key(?, ?, true)"
		}
		var key sql.NullInt64
		err := tx.QueryRowContext(ctx, q, name, id).Scan(&key)
		return key.Int64, err
	}
	queries := neighbourAfterSQL
	if before {
		queries = neighbourBeforeSQL
	}
	for i, q := range queries {
		// The next name's query has no id.
		args := []any{name, id}[:2-i]
		var key int64
		err := tx.QueryRowContext(ctx, q, args...).Scan(&key)
		if err == nil {
			return key, nil
		}
		if err != sql.ErrNoRows {
			return 0, err
		}
	}
	return 0, nil
}

// The neighbour queries, with the same name first, then the next name.
var (
	neighbourAfterSQL = [2]string{`SELECT name_key FROM people
		WHERE name = ?1 COLLATE NOCASE AND id > ?2 AND name_key IS NOT NULL
		ORDER BY name COLLATE NOCASE, id LIMIT 1`, `SELECT name_key FROM people
		WHERE name > ?1 COLLATE NOCASE AND name_key IS NOT NULL
		ORDER BY name COLLATE NOCASE, id LIMIT 1`}
	neighbourBeforeSQL = [2]string{`SELECT name_key FROM people
		WHERE name = ?1 COLLATE NOCASE AND id < ?2 AND name_key IS NOT NULL
		ORDER BY name COLLATE NOCASE DESC, id DESC LIMIT 1`, `SELECT name_key FROM people
		WHERE name < ?1 COLLATE NOCASE AND name_key IS NOT NULL
		ORDER BY name COLLATE NOCASE DESC, id DESC LIMIT 1`}
)

// spreadNames makes room for person id between keys lo and hi (adjacent:
// no key fits between them). It takes a stretch of keyed people around
// the gap, doubling it until its outer neighbours leave at least
// nameKeyRoom per person, and gives everyone in it, id included in its
// place, evenly spaced keys.
func spreadNames(ctx context.Context, tx *sql.Tx, id, lo, hi int64, pg bool) error {
	for width := 8; ; width *= 2 {
		below, floor, err := keysFrom(ctx, tx, lo, width, true, pg)
		if err != nil {
			return err
		}
		above, ceil, err := keysFrom(ctx, tx, hi, width, false, pg)
		if err != nil {
			return err
		}
		n := int64(len(below) + 1 + len(above))
		if ceil == 0 {
			ceil = nameKeyTop + 1
		}
		if (ceil-floor)/(n+1) < nameKeyRoom && (floor != 0 || ceil != nameKeyTop+1) {
			continue // too crowded: take a wider stretch
		}
		// below is nearest first: reverse it, then the new person, then above.
		ids := make([]int64, 0, n)
		for i := len(below) - 1; i >= 0; i-- {
			ids = append(ids, below[i])
		}
		ids = append(ids, id)
		ids = append(ids, above...)
		gap := (ceil - floor) / (n + 1)
		if gap < 1 {
			return fmt.Errorf("no room left in name order for %d people", n)
		}
		// Clear the stretch's keys first, so no new key meets an old one.
		for _, p := range ids {
			if err := setNameKey(ctx, tx, p, 0, pg); err != nil {
				return err
			}
		}
		for i, p := range ids {
			if err := setNameKey(ctx, tx, p, floor+int64(i+1)*gap, pg); err != nil {
				return err
			}
		}
		return nil
	}
}

const (
	keysUpSQL   = "SELECT id, name_key FROM people WHERE name_key >= ? ORDER BY name_key LIMIT ?"
	keysDownSQL = "SELECT id, name_key FROM people WHERE name_key <= ? ORDER BY name_key DESC LIMIT ?"
	unkeyedSQL  = "SELECT id, name FROM people WHERE name_key IS NULL ORDER BY id"
	// PostgreSQL's, through everyone.
	keysUpPostgres   = "SELECT id, name_key FROM name_keys_from(?, ?, false)"
	keysDownPostgres = "SELECT id, name_key FROM name_keys_from(?, ?, true)"
)

// keysFrom lists the ids of up to width keyed people from key on (key
// included), going down (down) or up in name order, nearest first, and
// the key of the next person beyond them: 0 if there is none.
func keysFrom(ctx context.Context, tx *sql.Tx, key int64, width int, down, pg bool) (ids []int64, beyond int64, err error) {
	if key == 0 {
		return nil, 0, nil
	}
	q := keysUpSQL
	switch {
	case pg && down:
		q = keysDownPostgres
	case pg:
		q = keysUpPostgres
	case down:
		q = keysDownSQL
	}
	rows, err := tx.QueryContext(ctx, q, key, width+1)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var id, k int64
		if err := rows.Scan(&id, &k); err != nil {
			return nil, 0, err
		}
		if len(ids) == width {
			beyond = k
			break
		}
		ids = append(ids, id)
	}
	return ids, beyond, rows.Err()
}

// The finder's index (people_search) reads every segment for every
// trigram of a filter, so it is kept in few: migration 11 and large
// imports merge it whole, and after the page check at open a file whose
// index has gathered more than finderSegments segments (people added one
// at a time leave them) is merged a step at a time, finderMergePages
// pages a transaction, so no step holds the write lock for long
// (docs/performance.md).
const (
	finderSegments   = 8
	finderMergePages = 200
)

// tidyFinder merges the finder's index when it has gathered many
// segments, in short steps, until FTS5 reports no more work or ctx ends.
// PostgreSQL's finder is a GIN index, which has no segments: what it
// gathers (its pending list) vacuum merges.
func (s *Store) tidyFinder(ctx context.Context) error {
	if s.pg {
		return nil
	}
	var segs int
	if err := s.ro.QueryRowContext(ctx, "SELECT count(DISTINCT segid) FROM people_search_idx").Scan(&segs); err != nil {
		return fmt.Errorf("count the finder's segments: %w", err)
	}
	if segs <= finderSegments {
		return nil
	}
	for ctx.Err() == nil {
		var before, after int64
		err := s.write(ctx, func(tx *sql.Tx) error {
			if err := tx.QueryRowContext(ctx, "SELECT total_changes()").Scan(&before); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO people_search (people_search, rank) VALUES ('merge', ?)", -finderMergePages); err != nil {
				return err
			}
			return tx.QueryRowContext(ctx, "SELECT total_changes()").Scan(&after)
		})
		if err != nil {
			return fmt.Errorf("merge the finder's index: %w", err)
		}
		if after-before < 2 { // FTS5's sign that nothing was left to merge
			return nil
		}
	}
	return ctx.Err()
}
