//go:build !linux

package storage

import "os"

// lockedAgainstReaders cannot ask here as it does on Linux, so a file is
// always taken as maybe locked: it is opened the long way (inspectVersion).
func lockedAgainstReaders(*os.File) bool { return true }
