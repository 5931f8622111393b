package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"callcoach/coaching"
)

// Erased is what an erasure removed.
type Erased struct {
	Calls, Plans, Measures, Readings, FollowUps, SafetyEvents, Drafts, RescueFiles int
	// LogCleared says the write-ahead log was emptied afterwards. It is not
	// when another program reads the file at that moment: the log's old
	// pages are then overwritten as the log is reused.
	LogCleared bool
}

// ErrCallOpen is returned (wrapped) by ErasePerson when the person has a
// call that has not ended.
var ErrCallOpen = errors.New("they have a call that has not ended; end it first")

// ErasePerson deletes person id and everything of theirs: calls with
// their notes, stages, tallies, rulers and change talk, plans with their
// barriers, scores and reviews, measures with their answers, readings, follow-ups,
// safety events, their forms' drafts and search index rows, in one
// transaction, with the audit entry that says an erasure happened (the
// id and how many records, nothing of what they said). Then it makes the
// text unreadable in the file, not just unlinked (docs/security.md,
// "Erasure"): the writer runs with secure_delete, so freed space is
// zeroed; both search indexes are merged, which rewrites the pages that
// still held the erased words; and the write-ahead log is emptied. Rescue
// files of their calls beside the database are removed too.
//
// The error wraps ErrNotFound for an unknown id, and ErrCallOpen while a
// call of theirs is open; nothing is erased then.
func (s *Store) ErasePerson(ctx context.Context, id int64, now time.Time) (Erased, error) {
	var e Erased
	var calls []int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		if err := requirePerson(ctx, tx, id); err != nil {
			return err
		}
		var open bool
		if err := tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM calls WHERE person_id = ? AND ended_at IS NULL)", id).Scan(&open); err != nil {
			return err
		}
		if open {
			return ErrCallOpen
		}
		var err error
		if calls, err = queryIDs(ctx, tx, "SELECT id FROM calls WHERE person_id = ?", id); err != nil {
			return err
		}
		e.Calls = len(calls)
		for _, c := range []struct {
			n     *int
			query string
		}{
			{&e.Plans, "SELECT count(*) FROM action_plans WHERE person_id = ?"},
			{&e.Measures, "SELECT count(*) FROM measures WHERE person_id = ?"},
			{&e.FollowUps, "SELECT count(*) FROM follow_ups WHERE person_id = ?"},
			{&e.SafetyEvents, "SELECT count(*) FROM safety_events WHERE person_id = ?"},
			{&e.Readings, "SELECT count(*) FROM readings WHERE person_id = ?"},
		} {
			if err := tx.QueryRowContext(ctx, c.query, id).Scan(c.n); err != nil {
				return err
			}
		}
		// The forms' drafts are keyed by the person (tui: "person:N",
		// "plan:N", and on a team database "handover:N").
		n := strconv.FormatInt(id, 10)
		res, err := tx.ExecContext(ctx, "DELETE FROM drafts WHERE key IN (?, ?, ?)", "person:"+n, "plan:"+n, "handover:"+n)
		if err != nil {
			return err
		}
		drafts, _ := res.RowsAffected()
		e.Drafts = int(drafts)
		// Everything else of theirs goes with them (ON DELETE CASCADE), and
		// the search rows with it (the delete triggers).
		if _, err := tx.ExecContext(ctx, "DELETE FROM people WHERE id = ?", id); err != nil {
			return err
		}
		return s.audit(ctx, tx, coaching.AuditErased, id, fmt.Sprintf("calls %d, plans %d, measures %d, readings %d, follow-ups %d, safety events %d",
			e.Calls, e.Plans, e.Measures, e.Readings, e.FollowUps, e.SafetyEvents), now)
	})
	if err != nil {
		return Erased{}, fmt.Errorf("erase person %d: %w", id, err)
	}
	// The person is gone from every screen and export from here on; what
	// follows clears their words from the file's free space and logs.
	if err := s.purgeSearch(ctx); err != nil {
		return e, fmt.Errorf("erase person %d: they are erased, but clearing the search index failed: %w", id, err)
	}
	if s.pg { // the server keeps its own log, and no file has rescues beside it
		return e, nil
	}
	e.LogCleared = s.clearLog(ctx)
	e.RescueFiles = removeRescues(filepath.Dir(s.path), calls)
	return e, nil
}

// purgeSearch merges each search index into one segment. A deleted row's
// words stay in the segments that held them until those are merged; the
// merge writes new pages and frees the old, which secure_delete zeroes.
// Its cost grows with the index (docs/security.md gives figures). On
// PostgreSQL it vacuums the tables the indexes are on, which takes
// the deleted rows and their index entries out of their pages; the server
// zeroes nothing, so the words may stay in free space and its log until
// written over.
func (s *Store) purgeSearch(ctx context.Context) error {
	if s.pg {
		_, err := s.rw.ExecContext(ctx, "VACUUM search_text, search_starts, people")
		return err
	}
	for _, table := range []string{"search_text", "people_search"} {
		err := s.write(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, "INSERT INTO "+table+" ("+table+") VALUES ('optimize')")
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// clearLog copies the write-ahead log into the file and empties it, so
// pages written before the erasure are not left in it. It reports whether
// the log was emptied: a reader of another program can keep it from that.
func (s *Store) clearLog(ctx context.Context) bool {
	var busy, logged, copied int
	err := s.rw.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logged, &copied)
	return err == nil && busy == 0
}

// removeRescues removes the rescue files of the calls given from dir
// (tui's writeRescue names them rescued-notes-call<ID>-<time>.txt) and
// says how many went.
func removeRescues(dir string, calls []int64) int {
	n := 0
	for _, id := range calls {
		matches, _ := filepath.Glob(filepath.Join(dir, "rescued-notes-call"+strconv.FormatInt(id, 10)+"-*.txt"))
		for _, m := range matches {
			if os.Remove(m) == nil {
				n++
			}
		}
	}
	return n
}
