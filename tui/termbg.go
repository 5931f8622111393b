package tui

import (
	"bytes"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// The colours adapt to a dark or a light background, and only the
// terminal knows which it has: asked (OSC 11), it answers on the keyboard
// input. Waiting for that answer before the first frame (as termenv does)
// costs a round trip to the terminal each start, more over ssh, and up to
// seconds where a terminal never answers; asked while bubbletea reads the
// keyboard, the answer would arrive as keys. So the question goes out
// once the program has the terminal, the first frame is drawn with a
// guess (COLORFGBG, else dark), and BackgroundQuery takes the answer out
// of the keyboard input before bubbletea sees it: the colours follow it.

// backgroundMsg is the terminal's answer: whether its background is dark.
type backgroundMsg struct{ dark bool }

// answerWait is how long the keyboard input is watched for the answer.
const answerWait = 2 * time.Second

// The question: the background colour, then the cursor position, which
// every terminal answers, so a terminal that does not know OSC 11 is known
// not to once the second answer comes alone.
const backgroundQuestion = "\x1b]11;?\x1b\\\x1b[6n"

// BackgroundQuery asks the terminal for its background without waiting
// for the answer. Give bubbletea Input as its keyboard (tea.WithInput) and
// put the query in Common.Background; the App asks when it starts.
type BackgroundQuery struct {
	in  *os.File
	out io.Writer

	mu      sync.Mutex
	asked   bool
	waiting bool      // the cursor position has not come back yet
	until   time.Time // the input is watched until then at most
	held    []byte    // the start of what may be an answer, until the rest comes
	answer  chan bool
}

// NewBackgroundQuery asks through out (the terminal bubbletea writes to)
// and reads the answer from in (the terminal it reads the keys from).
func NewBackgroundQuery(in *os.File, out io.Writer) *BackgroundQuery {
	return &BackgroundQuery{in: in, out: out, answer: make(chan bool, 1)}
}

// Input is the keyboard for bubbletea: the terminal, with the answers
// taken out. It keeps the terminal's Fd, so bubbletea still puts it in
// raw mode.
func (q *BackgroundQuery) Input() io.Reader { return &queryInput{File: q.in, q: q} }

type queryInput struct {
	*os.File
	q *BackgroundQuery
}

func (in *queryInput) Read(p []byte) (int, error) { return in.q.read(in.File, p) }

// ask sends the question, once, and returns the command that brings the
// answer as a backgroundMsg, or nothing if none comes in time. It is sent
// from the program's start, when bubbletea has put the terminal in raw
// mode: before that the terminal would echo the answer onto the screen.
func (q *BackgroundQuery) ask() tea.Cmd {
	q.mu.Lock()
	if q.asked {
		q.mu.Unlock()
		return nil
	}
	q.asked, q.waiting, q.until = true, true, time.Now().Add(answerWait)
	q.mu.Unlock()
	if _, err := io.WriteString(q.out, backgroundQuestion); err != nil {
		q.mu.Lock()
		q.waiting = false
		q.mu.Unlock()
		return nil
	}
	return func() tea.Msg {
		select {
		case dark := <-q.answer:
			return backgroundMsg{dark}
		case <-time.After(answerWait):
			return nil
		}
	}
}

// read is the keyboard read with the answers taken out. Only bubbletea's
// read loop calls it, when the terminal has input (it waits for that
// before reading), so nothing may be kept back that the terminal would
// not wake it for again: what is read and held fits in p.
func (q *BackgroundQuery) read(f *os.File, p []byte) (int, error) {
	q.mu.Lock()
	watch := q.waiting || len(q.held) > 0
	room := len(p) - len(q.held)
	q.mu.Unlock()
	if !watch {
		return f.Read(p)
	}
	n, err := f.Read(p[:max(room, 1)])
	q.mu.Lock()
	defer q.mu.Unlock()
	data := append(q.held, p[:n]...)
	q.held = nil
	if q.waiting && time.Now().After(q.until) {
		q.waiting = false // no answer in time: what was held is keys after all
	}
	if q.waiting {
		data = q.take(data)
	}
	return copy(p, data), err
}

// take returns data without the terminal's answers, keeping in held an
// unfinished answer at its end.
func (q *BackgroundQuery) take(data []byte) []byte {
	var out []byte
	for q.waiting {
		i := bytes.IndexByte(data, '\x1b')
		if i < 0 {
			break
		}
		out, data = append(out, data[:i]...), data[i:]
		kind, n := answerAt(data)
		switch kind {
		case notAnswer:
			out, data = append(out, data[0]), data[1:]
		case unfinished:
			q.held = append(q.held[:0], data...)
			return out
		case colourAnswer:
			if dark, ok := darkFromOSC(data[:n]); ok {
				select {
				case q.answer <- dark:
				default:
				}
			}
			data = data[n:]
		case cursorAnswer:
			q.waiting = false
			data = data[n:]
		}
	}
	return append(out, data...)
}

type answerKind int

const (
	notAnswer answerKind = iota
	unfinished
	colourAnswer
	cursorAnswer
)

// answerAt says whether data, which starts with ESC, starts with one of
// the terminal's answers, and its length: the background colour
// (ESC ] 11 ; rgb:RRRR/GGGG/BBBB, ended by BEL or ESC \) or the cursor
// position (ESC [ row ; column R); unfinished if data is the start of one.
func answerAt(data []byte) (answerKind, int) {
	const osc = "\x1b]11;"
	switch {
	case len(data) < len(osc) && strings.HasPrefix(osc, string(data)):
		return unfinished, 0
	case bytes.HasPrefix(data, []byte(osc)):
		for i := len(osc); i < len(data); i++ {
			switch {
			case data[i] == '\a':
				return colourAnswer, i + 1
			case data[i] == '\x1b' && i+1 < len(data) && data[i+1] == '\\':
				return colourAnswer, i + 2
			case data[i] == '\x1b' && i+1 == len(data):
				return unfinished, 0
			case data[i] < ' ' || i > 64:
				return notAnswer, 0
			}
		}
		return unfinished, 0
	case len(data) >= 2 && data[1] == '[':
		semi := false
		for i := 2; i < len(data); i++ {
			switch c := data[i]; {
			case c >= '0' && c <= '9':
			case c == ';' && !semi && i > 2:
				semi = true
			case c == 'R' && semi && data[i-1] != ';':
				return cursorAnswer, i + 1
			default:
				return notAnswer, 0
			}
			if i > 16 {
				return notAnswer, 0
			}
		}
		return unfinished, 0
	}
	return notAnswer, 0
}

// darkFromOSC reads an answer such as "ESC ] 11 ; rgb:1e1e/1e1e/2e2e BEL":
// dark if the colour's lightness is under a half, as termenv decides.
func darkFromOSC(answer []byte) (dark, ok bool) {
	s := strings.TrimRight(string(answer[len("\x1b]11;"):]), "\a\x1b\\")
	rgb, found := strings.CutPrefix(s, "rgb:")
	if !found {
		return false, false
	}
	parts := strings.Split(rgb, "/")
	if len(parts) != 3 {
		return false, false
	}
	var c [3]float64
	for i, p := range parts {
		if len(p) < 1 || len(p) > 4 {
			return false, false
		}
		v, err := strconv.ParseUint(p, 16, 16)
		if err != nil {
			return false, false
		}
		c[i] = float64(v) / float64(uint64(1)<<(4*len(p))-1)
	}
	return (max(c[0], c[1], c[2])+min(c[0], c[1], c[2]))/2 < 0.5, true
}

// GuessDarkBackground is the guess the first frame is drawn with: what
// COLORFGBG says, read as termenv reads it (set by some terminals: "15;0"
// is light text on a black background), else dark.
func GuessDarkBackground(colorFGBG string) bool {
	f := strings.Split(colorFGBG, ";")
	bg, err := strconv.Atoi(f[len(f)-1])
	if len(f) < 2 || err != nil {
		return true
	}
	return bg < 7 || bg > 15 // light grey, grey and the bright colours are light
}
