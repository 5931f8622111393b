package storage

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// The benchmark caseload is seeded once per test binary run and shared.
var bench struct {
	once  sync.Once
	dir   string
	store *Store
}

func TestMain(m *testing.M) {
	code := m.Run()
	if bench.store != nil {
		bench.store.Close()
	}
	if bench.dir != "" {
		os.RemoveAll(bench.dir)
	}
	os.Exit(code)
}

const benchPeople = 10_000

func benchStore(b *testing.B) *Store {
	b.Helper()
	bench.once.Do(func() {
		dir, err := os.MkdirTemp("", "callcoach-bench-")
		if err != nil {
			b.Fatal(err)
		}
		bench.dir = dir
		s, err := Open(context.Background(), filepath.Join(dir, "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		seedCaseload(b, s, benchPeople, 42)
		b.Logf("seeded %d people in %v", benchPeople, time.Since(start).Round(time.Millisecond))
		bench.store = s
	})
	if bench.store == nil {
		b.Fatal("seeding the benchmark caseload failed")
	}
	return bench.store
}

// page is what the caseload screen does on every refresh: count, then
// fetch one screenful.
func page(b *testing.B, s *Store, q CaseloadQuery, wantRows int) {
	ctx := context.Background()
	n, err := s.CountCaseload(ctx, q.Filter)
	if err != nil {
		b.Fatal(err)
	}
	rows, err := s.Caseload(ctx, q)
	if err != nil {
		b.Fatal(err)
	}
	if len(rows) != wantRows || n < wantRows {
		b.Fatalf("%+v: %d rows of %d, want %d", q, len(rows), n, wantRows)
	}
}

func BenchmarkCaseloadFirstPage(b *testing.B) {
	s := benchStore(b)
	for b.Loop() {
		page(b, s, CaseloadQuery{Limit: 30}, 30)
	}
}

func BenchmarkCaseloadFilter(b *testing.B) {
	s := benchStore(b)
	for b.Loop() {
		page(b, s, CaseloadQuery{Filter: "ann", Limit: 30}, 30)
	}
}

func BenchmarkCaseloadPageDeep(b *testing.B) {
	s := benchStore(b)
	for b.Loop() {
		page(b, s, CaseloadQuery{Offset: 9_000, Limit: 30}, 30)
	}
}
