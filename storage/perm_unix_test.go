//go:build unix

package storage

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"callcoach/coaching"
)

func TestOpenCreatesPrivateFiles(t *testing.T) {
	old := syscall.Umask(0o022) // a common umask, which would give 0644 files
	defer syscall.Umask(old)

	dir := filepath.Join(t.TempDir(), "new", "folder")
	path := filepath.Join(dir, "callcoach.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	createPerson(t, s, coaching.Person{Name: "Ann"}) // so the WAL holds something

	for _, f := range []struct {
		path string
		want fs.FileMode
	}{
		{dir, fs.ModeDir | 0o700},
		{path, 0o600},
		{path + "-wal", 0o600},
		{path + "-shm", 0o600},
	} {
		fi, err := os.Stat(f.path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode() != f.want {
			t.Errorf("%s: mode %v, want %v", filepath.Base(f.path), fi.Mode(), f.want)
		}
	}
}

func TestOpenMakesAnExistingFilePrivate(t *testing.T) {
	for _, mode := range []fs.FileMode{0o644, 0o640, 0o604} {
		t.Run(mode.String(), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "callcoach.db")
			live := populated(t, path, "Ann") // open, so its -wal and -shm are there
			for _, suffix := range []string{"", "-wal", "-shm"} {
				if err := os.Chmod(path+suffix, mode); err != nil {
					t.Fatal(err)
				}
			}
			s, err := Open(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			notices := s.Notices()
			s.Close()
			live.Close()
			if len(notices) != 1 || !strings.Contains(notices[0], path+" could be read by other people") || !strings.Contains(notices[0], "now readable only by you") {
				t.Errorf("notices = %q; want one saying the file is now private", notices)
			}
			for _, suffix := range []string{"", "-wal", "-shm"} {
				fi, err := os.Stat(path + suffix)
				if errors.Is(err, fs.ErrNotExist) && suffix != "" {
					continue // removed by the last Close
				}
				if err != nil {
					t.Fatal(err)
				}
				if fi.Mode().Perm() != 0o600 {
					t.Errorf("%s%s: mode %v, want 0600", filepath.Base(path), suffix, fi.Mode().Perm())
				}
			}
			// Private already: nothing to say.
			s, err = Open(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if n := s.Notices(); len(n) != 0 {
				t.Errorf("a private file gave notices %q", n)
			}
		})
	}
}

// TestOpenReadOnlyForReal makes the file, then its folder, read-only the
// way a coach's system would. Root may write anyway, so this runs only for
// another user; TestOpenReadOnlyWhenItCannotWrite covers the same ground
// for everyone by standing in for the system's answer.
func TestOpenReadOnlyForReal(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("running as root, who may write to any file: see TestOpenReadOnlyWhenItCannotWrite")
	}
	t.Run("no file yet, in a read-only folder", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "data")
		if err := os.Mkdir(dir, 0o500); err != nil {
			t.Fatal(err)
		}
		_, err := Open(context.Background(), filepath.Join(dir, "callcoach.db"))
		if err == nil || !strings.Contains(err.Error(), "there is no database there, and one cannot be made because you cannot write to its folder") {
			t.Errorf("err = %v", err)
		}
	})
	for _, what := range []string{"file", "folder"} {
		t.Run(what, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "data")
			if err := os.Mkdir(dir, 0o700); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, "callcoach.db")
			caseloadOnDisk(t, path)
			target, mode := path, fs.FileMode(0o400)
			if what == "folder" {
				target, mode = dir, 0o500
			}
			if err := os.Chmod(target, mode); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { os.Chmod(dir, 0o700) })
			s, err := Open(context.Background(), path)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			defer s.Close()
			if !errors.Is(s.ReadOnly(), ErrReadOnly) {
				t.Fatalf("ReadOnly = %v", s.ReadOnly())
			}
			if n, err := s.countCaseload(context.Background(), ""); err != nil || n == 0 {
				t.Errorf("CountCaseload = %d, %v", n, err)
			}
			if _, err := s.CreatePerson(context.Background(), coaching.Person{Name: "Cy", TimeZone: "UTC"}, t0); !errors.Is(err, ErrReadOnly) {
				t.Errorf("CreatePerson: %v; want ErrReadOnly", err)
			}
		})
	}
}
