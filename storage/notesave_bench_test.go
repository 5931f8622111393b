package storage

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// Saving notes while a coach types, against the anchor "INSERT commit, WAL
// sync=FULL" (/work/shared/anchors): one small autocommit INSERT into a
// fresh file opened as the store opens its own. This machine is shared and
// noisy, so the two are timed in turn, op by op, and compared as ratios:
//
//	go test -run '^$' -bench 'SaveNotes|AnchorInsert' -benchtime 2000x ./storage
//
// Each reports its median and 99th percentile per op (p50-ms, p99-ms); the
// notes save also the anchor's, timed beside it, and the ratios.

// latencies records how long each op took, for its percentiles.
type latencies []time.Duration

// quantile is the q-quantile (0 <= q <= 1) by the nearest rank.
func (l latencies) quantile(q float64) time.Duration {
	if len(l) == 0 {
		return 0
	}
	s := slices.Clone(l)
	slices.Sort(s)
	return s[min(len(s)-1, int(q*float64(len(s))))]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func (l latencies) report(b *testing.B, prefix string) {
	b.ReportMetric(ms(l.quantile(0.5)), prefix+"p50-ms")
	b.ReportMetric(ms(l.quantile(0.99)), prefix+"p99-ms")
}

// anchorInsert is the anchor: a fresh file with one table, WAL and
// synchronous=FULL from the store's own connection string, and one INSERT
// of a row of about 200 characters per op.
type anchorInsert struct {
	db   *sql.DB
	stmt *sql.Stmt
	rng  *rand.Rand
}

func newAnchorInsert(b *testing.B) *anchorInsert {
	b.Helper()
	db, err := sql.Open("sqlite", storeDSN(filepath.Join(b.TempDir(), "anchor.db"), busyTimeout, false))
	if err != nil {
		b.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	b.Cleanup(func() { db.Close() })
	if _, err := db.Exec(`CREATE TABLE notes (id INTEGER PRIMARY KEY, person_id INTEGER NOT NULL,
		created INTEGER NOT NULL, body TEXT NOT NULL)`); err != nil {
		b.Fatal(err)
	}
	var mode string
	var sync int
	if err := db.QueryRow("SELECT * FROM pragma_journal_mode, pragma_synchronous").Scan(&mode, &sync); err != nil || mode != "wal" || sync != 2 {
		b.Fatalf("anchor file: journal_mode %s, synchronous %d, %v; want wal, 2 (FULL)", mode, sync, err)
	}
	stmt, err := db.Prepare("INSERT INTO notes (person_id, created, body) VALUES (?, ?, ?)")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { stmt.Close() })
	return &anchorInsert{db: db, stmt: stmt, rng: rand.New(rand.NewPCG(9, 9))}
}

func (a *anchorInsert) op(b *testing.B) time.Duration {
	var notes strings.Builder
	generateNotes(&notes, a.rng)
	start := time.Now()
	_, err := a.stmt.Exec(1+a.rng.IntN(100_000), time.Now().Unix(), notes.String())
	took := time.Since(start)
	if err != nil {
		b.Fatal(err)
	}
	return took
}

// BenchmarkAnchorInsertCommit is the anchor alone.
func BenchmarkAnchorInsertCommit(b *testing.B) {
	a := newAnchorInsert(b)
	for range 50 {
		a.op(b)
	}
	var took latencies
	for b.Loop() {
		took = append(took, a.op(b))
	}
	took.report(b, "")
}

// notesOfLines makes notes of n lines of about 60 characters.
func notesOfLines(n int) string {
	rng := rand.New(rand.NewPCG(3, 3))
	var notes, line strings.Builder
	for range n {
		line.Reset()
		generateNotes(&line, rng)
		notes.WriteString(strings.TrimSpace(line.String()[:60]))
		notes.WriteByte('\n')
	}
	return notes.String()
}

// notesBenchStore is a file of 2,000 people with 5 calls each, its search
// indexes merged, as a coach's file is after a while; closed at the end.
// On the PostgreSQL run it is a team database as big, and notes go through
// the spool on their way, as the program's do (UseSpool).
func notesBenchStore(b *testing.B) *Store {
	b.Helper()
	ctx := context.Background()
	where := filepath.Join(b.TempDir(), "notes.db")
	if onPostgres() {
		where = newPostgresURL(b)
	}
	s, err := Open(ctx, where)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	if err := s.UseSpool(b.TempDir()); err != nil {
		b.Fatal(err)
	}
	if err := s.Generate(ctx, GenerateOptions{People: 2000, CallsPerPerson: 5, Seed: 1, Now: t0}); err != nil {
		b.Fatal(err)
	}
	if err := s.mergeSearchIndexes(ctx); err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkSaveNotes is the note writer's save while a coach types into a
// call whose notes are 5 or 500 lines long: the program is registered and
// holds the call, as the call workspace does, in a file of 2,000 people
// with 5 calls each. Every save has a few more characters typed at the
// end than the one before (the last line grows, then starts again), so
// the row changes size as it does when typing.
func BenchmarkSaveNotes(b *testing.B) {
	for _, lines := range []int{5, 500} {
		b.Run(fmt.Sprintf("lines=%d", lines), func(b *testing.B) {
			ctx := context.Background()
			s := notesBenchStore(b)
			if _, err := s.RegisterEvery(ctx, t0, 0); err != nil {
				b.Fatal(err)
			}
			call := newCall(b, s)
			base := notesOfLines(lines)
			const typed = "Walked to the shops on Tuesday and felt fine after it."
			rev := int64(0)
			save := func() time.Duration {
				rev++
				notes := base + typed[:1+int(rev)%len(typed)]
				start := time.Now()
				applied, err := s.SaveNotes(ctx, call, notes, rev, t0)
				took := time.Since(start)
				if err != nil || !applied {
					b.Fatalf("save %d: applied %v, %v", rev, applied, err)
				}
				return took
			}
			a := newAnchorInsert(b)
			for range 50 {
				save()
				a.op(b)
			}
			var saves, anchors latencies
			for b.Loop() {
				saves = append(saves, save())
				b.StopTimer()
				anchors = append(anchors, a.op(b))
				b.StartTimer()
			}
			saves.report(b, "")
			anchors.report(b, "anchor-")
			b.ReportMetric(float64(saves.quantile(0.5))/float64(anchors.quantile(0.5)), "x-anchor-p50")
			b.ReportMetric(float64(saves.quantile(0.99))/float64(anchors.quantile(0.99)), "x-anchor-p99")
		})
	}
}

// BenchmarkSaveToSearch is how long after a notes save (its commit) search
// finds a word the save added, with the Store indexing by itself, in a
// 500-line note: "pause" saves once and waits, as when the coach stops
// typing; "typing" goes on saving more words every 0.7 s (the call
// screen's save delay), as when the coach never stops. Search opened over
// the call does not wait at all (it indexes as it opens); this is the wait
// for a search from anywhere else. Each op takes seconds:
//
//	go test -run '^$' -bench SaveToSearch -benchtime 5x ./storage
func BenchmarkSaveToSearch(b *testing.B) {
	for _, typing := range []bool{false, true} {
		name := "pause"
		if typing {
			name = "typing"
		}
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			s := notesBenchStore(b)
			call := newCall(b, s)
			notes, rev := notesOfLines(500), int64(0)
			save := func(words string) {
				rev++
				notes += words
				if applied, err := s.SaveNotes(ctx, call, notes, rev, t0); err != nil || !applied {
					b.Fatalf("save %d: applied %v, %v", rev, applied, err)
				}
			}
			var took latencies
			for b.Loop() {
				word := fmt.Sprintf("quince%d", rev)
				save(" " + word)
				start := time.Now()
				next := start.Add(700 * time.Millisecond)
				for !found(b, s, word, call) {
					if typing && time.Now().After(next) {
						save(" and")
						next = next.Add(700 * time.Millisecond)
					}
					time.Sleep(10 * time.Millisecond)
				}
				took = append(took, time.Since(start))
			}
			b.ReportMetric(took.quantile(0.5).Seconds(), "p50-s")
			b.ReportMetric(slices.Max(took).Seconds(), "max-s")
		})
	}
}
