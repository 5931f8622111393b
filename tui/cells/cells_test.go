package cells

import (
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestDrawn(t *testing.T) {
	tests := []struct {
		s    string
		want int
	}{
		{"a", 1},
		{"漢", 2},
		{"👍", 2},
		{"👍🏽", 4},         // tmux draws thumb and tone apart
		{"⚕️", 2},         // the selector widens the symbol
		{"👩🏽\u200d⚕️", 6}, // tmux: 4 cells, the libraries: 2
		{"e\u0301", 1},    // a combining accent adds nothing
		{"👩\u200d👩\u200d👧", 6},
	}
	for _, tc := range tests {
		if got := Drawn(tc.s); got != tc.want {
			t.Errorf("Drawn(%q) = %d, want %d", tc.s, got, tc.want)
		}
	}
}

func TestSafe(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Ann Lee", "Ann Lee"},
		{"Zoë", "Zoë"},
		{"e\u0301", "e\u0301"}, // combining accents are drawn alike everywhere
		{"مريم الحسن", "مريم الحسن"},
		{"李伟", "李伟"},
		{"ok 👍", "ok 👍"},
		{"ok 👍🏽!", "ok 👍!"},
		{"Dr 👩🏽\u200d⚕️ Zoë", "Dr 👩 Zoë"},
		{"👩\u200d👩\u200d👧 family", "👩 family"},
	}
	for _, tc := range tests {
		got := Safe(tc.in)
		if got != tc.want {
			t.Errorf("Safe(%q) = %q, want %q", tc.in, got, tc.want)
		}
		for _, r := range got {
			if c := string(r); Drawn(c) != ansi.StringWidth(c) {
				t.Errorf("Safe(%q) keeps %q, drawn %d but measured %d", tc.in, c, Drawn(c), ansi.StringWidth(c))
			}
		}
	}
}

func BenchmarkSafeASCII(b *testing.B) {
	for i := 0; i < b.N; i++ {
		Safe("Margaret Okafor (Maggie)   type 2 diabetes, high blood pressure")
	}
}
