package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"callcoach/coaching"
)

// A notes save writes what changed since the notes were last folded into
// the call's row, not the whole note (migration 0013): one small row in
// notes_pending, whose cost does not grow with the note. The view
// call_notes puts the two together; foldNotes writes the result into
// calls, away from typing, when the search index catches up (notesindex.go).

// SaveNotes replaces the call's notes if rev is greater than the revision
// of the notes stored (Call.NotesRev), so a slow, older save never
// overwrites a newer one; the stored revision becomes rev. It reports
// whether the notes were written. A call starts at revision 0, so the
// first save needs rev >= 1. A registered program must hold the call (see
// ClaimCall); otherwise the error is a *CallElsewhereError.
//
// The save is one transaction that writes the change against the notes as
// last folded (head, mid, tail in notes_pending) and marks the call's
// search index row behind; the Store folds and indexes a moment later,
// away from typing (see notesindex.go).
//
// On a team database the notes go to the spool file first (spool.go), so
// they outlive a server that cannot be reached; the error then wraps
// ErrUnreachable and says they are kept on this computer.
func (s *Store) SaveNotes(ctx context.Context, callID int64, notes string, rev int64, now time.Time) (bool, error) {
	if len(notes) > coaching.MaxNotesLen {
		return false, fmt.Errorf("save notes for call %d: notes are %d bytes; at most %d fit", callID, len(notes), coaching.MaxNotesLen)
	}
	if err := s.spoolNotes(callID, rev, notes); err != nil {
		return false, fmt.Errorf("save notes for call %d: %w", callID, err)
	}
	return s.saveNotes(ctx, callID, notes, rev, now)
}

func (s *Store) saveNotes(ctx context.Context, callID int64, notes string, rev int64, now time.Time) (bool, error) {
	var applied bool
	var newBase string
	err := s.writeNoNames(ctx, func(tx *sql.Tx) error {
		// While the coach types, this Store's last save is still pending
		// on the base it knows: one statement writes the change over it,
		// if it is still there at that revision and (registered) this
		// program still holds the call; a pending change's mark is there
		// too (below). Anything else takes the way after.
		if known, ok := s.bases.get(callID); ok && rev > known.rev {
			if head, mid, tail := noteDelta(known.text, notes); len(mid) <= pendingMax {
				query := `UPDATE notes_pending SET head = ?1, mid = ?2, tail = ?3, rev = ?4, saved_at = ?5
					WHERE call_id = ?6 AND rev = ?7`
				args := []any{head, mid, tail, rev, formatTime(now), callID, known.rev}
				if self, ok := s.Self(); ok {
					query += " AND EXISTS (SELECT 1 FROM call_leases WHERE call_id = ?6 AND instance_id = ?8)"
					args = append(args, self.ID)
				}
				res, err := tx.ExecContext(ctx, query, args...)
				if err != nil {
					return err
				}
				if n, err := res.RowsAffected(); err != nil || n == 1 {
					newBase, applied = known.text, err == nil
					return err
				}
			}
		}
		// One query for what the save needs to know first: the revision
		// pending, if any, and who holds the call.
		var pending sql.NullInt64
		var holder sql.NullString
		if err := tx.QueryRowContext(ctx, `SELECT (SELECT rev FROM notes_pending WHERE call_id = ?1),
			(SELECT instance_id FROM call_leases WHERE call_id = ?1)`, callID).Scan(&pending, &holder); err != nil {
			return err
		}
		if self, ok := s.Self(); ok && (!holder.Valid || holder.String != self.ID) {
			if err := s.guardCall(ctx, tx, callID); err != nil {
				return err // says who holds it, or that there is no such call
			}
		}
		base, stored, err := s.bases.read(ctx, tx, callID, pending)
		if err != nil {
			return err
		}
		if rev <= stored {
			return nil // a newer revision is already stored
		}
		head, mid, tail := noteDelta(base, notes)
		if len(mid) > pendingMax {
			// Too much changed since the last fold (a paste, the first
			// save of a long note): write the whole note into the row now,
			// and leave an empty change pending at this revision, so the
			// next save's base is known without reading it back.
			if _, err := tx.ExecContext(ctx, `UPDATE calls SET notes = ?1, notes_rev = ?2,
				updated_at = CASE WHEN updated_at > ?3 THEN updated_at ELSE ?3 END WHERE id = ?4`,
				notes, rev, formatTime(now), callID); err != nil {
				return err
			}
			base, head, mid, tail = notes, len(notes), "", 0
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO notes_pending (call_id, head, mid, tail, rev, saved_at)
			VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (call_id) DO UPDATE SET head = excluded.head, mid = excluded.mid, tail = excluded.tail,
				rev = excluded.rev, saved_at = excluded.saved_at`,
			callID, head, mid, tail, rev, formatTime(now)); err != nil {
			return err
		}
		newBase = base
		// A pending change already there was written with the call's
		// mark (below), and only indexing deletes the mark, in the same
		// transaction that folds the change and deletes it (notesindex.go):
		// the mark is there too, and need not be written again.
		if !pending.Valid {
			if _, err := tx.ExecContext(ctx, "INSERT INTO notes_unindexed (call_id) VALUES (?) ON CONFLICT DO NOTHING", callID); err != nil {
				return err
			}
		}
		applied = true
		return nil
	})
	if err != nil {
		s.bases.forget(callID)
		return false, fmt.Errorf("save notes for call %d: %w", callID, err)
	}
	if applied {
		s.bases.saved(callID, newBase, rev)
		s.index.saved()
	}
	return applied, nil
}

// pendingMax is the most a pending change holds (mid, in bytes): with its
// row it fits in one page of the file, so a save writes one page.
const pendingMax = 3000

// noteDelta says how to make to from base: keep base's first head bytes
// and its last tail bytes, and put mid between them. head and tail do not
// overlap, in base or in to.
func noteDelta(base, to string) (head int, mid string, tail int) {
	n := min(len(base), len(to))
	// Whole blocks first: comparing strings runs at memory speed, a byte
	// at a time would cost tens of microseconds on a long note.
	const block = 256
	for head+block <= n && base[head:head+block] == to[head:head+block] {
		head += block
	}
	for head < n && base[head] == to[head] {
		head++
	}
	room := n - head // what tail may take without overlapping head
	for tail+block <= room && base[len(base)-tail-block:len(base)-tail] == to[len(to)-tail-block:len(to)-tail] {
		tail += block
	}
	for tail < room && base[len(base)-1-tail] == to[len(to)-1-tail] {
		tail++
	}
	return head, to[head : len(to)-tail], tail
}

// noteBases keeps, for each call this Store saves notes to, the notes as
// last folded into the call's row (the base its changes are written
// against) and the revision of its last save, so a save need not read the
// whole note back. It is trusted only while the pending row it wrote is
// still there at that revision: once anything folds it (this program's
// indexer, or another program's), the base is read again, once.
type noteBases struct {
	mu sync.Mutex
	m  map[int64]noteBase
}

type noteBase struct {
	text string // calls.notes, as folded
	rev  int64  // the revision this Store last saved, pending on top of text
}

// read returns, inside a write transaction, the call's folded notes and
// the revision of its notes as stored (pending or folded), given the
// revision of its pending change as the transaction read it (NULL if none).
func (b *noteBases) read(ctx context.Context, tx *sql.Tx, callID int64, pending sql.NullInt64) (base string, rev int64, err error) {
	b.mu.Lock()
	known, ok := b.m[callID]
	b.mu.Unlock()
	if ok && pending.Valid && pending.Int64 == known.rev {
		return known.text, known.rev, nil
	}
	var folded int64
	err = tx.QueryRowContext(ctx, "SELECT notes, notes_rev FROM calls WHERE id = ?", callID).Scan(&base, &folded)
	if errors.Is(err, sql.ErrNoRows) {
		return "", 0, notFound("call", callID)
	}
	if err != nil {
		return "", 0, err
	}
	rev = folded
	if pending.Valid {
		rev = max(rev, pending.Int64)
	}
	return base, rev, nil
}

// get returns what this Store last saved of the call, if it knows.
func (b *noteBases) get(callID int64) (noteBase, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	known, ok := b.m[callID]
	return known, ok
}

// saved records that this Store's save at rev is pending on base.
func (b *noteBases) saved(callID int64, base string, rev int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.m == nil {
		b.m = map[int64]noteBase{}
	}
	b.m[callID] = noteBase{text: base, rev: rev}
}

// forget drops what is known of a call: after a failed save, the base is
// read again.
func (b *noteBases) forget(callID int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.m, callID)
}

// foldNotes, inside a write transaction, writes the call's pending change
// into its row (notes, notes_rev, updated_at) and deletes it. The update
// marks the call's search index row behind, as any change to its notes.
func foldNotes(ctx context.Context, tx *sql.Tx, callID int64) error {
	if _, err := tx.ExecContext(ctx, `UPDATE calls SET
			(notes, notes_rev, updated_at) = (SELECT notes, notes_rev, updated_at FROM call_notes WHERE call_id = ?1)
		WHERE id = ?1 AND EXISTS (SELECT 1 FROM notes_pending WHERE call_id = ?1)`, callID); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, "DELETE FROM notes_pending WHERE call_id = ?", callID)
	return err
}
