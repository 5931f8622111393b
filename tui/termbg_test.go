package tui

import (
	"os"
	"strings"
	"testing"
	"time"
)

// queryOverPipe is a BackgroundQuery whose terminal is a pipe: the test
// writes what the terminal sends, and reads what bubbletea would.
func queryOverPipe(t *testing.T) (*BackgroundQuery, *os.File, *strings.Builder) {
	t.Helper()
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pr.Close(); pw.Close() })
	asked := &strings.Builder{}
	return NewBackgroundQuery(pr, asked), pw, asked
}

func TestBackgroundAnswerIsTakenOutOfTheKeys(t *testing.T) {
	tests := []struct {
		name   string
		writes []string // what the terminal sends, a write each
		keys   string   // what bubbletea gets
		dark   bool
		answer bool // the colour was answered
	}{
		{name: "dark, ended by ESC \\", writes: []string{"\x1b]11;rgb:1e1e/1e1e/2e2e\x1b\\\x1b[12;1R"}, dark: true, answer: true},
		{name: "light, ended by BEL", writes: []string{"\x1b]11;rgb:ffff/fdfd/f6f6\a\x1b[3;40R"}, answer: true},
		{name: "two hex digits", writes: []string{"\x1b]11;rgb:00/00/00\a\x1b[1;1R"}, dark: true, answer: true},
		{name: "split across reads", writes: []string{"\x1b", "]11;rgb:ff", "ff/ffff/ffff\x1b", "\\\x1b[", "5;1", "R"}, answer: true},
		{name: "keys around the answers", writes: []string{"ab\x1b[A\x1b]11;rgb:0000/0000/0000\x1b\\c\x1b[9;9Rd"}, keys: "ab\x1b[Acd", dark: true, answer: true},
		{name: "no OSC 11: the cursor alone", writes: []string{"x\x1b[7;1Ry"}, keys: "xy"},
		{name: "esc pressed while waiting", writes: []string{"\x1b", "\x1b[2;2R"}, keys: "\x1b"},
		{name: "after the answers, keys as they are", writes: []string{"\x1b[1;1R", "\x1b[1;2R"}, keys: "\x1b[1;2R"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, term, asked := queryOverPipe(t)
			wait := q.ask()
			if wait == nil || asked.String() != backgroundQuestion {
				t.Fatalf("asked %q", asked.String())
			}
			if q.ask() != nil || asked.String() != backgroundQuestion {
				t.Fatal("asked twice")
			}
			in := q.Input()
			var keys []byte
			buf := make([]byte, 256)
			for _, w := range tt.writes {
				if _, err := term.WriteString(w); err != nil {
					t.Fatal(err)
				}
				// bubbletea reads once the terminal has input, as here.
				n, err := in.Read(buf)
				if err != nil {
					t.Fatal(err)
				}
				keys = append(keys, buf[:n]...)
			}
			if string(keys) != tt.keys {
				t.Fatalf("keys %q, want %q", keys, tt.keys)
			}
			select {
			case dark := <-q.answer:
				if !tt.answer || dark != tt.dark {
					t.Fatalf("answered dark=%v; want an answer %v, dark %v", dark, tt.answer, tt.dark)
				}
			default:
				if tt.answer {
					t.Fatal("no answer")
				}
			}
		})
	}
}

// TestBackgroundAnswerTooLate: once the wait is over, what was held as the
// start of an answer is keys after all.
func TestBackgroundAnswerTooLate(t *testing.T) {
	q, term, _ := queryOverPipe(t)
	q.ask()
	in := q.Input()
	buf := make([]byte, 256)
	term.WriteString("\x1b[")
	if n, _ := in.Read(buf); n != 0 {
		t.Fatalf("the start of an answer was given as keys: %q", buf[:n])
	}
	q.mu.Lock()
	q.until = time.Now().Add(-time.Millisecond)
	q.mu.Unlock()
	term.WriteString("A")
	if n, _ := in.Read(buf); string(buf[:n]) != "\x1b[A" {
		t.Fatalf("keys %q, want the up arrow", buf[:n])
	}
}

// TestBackgroundAnswerAsAMessage: the answer comes to the App as a message.
func TestBackgroundAnswerAsAMessage(t *testing.T) {
	q, term, _ := queryOverPipe(t)
	wait := q.ask()
	term.WriteString("\x1b]11;rgb:ffff/ffff/ffff\a\x1b[1;1R")
	q.Input().Read(make([]byte, 256))
	if msg, ok := wait().(backgroundMsg); !ok || msg.dark {
		t.Fatalf("message %#v, want a light background", msg)
	}
}

func TestGuessDarkBackground(t *testing.T) {
	for in, dark := range map[string]bool{"": true, "15;0": true, "0;15": false, "0;7": false, "15;default;0": true, "7;8": false, "junk": true, "0;x": true} {
		if got := GuessDarkBackground(in); got != dark {
			t.Errorf("COLORFGBG=%q: dark %v, want %v", in, got, dark)
		}
	}
}
