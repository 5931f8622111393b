package firstframe

import (
	"fmt"
	"os"

	tea "github.com/charmbracelet/bubbletea"
)

// RunHello runs the bare bubbletea program TestFirstFrame measures against
// (testdata/hello, and testdata/linked with callcoach's packages linked
// in): one line of text, no alternate screen, no lipgloss, through Output.
// It quits on any key, SIGTERM or ctrl+c.
func RunHello() {
	out, _ := Output(os.Stdout)
	p := tea.NewProgram(hello{}, tea.WithOutput(out))
	if _, err := p.Run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

type hello struct{}

func (hello) Init() tea.Cmd { return nil }

func (m hello) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(tea.KeyMsg); ok {
		return m, tea.Quit
	}
	return m, nil
}

func (hello) View() string { return "Hello, world!\n" }
