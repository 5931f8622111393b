package editor

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
	"github.com/rivo/uniseg"

	"callcoach/coaching"
	"callcoach/tui/cells"
)

// grapheme returns the length in bytes and the width in cells of the grapheme
// cluster at the start of s, which must not be empty.
//
// The width is the larger of uniseg's and ansi's (which lipgloss.Width uses):
// they disagree on a few hundred code points, and counting the wider one
// keeps a row within the width whichever of the two the parent measures with.
// A cluster of several code points counts at least what a cluster-blind
// terminal such as tmux draws (cells.Drawn).
func grapheme(s string) (n, w int) {
	if c := s[0]; c >= 0x20 && c < 0x7f && (len(s) == 1 || s[1] < utf8.RuneSelf) {
		return 1, 1 // printable ASCII followed by ASCII is always a whole cluster
	}
	cluster, _, uw, _ := uniseg.FirstGraphemeClusterInString(s, -1)
	if r, size := utf8.DecodeRuneInString(cluster); size == len(cluster) && r < 0x600 {
		return len(cluster), uw // both tables agree on single code points below U+0600
	}
	w = max(uw, ansi.StringWidth(cluster))
	if utf8.RuneCountInString(cluster) > 1 {
		w = max(w, cells.Drawn(cluster))
	}
	return len(cluster), w
}

// textWidth returns the width in cells of s, measured as the wrapping measures it.
func textWidth(s string) int {
	w := 0
	for len(s) > 0 {
		n, gw := grapheme(s)
		w += gw
		s = s[n:]
	}
	return w
}

// sanitize turns input into text the editor can store: valid UTF-8 whose only
// control character is '\n'. "\r\n", "\r" and the Unicode line separators
// become '\n', tabs become four spaces, other control characters and invalid
// bytes are dropped. Text that needs no change is returned without copying.
func sanitize(s string) string {
	i := 0
	for i < len(s) && plain(s[i]) {
		i++
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for i < len(s) {
		if plain(s[i]) {
			j := i + 1
			for j < len(s) && plain(s[j]) {
				j++
			}
			b.WriteString(s[i:j])
			i = j
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			// invalid byte: dropped
		case r == '\r':
			b.WriteByte('\n')
			if i+1 < len(s) && s[i+1] == '\n' {
				n++
			}
		case r == 0x85 || r == 0x2028 || r == 0x2029:
			b.WriteByte('\n')
		case r == '\t':
			b.WriteString("    ")
		case r < 0x20 || (r >= 0x7f && r < 0xa0) || coaching.UnsafeRune(r):
			// C0 and C1 controls could drive the terminal, and the bidi
			// overrides reorder what it shows: dropped
		case coaching.InvisibleRune(r) && r != 0x200C && r != 0x200D:
			// zero-width and other unseen characters hide what the notes
			// say; the joiners stay, as emoji and some scripts need them
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// plain reports whether byte c stands for itself in stored text.
func plain(c byte) bool { return (c >= 0x20 && c < 0x7f) || c == '\n' }

// runesText converts key runes to sanitized text, dropping runes that are not
// valid code points.
func runesText(rs []rune) string {
	if len(rs) == 1 && rs[0] >= 0x20 && rs[0] < 0x7f {
		return asciiText[rs[0]-0x20 : rs[0]-0x1f] // typing a letter allocates nothing
	}
	buf := make([]byte, 0, len(rs))
	for _, r := range rs {
		switch {
		case r < utf8.RuneSelf && r >= 0:
			buf = append(buf, byte(r))
		case utf8.ValidRune(r):
			buf = utf8.AppendRune(buf, r)
		}
	}
	return sanitize(string(buf))
}

const asciiText = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"

// prefixWithin returns the longest prefix of s made of whole grapheme clusters
// that is at most limit bytes long.
func prefixWithin(s string, limit int) string {
	o := 0
	for o < len(s) {
		n, _ := grapheme(s[o:])
		if o+n > limit {
			break
		}
		o += n
	}
	return s[:o]
}

// row is one visual (wrapped) row of a logical line.
type row struct {
	start int // byte offset of the row in the line
	width int // cells taken by the row's text
}

// wrap splits s into visual rows of at most width cells (width >= 1), reusing
// dst. Rows break after a space; a word longer than the width is broken between
// clusters; a cluster never straddles the edge. A cluster wider than the whole
// row gets a row to itself, whose width is then above the limit.
//
// When the last row is full an empty row follows it, so that the cursor at the
// end of the line always has a cell to be drawn in.
func wrap(s string, width int, dst []row) []row {
	return wrapFrom(s, width, dst[:0], 0, nil)
}

// rewrap returns the rows of s, given rows, the wrapping at the same width of
// the text before an edit that turned its bytes [a, oldEnd) into s[a:newEnd].
// It re-wraps from a few rows before the edit (a changed cluster can move a
// break up to two rows back) and stops at the first row after the edit that
// starts where an old row did, shifted. It also returns how many rows it kept
// as they were, and scratch for the next call.
func rewrap(s string, width int, rows []row, a, oldEnd, newEnd int, scratch []row) (_ []row, kept int, _ []row) {
	kept = max(rowAt(rows, a)-3, 0)
	tail := scratch[:0]
	for _, r := range rows[kept+1:] {
		if r.start >= oldEnd {
			tail = append(tail, row{start: r.start + newEnd - oldEnd, width: r.width})
		}
	}
	return wrapFrom(s, width, rows[:kept], rows[kept].start, tail), kept, tail
}

// wrapFrom appends to rows the rows of s from byte offset start, which begins
// a row. Wrapping carries nothing across the start of a row, so once a row
// starts where one of tail does, the rest of the rows are tail's.
func wrapFrom(s string, width int, rows []row, start int, tail []row) []row {
	rows = append(rows, row{start: start})
	rowStart, rowW := start, 0
	brk, brkW := -1, 0 // offset just after the row's last space, and the row's width up to it
	for o := start; o < len(s); {
		n, w := grapheme(s[o:])
		for rowW+w > width && o > rowStart {
			if brk > rowStart {
				rows[len(rows)-1].width = brkW
				rowStart, rowW = brk, rowW-brkW
			} else {
				rows[len(rows)-1].width = rowW
				rowStart, rowW = o, 0
			}
			for len(tail) > 0 && tail[0].start < rowStart {
				tail = tail[1:]
			}
			if len(tail) > 0 && tail[0].start == rowStart {
				return append(rows, tail...)
			}
			rows = append(rows, row{start: rowStart})
			brk = -1
		}
		rowW += w
		if s[o] == ' ' && n == 1 {
			brk, brkW = o+1, rowW
		}
		o += n
	}
	rows[len(rows)-1].width = rowW
	if rowW >= width && len(s) > 0 {
		rows = append(rows, row{start: len(s)})
	}
	return rows
}

// rowAt returns the index of the row holding byte offset col.
func rowAt(rows []row, col int) int {
	k := len(rows) - 1
	for k > 0 && rows[k].start > col {
		k--
	}
	return k
}
