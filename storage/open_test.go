package storage

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"callcoach/coaching"
)

// closedStore makes a callcoach file at path and closes it, so its WAL is
// checkpointed into the file.
func closedStore(t *testing.T, path string) {
	t.Helper()
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

// patchFile overwrites bytes of the file at offset.
func patchFile(t *testing.T, path string, offset int64, b []byte) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt(b, offset); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestOpenRefuses(t *testing.T) {
	tests := []struct {
		name string
		kind OpenErrorKind
		make func(t *testing.T, path string)
		// words the coach's message must contain, beyond the path
		says []string
	}{
		{
			name: "text file", kind: NotDatabase,
			make: func(t *testing.T, path string) {
				if err := os.WriteFile(path, []byte("name,phone\nAnn,0207946\n"), 0o600); err != nil {
					t.Fatal(err)
				}
			},
			says: []string{"not an SQLite database", "not changed"},
		},
		{
			name: "shorter than the header", kind: NotDatabase,
			make: func(t *testing.T, path string) {
				if err := os.WriteFile(path, []byte("SQLite"), 0o600); err != nil {
					t.Fatal(err)
				}
			},
		},
		{
			name: "SQLite header then garbage", kind: Corrupt,
			make: func(t *testing.T, path string) {
				b := append([]byte("SQLite format 3\x00"), []byte(strings.Repeat("garbage!", 512))...)
				if err := os.WriteFile(path, b, 0o600); err != nil {
					t.Fatal(err)
				}
			},
			says: []string{"damaged", "not changed", "backup"},
		},
		{
			name: "bad page size", kind: Corrupt,
			make: func(t *testing.T, path string) {
				closedStore(t, path)
				patchFile(t, path, 16, []byte{0x00, 0x03}) // page size 3: impossible
			},
		},
		{
			name: "damaged schema page", kind: Corrupt,
			make: func(t *testing.T, path string) {
				closedStore(t, path)
				patchFile(t, path, 100, []byte{0x01, 0xff, 0xff, 0xff, 0xff}) // b-tree page type 1 does not exist
			},
		},
		{
			name: "newer callcoach", kind: NewerVersion,
			make: func(t *testing.T, path string) {
				closedStore(t, path)
				db := rawDB(t, path)
				mustExec(t, db, "PRAGMA user_version = "+strconv.Itoa(SchemaVersion()+1))
				if err := db.Close(); err != nil {
					t.Fatal(err)
				}
			},
			says: []string{"newer callcoach", "version " + strconv.Itoa(SchemaVersion()+1), "up to version " + strconv.Itoa(SchemaVersion()), "not changed"},
		},
		{
			name: "newer callcoach, left in its WAL by a crash", kind: NewerVersion,
			make: func(t *testing.T, path string) {
				// Commit the new version to the WAL of a live file, then copy
				// the file and its WAL as a crash would leave them.
				live := filepath.Join(t.TempDir(), "live.db")
				closedStore(t, live)
				db := rawDB(t, live)
				db.SetMaxOpenConns(1)
				mustExec(t, db, "PRAGMA user_version = "+strconv.Itoa(SchemaVersion()+1))
				for _, suffix := range []string{"", "-wal"} {
					b, err := os.ReadFile(live + suffix)
					if err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(path+suffix, b, 0o600); err != nil {
						t.Fatal(err)
					}
				}
			},
		},
		{
			name: "another program's database", kind: NotCallcoach,
			make: func(t *testing.T, path string) {
				db := rawDB(t, path)
				mustExec(t, db, "CREATE TABLE recipes (id INTEGER PRIMARY KEY, title TEXT)")
				if err := db.Close(); err != nil {
					t.Fatal(err)
				}
			},
			says: []string{"is a SQLite database but not a callcoach one", "not changed"},
		},
		{
			name: "another program's application id", kind: NotCallcoach,
			make: func(t *testing.T, path string) {
				db := rawDB(t, path)
				mustExec(t, db, "PRAGMA application_id = 1234")
				mustExec(t, db, "PRAGMA user_version = 1")
				if err := db.Close(); err != nil {
					t.Fatal(err)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "coach file.db")
			tt.make(t, path)
			before := filesHash(t, path)

			s, err := Open(context.Background(), path)
			if err == nil {
				s.Close()
				t.Fatal("Open succeeded; want it refused")
			}
			oe, ok := err.(*OpenError)
			if !ok {
				t.Fatalf("error %v (%T) is not an *OpenError", err, err)
			}
			if oe.Kind != tt.kind {
				t.Errorf("kind = %v, want %v (error: %v; cause: %v)", oe.Kind, tt.kind, err, oe.Err)
			}
			if oe.Err == nil || errors.Unwrap(err) != oe.Err {
				t.Errorf("Unwrap = %v, want the cause", errors.Unwrap(err))
			}
			msg := err.Error()
			for _, w := range append([]string{path}, tt.says...) {
				if !strings.Contains(msg, w) {
					t.Errorf("message %q does not contain %q", msg, w)
				}
			}
			if after := filesHash(t, path); after != before {
				t.Errorf("the refused file was changed: before %s, after %s", before, after)
			}
		})
	}
}

// filesHash describes the database file and its WAL. A reader of a
// WAL-mode file (ours, read-only, as much as the sqlite3 CLI) creates an
// empty WAL if there is none, which changes no data: an empty WAL is
// described as no WAL.
func filesHash(t *testing.T, path string) string {
	t.Helper()
	out := fmt.Sprintf("db %x", fileHash(t, path))
	if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() > 0 {
		out += fmt.Sprintf(", wal %x", fileHash(t, path+"-wal"))
	}
	return out
}

func TestOpenNewerVersionFields(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.db")
	closedStore(t, path)
	db := rawDB(t, path)
	mustExec(t, db, "PRAGMA user_version = "+strconv.Itoa(SchemaVersion()+7))
	db.Close()

	_, err := Open(context.Background(), path)
	var oe *OpenError
	if !errors.As(err, &oe) || oe.Kind != NewerVersion {
		t.Fatalf("err = %v, want NewerVersion", err)
	}
	if oe.FileVersion != SchemaVersion()+7 || oe.KnownVersion != SchemaVersion() {
		t.Errorf("versions = %d, %d; want %d, %d", oe.FileVersion, oe.KnownVersion, SchemaVersion()+7, SchemaVersion())
	}
}

func TestOpenLocked(t *testing.T) {
	const busy = 200 * time.Millisecond
	tests := []struct {
		name string
		// hold takes a lock on path another program's way and returns its release.
		hold func(t *testing.T, path string) func()
	}{
		{
			name: "exclusive lock on a callcoach file",
			hold: func(t *testing.T, path string) func() {
				closedStore(t, path)
				return lockedByAnotherProgram(t, path)
			},
		},
		{
			// SQLite fails the switch to WAL at once here, without waiting:
			// Open must still wait out the busy timeout.
			name: "write transaction held on an empty file",
			hold: func(t *testing.T, path string) func() {
				if err := os.WriteFile(path, nil, 0o600); err != nil {
					t.Fatal(err)
				}
				db := rawDB(t, path)
				tx, err := db.Begin()
				if err != nil {
					t.Fatal(err)
				}
				if _, err := tx.Exec("CREATE TABLE other (x)"); err != nil {
					t.Fatal(err)
				}
				return func() { tx.Rollback(); db.Close() }
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "c.db")
			release := tt.hold(t, path)
			before := filesHash(t, path)
			s, err := open(context.Background(), path, busy)
			oe, ok := err.(*OpenError)
			if !ok || oe.Kind != Locked {
				if s != nil {
					s.Close()
				}
				release()
				t.Fatalf("err = %v, want kind Locked", err)
			}
			if !strings.Contains(err.Error(), "locked by another program") || !strings.Contains(err.Error(), path) {
				t.Errorf("message %q", err)
			}
			if after := filesHash(t, path); after != before {
				t.Errorf("the locked file was changed: before %s, after %s", before, after)
			}
			release()
			s, err = open(context.Background(), path, busy)
			if err != nil {
				t.Fatalf("Open after the lock was released: %v", err)
			}
			s.Close()
		})
	}
}

// TestOpenWaitsForALockToGo: a lock let go while Open waits is waited out,
// not reported. (If the machine is so slow that the lock goes before Open
// even looks, the test still passes: it can never fail for slowness.)
func TestOpenWaitsForALockToGo(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.db")
	closedStore(t, path)
	release := lockedByAnotherProgram(t, path)
	go func() {
		time.Sleep(50 * time.Millisecond) // a moment into Open's wait
		release()
	}()
	s, err := open(context.Background(), path, time.Minute)
	if err != nil {
		t.Fatalf("Open did not wait for the lock to go: %v", err)
	}
	s.Close()
}

// holdLockEnv, when set, makes the test binary the other program of
// lockedByAnotherProgram (see TestMain): it writes to the file named in
// SQLite's exclusive locking mode, says "held", and keeps the lock until
// its input closes.
const holdLockEnv = "CALLCOACH_TEST_HOLD_LOCK"

// lockedByAnotherProgram has another process take and keep an exclusive
// lock on the callcoach file at path, as a program in exclusive locking
// mode does, and returns its release. Another process, as in life: POSIX
// drops a process's locks on a file when it closes any descriptor of it,
// so one held here would be lost the moment Open reads the header.
func lockedByAnotherProgram(t *testing.T, path string) (release func()) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), holdLockEnv+"="+path)
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if line, _ := bufio.NewReader(out).ReadString('\n'); line != "held\n" {
		in.Close()
		cmd.Wait()
		t.Fatalf("the lock holder said %q", line)
	}
	var once sync.Once
	release = func() {
		once.Do(func() {
			in.Close()
			cmd.Wait()
		})
	}
	t.Cleanup(release)
	return release
}

// holdLock is the child of lockedByAnotherProgram.
func holdLock(path string) {
	db, err := sql.Open("sqlite", path+"?_pragma=locking_mode(EXCLUSIVE)")
	if err == nil {
		db.SetMaxOpenConns(1)
		_, err = db.Exec("UPDATE people SET name = name") // a write takes the lock and keeps it
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "lock holder:", err)
		os.Exit(2)
	}
	fmt.Println("held")
	io.Copy(io.Discard, os.Stdin)
	db.Close()
	os.Exit(0)
}

const onLinux = runtime.GOOS == "linux"

// TestCurrentByHeader: a file at this version, closed, is known by its
// header alone, and opened without starting SQLite (which would make a
// -wal and -shm beside it); anything unusual leaves it to SQLite.
func TestCurrentByHeader(t *testing.T) {
	tests := []struct {
		name   string
		change func(t *testing.T, path string)
		want   bool
	}{
		{"closed at this version", func(*testing.T, string) {}, true},
		{"older version", func(t *testing.T, path string) {
			patchFile(t, path, 60, binary.BigEndian.AppendUint32(nil, uint32(SchemaVersion()-1)))
		}, false},
		{"newer version", func(t *testing.T, path string) {
			patchFile(t, path, 60, binary.BigEndian.AppendUint32(nil, uint32(SchemaVersion()+1)))
		}, false},
		{"another application id", func(t *testing.T, path string) {
			patchFile(t, path, 68, []byte{0, 0, 4, 210})
		}, false},
		{"damaged schema page", func(t *testing.T, path string) {
			patchFile(t, path, 100, []byte{0x01})
		}, false},
		{"bad page size", func(t *testing.T, path string) {
			patchFile(t, path, 16, []byte{0x00, 0x03})
		}, false},
		{"rollback journal mode", func(t *testing.T, path string) {
			patchFile(t, path, 18, []byte{1, 1})
		}, false},
		{"shorter than the header says", func(t *testing.T, path string) {
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.Truncate(path, fi.Size()-4096); err != nil {
				t.Fatal(err)
			}
		}, false},
		{"transactions in its WAL", func(t *testing.T, path string) {
			if err := os.WriteFile(path+"-wal", make([]byte, 4096), 0o600); err != nil {
				t.Fatal(err)
			}
		}, false},
		{"a rollback journal beside it", func(t *testing.T, path string) {
			if err := os.WriteFile(path+"-journal", nil, 0o600); err != nil {
				t.Fatal(err)
			}
		}, false},
		{"locked by another program", func(t *testing.T, path string) { lockedByAnotherProgram(t, path) }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "c.db")
			closedStore(t, path)
			tt.change(t, path)
			want := tt.want && onLinux // elsewhere locks cannot be asked about: always SQLite
			if got := currentByHeader(path); got != want {
				t.Errorf("currentByHeader = %v, want %v", got, want)
			}
		})
	}

	path := filepath.Join(t.TempDir(), "c.db")
	closedStore(t, path)
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, suffix := range []string{"-wal", "-shm"} {
		if onLinux && exists(path+suffix) {
			t.Errorf("Open of a current file made %s: SQLite was started before the first query", filepath.Base(path+suffix))
		}
	}
	if n, err := s.CaseloadSize(context.Background()); err != nil || n != 0 {
		t.Fatalf("then a read: %d, %v", n, err)
	}
}

// TestOpenReadsOnlyTheVersionOfACurrentFile: a file already at this
// version is opened by reading its version alone, without the write lock,
// so another program writing to it does not hold the opening up; the
// Store connects at its first query, and reads then work.
func TestOpenReadsOnlyTheVersionOfACurrentFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.db")
	closedStore(t, path)
	db := rawDB(t, path)
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec("UPDATE people SET name = name"); err != nil { // takes the write lock and keeps it
		t.Fatal(err)
	}
	const busy = 2 * time.Second
	start := time.Now()
	s, err := open(context.Background(), path, busy)
	if err != nil {
		t.Fatalf("Open while another program writes: %v", err)
	}
	defer s.Close()
	if waited := time.Since(start); waited >= busy {
		t.Fatalf("Open waited %v for the write lock", waited)
	}
	if n, err := s.CaseloadSize(context.Background()); err != nil || n != 0 {
		t.Fatalf("a read while another program writes: %d, %v", n, err)
	}
}

func TestOpenPragmasOnEveryConnection(t *testing.T) {
	sqliteOnly(t, "SQLite's connection PRAGMAs")
	s := newStore(t)
	ctx := context.Background()
	check := func(t *testing.T, name string, conns int, get func() (*sql.Conn, error)) {
		var held []*sql.Conn // held at once, so each is a different connection
		defer func() {
			for _, c := range held {
				c.Close()
			}
		}()
		for i := range conns {
			c, err := get()
			if err != nil {
				t.Fatal(err)
			}
			held = append(held, c)
			var mode string
			var fk, sync, timeout int
			for q, dst := range map[string]any{
				"PRAGMA journal_mode": &mode, "PRAGMA foreign_keys": &fk,
				"PRAGMA synchronous": &sync, "PRAGMA busy_timeout": &timeout,
			} {
				if err := c.QueryRowContext(ctx, q).Scan(dst); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			if mode != "wal" || fk != 1 || sync != 2 || timeout != int(busyTimeout.Milliseconds()) {
				t.Errorf("%s connection %d: journal_mode=%s foreign_keys=%d synchronous=%d busy_timeout=%d; want wal 1 2 (FULL) %d",
					name, i, mode, fk, sync, timeout, busyTimeout.Milliseconds())
			}
		}
	}
	check(t, "writer", 1, func() (*sql.Conn, error) { return s.rw.Conn(ctx) })
	check(t, "reader", 4, func() (*sql.Conn, error) { return s.ro.Conn(ctx) })
}

func TestReadersCannotWrite(t *testing.T) {
	s := newStore(t)
	_, err := s.ro.Exec("INSERT INTO people (name, created_at, updated_at) VALUES ('x', 'y', 'z')")
	if err == nil {
		t.Fatal("a write through the read pool succeeded")
	}
}

func TestOpenPathNeedsEscaping(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a b?c#d%20e&f=g")
	path := filepath.Join(dir, "my coach?.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	createPerson(t, s, coaching.Person{Name: "Ann"})
	if s.Path() != path {
		t.Errorf("Path = %q, want %q", s.Path(), path)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "my coach?.db" {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("folder holds %q, want just the database", names)
	}
	if fi, err := os.Stat(path); err != nil || fi.Size() == 0 {
		t.Fatalf("database file: %v, %v", fi, err)
	}
}

func TestOpenRelativePathIsMadeAbsolute(t *testing.T) {
	t.Chdir(t.TempDir())
	s, err := Open(context.Background(), "rel.db")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if !filepath.IsAbs(s.Path()) || filepath.Base(s.Path()) != "rel.db" {
		t.Errorf("Path = %q", s.Path())
	}
}

func TestOpenFolderIsOther(t *testing.T) {
	dir := t.TempDir()
	_, err := Open(context.Background(), dir)
	oe, ok := err.(*OpenError)
	if !ok || oe.Kind != Other || !strings.Contains(err.Error(), "is a folder") {
		t.Fatalf("err = %v, want kind Other naming the folder", err)
	}
}

func TestOpenExistingEmptyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "empty.db")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer s.Close()
	if got := userVersion(t, s.ro); got != SchemaVersion() {
		t.Errorf("user_version = %d, want %d", got, SchemaVersion())
	}
}

func TestSecondStoreSeesWrites(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "shared.db")
	a, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("second Open: %v", err)
	}
	defer b.Close()

	id := createPerson(t, a, coaching.Person{Name: "Written by A"})
	got, err := b.GetPerson(ctx, id)
	if err != nil {
		t.Fatalf("B reads A's write: %v", err)
	}
	if got.Name != "Written by A" {
		t.Errorf("B read name %q", got.Name)
	}

	// And the other way, with a write transaction of A's in the way for a
	// moment: B waits for it (busy timeout) rather than failing.
	call, err := b.StartCall(ctx, id, coaching.RoleCoach, t0)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := a.rw.Begin()
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := b.SaveNotes(ctx, call.ID, "notes from B", 1, t0)
		done <- err
	}()
	time.Sleep(100 * time.Millisecond)
	if _, err := tx.Exec("UPDATE people SET updated_at = updated_at"); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("B's save while A held the lock: %v", err)
	}
	c, err := a.GetCall(ctx, call.ID)
	if err != nil || c.Notes != "notes from B" {
		t.Fatalf("A reads B's notes: %q, %v", c.Notes, err)
	}
}

func userVersion(t *testing.T, db *sql.DB) int {
	t.Helper()
	var v int
	if err := db.QueryRow("PRAGMA user_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}
