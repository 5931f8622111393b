package storage

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"sync"
	"time"
)

// Hidden working files (a backup's copy before it is checked, an export
// before it is complete, a summary before it is renamed) are named
// .callcoach-KIND-pPID-RANDOM, in the folder of the file they become, so
// a rename puts them in place. A process killed meanwhile leaves them
// behind; RemoveLeftovers clears them on the next run.

// leftoverAge is how old a working file named without a process id (by an
// older callcoach, or another tool) must be before it counts as left over.
const leftoverAge = 24 * time.Hour

var leftoverName = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^\.callcoach-(?:copy|export|summary)-(?:p([0-9]+)-)?`)
})

// TempPattern is the pattern, for os.CreateTemp or os.MkdirTemp, of a
// hidden working file of kind (copy, export, summary) that RemoveLeftovers
// can tell from one still in use.
func TempPattern(kind string) string {
	return fmt.Sprintf(".callcoach-%s-p%d-*", kind, os.Getpid())
}

// RemoveLeftovers removes from dir the hidden working files of earlier
// runs that ended without removing them: those whose process has ended,
// and, where there is no process id in the name or the system cannot say,
// those last changed more than a day before now. A working file of a
// backup or export still running, in this process or another, stays. It
// returns the names it removed.
func RemoveLeftovers(dir string, now time.Time) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var removed []string
	var errs []error
	for _, e := range entries {
		m := leftoverName().FindStringSubmatch(e.Name())
		if m == nil || !leftover(m[1], e, now) {
			continue
		}
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			errs = append(errs, err)
			continue
		}
		removed = append(removed, e.Name())
	}
	return removed, errors.Join(errs...)
}

// leftover decides for one working file, pid being the process id in its
// name ("" if none).
func leftover(pid string, e fs.DirEntry, now time.Time) bool {
	if n, err := strconv.Atoi(pid); err == nil {
		if n == os.Getpid() {
			return false
		}
		if running, known := processRunning(n); known {
			return !running
		}
	}
	fi, err := e.Info()
	return err == nil && now.Sub(fi.ModTime()) > leftoverAge
}

// makeTempDir makes a private working folder of kind in dir.
func makeTempDir(dir, kind string) (string, error) {
	return os.MkdirTemp(dir, TempPattern(kind))
}
