package storage

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	sqlite3 "modernc.org/sqlite/lib"
)

// busyTimeout is how long an operation waits for another program's lock
// on the file before giving up.
const busyTimeout = 5 * time.Second

// sqliteMagic starts every SQLite 3 database file.
var sqliteMagic = []byte("SQLite format 3\x00")

// OpenErrorKind says why a database could not be opened.
type OpenErrorKind int

// The reasons Open refuses or fails. For every kind but Other the file is
// left exactly as it was.
const (
	Other        OpenErrorKind = iota // anything else; see Err
	NotDatabase                       // the file is not an SQLite database at all
	Corrupt                           // an SQLite file that cannot be read
	NewerVersion                      // written by a newer callcoach
	NotCallcoach                      // another program's SQLite database
	Locked                            // another program held a lock past the busy timeout
	StrayWAL                          // the -wal file beside it holds another database's changes
)

func (k OpenErrorKind) String() string {
	switch k {
	case NotDatabase:
		return "not a database"
	case Corrupt:
		return "corrupt"
	case NewerVersion:
		return "newer version"
	case NotCallcoach:
		return "not callcoach"
	case Locked:
		return "locked"
	case StrayWAL:
		return "stray wal"
	default:
		return "other"
	}
}

// OpenError is why Open failed. Its Error is a sentence a coach can act on;
// Unwrap gives the cause for logs.
type OpenError struct {
	Path string
	Kind OpenErrorKind
	Err  error
	// FileVersion and KnownVersion are set for NewerVersion: the file's
	// schema version and the newest this build knows.
	FileVersion, KnownVersion int
}

func (e *OpenError) Error() string {
	switch e.Kind {
	case NotDatabase:
		return fmt.Sprintf("%s is not a callcoach database (it is not an SQLite database at all); it was not changed. Check the path, or choose another file.", e.Path)
	case Corrupt:
		return fmt.Sprintf("the database %s is damaged and cannot be read; it was not changed. Restore it from a backup, or choose another file.", e.Path)
	case NewerVersion:
		return fmt.Sprintf("the database %s was written by a newer callcoach (schema version %d; this callcoach knows up to version %d); it was not changed. Use a newer callcoach to open it.", e.Path, e.FileVersion, e.KnownVersion)
	case NotCallcoach:
		return fmt.Sprintf("%s is a SQLite database but not a callcoach one; it was not changed. Check the path, or choose another file.", e.Path)
	case Locked:
		return fmt.Sprintf("the database %s is locked by another program (perhaps another callcoach or sqlite3) and stayed locked; close that program and try again.", e.Path)
	case StrayWAL:
		return fmt.Sprintf("the file %s-wal beside the database does not belong to it: it holds another database's changes. Nothing was changed. Move %s-wal into another folder (keep it until you are sure it is not needed), then try again.", e.Path, e.Path)
	default:
		return fmt.Sprintf("could not open the database %s: %v", e.Path, e.Err)
	}
}

func (e *OpenError) Unwrap() error { return e.Err }

func newerVersionError(path string, file, known int) *OpenError {
	return &OpenError{
		Path: path, Kind: NewerVersion,
		Err:         fmt.Errorf("schema version %d is newer than %d", file, known),
		FileVersion: file, KnownVersion: known,
	}
}

// Open opens the callcoach database at path, creating it (0600, in a 0700
// folder) if it does not exist and migrating an older file forward. A file
// that is not callcoach's, is damaged, comes from a newer callcoach, or has
// another database's -wal beside it is refused with an *OpenError before
// anything writes to it. A file that is readable but cannot be written
// (it, its folder or its disk is read-only) is opened read-only: see
// ReadOnly. An existing file others could read is made private (see
// Notices). Writes wait for the page check: see CheckPages.
//
// A file already at this build's schema version is read no further than
// that version (and what refusing it needs): the Store connects at its
// first query, so a program can draw its first screen before anything
// else is read.
func Open(ctx context.Context, path string) (*Store, error) {
	return openWith(ctx, path, openOptions{busy: busyTimeout})
}

// OpenReadOnly opens the existing callcoach database at path for reading
// only, as Open does by itself when the file cannot be written: nothing,
// not even a migration, is written to it, and every write is refused with
// ErrReadOnly.
func OpenReadOnly(ctx context.Context, path string) (*Store, error) {
	return openWith(ctx, path, openOptions{busy: busyTimeout, readOnly: askedReadOnly})
}

// openOptions are what tests change about opening.
type openOptions struct {
	busy time.Duration
	// readOnly, if set, opens the file read-only for this reason.
	readOnly string
	// canWrite says whether this process may write to a path (the file,
	// or its folder); nil asks the system. Root may write anywhere, so
	// tests running as root say otherwise through it.
	canWrite func(path string) error
}

func open(ctx context.Context, path string, busy time.Duration) (*Store, error) {
	return openWith(ctx, path, openOptions{busy: busy})
}

func openWith(ctx context.Context, path string, opts openOptions) (*Store, error) {
	if IsPostgresURL(path) {
		return openPostgres(ctx, path, opts.readOnly)
	}
	if opts.canWrite == nil {
		opts.canWrite = canWrite
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, &OpenError{Path: path, Kind: Other, Err: err}
	}
	if opts.readOnly != "" {
		return openReadOnly(ctx, abs, opts, opts.readOnly)
	}
	created, err := ensureFile(abs)
	if errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS) {
		err = fmt.Errorf("there is no database there, and one cannot be made because you cannot write to its folder (%w)", err)
	}
	if err != nil {
		return nil, &OpenError{Path: abs, Kind: Other, Err: err}
	}
	var notices []string
	current := false
	if !created {
		if why := unwritable(abs, opts.canWrite); why != "" {
			return openReadOnly(ctx, abs, opts, why)
		}
		version := SchemaVersion()
		if !currentByHeader(abs) {
			if version, err = inspectVersion(ctx, abs, opts.busy, inspectDSN(abs, opts.busy)); err != nil {
				return nil, err
			}
		}
		if version > 0 && version < SchemaVersion() {
			// Migrating writes into the file: check its pages first.
			if err := checkBeforeMigrating(ctx, abs, opts.busy); err != nil {
				return nil, err
			}
		}
		current = version == SchemaVersion()
		notices = makePrivate(abs)
	}

	// sql.Open connects to nothing: the pools connect at their first
	// query. A file at this build's version has been read no further than
	// its header, so opening it costs one small read; a new, empty or
	// older one is set up or brought up to date now, before anything
	// reads it.
	rw, err := sql.Open("sqlite", storeDSN(abs, opts.busy, false))
	if err != nil {
		return nil, classify(abs, err)
	}
	rw.SetMaxOpenConns(1)
	if !current {
		if err := migrateWaiting(ctx, rw, abs, opts.busy); err != nil {
			rw.Close()
			return nil, classify(abs, err)
		}
	}

	ro, err := sql.Open("sqlite", storeDSN(abs, opts.busy, true))
	if err != nil {
		rw.Close()
		return nil, classify(abs, err)
	}
	ro.SetMaxOpenConns(4)
	ro.SetMaxIdleConns(4)
	host, _ := os.Hostname()
	fi, err := os.Stat(abs)
	if err != nil {
		ro.Close()
		rw.Close()
		return nil, &OpenError{Path: abs, Kind: Other, Err: err}
	}
	s := &Store{path: abs, rw: rw, ro: ro, src: inspectDSN(abs, opts.busy), notices: notices,
		host: host, file: fi}
	s.index = newNotesIndexer(s.IndexNotes)
	s.index.tidy = s.tidyFinder
	if created {
		s.check.pass() // nothing in it to check
	}
	// Notes a killed program saved but never indexed are indexed once
	// writes may go in; this never starts the page check itself.
	s.index.whenPassed(s.check.passed())
	return s, nil
}

// checkBeforeMigrating refuses a file whose pages fail the check.
func checkBeforeMigrating(ctx context.Context, path string, busy time.Duration) error {
	db, err := sql.Open("sqlite", inspectDSN(path, busy))
	if err != nil {
		return classify(path, err)
	}
	defer db.Close()
	findings, err := quickCheck(ctx, db)
	if err == nil && len(findings) > 0 {
		err = fmt.Errorf("page check: %s", strings.Join(findings, "; "))
		return &OpenError{Path: path, Kind: Corrupt, Err: err}
	}
	if err != nil {
		return classify(path, err)
	}
	return nil
}

// migrateWaiting migrates, retrying while another program holds a lock,
// for up to busy. The busy timeout alone is not enough: SQLite fails a
// switch to WAL at once, without waiting, if another connection is
// writing, and a new connection's first act is that switch.
func migrateWaiting(ctx context.Context, db *sql.DB, path string, busy time.Duration) error {
	deadline := time.Now().Add(busy)
	for {
		err := migrate(ctx, db, path, SchemaVersion())
		if primaryCode(err) != sqlite3.SQLITE_BUSY || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return errors.Join(err, ctx.Err())
		case <-time.After(busy / 20):
		}
	}
}

// ensureFile creates the file, 0600 from birth, if it is missing, and
// reports whether it did.
func ensureFile(path string) (created bool, err error) {
	fi, err := os.Stat(path)
	switch {
	case err == nil:
		if fi.IsDir() {
			return false, fmt.Errorf("%s is a folder, not a file", path)
		}
		return false, nil
	case !errors.Is(err, fs.ErrNotExist):
		return false, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return false, err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return false, nil // created by someone else meanwhile: inspect theirs
	}
	if err != nil {
		return false, err
	}
	return true, f.Close()
}

// inspect decides, reading only, whether an existing file may be opened
// for writing: it must be empty or a callcoach database no newer than this
// build, with no other database's -wal beside it.
func inspect(ctx context.Context, path string, busy time.Duration) error {
	_, err := inspectVersion(ctx, path, busy, inspectDSN(path, busy))
	return err
}

// inspectVersion is inspect reading through dsn; it returns the file's
// schema version, 0 for an empty file.
func inspectVersion(ctx context.Context, path string, busy time.Duration, dsn string) (int, error) {
	if err := checkHeader(path); err != nil {
		return 0, err
	}
	wal := walHasFrames(path)
	if wal {
		if err := checkWALBelongs(ctx, path, busy, dsn); err != nil {
			return 0, err
		}
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return 0, classify(path, err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)

	var appID, version, objects int
	err = db.QueryRowContext(ctx, `SELECT
		(SELECT application_id FROM pragma_application_id),
		(SELECT user_version FROM pragma_user_version),
		(SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite\_%' ESCAPE '\')`,
	).Scan(&appID, &version, &objects)
	if err != nil {
		oe := classify(path, fmt.Errorf("read schema version: %w", err))
		if oe.Kind == Corrupt && wal && soundWithoutWAL(ctx, path, busy) {
			return 0, strayWALError(path, err)
		}
		return 0, oe
	}
	switch {
	case appID == applicationID:
		if version > SchemaVersion() {
			return 0, newerVersionError(path, version, SchemaVersion())
		}
		return version, nil
	case appID == 0 && objects == 0 && version == 0:
		return 0, nil // an empty database: ours to set up
	default:
		return 0, &OpenError{Path: path, Kind: NotCallcoach,
			Err: fmt.Errorf("application_id %#x, user_version %d, %d schema objects", appID, version, objects)}
	}
}

// checkHeader refuses a non-empty file that does not start as SQLite
// files do, before SQLite is let near it.
func checkHeader(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return &OpenError{Path: path, Kind: Other, Err: err}
	}
	defer f.Close()
	head := make([]byte, len(sqliteMagic))
	n, err := io.ReadFull(f, head)
	switch {
	case n == 0 && errors.Is(err, io.EOF):
		return nil // an empty file is an empty database
	case errors.Is(err, io.ErrUnexpectedEOF), err == nil && !bytes.Equal(head, sqliteMagic):
		return &OpenError{Path: path, Kind: NotDatabase, Err: errors.New("file does not start with the SQLite header")}
	case err != nil:
		return &OpenError{Path: path, Kind: Other, Err: err}
	}
	return nil
}

// storeDSN is the modernc.org/sqlite data source name the Store's pools
// use. Readers also get query_only, so a bug cannot write through them.
func storeDSN(path string, busy time.Duration, readers bool) string {
	q := url.Values{}
	q.Add("_pragma", busyPragma(busy))
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	if readers {
		q.Add("_pragma", "query_only(1)")
	} else {
		// What is deleted or overwritten is zeroed in the file, not left in
		// free space (an erasure relies on it: docs/security.md).
		q.Add("_pragma", "secure_delete(1)")
	}
	q.Set("_txlock", "immediate")
	return fileURI(path, q)
}

// inspectDSN opens the file read-only (SQLite's mode=ro) and sets nothing
// that could write: no journal_mode.
func inspectDSN(path string, busy time.Duration) string {
	q := url.Values{}
	q.Add("_pragma", busyPragma(busy))
	q.Set("mode", "ro")
	return fileURI(path, q)
}

func busyPragma(busy time.Duration) string {
	return "busy_timeout(" + strconv.FormatInt(busy.Milliseconds(), 10) + ")"
}

// fileURI escapes path as a URI path, so spaces, '?', '#' and '%' in it
// are safe: SQLite decodes %XX in file: URIs.
func fileURI(path string, q url.Values) string {
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // file:///C:/x on Windows
	}
	u := url.URL{Scheme: "file", Path: p, RawQuery: q.Encode()}
	return u.String()
}

// classify turns an error met while opening into an *OpenError.
func classify(path string, err error) *OpenError {
	var oe *OpenError
	if errors.As(err, &oe) {
		return oe
	}
	kind := Other
	switch primaryCode(err) {
	case sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT:
		kind = Corrupt
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		kind = Locked
	}
	return &OpenError{Path: path, Kind: kind, Err: err}
}
