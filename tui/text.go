package tui

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"callcoach/coaching"
	"callcoach/tui/cells"
)

// clipLine cuts a (possibly styled) line to width cells, ending it with an
// ellipsis when something was cut.
func clipLine(s string, width int) string {
	if width <= 0 {
		return ""
	}
	if lipgloss.Width(s) <= width {
		return s
	}
	return ansi.Truncate(s, width, "…")
}

// fit makes s exactly height lines, none wider than width: the last line of
// defence against a screen that draws too much.
func fit(s string, width, height int) string {
	if height <= 0 {
		return ""
	}
	lines := strings.Split(s, "\n")
	if len(lines) > height {
		lines = lines[:height]
	}
	for i, l := range lines {
		lines[i] = clipLine(l, width)
	}
	for len(lines) < height {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// padRight pads plain or styled text with spaces to width cells, or clips it.
func padRight(s string, width int) string {
	if width <= 0 {
		return ""
	}
	w := lipgloss.Width(s)
	if w > width {
		return ansi.Truncate(s, width, "…")
	}
	return s + strings.Repeat(" ", width-w)
}

// oneLine readies text from data or a file for a single line of the
// screen: newlines and tabs become spaces, so a pasted paragraph cannot
// break a row; emoji clusters that terminals draw at different widths are
// simplified (cells.Safe), so a row measures what it draws; and characters
// a terminal would obey are shown as symbols (see visible).
func oneLine(s string) string {
	if strings.ContainsAny(s, "\n\r\t") {
		s = strings.Join(strings.Fields(s), " ")
	}
	return visible(cells.Safe(s), false)
}

// safeBlock readies text from data or a file that keeps its lines (notes,
// a summary, a plan in full): as oneLine, but newlines stay and tabs
// become spaces.
func safeBlock(s string) string {
	return visible(cells.Safe(s), true)
}

// visible is the one sanitiser for text from data or a file at the point
// it is drawn (docs/security.md): a character a terminal would obey
// (coaching.UnsafeRune) is shown as a symbol instead (ESC as ␛, the other
// C0 controls as their Control Pictures, DEL as ␡, a C1 control or a byte
// that is not UTF-8 as �), and the overrides and characters that draw as
// nothing (coaching.InvisibleRune) are left out. With multiline, newlines
// stay and tabs become spaces. Printable ASCII comes back as it is,
// without allocating.
func visible(s string, multiline bool) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && !(multiline && c == '\n') || c >= 0x7F {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	changed := false
	for i, r := range s {
		switch {
		case r == utf8.RuneError:
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				b.WriteRune('\uFFFD')
				changed = true
				continue
			}
		case multiline && r == '\n':
		case multiline && r == '\t':
			b.WriteByte(' ')
			changed = true
			continue
		case r < 0x20:
			b.WriteRune(0x2400 + r)
			changed = true
			continue
		case r == 0x7F:
			b.WriteRune('\u2421')
			changed = true
			continue
		case r >= 0x80 && r <= 0x9F:
			b.WriteRune('\uFFFD')
			changed = true
			continue
		case coaching.UnsafeRune(r), coaching.InvisibleRune(r):
			changed = true
			continue
		}
		b.WriteRune(r)
	}
	if !changed {
		return s
	}
	return b.String()
}

// stripUnsafe drops what visible would show as a symbol or leave out, for
// text put into a field the coach edits: what they save then holds none
// of it, and no symbol was added that was not there.
func stripUnsafe(s string) string {
	return strings.Map(func(r rune) rune {
		if coaching.UnsafeRune(r) || coaching.InvisibleRune(r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, s)
}

// typedRunes drops from typed or pasted keys what no field may hold:
// controls (a paste's newlines and tabs are the editor's to take, as the
// keys they stand for), the bidi overrides, and characters that draw as
// nothing, but for the joiners emoji need. It returns rs itself when there
// is nothing to drop.
func typedRunes(rs []rune) []rune {
	drop := func(r rune) bool {
		if r == '\n' || r == '\t' || r == '\r' {
			return false
		}
		return coaching.UnsafeRune(r) || coaching.InvisibleRune(r) && r != 0x200C && r != 0x200D
	}
	i := 0
	for i < len(rs) && !drop(rs[i]) {
		i++
	}
	if i == len(rs) {
		return rs
	}
	out := append([]rune(nil), rs[:i]...)
	for _, r := range rs[i:] {
		if !drop(r) {
			out = append(out, r)
		}
	}
	return out
}

// screenSafe is the last line of defence, run over every frame: the only
// escape sequences a frame may hold are the styling (SGR: ESC [ ... m)
// that lipgloss writes. Any other ESC is shown as ␛, and C1 controls and
// bidirectional overrides are taken out, so text that reached a frame
// without passing visible still cannot command the terminal.
func screenSafe(frame string) string {
	var b *strings.Builder
	done := 0 // frame[:done] is in b, or needs no change
	put := func(at, next int, repl string) {
		if b == nil {
			b = &strings.Builder{}
			b.Grow(len(frame) + 16)
		}
		b.WriteString(frame[done:at])
		b.WriteString(repl)
		done = next
	}
	for i := 0; i < len(frame); {
		c := frame[i]
		if c < utf8.RuneSelf {
			switch {
			case c == 0x1B:
				if n := sgrLen(frame[i:]); n > 0 {
					i += n
					continue
				}
				put(i, i+1, "\u241B")
			case c == 0x7F:
				put(i, i+1, "\u2421")
			case c < 0x20 && c != '\n':
				put(i, i+1, string(rune(0x2400+rune(c))))
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(frame[i:])
		switch {
		case r == utf8.RuneError && size == 1, r >= 0x80 && r <= 0x9F:
			put(i, i+size, "\uFFFD")
		case coaching.UnsafeRune(r):
			put(i, i+size, "")
		}
		i += size
	}
	if b == nil {
		return frame
	}
	b.WriteString(frame[done:])
	return b.String()
}

// sgrLen is the length of the SGR sequence (ESC [ digits ; : m) at the
// start of s, or 0 if s does not start with one.
func sgrLen(s string) int {
	if len(s) < 3 || s[0] != 0x1B || s[1] != '[' {
		return 0
	}
	for i := 2; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9', c == ';', c == ':':
		case c == 'm':
			return i + 1
		default:
			return 0
		}
	}
	return 0
}
