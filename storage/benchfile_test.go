package storage

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMakeBenchFiles makes the benchmark caseloads named in
// CALLCOACH_BENCH_MAKE ("10k,100k,1m", or "all") in the user's cache, or on
// the PostgreSQL run as databases on its server. The large ones take
// minutes, so it runs only when asked:
//
//	CALLCOACH_BENCH_MAKE=all go test ./storage -run TestMakeBenchFiles -timeout 2h -v
//	CALLCOACH_TEST_ENGINE=postgres CALLCOACH_BENCH_MAKE=100k go test ./storage -run TestMakeBenchFiles -timeout 2h -v
func TestMakeBenchFiles(t *testing.T) {
	want := os.Getenv("CALLCOACH_BENCH_MAKE")
	if want == "" {
		t.Skip("set CALLCOACH_BENCH_MAKE=10k,100k,1m (or all) to make the benchmark caseloads")
	}
	for _, b := range BenchSizes {
		if want != "all" && !strings.Contains(","+want+",", ","+b.Name+",") {
			continue
		}
		if onPostgres() {
			where, _, err := FindBenchDatabase(context.Background(), postgresServer(t).String(), b, true)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %s", b.Name, redactURL(where))
			continue
		}
		path, err := MakeBenchFile(context.Background(), b)
		if err != nil {
			t.Fatal(err)
		}
		info, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %s, %d MB", b.Name, path, info.Size()>>20)
	}
}

// TestBenchFileIsMadeOnce: a small made-up caseload is built under a
// temporary name, then kept and reused.
func TestBenchFileIsMadeOnce(t *testing.T) {
	t.Setenv("CALLCOACH_BENCH_DIR", t.TempDir())
	b := BenchSize{Name: "tiny", People: 50, CallsPerPerson: 2}
	path, err := MakeBenchFile(context.Background(), b)
	if err != nil {
		t.Fatal(err)
	}
	first, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if left, _ := filepath.Glob(path + ".building*"); len(left) > 0 {
		t.Fatalf("the temporary file is left behind: %v", left)
	}
	again, err := MakeBenchFile(context.Background(), b)
	if err != nil || again != path {
		t.Fatalf("again: %q, %v", again, err)
	}
	if second, _ := os.Stat(path); !second.ModTime().Equal(first.ModTime()) {
		t.Fatal("the file was made again")
	}
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var people, plans, due, flags int
	mustScan(t, s, "SELECT count(*), (SELECT count(*) FROM action_plans), count(next_due_at), (SELECT count(*) FROM safety_events) FROM people", &people, &plans, &due, &flags)
	if people != 50 || plans == 0 || plans == 50 || due == 0 || due == 50 {
		t.Fatalf("people %d, plans %d, with a follow-up %d, flags %d", people, plans, due, flags)
	}
}

// TestBenchFileOfAnOlderSchemaIsBroughtUpToDate: a branch with a newer
// schema copies the older file and migrates the copy, leaving the older
// one as it was for the builds that still use it.
func TestBenchFileOfAnOlderSchemaIsBroughtUpToDate(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("CALLCOACH_BENCH_DIR", dir)
	b := BenchSize{Name: "tiny", People: 50, CallsPerPerson: 2}
	older := filepath.Join(dir, benchFileName(b, SchemaVersion()-1))
	fileAtVersion(t, older, SchemaVersion()-1)
	path, err := MakeBenchFile(context.Background(), b)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var people int
	mustScan(t, s, "SELECT count(*) FROM people", &people)
	if people != 0 {
		t.Fatalf("made anew (%d people), not copied from the older file", people)
	}
	if v := userVersion(t, rawDB(t, older)); v != SchemaVersion()-1 {
		t.Fatalf("the older file is now at version %d", v)
	}
}
