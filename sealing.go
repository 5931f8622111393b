package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"filippo.io/age"
	xterm "github.com/charmbracelet/x/term"

	"callcoach/internal/sealed"
)

// stringList is a flag that may be given more than once.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ", ") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

// sealFlags are the flags that make backup and export write an encrypted
// copy (an age file).
type sealFlags struct {
	passphrase bool
	to         stringList
	keys       []age.Recipient
}

func (s *sealFlags) register(fs *flag.FlagSet) {
	fs.BoolVar(&s.passphrase, "encrypt", false, "encrypt the copy with a passphrase, asked for at the terminal (or one line on standard input)")
	fs.Var(&s.to, "to", "encrypt the copy to this age public key (age1...); repeat for more")
}

// on says whether the copy is to be encrypted.
func (s *sealFlags) on() bool { return s.passphrase || len(s.to) > 0 }

// check refuses flags that do not go together and keys that are not
// keys, before any work is done.
func (s *sealFlags) check() error {
	if s.passphrase && len(s.to) > 0 {
		return sealed.ErrMixed
	}
	keys, err := sealed.Recipients(s.to)
	s.keys = keys
	return err
}

// recipients are what the copy is locked to: the public keys, or the
// passphrase asked for now (twice at a terminal).
func (s *sealFlags) recipients(ask passphraseSource, what string) ([]age.Recipient, error) {
	if !s.passphrase {
		return s.keys, nil
	}
	p, err := ask.ask(what, true)
	if err != nil {
		return nil, err
	}
	r, err := sealed.Passphrase(p)
	if errors.Is(err, sealed.ErrEmptyPassphrase) {
		return nil, fmt.Errorf("%w (callcoach asks for it at the terminal, or reads one line from standard input)", err)
	}
	return []age.Recipient{r}, err
}

// unsealKeys are what restore and import open an encrypted file with.
func unsealKeys(ask passphraseSource, file string, identities []string) sealed.Keys {
	return sealed.Keys{
		Passphrase: func() (string, error) { return ask.ask(file, false) },
		Identities: identities,
	}
}

// plainCopyNote is the one-line reminder for an unencrypted copy of
// health data at path (written already), or "" when path is inside
// callcoach's data folder or the folder of the database it came from:
// the copy is then beside the data it copies, and no more exposed.
func plainCopyNote(path, dbPath string) string {
	at := resolved(path)
	for _, folder := range []string{filepath.Dir(defaultPath("callcoach.db")), filepath.Dir(dbPath)} {
		if within(at, resolved(folder)) {
			return ""
		}
	}
	return fmt.Sprintf("Note: %s is not encrypted and is outside callcoach's data folder; it holds health data. Use --encrypt or --to to protect copies that leave this machine.", path)
}

// stdoutNote is the reminder for an unencrypted export written to
// standard output that is not a terminal: it is going into a file or
// another program.
func stdoutNote(stdout io.Writer) string {
	if f, ok := stdout.(*os.File); ok && isTerminal(f) {
		return ""
	}
	return "Note: this export is not encrypted and is leaving callcoach's data folder; it holds health data. Use --encrypt or --to to protect copies that leave this machine."
}

func isTerminal(f *os.File) bool { return xterm.IsTerminal(f.Fd()) }

// resolved is path made absolute with its links followed, as far as it
// exists.
func resolved(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	if r, err := filepath.EvalSymlinks(path); err == nil {
		return r
	}
	return path
}

// within says whether path is folder or inside it.
func within(path, folder string) bool {
	rel, err := filepath.Rel(folder, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
