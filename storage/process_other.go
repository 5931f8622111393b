//go:build !unix

package storage

// processRunning cannot look on this system; the renewal time alone says
// whether another program is still there.
func processRunning(pid int) bool { return pid > 0 }
