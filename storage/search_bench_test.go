package storage

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// searchKind is one kind of search a coach makes, with a few queries of
// that kind, as they arrive from the search box.
type searchKind struct {
	name    string
	best    bool // best match first (SearchBest), not newest first
	queries []string
}

// searchKinds cover what a coach types: a word begun, a whole word, two
// words, the first letter of a second word, two common words that are
// never in one note (the search walks both lists to the end), and best
// match first.
var searchKinds = []searchKind{
	{"one-letter", false, []string{"d", "w", "s", "b", "t"}},
	{"two-letters", false, []string{"wa", "da", "sl", "br", "pr"}},
	{"word", false, []string{"walking", "daughter", "breakfast", "smoking", "weather"}},
	{"two-words", false, []string{"walking dog", "blood sugar", "smaller step", "indoor option", "stress work"}},
	{"second-word-one-letter", false, []string{"walking d", "blood s", "sleep h", "daughter w", "confidence a"}},
	{"two-words-never-together", false, []string{"days mornings", "days weather", "days tired"}},
	{"best-match", true, []string{"walking dog", "blood sugar", "daughter", "sleep", "wa", "walking d"}},
}

// BenchmarkSearchKinds times the search box's query by kind of query on
// the cached benchmark caseloads (see MakeBenchFile; absent, it skips):
// 100,000 notes ("10k": 10,000 people with 10 calls each) and 1,000,000
// ("100k", and "1m": a million people with a call each). Each
// query runs once untimed first, as a coach's file is warm after the
// first search. Besides ns/op (the mean) it reports the median and the
// slowest single query, and, where the sqlite3 CLI is installed, the mean
// of the same SQL run by the CLI on the same file (cli-ms/op) and the
// ratio of the median to it (x-cli): the anchor to compare against on a
// noisy machine. On the PostgreSQL run the Store is the caseload's
// PostgreSQL twin (FindBenchDatabase) and the CLI still runs on the file.
// Run with a fixed count, e.g.
//
//	go test ./storage -run '^$' -bench SearchKinds -benchtime 40x
func BenchmarkSearchKinds(b *testing.B) {
	for _, bs := range BenchSizes {
		b.Run(bs.Name, func(b *testing.B) {
			path := searchBenchFile(b, bs)
			ctx := context.Background()
			var s *Store
			if onPostgres() {
				// The same caseload on PostgreSQL; the CLI's figure stays
				// SQLite's own on the file, the anchor for both.
				s = openBenchDatabase(b, bs)
			} else {
				var err error
				if s, err = OpenReadOnly(ctx, path); err != nil {
					b.Fatal(err)
				}
			}
			defer s.Close()
			for _, kind := range searchKinds {
				b.Run(kind.name, func(b *testing.B) { benchSearchKind(b, s, path, kind) })
			}
		})
	}
}

// BenchmarkSearchKindsPostgres times the same kinds of query on
// PostgreSQL (CALLCOACH_TEST_POSTGRES names the server; without it, it
// skips), over 100,000 notes (2,000 people with 50 calls each) made by
// Generate in a database of its own, without the CLI's anchor. Run with a
// fixed count, e.g.
//
//	go test ./storage -run '^$' -bench SearchKindsPostgres -benchtime 40x
func BenchmarkSearchKindsPostgres(b *testing.B) {
	ctx := context.Background()
	s, err := Open(ctx, newPostgresURL(b))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if err := s.Generate(ctx, GenerateOptions{People: 2_000, CallsPerPerson: 50, Seed: 1, Now: time.Now()}); err != nil {
		b.Fatal(err)
	}
	if _, err := s.rw.ExecContext(ctx, "ANALYZE"); err != nil { // the planner's figures for the new rows
		b.Fatal(err)
	}
	for _, kind := range searchKinds {
		b.Run(kind.name, func(b *testing.B) { benchSearchKind(b, s, "", kind) })
	}
}

// searchBenchFile is the path of the cached caseload of size bs (one of
// an older schema is brought up to date first), or skips the benchmark
// with a line saying how to make it.
func searchBenchFile(b *testing.B, bs BenchSize) string {
	b.Helper()
	path, ok, err := FindBenchFile(context.Background(), bs)
	if err != nil {
		b.Fatal(err)
	}
	if !ok {
		b.Skipf("no %s benchmark caseload at %s: make it once with CALLCOACH_BENCH_MAKE=%s go test ./storage -run TestMakeBenchFiles -timeout 2h -v",
			bs.Name, path, bs.Name)
	}
	return path
}

func benchSearchKind(b *testing.B, s *Store, path string, kind searchKind) {
	ctx := context.Background()
	search := func(q string) {
		var err error
		if kind.best {
			_, _, err = s.SearchBest(ctx, q, 50)
		} else {
			_, err = s.Search(ctx, q, 50)
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	for _, q := range kind.queries {
		search(q)
	}
	var times []time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		search(kind.queries[i%len(kind.queries)])
		times = append(times, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(times)
	b.ReportMetric(ms(times[len(times)/2]), "ms-median")
	b.ReportMetric(ms(times[len(times)-1]), "ms-max")
	if s.pg { // the CLI anchor is SQLite's
		return
	}
	var total time.Duration
	for _, t := range times {
		total += t
	}
	var script []string
	for _, q := range kind.queries {
		script = append(script, searchStatements(b, s, q, kind.best)...)
	}
	mean := total / time.Duration(len(times))
	if cli, ok := cliMean(b, path, script, len(kind.queries), mean); ok && len(script) > 0 {
		b.ReportMetric(ms(cli), "cli-ms/op")
		b.ReportMetric(float64(times[len(times)/2])/float64(cli), "x-cli")
	}
}

// searchStatements are the statements Search (or SearchBest) runs for
// query, as the CLI would take them: the parameters written in.
func searchStatements(b *testing.B, s *Store, query string, best bool) []string {
	w := ReadSearch(query)
	if w.Empty() {
		return nil
	}
	if !best {
		return []string{cliSQL(searchHitsSQL(false, 0), w.match(), 50)}
	}
	found, err := bestWindow(context.Background(), s.ro, false, w)
	if err != nil {
		b.Fatal(err)
	}
	args := []any{w.match()}
	for _, id := range rankBest(found, w.words, 50) {
		args = append(args, id)
	}
	return []string{cliSQL(bestWindowSQL, w.match(), BestMatchWindow), cliSQL(searchHitsSQL(false, len(args)-1), args...)}
}

// cliSQL writes args into the ? of query, in order, as SQL literals.
func cliSQL(query string, args ...any) string {
	return inlineArgs(query, args) + ";"
}

// cliMean is what the sqlite3 CLI takes, on average, for one query of
// statements (queries of them in all), on the file at path: the time of
// a run of one warm-up pass and enough timed passes to take about half a
// second (guessed from each, the time the same query takes here), less
// that of a run of the warm-up pass alone, the best of three. Whole runs
// are timed, as .timer counts only whole milliseconds. ok is false
// without the CLI.
func cliMean(b *testing.B, path string, statements []string, queries int, each time.Duration) (mean time.Duration, ok bool) {
	b.Helper()
	if _, err := exec.LookPath("sqlite3"); err != nil || queries == 0 {
		return 0, false
	}
	passes := int(min(max(500*time.Millisecond/(each*time.Duration(queries)+1), 5), 1000))
	pass := strings.Join(statements, "\n") + "\n"
	run := func(n int) time.Duration {
		script := ".output /dev/null\n" + strings.Repeat(pass, n)
		cmd := exec.Command("sqlite3", "-readonly", path)
		cmd.Stdin = strings.NewReader(script)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		start := time.Now()
		if err := cmd.Run(); err != nil || stderr.Len() > 0 {
			b.Fatalf("sqlite3: %v: %s", err, stderr.String())
		}
		return time.Since(start)
	}
	best := time.Duration(1<<63 - 1)
	for range 3 {
		best = min(best, run(1+passes)-run(1))
	}
	return max(best, 0) / time.Duration(passes*queries), true
}

// BenchmarkSearchMemory measures what searching leaves in memory on the
// cached benchmark caseloads: each op is a coach's session of searches
// (every query of searchKinds typed a letter at a time, newest first and
// best match first, most best-match ones cancelled 2 ms in, as the next
// letter would). It reports the live Go heap and the process's resident
// memory before the first session (the store open, after a GC), after
// the first session and a GC, after the last session (before a GC) and
// after a GC that returns free memory to the system: with more sessions,
// nothing should grow. Resident memory counts SQLite's too: the page
// cache of each connection used (2 MB at most) and what FTS5 allocates,
// which SQLite's allocator (modernc.org/memory) keeps for reuse rather
// than giving back. Run with a fixed count:
//
//	go test ./storage -run '^$' -bench SearchMemory -benchtime 5x
func BenchmarkSearchMemory(b *testing.B) {
	for _, bs := range BenchSizes {
		b.Run(bs.Name, func(b *testing.B) {
			path := searchBenchFile(b, bs)
			s, err := OpenReadOnly(context.Background(), path)
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			before := memoryNow(b, true)
			var first memoryUse
			for i := 0; b.Loop(); i++ {
				searchSession(b, s)
				if i == 0 {
					b.StopTimer()
					first = memoryNow(b, true)
					b.StartTimer()
				}
			}
			after := memoryNow(b, false)
			collected := memoryNow(b, true)
			for _, m := range []struct {
				name string
				mem  memoryUse
			}{{"before", before}, {"first", first}, {"after", after}, {"gc", collected}} {
				b.ReportMetric(m.mem.heap, "heap-MiB-"+m.name)
				b.ReportMetric(m.mem.rss, "rss-MiB-"+m.name)
			}
		})
	}
}

// searchSession types every query of searchKinds a letter at a time.
func searchSession(b *testing.B, s *Store) {
	ctx := context.Background()
	for _, kind := range searchKinds {
		for _, q := range kind.queries {
			for i := 1; i <= len(q); i++ {
				if _, err := s.Search(ctx, q[:i], 50); err != nil {
					b.Fatal(err)
				}
				typing, cancel := context.WithTimeout(ctx, 2*time.Millisecond)
				if i == len(q) {
					typing = ctx
				}
				_, _, err := s.SearchBest(typing, q[:i], 50)
				cancel()
				if err != nil && !errors.Is(err, context.DeadlineExceeded) {
					b.Fatal(err)
				}
			}
		}
	}
}

// memoryUse is the live Go heap and the resident memory, in MiB.
type memoryUse struct{ heap, rss float64 }

// memoryNow is the memory used now, after a GC that returns free memory
// to the system if collect is set.
func memoryNow(b *testing.B, collect bool) memoryUse {
	if collect {
		runtime.GC()
		debug.FreeOSMemory()
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return memoryUse{heap: float64(ms.HeapAlloc) / (1 << 20), rss: residentMiB(b)}
}

// residentMiB is VmRSS from /proc/self/status (0 where there is none).
func residentMiB(b *testing.B) float64 {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(status), "\n") {
		if f := strings.Fields(line); len(f) == 3 && f[0] == "VmRSS:" {
			kb, err := strconv.Atoi(f[1])
			if err != nil {
				b.Fatal(err)
			}
			return float64(kb) / 1024
		}
	}
	return 0
}
