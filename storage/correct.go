package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"callcoach/coaching"
)

// ErrNotEnded is wrapped when an outcome is corrected on a call that was
// never ended: it is continued and ended instead.
var ErrNotEnded = errors.New("the call was never ended: continue it and end it")

// CorrectOutcome changes how an ended call ended, keeping when it ended.
// The follow-ups the call counted as done follow the correction: a call
// corrected to reached does them (as ending it so would have), one
// corrected away from reached gives them back, due as they were.
func (s *Store) CorrectOutcome(ctx context.Context, callID int64, o coaching.Outcome, now time.Time) error {
	if _, err := coaching.ParseOutcome(string(o)); err != nil || o == coaching.OutcomeNone {
		return fmt.Errorf("correct the outcome of call %d: %q is not an outcome", callID, o)
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		var ended sql.NullString
		var personID int64
		err := tx.QueryRowContext(ctx, "SELECT ended_at, person_id FROM calls WHERE id = ?", callID).Scan(&ended, &personID)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if !ended.Valid {
			return ErrNotEnded
		}
		at := formatTime(now)
		if _, err := tx.ExecContext(ctx, "UPDATE calls SET outcome = ?, updated_at = ? WHERE id = ?", string(o), at, callID); err != nil {
			return err
		}
		if o == coaching.OutcomeReached {
			_, err = tx.ExecContext(ctx, `UPDATE follow_ups SET done_call_id = ?1, done_at = ?2
				WHERE person_id = ?3 AND done_at IS NULL AND made_call_id IS DISTINCT FROM ?1
				AND created_at <= (SELECT started_at FROM calls WHERE id = ?1)`, callID, at, personID)
			return err
		}
		_, err = tx.ExecContext(ctx, "UPDATE follow_ups SET done_call_id = NULL, done_at = NULL WHERE done_call_id = ?", callID)
		return err
	})
	if err != nil {
		return fmt.Errorf("correct the outcome of call %d: %w", callID, err)
	}
	return nil
}
