package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"callcoach/coaching"
)

// Change talk: the person's words (the notes line, or typed), then which
// kind of change talk they are.

type talkQuote struct{}

func (talkQuote) question() string { return "Their words:" }
func (talkQuote) input() (string, int, bool) {
	return "type what they said, or keep the notes line", coaching.MaxShortField * 10, true
}
func (talkQuote) skippable() bool                     { return false }
func (talkQuote) skip(*callScreen) (askStep, tea.Cmd) { return nil, nil }

func (s talkQuote) answer(w *callScreen, a string) (askStep, tea.Cmd, string) {
	q := strings.TrimSpace(a)
	if q == "" {
		return s, nil, "Type what the person said (or esc)."
	}
	return talkKind{quote: q}, nil, ""
}

type talkKind struct{ quote string }

func (talkKind) question() string           { return "Which kind?" }
func (talkKind) input() (string, int, bool) { return "", 0, false }
func (talkKind) skippable() bool            { return false }
func (talkKind) skip(w *callScreen) (askStep, tea.Cmd) {
	w.note = "Not saved: change talk needs its kind. alt+t to mark it again."
	return nil, nil
}

func (s talkKind) lines(w *callScreen, _ string) []string {
	st := w.c.Styles
	head := st.Focused.Render("Which kind? ") + st.Subtle.Render("“"+oneLine(s.quote)+"”")
	return append([]string{head}, talkLines()...)
}

func (s talkKind) answer(w *callScreen, letter string) (askStep, tea.Cmd, string) {
	for _, c := range coaching.TalkChoices {
		if c.Key != letter {
			continue
		}
		now := w.c.Now()
		ct := coaching.ChangeTalk{CallID: w.call.ID, Kind: c.Kind, Quote: s.quote, At: now}
		w.talk = append(w.talk, ct)
		w.note = "Saved as " + c.Kind.Label() + "."
		store, ctx := w.c.Store, w.c.Ctx
		return nil, w.write("change talk", func() error {
			_, err := store.AddChangeTalk(ctx, ct, now)
			return err
		}), ""
	}
	return s, nil, "Press one of the letters shown, or esc."
}

// talkLines lists the kinds with their keys, a group a line: the
// preparing kinds (desire, ability, reasons, need), the mobilising ones
// (commitment, activation, taking steps), and sustain talk, which is the
// person's case against change and never mobilising (docs/coaching.md).
func talkLines() []string {
	var preparing, mobilising, against []string
	for _, c := range coaching.TalkChoices {
		item := c.Key + " " + c.Label
		switch {
		case !c.Kind.IsChangeTalk():
			against = append(against, item)
		case c.Kind.Mobilising():
			mobilising = append(mobilising, item)
		default:
			preparing = append(preparing, item)
		}
	}
	return []string{
		"  Preparing:      " + strings.Join(preparing, " · "),
		"  Mobilising:     " + strings.Join(mobilising, " · "),
		"  Against change: " + strings.Join(against, " · "),
	}
}

func (talkKind) keys() []key.Binding {
	var out []key.Binding
	for _, c := range coaching.TalkChoices {
		out = append(out, key.NewBinding(key.WithKeys(c.Key), key.WithHelp(c.Key, c.Label)))
	}
	return out
}
