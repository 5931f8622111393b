package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"time"

	"callcoach/coaching"
)

// Readings: what a person tracked at home and reported in a call, each in
// its kind's canonical unit with what the coach typed beside it. Storage
// does not convert or check ranges; coaching.ReadingRegistry does.

// AddReading stores r, recorded at now, and returns its id. r.ID and
// r.RecordedAt are ignored; a zero r.TakenAt is now. r.CallID, if set,
// must be a call with r.PersonID. The audit trail gets the kind, never the
// value, in the same transaction. The error wraps ErrNotFound if the
// person or the call does not exist.
func (s *Store) AddReading(ctx context.Context, r coaching.Reading, now time.Time) (int64, error) {
	if err := checkReading(r); err != nil {
		return 0, fmt.Errorf("add reading for person %d: %w", r.PersonID, err)
	}
	taken := r.TakenAt
	if taken.IsZero() {
		taken = now
	}
	var id int64
	coach := s.coachName()
	err := s.write(ctx, func(tx *sql.Tx) error {
		if err := requirePerson(ctx, tx, r.PersonID); err != nil {
			return err
		}
		if err := requireCallWith(ctx, tx, r.CallID, r.PersonID); err != nil {
			return err
		}
		var value2 any
		if r.Value2 != 0 {
			value2 = r.Value2
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO readings
			(person_id, call_id, kind, value, value2, unit, entered_value, taken_at, recorded_at, coach)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			r.PersonID, nullID(r.CallID), string(r.Kind), r.Value, value2, r.Unit, r.Entered, formatTime(taken), formatTime(now), coach).Scan(&id)
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, coaching.AuditReadingRecorded, r.PersonID, string(r.Kind), now)
	})
	if err != nil {
		return 0, fmt.Errorf("add reading for person %d: %w", r.PersonID, err)
	}
	return id, nil
}

func checkReading(r coaching.Reading) error {
	switch {
	case r.Kind == "":
		return errors.New("a reading needs its kind")
	case r.Unit == "":
		return errors.New("a reading needs its unit")
	case math.IsNaN(r.Value) || math.IsInf(r.Value, 0) || math.IsNaN(r.Value2) || math.IsInf(r.Value2, 0):
		return errors.New("a reading's value must be a number")
	}
	return nil
}

// readingColumns are what scanReading reads.
const readingColumns = "id, person_id, call_id, kind, value, value2, unit, entered_value, taken_at, recorded_at, coach"

// ReadingsForPerson returns a person's readings, oldest first (by when
// they were taken, then as recorded). The error wraps ErrNotFound if
// there is no such person.
func (s *Store) ReadingsForPerson(ctx context.Context, personID int64) ([]coaching.Reading, error) {
	var out []coaching.Reading
	err := s.read(ctx, func(tx *sql.Tx) error {
		if err := requirePerson(ctx, tx, personID); err != nil {
			return err
		}
		var err error
		out, err = collect(ctx, tx, scanReading, "SELECT "+readingColumns+" FROM readings WHERE person_id = ? ORDER BY taken_at, id", personID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("readings for person %d: %w", personID, err)
	}
	return out, nil
}

func scanReading(row interface{ Scan(...any) error }) (coaching.Reading, error) {
	var (
		r               coaching.Reading
		call            sql.NullInt64
		value2          sql.NullFloat64
		kind            string
		taken, recorded string
	)
	if err := row.Scan(&r.ID, &r.PersonID, &call, &kind, &r.Value, &value2, &r.Unit, &r.Entered, &taken, &recorded, &r.Coach); err != nil {
		return coaching.Reading{}, err
	}
	r.CallID, r.Kind, r.Value2 = call.Int64, coaching.ReadingKind(kind), value2.Float64
	var err error
	if r.TakenAt, err = parseTime(taken); err != nil {
		return coaching.Reading{}, fmt.Errorf("reading %d: taken_at: %w", r.ID, err)
	}
	if r.RecordedAt, err = parseTime(recorded); err != nil {
		return coaching.Reading{}, fmt.Errorf("reading %d: recorded_at: %w", r.ID, err)
	}
	return r, nil
}
