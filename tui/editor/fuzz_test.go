package editor

import (
	"encoding/binary"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/muesli/termenv"
	"github.com/rivo/uniseg"
)

// fuzzKeys are the keys the fuzzer presses: every default binding, and keys
// the editor must ignore.
var fuzzKeys = []tea.KeyMsg{
	{Type: tea.KeyLeft}, {Type: tea.KeyRight}, {Type: tea.KeyUp}, {Type: tea.KeyDown},
	{Type: tea.KeyCtrlLeft}, {Type: tea.KeyCtrlRight}, {Type: tea.KeyHome}, {Type: tea.KeyEnd},
	{Type: tea.KeyCtrlA}, {Type: tea.KeyCtrlE}, {Type: tea.KeyPgUp}, {Type: tea.KeyPgDown},
	{Type: tea.KeyCtrlHome}, {Type: tea.KeyCtrlEnd}, {Type: tea.KeyBackspace}, {Type: tea.KeyCtrlH},
	{Type: tea.KeyDelete}, {Type: tea.KeyCtrlD}, {Type: tea.KeyCtrlW}, {Type: tea.KeyCtrlU},
	{Type: tea.KeyCtrlK}, {Type: tea.KeyEnter}, {Type: tea.KeySpace, Runes: []rune{' '}},
	{Type: tea.KeyCtrlZ}, {Type: tea.KeyCtrlY}, {Type: tea.KeyCtrlZ},
	{Type: tea.KeyTab}, {Type: tea.KeyEsc}, {Type: tea.KeyCtrlS}, {Type: tea.KeyF1},
	{Type: tea.KeyRunes, Runes: []rune{'b'}, Alt: true}, {Type: tea.KeyLeft, Alt: true},
	{Type: tea.KeyBackspace, Alt: true}, {Type: tea.KeyRunes, Runes: []rune("x\ny"), Alt: true, Paste: true},
}

// fuzzTexts are pieces of text that have broken editors before.
var fuzzTexts = []string{
	"👩\u200d👩\u200d👧", "e\u0301", "👍🏽", "🇺🇸🇫🇷", "🇺", "漢字かな", "مَرْحَبًا بالعالم", "שלום עולם",
	"a\r\nb\rc", "\t", "\u200b\u200d\u200e\u202e", "\u0301\u0301", "क्षि", "☺\ufe0f", "1\ufe0f\u20e3",
	"\x1b[31mred\x1b[0m", "\u0085\u2028", "ﷺ", "\xff\xfe", strings.Repeat("word ", 30), strings.Repeat("x", 90),
}

// fuzzInput reads operations from the fuzzer's bytes.
type fuzzInput struct{ b []byte }

func (in *fuzzInput) byte() byte {
	if len(in.b) == 0 {
		return 0
	}
	c := in.b[0]
	in.b = in.b[1:]
	return c
}

func (in *fuzzInput) chunk(max int) string {
	n := min(int(in.byte())%(max+1), len(in.b))
	s := string(in.b[:n])
	in.b = in.b[n:]
	return s
}

func FuzzEditor(f *testing.F) {
	f.Add([]byte("\x12\x05hello\x14\x0aab\r\ncd\tef\x00\x02\x0e\x0e"))
	f.Add([]byte("\x15\x01\x01\x1a\x00\x1a\x01\x13\x03\x00\x00\x02\x02"))
	f.Add([]byte("\x15\x0a\x03\x17\x03\x1a\x05\x1a\x06\x0e\x0e\x00\x01\x0f\x13"))
	f.Add([]byte("\x14\x40Client walked 3 days; BP 130/85. \xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd next call\n\x16\x02\x02\x02\x03\x10"))
	f.Add([]byte("\x18\x09\x1a\x0b\x1a\x02\x0e\x0e\x0e\x12\x01x\x12\x01y"))
	f.Fuzz(func(t *testing.T, data []byte) {
		in := &fuzzInput{b: data}
		m := newEditor(20, 5, termenv.ANSI)
		// Bounded so that each input runs in milliseconds: the checks after
		// each step read the whole note.
		for steps := 0; len(in.b) > 0 && steps < 100 && m.doc.size < 8000; steps++ {
			before, rev := m.Value(), m.Revision()
			off := cursorOffset(m)
			var inserted string // sanitized text the step inserts at the cursor, if it is plain input
			isInput, keystrokes := false, 1
			switch op := in.byte() % 28; {
			case op < 18:
				m = press(m, fuzzKeys[int(in.byte())%len(fuzzKeys)])
				isInput = true
			case op == 18:
				rs := []rune(in.chunk(8))
				m = press(m, tea.KeyMsg{Type: tea.KeyRunes, Runes: rs})
				inserted, isInput = sanitize(string(rs)), m.Focused()
			case op == 19:
				var rs []rune
				for range in.byte() % 4 {
					var b [4]byte
					copy(b[:], in.chunk(4))
					rs = append(rs, rune(binary.LittleEndian.Uint32(b[:])))
				}
				m = press(m, tea.KeyMsg{Type: tea.KeyRunes, Runes: rs, Paste: true})
				isInput = true
			case op == 20:
				rs := []rune(in.chunk(64))
				m = press(m, tea.KeyMsg{Type: tea.KeyRunes, Runes: rs, Paste: true})
				inserted, isInput = sanitize(string(rs)), m.Focused()
			case op == 21:
				m.SetSize(int(int8(in.byte()))%45, int(int8(in.byte()))%12)
			case op == 22:
				m.SetValue(in.chunk(120))
			case op == 23:
				s := in.chunk(40)
				m.InsertString(s)
				inserted, isInput = sanitize(s), true
			case op == 24:
				m.SetMaxBytes(int(in.byte()) * 2)
			case op == 25:
				if in.byte()%4 == 0 {
					m.Blur()
				} else {
					m.Focus()
				}
			case op == 26:
				s := fuzzTexts[int(in.byte())%len(fuzzTexts)]
				m = press(m, paste(s))
				inserted, isInput = sanitize(s), m.Focused()
			default:
				s := fuzzTexts[int(in.byte())%len(fuzzTexts)]
				m = press(m, typed(s)...)
				isInput, keystrokes = true, len(typed(s))
			}

			after := m.Value()
			checkInvariants(t, m)
			if after != before && (m.Revision() <= rev || m.Revision() > rev+uint64(keystrokes)) {
				t.Fatalf("content changed in %d keystrokes but revision went %d -> %d", keystrokes, rev, m.Revision())
			}
			if after == before && m.Revision() != rev {
				t.Fatalf("content unchanged but revision went %d -> %d", rev, m.Revision())
			}
			if max := m.doc.maxBytes; isInput && max > 0 && len(after) > len(before) && len(after) > max {
				t.Fatalf("input grew the note to %d bytes past the limit of %d", len(after), max)
			}
			if inserted != "" && isInput && m.doc.maxBytes == 0 {
				if want := before[:off] + inserted + before[off:]; after != want {
					t.Fatalf("inserting %q at %d of %q gave %q", inserted, off, before, after)
				}
			}
		}
	})
}

// cursorOffset returns the cursor's byte offset in Value().
func cursorOffset(m Model) int {
	off := 0
	for _, l := range m.doc.lines[:m.doc.row] {
		off += len(l.text) + 1
	}
	return off + m.doc.col
}

func checkInvariants(t *testing.T, m Model) {
	t.Helper()
	checkView(t, m)
	d := m.doc
	v := m.Value()
	if !utf8.ValidString(v) {
		t.Fatalf("Value is not valid UTF-8: %q", v)
	}
	for _, r := range v {
		if (r < 0x20 && r != '\n') || (r >= 0x7f && r < 0xa0) {
			t.Fatalf("Value holds control character %U: %q", r, v)
		}
	}
	if d.size != len(v) {
		t.Fatalf("size %d, Value has %d bytes", d.size, len(v))
	}
	if m.LineCount() != strings.Count(v, "\n")+1 {
		t.Fatalf("LineCount %d for %q", m.LineCount(), v)
	}
	var again Model
	again.SetValue(v)
	if again.Value() != v {
		t.Fatalf("SetValue(Value()) changed %q to %q", v, again.Value())
	}

	if d.row < 0 || d.row >= len(d.lines) || d.col < 0 || d.col > len(d.lines[d.row].text) {
		t.Fatalf("cursor %d:%d out of bounds", d.row, d.col)
	}
	if !isBoundary(d.lines[d.row].text, d.col) {
		t.Fatalf("cursor %d inside a cluster of %q", d.col, d.lines[d.row].text)
	}

	// The cursor is on screen.
	if m.Height() > 0 {
		p, cur, seen := d.top, d.cursorPos(), false
		for range m.Height() {
			if p == cur {
				seen = true
				break
			}
			var ok bool
			if p, ok = d.nextRow(p); !ok {
				break
			}
		}
		if !seen {
			t.Fatalf("cursor row %v not within %d rows of top %v", cur, m.Height(), d.top)
		}
	}

	// Wrapping kept up to date edit by edit matches wrapping from scratch.
	for i, l := range d.lines {
		if l.wrapW == d.layoutWidth() && !l.edited {
			if want := wrap(l.text, l.wrapW, nil); !slices.Equal(l.rows, want) {
				t.Fatalf("line %d %q: rows %v, wrapped afresh %v", i, l.text, l.rows, want)
			}
		}
	}
}

// isBoundary reports whether byte offset col of s is a grapheme cluster
// boundary, by uniseg's own iterator.
func isBoundary(s string, col int) bool {
	if col == 0 || col == len(s) {
		return true
	}
	g := uniseg.NewGraphemes(s)
	for g.Next() {
		if start, _ := g.Positions(); start == col {
			return true
		}
	}
	return false
}
