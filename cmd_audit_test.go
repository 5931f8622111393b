package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The audit commands and erase, as a coach or an auditor would run them,
// with the sqlite3 CLI doing what someone covering their tracks would.
func TestAuditAndEraseCommands(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	if err := os.MkdirAll(filepath.Join(dir, "callcoach"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "callcoach", "config.yaml"), []byte("coach: Sam Patel\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "c.db")
	if _, errOut, code := runMain(t, "demo", "--people", "5", "--calls-per-person", "3", "--db", db); code != 0 {
		t.Fatalf("demo: %d %s", code, errOut)
	}
	if _, errOut, code := runMain(t, "export", "--format", "json", "--out", filepath.Join(dir, "e.json"), "--db", db); code != 0 {
		t.Fatalf("export: %d %s", code, errOut)
	}
	name := strings.TrimSpace(sqlite(t, db, "SELECT name FROM people WHERE id = 2"))
	phone := strings.TrimSpace(sqlite(t, db, "SELECT phone FROM people WHERE id = 2"))
	note := strings.TrimSpace(sqlite(t, db, "SELECT substr(notes, 1, 40) FROM calls WHERE person_id = 2 AND notes <> '' LIMIT 1"))
	if name == "" || phone == "" || note == "" {
		t.Fatalf("fixture: %q %q %q", name, phone, note)
	}

	// Erase: refused for an unknown id and for a wrong name, done for the right one.
	if _, errOut, code := runMainInput(t, name+"\n", "erase", "--person", "99", "--db", db); code != 1 || !strings.Contains(errOut, "no person number 99") {
		t.Errorf("erase 99: %d %s", code, errOut)
	}
	if _, errOut, code := runMainInput(t, "someone else\n", "erase", "--person", "2", "--db", db); code != 1 || !strings.Contains(errOut, "not their name; nothing was erased") {
		t.Errorf("erase, wrong name: %d %s", code, errOut)
	}
	out, errOut, code := runMainInput(t, strings.ToUpper(name)+"\n", "erase", "--person", "2", "--db", db)
	if code != 0 || !strings.Contains(out, "Erased person 2: 3 calls") {
		t.Fatalf("erase: %d %q %s", code, out, errOut)
	}
	for _, p := range []string{db, db + "-wal"} {
		b, err := os.ReadFile(p)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		for _, w := range []string{name, phone, note} {
			if bytes.Contains(b, []byte(w)) {
				t.Errorf("%s still holds %q", filepath.Base(p), w)
			}
		}
	}

	out, errOut, code = runMain(t, "audit", "--db", db)
	if code != 0 {
		t.Fatalf("audit: %d %s", code, errOut)
	}
	for _, want := range []string{"exported", "json to " + filepath.Join(dir, "e.json"), "erased", "Sam Patel (", "person 2"} {
		if !strings.Contains(out, want) {
			t.Errorf("audit lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, name) {
		t.Errorf("the audit trail names the person:\n%s", out)
	}
	if out, errOut, code := runMain(t, "audit", "verify", "--db", db); code != 0 || !strings.Contains(out, "2 entries") || !strings.Contains(out, "none changed or removed") {
		t.Fatalf("verify, untouched: %d %q %s", code, out, errOut)
	}

	// Edited with the sqlite3 CLI: the triggers refuse; dropped, the chain tells.
	needTool(t, "sqlite3")
	if b, err := exec.Command("sqlite3", db, "UPDATE audit SET detail = 'nothing' WHERE id = 1").CombinedOutput(); err == nil || !strings.Contains(string(b), "append-only") {
		t.Errorf("an update went through: %v %s", err, b)
	}
	sqlite(t, db, "DROP TRIGGER audit_no_update; UPDATE audit SET detail = 'json to nowhere' WHERE id = 1")
	_, errOut, code = runMain(t, "audit", "verify", "--db", db)
	if code != 1 || !strings.Contains(errOut, "does not hold at entry 1: its contents do not match its hash") || !strings.Contains(errOut, "guards") {
		t.Errorf("verify, edited: %d %s", code, errOut)
	}
}
