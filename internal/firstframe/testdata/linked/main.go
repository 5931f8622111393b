// linked is the bare hello (../hello) linked with every package callcoach
// links: their package initialisation and a binary of callcoach's make-up,
// and nothing of callcoach's own start-up. TestFirstFrame times it beside
// hello and callcoach, to tell what the packages cost from what callcoach
// itself does before its first frame. Its imports are main's (go list -f
// '{{.Imports}}' .), so that go list -deps of the two differ only in
// callcoach and this program; keep them so when main imports more.
package main

import (
	_ "archive/tar"
	_ "encoding/csv"
	_ "encoding/json"
	_ "flag"
	_ "os/signal"
	_ "os/user"
	_ "time/tzdata"

	_ "filippo.io/age"
	_ "github.com/charmbracelet/bubbletea"
	_ "github.com/charmbracelet/lipgloss"
	_ "github.com/charmbracelet/x/term"
	_ "github.com/emersion/go-ical"
	_ "github.com/muesli/termenv"

	_ "callcoach/coaching"
	_ "callcoach/coaching/config"
	_ "callcoach/coaching/prompts"
	_ "callcoach/coaching/summary"
	"callcoach/internal/firstframe"
	_ "callcoach/internal/sealed"
	_ "callcoach/storage"
	_ "callcoach/storage/screenlock"
	_ "callcoach/tui"
)

func main() { firstframe.RunHello() }
