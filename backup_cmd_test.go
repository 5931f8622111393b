package main

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"callcoach/coaching"
	"callcoach/storage"
)

// caseloadFile makes a callcoach database at path holding the named people.
func caseloadFile(t *testing.T, path string, names ...string) {
	t.Helper()
	s, err := storage.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, name := range names {
		p := coaching.Person{Name: name}
		if err := p.Normalize(time.LoadLocation); err != nil {
			t.Fatal(err)
		}
		id, err := s.CreatePerson(context.Background(), p, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.StartCall(context.Background(), id, coaching.RoleCoach, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
}

func TestBackupAndRestoreCommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "callcoach.db")
	caseloadFile(t, db, "Ann", "Bea")
	backup := filepath.Join(dir, "monday.db")

	out, errOut, code := runMain(t, "backup", backup, "--db", db)
	if code != 0 || out != "Backed up to "+backup+" (2 people, 2 calls), checked.\n" {
		t.Fatalf("backup: %d %q %q", code, out, errOut)
	}

	// A second backup to the same name is refused and changes nothing.
	before, _ := os.ReadFile(backup)
	out, errOut, code = runMain(t, "backup", "--db", db, backup)
	if code != 1 || out != "" || !strings.HasPrefix(errOut, "callcoach: "+backup+" already exists") {
		t.Fatalf("backup over an existing file: %d %q %q", code, out, errOut)
	}
	if after, _ := os.ReadFile(backup); string(after) != string(before) {
		t.Error("the existing backup changed")
	}

	out, errOut, code = runMain(t, "restore", backup, "--db", db)
	prefix := "Restored " + backup + "; the previous file is kept at " + db + ".before-restore-"
	if code != 0 || !strings.HasPrefix(out, prefix) || errOut != "" {
		t.Fatalf("restore: %d %q %q", code, out, errOut)
	}
	aside := strings.TrimSuffix(strings.TrimPrefix(out, "Restored "+backup+"; the previous file is kept at "), ".\n")
	if _, err := os.Stat(aside); err != nil {
		t.Errorf("the previous file is not at %s: %v", aside, err)
	}
}

func TestBackupAndRestoreCommandErrors(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "callcoach.db")
	caseloadFile(t, db, "Ann")
	notes := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notes, []byte("not a database"), 0o600); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name string
		args []string
		code int
		says string
	}{
		{"backup without a file", []string{"backup", "--db", db}, 2, "backup needs a FILE"},
		{"backup with two files", []string{"backup", "a.db", "b.db", "--db", db}, 2, `unexpected "b.db"`},
		{"restore without a file", []string{"restore", "--db", db}, 2, "restore needs a FILE"},
		{"backup of a missing database", []string{"backup", filepath.Join(dir, "x.db"), "--db", filepath.Join(dir, "missing.db")}, 1, "there is no database at"},
		{"restore of a text file", []string{"restore", notes, "--db", db}, 1, "callcoach: " + notes + " is not a callcoach database"},
		{"restore of a missing file", []string{"restore", filepath.Join(dir, "missing.db"), "--db", db}, 1, "callcoach: could not open the database"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := runMain(t, tt.args...)
			if code != tt.code || out != "" || !strings.Contains(errOut, tt.says) {
				t.Fatalf("%d %q %q; want %d and %q", code, out, errOut, tt.code, tt.says)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "missing.db")); err == nil {
		t.Error("backup of a missing database created it")
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if n := e.Name(); n != "callcoach.db" && n != "notes.txt" {
			t.Errorf("left behind: %s", n)
		}
	}
}

func TestBackupCommandRescuesDamagedFile(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "callcoach.db")
	caseloadFile(t, db, "Ann", "Bea")
	damageIndex(t, db, "calls_person_started")
	backup := filepath.Join(dir, "rescue.db")

	out, errOut, code := runMain(t, "backup", backup, "--db", db)
	if code != 1 {
		t.Errorf("exit code %d, want 1: the database is damaged", code)
	}
	for _, want := range []string{"callcoach: " + db + " is damaged: its page check found", "saves nothing more into it"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr %q lacks %q", errOut, want)
		}
	}
	for _, want := range []string{"Rescued what could still be read into " + backup + " (2 people, 2 calls)", "passed its check", "callcoach restore " + backup + " --db " + db} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout %q lacks %q", out, want)
		}
	}
	if strings.Contains(out, "Backed up") {
		t.Errorf("stdout %q reports a plain backup", out)
	}
	// The rescued copy restores in place of the damaged file.
	if out, errOut, code := runMain(t, "restore", backup, "--db", db); code != 0 {
		t.Fatalf("restore of the rescue: %d %q %q", code, out, errOut)
	}
	if out, errOut, code := runMain(t, "backup", filepath.Join(dir, "after.db"), "--db", db); code != 0 || !strings.Contains(out, "Backed up") {
		t.Fatalf("backup after the restore: %d %q %q", code, out, errOut)
	}
}

// damageIndex overwrites the first page of the index called name in the
// closed database at path, as a failing disk would.
func damageIndex(t *testing.T, path, name string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	var root, size int64
	if err := db.QueryRow("SELECT rootpage FROM sqlite_schema WHERE name = ?", name).Scan(&root); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow("PRAGMA page_size").Scan(&size); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(bytes.Repeat([]byte{0x01, 0xee}, int(size/2)), (root-1)*size); err != nil {
		t.Fatal(err)
	}
}

func TestCommandsMakeASharedFilePrivate(t *testing.T) {
	db := filepath.Join(t.TempDir(), "callcoach.db")
	caseloadFile(t, db, "Ann")
	if err := os.Chmod(db, 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runMain(t, "backup", filepath.Join(filepath.Dir(db), "b.db"), "--db", db)
	if code != 0 || !strings.Contains(out, "Backed up") {
		t.Fatalf("backup: %d %q %q", code, out, errOut)
	}
	if want := "callcoach: " + db + " could be read by other people who use this computer; it is now readable only by you.\n"; errOut != want {
		t.Errorf("stderr %q, want %q", errOut, want)
	}
	if fi, err := os.Stat(db); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, %v; want 0600", fi.Mode().Perm(), err)
	}
}
