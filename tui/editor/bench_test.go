package editor

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/muesli/termenv"
)

var noteSentences = []string{
	"Client says she walked after dinner on four evenings and felt less stiff in the mornings.",
	"BP readings at home 132/84 and 128/80; she takes them before coffee as agreed last time.",
	"Discussed swapping the afternoon biscuits for fruit; she thinks apples at work are realistic.",
	"Sleep still broken, about five hours; partner snores. Agreed to try the spare room twice this week.",
	"Confidence for the walking goal 8/10, importance 9/10 because of the grandchildren visiting in June.",
	"Pharmacist review booked for the 14th. She will bring all the boxes, including the cream.",
	"Asked about alcohol: two glasses of wine on Fridays, sometimes Saturday too.",
	"Next call in two weeks, same time; she prefers the mobile number after 5pm.",
}

// notes returns n lines of realistic call notes, 60 to 120 characters each,
// so that some of them wrap at 80 columns.
func notes(n int) string {
	lines := make([]string, n)
	for i := range lines {
		lines[i] = noteSentences[i%len(noteSentences)]
	}
	return strings.Join(lines, "\n")
}

// typing returns the keystrokes of a coach typing a sentence and pressing
// enter, so the line being typed stays a realistic length however many
// iterations the benchmark runs.
func typing() []tea.Msg {
	return append(typed(" Agreed to phone the GP surgery about the repeat prescription on Monday."), k(tea.KeyEnter))
}

func benchKeystroke(b *testing.B, lines int, middle bool) {
	m := newEditor(80, 15, termenv.ANSI)
	m.SetValue(notes(lines))
	if middle {
		for range lines / 2 {
			m = press(m, k(tea.KeyUp))
		}
		m = press(m, k(tea.KeyEnd))
	}
	keys := typing()
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		m, _ = m.Update(keys[i%len(keys)])
		_ = m.View()
		i++
	}
}

func BenchmarkKeystroke50(b *testing.B)        { benchKeystroke(b, 50, false) }
func BenchmarkKeystroke500(b *testing.B)       { benchKeystroke(b, 500, false) }
func BenchmarkKeystroke500Middle(b *testing.B) { benchKeystroke(b, 500, true) }

// BenchmarkKeystrokeLongLine types in the middle of one 10,000-character
// paragraph (a pasted email, say): only the rows around the edit are
// re-wrapped.
func BenchmarkKeystrokeLongLine(b *testing.B) {
	m := newEditor(80, 15, termenv.ANSI)
	m.SetValue(strings.ReplaceAll(notes(120), "\n", " ")[:10000])
	for range 60 {
		m = press(m, k(tea.KeyUp))
	}
	keys := typing()[:len(typing())-1]
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		m, _ = m.Update(keys[i%len(keys)])
		_ = m.View()
		i++
	}
}

// BenchmarkPaste10k pastes 10,000 characters of notes into a 500-line note and
// draws the view once.
func BenchmarkPaste10k(b *testing.B) {
	text := strings.ReplaceAll(notes(200), "\n", "\r\n")[:10000]
	msg := paste(text)
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		m := newEditor(80, 15, termenv.ANSI)
		m.SetValue(notes(500))
		b.StartTimer()
		m, _ = m.Update(msg)
		_ = m.View()
	}
}

func BenchmarkWrap10k(b *testing.B) {
	text := strings.ReplaceAll(notes(120), "\n", " ")[:10000]
	var rows []row
	b.ReportAllocs()
	for b.Loop() {
		rows = wrap(text, 80, rows)
	}
}
