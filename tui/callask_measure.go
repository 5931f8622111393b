package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"callcoach/coaching/measures"
)

// Which measure to give: one key, then the measure's own screen.

type measureChoice struct{}

func (measureChoice) question() string                    { return "Which measure?" }
func (measureChoice) input() (string, int, bool)          { return "", 0, false }
func (measureChoice) skippable() bool                     { return false }
func (measureChoice) skip(*callScreen) (askStep, tea.Cmd) { return nil, nil }

func (measureChoice) lines(w *callScreen, _ string) []string {
	var parts []string
	for i, inst := range measures.All() {
		parts = append(parts, fmt.Sprintf("%d %s", i+1, inst.Name))
	}
	return []string{w.c.Styles.Focused.Render("Which measure? ") + strings.Join(parts, " · ") + " · esc"}
}

func (s measureChoice) answer(w *callScreen, letter string) (askStep, tea.Cmd, string) {
	for i, inst := range measures.All() {
		if letter == fmt.Sprint(i+1) {
			return nil, tea.Batch(w.saveNow(), w.open(newMeasureScreen(w.c, w.person, w.call.ID, inst))), ""
		}
	}
	return s, nil, "Press the number of a measure, or esc."
}

func (measureChoice) keys() []key.Binding { return []key.Binding{measureChoiceKey()} }
