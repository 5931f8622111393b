package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"

	xterm "github.com/charmbracelet/x/term"
)

// maxPassphrase is the longest passphrase line read from standard input:
// enough for any passphrase, and it keeps a wrong file piped in from being
// read whole.
const maxPassphrase = 1024

// passphraseSource asks for a passphrase: at the terminal without echo
// when standard input is one, else as one line of standard input, so a
// script can pipe it in. It is never printed or logged.
type passphraseSource struct {
	stdin  io.Reader
	stderr io.Writer
}

// ask reads a passphrase for what (a file's name). With confirm, at a
// terminal, it is asked twice and the two must match.
func (p passphraseSource) ask(what string, confirm bool) (string, error) {
	f, ok := p.stdin.(*os.File)
	if !ok || !xterm.IsTerminal(f.Fd()) {
		return readLine(p.stdin)
	}
	first, err := p.askTerminal(f, fmt.Sprintf("Passphrase for %s: ", what))
	if err != nil || !confirm || first == "" {
		return first, err
	}
	again, err := p.askTerminal(f, "Again, to confirm: ")
	if err != nil {
		return "", err
	}
	if again != first {
		return "", errors.New("the two passphrases differ")
	}
	return first, nil
}

// askTerminal reads one passphrase at the terminal with echo off, and
// turns echo back on if ctrl+c ends the program meanwhile.
func (p passphraseSource) askTerminal(f *os.File, prompt string) (string, error) {
	fmt.Fprint(p.stderr, prompt)
	state, err := xterm.GetState(f.Fd())
	if err != nil {
		return "", err
	}
	interrupt := make(chan os.Signal, 1)
	signal.Notify(interrupt, os.Interrupt)
	done := make(chan struct{})
	go func() {
		select {
		case <-interrupt:
			xterm.Restore(f.Fd(), state)
			fmt.Fprintln(p.stderr)
			os.Exit(130)
		case <-done:
		}
	}()
	b, err := xterm.ReadPassword(f.Fd())
	close(done)
	signal.Stop(interrupt)
	fmt.Fprintln(p.stderr) // the Enter that was not echoed
	if err != nil {
		return "", fmt.Errorf("could not read the passphrase: %w", err)
	}
	return string(b), nil
}

// readLine reads one line from r, byte by byte so nothing after it is
// taken, without its line ending.
func readLine(r io.Reader) (string, error) {
	var line []byte
	b := make([]byte, 1)
	for len(line) <= maxPassphrase {
		n, err := r.Read(b)
		if n == 1 {
			if b[0] == '\n' {
				break
			}
			line = append(line, b[0])
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", fmt.Errorf("could not read the passphrase from standard input: %w", err)
		}
	}
	if len(line) > maxPassphrase {
		return "", fmt.Errorf("the passphrase line on standard input is longer than %d bytes; is the right thing piped in?", maxPassphrase)
	}
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return string(line), nil
}
