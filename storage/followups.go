package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"callcoach/coaching"
)

// Follow-ups: the next contact agreed with a person. One is open until a
// call that reaches the person completes it. Each person's earliest open
// due time is kept on people.next_due_at by triggers (see migration 0004),
// for the caseload's sections.

// AddFollowUp records an open follow-up for person f.PersonID, created
// now, and returns its id. f.Due is stored to the second; f.PlanID, if
// set, must be a plan of that person. f.ID, f.DoneCallID, f.DoneAt and
// f.CreatedAt are ignored. The error wraps ErrNotFound if the person or
// the plan does not exist.
func (s *Store) AddFollowUp(ctx context.Context, f coaching.FollowUp, now time.Time) (int64, error) {
	if err := checkFollowUp(f); err != nil {
		return 0, fmt.Errorf("add follow-up for person %d: %w", f.PersonID, err)
	}
	var id int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = insertFollowUp(ctx, tx, f, now)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("add follow-up for person %d: %w", f.PersonID, err)
	}
	return id, nil
}

// ReplaceFollowUp records f, as AddFollowUp does, as the person's one
// next contact: their open follow-ups (one, normally) are closed at now,
// without a call, each pointing to f. One transaction.
func (s *Store) ReplaceFollowUp(ctx context.Context, f coaching.FollowUp, now time.Time) (int64, error) {
	if err := checkFollowUp(f); err != nil {
		return 0, fmt.Errorf("replace the follow-up of person %d: %w", f.PersonID, err)
	}
	var id int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		if id, err = insertFollowUp(ctx, tx, f, now); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE follow_ups SET done_at = ?, replaced_by = ?
			WHERE person_id = ? AND done_at IS NULL AND id <> ?`, formatTime(now), id, f.PersonID, id)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("replace the follow-up of person %d: %w", f.PersonID, err)
	}
	return id, nil
}

// OpenFollowUp is the person's open follow-up due first; ok is false if
// they have none.
func (s *Store) OpenFollowUp(ctx context.Context, personID int64) (f coaching.FollowUp, ok bool, err error) {
	f, err = scanFollowUp(s.ro.QueryRowContext(ctx, "SELECT "+followUpColumns+` FROM follow_ups
		WHERE person_id = ? AND done_at IS NULL ORDER BY due_at, id LIMIT 1`, personID))
	if errors.Is(err, sql.ErrNoRows) {
		return coaching.FollowUp{}, false, nil
	}
	if err != nil {
		return coaching.FollowUp{}, false, fmt.Errorf("open follow-up of person %d: %w", personID, err)
	}
	return f, true, nil
}

// OpenBeyondCall is the person's open follow-up due first that stays open
// when call callID ends reaching them: one made in that call or since it
// began (CompleteFollowUps completes the rest). With callID 0 it is
// OpenFollowUp. A next contact set in a call replaces or joins only these.
func (s *Store) OpenBeyondCall(ctx context.Context, personID, callID int64) (f coaching.FollowUp, ok bool, err error) {
	f, err = scanFollowUp(s.ro.QueryRowContext(ctx, "SELECT "+followUpColumns+` FROM follow_ups
		WHERE person_id = ?1 AND done_at IS NULL
			AND (?2 = 0 OR made_call_id = ?2 OR created_at > (SELECT started_at FROM calls WHERE id = ?2))
		ORDER BY due_at, id LIMIT 1`, personID, callID))
	if errors.Is(err, sql.ErrNoRows) {
		return coaching.FollowUp{}, false, nil
	}
	if err != nil {
		return coaching.FollowUp{}, false, fmt.Errorf("open follow-up of person %d: %w", personID, err)
	}
	return f, true, nil
}

// CompleteFollowUps marks the person's open follow-ups done at now by call
// callID, which must be a call with them: what happens when a call that
// reached them ends. A follow-up agreed during this call (MadeCallID) is
// the next contact and stays open, as does any made after the call began.
// The error wraps ErrNotFound if there is no such call.
func (s *Store) CompleteFollowUps(ctx context.Context, personID, callID int64, now time.Time) error {
	if callID == 0 {
		return fmt.Errorf("complete follow-ups of person %d: no call given", personID)
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		if err := requireCallWith(ctx, tx, callID, personID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE follow_ups SET done_call_id = ?1, done_at = ?2
			WHERE person_id = ?3 AND done_at IS NULL
			AND made_call_id IS DISTINCT FROM ?1
			AND created_at <= (SELECT started_at FROM calls WHERE id = ?1)`, callID, formatTime(now), personID)
		return err
	})
	if err != nil {
		return fmt.Errorf("complete follow-ups of person %d by call %d: %w", personID, callID, err)
	}
	return nil
}

func checkFollowUp(f coaching.FollowUp) error {
	// Stored times compare as text, which holds for years 1 to 9999 only.
	if f.Due.IsZero() || f.Due.UTC().Year() < 1 || f.Due.UTC().Year() > 9999 {
		return errors.New("a follow-up needs a time it is due")
	}
	return checkLen("the reason for the follow-up", f.Reason)
}

// insertFollowUp adds the checked follow-up f, open, in tx.
func insertFollowUp(ctx context.Context, tx *sql.Tx, f coaching.FollowUp, now time.Time) (int64, error) {
	if err := requirePerson(ctx, tx, f.PersonID); err != nil {
		return 0, err
	}
	if f.PlanID != 0 {
		if err := requirePlanOf(ctx, tx, "plan", f.PlanID, f.PersonID); err != nil {
			return 0, err
		}
	}
	if f.MadeCallID != 0 {
		if err := requireCallWith(ctx, tx, f.MadeCallID, f.PersonID); err != nil {
			return 0, err
		}
	}
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO follow_ups (person_id, plan_id, made_call_id, due_at, reason, created_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, f.PersonID, nullID(f.PlanID), nullID(f.MadeCallID), formatTime(f.Due), f.Reason, formatTime(now)).Scan(&id)
	return id, err
}

const followUpColumns = "id, person_id, plan_id, due_at, reason, made_call_id, done_call_id, done_at, created_at"

func scanFollowUp(row interface{ Scan(...any) error }) (coaching.FollowUp, error) {
	var (
		f                        coaching.FollowUp
		plan, madeCall, doneCall sql.NullInt64
		due, created             string
		done                     sql.NullString
	)
	if err := row.Scan(&f.ID, &f.PersonID, &plan, &due, &f.Reason, &madeCall, &doneCall, &done, &created); err != nil {
		return coaching.FollowUp{}, err
	}
	f.PlanID, f.MadeCallID, f.DoneCallID = plan.Int64, madeCall.Int64, doneCall.Int64
	var err error
	if f.Due, err = parseTime(due); err != nil {
		return coaching.FollowUp{}, fmt.Errorf("follow-up %d: due_at: %w", f.ID, err)
	}
	if f.DoneAt, err = parseNullTime(done); err != nil {
		return coaching.FollowUp{}, fmt.Errorf("follow-up %d: done_at: %w", f.ID, err)
	}
	if f.CreatedAt, err = parseTime(created); err != nil {
		return coaching.FollowUp{}, fmt.Errorf("follow-up %d: created_at: %w", f.ID, err)
	}
	return f, nil
}

// CalendarFollowUp is a follow-up as a calendar shows it: when, whose,
// why, and whether it is still open.
type CalendarFollowUp struct {
	ID                  int64
	PersonID            int64
	Name, PreferredName string
	Due                 time.Time
	Reason              string
	Closed              bool // done, replaced or closed since: the event is cancelled
	Changed             time.Time
}

// CalendarFollowUps lists the open follow-ups (of f.PersonID only, if
// set), and those closed at or after closedSince, so that a calendar that
// took an earlier export cancels their events; by due time.
func (s *Store) CalendarFollowUps(ctx context.Context, f ExportFilter, closedSince time.Time) ([]CalendarFollowUp, error) {
	rows, err := s.ro.QueryContext(ctx, `SELECT f.id, f.person_id, p.name, p.preferred_name, f.due_at, f.reason,
			f.done_at IS NOT NULL, coalesce(f.done_at, f.created_at)
		FROM follow_ups f JOIN people p ON p.id = f.person_id
		WHERE (?1 = 0 OR f.person_id = ?1) AND (f.done_at IS NULL OR f.done_at >= ?2)
		ORDER BY f.due_at, f.id`, f.PersonID, formatTime(closedSince))
	if err != nil {
		return nil, fmt.Errorf("calendar follow-ups: %w", err)
	}
	defer rows.Close()
	var out []CalendarFollowUp
	for rows.Next() {
		var c CalendarFollowUp
		var due, changed string
		if err := rows.Scan(&c.ID, &c.PersonID, &c.Name, &c.PreferredName, &due, &c.Reason, &c.Closed, &changed); err != nil {
			return nil, fmt.Errorf("calendar follow-ups: %w", err)
		}
		if c.Due, err = parseTime(due); err != nil {
			return nil, fmt.Errorf("follow-up %d: due_at: %w", c.ID, err)
		}
		if c.Changed, err = parseTime(changed); err != nil {
			return nil, fmt.Errorf("follow-up %d: %w", c.ID, err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
