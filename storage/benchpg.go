package storage

import (
	"context"
	"crypto/sha256"
	"fmt"
	"net/url"
	"os"
)

// The benchmark caseloads on PostgreSQL (issue 18's figures are "beside
// the SQLite figures"): the same people, calls and plans as the cached
// files (BenchSizes, the same generator and seed), in a database of their
// own on the server named by admin, a postgres:// URL whose role may
// create databases. Each is named with its size and a fingerprint of the
// PostgreSQL migrations, so a build on another schema never opens it.

// BenchDatabaseName is the database the caseload of size b is kept in.
func BenchDatabaseName(b BenchSize) string {
	h := sha256.New()
	for _, m := range postgresMigrations() {
		fmt.Fprintf(h, "%s\x00%s\x00", m.name, m.sql)
	}
	return fmt.Sprintf("callcoach_bench_%s_v%d_%x", b.Name, SchemaVersion(), h.Sum(nil)[:4])
}

// FindBenchDatabase is the URL of the caseload of size b on admin's
// server; ok is false if it was never made. With generate it is made
// first if it is missing (under a temporary name, renamed once whole).
func FindBenchDatabase(ctx context.Context, admin string, b BenchSize, generate bool) (where string, ok bool, err error) {
	u, err := url.Parse(admin)
	if err != nil {
		return "", false, err
	}
	db, err := openPostgresDB(admin, false, nil)
	if err != nil {
		return "", false, err
	}
	defer db.Close()
	name := BenchDatabaseName(b)
	at := func(name string) string {
		v := *u
		v.Path = "/" + name
		return v.String()
	}
	var has bool
	if err := db.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = ?)", name).Scan(&has); err != nil {
		return "", false, err
	}
	if has || !generate {
		return at(name), has, nil
	}
	building := fmt.Sprintf("%s_building_%d", name, os.Getpid())
	if _, err := db.ExecContext(ctx, "DROP DATABASE IF EXISTS "+building); err != nil {
		return "", false, err
	}
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+building); err != nil {
		return "", false, err
	}
	if err := generateBenchDatabase(ctx, at(building), b); err != nil {
		return "", false, fmt.Errorf("make the %s benchmark caseload on PostgreSQL: %w", b.Name, err)
	}
	if _, err := db.ExecContext(ctx, "ALTER DATABASE "+building+" RENAME TO "+name); err != nil {
		return "", false, err
	}
	return at(name), true, nil
}

func generateBenchDatabase(ctx context.Context, where string, b BenchSize) error {
	s, err := Open(ctx, where)
	if err != nil {
		return err
	}
	err = s.Generate(ctx, GenerateOptions{People: b.People, CallsPerPerson: b.CallsPerPerson, Plans: true, Seed: 42, Now: BenchNow})
	if err == nil {
		_, err = s.rw.ExecContext(ctx, "VACUUM ANALYZE")
	}
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	return err
}
