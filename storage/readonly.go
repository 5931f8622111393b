package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// ReadOnly is why the Store cannot write, nil if it can: a *FileError
// wrapping ErrReadOnly whose message says why and what to do. Every write
// of a read-only Store returns it; every read works.
func (s *Store) ReadOnly() error {
	if s.readOnly == nil {
		return nil
	}
	return s.readOnly
}

// Notices are what Open did to the file that the coach should hear of, a
// sentence each (a file others could read made private).
func (s *Store) Notices() []string { return s.notices }

// unwritable says why this process cannot write the database at path (the
// file, or its folder, where SQLite makes the -wal and -shm of a file in
// use), or "" if it can.
func unwritable(path string, canWrite func(string) error) string {
	if err := canWrite(path); err != nil {
		if errors.Is(err, syscall.EROFS) {
			return "the disk it is on is read-only"
		}
		return "you cannot write to it"
	}
	dir := filepath.Dir(path)
	if err := canWrite(dir); err != nil {
		if errors.Is(err, syscall.EROFS) {
			return "the disk it is on is read-only"
		}
		return "you cannot write to its folder (callcoach keeps working files beside it)"
	}
	return ""
}

// openReadOnly opens the existing file at path for reading only. SQLite
// reads a file in WAL mode through its -shm, which it must be able to make
// unless the folder already has one; where it cannot (a read-only folder
// and no -shm), the file is read as immutable, which is safe because
// nobody who cannot make the -shm can write the file either, and is only
// right if no -wal holds changes the file lacks.
func openReadOnly(ctx context.Context, path string, opts openOptions, why string) (*Store, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, &OpenError{Path: path, Kind: Other, Err: err}
	}
	immutable := false
	if opts.canWrite(filepath.Dir(path)) != nil && !exists(path+"-shm") {
		if walHasFrames(path) {
			return nil, &OpenError{Path: path, Kind: Other, Err: fmt.Errorf(
				"%s-wal holds changes not yet written into it, and they cannot be read because %s; "+
					"make the folder writable, then try again", path, why)}
		}
		immutable = true
	}
	version, err := inspectVersion(ctx, path, opts.busy, readDSN(path, opts.busy, immutable, false))
	if err != nil {
		return nil, err
	}
	switch {
	case version == 0:
		return nil, &OpenError{Path: path, Kind: Other, Err: fmt.Errorf(
			"it is empty, and cannot be set up because %s", why)}
	case version < SchemaVersion():
		return nil, &OpenError{Path: path, Kind: Other, Err: fmt.Errorf(
			"it was written by an older callcoach and must be updated before it can be read, which cannot be done because %s", why)}
	}
	ro, err := sql.Open("sqlite", readDSN(path, opts.busy, immutable, true))
	if err != nil {
		return nil, classify(path, err)
	}
	ro.SetMaxOpenConns(4)
	ro.SetMaxIdleConns(4)
	s := &Store{path: path, ro: ro, src: readDSN(path, opts.busy, immutable, false), readOnly: readOnlyError(path, why)}
	s.index = newNotesIndexer(s.IndexNotes) // never runs: nothing is saved
	return s, nil
}

// askedReadOnly is why a Store from OpenReadOnly is read-only.
const askedReadOnly = "it was asked to"

func readOnlyError(path, why string) *FileError {
	msg := fmt.Sprintf("nothing can be saved: callcoach opened %s read-only, because %s", path, why)
	if why != askedReadOnly {
		msg += "; make it writable, then restart callcoach to make changes"
	}
	return &FileError{Kind: ErrReadOnly, Err: errors.New(why), msg: msg}
}

// readDSN reads the file and never writes it: SQLite's mode=ro, and with
// immutable the file alone, without locks. Readers also get query_only
// and the foreign keys pragma the Store's queries expect.
func readDSN(path string, busy time.Duration, immutable, readers bool) string {
	q := url.Values{}
	q.Add("_pragma", busyPragma(busy))
	if readers {
		q.Add("_pragma", "foreign_keys(1)")
		q.Add("_pragma", "query_only(1)")
	}
	q.Set("mode", "ro")
	if immutable {
		q.Set("immutable", "1")
	}
	return fileURI(path, q)
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return !errors.Is(err, fs.ErrNotExist)
}
