package storage

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"

	sqlite3 "modernc.org/sqlite/lib"
)

// pageCheck is the Store's write gate. Random bytes over an index or a
// full-text index page go unnoticed by Open and by every query that does
// not read them, and writing on would spread the damage; so nothing is
// written until PRAGMA quick_check has read every page and passed, and
// nothing at all once it has failed. Reads go on meanwhile.
type pageCheck struct {
	mu      sync.Mutex
	running chan struct{} // closed when the check under way ends; nil when none is
	done    bool          // a verdict is in
	err     error         // the verdict: nil passed, else a *FileError wrapping ErrDamaged
	// passedCh is closed once a check has passed; made by passed.
	passedCh chan struct{}
}

// pass records that there is nothing to check (a file just made).
func (c *pageCheck) pass() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.done = true
	c.tell()
}

// passed is closed once a check has passed (or there was nothing to
// check), for work that must wait for it without starting it.
func (c *pageCheck) passed() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.passedCh == nil {
		c.passedCh = make(chan struct{})
		c.tell()
	}
	return c.passedCh
}

// tell closes passedCh if the check has passed; c.mu is held.
func (c *pageCheck) tell() {
	if c.passedCh == nil || !c.done || c.err != nil {
		return
	}
	select {
	case <-c.passedCh:
	default:
		close(c.passedCh)
	}
}

// fail records damage found some other way (a write that met it), unless
// damage is already recorded, and returns the recorded damage.
func (c *pageCheck) fail(damage *FileError) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.done || c.err == nil {
		c.done, c.err = true, damage
	}
	return c.err
}

// CheckPages reads every page of the database (PRAGMA quick_check) and
// says whether the file is sound: nil if it passed; a *FileError wrapping
// ErrDamaged, which says what to do, if it failed. Until a check has
// passed no write goes in (each waits, with its own context, and starts
// the check itself if nobody has); after one has failed every write is
// refused with that error. The TUI runs it in the background once the
// first screen is up; a command that writes may run it first to report
// damage before doing anything. The verdict is kept: later calls return
// it at once. A check cut short by ctx gives no verdict and returns
// ctx's error; the next call checks again.
func (s *Store) CheckPages(ctx context.Context) error {
	for {
		s.check.mu.Lock()
		if s.check.done {
			err := s.check.err
			s.check.mu.Unlock()
			return err
		}
		if running := s.check.running; running != nil {
			s.check.mu.Unlock()
			select {
			case <-running:
				continue
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		running := make(chan struct{})
		s.check.running = running
		s.check.mu.Unlock()

		findings, err := quickCheck(ctx, s.ro)

		s.check.mu.Lock()
		s.check.running = nil
		switch {
		case s.check.done: // damage recorded meanwhile stands
		case len(findings) > 0:
			s.check.done = true
			s.check.err = damagedError(s.path, fmt.Errorf("page check: %s", strings.Join(findings, "; ")))
		case err == nil:
			s.check.done = true
		case isDamage(err):
			s.check.done = true
			s.check.err = damagedError(s.path, fmt.Errorf("page check: %w", err))
		}
		s.check.tell()
		verdict, done := s.check.err, s.check.done
		close(running)
		s.check.mu.Unlock()
		if !done {
			return fmt.Errorf("the check of %s did not finish: %w", s.path, err)
		}
		return verdict
	}
}

// writable is the gate every write passes: a read-only Store refuses at
// once, any other waits for the page check.
func (s *Store) writable(ctx context.Context) error {
	if s.readOnly != nil {
		return s.readOnly
	}
	return s.CheckPages(ctx)
}

// quickCheck runs PRAGMA quick_check on db and returns what it found
// wrong, nothing if the file passed. An error means the check itself could
// not run to the end.
func quickCheck(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, "PRAGMA quick_check(20)")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var findings []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return nil, err
		}
		if line != "ok" {
			findings = append(findings, strings.Split(strings.TrimPrefix(line, "*** in database main ***\n"), "\n")...)
		}
	}
	return findings, rows.Err()
}

// isDamage reports whether err says the file's pages cannot be read.
func isDamage(err error) bool {
	switch primaryCode(err) {
	case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
		return true
	case sqlite3.SQLITE_IOERR:
		return sqliteCode(err) != sqlite3.SQLITE_IOERR_NOMEM // out of memory is no damage
	}
	return false
}

// Checking reports whether writes are still waiting for the page check
// (see CheckPages): a screen can say why nothing is saved yet.
func (s *Store) Checking() bool {
	s.check.mu.Lock()
	defer s.check.mu.Unlock()
	return !s.check.done && s.readOnly == nil
}
