package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"callcoach/coaching/measures"
)

// Safety events: each time the safety panel opened in a call, what the
// coach did, and the check at a later call. An event is written the moment
// the panel opens (RaiseSafety), so it survives a crash before anything
// else is saved; RecordSafety adds what was done; ReviewSafety closes it,
// with the reason the coach gives. An event closed as opened by mistake is
// reviewed as it is recorded (measures.NeedsReview). A person with an
// unreviewed event is flagged on the caseload.

// SafetyEvent is one opening of the safety panel.
type SafetyEvent struct {
	ID, PersonID, CallID, MeasureID int64
	Trigger                         string // one of measures.Triggers: phq9_item9 or coach
	RaisedAt                        time.Time
	Actions                         []string // what was done, in the order recorded; nil until recorded
	Note                            string
	RecordedAt, ReviewedAt          time.Time // zero until recorded, reviewed
	ReviewedCallID                  int64     // the call it was reviewed in; 0 if none (or deleted)
	ReviewReason                    string    // why the flag was cleared; "" if not reviewed, or reviewed without one
}

// RaiseSafety records that the safety panel opened for person e.PersonID,
// at now, before anything is done, and returns the event's id: once it
// returns, the event survives the program being killed. Only e.PersonID,
// e.CallID, e.MeasureID and e.Trigger are used. The trigger is one of
// measures.Triggers. The call, if set, must be with the person; the
// measure, if set, must be theirs, and of the instrument whose safety item
// the trigger names (a PHQ-9 for phq9_item9). The panel opens as the item
// is answered, before the measure is saved, so such an event need not
// name its measure: SaveMeasure links it when the measure is saved
// (MeasureRecord.SafetyEventID). The error wraps ErrNotFound if the person, the call or
// the measure does not exist.
func (s *Store) RaiseSafety(ctx context.Context, e SafetyEvent, now time.Time) (int64, error) {
	if _, err := measures.ParseTrigger(e.Trigger); err != nil {
		return 0, fmt.Errorf("raise safety event for person %d: unknown trigger %q", e.PersonID, e.Trigger)
	}
	var id int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		if err := requirePerson(ctx, tx, e.PersonID); err != nil {
			return err
		}
		if err := requireCallWith(ctx, tx, e.CallID, e.PersonID); err != nil {
			return err
		}
		if err := requireMeasureOf(ctx, tx, e.MeasureID, e.PersonID, e.Trigger); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `INSERT INTO safety_events (person_id, call_id, measure_id, trigger, raised_at)
			VALUES (?, ?, ?, ?, ?) RETURNING id`, e.PersonID, nullID(e.CallID), nullID(e.MeasureID), e.Trigger, formatTime(now)).Scan(&id)
	})
	if err != nil {
		return 0, fmt.Errorf("raise safety event for person %d: %w", e.PersonID, err)
	}
	return id, nil
}

// requireMeasureOf checks that measure measureID, if not 0, exists
// (ErrNotFound, naming it), is the person's, and is of the instrument whose
// safety item the trigger names, if it names one.
func requireMeasureOf(ctx context.Context, tx *sql.Tx, measureID, personID int64, trigger string) error {
	if measureID == 0 {
		return nil
	}
	var person int64
	var instrument string
	err := tx.QueryRowContext(ctx, "SELECT person_id, instrument FROM measures WHERE id = ?", measureID).Scan(&person, &instrument)
	if errors.Is(err, sql.ErrNoRows) {
		return notFound("measure", measureID)
	}
	if err != nil {
		return err
	}
	if person != personID {
		return fmt.Errorf("measure %d is not a measure of person %d", measureID, personID)
	}
	if inst, ok := measures.ForTrigger(measures.Trigger(trigger)); ok && instrument != string(inst.ID) {
		return fmt.Errorf("measure %d is a %s, not a %s, so its item %d cannot raise the event",
			measureID, instrument, inst.ID, inst.Safety.Number)
	}
	return nil
}

// RecordSafety saves what was done about safety event id, at now: at
// least one action, each one measures.ParseSafetyAction accepts
// (asked_directly, stayed_on_line, transferred, emergency_services,
// supervisor_informed, person_declined, no_current_risk,
// opened_by_mistake), none twice, in the order done, as
// measures.CheckActions allows for the event's trigger; and a note, which
// may be empty. An event closed as opened by mistake is reviewed at the
// same time, in no call, so it never flags the person
// (measures.NeedsReview). An event is recorded once: what was recorded is
// never overwritten. The error wraps ErrNotFound if there is no such
// event.
func (s *Store) RecordSafety(ctx context.Context, id int64, actions []string, note string, now time.Time) error {
	done, err := parseSafetyActions(actions, note)
	if err != nil {
		return fmt.Errorf("record safety event %d: %w", id, err)
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		var recorded sql.NullString
		var trigger string
		err := tx.QueryRowContext(ctx, "SELECT recorded_at, trigger FROM safety_events WHERE id = ?", id).Scan(&recorded, &trigger)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if recorded.Valid {
			return errors.New("what was done was already recorded; raise a new event to record more")
		}
		if err := measures.CheckActions(measures.Trigger(trigger), done); err != nil {
			return err
		}
		var reviewed any
		if !measures.NeedsReview(done) {
			reviewed = formatTime(now)
		}
		_, err = tx.ExecContext(ctx, "UPDATE safety_events SET actions = ?, note = ?, recorded_at = ?, reviewed_at = ? WHERE id = ?",
			strings.Join(actions, ","), note, formatTime(now), reviewed, id)
		return err
	})
	if err != nil {
		return fmt.Errorf("record safety event %d: %w", id, err)
	}
	return nil
}

// parseSafetyActions reads the actions' stored names and checks the note;
// what the list may hold for the event's trigger is checked with it.
func parseSafetyActions(actions []string, note string) ([]measures.SafetyAction, error) {
	if len(actions) == 0 {
		return nil, errors.New("no action given: record at least one thing that was done")
	}
	done := make([]measures.SafetyAction, len(actions))
	for i, a := range actions {
		var err error
		if done[i], err = measures.ParseSafetyAction(a); err != nil {
			return nil, err
		}
	}
	return done, checkLen("the note", note)
}

// ReviewSafety marks the person's unreviewed safety events reviewed at
// now, in call callID with them, for the reason given (required and
// short: measures.CheckClearReason), which turns their caseload flag off.
// Events raised in that call, or after it started, are left for a later
// call. An event due for review whose actions were never recorded (its
// panel was left open) is refused, and then nothing is reviewed: record it
// first. The error wraps ErrNotFound if there is no such call.
func (s *Store) ReviewSafety(ctx context.Context, personID, callID int64, reason string, now time.Time) error {
	if callID == 0 {
		return fmt.Errorf("review safety events of person %d: no call given", personID)
	}
	if err := measures.CheckClearReason(reason); err != nil {
		return fmt.Errorf("review safety events of person %d: %w", personID, err)
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		if err := requireCallWith(ctx, tx, callID, personID); err != nil {
			return err
		}
		const due = `person_id = ?1 AND reviewed_at IS NULL AND call_id IS DISTINCT FROM ?2
			AND raised_at <= (SELECT started_at FROM calls WHERE id = ?2)`
		var open int64
		err := tx.QueryRowContext(ctx, "SELECT id FROM safety_events WHERE "+due+
			" AND recorded_at IS NULL ORDER BY id LIMIT 1", personID, callID).Scan(&open)
		if err == nil {
			return fmt.Errorf("safety event %d has nothing recorded yet; record what was done before it is reviewed", open)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		_, err = tx.ExecContext(ctx, "UPDATE safety_events SET reviewed_at = ?3, reviewed_call_id = ?2, review_reason = ?4 WHERE "+due,
			personID, callID, formatTime(now), reason)
		return err
	})
	if err != nil {
		return fmt.Errorf("review safety events of person %d in call %d: %w", personID, callID, err)
	}
	return nil
}

const safetyColumns = `id, person_id, call_id, measure_id, trigger, raised_at, actions, note,
	recorded_at, reviewed_at, reviewed_call_id, review_reason`

// personSafetySQL lists a person's events, newest first; openSafetySQL is
// their newest with nothing recorded.
const (
	personSafetySQL = "SELECT " + safetyColumns + ` FROM safety_events
		WHERE person_id = ? ORDER BY raised_at DESC, id DESC`
	openSafetySQL = "SELECT " + safetyColumns + ` FROM safety_events
		WHERE person_id = ? AND recorded_at IS NULL ORDER BY raised_at DESC, id DESC LIMIT 1`
)

// SafetyEvents lists the person's safety events, newest first. A person
// with none (or no such person) has none.
func (s *Store) SafetyEvents(ctx context.Context, personID int64) ([]SafetyEvent, error) {
	rows, err := s.ro.QueryContext(ctx, personSafetySQL, personID)
	if err != nil {
		return nil, fmt.Errorf("safety events of person %d: %w", personID, err)
	}
	defer rows.Close()
	var out []SafetyEvent
	for rows.Next() {
		e, err := scanSafety(rows)
		if err != nil {
			return nil, fmt.Errorf("safety events of person %d: %w", personID, err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("safety events of person %d: %w", personID, err)
	}
	return out, nil
}

// OpenSafety is the person's newest safety event with nothing recorded:
// a panel left open, say by a crash, to open again; the open event of
// measures.PendingSafety, in one query. ok is false if there is none.
func (s *Store) OpenSafety(ctx context.Context, personID int64) (e SafetyEvent, ok bool, err error) {
	e, err = scanSafety(s.ro.QueryRowContext(ctx, openSafetySQL, personID))
	if errors.Is(err, sql.ErrNoRows) {
		return SafetyEvent{}, false, nil
	}
	if err != nil {
		return SafetyEvent{}, false, fmt.Errorf("open safety event of person %d: %w", personID, err)
	}
	return e, true, nil
}

// Progress is how far the event has got, for the rules in measures.
func (e SafetyEvent) Progress() measures.SafetyProgress {
	return measures.SafetyProgress{Recorded: !e.RecordedAt.IsZero(), Reviewed: !e.ReviewedAt.IsZero()}
}

// PendingSafety reads the person's safety events and picks, under
// measures.PendingSafety, the newest recorded but not yet reviewed (flag)
// and the newest never recorded (open); each is nil when there is none.
func (s *Store) PendingSafety(ctx context.Context, personID int64) (flag, open *SafetyEvent, err error) {
	events, err := s.SafetyEvents(ctx, personID)
	if err != nil {
		return nil, nil, err
	}
	progress := make([]measures.SafetyProgress, len(events))
	for i, e := range events {
		progress[i] = e.Progress()
	}
	f, o := measures.PendingSafety(progress)
	if f >= 0 {
		flag = &events[f]
	}
	if o >= 0 {
		open = &events[o]
	}
	return flag, open, nil
}

// scanSafety reads safetyColumns.
func scanSafety(row interface{ Scan(...any) error }) (SafetyEvent, error) {
	var (
		e                       SafetyEvent
		call, measure, reviewBy sql.NullInt64
		raised, actions         string
		recorded, reviewed      sql.NullString
	)
	if err := row.Scan(&e.ID, &e.PersonID, &call, &measure, &e.Trigger, &raised, &actions, &e.Note,
		&recorded, &reviewed, &reviewBy, &e.ReviewReason); err != nil {
		return SafetyEvent{}, err
	}
	e.CallID, e.MeasureID, e.ReviewedCallID = call.Int64, measure.Int64, reviewBy.Int64
	if actions != "" {
		e.Actions = strings.Split(actions, ",")
	}
	var err error
	if e.RaisedAt, err = parseTime(raised); err != nil {
		return SafetyEvent{}, fmt.Errorf("safety event %d: raised_at: %w", e.ID, err)
	}
	if e.RecordedAt, err = parseNullTime(recorded); err != nil {
		return SafetyEvent{}, fmt.Errorf("safety event %d: recorded_at: %w", e.ID, err)
	}
	if e.ReviewedAt, err = parseNullTime(reviewed); err != nil {
		return SafetyEvent{}, fmt.Errorf("safety event %d: reviewed_at: %w", e.ID, err)
	}
	return e, nil
}
