package storage

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"callcoach/coaching"
)

// DiscardCall ends a call started by mistake. If nothing was captured in
// it (no notes, marks, rulers, change talk, plan, review, follow-up,
// measure or safety event: the stage it opened on does not count), the
// call goes, and deleted is true. Otherwise it is kept, ended with the
// outcome "opened by mistake", so nothing captured is lost. Either way the
// claim on it is let go. Like any write to a call, a registered program
// must hold it. A kept call's notes are indexed for search at once, as
// when a call ends.
func (s *Store) DiscardCall(ctx context.Context, callID int64, now time.Time) (deleted bool, err error) {
	err = s.write(ctx, func(tx *sql.Tx) error {
		if err := s.guardCall(ctx, tx, callID); err != nil {
			return err
		}
		var captured bool
		err := tx.QueryRowContext(ctx, `SELECT notes <> '' OR
			EXISTS (SELECT 1 FROM tally_marks WHERE call_id = ?1) OR
			EXISTS (SELECT 1 FROM rulers WHERE call_id = ?1) OR
			EXISTS (SELECT 1 FROM change_talk WHERE call_id = ?1) OR
			EXISTS (SELECT 1 FROM action_plans WHERE call_id = ?1) OR
			EXISTS (SELECT 1 FROM plan_reviews WHERE call_id = ?1) OR
			EXISTS (SELECT 1 FROM follow_ups WHERE made_call_id = ?1) OR
			EXISTS (SELECT 1 FROM measures WHERE call_id = ?1) OR
			EXISTS (SELECT 1 FROM safety_events WHERE call_id = ?1)
			FROM call_notes WHERE call_id = ?1`, callID).Scan(&captured)
		if err == sql.ErrNoRows {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if !captured {
			deleted = true
			_, err := tx.ExecContext(ctx, "DELETE FROM calls WHERE id = ?", callID)
			return err
		}
		at := formatTime(now)
		_, err = tx.ExecContext(ctx, `UPDATE calls SET outcome = ?, ended_at = coalesce(ended_at, ?), updated_at = ?
			WHERE id = ?`, string(coaching.OutcomeMistake), at, at, callID)
		if err != nil {
			return err
		}
		if err := indexCallNotesIfBehind(ctx, tx, callID); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "DELETE FROM call_leases WHERE call_id = ?", callID)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("discard call %d: %w", callID, err)
	}
	s.tidySpool(ctx, callID)
	return deleted, nil
}
