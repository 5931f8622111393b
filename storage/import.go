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

// ImportPeople adds people (already normalized) to the caseload in one
// transaction, skipping anyone already there: the same name (trimmed, and
// case-insensitive for ASCII letters) and the same phone digits. A person
// repeated within people is added once. Either all are added or none.
func (s *Store) ImportPeople(ctx context.Context, people []coaching.Person, now time.Time) (added, skipped int, err error) {
	err = s.write(ctx, func(tx *sql.Tx) error {
		found, err := tx.PrepareContext(ctx, s.onCaseloadSQL())
		if err != nil {
			return err
		}
		defer found.Close()
		for i, p := range people {
			on, err := onCaseload(ctx, found, p)
			if err != nil {
				return fmt.Errorf("person %d: %w", i+1, err)
			}
			if on {
				skipped++
				continue
			}
			if _, err := insertPerson(ctx, tx, p, now, now); err != nil {
				return fmt.Errorf("person %d: %w", i+1, err)
			}
			added++
		}
		if added >= mergeFinderAfter && !s.pg { // PostgreSQL's GIN index has no segments
			// Many people at once leave the finder's index in many
			// segments, each read by every filter key: merge them.
			if _, err := tx.ExecContext(ctx, "INSERT INTO people_search (people_search) VALUES ('optimize')"); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, coaching.AuditImported, 0, fmt.Sprintf("people: %d added, %d already there", added, skipped), now)
	})
	if err != nil {
		return 0, 0, fmt.Errorf("import %d people: %w", len(people), err)
	}
	return added, skipped, nil
}

// mergeFinderAfter is how many people one import adds before it merges
// the finder's index into one segment (docs/performance.md).
const mergeFinderAfter = 1000

// AlreadyOnCaseload says, for each of people, whether ImportPeople would
// skip them: already stored, or earlier in the list. It changes nothing.
func (s *Store) AlreadyOnCaseload(ctx context.Context, people []coaching.Person) ([]bool, error) {
	out := make([]bool, len(people))
	err := s.read(ctx, func(tx *sql.Tx) error {
		found, err := tx.PrepareContext(ctx, s.onCaseloadSQL())
		if err != nil {
			return err
		}
		defer found.Close()
		seen := map[[2]string]bool{}
		for i, p := range people {
			k := [2]string{asciiLower(p.Name), coaching.PhoneDigits(p.Phone)}
			if seen[k] {
				out[i] = true
				continue
			}
			seen[k] = true
			if out[i], err = onCaseload(ctx, found, p); err != nil {
				return fmt.Errorf("person %d: %w", i+1, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("check %d people against the caseload: %w", len(people), err)
	}
	return out, nil
}

// onCaseloadQuery finds a person by name through the people_name index
// (which is COLLATE NOCASE; on PostgreSQL, of nocase(name)), then compares
// the phone digits.
const (
	onCaseloadQuery    = `SELECT 1 FROM people WHERE name = ? COLLATE NOCASE AND phone_digits = ? LIMIT 1`
	onCaseloadPostgres = `SELECT 1 FROM people WHERE nocase(name) = nocase(?) AND phone_digits = ? LIMIT 1`
)

func (s *Store) onCaseloadSQL() string {
	if s.pg {
		return onCaseloadPostgres
	}
	return onCaseloadQuery
}

func onCaseload(ctx context.Context, found *sql.Stmt, p coaching.Person) (bool, error) {
	var one int
	err := found.QueryRowContext(ctx, strings.TrimSpace(p.Name), coaching.PhoneDigits(p.Phone)).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// asciiLower folds case the way SQLite's NOCASE does: ASCII letters only.
func asciiLower(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, strings.TrimSpace(s))
}
