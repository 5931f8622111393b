//go:build unix

package storage

import "golang.org/x/sys/unix"

// canWrite asks the system whether this process may write to path.
func canWrite(path string) error { return unix.Access(path, unix.W_OK) }
