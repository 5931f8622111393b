package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"time"

	"callcoach/coaching"
	"callcoach/coaching/measures"
)

// Measures: standard questionnaires given in a call, each stored with every
// item's answer and the result the caller worked out. Storage takes each
// instrument's name and number of items from the registry in
// coaching/measures, and does not score.

// MeasureRecord is one administration of an instrument.
type MeasureRecord struct {
	ID, PersonID, CallID int64
	Instrument           string // an instrument's ID in the registry (measures.All)
	GivenAt              time.Time
	Answers              []int // by item, in order from item 1; -1 is declined
	Complete, Scored     bool
	Total                float64 // 0 when not scored
	Band                 string  // the instrument's band; "positive" or "negative" on a two-item screen
	Closing              int     // the unscored closing question's answer; -1 when not answered (declined, or not asked)
	Coach                string  // the name of the coach who gave it; set by SaveMeasure
	// SafetyEventID is the safety event this administration raised (its
	// safety item answered above 0, the panel opened before the measure
	// was saved); 0 if none. SaveMeasure links that event to the measure.
	SafetyEventID int64
}

// SaveMeasure stores an administration with its item answers and result in
// one transaction, given at now, and returns its id. m.ID and m.GivenAt
// are ignored. m.CallID, if set, must be a call with m.PersonID. If
// m.SafetyEventID is set, that event, which must be the person's, raised
// by this instrument's safety item and not yet linked to a measure, is
// linked to the new measure in the same transaction. The error wraps
// ErrNotFound if the person, the call or the event does not exist; if
// anything is refused, nothing is written.
func (s *Store) SaveMeasure(ctx context.Context, m MeasureRecord, now time.Time) (int64, error) {
	if err := checkMeasure(m); err != nil {
		return 0, fmt.Errorf("save measure for person %d: %w", m.PersonID, err)
	}
	var id int64
	coach := s.coachName()
	err := s.write(ctx, func(tx *sql.Tx) error {
		if err := requirePerson(ctx, tx, m.PersonID); err != nil {
			return err
		}
		if err := requireCallWith(ctx, tx, m.CallID, m.PersonID); err != nil {
			return err
		}
		var total, closing any
		if m.Scored {
			total = m.Total
		}
		if m.Closing != -1 {
			closing = m.Closing
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO measures
			(person_id, call_id, instrument, given_at, complete, scored, total, band, closing, coach)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			m.PersonID, nullID(m.CallID), m.Instrument, formatTime(now), m.Complete, m.Scored, total, m.Band, closing, coach).Scan(&id)
		if err != nil {
			return err
		}
		for i, a := range m.Answers {
			if _, err := tx.ExecContext(ctx, "INSERT INTO measure_items (measure_id, item, answer) VALUES (?, ?, ?)",
				id, i+1, a); err != nil {
				return err
			}
		}
		if err := linkSafety(ctx, tx, m, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, coaching.AuditMeasureGiven, m.PersonID, m.Instrument, now)
	})
	if err != nil {
		return 0, fmt.Errorf("save measure for person %d: %w", m.PersonID, err)
	}
	return id, nil
}

// linkSafety links the event m raised, if any, to measure id: the event
// must be the person's, raised by m's instrument's safety item, and not
// linked to another measure.
func linkSafety(ctx context.Context, tx *sql.Tx, m MeasureRecord, id int64) error {
	if m.SafetyEventID == 0 {
		return nil
	}
	var person int64
	var trigger string
	var linked sql.NullInt64
	err := tx.QueryRowContext(ctx, "SELECT person_id, trigger, measure_id FROM safety_events WHERE id = ?", m.SafetyEventID).
		Scan(&person, &trigger, &linked)
	if errors.Is(err, sql.ErrNoRows) {
		return notFound("safety event", m.SafetyEventID)
	}
	if err != nil {
		return err
	}
	inst, ok := measures.ForTrigger(measures.Trigger(trigger))
	switch {
	case person != m.PersonID:
		return fmt.Errorf("safety event %d is not an event of person %d", m.SafetyEventID, m.PersonID)
	case !ok || string(inst.ID) != m.Instrument:
		return fmt.Errorf("safety event %d was raised by %s, not by the %s's safety item", m.SafetyEventID, trigger, m.Instrument)
	case linked.Valid:
		return fmt.Errorf("safety event %d is already linked to measure %d", m.SafetyEventID, linked.Int64)
	}
	_, err = tx.ExecContext(ctx, "UPDATE safety_events SET measure_id = ? WHERE id = ?", id, m.SafetyEventID)
	return err
}

// checkMeasure refuses a record the schema would not hold, or would hold
// only by dropping part of it.
func checkMeasure(m MeasureRecord) error {
	inst, ok := measures.Get(measures.ID(m.Instrument))
	if !ok {
		return fmt.Errorf("unknown instrument %q", m.Instrument)
	}
	if items := len(inst.Items); len(m.Answers) > items {
		return fmt.Errorf("%d answers given; %s has %d items", len(m.Answers), m.Instrument, items)
	}
	for i, a := range m.Answers {
		if a < -1 {
			return fmt.Errorf("the answer to item %d is %d; an answer is 0 or more, or -1 when declined", i+1, a)
		}
	}
	if m.Closing < -1 {
		return fmt.Errorf("the closing answer is %d; it is 0 or more, or -1 when not asked", m.Closing)
	}
	if math.IsNaN(m.Total) || math.IsInf(m.Total, 0) {
		return errors.New("the total is not a number")
	}
	if !m.Scored && m.Total != 0 {
		return errors.New("a measure that is not scored has no total")
	}
	return checkLen("the band", m.Band)
}

// measureColumns are read from measures m; the last is the safety event
// linked to the measure, the oldest if there were ever more.
const measureColumns = `m.id, m.person_id, m.call_id, m.instrument, m.given_at, m.complete, m.scored, m.total, m.band, m.closing, m.coach,
	(SELECT min(e.id) FROM safety_events e WHERE e.measure_id = m.id)`

// personMeasuresSQL lists a person's measures, oldest first.
const personMeasuresSQL = "SELECT " + measureColumns + ` FROM measures m
	WHERE m.person_id = ? ORDER BY m.given_at, m.id`

// MeasuresForPerson lists the person's measures with their answers,
// oldest first. A person with none (or no such person) has none.
func (s *Store) MeasuresForPerson(ctx context.Context, personID int64) ([]MeasureRecord, error) {
	var out []MeasureRecord
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		if out, err = collect(ctx, tx, scanMeasure, personMeasuresSQL, personID); err != nil {
			return err
		}
		return readAnswers(ctx, tx, personID, out)
	})
	if err != nil {
		return nil, fmt.Errorf("measures of person %d: %w", personID, err)
	}
	return out, nil
}

// scanMeasure reads measureColumns (without answers).
func scanMeasure(row interface{ Scan(...any) error }) (MeasureRecord, error) {
	var (
		m       MeasureRecord
		call    sql.NullInt64
		given   string
		total   sql.NullFloat64
		closing sql.NullInt64
		event   sql.NullInt64
	)
	if err := row.Scan(&m.ID, &m.PersonID, &call, &m.Instrument, &given, &m.Complete, &m.Scored,
		&total, &m.Band, &closing, &m.Coach, &event); err != nil {
		return MeasureRecord{}, err
	}
	m.CallID, m.Total, m.SafetyEventID = call.Int64, total.Float64, event.Int64
	m.Closing = -1
	if closing.Valid {
		m.Closing = int(closing.Int64)
	}
	var err error
	if m.GivenAt, err = parseTime(given); err != nil {
		return MeasureRecord{}, fmt.Errorf("measure %d: given_at: %w", m.ID, err)
	}
	return m, nil
}

// readAnswers reads the answers of the person's measures into ms, item 1
// first.
func readAnswers(ctx context.Context, tx *sql.Tx, personID int64, ms []MeasureRecord) error {
	byID := make(map[int64]*MeasureRecord, len(ms))
	for i := range ms {
		byID[ms[i].ID] = &ms[i]
	}
	rows, err := tx.QueryContext(ctx, `SELECT i.measure_id, i.item, i.answer FROM measure_items i
		JOIN measures m ON m.id = i.measure_id WHERE m.person_id = ? ORDER BY i.measure_id, i.item`, personID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var item, answer int
		if err := rows.Scan(&id, &item, &answer); err != nil {
			return err
		}
		m := byID[id]
		if m == nil {
			continue
		}
		if item != len(m.Answers)+1 {
			return fmt.Errorf("measure %d: item %d stored without item %d", id, item, len(m.Answers)+1)
		}
		m.Answers = append(m.Answers, answer)
	}
	return rows.Err()
}
