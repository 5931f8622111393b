package coaching

import (
	"testing"
	"unicode/utf8"
)

func TestUnsafeRune(t *testing.T) {
	for _, tc := range []struct {
		r    rune
		want bool
	}{
		{'a', false}, {' ', false}, {'é', false}, {'❤', false},
		{0x00, true}, {0x07, true}, {0x1B, true}, {'\n', true}, {'\t', true}, {'\r', true}, {0x1F, true},
		{0x7E, false}, {0x7F, true}, {0x80, true}, {0x9B, true}, {0x9F, true}, {0xA0, false},
		{0x2029, false}, {0x202A, true}, {0x202E, true}, {0x202F, false},
		{0x2065, false}, {0x2066, true}, {0x2069, true}, {0x206A, false},
	} {
		if got := UnsafeRune(tc.r); got != tc.want {
			t.Errorf("UnsafeRune(%U) = %v, want %v", tc.r, got, tc.want)
		}
	}
}

func TestInvisibleRune(t *testing.T) {
	for _, r := range []rune{0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD, 0x200E, 0x200F} {
		if !InvisibleRune(r) {
			t.Errorf("InvisibleRune(%U) = false", r)
		}
	}
	for _, r := range []rune{'a', ' ', 0x2009, 0x200A, 0x2010, 0x2061} {
		if InvisibleRune(r) {
			t.Errorf("InvisibleRune(%U) = true", r)
		}
	}
}

func TestFirstUnsafe(t *testing.T) {
	for _, tc := range []struct {
		s         string
		multiline bool
		off       int
		r         rune
	}{
		{"plain", false, -1, 0},
		{"", false, -1, 0},
		{"two\nlines\tand tab", true, -1, 0},
		{"two\nlines", false, 3, '\n'},
		{"Mal\x1b]0;x\x07", true, 3, 0x1B},
		{"né\u202eevil", false, 3, 0x202E},
		{"bad \xff byte", true, 4, utf8.RuneError},
		{"real \uFFFD replacement", false, -1, 0},
		{"c1 \u009b2J", true, 3, 0x9B},
	} {
		off, r := FirstUnsafe(tc.s, tc.multiline)
		if off != tc.off || r != tc.r {
			t.Errorf("FirstUnsafe(%q, %v) = %d, %U; want %d, %U", tc.s, tc.multiline, off, r, tc.off, tc.r)
		}
	}
}

func TestDescribeRune(t *testing.T) {
	for _, tc := range []struct {
		r    rune
		want string
	}{
		{0x1B, "ESC (U+001B)"},
		{0x07, "a control character (U+0007)"},
		{0x9B, "a C1 control character (U+009B)"},
		{0x202E, "U+202E (a right-to-left or left-to-right override)"},
		{utf8.RuneError, "bytes that are not UTF-8 text"},
	} {
		if got := DescribeRune(tc.r); got != tc.want {
			t.Errorf("DescribeRune(%U) = %q, want %q", tc.r, got, tc.want)
		}
	}
}

func TestCleanTextDropsOverrides(t *testing.T) {
	if got := CleanText(" Ev\u202eil\x1b[2J "); got != "Evil [2J" {
		t.Errorf("CleanText = %q", got)
	}
}

func TestStripUnsafe(t *testing.T) {
	for _, tc := range []struct {
		in        string
		multiline bool
		want      string
	}{
		{"plain", false, "plain"},
		{"a\nb\tc", true, "a\nb\tc"},
		{"a\nb", false, "ab"},
		{"x\x1b]0;t\x07y\u202ez\xff", true, "x]0;tyz"},
	} {
		if got := StripUnsafe(tc.in, tc.multiline); got != tc.want {
			t.Errorf("StripUnsafe(%q, %v) = %q, want %q", tc.in, tc.multiline, got, tc.want)
		}
	}
}
