package storage

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"callcoach/coaching"
)

// The benchmark caseloads are made once and kept in the user's cache
// (storage/benchfile.go); each is opened once per test binary run.
var bench struct {
	mu     sync.Mutex
	stores map[string]*Store
}

func TestMain(m *testing.M) {
	if path := os.Getenv(holdLockEnv); path != "" {
		holdLock(path) // the other program of lockedByAnotherProgram
	}
	flag.Parse()
	startPostgresSuite()
	code := m.Run()
	for _, s := range bench.stores {
		s.Close()
	}
	if err := dropTemplate(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		code = max(code, 1)
	}
	os.Exit(code)
}

// openBenchFile opens the cached caseload of the named size (storage.BenchSizes),
// or skips the benchmark with a line saying how to make it.
func openBenchFile(b testing.TB, name string) *Store {
	b.Helper()
	bench.mu.Lock()
	defer bench.mu.Unlock()
	if s, ok := bench.stores[name]; ok {
		return s
	}
	size, ok := BenchSizeNamed(name)
	if !ok {
		b.Fatalf("no benchmark caseload called %q", name)
	}
	if onPostgres() {
		s := openBenchDatabase(b, size)
		if bench.stores == nil {
			bench.stores = map[string]*Store{}
		}
		bench.stores[name] = s
		return s
	}
	path, ok, err := FindBenchFile(context.Background(), size)
	if err != nil {
		b.Fatal(err)
	}
	if !ok {
		b.Skipf("no %s benchmark caseload at %s: make it once with CALLCOACH_BENCH_MAKE=%s go test ./storage -run TestMakeBenchFiles -timeout 2h -v",
			name, path, name)
	}
	s, err := Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	if bench.stores == nil {
		bench.stores = map[string]*Store{}
	}
	bench.stores[name] = s
	return s
}

// The benchmark coach's day: the cached caseloads' follow-ups fall within
// 30 days either side of BenchNow.
var (
	benchOverdue  = BenchNow.Add(-2 * time.Hour)
	benchTomorrow = BenchNow.Truncate(24 * time.Hour).Add(24 * time.Hour)
)

// benchTyping is what a coach types into the find field, a key at a
// time: a first name, then a surname; a condition; a phone number.
var benchTyping = []string{"a", "am", "ami", "amir", "amira", "amira ", "amira o", "amira ok", "amira oka", "amira okafor",
	"d", "di", "dia", "diab", "7", "77", "770", "7700"}

// BenchmarkCaseload measures, at each cached size, the caseload's reads:
// the first page of everyone; one key typed in the find field (the page
// it shows, over benchTyping), in everyone and in the overdue section
// (due order up to 400 matches, by name past that); the counts on the tabs with and without a
// filter; the last page (End); and opening each section.
func BenchmarkCaseload(b *testing.B) {
	ctx := context.Background()
	for _, size := range BenchSizes {
		b.Run(size.Name, func(b *testing.B) {
			s := openBenchFile(b, size.Name)
			q := CaseloadQuery{OverdueBefore: benchOverdue, DueBefore: benchTomorrow, Limit: 30}
			b.Run("first-page", func(b *testing.B) {
				for b.Loop() {
					mustPage(b, s, q, 30)
				}
			})
			b.Run("filter-keystroke", func(b *testing.B) {
				for i := 0; b.Loop(); i++ {
					q := q
					q.Filter = benchTyping[i%len(benchTyping)]
					mustPage(b, s, q, 0)
				}
			})
			b.Run("filter-keystroke-overdue", func(b *testing.B) {
				for i := 0; b.Loop(); i++ {
					q := q
					q.Section = SectionOverdue
					q.Filter = benchTyping[i%len(benchTyping)]
					mustPage(b, s, q, 0)
				}
			})
			b.Run("counts", func(b *testing.B) {
				for b.Loop() {
					if _, err := s.CaseloadCounts(ctx, q); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("counts-filtered", func(b *testing.B) {
				for i := 0; b.Loop(); i++ {
					q := q
					q.Filter = benchTyping[i%len(benchTyping)]
					if _, err := s.CaseloadCounts(ctx, q); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("last-page", func(b *testing.B) {
				q := q
				q.Last = true
				for b.Loop() {
					mustPage(b, s, q, 30)
				}
			})
			b.Run("sections", func(b *testing.B) {
				for b.Loop() {
					for _, sec := range []Section{SectionOverdue, SectionDueToday, SectionUpcoming, SectionNoFollowUp} {
						q := q
						q.Section = sec
						mustPage(b, s, q, 30)
					}
				}
			})
		})
	}
}

// mustPage reads one page and checks it holds want rows (0: any number).
func mustPage(b *testing.B, s *Store, q CaseloadQuery, want int) {
	page, err := s.Caseload(context.Background(), q)
	if err != nil {
		b.Fatal(err)
	}
	if want > 0 && len(page.Rows) != want {
		b.Fatalf("%+v: %d rows, want %d", q, len(page.Rows), want)
	}
}

// BenchmarkAddTallyMark is one key press in the call workspace: one write
// transaction, synced to disk.
func BenchmarkAddTallyMark(b *testing.B) {
	s, err := Open(context.Background(), filepath.Join(b.TempDir(), "tally.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	call := newCall(b, s)
	ctx := context.Background()
	for b.Loop() {
		if err := s.AddTallyMark(ctx, call, coaching.TallyOpenQuestion, t0); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTally counts a long call's 200 marks (20 of them undone) among
// 50 calls' marks.
func BenchmarkTally(b *testing.B) {
	s, err := Open(context.Background(), filepath.Join(b.TempDir(), "tally.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	var calls []int64
	for range 50 {
		calls = append(calls, newCall(b, s))
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		for i := range 200 {
			for _, c := range calls {
				var undone any
				if i%10 == 0 {
					undone = formatTime(t0)
				}
				if _, err := tx.ExecContext(ctx, "INSERT INTO tally_marks (call_id, kind, marked_at, undone_at) VALUES (?, ?, ?, ?)",
					c, string(coaching.TallyKinds[i%len(coaching.TallyKinds)]), formatTime(t0), undone); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	call := calls[len(calls)/2]
	for b.Loop() {
		t, err := s.Tally(ctx, call)
		if err != nil {
			b.Fatal(err)
		}
		if n := t.Questions() + t.Reflections() + t[coaching.TallyAffirmation] + t[coaching.TallySummary] + t[coaching.TallyMIInconsistent]; n != 180 {
			b.Fatalf("tally counts %d marks, want 180", n)
		}
	}
}
