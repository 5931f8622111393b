package storage

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"

	"callcoach/coaching"
	"callcoach/coaching/measures"
)

// Seed adds people with their past calls, plans, follow-ups and measures in one
// transaction: the sample caseload of `callcoach demo`, or people made up
// for tests. Calls are stored as given, ended or not; a call with no role
// was made by a coach, and calls and plans with no coach's name by this
// Store's coach.
func (s *Store) Seed(ctx context.Context, people []coaching.SamplePerson) error {
	coach := s.coachName()
	err := s.write(ctx, func(tx *sql.Tx) error {
		callStmt, err := tx.PrepareContext(ctx, `INSERT INTO calls
			(person_id, role, started_at, ended_at, outcome, notes, notes_rev, summary, updated_at, coach)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
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
					c.Notes, c.NotesRev, c.Summary, formatTime(updated), cmp.Or(c.Coach, coach)); err != nil {
					return err
				}
			}
			if err := seedSamplePlans(ctx, tx, id, sp, coach); err != nil {
				return err
			}
			for _, r := range sp.Readings {
				var value2 any
				if r.Value2 != 0 {
					value2 = r.Value2
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO readings
					(person_id, kind, value, value2, unit, entered_value, taken_at, recorded_at, coach) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
					id, string(r.Kind), r.Value, value2, r.Unit, r.Entered, formatTime(r.TakenAt), formatTime(r.TakenAt), coach); err != nil {
					return err
				}
			}
			for _, m := range sp.Measures {
				inst, ok := measures.Get(measures.ID(m.Instrument))
				if !ok {
					return fmt.Errorf("sample measure: unknown instrument %q", m.Instrument)
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO measures (person_id, instrument, given_at, complete, scored, total, band)
					VALUES (?, ?, ?, 1, 1, ?, ?)`, id, m.Instrument, formatTime(m.At), m.Total, inst.BandOf(m.Total)); err != nil {
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

// seedSamplePlans stores a sample person's plans, with their scores, and their
// follow-ups (the last plan's, if there is one).
func seedSamplePlans(ctx context.Context, tx *sql.Tx, personID int64, sp coaching.SamplePerson, coach string) error {
	var last int64
	for _, pl := range sp.Plans {
		p := pl.Plan
		p.PersonID = personID
		p.Coach = cmp.Or(p.Coach, coach)
		if pl.RevisesPrevious {
			p.Replaces = last
		}
		checked, err := checkPlan(p)
		if err != nil {
			return err
		}
		if last, err = savePlan(ctx, tx, checked, pl.At); err != nil {
			return err
		}
		if err := addScores(ctx, tx, last, pl.Scores, pl.At); err != nil {
			return err
		}
	}
	for _, f := range sp.FollowUps {
		f.PersonID, f.PlanID = personID, last
		created := f.CreatedAt
		if created.IsZero() {
			created = f.Due.AddDate(0, 0, -7)
		}
		if _, err := insertFollowUp(ctx, tx, f, created); err != nil {
			return err
		}
	}
	return nil
}
