package firstframe

import (
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// TestOutputTellsOfTheFirstFrame: escape sequences and an empty frame are
// not the first frame; the first write that draws text is, and it is told
// once, on the channel and, when asked, through the descriptor.
func TestOutputTellsOfTheFirstFrame(t *testing.T) {
	term, err := os.CreateTemp(t.TempDir(), "term")
	if err != nil {
		t.Fatal(err)
	}
	defer term.Close()
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	fd, err := syscall.Dup(int(pw.Fd()))
	if err != nil {
		t.Fatal(err)
	}
	pw.Close()
	t.Setenv(EnvFD, strconv.Itoa(fd))

	w, drawn := Output(term)
	for _, p := range []string{"\x1b[?1049h", "\x1b[?25l", "\x1b[H\r \x1b[K\x1b[1;1H"} {
		w.Write([]byte(p))
		select {
		case <-drawn:
			t.Fatalf("%q was taken for the first frame", p)
		default:
		}
	}
	w.Write([]byte("\x1b[H\r\x1b[1mCaseload\x1b[0m\x1b[K"))
	select {
	case <-drawn:
	case <-time.After(time.Second):
		t.Fatal("the first frame was not told")
	}
	w.Write([]byte("more"))
	pr.SetReadDeadline(time.Now().Add(time.Second))
	b := make([]byte, 4)
	n, err := pr.Read(b)
	if n != 1 || err != nil {
		t.Fatalf("read %d bytes from the descriptor (%v), want 1", n, err)
	}
	if n, _ := pr.Read(b); n != 0 {
		t.Fatalf("%d more bytes after the first", n)
	}
	got, _ := os.ReadFile(term.Name())
	if want := "\x1b[?1049h\x1b[?25l\x1b[H\r \x1b[K\x1b[1;1H\x1b[H\r\x1b[1mCaseload\x1b[0m\x1b[Kmore"; string(got) != want {
		t.Fatalf("the terminal got %q, want %q", got, want)
	}
}
