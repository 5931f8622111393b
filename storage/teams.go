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

// A team database's coaches, whose caseload is whose, and hand-overs
// (issue 18, point 2; docs/architecture.md, "Coaches and who sees what").
// The server decides who sees what (row-level security on the login's
// role); these are the program's side of it. On a file there is one coach
// and no pool: Login says so, and the rest refuse with ErrNotTeam.

// ErrNotTeam is the answer of a team operation on a file.
var ErrNotTeam = errors.New("only a team database has coaches and hand-overs")

// Login is who this Store reads and writes as on a team database.
type Login struct {
	Role  string // the database role it logs in as
	Name  string // the coach's name in coaches; "" if the role is none
	Coach bool   // a coach's login: sees their own caseload and the pool
	// Supervisor: reads every coach's records but, unless the
	// organisation allowed it, no note text.
	Supervisor bool
}

// Login reads who this Store logs in as; the zero Login on a file.
func (s *Store) Login(ctx context.Context) (Login, error) {
	if !s.pg {
		return Login{}, nil
	}
	var l Login
	err := s.ro.QueryRowContext(ctx, `SELECT current_user::text,
		coalesce((SELECT name FROM coaches WHERE role = current_user), ''),
		current_coach() IS NOT NULL,
		current_coach() IS NULL AND pg_has_role(current_user, 'callcoach_supervisor', 'MEMBER')
			AND NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)`).Scan(&l.Role, &l.Name, &l.Coach, &l.Supervisor)
	if err != nil {
		return Login{}, s.fileError(fmt.Errorf("who is logged in: %w", err))
	}
	return l, nil
}

// SetOwnCaseload chooses what a coach's reads see on a team database:
// only their own people (true, the default) or theirs and the team's
// pool. It narrows what the server's policies allow and never widens it;
// it changes nothing for the owner (who sees everyone) or a supervisor.
// Reads already running finish as they began.
func (s *Store) SetOwnCaseload(own bool) { s.withPool.Store(!own) }

// OwnCaseload reports the scope SetOwnCaseload set.
func (s *Store) OwnCaseload() bool { return !s.withPool.Load() }

// TeamCoach is one coach of the team, as a hand-over names them.
type TeamCoach struct {
	Role string
	Name string
}

// TeamCoaches lists the team's coaches by name, the login's own among
// them.
func (s *Store) TeamCoaches(ctx context.Context) ([]TeamCoach, error) {
	if !s.pg {
		return nil, ErrNotTeam
	}
	rows, err := s.ro.QueryContext(ctx, "SELECT role, name FROM coaches ORDER BY name, role")
	if err != nil {
		return nil, s.fileError(fmt.Errorf("the team's coaches: %w", err))
	}
	defer rows.Close()
	var out []TeamCoach
	for rows.Next() {
		var c TeamCoach
		if err := rows.Scan(&c.Role, &c.Name); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// MaxHandOverNote bounds a hand-over's note, in bytes.
const MaxHandOverNote = 4000

// HandOver hands person to the coach whose role is to ("" hands them to
// the team's pool), with a note for the new coach, in one transaction:
// the server's policy checks that this login sees the person and that to
// is a coach; its trigger moves the person. The audit trail records who
// handed whom, never the note.
func (s *Store) HandOver(ctx context.Context, personID int64, to, note string, now time.Time) error {
	if !s.pg {
		return ErrNotTeam
	}
	note = strings.TrimSpace(note)
	if len(note) > MaxHandOverNote {
		return fmt.Errorf("a hand-over note holds at most %d characters; this one has %d", MaxHandOverNote, len(note))
	}
	var toRole any
	if to != "" {
		toRole = to
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		var seen bool
		if err := tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM people WHERE id = ?)", personID).Scan(&seen); err != nil {
			return err
		}
		if !seen {
			return fmt.Errorf("person %d: %w", personID, ErrNotFound)
		}
		if to != "" {
			var known bool
			if err := tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM coaches WHERE role = ?)", to).Scan(&known); err != nil {
				return err
			}
			if !known {
				return fmt.Errorf("%q is not one of the team's coaches", to)
			}
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO handovers (person_id, to_role, note, at) VALUES (?, ?, ?, ?)",
			personID, toRole, note, formatTime(now)); err != nil {
			return err
		}
		detail := "to the pool"
		if to != "" {
			detail = "to " + to
		}
		return s.audit(ctx, tx, coaching.AuditHandedOver, personID, detail, now)
	})
	if err != nil {
		return fmt.Errorf("hand over: %w", err)
	}
	return nil
}

// HandedOver is a hand-over of a person: to this login, not yet opened,
// in UnseenHandOvers; the person's latest in LastHandOver.
type HandedOver struct {
	ID       int64
	PersonID int64
	Person   string // the person's name
	From     string // the coach who handed them over, by name (their role if unnamed)
	Note     string
	At       time.Time
	To       string // the coach they were handed to, by name; "" for the pool
	ToYou    bool   // to this login (not to the pool or another coach)
	Seen     bool   // this login's hand-over, marked seen (SeenHandOvers)
}

// MaxUnseenHandOvers bounds UnseenHandOvers.
const MaxUnseenHandOvers = 50

// UnseenHandOvers lists the hand-overs to this login not yet marked seen
// (SeenHandOvers), newest first, at most MaxUnseenHandOvers; none on a
// file or for a login that is no coach.
func (s *Store) UnseenHandOvers(ctx context.Context) ([]HandedOver, error) {
	if !s.pg {
		return nil, nil
	}
	rows, err := s.ro.QueryContext(ctx, handOverSQL+`
		WHERE h.to_role = current_user AND h.seen_at IS NULL
		ORDER BY h.at DESC, h.id DESC LIMIT ?`, MaxUnseenHandOvers)
	if err != nil {
		return nil, s.fileError(fmt.Errorf("hand-overs: %w", err))
	}
	defer rows.Close()
	var out []HandedOver
	for rows.Next() {
		h, err := scanHandOver(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// LastHandOver is the newest hand-over of person that this login may
// read, for their page; ok false if there is none (or on a file).
func (s *Store) LastHandOver(ctx context.Context, personID int64) (h HandedOver, ok bool, err error) {
	if !s.pg {
		return HandedOver{}, false, nil
	}
	h, err = scanHandOver(s.ro.QueryRowContext(ctx, handOverSQL+`
		WHERE h.person_id = ? ORDER BY h.at DESC, h.id DESC LIMIT 1`, personID))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return HandedOver{}, false, nil
	case err != nil:
		return HandedOver{}, false, s.fileError(fmt.Errorf("hand-over: %w", err))
	}
	return h, true, nil
}

// handOverSQL reads hand-overs as scanHandOver takes them; the rest of
// the query (WHERE, ORDER BY) follows it. A supervisor, who may not read
// the note unless the organisation allowed it, cannot run it: hand-overs
// are the coaches' screens' own.
const handOverSQL = `SELECT h.id, h.person_id, p.name,
	coalesce((SELECT c.name FROM coaches c WHERE c.role = h.from_role), h.from_role), h.note, h.at,
	coalesce((SELECT c.name FROM coaches c WHERE c.role = h.to_role), h.to_role, ''),
	coalesce(h.to_role = current_user, false), h.seen_at IS NOT NULL
	FROM handovers h JOIN people p ON p.id = h.person_id`

func scanHandOver(row interface{ Scan(...any) error }) (HandedOver, error) {
	var h HandedOver
	var at string
	if err := row.Scan(&h.ID, &h.PersonID, &h.Person, &h.From, &h.Note, &at, &h.To, &h.ToYou, &h.Seen); err != nil {
		return HandedOver{}, err
	}
	var err error
	h.At, err = parseTime(at)
	return h, err
}

// SeenHandOvers marks the hand-overs of person to this login as seen, so
// the Now view no longer lists them first.
func (s *Store) SeenHandOvers(ctx context.Context, personID int64, now time.Time) error {
	if !s.pg {
		return nil
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "UPDATE handovers SET seen_at = ? WHERE person_id = ? AND to_role = current_user AND seen_at IS NULL",
			formatTime(now), personID)
		return err
	})
	if err != nil {
		return fmt.Errorf("mark the hand-over seen: %w", err)
	}
	return nil
}
