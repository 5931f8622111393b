package editor

import (
	"callcoach/tui/cells"

	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
	"github.com/rivo/uniseg"
)

func TestTypingAndView(t *testing.T) {
	m := newEditor(10, 4, termenv.Ascii)
	m = press(m, typed("Client walked 3 days")...)

	if got := m.Value(); got != "Client walked 3 days" {
		t.Fatalf("Value() = %q", got)
	}
	want := []string{"Client", "walked 3", "days_", ""}
	if got := screen(m); !slices.Equal(got, want) {
		t.Fatalf("screen = %q, want %q", got, want)
	}
	checkView(t, m)
	for i, r := range strings.Split(m.View(), "\n") {
		if len(r) != 10 {
			t.Errorf("row %d %q: want padded to 10 bytes", i, r)
		}
	}

	m = press(m, k(tea.KeyEnter))
	m = press(m, typed("BP ok")...)
	want = []string{"Client", "walked 3", "days", "BP ok_"}
	if got := screen(m); !slices.Equal(got, want) {
		t.Fatalf("after enter: screen = %q, want %q", got, want)
	}
	if m.LineCount() != 2 || m.CurrentLine() != "BP ok" {
		t.Fatalf("LineCount %d CurrentLine %q", m.LineCount(), m.CurrentLine())
	}
}

func TestWrap(t *testing.T) {
	tests := []struct {
		name  string
		width int
		text  string
		want  []string
	}{
		{"empty", 10, "", []string{""}},
		{"fits", 10, "short", []string{"short"}},
		{"breaks after spaces", 10, "Client walked 3 days", []string{"Client ", "walked 3 ", "days"}},
		{"long word hard-broken", 5, "abcdefghijkl", []string{"abcde", "fghij", "kl"}},
		{"long word after text", 8, "ok supercalifragilistic", []string{"ok ", "supercal", "ifragili", "stic"}},
		{"full row gets a spare row for the cursor", 5, "abcde", []string{"abcde", ""}},
		{"spaces stay at the row's end", 6, "ab    cd", []string{"ab    ", "cd"}},
		{"CJK never straddles the edge", 5, "ab漢字", []string{"ab漢", "字"}},
		{"CJK text breaks anywhere", 4, "漢字漢字漢", []string{"漢字", "漢字", "漢"}},
		// Counted as a cluster-blind terminal (tmux) draws it: 2+2+2 cells.
		{"ZWJ emoji at the edge", 7, "a👩‍👩‍👧b", []string{"a👩‍👩‍👧", "b"}},
		{"ZWJ emoji moves down whole", 6, "a👩‍👩‍👧b", []string{"a", "👩‍👩‍👧", "b"}},
		{"skin tone emoji moves down whole", 5, "abc👍🏽", []string{"abc", "👍🏽"}},
		{"combining accents stay on their letter", 3, "e\u0301e\u0301e\u0301e\u0301", []string{"e\u0301e\u0301e\u0301", "e\u0301"}},
		{"hebrew in logical order", 6, "שלום עולם", []string{"שלום ", "עולם"}},
		{"arabic with harakat", 4, "مَرْحَبًا", []string{"مَرْحَبً", "ا"}},
		{"wide cluster wider than the row", 1, "漢a", []string{"漢", "a", ""}},
		// U+2630 is one cell to uniseg and two to lipgloss: the wider counts.
		{"widths disagree: the wider counts", 3, "a☰☰", []string{"a☰", "☰"}},
		{"widths disagree the other way", 3, "⸺a", []string{"⸺", "a"}}, // U+2E3A: 3 to uniseg, 1 to lipgloss
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows := wrap(tt.text, tt.width, nil)
			var got []string
			for i, r := range rows {
				end := len(tt.text)
				if i+1 < len(rows) {
					end = rows[i+1].start
				}
				seg := tt.text[r.start:end]
				got = append(got, seg)
				if w := max(ansi.StringWidth(seg), uniseg.StringWidth(seg)); w > r.width {
					t.Errorf("row %d %q: width %d recorded, but it takes %d", i, seg, r.width, w)
				}
				if r.width > tt.width && !(tt.width == 1 && r.width == 2) {
					t.Errorf("row %d %q is %d wide, limit %d", i, seg, r.width, tt.width)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("wrap(%q, %d) = %q, want %q", tt.text, tt.width, got, tt.want)
			}
		})
	}
}

func TestGraphemeMovement(t *testing.T) {
	const family = "👩\u200d👩\u200d👧" // 18 bytes, one cluster
	m := newEditor(20, 3, termenv.Ascii)
	m.SetValue("a" + family + "e\u0301b")

	var got []int
	for range 5 {
		m = press(m, k(tea.KeyLeft))
		_, col := cursor(m)
		got = append(got, col)
	}
	if want := []int{22, 19, 1, 0, 0}; !slices.Equal(got, want) {
		t.Fatalf("left stops at %v, want %v", got, want)
	}
	got = got[:0]
	for range 5 {
		m = press(m, k(tea.KeyRight))
		_, col := cursor(m)
		got = append(got, col)
	}
	if want := []int{1, 19, 22, 23, 23}; !slices.Equal(got, want) {
		t.Fatalf("right stops at %v, want %v", got, want)
	}

	m = press(m, k(tea.KeyLeft), k(tea.KeyBackspace))
	if got, want := m.Value(), "a"+family+"b"; got != want {
		t.Fatalf("backspace over e+accent: %q, want %q", got, want)
	}
	m = press(m, k(tea.KeyBackspace))
	if got := m.Value(); got != "ab" {
		t.Fatalf("backspace over family: %q, want %q", got, "ab")
	}
	m = press(m, k(tea.KeyLeft), k(tea.KeyDelete))
	if got := m.Value(); got != "b" {
		t.Fatalf("delete: %q", got)
	}
}

func TestCombiningMarkTyped(t *testing.T) {
	m := newEditor(20, 3, termenv.Ascii)
	m = press(m, typed("e\u0301")...)
	if _, col := cursor(m); col != 3 {
		t.Fatalf("cursor after e + accent at %d, want 3", col)
	}
	m = press(m, k(tea.KeyLeft))
	if _, col := cursor(m); col != 0 {
		t.Fatalf("left over e + accent went to %d, want 0", col)
	}

	// A base letter typed before a lone accent joins it; the cursor must
	// not be left inside the new cluster.
	m.SetValue("\u0301x")
	m = press(m, k(tea.KeyHome), tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'e'}})
	if _, col := cursor(m); col != 3 || m.Value() != "e\u0301x" {
		t.Fatalf("value %q cursor %d, want %q and 3", m.Value(), col, "e\u0301x")
	}
}

func TestVerticalMovementKeepsGoalColumn(t *testing.T) {
	m := newEditor(10, 6, termenv.Ascii)
	m.SetValue("0123456789abcde\nxy\n0123456789abcde")
	m = press(m, k(tea.KeyCtrlHome))
	for range 7 {
		m = press(m, k(tea.KeyRight))
	}
	type at struct{ line, col int }
	var got []at
	for _, kt := range []tea.KeyType{tea.KeyDown, tea.KeyDown, tea.KeyDown, tea.KeyDown, tea.KeyDown, tea.KeyUp, tea.KeyUp} {
		m = press(m, k(kt))
		l, c := cursor(m)
		got = append(got, at{l, c})
	}
	want := []at{
		{0, 15}, // second row "abcde" is shorter than column 7: end of line
		{1, 2},  // "xy": end of line
		{2, 7},  // back to column 7
		{2, 15}, // wrapped row of line 2
		{2, 15}, // last row: end of the note
		{2, 7},
		{1, 2},
	}
	if !slices.Equal(got, want) {
		t.Fatalf("cursor went %v, want %v", got, want)
	}

	// On a wrapped row that is not the line's last, a goal past its end
	// lands on the row's last cluster (here the space the row broke after).
	m.SetSize(8, 6)
	m.SetValue("hello world foo\n1234567")
	m = press(m, k(tea.KeyUp))
	if l, c := cursor(m); l != 0 || c != 15 {
		t.Fatalf("up into \"foo\": at %d:%d, want 0:15", l, c)
	}
	m = press(m, k(tea.KeyUp))
	if l, c := cursor(m); l != 0 || c != 11 {
		t.Fatalf("up into \"world \": at %d:%d, want 0:11", l, c)
	}
	m = press(m, k(tea.KeyUp), k(tea.KeyUp))
	if l, c := cursor(m); l != 0 || c != 0 {
		t.Fatalf("up past the first row: at %d:%d, want 0:0", l, c)
	}
}

func TestWideCharsUpDown(t *testing.T) {
	m := newEditor(20, 3, termenv.Ascii)
	m.SetValue("漢字漢字\nabcdef")
	m = press(m, k(tea.KeyLeft), k(tea.KeyLeft), k(tea.KeyLeft)) // column 3
	m = press(m, k(tea.KeyUp))
	// Column 3 is the right half of 字: the cursor sits on 字 (byte 3).
	if l, c := cursor(m); l != 0 || c != 3 {
		t.Fatalf("at %d:%d, want 0:3", l, c)
	}
}

func TestPageAndDocKeys(t *testing.T) {
	m := newEditor(20, 5, termenv.Ascii)
	var lines []string
	for i := range 50 {
		lines = append(lines, fmt.Sprintf("line %02d", i))
	}
	m.SetValue(strings.Join(lines, "\n"))
	if got := screen(m); got[4] != "line 49_" || got[0] != "line 45" {
		t.Fatalf("after SetValue the end should show: %q", got)
	}
	m = press(m, k(tea.KeyPgUp))
	if got := m.CurrentLine(); got != "line 44" {
		t.Fatalf("pgup: on %q, want line 44", got)
	}
	if got := screen(m); got[0] != "line 40" || got[4] != "line 44_" {
		t.Fatalf("pgup should scroll a page keeping the cursor's place: %q", got)
	}
	m = press(m, k(tea.KeyCtrlHome))
	if l, c := cursor(m); l != 0 || c != 0 || screen(m)[0] != "_ine 00" {
		t.Fatalf("ctrl+home: %d:%d %q", l, c, screen(m))
	}
	m = press(m, k(tea.KeyPgDown))
	if got := m.CurrentLine(); got != "line 05" {
		t.Fatalf("pgdown: on %q", got)
	}
	m = press(m, k(tea.KeyCtrlEnd))
	if l, c := cursor(m); l != 49 || c != 7 {
		t.Fatalf("ctrl+end: %d:%d", l, c)
	}
	m = press(m, k(tea.KeyPgDown))
	if l, c := cursor(m); l != 49 || c != 7 {
		t.Fatalf("pgdown at the end: %d:%d", l, c)
	}
}

func TestScrollIsMinimal(t *testing.T) {
	m := newEditor(20, 3, termenv.Ascii)
	m.SetValue("a\nb\nc\nd\ne\nf")
	if got := screen(m); !slices.Equal(got, []string{"d", "e", "f_"}) {
		t.Fatalf("screen %q", got)
	}
	m = press(m, k(tea.KeyUp), k(tea.KeyUp))
	if got := screen(m); !slices.Equal(got, []string{"d_", "e", "f"}) {
		t.Fatalf("moving inside the window must not scroll: %q", got)
	}
	m = press(m, k(tea.KeyUp))
	if got := screen(m); !slices.Equal(got, []string{"c_", "d", "e"}) {
		t.Fatalf("one row up past the top scrolls one row: %q", got)
	}
	// Deleting lines at the end pulls the view back instead of leaving
	// blank rows below while rows above are hidden.
	m = press(m, k(tea.KeyCtrlEnd))
	for range 6 {
		m = press(m, k(tea.KeyBackspace))
	}
	if got := screen(m); !slices.Equal(got, []string{"a", "b", "c_"}) {
		t.Fatalf("after deleting the end: %q", got)
	}
}

func TestEditingKeys(t *testing.T) {
	tests := []struct {
		name     string
		value    string
		moves    []tea.Msg
		key      tea.KeyType
		want     string
		wantLine int
		wantCol  int
	}{
		{"backspace joins lines", "ab\ncd", []tea.Msg{k(tea.KeyHome)}, tea.KeyBackspace, "abcd", 0, 2},
		{"backspace at start does nothing", "ab", []tea.Msg{k(tea.KeyCtrlHome)}, tea.KeyBackspace, "ab", 0, 0},
		{"ctrl+h is backspace", "ab", nil, tea.KeyCtrlH, "a", 0, 1},
		{"delete joins lines", "ab\ncd", []tea.Msg{k(tea.KeyUp), k(tea.KeyEnd)}, tea.KeyDelete, "abcd", 0, 2},
		{"delete at end does nothing", "ab", nil, tea.KeyDelete, "ab", 0, 2},
		{"ctrl+d deletes right", "ab", []tea.Msg{k(tea.KeyHome)}, tea.KeyCtrlD, "b", 0, 0},
		{"ctrl+w deletes a word", "hello big world", nil, tea.KeyCtrlW, "hello big ", 0, 10},
		{"ctrl+w skips spaces first", "hello big   ", nil, tea.KeyCtrlW, "hello ", 0, 6},
		{"ctrl+w at line start joins", "ab\ncd", []tea.Msg{k(tea.KeyHome)}, tea.KeyCtrlW, "abcd", 0, 2},
		{"ctrl+w takes an emoji word whole", "ok 👍🏽👍🏽", nil, tea.KeyCtrlW, "ok ", 0, 3},
		{"ctrl+u deletes to line start", "ab\nhello world", []tea.Msg{k(tea.KeyCtrlLeft)}, tea.KeyCtrlU, "ab\nworld", 1, 0},
		{"ctrl+u at line start does nothing", "ab\ncd", []tea.Msg{k(tea.KeyHome)}, tea.KeyCtrlU, "ab\ncd", 1, 0},
		{"ctrl+k deletes to line end", "hello world\nab", []tea.Msg{k(tea.KeyUp), k(tea.KeyCtrlA), k(tea.KeyCtrlRight)}, tea.KeyCtrlK, "hello\nab", 0, 5},
		{"ctrl+k at line end does nothing", "ab\ncd", []tea.Msg{k(tea.KeyUp), k(tea.KeyCtrlE)}, tea.KeyCtrlK, "ab\ncd", 0, 2},
		{"enter splits the line", "hello world", []tea.Msg{k(tea.KeyCtrlLeft)}, tea.KeyEnter, "hello \nworld", 1, 0},
		{"word left crosses lines", "ab\ncd", []tea.Msg{k(tea.KeyHome), k(tea.KeyCtrlLeft)}, tea.KeyEnter, "ab\n\ncd", 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newEditor(40, 5, termenv.Ascii)
			m.SetValue(tt.value)
			m = press(m, tt.moves...)
			m = press(m, k(tt.key))
			if got := m.Value(); got != tt.want {
				t.Fatalf("Value() = %q, want %q", got, tt.want)
			}
			if l, c := cursor(m); l != tt.wantLine || c != tt.wantCol {
				t.Fatalf("cursor at %d:%d, want %d:%d", l, c, tt.wantLine, tt.wantCol)
			}
			if m.doc.size != len(m.Value()) {
				t.Fatalf("size %d, Value has %d bytes", m.doc.size, len(m.Value()))
			}
		})
	}
}

func TestWordMovement(t *testing.T) {
	m := newEditor(40, 3, termenv.Ascii)
	m.SetValue("took  meds today")
	var got []int
	for range 4 {
		m = press(m, k(tea.KeyCtrlLeft))
		_, c := cursor(m)
		got = append(got, c)
	}
	if want := []int{11, 6, 0, 0}; !slices.Equal(got, want) {
		t.Fatalf("ctrl+left stops %v, want %v", got, want)
	}
	got = got[:0]
	for range 4 {
		m = press(m, k(tea.KeyCtrlRight))
		_, c := cursor(m)
		got = append(got, c)
	}
	if want := []int{4, 10, 16, 16}; !slices.Equal(got, want) {
		t.Fatalf("ctrl+right stops %v, want %v", got, want)
	}
}

func TestPaste(t *testing.T) {
	tests := []struct {
		name, paste, want string
	}{
		{"crlf and cr become lf", "a\r\nb\rc\nd", "a\nb\nc\nd"},
		{"tabs become four spaces", "\tx\ty", "    x    y"},
		{"controls are dropped", "a\x00b\x07c\x1b[31md\u009be", "abc[31mde"},
		{"unicode line separators split lines", "a\u2028b\u2029c", "a\nb\nc"},
		{"text kept as is", "Zoë 漢字 👩‍👩‍👧 مرحبا", "Zoë 漢字 👩‍👩‍👧 مرحبا"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newEditor(20, 5, termenv.Ascii)
			rev := m.Revision()
			m = press(m, paste(tt.paste))
			if got := m.Value(); got != tt.want {
				t.Fatalf("Value() = %q, want %q", got, tt.want)
			}
			if m.Revision() != rev+1 {
				t.Fatalf("a paste is one change: revision %d -> %d", rev, m.Revision())
			}
			if l, c := cursor(m); l != m.LineCount()-1 || c != len(m.CurrentLine()) {
				t.Fatalf("cursor at %d:%d, want the end", l, c)
			}
		})
	}

	m := newEditor(20, 5, termenv.Ascii)
	for _, word := range []string{"end", "left", "enter", "ctrl+k", "backspace"} {
		m = press(m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(word)})
	}
	if got := m.Value(); got != "endleftenterctrl+kbackspace" {
		t.Fatalf("runes that spell key names must be typed as text: %q", got)
	}
	m.SetValue("")
	m = press(m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'a', '\t', 'b', -1, 0xD800}})
	if got := m.Value(); got != "a    b" {
		t.Fatalf("typed runes with a tab and invalid runes: %q", got)
	}
	m.InsertString("\r\nc")
	if got := m.Value(); got != "a    b\nc" {
		t.Fatalf("InsertString: %q", got)
	}
	m.SetValue("x\r\ny\rz")
	if got := m.Value(); got != "x\ny\nz" {
		t.Fatalf("SetValue: %q", got)
	}
}

func TestPaste10kIsOneOperation(t *testing.T) {
	var b strings.Builder
	for b.Len() < 10000 {
		b.WriteString("Client reports walking most days this week; knee pain is better with the new shoes.\r\n")
	}
	text := b.String()[:10000]
	want := strings.ReplaceAll(text, "\r\n", "\n")

	m := newEditor(80, 15, termenv.Ascii)
	m = press(m, paste(text))
	if m.Value() != want {
		t.Fatalf("pasted text differs")
	}
	if m.Revision() != 1 {
		t.Fatalf("revision %d after one paste, want 1", m.Revision())
	}
	checkView(t, m)

	// Typing 10,000 characters one by one allocates at least once per
	// character; a paste handled as one operation allocates a few dozen
	// times, for the whole paste.
	allocs := testing.AllocsPerRun(5, func() {
		m = press(m, paste(text))
		_ = m.View()
	})
	if allocs > 200 {
		t.Fatalf("a 10k paste + View allocates %.0f times; it should be one operation", allocs)
	}
	// Only the visible lines near the end are wrapped, not the whole note.
	for i := range m.doc.lines {
		m.doc.lines[i].wrapW = 0
	}
	m = press(m, paste(text))
	_ = m.View()
	if n := wrappedLines(m); n > 40 {
		t.Fatalf("%d of %d lines were wrapped for a 15-row view", n, m.LineCount())
	}
}

func wrappedLines(m Model) int {
	n := 0
	for _, l := range m.doc.lines {
		if l.wrapW != 0 {
			n++
		}
	}
	return n
}

func TestKeystrokeCostFollowsTheWindow(t *testing.T) {
	cost := func(lines int) (allocs float64, wrapped int) {
		m := newEditor(80, 15, termenv.Ascii)
		m.SetValue(notes(lines))
		m = press(m, k(tea.KeyCtrlHome))
		for range 3 {
			m = press(m, k(tea.KeyDown))
		}
		for i := range m.doc.lines {
			m.doc.lines[i].wrapW = 0
		}
		msg := tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'x'}}
		allocs = testing.AllocsPerRun(100, func() {
			m, _ = m.Update(msg)
			_ = m.View()
		})
		return allocs, wrappedLines(m)
	}
	smallAllocs, smallWrapped := cost(50)
	bigAllocs, bigWrapped := cost(5000)
	if bigAllocs > smallAllocs {
		t.Errorf("allocations per keystroke grow with the note: %.1f at 50 lines, %.1f at 5000", smallAllocs, bigAllocs)
	}
	if bigWrapped != smallWrapped || bigWrapped > 20 {
		t.Errorf("lines wrapped: %d at 50 lines, %d at 5000; want the same, at most a screen", smallWrapped, bigWrapped)
	}
}

func TestMaxBytes(t *testing.T) {
	const thumb = "👍🏽" // 8 bytes, one cluster
	m := newEditor(40, 3, termenv.Ascii)
	m.SetMaxBytes(10)
	m = press(m, typed("hello")...)
	rev := m.Revision()

	m = press(m, paste(thumb))
	if m.Value() != "hello" || !m.Overflowed() || m.Revision() != rev {
		t.Fatalf("a cluster that does not fit: %q overflowed=%v rev %d->%d", m.Value(), m.Overflowed(), rev, m.Revision())
	}
	m = press(m, k(tea.KeyLeft), k(tea.KeyRight))
	if !m.Overflowed() {
		t.Fatalf("a cursor move is not a change: Overflowed() must stay true")
	}
	m = press(m, paste("abc"+thumb))
	if m.Value() != "helloabc" || !m.Overflowed() || m.Revision() != rev+1 {
		t.Fatalf("cut to whole clusters: %q overflowed=%v", m.Value(), m.Overflowed())
	}
	m = press(m, typed("x")...)
	if m.Value() != "helloabcx" || m.Overflowed() {
		t.Fatalf("input that fits: %q overflowed=%v", m.Value(), m.Overflowed())
	}
	m = press(m, k(tea.KeyEnter))
	if m.Value() != "helloabcx\n" {
		t.Fatalf("a line break is a byte: %q", m.Value())
	}
	m = press(m, k(tea.KeyEnter))
	if m.Value() != "helloabcx\n" || !m.Overflowed() {
		t.Fatalf("line break past the limit: %q overflowed=%v", m.Value(), m.Overflowed())
	}
	m = press(m, k(tea.KeyBackspace))
	if m.Overflowed() {
		t.Fatalf("a deletion is a change: Overflowed() must clear")
	}

	m.SetValue(strings.Repeat("z", 20))
	if len(m.Value()) != 20 {
		t.Fatalf("SetValue must not cut stored notes: %q", m.Value())
	}
	m = press(m, typed("q")...)
	if len(m.Value()) != 20 || !m.Overflowed() {
		t.Fatalf("typing past the limit: %d bytes overflowed=%v", len(m.Value()), m.Overflowed())
	}
	m.SetMaxBytes(0)
	m = press(m, typed("q")...)
	if len(m.Value()) != 21 {
		t.Fatalf("SetMaxBytes(0) should remove the limit")
	}
}

func TestRevision(t *testing.T) {
	m := newEditor(20, 3, termenv.Ascii)
	steps := []struct {
		name    string
		do      func(m Model) Model
		changes bool
	}{
		{"type", func(m Model) Model { return press(m, typed("ab")[0]) }, true},
		{"type again", func(m Model) Model { return press(m, typed("b")[0]) }, true},
		{"left", func(m Model) Model { return press(m, k(tea.KeyLeft)) }, false},
		{"home, end, up, down", func(m Model) Model {
			return press(m, k(tea.KeyHome), k(tea.KeyEnd), k(tea.KeyUp), k(tea.KeyDown))
		}, false},
		{"backspace", func(m Model) Model { return press(m, k(tea.KeyBackspace)) }, true},
		{"delete at end", func(m Model) Model { return press(m, k(tea.KeyDelete)) }, false},
		{"SetValue same text", func(m Model) Model { m.SetValue("a"); return m }, false},
		{"SetValue new text", func(m Model) Model { m.SetValue("abc"); return m }, true},
		{"empty paste", func(m Model) Model { return press(m, paste("\x00")) }, false},
		{"unbound key", func(m Model) Model { return press(m, k(tea.KeyTab)) }, false},
		{"resize", func(m Model) Model { m.SetSize(3, 1); return m }, false},
		{"enter", func(m Model) Model { return press(m, k(tea.KeyEnter)) }, true},
	}
	for _, s := range steps {
		before := m.Revision()
		m = s.do(m)
		want := before
		if s.changes {
			want++
		}
		if m.Revision() != want {
			t.Errorf("%s: revision %d -> %d, want %d", s.name, before, m.Revision(), want)
		}
	}
}

func TestIgnoredKeys(t *testing.T) {
	ignored := []tea.KeyMsg{
		{Type: tea.KeyRunes, Runes: []rune{'b'}, Alt: true},
		{Type: tea.KeyRunes, Runes: []rune{'f'}, Alt: true},
		{Type: tea.KeyLeft, Alt: true},
		{Type: tea.KeyBackspace, Alt: true},
		{Type: tea.KeyEnter, Alt: true},
		{Type: tea.KeySpace, Runes: []rune{' '}, Alt: true},
		{Type: tea.KeyRunes, Runes: []rune("pasted"), Alt: true, Paste: true},
		{Type: tea.KeyTab},
		{Type: tea.KeyShiftTab},
		{Type: tea.KeyEsc},
		{Type: tea.KeyCtrlS},
		{Type: tea.KeyCtrlG},
		{Type: tea.KeyCtrlJ},
		{Type: tea.KeyCtrlC},
		{Type: tea.KeyF1},
		{Type: tea.KeyInsert},
	}
	for _, msg := range ignored {
		t.Run(msg.String(), func(t *testing.T) {
			m := newEditor(20, 3, termenv.Ascii)
			m.SetValue("ab\ncd")
			m = press(m, k(tea.KeyLeft))
			rev := m.Revision()
			m = press(m, msg)
			if m.Value() != "ab\ncd" || m.Revision() != rev {
				t.Fatalf("%q changed the note to %q", msg.String(), m.Value())
			}
			if l, c := cursor(m); l != 1 || c != 1 {
				t.Fatalf("%q moved the cursor to %d:%d", msg.String(), l, c)
			}
		})
	}

	m := newEditor(20, 3, termenv.Ascii)
	m.Blur()
	m = press(m, typed("a")...)
	if m.Value() != "" {
		t.Fatalf("a blurred editor took a key")
	}
	if strings.Contains(m.View(), "_") {
		t.Fatalf("a blurred editor shows a cursor: %q", m.View())
	}
	m = press(m, tea.WindowSizeMsg{Width: 3, Height: 3}, tea.FocusMsg{})
	if m.Width() != 20 {
		t.Fatalf("the parent sets the size, not WindowSizeMsg")
	}
}

func TestTinySizes(t *testing.T) {
	sizes := [][2]int{{1, 1}, {1, 4}, {2, 1}, {3, 2}, {0, 0}, {0, 5}, {5, 0}, {-3, -1}, {-1, 4}}
	text := "漢字 👩‍👩‍👧 e\u0301 مرحبا\nok"
	for _, sz := range sizes {
		t.Run(fmt.Sprintf("%dx%d", sz[0], sz[1]), func(t *testing.T) {
			m := newEditor(sz[0], sz[1], termenv.Ascii)
			m.SetValue(text)
			checkView(t, m)
			for _, kt := range []tea.KeyType{tea.KeyUp, tea.KeyUp, tea.KeyLeft, tea.KeyPgUp, tea.KeyCtrlRight, tea.KeyDown, tea.KeyPgDown, tea.KeyBackspace, tea.KeyEnter} {
				m = press(m, k(kt))
				checkView(t, m)
			}
			m = press(m, typed("漢x")...)
			checkView(t, m)
		})
	}

	m := newEditor(1, 2, termenv.Ascii)
	m.SetValue("漢")
	if got := screen(m); !slices.Equal(got, []string{"~", "_"}) {
		t.Fatalf("a wide cluster in a 1-cell editor: %q", got)
	}

	var zero Model
	zero.SetValue("x")
	zero.SetSize(4, 1)
	if zero.View() != "x   " {
		t.Fatalf("zero Model after SetSize: %q", zero.View())
	}
	var empty Model
	if empty.View() != "" || empty.Value() != "" || empty.LineCount() != 1 {
		t.Fatalf("zero Model misbehaves")
	}
	empty, _ = empty.Update(typed("a")[0])
	if empty.Value() != "" {
		t.Fatalf("a zero Model is blurred and must ignore keys")
	}
}

func TestCursorStyle(t *testing.T) {
	m := newEditor(6, 1, termenv.ANSI)
	m.SetValue("abc")
	m = press(m, k(tea.KeyLeft))
	if got, want := m.View(), "ab\x1b[7mc\x1b[0m   "; got != want {
		t.Fatalf("View() = %q, want %q", got, want)
	}
	m = press(m, k(tea.KeyEnd))
	if got, want := m.View(), "abc\x1b[7m \x1b[0m  "; got != want {
		t.Fatalf("cursor at the end: View() = %q, want %q", got, want)
	}
	m.Blur()
	if got := m.View(); got != "abc   " {
		t.Fatalf("blurred: %q", got)
	}

	// Rows are drawn once and reused; a new TextStyle must still show.
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.ANSI)
	m.SetSize(6, 2)
	_ = m.View()
	m.TextStyle = r.NewStyle().Bold(true)
	if got, want := m.View(), "\x1b[1mabc   \x1b[0m\n\x1b[1m      \x1b[0m"; got != want {
		t.Fatalf("after changing TextStyle: View() = %q, want %q", got, want)
	}
}

func TestPlaceholder(t *testing.T) {
	m := newEditor(12, 3, termenv.Ascii)
	m.Placeholder = "Notes for this call"
	if got, want := screen(m), []string{"_otes for", "this call", ""}; !slices.Equal(got, want) {
		t.Fatalf("placeholder: %q, want %q", got, want)
	}
	checkView(t, m)
	m = press(m, typed("B")...)
	if got := screen(m); got[0] != "B_" || got[1] != "" {
		t.Fatalf("placeholder should go once typing starts: %q", got)
	}
}

func TestKeyMapHelp(t *testing.T) {
	km := DefaultKeyMap()
	n := 0
	for _, col := range km.FullHelp() {
		for _, b := range col {
			if b.Help().Key == "" || b.Help().Desc == "" || len(b.Keys()) == 0 {
				t.Errorf("binding %v lacks keys or help", b.Keys())
			}
			n++
		}
	}
	if n != 20 {
		t.Fatalf("FullHelp lists %d bindings, want all 20", n)
	}
	for _, b := range []string{"alt+b", "alt+f", "alt+left", "tab", "esc", "ctrl+j", "ctrl+s"} {
		for _, col := range km.FullHelp() {
			for _, binding := range col {
				if slices.Contains(binding.Keys(), b) {
					t.Errorf("%s is bound; the parent owns it", b)
				}
			}
		}
	}
}

// TestRewrapMatchesWrap edits a long paragraph at random places and checks
// that re-wrapping around each edit gives the rows wrapping afresh would.
func TestRewrapMatchesWrap(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"a", "ab ", " ", "  ", "word ", "漢", "👍🏽", "e\u0301", "\u0301", "🇺", "xxxxxxxxxxxxxxxxxxxxxxxx"}
	for _, width := range []int{1, 2, 3, 7, 20} {
		s := strings.Repeat("Client walked 3 days this week 漢字 👩\u200d👩\u200d👧 ", 20)
		rows := wrap(s, width, nil)
		var scratch []row
		for i := range 2000 {
			a := rng.IntN(len(s) + 1)
			for a > 0 && a < len(s) && !utf8.RuneStart(s[a]) {
				a--
			}
			b := a
			if rng.IntN(2) == 0 {
				b = min(len(s), a+rng.IntN(12))
				for b < len(s) && !utf8.RuneStart(s[b]) {
					b++
				}
			}
			ins := ""
			if rng.IntN(3) > 0 {
				ins = pieces[rng.IntN(len(pieces))]
			}
			s = s[:a] + ins + s[b:]
			rows, _, scratch = rewrap(s, width, rows, a, b, a+len(ins), scratch)
			if want := wrap(s, width, nil); !slices.Equal(rows, want) {
				j := 0
				for j < min(len(rows), len(want)) && rows[j] == want[j] {
					j++
				}
				t.Fatalf("width %d, edit %d ([%d,%d) -> %q): rows differ from row %d of %d", width, i, a, b, ins, j, len(want))
			}
		}
	}
}

func TestClusterWidthIsTheWidestMeasure(t *testing.T) {
	for _, s := range []string{"a", "漢", "👍🏽", "👩🏽\u200d⚕️", "e\u0301"} {
		_, w := grapheme(s)
		if want := max(ansi.StringWidth(s), uniseg.StringWidth(s), cells.Drawn(s)); w != want {
			t.Errorf("grapheme(%q) width = %d, want %d", s, w, want)
		}
	}
}

func TestReadOnlyMovesButNeverChanges(t *testing.T) {
	m := newEditor(20, 3, termenv.Ascii)
	m.SetValue("one\ntwo\nthree")
	m.SetReadOnly(true)
	rev := m.Revision()
	m = press(m, typed("typed")...)
	m = press(m, k(tea.KeyBackspace), k(tea.KeyEnter), k(tea.KeyCtrlU), k(tea.KeyCtrlW), k(tea.KeyDelete), k(tea.KeySpace))
	m = press(m, k(tea.KeyUp), k(tea.KeyHome))
	if m.Value() != "one\ntwo\nthree" || m.Revision() != rev {
		t.Fatalf("read-only editor changed: %q rev %d→%d", m.Value(), rev, m.Revision())
	}
	if m.CurrentLine() != "two" {
		t.Fatalf("read-only editor did not move: on %q", m.CurrentLine())
	}
	m.SetReadOnly(false)
	m = press(m, typed("x")...)
	if m.Value() != "one\nxtwo\nthree" {
		t.Fatalf("after SetReadOnly(false): %q", m.Value())
	}
}
