package storage

import (
	"context"
	"database/sql"
	"fmt"

	"callcoach/coaching"
	"callcoach/coaching/measures"
)

// RegistryRow is one person's line in the treat to target registry.
type RegistryRow struct {
	PersonID int64
	Name     string
	Progress coaching.Progress
	Key      RegistryKey // where the row stands in the registry's order, to read on after it
}

// RegistryKey is a place in the registry's order (keyset paging): the
// zero key is before the first row.
type RegistryKey struct {
	state    int
	firstAt  string
	personID int64
	set      bool
}

// registrySQL reads the registry's page in its order from one range of
// measure_progress_registry: not responding, the longest in care first
// (so those not on track lead, whatever the set weeks), then responding,
// then not tracked. Closed people are left out: no longer in care. A page
// goes on after the key of the last row of the page before. It is
// SQLite's: forEngine makes it PostgreSQL's.
const registrySQL = `SELECT mp.person_id, p.name, mp.first_total, mp.first_at, mp.latest_total, mp.latest_at, mp.count, mp.state
	FROM measure_progress mp INDEXED BY measure_progress_registry
	JOIN people p ON p.id = mp.person_id
	WHERE mp.instrument = ? AND (mp.state, mp.first_at, mp.person_id) > (?, ?, ?) AND p.status <> 'closed'
	ORDER BY mp.state, mp.first_at, mp.person_id
	LIMIT ?`

// Registry reads the first limit people of the treat to target registry
// for PHQ-9 or GAD-7. The order does not depend on the clock or the set
// weeks: coaching.TargetOf works out each row's status.
func (s *Store) Registry(ctx context.Context, instrument measures.ID, limit int) ([]RegistryRow, error) {
	return s.RegistryAfter(ctx, instrument, RegistryKey{}, limit)
}

// RegistryAfter reads the next limit people of the registry after the
// row whose Key is after (the zero key: from the first).
func (s *Store) RegistryAfter(ctx context.Context, instrument measures.ID, after RegistryKey, limit int) ([]RegistryRow, error) {
	if instrument != measures.PHQ9 && instrument != measures.GAD7 {
		return nil, fmt.Errorf("registry: %q is not tracked to target (only phq9 and gad7)", instrument)
	}
	if !after.set {
		after = RegistryKey{state: -1}
	}
	var out []RegistryRow
	err := s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, forEngine(s.pg, registrySQL), string(instrument), after.state, after.firstAt, after.personID, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r RegistryRow
			var firstAt, latestAt string
			if err := rows.Scan(&r.PersonID, &r.Name, &r.Progress.FirstTotal, &firstAt, &r.Progress.LatestTotal, &latestAt,
				&r.Progress.Count, &r.Key.state); err != nil {
				return err
			}
			r.Key.firstAt, r.Key.personID, r.Key.set = firstAt, r.PersonID, true
			if r.Progress.FirstAt, err = parseTime(firstAt); err != nil {
				return fmt.Errorf("person %d: first_at: %w", r.PersonID, err)
			}
			if r.Progress.LatestAt, err = parseTime(latestAt); err != nil {
				return fmt.Errorf("person %d: latest_at: %w", r.PersonID, err)
			}
			out = append(out, r)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("registry %s: %w", instrument, err)
	}
	return out, nil
}
