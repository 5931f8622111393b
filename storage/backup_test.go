package storage

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"callcoach/coaching"
)

// populated opens a store at path with people Ann, Bea, ... each with one call.
func populated(t *testing.T, path string, names ...string) *Store {
	t.Helper()
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	for _, name := range names {
		id := createPerson(t, s, coaching.Person{Name: name})
		if _, err := s.StartCall(context.Background(), id, coaching.RoleCoach, t0); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// peopleAndCalls counts what the store at path holds, opening it as the app would.
func peopleAndCalls(t *testing.T, path string) Copy {
	t.Helper()
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open %s: %v", path, err)
	}
	defer s.Close()
	var c Copy
	if err := s.ro.QueryRow("SELECT (SELECT count(*) FROM people), (SELECT count(*) FROM calls)").Scan(&c.People, &c.Calls); err != nil {
		t.Fatal(err)
	}
	return c
}

// names lists the files in dir.
func names(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		out = append(out, e.Name())
	}
	return out
}

func TestBackup(t *testing.T) {
	dir := t.TempDir()
	s := populated(t, filepath.Join(dir, "callcoach.db"), "Ann", "Bea", "Carlos")
	dest := filepath.Join(t.TempDir(), "backup.db")

	got, err := s.Backup(context.Background(), dest)
	if err != nil {
		t.Fatal(err)
	}
	if want := (Copy{People: 3, Calls: 3}); got != want {
		t.Errorf("Backup reported %+v, want %+v", got, want)
	}
	fi, err := os.Stat(dest)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("backup mode %v, want 0600", fi.Mode().Perm())
	}
	if got := names(t, filepath.Dir(dest)); !slices.Equal(got, []string{"backup.db"}) {
		t.Errorf("backup folder holds %v, want only backup.db", got)
	}
	if got := peopleAndCalls(t, dest); got != (Copy{People: 3, Calls: 3}) {
		t.Errorf("the copy holds %+v", got)
	}
}

func TestBackupRefusesExistingDest(t *testing.T) {
	s := newStore(t)
	createPerson(t, s, coaching.Person{Name: "Ann"})
	dir := t.TempDir()
	dest := filepath.Join(dir, "backup.db")
	if err := os.WriteFile(dest, []byte("last week's backup"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := s.Backup(context.Background(), dest)
	if err == nil || !strings.Contains(err.Error(), dest) || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("err = %v, want a refusal naming %s", err, dest)
	}
	if b, _ := os.ReadFile(dest); string(b) != "last week's backup" {
		t.Errorf("dest changed to %q", b)
	}
	if got := names(t, dir); !slices.Equal(got, []string{"backup.db"}) {
		t.Errorf("folder holds %v after a refusal", got)
	}
}

func TestBackupFailureLeavesNothing(t *testing.T) {
	s := newStore(t)
	createPerson(t, s, coaching.Person{Name: "Ann"})
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Backup(ctx, filepath.Join(dir, "backup.db")); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if got := names(t, dir); len(got) != 0 {
		t.Errorf("a failed backup left %v", got)
	}
	if _, err := s.Backup(context.Background(), filepath.Join(dir, "no such folder", "backup.db")); err == nil {
		t.Fatal("backup into a missing folder succeeded")
	}
	if got := names(t, dir); len(got) != 0 {
		t.Errorf("a failed backup left %v", got)
	}
}

// TestBackupWhileAnotherStoreWrites backs up while a second Store on the
// same file (as another callcoach would) keeps adding people: every copy
// is whole, and no copy holds fewer people than the one before.
func TestBackupWhileAnotherStoreWrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "callcoach.db")
	a := populated(t, path, "Ann")
	b, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()

	stop := make(chan struct{})
	var wg sync.WaitGroup
	var writeErr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			p := coaching.Person{Name: "Writer " + strconv.Itoa(i)}
			if err := p.Normalize(time.LoadLocation); err != nil {
				writeErr = err
				return
			}
			if _, err := b.CreatePerson(context.Background(), p, t0); err != nil {
				writeErr = err
				return
			}
		}
	}()

	dir := t.TempDir()
	last := 0
	for i := range 5 {
		dest := filepath.Join(dir, "backup"+strconv.Itoa(i)+".db")
		c, err := a.Backup(context.Background(), dest)
		if err != nil {
			close(stop)
			wg.Wait()
			t.Fatalf("backup %d: %v", i, err)
		}
		if c.People < last || c.Calls != 1 {
			t.Errorf("backup %d holds %+v after one with %d people", i, c, last)
		}
		last = c.People
	}
	close(stop)
	wg.Wait()
	if writeErr != nil {
		t.Fatalf("the writer failed during backups: %v", writeErr)
	}
	if last <= 1 {
		t.Errorf("the last backup holds %d people: the writer never ran alongside", last)
	}
	if got := peopleAndCalls(t, filepath.Join(dir, "backup4.db")); got.People != last {
		t.Errorf("the last copy opens with %d people, Backup said %d", got.People, last)
	}
}

func TestRestoreRoundTrip(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "callcoach.db")
	s := populated(t, path, "Ann", "Bea")
	backup := filepath.Join(t.TempDir(), "backup.db")
	if _, err := s.Backup(context.Background(), backup); err != nil {
		t.Fatal(err)
	}
	createPerson(t, s, coaching.Person{Name: "Carlos"}) // after the backup
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	aside, err := Restore(context.Background(), backup, path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(aside, path+".before-restore-") {
		t.Errorf("aside = %q", aside)
	}
	if got := peopleAndCalls(t, path); got != (Copy{People: 2, Calls: 2}) {
		t.Errorf("restored file holds %+v, want the backup's 2 people and 2 calls", got)
	}
	if got := peopleAndCalls(t, aside); got != (Copy{People: 3, Calls: 2}) {
		t.Errorf("the file kept aside holds %+v, want the 3 people before the restore", got)
	}
	if fi, err := os.Stat(path); err != nil || runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("restored file: %v, %v", fi.Mode(), err)
	}

	// Restoring again within the same second keeps both earlier files.
	aside2, err := Restore(context.Background(), backup, path)
	if err != nil {
		t.Fatal(err)
	}
	if aside2 == aside {
		t.Fatalf("second restore reused the aside name %s", aside)
	}
	if got := peopleAndCalls(t, aside); got.People != 3 {
		t.Errorf("first aside now holds %+v", got)
	}
	for _, n := range names(t, dir) {
		if strings.HasPrefix(n, ".") {
			t.Errorf("temporary %s left behind", n)
		}
	}
}

func TestRestoreToNewPath(t *testing.T) {
	s := populated(t, filepath.Join(t.TempDir(), "callcoach.db"), "Ann")
	backup := filepath.Join(t.TempDir(), "backup.db")
	if _, err := s.Backup(context.Background(), backup); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(t.TempDir(), "new", "callcoach.db")
	aside, err := Restore(context.Background(), backup, dest)
	if err != nil || aside != "" {
		t.Fatalf("Restore = %q, %v; want no aside", aside, err)
	}
	if got := peopleAndCalls(t, dest); got.People != 1 {
		t.Errorf("restored file holds %+v", got)
	}
}

func TestRestoreRefuses(t *testing.T) {
	ctx := context.Background()
	good := filepath.Join(t.TempDir(), "good.db")
	closedStore(t, good)

	tests := []struct {
		name string
		kind OpenErrorKind
		// src and dest are made in dir; dest starts as a callcoach file.
		src, dest func(t *testing.T, dir string) string
	}{
		{
			name: "text file", kind: NotDatabase,
			src: func(t *testing.T, dir string) string {
				p := filepath.Join(dir, "notes.txt")
				if err := os.WriteFile(p, []byte("name,phone\nAnn,0207946\n"), 0o600); err != nil {
					t.Fatal(err)
				}
				return p
			},
		},
		{
			name: "empty file", kind: NotCallcoach,
			src: func(t *testing.T, dir string) string {
				p := filepath.Join(dir, "empty.db")
				if err := os.WriteFile(p, nil, 0o600); err != nil {
					t.Fatal(err)
				}
				return p
			},
		},
		{
			name: "newer callcoach", kind: NewerVersion,
			src: func(t *testing.T, dir string) string {
				p := filepath.Join(dir, "newer.db")
				closedStore(t, p)
				db := rawDB(t, p)
				mustExec(t, db, "PRAGMA user_version = "+strconv.Itoa(SchemaVersion()+1))
				db.Close()
				return p
			},
		},
		{
			name: "another program's database", kind: NotCallcoach,
			src: func(t *testing.T, dir string) string {
				p := filepath.Join(dir, "other.db")
				db := rawDB(t, p)
				mustExec(t, db, "CREATE TABLE t (x)")
				db.Close()
				return p
			},
		},
		{
			name: "damaged", kind: Corrupt,
			src: func(t *testing.T, dir string) string {
				p := filepath.Join(dir, "damaged.db")
				closedStore(t, p)
				patchFile(t, p, 100, []byte{0x01, 0xff, 0xff, 0xff, 0xff})
				return p
			},
		},
		{
			name: "dest is another program's database", kind: NotCallcoach,
			src: func(*testing.T, string) string { return good },
			dest: func(t *testing.T, dir string) string {
				p := filepath.Join(dir, "callcoach.db")
				db := rawDB(t, p)
				mustExec(t, db, "CREATE TABLE t (x)")
				db.Close()
				return p
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srcDir, destDir := t.TempDir(), t.TempDir()
			src := tt.src(t, srcDir)
			dest := filepath.Join(destDir, "callcoach.db")
			if tt.dest != nil {
				dest = tt.dest(t, destDir)
			} else {
				closedStore(t, dest)
			}
			before := filesHash(t, dest)
			beforeNames := names(t, destDir)

			aside, err := Restore(ctx, src, dest)
			var oe *OpenError
			if !errors.As(err, &oe) || oe.Kind != tt.kind {
				t.Fatalf("Restore = %q, %v; want %v", aside, err, tt.kind)
			}
			if !strings.Contains(err.Error(), "not changed") && !strings.Contains(err.Error(), "damaged") {
				t.Errorf("message %q does not say the file was left alone", err)
			}
			if got := filesHash(t, dest); got != before {
				t.Errorf("dest changed: %s, was %s", got, before)
			}
			if got := names(t, destDir); !slices.Equal(got, beforeNames) {
				t.Errorf("dest folder holds %v, was %v", got, beforeNames)
			}
		})
	}
}
