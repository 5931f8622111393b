package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"
)

// A notes save writes the notes and a mark that the call's search index
// row is behind (migration 0012), nothing more, so its cost does not grow
// with the note. The index catches up here, away from typing: once saves
// have paused for indexIdle, or indexLag after the first save not yet
// indexed however steadily the coach types; at once when search opens over
// the call (the call screen asks), when the call ends or is discarded (in
// the same transaction), when a call is claimed or taken over, when this
// Store closes, and, for marks a killed program left, when the file is next
// opened and its page check has passed. Any program may bring the index up
// to date: it writes nothing a coach typed, and the mark is cleared in the
// same transaction that reads the notes, so a save after it marks again.

const (
	indexIdle = 2 * time.Second
	indexLag  = 5 * time.Second
)

// IndexNotes brings the search index up to date with the notes of every
// call saved since it was last indexed, and returns how many calls that
// was. It is one short write transaction, and none at all when nothing is
// behind.
func (s *Store) IndexNotes(ctx context.Context) (int, error) {
	var behind bool
	if err := s.ro.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM notes_unindexed)").Scan(&behind); err != nil {
		return 0, fmt.Errorf("index notes: %w", err)
	}
	if !behind {
		return 0, nil
	}
	var n int
	err := s.write(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, "SELECT call_id FROM notes_unindexed")
		if err != nil {
			return err
		}
		var calls []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			calls = append(calls, id)
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return err
		}
		for _, id := range calls {
			if err := indexCallNotes(ctx, tx, id); err != nil {
				return err
			}
		}
		n = len(calls)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("index notes: %w", err)
	}
	return n, nil
}

// indexCallNotesIfBehind, inside a write to the call, brings its index row
// up to date if a save left it behind.
func indexCallNotesIfBehind(ctx context.Context, tx *sql.Tx, callID int64) error {
	var behind bool
	err := tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM notes_unindexed WHERE call_id = ?)", callID).Scan(&behind)
	if err != nil || !behind {
		return err
	}
	return indexCallNotes(ctx, tx, callID)
}

// indexCallNotes folds the call's pending change into its row (see
// notesdelta.go), puts its notes as they are now in the search index in
// place of what it held, and clears the call's mark. Rowids are as
// migration 0006 made them: a call's notes are id * 4 + 1.
func indexCallNotes(ctx context.Context, tx *sql.Tx, callID int64) error {
	if err := foldNotes(ctx, tx, callID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM search_text WHERE rowid = ? * 4 + 1", callID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO search_text (rowid, body, person_id)
		SELECT id * 4 + 1, notes, person_id FROM calls WHERE id = ? AND notes <> ''`, callID); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, "DELETE FROM notes_unindexed WHERE call_id = ?", callID)
	return err
}

// notesIndexer decides when a Store runs IndexNotes in the background.
type notesIndexer struct {
	index     func(context.Context) (int, error)
	idle, lag time.Duration

	mu     sync.Mutex
	timer  *time.Timer
	first  time.Time // the first save here not yet indexed; zero if none
	closed bool
	runs   sync.WaitGroup
	stop   chan struct{} // closed by close
	swept  chan struct{} // closed when the run at open is over (see whenPassed)
	// tidy, if set, runs after the run at open (the finder's merge,
	// tidyFinder); close stops it between steps.
	tidy func(context.Context) error
}

func newNotesIndexer(index func(context.Context) (int, error)) *notesIndexer {
	return &notesIndexer{index: index, idle: indexIdle, lag: indexLag, stop: make(chan struct{})}
}

// saved is told of each notes save this Store committed: the index runs
// once saves have paused for idle, and no later than lag after the first
// save it has not yet taken in.
func (x *notesIndexer) saved() {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.closed {
		return
	}
	now := time.Now()
	if x.first.IsZero() {
		x.first = now
	}
	x.arm(min(x.idle, x.first.Add(x.lag).Sub(now)))
}

// whenPassed runs the index once passed is closed (the page check has
// passed: nothing is written before), then tidy, unless the Store closes
// first; swept is closed when that is over.
func (x *notesIndexer) whenPassed(passed <-chan struct{}) {
	x.swept = make(chan struct{})
	go func() {
		defer close(x.swept)
		select {
		case <-passed:
			x.run()
			if x.tidy != nil {
				ctx, cancel := context.WithCancel(context.Background())
				go func() {
					select {
					case <-x.stop:
						cancel()
					case <-x.swept:
					}
				}()
				x.tidy(ctx) // an error is a step not taken: the next open tries again
				cancel()
			}
		case <-x.stop:
		}
	}()
}

// arm (re)sets the timer; x.mu is held.
func (x *notesIndexer) arm(wait time.Duration) {
	if x.timer == nil {
		x.timer = time.AfterFunc(max(wait, 0), x.run)
		return
	}
	x.timer.Reset(max(wait, 0))
}

func (x *notesIndexer) run() {
	x.mu.Lock()
	if x.closed {
		x.mu.Unlock()
		return
	}
	x.first = time.Time{}
	x.runs.Add(1)
	x.mu.Unlock()
	defer x.runs.Done()

	ctx, cancel := context.WithTimeout(context.Background(), busyTimeout)
	defer cancel()
	if _, err := x.index(ctx); err != nil {
		// The marks are still in the file: try again a while later (the
		// file may be busy with an import), and Close tries too.
		x.mu.Lock()
		defer x.mu.Unlock()
		if x.first.IsZero() {
			x.first = time.Now()
		}
		if !x.closed {
			x.arm(x.lag)
		}
	}
}

// close stops the background runs, waits for one under way, and then
// indexes what this Store saved since the last run, if anything. If that
// fails (the file was replaced, say), the marks stay in the file for the
// next program that opens it.
func (x *notesIndexer) close() {
	x.mu.Lock()
	if x.closed {
		x.mu.Unlock()
		return
	}
	x.closed = true
	close(x.stop)
	if x.timer != nil {
		x.timer.Stop()
	}
	x.mu.Unlock()
	x.runs.Wait()
	if x.swept != nil {
		<-x.swept // the run at open and tidy stop at their next step
	}
	x.mu.Lock()
	behind := !x.first.IsZero()
	x.mu.Unlock()
	if !behind {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), busyTimeout)
	defer cancel()
	x.index(ctx)
}
