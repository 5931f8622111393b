package storage

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/user"
	"time"
)

// Presence: every program that opens the file for the screens registers
// as an instance and renews that every few seconds, so that others can
// tell who has the file open (restore refuses then) and a call is written
// from one place at a time (a call lease). A program killed with kill -9
// stops renewing: on the same machine it counts as gone as soon as its
// process is, elsewhere once its last renewal is staleAfter old.

const (
	beatEvery  = 2 * time.Second
	staleAfter = 10 * time.Second
)

// Instance is a running callcoach that has the file open for its screens.
type Instance struct {
	ID        string
	PID       int
	Host      string
	User      string
	StartedAt time.Time
	BeatAt    time.Time
}

// Where says where the instance runs, for a sentence: "process 4120 of
// ana on desk-3".
func (i Instance) Where() string {
	s := fmt.Sprintf("process %d", i.PID)
	if i.User != "" {
		s += " of " + i.User
	}
	return s + " on " + i.Host
}

// CallHolder is the instance that has a call open for writing, and since
// when.
type CallHolder struct {
	Instance
	Since time.Time
}

// ErrCallElsewhere is wrapped by a *CallElsewhereError: the call is open
// for writing in another callcoach.
var ErrCallElsewhere = errors.New("the call is open in another callcoach")

// CallElsewhereError says who holds a call another instance asked for, or,
// for a write refused after a take-over, who holds it now (Holder.ID is ""
// if nobody does any more).
type CallElsewhereError struct {
	CallID int64
	Holder CallHolder
}

func (e *CallElsewhereError) Error() string {
	if e.Holder.ID == "" {
		return fmt.Sprintf("call %d is no longer open here: another callcoach took it over", e.CallID)
	}
	return fmt.Sprintf("call %d is open in another callcoach (%s, since %s UTC)", e.CallID,
		e.Holder.Where(), e.Holder.Since.UTC().Format("15:04:05"))
}

func (e *CallElsewhereError) Unwrap() error { return ErrCallElsewhere }

// presence is the Store's own registration; nil until Register.
type presence struct {
	self Instance
	stop chan struct{}
	done chan struct{}
}

// Register records this program as an instance on the file, clears out
// instances that are gone (and so their claims on calls), and renews the
// registration every few seconds until Close. It does not wait for the
// file: the first renewal is written in the background, as soon as writes
// may go in (see CheckPages), and claiming or starting a call records the
// registration too. Only a program that opens calls needs it; commands
// that only read or copy do not register. A read-only Store does not.
func (s *Store) Register(ctx context.Context, now time.Time) (Instance, error) {
	return s.RegisterEvery(ctx, now, beatEvery)
}

// RegisterEvery is Register renewing every interval; with 0 it registers
// at once, waiting for the file, and renews only when Beat is called (for
// tests that keep a clock of their own).
func (s *Store) RegisterEvery(ctx context.Context, now time.Time, every time.Duration) (Instance, error) {
	if err := s.ReadOnly(); err != nil {
		return Instance{}, err
	}
	if p := s.presence.Load(); p != nil {
		return p.self, nil
	}
	self, err := newInstance(now)
	if err != nil {
		return Instance{}, fmt.Errorf("register this callcoach: %w", err)
	}
	p := &presence{self: self, stop: make(chan struct{}), done: make(chan struct{})}
	if !s.presence.CompareAndSwap(nil, p) {
		return s.presence.Load().self, nil
	}
	if every > 0 {
		go s.beatLoop(p, every)
		return self, nil
	}
	close(p.done)
	if err := s.Beat(ctx, now); err != nil {
		return Instance{}, fmt.Errorf("register this callcoach: %w", err)
	}
	return self, nil
}

func newInstance(now time.Time) (Instance, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return Instance{}, err
	}
	host, _ := os.Hostname()
	name := os.Getenv("USER")
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	t, _ := parseTime(formatTime(now))
	return Instance{ID: hex.EncodeToString(b[:]), PID: os.Getpid(), Host: host, User: name, StartedAt: t, BeatAt: t}, nil
}

// Self is this program's registration; ok is false before Register.
func (s *Store) Self() (Instance, bool) {
	if p := s.presence.Load(); p != nil {
		return p.self, true
	}
	return Instance{}, false
}

func (s *Store) beatLoop(p *presence, every time.Duration) {
	defer close(p.done)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { <-p.stop; cancel() }()
	t := time.NewTicker(every)
	defer t.Stop()
	now := time.Now()
	for {
		_ = s.Beat(ctx, now) // a missed beat is retried at the next; writes say what is wrong
		select {
		case <-p.stop:
			return
		case now = <-t.C:
		}
	}
}

// Beat renews this program's registration and clears out instances that
// are gone. If others had taken this one for gone and removed it (its
// claims on calls went with it), it registers again; the calls stay with
// whoever took them.
func (s *Store) Beat(ctx context.Context, now time.Time) error {
	p := s.presence.Load()
	if p == nil {
		return nil
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		if err := pruneGone(ctx, tx, s.host, now, p.self.ID); err != nil {
			return err
		}
		return upsertSelf(ctx, tx, p.self, now)
	})
}

// upsertSelf records this program's registration, renewed at now.
func upsertSelf(ctx context.Context, tx *sql.Tx, self Instance, now time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO instances (id, pid, host, os_user, started_at, beat_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET beat_at = excluded.beat_at`,
		self.ID, self.PID, self.Host, self.User, formatTime(self.StartedAt), formatTime(now))
	return err
}

// unregister stops the renewals and removes this program's registration
// and its claims on calls.
func (s *Store) unregister() error {
	p := s.presence.Swap(nil)
	if p == nil {
		return nil
	}
	close(p.stop)
	<-p.done
	ctx, cancel := context.WithTimeout(context.Background(), busyTimeout)
	defer cancel()
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "DELETE FROM instances WHERE id = ?", p.self.ID)
		return err
	})
}

// alive reports whether an instance still runs: renewed recently and, on
// this machine, its process still there.
func alive(i Instance, host string, now time.Time) bool {
	if now.Sub(i.BeatAt) > staleAfter {
		return false
	}
	if running, known := processRunning(i.PID); i.Host == host && known && !running {
		return false
	}
	return true
}

// pruneGone removes the instances that are no longer running, and with
// them their claims on calls.
func pruneGone(ctx context.Context, tx *sql.Tx, host string, now time.Time, self string) error {
	all, err := instances(ctx, tx)
	if err != nil {
		return err
	}
	for _, i := range all {
		if i.ID == self || alive(i, host, now) {
			continue
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM instances WHERE id = ?", i.ID); err != nil {
			return err
		}
	}
	return nil
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func instances(ctx context.Context, q querier) ([]Instance, error) {
	rows, err := q.QueryContext(ctx, "SELECT id, pid, host, os_user, started_at, beat_at FROM instances ORDER BY started_at, id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Instance
	for rows.Next() {
		var i Instance
		var started, beat string
		if err := rows.Scan(&i.ID, &i.PID, &i.Host, &i.User, &started, &beat); err != nil {
			return nil, err
		}
		if i.StartedAt, err = parseTime(started); err != nil {
			return nil, fmt.Errorf("instance %s: started_at: %w", i.ID, err)
		}
		if i.BeatAt, err = parseTime(beat); err != nil {
			return nil, fmt.Errorf("instance %s: beat_at: %w", i.ID, err)
		}
		out = append(out, i)
	}
	return out, rows.Err()
}

// Others lists the other callcoach programs that have the file open now.
func (s *Store) Others(ctx context.Context, now time.Time) ([]Instance, error) {
	all, err := instances(ctx, s.ro)
	if err != nil {
		return nil, fmt.Errorf("who has the file open: %w", err)
	}
	self, _ := s.Self()
	var out []Instance
	for _, i := range all {
		if i.ID != self.ID && alive(i, s.host, now) {
			out = append(out, i)
		}
	}
	return out, nil
}

// liveInstances lists who has the file at path open, reading it through
// a read-only connection of its own. A file from before presence was
// recorded has nobody.
func liveInstances(ctx context.Context, path string, now time.Time) ([]Instance, error) {
	db, err := sql.Open("sqlite", inspectDSN(path, busyTimeout))
	if err != nil {
		return nil, err
	}
	defer db.Close()
	var has bool
	if err := db.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE name = 'instances')").Scan(&has); err != nil || !has {
		return nil, err
	}
	all, err := instances(ctx, db)
	if err != nil {
		return nil, err
	}
	host, _ := os.Hostname()
	var out []Instance
	for _, i := range all {
		if alive(i, host, now) {
			out = append(out, i)
		}
	}
	return out, nil
}

// ClaimCall makes this program the one place the call is written from. If
// another running callcoach has it, nothing changes and the error is a
// *CallElsewhereError saying who and since when; a claim left by a
// program that is gone is taken over. A program that has not registered
// claims nothing. The call's notes are indexed for search if a save left
// them behind (see notesindex.go).
func (s *Store) ClaimCall(ctx context.Context, callID int64, now time.Time) error {
	return s.claim(ctx, callID, now, false)
}

// TakeOverCall claims the call even from another running callcoach, whose
// next write to it is then refused.
func (s *Store) TakeOverCall(ctx context.Context, callID int64, now time.Time) error {
	return s.claim(ctx, callID, now, true)
}

func (s *Store) claim(ctx context.Context, callID int64, now time.Time, force bool) error {
	self, ok := s.Self()
	if !ok {
		return nil // unregistered programs write without claims (see guardCall)
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		if err := requireCall(ctx, tx, callID); err != nil {
			return err
		}
		if err := upsertSelf(ctx, tx, self, now); err != nil {
			return err
		}
		h, held, err := holder(ctx, tx, callID)
		if err != nil {
			return err
		}
		switch {
		case held && h.ID == self.ID:
		case held && !force && alive(h.Instance, s.host, now):
			return &CallElsewhereError{CallID: callID, Holder: h}
		default:
			_, err = tx.ExecContext(ctx, `INSERT INTO call_leases (call_id, instance_id, since) VALUES (?, ?, ?)
				ON CONFLICT (call_id) DO UPDATE SET instance_id = excluded.instance_id, since = excluded.since`,
				callID, self.ID, formatTime(now))
			if err != nil {
				return err
			}
		}
		// Notes the last holder saved but never indexed (it was killed,
		// or taken over) are indexed now.
		return indexCallNotesIfBehind(ctx, tx, callID)
	})
	if err != nil {
		return fmt.Errorf("open call %d: %w", callID, err)
	}
	return nil
}

// ReleaseCall gives up this program's claim on the call, if it has it.
func (s *Store) ReleaseCall(ctx context.Context, callID int64) error {
	self, ok := s.Self()
	if !ok {
		return nil
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "DELETE FROM call_leases WHERE call_id = ? AND instance_id = ?", callID, self.ID)
		return err
	})
	if err != nil {
		return fmt.Errorf("close call %d: %w", callID, err)
	}
	return nil
}

// CallHolderOf says who has the call open for writing now; ok is false if
// nobody running does.
func (s *Store) CallHolderOf(ctx context.Context, callID int64, now time.Time) (CallHolder, bool, error) {
	var h CallHolder
	var ok bool
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		h, ok, err = holder(ctx, tx, callID)
		return err
	})
	if err != nil {
		return CallHolder{}, false, fmt.Errorf("who has call %d open: %w", callID, err)
	}
	if !ok || !alive(h.Instance, s.host, now) {
		return CallHolder{}, false, nil
	}
	return h, true, nil
}

func holder(ctx context.Context, q querier, callID int64) (CallHolder, bool, error) {
	var h CallHolder
	var since, started, beat string
	err := q.QueryRowContext(ctx, `SELECT i.id, i.pid, i.host, i.os_user, i.started_at, i.beat_at, l.since
		FROM call_leases l JOIN instances i ON i.id = l.instance_id WHERE l.call_id = ?`, callID).
		Scan(&h.ID, &h.PID, &h.Host, &h.User, &started, &beat, &since)
	if errors.Is(err, sql.ErrNoRows) {
		return CallHolder{}, false, nil
	}
	if err != nil {
		return CallHolder{}, false, err
	}
	if h.StartedAt, err = parseTime(started); err != nil {
		return CallHolder{}, false, err
	}
	if h.BeatAt, err = parseTime(beat); err != nil {
		return CallHolder{}, false, err
	}
	if h.Since, err = parseTime(since); err != nil {
		return CallHolder{}, false, err
	}
	return h, true, nil
}

// guardCall, inside a write to a call, refuses it unless this program holds
// the call. A program that never registered (a command, a test of the
// storage alone) writes without a claim.
func (s *Store) guardCall(ctx context.Context, tx *sql.Tx, callID int64) error {
	self, ok := s.Self()
	if !ok {
		return nil
	}
	h, held, err := holder(ctx, tx, callID)
	switch {
	case err != nil:
		return err
	case held && h.ID == self.ID:
		return nil
	case !held:
		if err := requireCall(ctx, tx, callID); err != nil {
			return err
		}
		h = CallHolder{}
	}
	return &CallElsewhereError{CallID: callID, Holder: h}
}
