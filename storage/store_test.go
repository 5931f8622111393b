package storage

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"callcoach/coaching"
	"callcoach/coaching/measures"
)

// t0 is a fixed clock for tests: storage never reads the time itself.
var t0 = time.Date(2026, 11, 23, 14, 5, 9, 0, time.UTC)

// newStore opens a new, empty caseload for t: an SQLite file in a temp
// dir, or on the PostgreSQL run a database of its own (engine_test.go).
func newStore(t *testing.T) *Store {
	t.Helper()
	if onPostgres() {
		return openNew(t, newPostgresURL(t))
	}
	return newSQLiteStore(t)
}

// newSQLiteStore is newStore on SQLite whatever the run, for a test that
// compares the engines or is about the file.
func newSQLiteStore(t *testing.T) *Store {
	t.Helper()
	return openNew(t, filepath.Join(t.TempDir(), "callcoach.db"))
}

func openNew(t *testing.T, where string) *Store {
	t.Helper()
	s, err := Open(context.Background(), where)
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
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`)
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
			var id int64
			err := people.QueryRowContext(ctx, name, "", phone, coaching.PhoneDigits(phone),
				coaching.FormatConditions(conds), string(statuses[rng.IntN(len(statuses))]), formatTime(t0), formatTime(t0)).Scan(&id)
			if err != nil {
				return fmt.Errorf("person %d: %w", i, err)
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

// seedPlans gives every person on the caseload 1-9 plans (5 on average):
// all but the newest revised, done, partly done, not done or dropped, the
// newest active; two confidence scores each; a done follow-up for each
// older plan; and, for 4 people in 5, one or two open follow-ups due
// within 30 days either side of t0, about one per person in all. One
// transaction, as seedCaseload.
func seedPlans(tb testing.TB, s *Store, seed uint64) {
	tb.Helper()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(seed, 2))
	err := s.write(ctx, func(tx *sql.Tx) error {
		var people []int64
		rows, err := tx.QueryContext(ctx, "SELECT id FROM people ORDER BY id")
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			people = append(people, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		plan, err := tx.PrepareContext(ctx, `INSERT INTO action_plans
			(person_id, behaviour, what, how_much, when_text, days_per_week, confidence, status, replaces, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`)
		if err != nil {
			return err
		}
		defer plan.Close()
		score, err := tx.PrepareContext(ctx, "INSERT INTO confidence_scores (plan_id, score, scored_at) VALUES (?, ?, ?)")
		if err != nil {
			return err
		}
		defer score.Close()
		follow, err := tx.PrepareContext(ctx, `INSERT INTO follow_ups (person_id, plan_id, due_at, reason, done_at, created_at)
			VALUES (?, ?, ?, 'see how it went', ?, ?)`)
		if err != nil {
			return err
		}
		defer follow.Close()
		behaviours := []coaching.Behaviour{coaching.BehaviourOwn, coaching.BehaviourDiet, coaching.BehaviourActivity,
			coaching.BehaviourSleep, coaching.BehaviourSocial, coaching.BehaviourStress, coaching.BehaviourMedicines}
		past := []coaching.PlanStatus{coaching.PlanRevised, coaching.PlanRevised, coaching.PlanDone,
			coaching.PlanPartly, coaching.PlanNotDone, coaching.PlanDropped}
		whats := []string{"walk after lunch", "swap fizzy drinks for water", "bed by eleven", "call my sister",
			"take tablets with breakfast", "ten minutes of breathing"}
		for _, pid := range people {
			n := 1 + rng.IntN(9)
			var prev, last int64
			for i := range n {
				at := t0.Add(-time.Duration(n-i) * 14 * 24 * time.Hour)
				status := coaching.PlanActive
				if i < n-1 {
					status = past[rng.IntN(len(past))]
				}
				conf := rng.IntN(11)
				err := plan.QueryRowContext(ctx, pid, string(behaviours[rng.IntN(len(behaviours))]),
					whats[rng.IntN(len(whats))], "20 minutes", "after lunch", 1+rng.IntN(7), conf, string(status),
					nullID(prev), formatTime(at), formatTime(at)).Scan(&last)
				if err != nil {
					return err
				}
				if status == coaching.PlanRevised {
					prev = last
				} else {
					prev = 0
				}
				for j, sc := range []int{rng.IntN(11), conf} {
					if _, err := score.ExecContext(ctx, last, sc, formatTime(at.Add(time.Duration(j)*time.Minute))); err != nil {
						return err
					}
				}
				if i < n-1 {
					due := formatTime(at.Add(7 * 24 * time.Hour))
					if _, err := follow.ExecContext(ctx, pid, last, due, due, formatTime(at)); err != nil {
						return err
					}
				}
			}
			open := 0
			switch r := rng.IntN(20); {
			case r < 4:
			case r < 17:
				open = 1
			default:
				open = 2
			}
			for range open {
				due := t0.Add(time.Duration(rng.IntN(60*24*60)-30*24*60) * time.Minute)
				if _, err := follow.ExecContext(ctx, pid, last, formatTime(due), nil, formatTime(t0)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatalf("seed plans: %v", err)
	}
}

// seedSafety gives one person in ten on the caseload one to three safety
// events over the past year, each recorded; a fifth of those people still
// have their newest unreviewed, so are flagged. One transaction, as
// seedCaseload.
func seedSafety(tb testing.TB, s *Store, seed uint64) {
	tb.Helper()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(seed, 3))
	err := s.write(ctx, func(tx *sql.Tx) error {
		event, err := tx.PrepareContext(ctx, `INSERT INTO safety_events
			(person_id, trigger, raised_at, actions, recorded_at, reviewed_at)
			SELECT id, ?, ?, 'asked_directly,no_current_risk', ?, ? FROM people WHERE id = ?`)
		if err != nil {
			return err
		}
		defer event.Close()
		var people []int64
		rows, err := tx.QueryContext(ctx, "SELECT id FROM people ORDER BY id")
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			people = append(people, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, pid := range people {
			if rng.IntN(10) != 0 {
				continue
			}
			flagged := rng.IntN(5) == 0
			n := 1 + rng.IntN(3)
			for i := range n {
				raised := t0.Add(-time.Duration(n-i) * time.Duration(1+rng.IntN(90)) * 24 * time.Hour)
				var reviewed any = formatTime(raised.Add(7 * 24 * time.Hour))
				if flagged && i == n-1 {
					reviewed = nil
				}
				triggers := measures.Triggers()
				trigger := string(triggers[rng.IntN(len(triggers))])
				if _, err := event.ExecContext(ctx, trigger, formatTime(raised), formatTime(raised.Add(10*time.Minute)), reviewed, pid); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatalf("seed safety events: %v", err)
	}
}

// refusal is a write that must be refused.
type refusal = struct {
	name  string
	write func() error
	says  string // the Store's own words; "...not found" means it wraps ErrNotFound
}

// expectRefused runs each write and checks that it was refused in its own
// words, wraps ErrNotFound exactly when it says "not found", quotes nothing
// typed ("private" in the tests' text), and left both the file and what
// state reports exactly as they were.
func expectRefused(t *testing.T, s *Store, tests []refusal, state func() string) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files, before := storeHash(t, s), state()
			err := tt.write()
			if err == nil {
				t.Fatal("the write was not refused")
			}
			if notFound := strings.HasSuffix(tt.says, "not found"); errors.Is(err, ErrNotFound) != notFound {
				t.Errorf("err = %v; wraps ErrNotFound: %v, want %v", err, !notFound, notFound)
			}
			if !strings.Contains(err.Error(), tt.says) {
				t.Errorf("err = %.200v; want it to say %q", err, tt.says)
			}
			if strings.Contains(err.Error(), "private") {
				t.Errorf("error %.80q... quotes what was typed", err)
			}
			if after := storeHash(t, s); after != files {
				t.Errorf("the file changed: %s, was %s", after, files)
			}
			if after := state(); after != before {
				t.Errorf("changed:\n%s\nwas\n%s", after, before)
			}
		})
	}
}

// openOldCaseload makes a file at schema version v holding Ann (id 1) with
// an unfinished call (id 7) and Bob (id 2), as an older callcoach left it,
// and whatever stmts add, and opens it, migrating it forward.
func openOldCaseload(t *testing.T, v int, stmts ...string) *Store {
	t.Helper()
	path := filepath.Join(t.TempDir(), "old.db")
	fileAtVersion(t, path, v)
	db := rawDB(t, path)
	mustExec(t, db, "INSERT INTO people (id, name, created_at, updated_at) VALUES (1, 'Ann', ?, ?), (2, 'Bob', ?, ?)",
		formatTime(t0), formatTime(t0), formatTime(t0), formatTime(t0))
	mustExec(t, db, "INSERT INTO calls (id, person_id, started_at, updated_at) VALUES (7, 1, ?, ?)", formatTime(t0), formatTime(t0))
	for _, q := range stmts {
		mustExec(t, db, q)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// expectCascade checks, after person deleted was deleted, that each table
// (a "FROM" clause with a %d for the person) has none of their rows left
// and still has some of person kept's.
func expectCascade(t *testing.T, s *Store, deleted, kept int64, tables ...string) {
	t.Helper()
	for _, table := range tables {
		var gone, left int
		if err := s.ro.QueryRow(fmt.Sprintf("SELECT (SELECT count(*) FROM "+table+"), (SELECT count(*) FROM "+table+")", deleted, kept)).Scan(&gone, &left); err != nil {
			t.Fatal(err)
		}
		if gone != 0 || left == 0 {
			t.Errorf("%s: %d rows of the deleted person left, %d of the other", table, gone, left)
		}
	}
}
