//go:build unix

package storage

import (
	"fmt"
	"os"
)

// makePrivate takes away what others may do with the database at path and
// its -wal and -shm (SQLite gives those the file's own mode), and says so
// in a notice. It grants nothing: a file only its owner may read stays so.
func makePrivate(path string) []string {
	var widened bool
	var failed error
	for _, suffix := range append([]string{""}, sidecars...) {
		fi, err := os.Stat(path + suffix)
		if err != nil || fi.Mode().Perm()&0o077 == 0 {
			continue
		}
		widened = true
		if err := os.Chmod(path+suffix, fi.Mode().Perm()&^0o077); err != nil && failed == nil {
			failed = err
		}
	}
	switch {
	case failed != nil:
		return []string{fmt.Sprintf("%s can be read by other people who use this computer, and callcoach could not change that (%v); ask whoever owns the file to make it readable only by you.", path, failed)}
	case widened:
		return []string{fmt.Sprintf("%s could be read by other people who use this computer; it is now readable only by you.", path)}
	}
	return nil
}
