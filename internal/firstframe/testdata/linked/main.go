// linked is the bare hello (../hello) linked with every package callcoach
// links: their package initialisation and a binary of callcoach's make-up,
// and nothing of callcoach's own start-up. TestFirstFrame times it beside
// hello and callcoach, to tell what the packages cost from what callcoach
// itself does before its first frame.
package main

import (
	_ "flag"
	"fmt"
	"os"
	_ "time/tzdata"

	tea "github.com/charmbracelet/bubbletea"

	_ "callcoach/coaching/config"
	"callcoach/internal/firstframe"
	_ "callcoach/storage"
	_ "callcoach/tui"
)

type model struct{}

func (model) Init() tea.Cmd { return nil }

func (m model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(tea.KeyMsg); ok {
		return m, tea.Quit
	}
	return m, nil
}

func (model) View() string { return "Hello, world!\n" }

func main() {
	out, _ := firstframe.Output(os.Stdout)
	p := tea.NewProgram(model{}, tea.WithOutput(out))
	if _, err := p.Run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
