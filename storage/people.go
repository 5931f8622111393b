package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"callcoach/coaching"
)

// CreatePerson adds p to the caseload and returns its id. The caller has
// already called p.Normalize; p is stored as given, and p.ID, p.CreatedAt
// and p.UpdatedAt are ignored (both times become now).
func (s *Store) CreatePerson(ctx context.Context, p coaching.Person, now time.Time) (int64, error) {
	var id int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = insertPerson(ctx, tx, p, now, now)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("create person: %w", err)
	}
	return id, nil
}

// insertPerson adds p, with the times given, in tx and returns its id.
func insertPerson(ctx context.Context, tx *sql.Tx, p coaching.Person, created, updated time.Time) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO people
		(name, preferred_name, phone, phone_digits, time_zone, conditions, call_times,
		 communication_needs, consent, consent_date, status, created_at, updated_at, identifier, identifier_system,
		 given_names, family_name)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		p.Name, p.PreferredName, p.Phone, coaching.PhoneDigits(p.Phone), p.TimeZone,
		coaching.FormatConditions(p.Conditions), p.CallTimes, p.CommunicationNeeds,
		p.Consent, nullString(p.ConsentDate), string(p.Status), formatTime(created), formatTime(updated),
		p.Identifier, p.IdentifierSystem, p.GivenNames, p.FamilyName).Scan(&id)
	return id, err
}

// UpdatePerson saves every field of the person with id p.ID (already
// normalized) and sets updated_at to now; created_at is kept.
func (s *Store) UpdatePerson(ctx context.Context, p coaching.Person, now time.Time) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE people SET
			name = ?, preferred_name = ?, phone = ?, phone_digits = ?, time_zone = ?,
			conditions = ?, call_times = ?, communication_needs = ?, consent = ?,
			consent_date = ?, consent_at = CASE WHEN ? = 1 THEN consent_at END, status = ?, updated_at = ?,
			identifier = ?, identifier_system = ?, given_names = ?, family_name = ?
			WHERE id = ?`,
			p.Name, p.PreferredName, p.Phone, coaching.PhoneDigits(p.Phone), p.TimeZone,
			coaching.FormatConditions(p.Conditions), p.CallTimes, p.CommunicationNeeds,
			p.Consent, nullString(p.ConsentDate), p.Consent, string(p.Status), formatTime(now),
			p.Identifier, p.IdentifierSystem, p.GivenNames, p.FamilyName, p.ID)
		if err != nil {
			return err
		}
		return requireOneRow(res)
	})
	if err != nil {
		return fmt.Errorf("update person %d: %w", p.ID, err)
	}
	return nil
}

// GetPerson reads one person; the error wraps ErrNotFound if there is none.
func (s *Store) GetPerson(ctx context.Context, id int64) (coaching.Person, error) {
	var (
		p                  coaching.Person
		conditions, status string
		consentDate        sql.NullString
		consentAt          sql.NullString
		created, updated   string
	)
	err := s.ro.QueryRowContext(ctx, `SELECT id, name, preferred_name, phone, time_zone,
		conditions, call_times, communication_needs, consent, consent_date, consent_at, status,
		created_at, updated_at, identifier, identifier_system, given_names, family_name
		FROM people WHERE id = ?`, id,
	).Scan(&p.ID, &p.Name, &p.PreferredName, &p.Phone, &p.TimeZone,
		&conditions, &p.CallTimes, &p.CommunicationNeeds, &p.Consent, &consentDate, &consentAt, &status,
		&created, &updated, &p.Identifier, &p.IdentifierSystem, &p.GivenNames, &p.FamilyName)
	if errors.Is(err, sql.ErrNoRows) {
		return coaching.Person{}, notFound("person", id)
	}
	if err != nil {
		return coaching.Person{}, fmt.Errorf("get person %d: %w", id, err)
	}
	p.Conditions = coaching.ParseConditions(conditions)
	p.ConsentDate = consentDate.String
	if p.ConsentAt, err = parseNullTime(consentAt); err != nil {
		return coaching.Person{}, fmt.Errorf("get person %d: consent_at: %w", id, err)
	}
	p.Status = coaching.Status(status)
	if p.CreatedAt, err = parseTime(created); err != nil {
		return coaching.Person{}, fmt.Errorf("get person %d: created_at: %w", id, err)
	}
	if p.UpdatedAt, err = parseTime(updated); err != nil {
		return coaching.Person{}, fmt.Errorf("get person %d: updated_at: %w", id, err)
	}
	return p, nil
}

// RecordConsent records that the person gave verbal consent at now (on a
// call): consent yes, its date (the coach's day in loc) if none was
// recorded, and the moment. Recording it again keeps the first moment.
func (s *Store) RecordConsent(ctx context.Context, personID int64, now time.Time, loc *time.Location) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE people SET consent = 1, consent_date = coalesce(consent_date, ?),
			consent_at = coalesce(consent_at, ?), updated_at = ? WHERE id = ?`,
			now.In(loc).Format(time.DateOnly), formatTime(now), formatTime(now), personID)
		if err != nil {
			return err
		}
		return requireOneRow(res)
	})
	if err != nil {
		return fmt.Errorf("record consent of person %d: %w", personID, err)
	}
	return nil
}

// nullString stores the empty string as NULL.
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// requireOneRow turns an UPDATE that matched nothing into ErrNotFound.
func requireOneRow(res sql.Result) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}
