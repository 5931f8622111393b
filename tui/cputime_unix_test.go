//go:build unix

package tui

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time this process has used (user and system, all
// threads): a figure that waiting for the CPU on a busy machine does not
// swell, as it does wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
