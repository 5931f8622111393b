//go:build unix

package storage

import (
	"errors"

	"golang.org/x/sys/unix"
)

// canWrite asks the system whether this process may write to path.
func canWrite(path string) error { return unix.Access(path, unix.W_OK) }

// processRunning reports whether a process pid runs on this computer
// (known is false if the system would not say).
func processRunning(pid int) (running, known bool) {
	if pid <= 0 {
		return false, false
	}
	err := unix.Kill(pid, 0) // signal 0: only asks
	switch {
	case err == nil, errors.Is(err, unix.EPERM):
		return true, true
	case errors.Is(err, unix.ESRCH):
		return false, true
	}
	return false, false
}
