// Package cells measures text as terminals draw it. Terminals disagree
// about clusters of several code points (emoji with skin tones, ZWJ
// sequences): some draw them as one glyph two cells wide, as the Go
// libraries count them, others (tmux among them) draw each code point on
// its own. A screen laid out with the smaller count overflows on the
// latter and the whole frame shifts, so callcoach lays out with the larger.
package cells

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
	"github.com/rivo/uniseg"
)

// Drawn is the width of one grapheme cluster as a cluster-blind terminal
// draws it: each code point on its own, a variation selector widening a
// narrow symbol to two, a skin tone taking two cells of its own.
func Drawn(cluster string) int {
	w, prev := 0, 0
	for _, r := range cluster {
		switch {
		case r == 0xFE0F:
			if prev == 1 {
				w++
			}
			prev = 0
		case r >= 0x1F3FB && r <= 0x1F3FF:
			prev = 2
			w += 2
		default:
			prev = uniseg.StringWidth(string(r))
			w += prev
		}
	}
	return w
}

// Safe returns s with every cluster whose width terminals disagree on
// replaced by its first code point, so that what the libraries measure is
// what every terminal draws. Stored text is never changed; this is for
// drawing only. Plain ASCII comes back as it is, without allocating.
func Safe(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	changed := false
	state := -1
	rest := s
	for len(rest) > 0 {
		var cluster string
		cluster, rest, _, state = uniseg.FirstGraphemeClusterInString(rest, state)
		if utf8.RuneCountInString(cluster) > 1 && Drawn(cluster) != ansi.StringWidth(cluster) {
			r, _ := utf8.DecodeRuneInString(cluster)
			b.WriteRune(r)
			changed = true
			continue
		}
		b.WriteString(cluster)
	}
	if !changed {
		return s
	}
	return b.String()
}
