package storage

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"testing"
	"time"

	"callcoach/coaching"
)

var genNow = time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)

func TestGenerate(t *testing.T) {
	ctx := context.Background()
	// names makes n people with 9 calls each and returns the first 20
	// names; each person takes the same draws whatever n, so a seed's
	// first 20 are the same at any size.
	names := func(seed uint64, n int) []string {
		t.Helper()
		s := newStore(t)
		if err := s.Generate(ctx, GenerateOptions{People: n, CallsPerPerson: 9, Seed: seed, Now: genNow}); err != nil {
			t.Fatal(err)
		}
		var people, calls, short, long, unended int
		mustScan(t, s, `SELECT count(*) FROM people`, &people)
		mustScan(t, s, `SELECT count(*), sum(CASE WHEN length(notes) < 120 THEN 1 ELSE 0 END), sum(CASE WHEN length(notes) > 300 THEN 1 ELSE 0 END), sum(CASE WHEN ended_at IS NULL THEN 1 ELSE 0 END) FROM calls`,
			&calls, &short, &long, &unended)
		if people != n || calls != 9*n || short != 0 || long != 0 || unended != 0 {
			t.Fatalf("people %d, calls %d, notes too short %d, too long %d, unended %d", people, calls, short, long, unended)
		}
		var future int
		now := formatTime(genNow)
		mustScan(t, s, "SELECT count(*) FROM calls WHERE ended_at > '"+now+"' OR started_at > '"+now+"'", &future)
		if future != 0 {
			t.Fatalf("%d calls in the future", future)
		}
		hits, err := s.Search(ctx, "walking", 5)
		if err != nil || len(hits) != 5 {
			t.Fatalf("search walking: %d hits, %v", len(hits), err)
		}
		rows, err := s.ro.QueryContext(ctx, `SELECT name FROM people ORDER BY id LIMIT 20`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				t.Fatal(err)
			}
			out = append(out, n)
		}
		return out
	}
	// 1,500 people × 9 calls spans two transactions; the others are
	// smaller, for a PostgreSQL database takes its rows more slowly.
	a, b, c := names(1, 1500), names(1, 200), names(2, 200)
	if !slices.Equal(a, b) {
		t.Fatalf("same seed, different people:\n%v\n%v", a, b)
	}
	if slices.Equal(a, c) {
		t.Fatal("different seeds gave the same people")
	}
	if distinct := slices.Compact(slices.Sorted(slices.Values(a))); len(distinct) < 10 {
		t.Fatalf("names hardly vary: %v", a)
	}
}

func mustScan(t *testing.T, s *Store, query string, dest ...any) {
	t.Helper()
	if err := s.ro.QueryRow(query).Scan(dest...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

var searchQueries = []string{"walking", "blood sugar", "daughter", "confidence", "smaller step", "sw", "weather indoor"}

// BenchmarkSearch runs the search box's query over a generated caseload of
// 5,000 people with 10 notes each (CALLCOACH_BIG=1 TestGenerateBig does 100,000).
func BenchmarkSearch(b *testing.B) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(b.TempDir(), "search.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if err := s.Generate(ctx, GenerateOptions{People: 5000, CallsPerPerson: 10, Seed: 1, Now: genNow}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := s.Search(ctx, searchQueries[i%len(searchQueries)], 50); err != nil {
			b.Fatal(err)
		}
	}
}

// TestGenerateBig builds 100,000 people with 1,000,000 notes and times
// Search over them. It takes minutes, so it runs only with CALLCOACH_BIG=1;
// CALLCOACH_BIG_DB=PATH keeps the file (reused if it is already there).
func TestGenerateBig(t *testing.T) {
	if os.Getenv("CALLCOACH_BIG") == "" {
		t.Skip("set CALLCOACH_BIG=1 to build 100,000 people with 1,000,000 notes")
	}
	ctx := context.Background()
	path := os.Getenv("CALLCOACH_BIG_DB")
	if path == "" {
		path = filepath.Join(t.TempDir(), "big.db")
	}
	_, statErr := os.Stat(path)
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if statErr != nil {
		start := time.Now()
		if err := s.Generate(ctx, GenerateOptions{People: 100_000, CallsPerPerson: 10, Seed: 1, Now: genNow}); err != nil {
			t.Fatal(err)
		}
		t.Logf("generated 100,000 people and 1,000,000 calls in %v", time.Since(start).Round(time.Second))
	}
	for _, q := range searchQueries {
		var times []time.Duration
		var n int
		for range 21 {
			start := time.Now()
			hits, err := s.Search(ctx, q, 50)
			if err != nil {
				t.Fatal(err)
			}
			times, n = append(times, time.Since(start)), len(hits)
		}
		sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
		t.Logf("search %-16q %2d hits: median %v, max %v", q, n, times[len(times)/2].Round(10*time.Microsecond), times[len(times)-1].Round(10*time.Microsecond))
	}
}

// TestGenerateLeavesTheIndexTriggers: the bulk load drops the one-row index
// triggers for speed; afterwards they must be back, so a note typed later
// is found, and every generated row must be in the indexes.
func TestGenerateLeavesTheIndexTriggers(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	if err := s.Generate(ctx, GenerateOptions{People: 300, CallsPerPerson: 3, Seed: 2, Now: t0}); err != nil {
		t.Fatal(err)
	}
	// On PostgreSQL the triggers stay (generateBatchTx) and the finder is
	// an index of people, not a table of its own.
	var n int
	if err := s.ro.QueryRow(bySQL("SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name IN ('search_calls_insert', 'people_search_insert')",
		"SELECT 1 + count(*) FROM pg_trigger WHERE tgname = 'search_calls_insert'")).Scan(&n); err != nil || n != 2 {
		t.Fatalf("index triggers after Generate: %d, %v", n, err)
	}
	var calls, indexed, people, peopleIndexed int
	s.ro.QueryRow("SELECT count(*) FROM calls WHERE notes <> ''").Scan(&calls)
	s.ro.QueryRow("SELECT count(*) FROM search_text WHERE rowid % 4 = 1").Scan(&indexed)
	s.ro.QueryRow("SELECT count(*) FROM people").Scan(&people)
	s.ro.QueryRow(bySQL("SELECT count(*) FROM people_search", "SELECT count(*) FROM people")).Scan(&peopleIndexed)
	if calls != 900 || indexed != calls || people != 300 || peopleIndexed != people {
		t.Fatalf("calls %d indexed %d, people %d indexed %d", calls, indexed, people, peopleIndexed)
	}
	p := createPerson(t, s, coaching.Person{Name: "Zebedee Quartz"})
	c, err := s.StartCall(ctx, p, coaching.RoleCoach, t0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveNotes(ctx, c.ID, "xylophone lessons", 1, t0); err != nil {
		t.Fatal(err)
	}
	indexNotes(t, s)
	if hits, _ := s.Search(ctx, "xylophone", 5); len(hits) != 1 {
		t.Fatalf("a later note is not found: %v", hits)
	}
	if n, _ := s.countCaseload(ctx, "zebedee"); n != 1 {
		t.Fatalf("a later person is not found: %d", n)
	}
}
