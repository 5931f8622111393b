package storage

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
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
	sqliteOnly(t, "a backup copies the file; a team database is backed up on its server (TestPostgresBackupAndRestoreSayHow)")
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
	sqliteOnly(t, "a backup copies the file; a team database is backed up on its server (TestPostgresBackupAndRestoreSayHow)")
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

// counts says what a database holds, table by table, read as the app would.
func counts(t *testing.T, path string, tables ...string) map[string]int {
	t.Helper()
	s, err := OpenReadOnly(context.Background(), path)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	defer s.Close()
	out := map[string]int{}
	for _, table := range tables {
		var n int
		if err := s.ro.QueryRow("SELECT count(*) FROM " + table + " NOT INDEXED").Scan(&n); err != nil {
			t.Fatalf("count %s: %v", table, err)
		}
		out[table] = n
	}
	return out
}

func TestBackupRescuesDamagedFile(t *testing.T) {
	for _, d := range damaged {
		t.Run(d.what, func(t *testing.T) {
			ctx := context.Background()
			path := filepath.Join(t.TempDir(), "callcoach.db")
			caseloadOnDisk(t, path)
			want := counts(t, path, "people", "calls")
			damagePage(t, path, d.btree)
			before := fileHash(t, path)

			s, err := Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			dest := filepath.Join(t.TempDir(), "rescue.db")
			c, err := s.Backup(ctx, dest)
			if err != nil {
				t.Fatalf("Backup: %v", err)
			}
			if c.Rescue == nil || len(c.Rescue.Damage) == 0 || len(c.Rescue.Lost) != 0 {
				t.Errorf("Backup reported %+v (rescue %+v); want the damage found and nothing lost", c, c.Rescue)
			}
			if c.People != want["people"] || c.Calls != want["calls"] {
				t.Errorf("the copy holds %d people and %d calls, want %v", c.People, c.Calls, want)
			}
			// The source is damaged: the Store writes no more.
			if err := s.SaveDraft(ctx, "person:new", map[string]string{"name": "x"}, t0); !errors.Is(err, ErrDamaged) {
				t.Errorf("a write after the backup found damage: %v", err)
			}
			s.Close()
			if after := fileHash(t, path); after != before {
				t.Error("the damaged file changed")
			}

			// The copy is sound, whole, and finds what the damaged index held.
			if _, err := checkCopy(ctx, dest); err != nil {
				t.Fatalf("the rescued copy fails its check: %v", err)
			}
			r, err := Open(ctx, dest)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if err := r.CheckPages(ctx); err != nil {
				t.Errorf("the rescued copy's pages: %v", err)
			}
			var notes int
			if err := r.ro.QueryRow("SELECT count(*) FROM search_text WHERE search_text MATCH 'walking'").Scan(&notes); err != nil || notes != want["calls"] {
				t.Errorf("the notes' full-text index in the copy finds %d, %v; want every call (%d)", notes, err, want["calls"])
			}
			if hits, err := r.Search(ctx, "walking lunch", 5); err != nil || len(hits) != 5 {
				t.Errorf("search in the copy: %d hits, %v", len(hits), err)
			}
			if rows, err := r.rowsOf(ctx, CaseloadQuery{Filter: "Walker"}); err != nil || len(rows) != 1 {
				t.Errorf("the people finder in the copy: %v, %v", rows, err)
			}
			if n, err := r.countCaseload(ctx, ""); err != nil || n != want["people"] {
				t.Errorf("CountCaseload = %d, %v", n, err)
			}
		})
	}
}

// TestBackupRescuesRowsAroundDamage damages one page of a table's rows:
// the rows before and after it are rescued, the table is named as lost.
func TestBackupRescuesRowsAroundDamage(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "callcoach.db")
	caseloadOnDisk(t, path)
	want := counts(t, path, "people", "calls")

	db := rawDB(t, path)
	var leaves []int64
	rows, err := db.Query("SELECT pageno FROM dbstat WHERE name = 'calls' AND pagetype = 'leaf' ORDER BY pageno")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var p int64
		if err := rows.Scan(&p); err != nil {
			t.Fatal(err)
		}
		leaves = append(leaves, p)
	}
	rows.Close()
	db.Close()
	if len(leaves) < 3 {
		t.Fatalf("calls has %d leaf pages; the test needs one in the middle", len(leaves))
	}
	junk := make([]byte, 4096)
	for i := range junk {
		junk[i] = byte(i*7 + 1)
	}
	patchFile(t, path, (leaves[len(leaves)/2]-1)*4096, junk)

	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	dest := filepath.Join(t.TempDir(), "rescue.db")
	c, err := s.Backup(ctx, dest)
	if err != nil {
		t.Fatalf("Backup: %v", err)
	}
	if c.Rescue == nil || !slices.Equal(c.Rescue.Lost, []string{"calls"}) {
		t.Fatalf("rescue %+v; want calls lost", c.Rescue)
	}
	if c.People != want["people"] || c.Calls == 0 || c.Calls >= want["calls"] {
		t.Errorf("the copy holds %d people, %d calls; want all %d people and most of %d calls", c.People, c.Calls, want["people"], want["calls"])
	}
	var first, last int
	r := rawDB(t, dest)
	defer r.Close()
	if err := r.QueryRow("SELECT min(id), max(id) FROM calls").Scan(&first, &last); err != nil {
		t.Fatal(err)
	}
	if first != 1 || last != want["calls"] {
		t.Errorf("the copy's calls run from %d to %d; want the first and last of %d rescued", first, last, want["calls"])
	}
}

func TestBackupCopyIsAnotherFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "callcoach.db")
	s := populated(t, path, "Ann")
	dest := filepath.Join(t.TempDir(), "backup.db")
	if _, err := s.Backup(context.Background(), dest); err != nil {
		t.Fatal(err)
	}
	mine, _ := fileToken(context.Background(), inspectDSN(path, busyTimeout))
	theirs, ok := fileToken(context.Background(), inspectDSN(dest, busyTimeout))
	if !ok || mine == theirs {
		t.Errorf("the copy's identity is %q, the original's %q: want one of its own", theirs, mine)
	}
}

func TestBackupRemovesLeftovers(t *testing.T) {
	s := populated(t, filepath.Join(t.TempDir(), "callcoach.db"), "Ann")
	dir := t.TempDir()
	ended := exec.Command("true")
	if err := ended.Run(); err != nil {
		t.Skipf("cannot run a process to end: %v", err)
	}
	day := 25 * time.Hour
	leftovers := []struct {
		name string
		age  time.Duration
		gone bool
	}{
		{fmt.Sprintf(".callcoach-copy-p%d-111", ended.Process.Pid), 0, true}, // its process ended
		{fmt.Sprintf(".callcoach-copy-p%d-222", os.Getpid()), day, false},    // this process: still in use
		{".callcoach-export-333.json", day, true},                            // no process id, old
		{".callcoach-export-444", 0, false},                                  // no process id, new
		{"callcoach-copy-555", day, false},                                   // not hidden: not ours
		{".callcoach-summary-p1-666", 0, false},                              // pid 1 runs
	}
	for _, l := range leftovers {
		p := filepath.Join(dir, l.name)
		if err := os.Mkdir(p, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(p, "copy.db"), []byte("half a copy"), 0o600); err != nil {
			t.Fatal(err)
		}
		old := time.Now().Add(-l.age)
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Backup(context.Background(), filepath.Join(dir, "backup.db")); err != nil {
		t.Fatal(err)
	}
	for _, l := range leftovers {
		_, err := os.Stat(filepath.Join(dir, l.name))
		if gone := errors.Is(err, os.ErrNotExist); gone != l.gone {
			t.Errorf("%s: removed %v, want %v", l.name, gone, l.gone)
		}
	}
}
