package storage

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"callcoach/coaching"
)

// secrets are words of person 1 in exportSample: their name, phone, a
// line of notes, a quote, a plan, a barrier, their record number, and a
// word only their plan holds, as the search index keeps it.
var secrets = []string{"O'Neil", "7946 0000", "First call, went well", "keep up with him", "Walk to the shop", "after dialysis", "943 476 5919", "honest"}

// fileHolds says which of words are in the database file or its -wal.
func fileHolds(t *testing.T, path string, words []string) []string {
	t.Helper()
	var found []string
	for _, w := range words {
		for _, p := range []string{path, path + "-wal"} {
			b, err := os.ReadFile(p)
			if errors.Is(err, os.ErrNotExist) {
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(b, []byte(w)) {
				found = append(found, w+" in "+filepath.Base(p))
			}
		}
	}
	return found
}

// TestErasePerson runs on both engines; what it checks of the file (its
// bytes, its log, rescue files beside it) only on SQLite, which has one.
func TestErasePerson(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "callcoach.db")
	var s *Store
	if onPostgres() {
		s = newStore(t)
	} else {
		s = openAt(t, path)
	}
	exportSample(t, s)
	rescue := filepath.Join(filepath.Dir(path), "rescued-notes-call2-20261121T102500Z.txt")
	other := filepath.Join(filepath.Dir(path), "rescued-notes-call4-20261110T080100Z.txt")
	if !s.pg {
		for _, f := range []string{rescue, other} {
			if err := os.WriteFile(f, []byte("notes"), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		var busy, logged, copied int
		if err := s.rw.QueryRow("PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &logged, &copied); err != nil {
			t.Fatal(err)
		}
		if got := fileHolds(t, path, secrets); len(got) < len(secrets) {
			t.Fatalf("before the erasure the file should hold every secret; it holds %q", got)
		}
	}

	if _, err := s.ErasePerson(ctx, 99, t0); !errors.Is(err, ErrNotFound) {
		t.Errorf("erase of an unknown id: %v, want ErrNotFound", err)
	}
	if _, err := s.ErasePerson(ctx, 2, t0); !errors.Is(err, ErrCallOpen) {
		t.Errorf("erase of someone in a call: %v, want ErrCallOpen", err)
	}
	e, err := s.ErasePerson(ctx, 1, t0)
	if err != nil {
		t.Fatal(err)
	}
	want := Erased{Calls: 2, Plans: 1, Measures: 1, Readings: 2, FollowUps: 2, SafetyEvents: 2, Drafts: 1, RescueFiles: 1, LogCleared: true}
	if s.pg {
		want.RescueFiles, want.LogCleared = 0, false
	}
	if e != want {
		t.Errorf("erased %+v, want %+v", e, want)
	}
	for _, table := range []string{"people WHERE id = 1", "calls WHERE person_id = 1", "action_plans WHERE person_id = 1",
		"measures WHERE person_id = 1", "follow_ups WHERE person_id = 1", "safety_events WHERE person_id = 1",
		"search_text WHERE person_id = 1", "change_talk", "rulers WHERE call_id IN (1, 2)", "plan_barriers", "confidence_scores",
		"measure_items WHERE measure_id = 1", "drafts", "call_stages", "tally_marks", "readings WHERE person_id = 1"} {
		var n int
		if err := s.ro.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("%s: %d rows left", table, n)
		}
	}
	if hits, err := s.Search(ctx, "grandson", 10); err != nil || len(hits) != 0 {
		t.Errorf("search still finds them: %v, %v", hits, err)
	}
	if !s.pg {
		if _, err := os.Stat(rescue); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("their rescue file is still there: %v", err)
		}
		if _, err := os.Stat(other); err != nil {
			t.Errorf("another person's rescue file went: %v", err)
		}
	}
	// Everyone else is as they were.
	if p, err := s.GetPerson(ctx, 3); err != nil || p.Name != "مريم الحسن" {
		t.Errorf("person 3: %+v, %v", p, err)
	}
	var entry coaching.AuditEntry
	if err := s.AuditTrail(ctx, t0, func(e coaching.AuditEntry) error { entry = e; return nil }); err != nil {
		t.Fatal(err)
	}
	if entry.Action != coaching.AuditErased || entry.PersonID != 1 || entry.Detail != "calls 2, plans 1, measures 1, readings 2, follow-ups 2, safety events 2" {
		t.Errorf("audit entry %+v", entry)
	}
	if r, err := s.VerifyAudit(ctx); err != nil || r.Break != nil {
		t.Errorf("audit after erasure: %+v, %v", r, err)
	}
	if s.pg {
		return
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if got := fileHolds(t, path, secrets); len(got) > 0 {
		t.Errorf("after the erasure the file still holds %q", got)
	}
}
