package storage

import (
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// lockedAgainstReaders reports whether some program holds a write lock
// on the bytes SQLite's readers lock, or the system would not say. It
// asks as an open file description lock, which also sees the locks this
// process holds through other descriptors.
func lockedAgainstReaders(f *os.File) bool {
	lk := unix.Flock_t{Type: unix.F_RDLCK, Whence: io.SeekStart, Start: sharedFirst, Len: sharedSize}
	if err := unix.FcntlFlock(f.Fd(), unix.F_OFD_GETLK, &lk); err != nil {
		return true
	}
	return lk.Type != unix.F_UNLCK
}
