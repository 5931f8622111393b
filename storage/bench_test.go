package storage

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"callcoach/coaching"
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
		seedPlans(b, s, 42)
		seedSafety(b, s, 42)
		b.Logf("seeded %d people with their calls, plans, follow-ups and safety events in %v", benchPeople, time.Since(start).Round(time.Millisecond))
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

// The benchmark coach's day: follow-ups before benchOverdue are overdue,
// before benchTomorrow due today (seedPlans spreads them over 30 days
// either side of t0).
var (
	benchOverdue  = t0.Add(-2 * time.Hour)
	benchTomorrow = t0.Truncate(24 * time.Hour).Add(24 * time.Hour)
)

// BenchmarkSectionsFirstPage is opening the caseload: the count of every
// section for the headings, and the first page of each due section and
// of no follow-up.
func BenchmarkSectionsFirstPage(b *testing.B) {
	s := benchStore(b)
	ctx := context.Background()
	q := CaseloadQuery{OverdueBefore: benchOverdue, DueBefore: benchTomorrow, Limit: 30}
	for b.Loop() {
		counts, err := s.CountSections(ctx, q)
		if err != nil {
			b.Fatal(err)
		}
		for _, sec := range []Section{SectionOverdue, SectionDueToday, SectionUpcoming, SectionNoFollowUp} {
			q.Section = sec
			rows, err := s.Caseload(ctx, q)
			if err != nil {
				b.Fatal(err)
			}
			if len(rows) != min(30, counts[sec]) || counts[sec] < 30 {
				b.Fatalf("%v: %d rows of %d", sec, len(rows), counts[sec])
			}
		}
	}
}

// BenchmarkSectionsFilterKeystroke is one keystroke in the find field: the
// section counts for the filter and the first page of the first section
// with anyone in it. "ann" matches about a tenth of the caseload, by name;
// "ion" about a fifth, by condition (hypertension, depression).
func BenchmarkSectionsFilterKeystroke(b *testing.B) {
	s := benchStore(b)
	ctx := context.Background()
	for _, filter := range []string{"ann", "ion"} {
		b.Run(filter, func(b *testing.B) {
			q := CaseloadQuery{Filter: filter, OverdueBefore: benchOverdue, DueBefore: benchTomorrow, Limit: 30}
			for b.Loop() {
				counts, err := s.CountSections(ctx, q)
				if err != nil {
					b.Fatal(err)
				}
				q.Section = SectionAll
				for _, sec := range []Section{SectionOverdue, SectionDueToday, SectionUpcoming, SectionNoFollowUp} {
					if counts[sec] > 0 {
						q.Section = sec
						break
					}
				}
				rows, err := s.Caseload(ctx, q)
				if err != nil {
					b.Fatal(err)
				}
				if len(rows) != min(30, counts[q.Section]) || len(rows) < 30 {
					b.Fatalf("%v: %d rows of %d", q.Section, len(rows), counts[q.Section])
				}
			}
		})
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
