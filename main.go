// Command callcoach is a keyboard-first terminal companion for telephone
// health coaches and peer-support volunteers. See README.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"syscall"
	"time"
	_ "time/tzdata" // time zones work even where the system has no zoneinfo

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"callcoach/coaching"
	"callcoach/storage"
	"callcoach/tui"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

const usage = `callcoach: a companion for telephone health coaching calls.

Usage:
  callcoach [--db PATH]             open your caseload
  callcoach demo [--db PATH] [--reset]
                                    open a sample caseload (kept apart from yours)
  callcoach version                 print the version

Your caseload is kept in %s unless --db says otherwise.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	cmd := ""
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	fs := flag.NewFlagSet("callcoach", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbPath := fs.String("db", "", "the database file to use")
	reset := false
	if cmd == "demo" {
		fs.BoolVar(&reset, "reset", false, "rebuild the sample caseload from scratch")
	}
	fs.Usage = func() { fmt.Fprintf(stderr, usage, defaultPath("callcoach.db")) }
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "callcoach: unexpected %q\n", fs.Arg(0))
		fs.Usage()
		return 2
	}

	switch cmd {
	case "version":
		fmt.Fprintf(stdout, "callcoach %s (%s, %s/%s)\n", version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
		return 0
	case "", "demo":
	case "help":
		fs.Usage()
		return 0
	default:
		fmt.Fprintf(stderr, "callcoach: unknown command %q\n", cmd)
		fs.Usage()
		return 2
	}

	ctx := context.Background()
	path := *dbPath
	if path == "" {
		name := "callcoach.db"
		if cmd == "demo" {
			name = "demo.db"
		}
		path = defaultPath(name)
	}
	if cmd == "demo" {
		if err := prepareDemo(ctx, path, reset); err != nil {
			fmt.Fprintln(stderr, "callcoach:", err)
			return 1
		}
	}
	store, err := storage.Open(ctx, path)
	if err != nil {
		fmt.Fprintln(stderr, "callcoach:", err)
		return 1
	}
	defer store.Close()
	return runTUI(ctx, store, stderr)
}

func runTUI(ctx context.Context, store *storage.Store, stderr io.Writer) int {
	r := lipgloss.NewRenderer(os.Stdout)
	// Ask the terminal for its background now, before bubbletea reads the
	// keyboard: asked later, from the first View, the two race for the
	// terminal's answer and the screen can stay blank for seconds. Without
	// colour there is nothing to ask.
	dark := true
	if r.ColorProfile() != termenv.Ascii {
		dark = r.HasDarkBackground()
	}
	r.SetHasDarkBackground(dark)
	app := tui.NewApp(tui.NewCommon(ctx, store, r))
	p := tea.NewProgram(app, tea.WithAltScreen(), tea.WithContext(ctx))

	// A closed terminal sends SIGHUP: end the program the normal way so the
	// notes are flushed below.
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go func() {
		if _, ok := <-hup; ok {
			p.Quit()
		}
	}()
	defer signal.Stop(hup)

	final, err := p.Run()
	code := 0
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) && !errors.Is(err, tea.ErrInterrupted) {
		fmt.Fprintln(stderr, "callcoach:", err)
		code = 1
	}
	if a, ok := final.(tui.App); ok {
		if ferr := a.Flush(); ferr != nil {
			fmt.Fprintln(stderr, "callcoach: the last notes could not be saved:", ferr)
			code = 1
		}
	}
	return code
}

// prepareDemo makes the sample caseload if the file is new (or --reset).
func prepareDemo(ctx context.Context, path string, reset bool) error {
	if reset {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if err := os.Remove(path + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
				return fmt.Errorf("remove the old sample caseload: %w", err)
			}
		}
	}
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	store, err := storage.Open(ctx, path)
	if err != nil {
		return err
	}
	defer store.Close()
	return store.Seed(ctx, coaching.SampleCaseload(time.Now()))
}

// defaultPath is where callcoach keeps its files: the XDG data directory
// on Linux and the BSDs, the usual application data folder elsewhere.
func defaultPath(name string) string {
	dir := os.Getenv("XDG_DATA_HOME")
	if dir == "" || !filepath.IsAbs(dir) {
		home, err := os.UserHomeDir()
		if err != nil {
			home = "."
		}
		switch runtime.GOOS {
		case "darwin":
			dir = filepath.Join(home, "Library", "Application Support")
		case "windows":
			if d := os.Getenv("LOCALAPPDATA"); d != "" {
				dir = d
			} else {
				dir = filepath.Join(home, "AppData", "Local")
			}
		default:
			dir = filepath.Join(home, ".local", "share")
		}
	}
	return filepath.Join(dir, "callcoach", name)
}
