package storage

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"

	sqlite3 "modernc.org/sqlite/lib"
)

// What can be wrong with the database file itself, rather than with what
// was asked of it. Each comes wrapped in a *FileError whose message says,
// in a coach's words, what happened and what to do; test for them with
// errors.Is.
var (
	// ErrReadOnly: the Store was opened read-only, or the file, its folder
	// or its disk stopped being writable.
	ErrReadOnly = errors.New("the database cannot be written")
	// ErrDamaged: pages of the file failed the page check; nothing more
	// is written into it.
	ErrDamaged = errors.New("the database file is damaged")
	// ErrDiskFull: the disk (or the file's size limit) is full.
	ErrDiskFull = errors.New("the disk is full")
	// ErrLocked: another program held the file locked past the busy timeout.
	ErrLocked = errors.New("the database is locked by another program")
	// ErrDisk: the disk failed to read or write, or the file could not be
	// reopened.
	ErrDisk = errors.New("the disk failed")
	// ErrUnreachable: a team database's server could not be reached (it
	// is down or restarting, or the network dropped); the write may be
	// tried again once it is back.
	ErrUnreachable = errors.New("the team database cannot be reached")
)

// FileError is a problem with the database file. Error is a sentence for
// the coach (no final full stop, so it can sit inside another); Unwrap
// gives both the kind (ErrDamaged, ...) and the cause for logs.
type FileError struct {
	Kind error
	Err  error
	msg  string
}

func (e *FileError) Error() string   { return e.msg }
func (e *FileError) Unwrap() []error { return []error{e.Kind, e.Err} }

// Explain is the sentence to show a coach for err: the FileError's own
// words without what the Store was doing when it met it (the screen says
// that), and err as it is otherwise.
func Explain(err error) string {
	var fe *FileError
	if errors.As(err, &fe) {
		return fe.Error()
	}
	if c := primaryCode(err); c == sqlite3.SQLITE_CORRUPT || c == sqlite3.SQLITE_NOTADB {
		return damagedError("the database file", err).Error()
	}
	return err.Error()
}

func damagedError(path string, cause error) *FileError {
	return &FileError{Kind: ErrDamaged, Err: cause, msg: fmt.Sprintf(
		"%s is damaged, so callcoach saves nothing more into it: quit, then restore your newest backup "+
			"(callcoach restore FILE), or rescue what can still be read into a new file (callcoach backup NEWFILE)", path)}
}

// fileError turns an error a write met into a *FileError when the file,
// not the write, is at fault, and passes any other error through.
func (s *Store) fileError(err error) error {
	var fe *FileError
	if err == nil || errors.As(err, &fe) {
		return err
	}
	if s.pg {
		if !unreachable(err) {
			return err
		}
		return unreachableError(s.path, err, ": this was not saved there yet")
	}
	code := sqliteCode(err)
	var kind error
	var msg string
	switch code & 0xff {
	case sqlite3.SQLITE_READONLY:
		kind = ErrReadOnly
		msg = fmt.Sprintf("%s can no longer be written (the file, its folder or its disk was made read-only): "+
			"this was not saved; make it writable, then start callcoach again", s.path)
		if code == sqlite3.SQLITE_READONLY_DBMOVED {
			msg = fmt.Sprintf("%s was moved or deleted while callcoach had it open: this was not saved; "+
				"quit and start callcoach again", s.path)
		}
	case sqlite3.SQLITE_FULL:
		kind, msg = ErrDiskFull, "the disk is full: nothing more can be saved until space is freed on it"
	case sqlite3.SQLITE_IOERR:
		if code == sqlite3.SQLITE_IOERR_NOMEM {
			return err
		}
		kind = ErrDisk
		msg = fmt.Sprintf("the disk failed while saving to %s (an input/output error): this was not saved; "+
			"check the disk, then try again", s.path)
	case sqlite3.SQLITE_CANTOPEN:
		kind = ErrDisk
		msg = fmt.Sprintf("%s could not be opened to save (was it or its folder moved, or made read-only?): "+
			"this was not saved", s.path)
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		kind = ErrLocked
		msg = fmt.Sprintf("another program (another callcoach, or sqlite3) is keeping %s locked: "+
			"this was not saved; close that program and try again", s.path)
	case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
		return s.check.fail(damagedError(s.path, err))
	default:
		return err
	}
	return &FileError{Kind: kind, Err: err, msg: msg}
}

// unreachableError is ErrUnreachable for the team database where, its
// sentence ending in then (what became of the write, if any).
func unreachableError(where string, err error, then string) *FileError {
	return &FileError{Kind: ErrUnreachable, Err: err, msg: fmt.Sprintf(
		"the team database %s cannot be reached (is its server down, or the network?)%s", where, then)}
}

// unreachable reports whether err says the PostgreSQL server could not be
// reached or went away, rather than refusing what was asked of it.
func unreachable(err error) bool {
	var ce *pgconn.ConnectError
	var ne net.Error
	switch {
	case errors.As(err, &ce), errors.As(err, &ne), pgconn.Timeout(err), pgconn.SafeToRetry(err),
		errors.Is(err, driver.ErrBadConn), errors.Is(err, pgconn.ErrConnClosed),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNREFUSED):
		return true
	}
	// Class 08 is a connection exception; 57P01-57P03 the server shutting
	// down or starting up.
	code := postgresCode(err)
	return strings.HasPrefix(code, "08") || code == "57P01" || code == "57P02" || code == "57P03"
}
