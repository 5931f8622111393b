//go:build unix

package storage

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
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
