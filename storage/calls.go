package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"

	"callcoach/coaching"
)

// StartCall records the start of a call to the person at now, made in the
// given role, and returns it, with NotesRev 0. A registered program holds
// the new call (see ClaimCall). An unknown role is refused;
// the error wraps ErrNotFound if there is no such person.
func (s *Store) StartCall(ctx context.Context, personID int64, role coaching.Role, now time.Time) (coaching.Call, error) {
	if _, err := coaching.ParseRole(string(role)); err != nil {
		return coaching.Call{}, fmt.Errorf("start call for person %d: %w", personID, err)
	}
	at, coach := formatTime(now), s.coachName()
	var id int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx,
			"INSERT INTO calls (person_id, role, started_at, updated_at, coach) VALUES (?, ?, ?, ?, ?) RETURNING id",
			personID, string(role), at, at, coach).Scan(&id)
		if err != nil {
			return err
		}
		if self, ok := s.Self(); ok {
			if err := upsertSelf(ctx, tx, self, now); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO call_leases (call_id, instance_id, since) VALUES (?, ?, ?)", id, self.ID, at); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, coaching.AuditCallStarted, personID, "call "+strconv.FormatInt(id, 10)+", as "+string(role), now)
	})
	if isForeignKeyViolation(err) {
		return coaching.Call{}, fmt.Errorf("start call: %w", notFound("person", personID))
	}
	if err != nil {
		return coaching.Call{}, fmt.Errorf("start call for person %d: %w", personID, err)
	}
	started, _ := parseTime(at) // what is stored: UTC, whole seconds
	return coaching.Call{ID: id, PersonID: personID, Role: role, StartedAt: started, UpdatedAt: started, Coach: coach}, nil
}

// EndCall records how the call ended. The first EndCall sets ended_at to
// now; a later one corrects the outcome but keeps the original end time.
// OutcomeNone (or an unknown outcome) is refused. Notes saved since the
// call's search index row was last brought up to date are indexed in the
// same transaction, so an ended call is found by all it holds.
func (s *Store) EndCall(ctx context.Context, callID int64, outcome coaching.Outcome, now time.Time) error {
	if outcome == coaching.OutcomeNone {
		return fmt.Errorf("end call %d: an outcome is needed", callID)
	}
	if _, err := coaching.ParseOutcome(string(outcome)); err != nil {
		return fmt.Errorf("end call %d: %w", callID, err)
	}
	at := formatTime(now)
	err := s.write(ctx, func(tx *sql.Tx) error {
		if err := s.guardCall(ctx, tx, callID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx,
			"UPDATE calls SET outcome = ?, ended_at = coalesce(ended_at, ?), updated_at = ? WHERE id = ?",
			string(outcome), at, at, callID)
		if err != nil {
			return err
		}
		if err := requireOneRow(res); err != nil {
			return err
		}
		var personID int64
		if err := tx.QueryRowContext(ctx, "SELECT person_id FROM calls WHERE id = ?", callID).Scan(&personID); err != nil {
			return err
		}
		if err := s.audit(ctx, tx, coaching.AuditCallEnded, personID, "call "+strconv.FormatInt(callID, 10)+", "+string(outcome), now); err != nil {
			return err
		}
		return indexCallNotesIfBehind(ctx, tx, callID)
	})
	if err != nil {
		return fmt.Errorf("end call %d: %w", callID, err)
	}
	s.tidySpool(ctx, callID)
	return nil
}

// callColumns are a call's columns, its notes as typed (call_notes, see
// notesdelta.go) among them: calls c joined to call_notes n.
const callColumns = "c.id, c.person_id, c.started_at, c.ended_at, c.outcome, n.notes, n.notes_rev, c.role, c.summary, n.updated_at, c.coach"

const callsWithNotes = "calls c JOIN call_notes n ON n.call_id = c.id"

// GetCall reads one call with its notes; the error wraps ErrNotFound if
// there is none.
func (s *Store) GetCall(ctx context.Context, id int64) (coaching.Call, error) {
	c, err := scanCall(s.ro.QueryRowContext(ctx, "SELECT "+callColumns+" FROM "+callsWithNotes+" WHERE c.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return coaching.Call{}, notFound("call", id)
	}
	if err != nil {
		return coaching.Call{}, fmt.Errorf("get call %d: %w", id, err)
	}
	return c, nil
}

// CallsForPerson lists the person's calls with their notes, newest first:
// at most limit of them, or all if limit <= 0. A person with no calls (or
// no such person) has none.
func (s *Store) CallsForPerson(ctx context.Context, personID int64, limit int) ([]coaching.Call, error) {
	if limit <= 0 {
		limit = math.MaxInt64 // no limit, on both engines
	}
	rows, err := s.ro.QueryContext(ctx, "SELECT "+callColumns+" FROM "+callsWithNotes+`
		WHERE c.person_id = ? ORDER BY c.started_at DESC, c.id DESC LIMIT ?`, personID, limit)
	if err != nil {
		return nil, fmt.Errorf("calls for person %d: %w", personID, err)
	}
	defer rows.Close()
	var out []coaching.Call
	for rows.Next() {
		c, err := scanCall(rows)
		if err != nil {
			return nil, fmt.Errorf("calls for person %d: %w", personID, err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("calls for person %d: %w", personID, err)
	}
	return out, nil
}

// scanCall reads callColumns from a *sql.Row or *sql.Rows.
func scanCall(row interface{ Scan(...any) error }) (coaching.Call, error) {
	var (
		c                coaching.Call
		started, updated string
		ended, outcome   sql.NullString
		role             string
	)
	if err := row.Scan(&c.ID, &c.PersonID, &started, &ended, &outcome, &c.Notes, &c.NotesRev,
		&role, &c.Summary, &updated, &c.Coach); err != nil {
		return coaching.Call{}, err
	}
	var err error
	if c.StartedAt, err = parseTime(started); err != nil {
		return coaching.Call{}, fmt.Errorf("call %d: started_at: %w", c.ID, err)
	}
	if c.EndedAt, err = parseNullTime(ended); err != nil {
		return coaching.Call{}, fmt.Errorf("call %d: ended_at: %w", c.ID, err)
	}
	if c.UpdatedAt, err = parseTime(updated); err != nil {
		return coaching.Call{}, fmt.Errorf("call %d: updated_at: %w", c.ID, err)
	}
	c.Outcome = coaching.Outcome(outcome.String)
	c.Role = coaching.Role(role)
	return c, nil
}
