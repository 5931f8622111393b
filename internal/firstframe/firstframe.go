// Package firstframe tells when the program's first frame has reached the
// terminal: Output wraps the terminal and closes a channel right after the
// first write(2) that draws text. callcoach reads nothing but the file's
// schema version before then (see docs/architecture.md, "Starting up").
//
// For measuring, when $CALLCOACH_FRAME_FD names an open file descriptor,
// one byte is written there at that moment too, and the descriptor is
// closed; without the variable nothing is written. TestFirstFrame, at the
// root of the repository, times exec to first frame that way.
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

// Output returns the terminal f wrapped as bubbletea's output, and a
// channel closed once the first frame has been written. The wrapper keeps
// f's Fd, so bubbletea still treats it as a terminal.
func Output(f *os.File) (io.Writer, <-chan struct{}) {
	o := &out{File: f, drawn: make(chan struct{})}
	if s := os.Getenv(EnvFD); s != "" {
		if fd, err := strconv.Atoi(s); err == nil && fd > 2 {
			o.notify = os.NewFile(uintptr(fd), "first-frame")
		}
	}
	return o, o.drawn
}

// out notices the first write that draws text: escape sequences (the
// alternate screen, the cursor hidden) and a frame of spaces (bubbletea
// draws " " for an empty view) do not count.
type out struct {
	*os.File
	drawn  chan struct{}
	notify *os.File // nil unless measuring
	done   atomic.Bool
}

func (o *out) Write(p []byte) (int, error) {
	n, err := o.File.Write(p)
	if !o.done.Load() && draws(p) && o.done.CompareAndSwap(false, true) {
		close(o.drawn)
		if o.notify != nil {
			o.notify.Write([]byte{'F'})
			o.notify.Close()
		}
	}
	return n, err
}

// draws reports whether p puts any character other than a space on the
// screen.
func draws(p []byte) bool {
	return strings.TrimSpace(ansi.Strip(string(p))) != ""
}
