package storage

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"modernc.org/sqlite"

	"callcoach/coaching"
)

// TestWriteErrorsInCoachWords makes the file refuse a write the ways a
// disk does, and checks the error says so in words a coach can act on,
// keeps SQLite's error for logs, and reads well after the TUI's "Could
// not save the notes: ".
func TestWriteErrorsInCoachWords(t *testing.T) {
	tests := []struct {
		name string
		// refuse makes the next write of s fail; it returns an undo.
		refuse func(t *testing.T, s *Store) func()
		kind   error
		says   string
	}{
		{
			name: "disk full",
			refuse: func(t *testing.T, s *Store) func() {
				// The file may grow no further: SQLite says SQLITE_FULL,
				// as it does when the disk is full.
				mustExec(t, s.rw, "PRAGMA max_page_count = 1")
				return func() {}
			},
			kind: ErrDiskFull, says: "the disk is full: nothing more can be saved until space is freed",
		},
		{
			name: "read-only underneath",
			refuse: func(t *testing.T, s *Store) func() {
				mustExec(t, s.rw, "PRAGMA query_only = 1")
				return func() { mustExec(t, s.rw, "PRAGMA query_only = 0") }
			},
			kind: ErrReadOnly, says: "can no longer be written",
		},
		{
			name: "locked by another program",
			refuse: func(t *testing.T, s *Store) func() {
				db := rawDB(t, s.path)
				db.SetMaxOpenConns(1)
				tx, err := db.Begin()
				if err != nil {
					t.Fatal(err)
				}
				if _, err := tx.Exec("UPDATE people SET name = name"); err != nil {
					t.Fatal(err)
				}
				return func() { tx.Rollback(); db.Close() }
			},
			kind: ErrLocked, says: "another program (another callcoach, or sqlite3) is keeping",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			s, err := open(ctx, filepath.Join(t.TempDir(), "callcoach.db"), 50*time.Millisecond)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			id := createPerson(t, s, coaching.Person{Name: "Ann"})
			call, err := s.StartCall(ctx, id, coaching.RoleCoach, t0)
			if err != nil {
				t.Fatal(err)
			}
			undo := tt.refuse(t, s)
			_, err = s.SaveNotes(ctx, call.ID, strings.Repeat("a long note ", 2000), 1, t0)
			undo()
			if !errors.Is(err, tt.kind) {
				t.Fatalf("err = %v; want %v", err, tt.kind)
			}
			var se *sqlite.Error
			if !errors.As(err, &se) {
				t.Errorf("the SQLite error is lost from %v", err)
			}
			line := "Could not save the notes: " + Explain(err) + ". Note it in the notes for now."
			if !strings.Contains(line, tt.says) {
				t.Errorf("line %q lacks %q", line, tt.says)
			}
			for _, jargon := range []string{"(13)", "(8)", "(5)", "SQLITE", "save notes for call", "database or disk"} {
				if strings.Contains(line, jargon) {
					t.Errorf("line %q has %q", line, jargon)
				}
			}
			// The write went nowhere, and the next one works.
			if _, err := s.SaveNotes(ctx, call.ID, "short", 2, t0); err != nil {
				t.Fatalf("the next write: %v", err)
			}
		})
	}
}

func TestExplainPassesOtherErrorsThrough(t *testing.T) {
	err := notFound("person", 3)
	if got := Explain(err); got != err.Error() {
		t.Errorf("Explain = %q, want %q", got, err.Error())
	}
}
