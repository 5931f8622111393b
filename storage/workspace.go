package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"callcoach/coaching"
)

// What the call workspace records as a call goes on: the stages visited,
// the MI tally, rulers, change talk and the summary. Each write is its own
// short transaction, so whatever returned nil survives a crash. Lists are
// read in the order they were recorded; for a call that does not exist
// they are empty.

// EnterStage records that the call moved to stage at now. Entering a stage
// again is a new visit.
func (s *Store) EnterStage(ctx context.Context, callID int64, stage coaching.Stage, now time.Time) error {
	if _, err := coaching.ParseStage(string(stage)); err != nil {
		return fmt.Errorf("enter stage in call %d: %w", callID, err)
	}
	_, err := s.insertForCall(ctx, callID, "INSERT INTO call_stages (call_id, stage, entered_at) VALUES (?, ?, ?)",
		callID, string(stage), formatTime(now))
	if err != nil {
		return fmt.Errorf("enter stage in call %d: %w", callID, err)
	}
	return nil
}

// StageVisits lists the stages the call moved to, oldest first.
func (s *Store) StageVisits(ctx context.Context, callID int64) ([]coaching.StageVisit, error) {
	rows, err := s.ro.QueryContext(ctx,
		"SELECT stage, entered_at FROM call_stages WHERE call_id = ? ORDER BY id", callID)
	if err != nil {
		return nil, fmt.Errorf("stage visits of call %d: %w", callID, err)
	}
	defer rows.Close()
	var out []coaching.StageVisit
	for rows.Next() {
		var stage, at string
		if err := rows.Scan(&stage, &at); err != nil {
			return nil, fmt.Errorf("stage visits of call %d: %w", callID, err)
		}
		v := coaching.StageVisit{Stage: coaching.Stage(stage)}
		if v.At, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("stage visits of call %d: entered_at: %w", callID, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("stage visits of call %d: %w", callID, err)
	}
	return out, nil
}

// AddTallyMark records one mark of kind in the call's MI tally.
func (s *Store) AddTallyMark(ctx context.Context, callID int64, kind coaching.TallyKind, now time.Time) error {
	if _, err := coaching.ParseTallyKind(string(kind)); err != nil {
		return fmt.Errorf("add tally mark in call %d: %w", callID, err)
	}
	_, err := s.insertForCall(ctx, callID, "INSERT INTO tally_marks (call_id, kind, marked_at) VALUES (?, ?, ?)",
		callID, string(kind), formatTime(now))
	if err != nil {
		return fmt.Errorf("add tally mark in call %d: %w", callID, err)
	}
	return nil
}

// UndoTallyMark marks the newest not-yet-undone mark of the call undone and
// returns its kind; ok is false if there is none. The mark is kept, with
// the time it was undone, so the tally's history is never lost.
func (s *Store) UndoTallyMark(ctx context.Context, callID int64, now time.Time) (kind coaching.TallyKind, ok bool, err error) {
	err = s.write(ctx, func(tx *sql.Tx) error {
		if err := s.guardCall(ctx, tx, callID); err != nil {
			return err
		}
		var k string
		err := tx.QueryRowContext(ctx, `UPDATE tally_marks SET undone_at = ?
			WHERE id = (SELECT id FROM tally_marks WHERE call_id = ? AND undone_at IS NULL ORDER BY id DESC LIMIT 1)
			RETURNING kind`, formatTime(now), callID).Scan(&k)
		if errors.Is(err, sql.ErrNoRows) {
			return requireCall(ctx, tx, callID)
		}
		if err != nil {
			return err
		}
		kind, ok = coaching.TallyKind(k), true
		return nil
	})
	if err != nil {
		return "", false, fmt.Errorf("undo tally mark in call %d: %w", callID, err)
	}
	return kind, ok, nil
}

// Tally counts the call's marks that have not been undone. Kinds with no
// marks are absent; the map is never nil.
func (s *Store) Tally(ctx context.Context, callID int64) (coaching.Tally, error) {
	rows, err := s.ro.QueryContext(ctx, `SELECT kind, count(*) FROM tally_marks
		WHERE call_id = ? AND undone_at IS NULL GROUP BY kind`, callID)
	if err != nil {
		return nil, fmt.Errorf("tally of call %d: %w", callID, err)
	}
	defer rows.Close()
	t := coaching.Tally{}
	for rows.Next() {
		var kind string
		var n int
		if err := rows.Scan(&kind, &n); err != nil {
			return nil, fmt.Errorf("tally of call %d: %w", callID, err)
		}
		t[coaching.TallyKind(kind)] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("tally of call %d: %w", callID, err)
	}
	return t, nil
}

// SaveRuler stores a ruler of call r.CallID and returns its id. A new
// ruler (r.ID == 0) is asked now; saving an existing one replaces its
// score, about and follow-up, keeping its kind and when it was asked. The
// error wraps ErrNotFound if the call, or the ruler in that call, does not
// exist.
func (s *Store) SaveRuler(ctx context.Context, r coaching.Ruler, now time.Time) (int64, error) {
	if err := checkRuler(r); err != nil {
		return 0, fmt.Errorf("save ruler in call %d: %w", r.CallID, err)
	}
	at := formatTime(now)
	if r.ID == 0 {
		id, err := s.insertForCall(ctx, r.CallID, `INSERT INTO rulers
			(call_id, kind, score, about, follow_up, asked_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			r.CallID, string(r.Kind), r.Score, r.About, r.FollowUp, at, at)
		if err != nil {
			return 0, fmt.Errorf("save ruler in call %d: %w", r.CallID, err)
		}
		return id, nil
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		if err := s.guardCall(ctx, tx, r.CallID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE rulers SET score = ?, about = ?, follow_up = ?, updated_at = ?
			WHERE id = ? AND call_id = ?`, r.Score, r.About, r.FollowUp, at, r.ID, r.CallID)
		if err != nil {
			return err
		}
		return requireOneRow(res)
	})
	if err != nil {
		return 0, fmt.Errorf("save ruler %d in call %d: %w", r.ID, r.CallID, err)
	}
	return r.ID, nil
}

func checkRuler(r coaching.Ruler) error {
	switch r.Kind {
	case coaching.RulerImportance, coaching.RulerConfidence:
	default:
		return fmt.Errorf("unknown kind of ruler %q", r.Kind)
	}
	if r.Score < 0 || r.Score > 10 {
		return fmt.Errorf("a ruler score is a whole number from 0 to 10, not %d", r.Score)
	}
	if err := checkLen("what the ruler is about", r.About); err != nil {
		return err
	}
	return checkLen("the follow-up answer", r.FollowUp)
}

// Rulers lists the call's rulers in the order they were asked; At is when.
func (s *Store) Rulers(ctx context.Context, callID int64) ([]coaching.Ruler, error) {
	rows, err := s.ro.QueryContext(ctx, `SELECT id, kind, score, about, follow_up, asked_at
		FROM rulers WHERE call_id = ? ORDER BY id`, callID)
	if err != nil {
		return nil, fmt.Errorf("rulers of call %d: %w", callID, err)
	}
	defer rows.Close()
	var out []coaching.Ruler
	for rows.Next() {
		r := coaching.Ruler{CallID: callID}
		var kind, at string
		if err := rows.Scan(&r.ID, &kind, &r.Score, &r.About, &r.FollowUp, &at); err != nil {
			return nil, fmt.Errorf("rulers of call %d: %w", callID, err)
		}
		r.Kind = coaching.RulerKind(kind)
		if r.At, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("rulers of call %d: ruler %d: asked_at: %w", callID, r.ID, err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("rulers of call %d: %w", callID, err)
	}
	return out, nil
}

// AddChangeTalk records a quote said during call ct.CallID, at now, and
// returns its id. The quote is stored as given; a blank one is refused.
func (s *Store) AddChangeTalk(ctx context.Context, ct coaching.ChangeTalk, now time.Time) (int64, error) {
	if err := checkChangeTalk(ct); err != nil {
		return 0, fmt.Errorf("add change talk in call %d: %w", ct.CallID, err)
	}
	id, err := s.insertForCall(ctx, ct.CallID, "INSERT INTO change_talk (call_id, kind, quote, said_at) VALUES (?, ?, ?, ?)",
		ct.CallID, string(ct.Kind), ct.Quote, formatTime(now))
	if err != nil {
		return 0, fmt.Errorf("add change talk in call %d: %w", ct.CallID, err)
	}
	return id, nil
}

func checkChangeTalk(ct coaching.ChangeTalk) error {
	if _, err := coaching.ParseTalkKind(string(ct.Kind)); err != nil {
		return err
	}
	if strings.TrimSpace(ct.Quote) == "" {
		return errors.New("the quote is empty: type what the person said")
	}
	return checkLen("the quote", ct.Quote)
}

// ChangeTalk lists the quotes of the call in the order they were said; At
// is when each was recorded.
func (s *Store) ChangeTalk(ctx context.Context, callID int64) ([]coaching.ChangeTalk, error) {
	rows, err := s.ro.QueryContext(ctx,
		"SELECT id, kind, quote, said_at FROM change_talk WHERE call_id = ? ORDER BY id", callID)
	if err != nil {
		return nil, fmt.Errorf("change talk of call %d: %w", callID, err)
	}
	defer rows.Close()
	var out []coaching.ChangeTalk
	for rows.Next() {
		ct := coaching.ChangeTalk{CallID: callID}
		var kind, at string
		if err := rows.Scan(&ct.ID, &kind, &ct.Quote, &at); err != nil {
			return nil, fmt.Errorf("change talk of call %d: %w", callID, err)
		}
		ct.Kind = coaching.TalkKind(kind)
		if ct.At, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("change talk of call %d: quote %d: said_at: %w", callID, ct.ID, err)
		}
		out = append(out, ct)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("change talk of call %d: %w", callID, err)
	}
	return out, nil
}

// SaveSummary replaces the call's summary (Call.Summary) and sets its
// updated_at to now. An open call must be held here; an ended one, which
// nobody holds, may have its summary made again (its outcome corrected),
// unless another callcoach has somehow claimed it.
func (s *Store) SaveSummary(ctx context.Context, callID int64, summary string, now time.Time) error {
	if err := checkLen("the summary", summary); err != nil {
		return fmt.Errorf("save summary of call %d: %w", callID, err)
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		var ended sql.NullString
		err := tx.QueryRowContext(ctx, "SELECT ended_at FROM calls WHERE id = ?", callID).Scan(&ended)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		} else if err != nil {
			return err
		}
		if !ended.Valid {
			err = s.guardCall(ctx, tx, callID)
		} else if h, held, herr := holder(ctx, tx, callID); herr != nil {
			err = herr
		} else if self, _ := s.Self(); held && h.ID != self.ID {
			err = &CallElsewhereError{CallID: callID, Holder: h}
		}
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, "UPDATE calls SET summary = ?, updated_at = ? WHERE id = ?",
			summary, formatTime(now), callID)
		if err != nil {
			return err
		}
		return requireOneRow(res)
	})
	if err != nil {
		return fmt.Errorf("save summary of call %d: %w", callID, err)
	}
	return nil
}

// insertForCall runs one INSERT of a row that belongs to a call, in its
// own transaction, and returns the new row's id. A missing call, refused
// by the foreign key, is ErrNotFound; a call another callcoach has open is
// a *CallElsewhereError.
func (s *Store) insertForCall(ctx context.Context, callID int64, query string, args ...any) (int64, error) {
	var id int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		if err := s.guardCall(ctx, tx, callID); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, query+" RETURNING id", args...).Scan(&id)
	})
	if isForeignKeyViolation(err) {
		return 0, ErrNotFound
	}
	return id, err
}

// requireCall is ErrNotFound if the call does not exist.
func requireCall(ctx context.Context, tx *sql.Tx, callID int64) error {
	var exists bool
	if err := tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM calls WHERE id = ?)", callID).Scan(&exists); err != nil {
		return err
	}
	if !exists {
		return ErrNotFound
	}
	return nil
}

// checkLen refuses text over coaching.MaxNotesLen bytes, naming what it
// is but never quoting it.
func checkLen(what, text string) error {
	if len(text) > coaching.MaxNotesLen {
		return fmt.Errorf("%s is %d bytes; at most %d fit", what, len(text), coaching.MaxNotesLen)
	}
	return nil
}
