package tui

import tea "github.com/charmbracelet/bubbletea"

// Later is the program's model before its first message: it builds the
// App when bubbletea first asks for it, in Init. bubbletea starts the clock
// of its frames (one every 1/60 s) before it calls Init and draws the first
// frame on the first tick, so the styles and screens built there cost the
// coach nothing: they are made while the program waits for that tick, not
// before it starts (docs/architecture.md, "Starting up"). Update hands the
// App itself to bubbletea, so from the first message on Later is gone.
type Later struct{ l *later }

type later struct {
	build func() App
	app   *App
}

// Build returns a model that calls build once, when first needed.
func Build(build func() App) Later { return Later{&later{build: build}} }

// App is the App, built now if it was not yet.
func (l Later) App() App {
	if l.l.app == nil {
		a := l.l.build()
		l.l.app = &a
	}
	return *l.l.app
}

// Flush is App.Flush if the App was built: a program that ended before
// its first message may have nothing to flush.
func (l Later) Flush() error {
	if l.l.app == nil {
		return nil
	}
	return l.l.app.Flush()
}

func (l Later) Init() tea.Cmd                           { return l.App().Init() }
func (l Later) Update(msg tea.Msg) (tea.Model, tea.Cmd) { return l.App().Update(msg) }
func (l Later) View() string                            { return l.App().View() }
