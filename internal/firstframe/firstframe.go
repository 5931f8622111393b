// Package firstframe lets a measuring harness learn when the program's
// first frame has reached the terminal: when $CALLCOACH_FRAME_FD names an
// open file descriptor, Output wraps the terminal so that, right after the
// first write(2) that draws text, one byte is written to that descriptor
// and it is closed. Without the variable nothing changes. The harness is
// TestFirstFrame (firstframe_test.go, at the root of the repository).
package firstframe

import (
	"io"
	"os"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/charmbracelet/x/ansi"
)

// EnvFD is the variable that names the descriptor to write the byte to.
const EnvFD = "CALLCOACH_FRAME_FD"

// Output returns the terminal f as bubbletea's output: f itself unless
// $CALLCOACH_FRAME_FD names a descriptor, else f wrapped so that the first
// write drawing text is reported there. The wrapper keeps f's Fd, so
// bubbletea still treats it as a terminal.
func Output(f *os.File) io.Writer {
	s := os.Getenv(EnvFD)
	if s == "" {
		return f
	}
	fd, err := strconv.Atoi(s)
	if err != nil || fd < 0 {
		return f
	}
	return &out{File: f, notify: os.NewFile(uintptr(fd), "first-frame")}
}

// out reports the first write that draws text: escape sequences (the
// alternate screen, the cursor hidden) and a frame of spaces (bubbletea
// draws " " for an empty view) do not count.
type out struct {
	*os.File
	notify *os.File
	done   atomic.Bool
}

func (o *out) Write(p []byte) (int, error) {
	n, err := o.File.Write(p)
	if !o.done.Load() && draws(p) && o.done.CompareAndSwap(false, true) {
		o.notify.Write([]byte{'F'})
		o.notify.Close()
	}
	return n, err
}

// draws reports whether p puts any character other than a space on the
// screen.
func draws(p []byte) bool {
	return strings.TrimSpace(ansi.Strip(string(p))) != ""
}
