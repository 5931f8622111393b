package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"callcoach/storage"
)

// BenchmarkReportCommand times the real `callcoach report` over a year of
// 100 calls a day (storage.GenerateCallYear), a whole process each time,
// beside its anchor: the sqlite3 CLI running the same queries on the same
// file (storage.PracticeScript), also a whole process.
//
//	go test -run '^$' -bench ReportCommand -benchtime 10x .
func BenchmarkReportCommand(b *testing.B) {
	sqlite3, err := exec.LookPath("sqlite3")
	if err != nil {
		b.Skip("sqlite3 CLI not installed")
	}
	app := binary(b)
	dir := b.TempDir()
	db := filepath.Join(dir, "year.db")
	ctx := context.Background()
	s, err := storage.Open(ctx, db)
	if err != nil {
		b.Fatal(err)
	}
	start := time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
	if err := s.GenerateCallYear(ctx, start); err != nil {
		b.Fatal(err)
	}
	s.Close()
	script := filepath.Join(dir, "report.sql")
	if err := os.WriteFile(script, []byte(storage.PracticeScript(start, start.AddDate(1, 0, 0), time.UTC)), 0o600); err != nil {
		b.Fatal(err)
	}
	b.Run("callcoach", func(b *testing.B) {
		for b.Loop() {
			cmd := exec.Command(app, "report", "--db", db, "--from", "2025-12-01", "--to", "2026-11-30", "--format", "csv")
			cmd.Env = append(os.Environ(), "TZ=UTC")
			out, err := cmd.CombinedOutput()
			if err != nil || !strings.Contains(string(out), "2025-12-01") {
				b.Fatalf("report: %v\n%.500s", err, out)
			}
		}
	})
	b.Run("sqlite3-cli", func(b *testing.B) {
		for b.Loop() {
			cmd := exec.Command(sqlite3, "-readonly", db, ".read "+script)
			if out, err := cmd.CombinedOutput(); err != nil || len(out) == 0 {
				b.Fatalf("sqlite3: %v\n%.500s", err, out)
			}
		}
	})
}
