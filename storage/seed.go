package storage

import (
	"context"
	"database/sql"
	"fmt"

	"callcoach/coaching"
)

// Seed adds people with their past calls in one transaction: the sample
// caseload of `callcoach demo`, or people made up for tests. Calls are
// stored as given, ended or not; a call with no role was made by a coach.
func (s *Store) Seed(ctx context.Context, people []coaching.SamplePerson) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		callStmt, err := tx.PrepareContext(ctx, `INSERT INTO calls
			(person_id, role, started_at, ended_at, outcome, notes, notes_rev, summary, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer callStmt.Close()
		for _, sp := range people {
			id, err := insertPerson(ctx, tx, sp.Person, sp.Person.CreatedAt, sp.Person.UpdatedAt)
			if err != nil {
				return err
			}
			for _, c := range sp.Calls {
				var ended, outcome any
				if !c.EndedAt.IsZero() {
					ended, outcome = formatTime(c.EndedAt), string(c.Outcome)
				}
				updated := c.UpdatedAt
				if updated.IsZero() {
					updated = c.StartedAt
				}
				role := c.Role
				if role == "" {
					role = coaching.RoleCoach
				}
				if _, err := callStmt.ExecContext(ctx, id, string(role), formatTime(c.StartedAt), ended, outcome,
					c.Notes, c.NotesRev, c.Summary, formatTime(updated)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("seed %d people: %w", len(people), err)
	}
	return nil
}
