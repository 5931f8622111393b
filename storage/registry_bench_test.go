package storage

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"callcoach/coaching"
	"callcoach/coaching/measures"
)

// BenchmarkRegistry times the registry's first page (30 rows, with each
// row's status worked out) over 100,000 people with 500,000 PHQ-9 and
// GAD-7 measures. Budget: 20 ms (docs/performance.md).
func BenchmarkRegistry(b *testing.B) {
	const people, perPerson = 100_000, 5
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(b.TempDir(), "registry.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	start := time.Now()
	tx, err := s.rw.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	addPerson, err := tx.Prepare("INSERT INTO people (name, created_at, updated_at) VALUES (?, ?, ?) RETURNING id")
	if err != nil {
		b.Fatal(err)
	}
	addMeasure, err := tx.Prepare(`INSERT INTO measures (person_id, instrument, given_at, complete, scored, total)
		VALUES (?, ?, ?, 1, 1, ?)`)
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 23))
	at := formatTime(now)
	for i := range people {
		var id int64
		if err := addPerson.QueryRow(fmt.Sprintf("Person %06d", i), at, at).Scan(&id); err != nil {
			b.Fatal(err)
		}
		instrument := []string{"phq9", "gad7"}[i%2]
		first := now.AddDate(0, 0, -rng.IntN(365))
		score := 4 + rng.IntN(20)
		for j := range perPerson {
			if _, err := addMeasure.Exec(id, instrument, formatTime(first.AddDate(0, 0, 14*j)), score); err != nil {
				b.Fatal(err)
			}
			score = max(0, score-rng.IntN(5)+1)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	b.Logf("made %d people and %d measures in %v", people, people*perPerson, time.Since(start).Round(time.Millisecond))
	for b.Loop() {
		rows, err := s.Registry(ctx, measures.PHQ9, 30)
		if err != nil || len(rows) != 30 {
			b.Fatalf("%d rows, %v", len(rows), err)
		}
		for _, r := range rows {
			_ = coaching.TargetOf(r.Progress, coaching.DefaultTargetWeeks, now)
		}
	}
}
