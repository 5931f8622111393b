// hello is the bare bubbletea program TestFirstFrame measures callcoach
// against, as ../shared/anchors/cmd/hello is: no alternate screen, no
// lipgloss, the same bubbletea as callcoach (it is built in this module),
// and the same output wrapper. It quits on any key, SIGTERM or ctrl+c.
package main

import (
	"fmt"
	"os"

	tea "github.com/charmbracelet/bubbletea"

	"callcoach/internal/firstframe"
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
