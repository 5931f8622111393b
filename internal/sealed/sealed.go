// Package sealed reads and writes callcoach's encrypted copies: age files
// (https://age-encryption.org/v1), locked either with a passphrase or to
// one or more age public keys. Its errors are sentences for the coach.
package sealed

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"filippo.io/age"
	"filippo.io/age/armor"
)

// Magic is the first line of every age file; armor.Header starts one
// written as text.
const Magic = "age-encryption.org/v1"

// ErrMixed refuses a passphrase together with public keys: age lets a
// passphrase be a file's only lock.
var ErrMixed = errors.New("--encrypt (a passphrase) and --to (public keys) cannot be used together: age allows a passphrase only as a file's one lock; choose one")

// Recipients turns the age public keys given with --to (age1...) into
// recipients, naming the first one that is not a key.
func Recipients(keys []string) ([]age.Recipient, error) {
	var rs []age.Recipient
	for _, k := range keys {
		parsed, err := age.ParseRecipients(strings.NewReader(k))
		if err != nil || len(parsed) != 1 {
			if strings.HasPrefix(strings.ToUpper(k), "AGE-SECRET-KEY-") {
				// Not echoed: it is a secret key.
				return nil, errors.New("--to was given a secret key (AGE-SECRET-KEY-...); give the public key (age1...) it belongs to, and keep the secret key to yourself")
			}
			return nil, fmt.Errorf("--to %q is not an age public key (one looks like age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p)", k)
		}
		rs = append(rs, parsed[0])
	}
	return rs, nil
}

// Passphrase is the recipient that locks a file with passphrase.
func Passphrase(passphrase string) (age.Recipient, error) {
	if passphrase == "" {
		return nil, ErrEmptyPassphrase
	}
	return age.NewScryptRecipient(passphrase)
}

// ErrEmptyPassphrase refuses to lock or open a file with no passphrase.
var ErrEmptyPassphrase = errors.New("an empty passphrase would protect nothing")

// NewWriter encrypts what is written to it into w, for rs; Close writes
// the last piece and must be called.
func NewWriter(w io.Writer, rs []age.Recipient) (io.WriteCloser, error) {
	return age.Encrypt(w, rs...)
}

// IsSealed says whether the file at path is an age file, binary or
// armored, by its first line.
func IsSealed(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	kind, err := sniff(bufio.NewReader(f))
	return kind != plain, err
}

type kind int

const (
	plain kind = iota
	binary
	armored
)

func sniff(r *bufio.Reader) (kind, error) {
	head, err := r.Peek(len(armor.Header))
	if err != nil && !errors.Is(err, io.EOF) {
		return plain, err
	}
	switch {
	case bytes.HasPrefix(head, []byte(Magic+"\n")):
		return binary, nil
	case bytes.HasPrefix(head, []byte(armor.Header)):
		return armored, nil
	}
	return plain, nil
}

// Keys are what can open a sealed file: a passphrase, asked for only if
// the file was locked with one, or age identity files (--identity).
type Keys struct {
	Passphrase func() (string, error)
	Identities []string
}

// Open opens the age file at path for reading its plaintext. The header
// is unlocked here, so a wrong passphrase or key fails before anything is
// read; damage further on comes out of Read as a *DamagedError. The
// caller closes the reader.
func Open(path string, keys Keys) (*Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	r, err := open(f, path, keys)
	if err != nil {
		f.Close()
		return nil, err
	}
	return r, nil
}

func open(f *os.File, path string, keys Keys) (*Reader, error) {
	br := bufio.NewReader(f)
	k, err := sniff(br)
	if err != nil {
		return nil, err
	}
	var src io.Reader = br
	switch k {
	case plain:
		return nil, fmt.Errorf("%s is not an age file", path)
	case armored:
		src = armor.NewReader(br)
	}
	// Which lock the file has decides what to ask for: read the header
	// alone, then start again from the top.
	hdr, err := age.ExtractHeader(src)
	if err != nil {
		return nil, damaged(path, err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	br.Reset(f)
	src = br
	if k == armored {
		src = armor.NewReader(br)
	}
	var ids []age.Identity
	if bytes.Contains(hdr, []byte("\n-> scrypt ")) {
		if keys.Passphrase == nil {
			return nil, fmt.Errorf("%s is locked with a passphrase, and none can be asked for here", path)
		}
		p, err := keys.Passphrase()
		if err != nil {
			return nil, err
		}
		if p == "" {
			return nil, ErrEmptyPassphrase
		}
		id, err := age.NewScryptIdentity(p)
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
	} else {
		if len(keys.Identities) == 0 {
			return nil, fmt.Errorf("%s is encrypted to age public keys: name the file that holds your age secret key with --identity FILE", path)
		}
		for _, name := range keys.Identities {
			more, err := readIdentities(name)
			if err != nil {
				return nil, err
			}
			ids = append(ids, more...)
		}
	}
	pt, err := age.Decrypt(src, ids...)
	var noMatch *age.NoIdentityMatchError
	switch {
	case errors.As(err, &noMatch) && len(keys.Identities) == 0:
		return nil, fmt.Errorf("%s: wrong passphrase, or the file was not encrypted with a passphrase", path)
	case errors.As(err, &noMatch):
		return nil, fmt.Errorf("%s: none of the keys in %s can open it; it was encrypted to other keys", path, strings.Join(keys.Identities, ", "))
	case err != nil:
		return nil, damaged(path, err)
	}
	return &Reader{r: pt, f: f, path: path}, nil
}

// readIdentities reads an age identity file (AGE-SECRET-KEY-... lines).
func readIdentities(path string) ([]age.Identity, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("could not read the identity file: %w", err)
	}
	defer f.Close()
	ids, err := age.ParseIdentities(bufio.NewReader(f))
	if err != nil {
		return nil, fmt.Errorf("%s is not an age identity file (%v); it should hold a line AGE-SECRET-KEY-..., as age-keygen writes", path, err)
	}
	return ids, nil
}

// Reader reads a sealed file's plaintext. Every chunk is checked as it
// is read; the last one says the file ended where it was meant to.
type Reader struct {
	r    io.Reader
	f    *os.File
	path string
	err  *DamagedError
}

func (r *Reader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		r.err = damaged(r.path, err)
		return n, r.err
	}
	return n, err
}

// Damage is the damage Read found, if any: a reader that gave up (a JSON
// decoder, say) words it in its own way, and this says what lay beneath.
func (r *Reader) Damage() error {
	if r.err == nil {
		return nil
	}
	return r.err
}

// Close closes the file.
func (r *Reader) Close() error { return r.f.Close() }

// DamagedError is a sealed file that cannot be read to its end: cut short,
// changed, or not age's at all past its first line.
type DamagedError struct {
	Path string
	Err  error
}

func (e *DamagedError) Error() string {
	return fmt.Sprintf("the encrypted file %s is damaged or incomplete: %v", e.Path, e.Err)
}

func (e *DamagedError) Unwrap() error { return e.Err }

func damaged(path string, err error) *DamagedError {
	return &DamagedError{Path: path, Err: err}
}
