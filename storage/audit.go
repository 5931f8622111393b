package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"callcoach/coaching"
)

// SetActor sets who the audit trail names for what this Store does from
// now on, and whose name the records it makes carry: the coach (--coach,
// the settings file, or the computer's name for the user) and the
// operating system's user. It writes nothing: the first write after it
// credits records without a name to this coach (creditUnnamed), so the
// coach who first opens an upgraded file is named on what was made
// before. A command that reads before it writes calls CreditRecords.
func (s *Store) SetActor(a coaching.Actor) { s.actor.Store(&a) }

// CreditRecords credits records without a coach's name to this Store's
// coach now, rather than at its first write (an export after an upgrade
// reads them first). It waits for the page check, as every write does.
func (s *Store) CreditRecords(ctx context.Context) error {
	if s.rw == nil || s.credited.Load() || s.coachName() == "" {
		return nil
	}
	return s.write(ctx, func(*sql.Tx) error { return nil })
}

func (s *Store) currentActor() coaching.Actor {
	var a coaching.Actor
	if p := s.actor.Load(); p != nil {
		a = *p
	}
	if name := s.teamCoachName(); name != "" {
		a.Coach = name // the team's name for this login wins over this computer's settings
	}
	return a
}

// Audit adds one entry to the audit trail in a transaction of its own,
// for an action that writes nothing else (opening a person, a search, an
// export). Actions that write record themselves in their own transaction.
func (s *Store) Audit(ctx context.Context, action coaching.AuditAction, personID int64, detail string, now time.Time) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		return s.audit(ctx, tx, action, personID, detail, now)
	})
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

// audit appends an entry inside tx, chained to the newest one. The write
// transaction holds the file's write lock, so two programs on one file
// cannot both chain to the same entry.
func (s *Store) audit(ctx context.Context, tx *sql.Tx, action coaching.AuditAction, personID int64, detail string, now time.Time) error {
	s.auditMu.Lock()
	last, insert := s.auditLast, s.auditInsert
	s.auditMu.Unlock()
	if insert == nil {
		return errors.New("the audit trail's statements were not prepared") // write prepares them
	}
	var prevID int64
	var prev string
	err := tx.StmtContext(ctx, last).QueryRowContext(ctx).Scan(&prevID, &prev)
	if errors.Is(err, sql.ErrNoRows) {
		var install string
		if err := tx.QueryRowContext(ctx, "SELECT uuid FROM installation").Scan(&install); err != nil {
			return fmt.Errorf("installation id: %w", err)
		}
		prev, err = coaching.AuditGenesis(install), nil
	}
	if err != nil {
		return err
	}
	e := coaching.AuditEntry{ID: prevID + 1, At: now.UTC().Truncate(time.Microsecond), Actor: s.currentActor(),
		Action: action, PersonID: personID, Detail: detail, PrevHash: prev}
	e.Hash = coaching.AuditHash(prev, e)
	_, err = tx.StmtContext(ctx, insert).ExecContext(ctx, e.ID, e.At.Format(coaching.AuditTimeLayout), e.Actor.Coach, e.Actor.OSUser,
		string(e.Action), e.PersonID, e.Detail, e.PrevHash, e.Hash)
	return err
}

// auditStmts are the two statements an entry takes, prepared once on the
// writer (preparing them anew for each entry cost as much as running
// them). They are prepared by write, before its transaction takes the
// writer's one connection; a failure is tried again next time.
func (s *Store) auditStmts(ctx context.Context) (last, insert *sql.Stmt, err error) {
	s.auditMu.Lock()
	defer s.auditMu.Unlock()
	if s.auditInsert != nil {
		return s.auditLast, s.auditInsert, nil
	}
	if last, err = s.rw.PrepareContext(ctx, "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1"); err != nil {
		return nil, nil, err
	}
	insert, err = s.rw.PrepareContext(ctx, `INSERT INTO audit (id, at, coach, os_user, action, person_id, detail, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		last.Close()
		return nil, nil, err
	}
	s.auditLast, s.auditInsert = last, insert
	return last, insert, nil
}

// AuditTrail hands fn the entries made at or after since (all of them
// for the zero time), oldest first, as they are stored: a changed entry
// is listed as it now reads (VerifyAudit tells).
func (s *Store) AuditTrail(ctx context.Context, since time.Time, fn func(coaching.AuditEntry) error) error {
	from := ""
	if !since.IsZero() {
		from = since.UTC().Format(coaching.AuditTimeLayout)
	}
	return s.auditRows(ctx, "WHERE at >= ? ORDER BY at, id", []any{from}, fn)
}

func (s *Store) auditRows(ctx context.Context, where string, args []any, fn func(coaching.AuditEntry) error) error {
	rows, err := s.ro.QueryContext(ctx, "SELECT id, at, coach, os_user, action, person_id, detail, prev_hash, hash FROM audit "+where, args...)
	if err != nil {
		return fmt.Errorf("read the audit trail: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e coaching.AuditEntry
		var at, action string
		if err := rows.Scan(&e.ID, &at, &e.Actor.Coach, &e.Actor.OSUser, &action, &e.PersonID, &e.Detail, &e.PrevHash, &e.Hash); err != nil {
			return fmt.Errorf("read the audit trail: %w", err)
		}
		e.Action = coaching.AuditAction(action)
		if e.At, err = time.Parse(coaching.AuditTimeLayout, at); err != nil {
			// A time that no longer reads was changed by hand: keep the
			// entry, with no time, for the chain to fault.
			e.At = time.Time{}
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return rows.Err()
}

// AuditReport is what a check of the whole trail found.
type AuditReport struct {
	Entries int
	Head    string    // the newest entry's hash: note it elsewhere to tell later whether entries were cut from the end
	LastID  int64     // the newest entry's id
	Guarded bool      // the append-only triggers are in place
	Break   error     // a coaching.AuditBreak: where the chain stops holding; nil when it holds
	First   time.Time // the oldest entry's time
	Last    time.Time // the newest entry's time
}

// VerifyAudit checks the trail's chain from its first entry to its last
// (coaching.AuditChain), and that its triggers are in place.
func (s *Store) VerifyAudit(ctx context.Context) (AuditReport, error) {
	var r AuditReport
	install, err := s.InstallationID(ctx)
	if err != nil {
		return r, err
	}
	var guards int
	if err := s.ro.QueryRowContext(ctx, s.either(`SELECT count(*) FROM sqlite_master
		WHERE type = 'trigger' AND name IN ('audit_no_update', 'audit_no_delete')`,
		`SELECT count(*) FROM pg_trigger WHERE tgrelid = 'audit'::regclass
		AND tgname IN ('audit_no_update', 'audit_no_delete') AND tgenabled <> 'D'`)).Scan(&guards); err != nil {
		return r, fmt.Errorf("read the audit trail: %w", err)
	}
	r.Guarded = guards == 2
	chain := coaching.NewAuditChain(install)
	errStop := errors.New("stop")
	err = s.auditRows(ctx, "ORDER BY id", nil, func(e coaching.AuditEntry) error {
		if err := chain.Next(e); err != nil {
			r.Break = err
			return errStop
		}
		if r.First.IsZero() {
			r.First = e.At
		}
		r.Last = e.At
		return nil
	})
	if err != nil && !errors.Is(err, errStop) {
		return r, err
	}
	r.Entries, r.Head, r.LastID = chain.Count(), chain.Head(), chain.LastID()
	return r, nil
}
