package storage

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// Benchmark caseloads: made up once by Generate and kept in the user's
// cache, so benchmarks at 100,000 and 1,000,000 people cost their build
// only the first time (docs/performance.md). A benchmark whose file is
// absent skips with a line saying how to make it, so `go test ./...`
// stays fast.

// BenchSize is one made-up caseload.
type BenchSize struct {
	Name           string // "10k", "100k", "1m"
	People         int
	CallsPerPerson int
}

// BenchSizes are the caseloads the benchmarks use: 100k has 1,000,000
// notes (search, export), 1m has 1,000,000 people (the caseload).
var BenchSizes = []BenchSize{
	{"10k", 10_000, 10},
	{"100k", 100_000, 10},
	{"1m", 1_000_000, 1},
}

// BenchNow is the instant the benchmark caseloads are made around: their
// follow-ups fall within 30 days of it.
var BenchNow = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// BenchSizeNamed finds a size by name.
func BenchSizeNamed(name string) (BenchSize, bool) {
	for _, b := range BenchSizes {
		if b.Name == name {
			return b, true
		}
	}
	return BenchSize{}, false
}

// BenchFilePath is where the caseload of size b is kept: in the user's
// cache, named with the schema version and the migrations behind it
// (benchFileName), so builds on different schemas (branches) never
// migrate each other's file.
func BenchFilePath(b BenchSize) (string, error) {
	dir := os.Getenv("CALLCOACH_BENCH_DIR")
	if dir == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			return "", err
		}
		dir = filepath.Join(cache, "callcoach-bench")
	}
	return filepath.Join(dir, benchFileName(b, SchemaVersion())), nil
}

// benchFileName names the file of size b at a schema version, with a
// fingerprint of the migrations up to that version: two branches that
// each add a migration of the same number never take each other's file.
func benchFileName(b BenchSize, version int) string {
	h := sha256.New()
	for _, m := range migrations()[:version] {
		fmt.Fprintf(h, "%s\x00%s\x00", m.name, m.sql)
	}
	return fmt.Sprintf("caseload-%s-v%d-%x.db", b.Name, version, h.Sum(nil)[:4])
}

// MakeBenchFile makes the caseload of size b if it is not there yet,
// building it under a temporary name so a stopped build leaves nothing
// that looks finished. It returns the file's path.
func MakeBenchFile(ctx context.Context, b BenchSize) (string, error) {
	path, _, err := benchFile(ctx, b, true)
	return path, err
}

// FindBenchFile is the path of the caseload of size b if it has been made
// (by this build's schema, or an older one's, which is then copied and
// brought up to date); ok is false if it was never made.
func FindBenchFile(ctx context.Context, b BenchSize) (path string, ok bool, err error) {
	return benchFile(ctx, b, false)
}

func benchFile(ctx context.Context, b BenchSize, generate bool) (string, bool, error) {
	path, err := BenchFilePath(b)
	if err != nil {
		return "", false, err
	}
	if _, err := os.Stat(path); err == nil {
		return path, true, nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return "", false, err
	}
	tmp := fmt.Sprintf("%s.building-%d", path, os.Getpid()) // two programs may build at once
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(tmp + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return "", false, err
		}
	}
	// A file of an older schema is copied and brought up to date, as a
	// coach's would be: quicker than making it again.
	for v := SchemaVersion() - 1; v > 0; v-- {
		old := filepath.Join(filepath.Dir(path), benchFileName(b, v))
		if _, err := os.Stat(old); err != nil {
			continue
		}
		if err := copyClosedFile(old, tmp); err != nil {
			return "", false, err
		}
		s, err := Open(ctx, tmp)
		if err != nil {
			return "", false, err
		}
		if err := s.Close(); err != nil {
			return "", false, err
		}
		return path, true, os.Rename(tmp, path)
	}
	if !generate {
		return path, false, nil
	}
	s, err := Open(ctx, tmp)
	if err != nil {
		return "", false, err
	}
	err = s.Generate(ctx, GenerateOptions{People: b.People, CallsPerPerson: b.CallsPerPerson, Plans: true, Seed: 42, Now: BenchNow})
	if err == nil {
		err = s.mergeSearchIndexes(ctx)
	}
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", false, fmt.Errorf("make the %s benchmark caseload: %w", b.Name, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return "", false, err
	}
	return path, true, nil
}

// mergeSearchIndexes merges each full-text index's segments into one, as
// a file that has lived a while would have them, not as a bulk load left
// them.
func (s *Store) mergeSearchIndexes(ctx context.Context) error {
	if s.pg {
		return nil // GIN indexes have no segments
	}
	for _, table := range []string{"search_text", "people_search"} {
		err := s.write(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, "INSERT INTO "+table+" ("+table+") VALUES ('optimize')")
			return err
		})
		if err != nil {
			return fmt.Errorf("merge %s: %w", table, err)
		}
	}
	return nil
}

// copyClosedFile copies a closed database file (no -wal beside it) to dst.
func copyClosedFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		return errors.Join(err, out.Close())
	}
	return out.Close()
}
