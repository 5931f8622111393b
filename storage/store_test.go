package storage

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"callcoach/coaching"
)

// t0 is a fixed clock for tests: storage never reads the time itself.
var t0 = time.Date(2026, 11, 23, 14, 5, 9, 0, time.UTC)

func newStore(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "callcoach.db"))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

func createPerson(t *testing.T, s *Store, p coaching.Person) int64 {
	t.Helper()
	if err := p.Normalize(time.LoadLocation); err != nil {
		t.Fatalf("Normalize: %v", err)
	}
	id, err := s.CreatePerson(context.Background(), p, t0)
	if err != nil {
		t.Fatalf("CreatePerson: %v", err)
	}
	return id
}

func fileHash(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// rawDB opens path with the driver's defaults, bypassing Open's checks, to
// build fixtures the way another program would.
func rawDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func mustExec(t *testing.T, db *sql.DB, query string, args ...any) {
	t.Helper()
	if _, err := db.Exec(query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

var (
	seedFirst = []string{"Adam", "Aisha", "Ann", "Anna", "Bea", "Carlos", "Chen", "Dana", "Élodie", "Farah",
		"Grace", "Hannah", "Ibrahim", "Jo", "Kofi", "Lena", "Mariam", "Noah", "Olu", "Priya",
		"Quinn", "Rosa", "Sam", "Tomasz", "Uma", "Vik", "Wen", "Xavier", "Yusuf", "Zoë"}
	seedLast = []string{"Adams", "Brown", "Campbell", "Dhillon", "Evans", "Fernández", "Green", "Hughes",
		"Iqbal", "Jones", "Khan", "Lewis", "Morgan", "Nowak", "O'Brien", "Patel", "Quigley",
		"Roberts", "Singh", "Taylor", "Usman", "Vaughan", "Walsh", "Xu", "Young", "Zielinski"}
	seedConditions = []string{"type 2 diabetes", "hypertension", "COPD", "asthma", "heart failure",
		"depression", "anxiety", "chronic pain", "obesity", "arthritis"}
	seedOutcomes = []coaching.Outcome{coaching.OutcomeReached, coaching.OutcomeReached, coaching.OutcomeNoAnswer,
		coaching.OutcomeVoicemail, coaching.OutcomeRescheduled, coaching.OutcomeDeclined}
)

// seedCaseload bulk-inserts n people, each with 0-5 calls, in one
// transaction (a CreatePerson per person would fsync n times).
func seedCaseload(tb testing.TB, s *Store, n int, seed uint64) {
	tb.Helper()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(seed, 1))
	err := s.write(ctx, func(tx *sql.Tx) error {
		people, err := tx.PrepareContext(ctx, `INSERT INTO people
			(name, preferred_name, phone, phone_digits, conditions, status, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer people.Close()
		calls, err := tx.PrepareContext(ctx, `INSERT INTO calls
			(person_id, started_at, ended_at, outcome, notes, updated_at) VALUES (?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer calls.Close()
		statuses := []coaching.Status{coaching.StatusActive, coaching.StatusActive, coaching.StatusActive, coaching.StatusPaused, coaching.StatusClosed}
		for i := range n {
			name := seedFirst[rng.IntN(len(seedFirst))] + " " + seedLast[rng.IntN(len(seedLast))]
			phone := fmt.Sprintf("+44 7%03d %06d", rng.IntN(1000), rng.IntN(1_000_000))
			var conds []string
			for range rng.IntN(3) {
				conds = append(conds, seedConditions[rng.IntN(len(seedConditions))])
			}
			conds = coaching.ParseConditions(coaching.FormatConditions(conds)) // drop repeats
			res, err := people.ExecContext(ctx, name, "", phone, coaching.PhoneDigits(phone),
				coaching.FormatConditions(conds), string(statuses[rng.IntN(len(statuses))]), formatTime(t0), formatTime(t0))
			if err != nil {
				return fmt.Errorf("person %d: %w", i, err)
			}
			id, err := res.LastInsertId()
			if err != nil {
				return err
			}
			for range rng.IntN(6) {
				start := t0.Add(-time.Duration(rng.IntN(365*24)) * time.Hour)
				var ended, outcome any
				if rng.IntN(50) != 0 { // about 1 in 50 calls left unfinished
					ended = formatTime(start.Add(time.Duration(rng.IntN(3600)) * time.Second))
					outcome = string(seedOutcomes[rng.IntN(len(seedOutcomes))])
				}
				if _, err := calls.ExecContext(ctx, id, formatTime(start), ended, outcome,
					"Talked about walking after lunch.", formatTime(start)); err != nil {
					return fmt.Errorf("call for person %d: %w", id, err)
				}
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatalf("seed caseload: %v", err)
	}
}
