// Package screenlock keeps the passphrase that unlocks callcoach's screen
// lock, as an Argon2id hash in a small file beside the settings file, with
// the count of wrong passphrases so that a restart does not reset the
// wait between tries. No passphrase is ever written or logged in plain.
//
// The lock protects a screen left unattended, not the file: whoever can
// act as the coach's OS account can delete the file and choose a new
// passphrase (that is also how a forgotten one is reset). The file is
// created readable by its owner only.
package screenlock

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// FileName is the lock file's name, in the settings file's folder.
const FileName = "lock"

// MinLength is the fewest characters a passphrase may have.
const MinLength = 8

// Params are Argon2id's costs. 64 MiB and three passes on two threads take
// about 150 ms on a two-core machine: slow for guessing, quick for the
// coach. RFC 9106's second recommended option is the same but with four
// threads. Hashes keep their own parameters, so changing these later
// leaves older files working.
type Params struct {
	Time      uint32 // passes
	MemoryKiB uint32
	Threads   uint8
}

// DefaultParams are the costs of a new hash.
var DefaultParams = Params{Time: 3, MemoryKiB: 64 << 10, Threads: 2}

const (
	saltLen = 16
	keyLen  = 32
	// maxFileBytes bounds what is read: a lock file is three short lines.
	maxFileBytes = 4 << 10
)

// ErrNotSet says no passphrase has been chosen (there is no lock file).
var ErrNotSet = errors.New("no screen lock passphrase is set")

// DamagedError says the lock file exists but cannot be used. The screen
// stays locked; the text says how to reset it.
type DamagedError struct {
	Path string
	Why  string
}

func (e *DamagedError) Error() string {
	return fmt.Sprintf("the screen lock file %s cannot be used (%s); to reset the lock, quit callcoach (ctrl+c), delete that file, and choose a new passphrase when callcoach asks", e.Path, e.Why)
}

// state is what the lock file holds.
type state struct {
	params   Params
	salt     []byte
	hash     []byte
	failures int       // wrong passphrases since the last right one
	until    time.Time // no try is taken before this
}

// Status reads the lock file at path: nil if a passphrase is set, ErrNotSet
// if there is no file, and a *DamagedError otherwise.
func Status(path string) error {
	_, err := load(path)
	return err
}

// Set chooses the passphrase: it is hashed with a new random salt and
// written to path (0600, replacing any file there in one step), with no
// wrong tries counted. It refuses a passphrase shorter than MinLength.
func Set(path, passphrase string) error {
	if n := utf8.RuneCountInString(passphrase); n < MinLength {
		return fmt.Errorf("a passphrase needs at least %d characters; this one has %d", MinLength, n)
	}
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return fmt.Errorf("make a salt: %w", err)
	}
	p := DefaultParams
	s := state{params: p, salt: salt, hash: argon2.IDKey([]byte(passphrase), salt, p.Time, p.MemoryKiB, p.Threads, keyLen)}
	return write(path, s)
}

// Result is what came of a try.
type Result struct {
	OK bool
	// Failures is the count of wrong passphrases since the last right one.
	Failures int
	// Wait is how long until the next try is taken; 0 for at once.
	Wait time.Duration
	// Refused says the try came during a wait and was not checked.
	Refused bool
}

// Try checks passphrase against the file at path at time now, and
// counts a wrong one there. During a wait nothing is checked. An empty
// passphrase is not a try: the caller asks for one instead.
func Try(path, passphrase string, now time.Time) (Result, error) {
	s, err := load(path)
	if err != nil {
		return Result{}, err
	}
	if now.Before(s.until) {
		return Result{Failures: s.failures, Wait: s.until.Sub(now), Refused: true}, nil
	}
	got := argon2.IDKey([]byte(passphrase), s.salt, s.params.Time, s.params.MemoryKiB, s.params.Threads, uint32(len(s.hash)))
	if subtle.ConstantTimeCompare(got, s.hash) == 1 {
		if s.failures > 0 || !s.until.IsZero() {
			s.failures, s.until = 0, time.Time{}
			if err := write(path, s); err != nil {
				return Result{OK: true}, err
			}
		}
		return Result{OK: true}, nil
	}
	s.failures++
	wait := Wait(s.failures)
	s.until = time.Time{}
	if wait > 0 {
		s.until = now.Add(wait)
	}
	return Result{Failures: s.failures, Wait: wait}, write(path, s)
}

// Free tries, and the waits after them.
const (
	freeTries = 3
	firstWait = 2 * time.Second
	maxWait   = time.Minute
)

// Wait is how long the next try waits after n wrong passphrases in a row:
// nothing for the first two, 2 s after the third, doubling with each one
// more, up to a minute.
func Wait(n int) time.Duration {
	if n < freeTries {
		return 0
	}
	w := firstWait
	for i := freeTries; i < n && w < maxWait; i++ {
		w *= 2
	}
	return min(w, maxWait)
}

// Bounds on the parameters a file may ask for: a damaged or doctored file
// must not make a check take gigabytes or minutes.
const (
	maxMemoryKiB = 1 << 20 // 1 GiB
	maxTime      = 20
	maxThreads   = 16
)

// phc writes the hash as a PHC string.
func (s state) phc() string {
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, s.params.MemoryKiB, s.params.Time, s.params.Threads,
		b64.EncodeToString(s.salt), b64.EncodeToString(s.hash))
}

// parsePHC reads an Argon2id PHC string.
func parsePHC(line string) (state, error) {
	var s state
	parts := strings.Split(line, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return s, errors.New("its first line is not an Argon2id hash")
	}
	if parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return s, fmt.Errorf("its hash is of Argon2 version %q, not %d", strings.TrimPrefix(parts[2], "v="), argon2.Version)
	}
	var m, t, p int
	if n, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || n != 3 || fmt.Sprintf("m=%d,t=%d,p=%d", m, t, p) != parts[3] {
		return s, errors.New("its hash parameters cannot be read")
	}
	if m < 8*p || m > maxMemoryKiB || t < 1 || t > maxTime || p < 1 || p > maxThreads {
		return s, fmt.Errorf("its hash parameters (m=%d, t=%d, p=%d) are out of bounds", m, t, p)
	}
	s.params = Params{Time: uint32(t), MemoryKiB: uint32(m), Threads: uint8(p)}
	var err error
	b64 := base64.RawStdEncoding
	if s.salt, err = b64.DecodeString(parts[4]); err != nil || len(s.salt) < 8 {
		return s, errors.New("its salt is damaged")
	}
	if s.hash, err = b64.DecodeString(parts[5]); err != nil || len(s.hash) < 16 || len(s.hash) > 64 {
		return s, errors.New("its hash is damaged")
	}
	return s, nil
}

// load reads the lock file: the PHC string on the first line, then
// "failures N" and "until TIME" (RFC 3339, UTC) when there were wrong tries.
func load(path string) (state, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return state{}, ErrNotSet
	}
	damaged := func(why string) (state, error) { return state{}, &DamagedError{Path: path, Why: why} }
	if err != nil {
		return damaged("it cannot be read: " + errors.Unwrap(err).Error())
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFileBytes+1))
	if err != nil {
		return damaged("it cannot be read: " + err.Error())
	}
	if len(data) > maxFileBytes {
		return damaged("it is far longer than a lock file")
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	if !sc.Scan() {
		return damaged("it is empty")
	}
	s, err := parsePHC(strings.TrimSpace(sc.Text()))
	if err != nil {
		return damaged(err.Error())
	}
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		name, value, _ := strings.Cut(line, " ")
		switch name {
		case "":
		case "failures":
			n, err := strconv.Atoi(value)
			if err != nil || n < 0 {
				return damaged("its count of wrong passphrases cannot be read")
			}
			s.failures = n
		case "until":
			t, err := time.Parse(time.RFC3339, value)
			if err != nil {
				return damaged("its time to wait until cannot be read")
			}
			s.until = t
		default:
			return damaged(fmt.Sprintf("it has a line %q that a lock file does not", name))
		}
	}
	return s, nil
}

// write puts s in the file at path in one step: a temporary file (0600)
// in the same folder, synced, then renamed over the old one.
func write(path string, s state) error {
	var b strings.Builder
	b.WriteString(s.phc() + "\n")
	if s.failures > 0 {
		fmt.Fprintf(&b, "failures %d\n", s.failures)
	}
	if !s.until.IsZero() {
		fmt.Fprintf(&b, "until %s\n", s.until.UTC().Format(time.RFC3339Nano))
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("make the folder for the screen lock file: %w", err)
	}
	f, err := os.CreateTemp(dir, ".lock-*.tmp") // created 0600
	if err != nil {
		return fmt.Errorf("write the screen lock file: %w", err)
	}
	tmp := f.Name()
	defer os.Remove(tmp) // gone already once renamed
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return fmt.Errorf("write the screen lock file: %w", err)
	}
	if _, err := f.WriteString(b.String()); err != nil {
		f.Close()
		return fmt.Errorf("write the screen lock file: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("write the screen lock file: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write the screen lock file: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write the screen lock file: %w", err)
	}
	return nil
}
