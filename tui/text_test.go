package tui

import (
	"strings"
	"testing"
)

func TestVisible(t *testing.T) {
	for _, tc := range []struct {
		in        string
		multiline bool
		want      string
	}{
		{"plain text", false, "plain text"},
		{"two\nlines", true, "two\nlines"},
		{"tab\there", true, "tab here"},
		{"\x1b]0;x\x07", false, "␛]0;x␇"},
		{"del\x7f", false, "del␡"},
		{"c1\u009b2J", false, "c1�2J"},
		{"bad\xffbyte", false, "bad�byte"},
		{"ab\u202ecd\u2066e", false, "abcde"},
		{"zero\u200bwidth\ufeff", false, "zerowidth"},
		{"née Zoë", false, "née Zoë"},
	} {
		if got := visible(tc.in, tc.multiline); got != tc.want {
			t.Errorf("visible(%q, %v) = %q, want %q", tc.in, tc.multiline, got, tc.want)
		}
	}
	s := "nothing to change here"
	if got := visible(s, false); got != s {
		t.Fatal("changed clean text")
	}
	if n := testing.AllocsPerRun(100, func() { visible(s, false) }); n != 0 {
		t.Errorf("clean ASCII allocates %v times", n)
	}
}

func TestOneLineDropsLineBreaksAndEscapes(t *testing.T) {
	if got := oneLine("a\nb\x1b[2J\tc"); got != "a b␛[2J c" {
		t.Fatalf("oneLine = %q", got)
	}
}

// TestScreenSafeLetsOnlyStylingThrough: the frame filter keeps SGR and
// newlines and takes out every other command.
func TestScreenSafeLetsOnlyStylingThrough(t *testing.T) {
	styled := "\x1b[1;38;5;205mTitle\x1b[0m\nrow \x1b[7m>\x1b[m"
	if got := screenSafe(styled); got != styled {
		t.Fatalf("styling changed: %q", got)
	}
	for _, tc := range []struct{ in, want string }{
		{"a\x1b]52;c;eA==\x07b", "a␛]52;c;eA==␇b"},
		{"\x1b[2Jx", "␛[2Jx"},
		{"\x1b[?25l", "␛[?25l"},
		{"\x1bP1$r\x1b\\", "␛P1$r␛\\"},
		{"c1 \u009b31m", "c1 �31m"},
		{"raw \x9b byte", "raw � byte"},
		{"\u202eevil", "evil"},
		{"tab\t", "tab␉"},
		{"\x1b", "␛"},
		{"\x1b[12", "␛[12"},
	} {
		if got := screenSafe(tc.in); got != tc.want {
			t.Errorf("screenSafe(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := screenSafe(strings.Repeat("─", 10)); got != strings.Repeat("─", 10) {
		t.Fatalf("box drawing changed: %q", got)
	}
}

func TestTypedRunesDropsWhatNoFieldTakes(t *testing.T) {
	in := []rune("a\x1b]0;x\x07\u202eb\u200bc\u200d\n")
	if got := string(typedRunes(in)); got != "a]0;xbc\u200d\n" {
		t.Fatalf("typedRunes = %q", got)
	}
	clean := []rune("hello")
	if got := typedRunes(clean); &got[0] != &clean[0] {
		t.Fatal("clean keys were copied")
	}
}
