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
}

// registrySQL reads the registry's page in its order from one range of
// measure_progress_registry: not responding, the longest in care first
// (so those not on track lead, whatever the set weeks), then responding,
// then not tracked. Closed people are left out: no longer in care.
const registrySQL = `SELECT mp.person_id, p.name, mp.first_total, mp.first_at, mp.latest_total, mp.latest_at, mp.count
	FROM measure_progress mp INDEXED BY measure_progress_registry
	JOIN people p ON p.id = mp.person_id
	WHERE mp.instrument = ? AND p.status <> 'closed'
	ORDER BY mp.state, mp.first_at, mp.person_id
	LIMIT ?`

// Registry reads the first limit people of the treat to target registry
// for PHQ-9 or GAD-7. The order does not depend on the clock or the set
// weeks: coaching.TargetOf works out each row's status.
func (s *Store) Registry(ctx context.Context, instrument measures.ID, limit int) ([]RegistryRow, error) {
	if instrument != measures.PHQ9 && instrument != measures.GAD7 {
		return nil, fmt.Errorf("registry: %q is not tracked to target (only phq9 and gad7)", instrument)
	}
	var out []RegistryRow
	err := s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, registrySQL, string(instrument), limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r RegistryRow
			var firstAt, latestAt string
			if err := rows.Scan(&r.PersonID, &r.Name, &r.Progress.FirstTotal, &firstAt, &r.Progress.LatestTotal, &latestAt, &r.Progress.Count); err != nil {
				return err
			}
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
