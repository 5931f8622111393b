package storage

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"callcoach/coaching"
)

// cannotWrite says, in place of the system, that these paths cannot be
// written, with err. Root may write anywhere, so this is how the tests
// make a file, folder or disk read-only whoever runs them.
func cannotWrite(err error, paths ...string) func(string) error {
	return func(p string) error {
		if slices.Contains(paths, p) {
			return &fs.PathError{Op: "access", Path: p, Err: err}
		}
		return nil
	}
}

func TestOpenReadOnlyWhenItCannotWrite(t *testing.T) {
	tests := []struct {
		name string
		open func(path string) (*Store, error)
		says string
		// noSidecars: SQLite could make no -wal or -shm, so reads none.
		noSidecars bool
	}{
		{
			name: "the file is read-only",
			open: func(path string) (*Store, error) {
				return openWith(context.Background(), path, openOptions{busy: busyTimeout, canWrite: cannotWrite(fs.ErrPermission, path)})
			},
			says: "because you cannot write to it; make it writable, then restart callcoach to make changes",
		},
		{
			name: "its folder is read-only",
			open: func(path string) (*Store, error) {
				return openWith(context.Background(), path, openOptions{busy: busyTimeout, canWrite: cannotWrite(fs.ErrPermission, filepath.Dir(path))})
			},
			says:       "because you cannot write to its folder (callcoach keeps working files beside it)",
			noSidecars: true,
		},
		{
			name: "its disk is read-only",
			open: func(path string) (*Store, error) {
				return openWith(context.Background(), path, openOptions{busy: busyTimeout, canWrite: cannotWrite(syscall.EROFS, path, filepath.Dir(path))})
			},
			says:       "because the disk it is on is read-only",
			noSidecars: true,
		},
		{
			name: "asked",
			open: func(path string) (*Store, error) { return OpenReadOnly(context.Background(), path) },
			says: "read-only, because it was asked to",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			dir := t.TempDir()
			path := filepath.Join(dir, "callcoach.db")
			caseloadOnDisk(t, path)
			want := peopleNames(t, path)
			before := fileHash(t, path)

			s, err := tt.open(path)
			if err != nil {
				t.Fatalf("open: %v", err)
			}
			ro := s.ReadOnly()
			says := tt.says
			if !errors.Is(ro, ErrReadOnly) || !strings.Contains(Explain(ro), says) || !strings.Contains(Explain(ro), path) {
				t.Errorf("ReadOnly = %v; want ErrReadOnly saying %q", ro, says)
			}

			// Every screen reads.
			if n, err := s.countCaseload(ctx, ""); err != nil || n != len(want) {
				t.Errorf("CountCaseload = %d, %v; want %d", n, err, len(want))
			}
			rows, err := s.rowsOf(ctx, CaseloadQuery{Filter: "Ann"})
			if err != nil || len(rows) == 0 {
				t.Fatalf("Caseload: %v, %v", rows, err)
			}
			if _, err := s.GetPerson(ctx, rows[0].ID); err != nil {
				t.Errorf("GetPerson: %v", err)
			}
			if hits, err := s.Search(ctx, "walking", 10); err != nil || len(hits) == 0 {
				t.Errorf("Search: %v, %v", hits, err)
			}
			if err := s.CheckPages(ctx); err != nil {
				t.Errorf("CheckPages: %v", err)
			}

			// No write goes in, and each says why in a sentence.
			p := coaching.Person{Name: "Cy"}
			if err := p.Normalize(time.LoadLocation); err != nil {
				t.Fatal(err)
			}
			_, err = s.CreatePerson(ctx, p, t0)
			if !errors.Is(err, ErrReadOnly) || !strings.HasPrefix(Explain(err), "nothing can be saved: callcoach opened "+path+" read-only") {
				t.Errorf("CreatePerson: %v; want ErrReadOnly", err)
			}
			if err := s.SaveDraft(ctx, "person:new", map[string]string{"name": "Cy"}, t0); !errors.Is(err, ErrReadOnly) {
				t.Errorf("SaveDraft: %v; want ErrReadOnly", err)
			}

			// A backup of it works: it only reads.
			dest := filepath.Join(t.TempDir(), "backup.db")
			if _, err := s.Backup(ctx, dest); err != nil {
				t.Errorf("Backup: %v", err)
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			if after := fileHash(t, path); after != before {
				t.Error("the read-only file changed")
			}
			if tt.noSidecars && (exists(path+"-wal") || exists(path+"-shm")) {
				t.Error("a -wal or -shm was made in a folder that cannot be written")
			}
			if got := peopleNames(t, dest); !slices.Equal(got, want) {
				t.Errorf("the backup holds %v, want %v", got, want)
			}
		})
	}
}

func TestOpenReadOnlyRefuses(t *testing.T) {
	tests := []struct {
		name string
		make func(t *testing.T, path string)
		says string
	}{
		{
			name: "an older version, which must be migrated",
			make: func(t *testing.T, path string) { fileAtVersion(t, path, 3) },
			says: "written by an older callcoach and must be updated before it can be read, which cannot be done because you cannot write to its folder",
		},
		{
			name: "an empty file",
			make: func(t *testing.T, path string) {
				if err := os.WriteFile(path, nil, 0o600); err != nil {
					t.Fatal(err)
				}
			},
			says: "it is empty",
		},
		{
			name: "changes in a -wal that cannot be read",
			make: func(t *testing.T, path string) {
				s := populated(t, filepath.Join(filepath.Dir(path), "live.db"), "Ann")
				copyFile(t, s.Path(), path)
				copyFile(t, s.Path()+"-wal", path+"-wal")
			},
			says: path0 + "-wal holds changes not yet written into it, and they cannot be read because you cannot write to its folder",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "callcoach.db")
			tt.make(t, path)
			before := filesHash(t, path)
			s, err := openWith(context.Background(), path, openOptions{busy: busyTimeout, canWrite: cannotWrite(fs.ErrPermission, dir)})
			if err == nil {
				s.Close()
				t.Fatal("opened")
			}
			if says := strings.ReplaceAll(tt.says, path0, path); !strings.Contains(err.Error(), says) {
				t.Errorf("err = %v; want it to say %q", err, says)
			}
			if after := filesHash(t, path); after != before {
				t.Error("the file changed")
			}
		})
	}
}

// path0 stands for the database's path in a test's expected message.
const path0 = "PATH"
