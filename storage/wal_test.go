package storage

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// copyFile copies from to to, as a coach copying files by hand would.
func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// peopleNames lists the names in the store at path, opening it as the app would.
func peopleNames(t *testing.T, path string) []string {
	t.Helper()
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open %s: %v", path, err)
	}
	defer s.Close()
	rows, err := s.ro.Query("SELECT name FROM people ORDER BY name")
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

func TestOpenRefusesStrayWAL(t *testing.T) {
	tests := []struct {
		name string
		// mine is made and closed at path; theirs is left open, with its
		// changes in its -wal, which is copied beside mine.
		mine, theirs func(t *testing.T, path string) *Store
	}{
		{
			// SQLite would replay every page of theirs over mine: the file
			// would open as theirs, and the first checkpoint make it so.
			name: "a new database's -wal",
			mine: func(t *testing.T, path string) *Store { return populated(t, path, "Ann", "Abe") },
			theirs: func(t *testing.T, path string) *Store {
				return populated(t, path, "Bob")
			},
		},
		{
			// Only their last changes: mixed with mine, pages that do not fit.
			name: "a long-used database's last changes",
			mine: func(t *testing.T, path string) *Store {
				s := populated(t, path, "Ann", "Abe")
				seedCaseload(t, s, 300, 1)
				return s
			},
			theirs: func(t *testing.T, path string) *Store {
				closedStore(t, path)
				return populated(t, path, "Bob")
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			mine := filepath.Join(dir, "callcoach.db")
			tt.mine(t, mine).Close()
			want := peopleNames(t, mine)
			theirs := tt.theirs(t, filepath.Join(t.TempDir(), "other.db"))
			copyFile(t, theirs.Path()+"-wal", mine+"-wal")
			theirs.Close()
			before := filesHash(t, mine)

			s, err := Open(context.Background(), mine)
			if err == nil {
				s.Close()
				t.Fatal("Open succeeded with another database's -wal beside the file")
			}
			var oe *OpenError
			if !errors.As(err, &oe) || oe.Kind != StrayWAL {
				t.Fatalf("err = %v; want kind StrayWAL", err)
			}
			for _, w := range []string{"the file " + mine + "-wal beside the database does not belong to it", "Nothing was changed", "Move " + mine + "-wal"} {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("message %q lacks %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "backup") {
				t.Errorf("message %q sends the coach to a backup", err)
			}
			if after := filesHash(t, mine); after != before {
				t.Errorf("files changed: before %s, after %s", before, after)
			}
			// Moved away, as the message says: the file is as it was.
			if err := os.Rename(mine+"-wal", filepath.Join(t.TempDir(), "moved-wal")); err != nil {
				t.Fatal(err)
			}
			if got := peopleNames(t, mine); !slices.Equal(got, want) {
				t.Errorf("after moving the -wal away the file holds %v, want %v", got, want)
			}
		})
	}
}

// TestOpenKeepsItsOwnWAL copies a file and its -wal as a crash leaves them,
// at moments when the -wal holds the most: the copy opens with everything.
func TestOpenKeepsItsOwnWAL(t *testing.T) {
	tests := []struct {
		name string
		make func(t *testing.T, path string) *Store // left open
	}{
		{"just made", func(t *testing.T, path string) *Store { return populated(t, path, "Ann") }},
		{"past a checkpoint", func(t *testing.T, path string) *Store {
			s := populated(t, path, "Ann")
			seedCaseload(t, s, 400, 3)
			return s
		}},
		{"just migrated from version 6", func(t *testing.T, path string) *Store {
			fileAtVersion(t, path, 6)
			return populated(t, path, "Ann")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			live := filepath.Join(t.TempDir(), "live.db")
			s := tt.make(t, live)
			var want int
			if err := s.ro.QueryRow("SELECT count(*) FROM people").Scan(&want); err != nil {
				t.Fatal(err)
			}
			if !walHasFrames(live) {
				t.Fatal("the fixture's -wal is empty")
			}
			crash := filepath.Join(t.TempDir(), "crash.db")
			copyFile(t, live, crash)
			copyFile(t, live+"-wal", crash+"-wal")
			s.Close()

			got := peopleNames(t, crash)
			if len(got) != want {
				t.Errorf("the crash copy opens with %d people, want %d", len(got), want)
			}
		})
	}
}
