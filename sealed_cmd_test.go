package main

import (
	"archive/tar"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"callcoach/internal/sealed"
	"callcoach/storage"
)

// runMainInput is runMain with stdin as standard input (a passphrase).
func runMainInput(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := runWithInput(args, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), code
}

// peopleNames lists the names in the database at path, in id order.
func peopleNames(t *testing.T, path string) string {
	t.Helper()
	return queryOne(t, path, "SELECT group_concat(name, ', ') FROM (SELECT name FROM people ORDER BY id)")
}

// leftovers lists the hidden working files in dir.
func leftovers(t *testing.T, dir string) []string {
	t.Helper()
	var found []string
	for _, name := range entries(t, dir) {
		if strings.HasPrefix(name, ".callcoach-") {
			found = append(found, name)
		}
	}
	return found
}

// sealedBytes checks that path is an age file that does not show name.
func sealedBytes(t *testing.T, path, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("age-encryption.org/v1\n")) {
		t.Errorf("%s starts %q, not with the age header", path, b[:min(len(b), 30)])
	}
	if bytes.Contains(b, []byte(name)) {
		t.Errorf("%s holds %q in plain text", path, name)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("%s: mode %v, %v; want 0600", path, fi.Mode().Perm(), err)
	}
	return b
}

func TestEncryptedBackupWithAPassphrase(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "callcoach.db")
	caseloadFile(t, db, "Ann Smithers", "Bea Quill")
	plain := filepath.Join(dir, "plain.db")
	if _, errOut, code := runMain(t, "backup", plain, "--db", db); code != 0 {
		t.Fatalf("plain backup: %d %q", code, errOut)
	}
	if b, _ := os.ReadFile(plain); !bytes.Contains(b, []byte("Ann Smithers")) {
		t.Fatal("the name is not in the plain backup: the check below would prove nothing")
	}

	away := t.TempDir()
	backup := filepath.Join(away, "monday.db.age")
	out, errOut, code := runMainInput(t, "correct horse battery\n", "backup", backup, "--encrypt", "--db", db)
	if code != 0 || out != "Backed up to "+backup+" (2 people, 2 calls), checked, and encrypted.\n" || errOut != "" {
		t.Fatalf("backup --encrypt: %d %q %q", code, out, errOut)
	}
	sealedBytes(t, backup, "Ann Smithers")
	if got := entries(t, away); len(got) != 1 {
		t.Errorf("the backup's folder holds %v; want the backup alone", got)
	}
	// The caseload moves on after the backup; the restore brings it back.
	caseloadFile(t, db, "Cy Later")
	before := fileHash(t, db)

	for _, tt := range []struct{ name, passphrase, says string }{
		{"wrong passphrase", "correct horse\n", "callcoach: " + backup + ": wrong passphrase, or the file was not encrypted with a passphrase; nothing was restored.\n"},
		{"empty passphrase", "\n", "callcoach: an empty passphrase would protect nothing; nothing was restored.\n"},
		{"no passphrase", "", "callcoach: an empty passphrase would protect nothing; nothing was restored.\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := runMainInput(t, tt.passphrase, "restore", backup, "--db", db)
			if code != 1 || out != "" || errOut != tt.says {
				t.Fatalf("%d %q %q; want 1 and %q", code, out, errOut, tt.says)
			}
			if fileHash(t, db) != before {
				t.Error("the database changed")
			}
			if l := leftovers(t, dir); len(l) > 0 {
				t.Errorf("left behind: %v", l)
			}
		})
	}

	// With the file open in a callcoach, the restore is refused before the
	// passphrase is asked for (none is given here).
	open, err := storage.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := open.RegisterEvery(context.Background(), time.Now(), 0); err != nil {
		t.Fatal(err)
	}
	out, errOut, code = runMainInput(t, "", "restore", backup, "--db", db)
	open.Close()
	if code != 1 || out != "" || !strings.Contains(errOut, "open") || strings.Contains(errOut, "passphrase") {
		t.Fatalf("restore onto an open file: %d %q %q", code, out, errOut)
	}

	out, errOut, code = runMainInput(t, "correct horse battery\n", "restore", backup, "--db", db)
	if code != 0 || !strings.HasPrefix(out, "Restored "+backup+"; the previous file is kept at ") || errOut != "" {
		t.Fatalf("restore: %d %q %q", code, out, errOut)
	}
	if got := peopleNames(t, db); got != "Ann Smithers, Bea Quill" {
		t.Errorf("people after the restore: %q", got)
	}
	if l := leftovers(t, dir); len(l) > 0 {
		t.Errorf("left behind: %v", l)
	}

	// No backup is written without a passphrase.
	empty := filepath.Join(away, "empty.age")
	out, errOut, code = runMainInput(t, "\n", "backup", empty, "--encrypt", "--db", db)
	if code != 1 || out != "" || !strings.Contains(errOut, "an empty passphrase would protect nothing") {
		t.Errorf("backup with an empty passphrase: %d %q %q", code, out, errOut)
	}
	if _, err := os.Lstat(empty); err == nil {
		t.Error("a backup was written with an empty passphrase")
	}
}

// TestDamagedEncryptedBackupsAreRefused restores age files cut short or
// changed. They are sealed here with a small scrypt work factor, so the
// test does not spend a second on each; what is refused is the same.
func TestDamagedEncryptedBackupsAreRefused(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "callcoach.db")
	caseloadFile(t, db, "Ann Smithers", "Bea Quill")
	plain := filepath.Join(dir, "plain.db")
	if _, errOut, code := runMain(t, "backup", plain, "--db", db); code != 0 {
		t.Fatalf("plain backup: %d %q", code, errOut)
	}
	content, err := os.ReadFile(plain)
	if err != nil {
		t.Fatal(err)
	}
	r, err := age.NewScryptRecipient("pw")
	if err != nil {
		t.Fatal(err)
	}
	r.SetWorkFactor(10)
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, r)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(content)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	tampered := bytes.Clone(good)
	tampered[len(tampered)/2] ^= 0x01

	away := t.TempDir()
	write := func(name string, b []byte) string {
		path := filepath.Join(away, name)
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	if out, errOut, code := runMainInput(t, "pw\n", "restore", write("good.age", good), "--db", filepath.Join(dir, "check.db")); code != 0 {
		t.Fatalf("the undamaged file does not restore: %d %q %q", code, out, errOut)
	}
	caseloadFile(t, db, "Cy Later")
	before := fileHash(t, db)
	for _, tt := range []struct {
		name string
		file []byte
	}{
		{"truncated", good[:len(good)-100]},
		{"tampered", tampered},
		{"cut in its header", good[:30]},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := write(strings.ReplaceAll(tt.name, " ", "-")+".age", tt.file)
			out, errOut, code := runMainInput(t, "pw\n", "restore", path, "--db", db)
			if code != 1 || out != "" || !strings.HasPrefix(errOut, "callcoach: the encrypted file "+path+" is damaged or incomplete: ") ||
				!strings.HasSuffix(errOut, "nothing was restored.\n") || strings.Count(errOut, "\n") != 1 {
				t.Fatalf("%d %q %q", code, out, errOut)
			}
			if fileHash(t, db) != before || peopleNames(t, db) != "Ann Smithers, Bea Quill, Cy Later" {
				t.Error("the database changed")
			}
			if l := leftovers(t, dir); len(l) > 0 {
				t.Errorf("left behind: %v", l)
			}
		})
	}
}

// ageKey makes an age key pair: its identity file, and its public key.
func ageKey(t *testing.T, dir, name string) (identityFile, recipient string) {
	t.Helper()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	identityFile = filepath.Join(dir, name)
	if err := os.WriteFile(identityFile, []byte("# "+name+"\n"+id.String()+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return identityFile, id.Recipient().String()
}

func TestEncryptedCopiesToAgeKeys(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "callcoach.db")
	caseloadFile(t, db, "Ann Smithers", "Bea Quill")
	keys := t.TempDir()
	identity, key := ageKey(t, keys, "coach.key")
	otherIdentity, otherKey := ageKey(t, keys, "other.key")
	away := t.TempDir()

	backup := filepath.Join(away, "b.db.age")
	out, errOut, code := runMain(t, "backup", backup, "--to", key, "--to", otherKey, "--db", db)
	if code != 0 || !strings.HasSuffix(out, "checked, and encrypted.\n") || errOut != "" {
		t.Fatalf("backup --to: %d %q %q", code, out, errOut)
	}
	sealedBytes(t, backup, "Ann Smithers")

	// A backup that cannot be written fails as a plain one does.
	out, errOut, code = runMain(t, "backup", filepath.Join(away, "no-such-folder", "b.age"), "--to", key, "--db", db)
	if code != 1 || out != "" || !strings.HasPrefix(errOut, "callcoach: could not back up to ") {
		t.Errorf("backup --to into a missing folder: %d %q %q", code, out, errOut)
	}
	if l := leftovers(t, dir); len(l) > 0 {
		t.Errorf("left behind: %v", l)
	}

	restored := filepath.Join(dir, "restored.db")
	out, errOut, code = runMain(t, "restore", backup, "--db", restored)
	want := "callcoach: " + backup + " is encrypted to age public keys: name the file that holds your age secret key with --identity FILE; nothing was restored.\n"
	if code != 1 || out != "" || errOut != want {
		t.Fatalf("restore without --identity: %d %q %q; want %q", code, out, errOut, want)
	}
	if _, err := os.Stat(restored); err == nil {
		t.Error("a refused restore made the database")
	}
	// Either key opens it: it was sealed to both.
	if out, errOut, code := runMain(t, "restore", backup, "--identity", otherIdentity, "--db", restored); code != 0 || errOut != "" {
		t.Fatalf("restore --identity: %d %q %q", code, out, errOut)
	}
	if got := peopleNames(t, restored); got != "Ann Smithers, Bea Quill" {
		t.Errorf("people after the restore: %q", got)
	}

	export := filepath.Join(away, "records.json.age")
	out, errOut, code = runMain(t, "export", "--format", "json", "--to", key, "--out", export, "--db", db)
	if code != 0 || out != "" || errOut != "Exported to "+export+".\n" {
		t.Fatalf("export --to: %d %q %q", code, out, errOut)
	}
	sealedBytes(t, export, "Ann Smithers")
	imported := filepath.Join(dir, "imported.db")
	_, errOut, code = runMain(t, "import", export, "--identity", otherIdentity, "--db", imported)
	if want := "callcoach: " + export + ": none of the keys in " + otherIdentity + " can open it; it was encrypted to other keys\nNothing was imported.\n"; code != 1 || errOut != want {
		t.Fatalf("import with the wrong key: %d %q; want %q", code, errOut, want)
	}
	if _, errOut, code := runMain(t, "import", export, "--db", imported); code != 1 || !strings.Contains(errOut, "--identity FILE") {
		t.Fatalf("import without --identity: %d %q", code, errOut)
	}
	out, errOut, code = runMain(t, "import", export, "--identity", identity, "--db", imported)
	if code != 0 || !strings.HasPrefix(out, "Imported 2 people, 2 calls,") {
		t.Fatalf("import --identity: %d %q %q", code, out, errOut)
	}
	if got := peopleNames(t, imported); got != "Ann Smithers, Bea Quill" {
		t.Errorf("people after the import: %q", got)
	}

	fhir := filepath.Join(away, "bundle.json.age")
	if _, errOut, code := runMain(t, "export", "--format", "fhir", "--to", key, "--out", fhir, "--db", db); code != 0 {
		t.Fatalf("export --format fhir --to: %d %q", code, errOut)
	}
	sealedBytes(t, fhir, "Smithers")
	// The file opens with age itself, and is the FHIR Bundle.
	ids, err := age.ParseIdentities(strings.NewReader(readString(t, identity)))
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(fhir)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pt, err := age.Decrypt(f, ids...)
	if err != nil {
		t.Fatal(err)
	}
	var doc bytes.Buffer
	if _, err := doc.ReadFrom(pt); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(doc.String(), `"resourceType":"Bundle"`) || !strings.Contains(doc.String(), "Smithers") {
		t.Errorf("the decrypted FHIR export: %.200s", doc.String())
	}
}

func readString(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestEncryptedJSONExportWithAPassphraseImports(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "callcoach.db")
	caseloadFile(t, db, "Ann Smithers", "Bea Quill")
	export := filepath.Join(t.TempDir(), "records.json.age")
	out, errOut, code := runMainInput(t, "pw 1\r\n", "export", "--format", "json", "--encrypt", "--out", export, "--db", db)
	if code != 0 || out != "" || errOut != "Exported to "+export+".\n" {
		t.Fatalf("export --encrypt: %d %q %q", code, out, errOut)
	}
	sealedBytes(t, export, "Smithers")

	imported := filepath.Join(dir, "imported.db")
	out, errOut, code = runMainInput(t, "pw 1\n", "import", export, "--db", imported)
	if code != 0 || !strings.HasPrefix(out, "Imported 2 people, 2 calls,") || errOut != "" {
		t.Fatalf("import: %d %q %q", code, out, errOut)
	}
	if got := peopleNames(t, imported); got != "Ann Smithers, Bea Quill" {
		t.Errorf("people after the import: %q", got)
	}
}

// TestEncryptedImportDamagedLate imports an encrypted JSON export whose
// last chunk is cut: the importer has read most of it by then, and still
// nothing is imported.
func TestEncryptedImportDamagedLate(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "callcoach.db")
	caseloadFile(t, db, "Ann Smithers", "Bea Quill")
	identity, key := ageKey(t, dir, "coach.key")
	export := filepath.Join(dir, "records.json.age")
	if _, errOut, code := runMain(t, "export", "--format", "json", "--to", key, "--out", export, "--db", db); code != 0 {
		t.Fatalf("export: %d %q", code, errOut)
	}
	b, err := os.ReadFile(export)
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(dir, "cut.json.age")
	if err := os.WriteFile(cut, b[:len(b)-20], 0o600); err != nil {
		t.Fatal(err)
	}
	imported := filepath.Join(dir, "imported.db")
	out, errOut, code := runMain(t, "import", cut, "--identity", identity, "--db", imported)
	if code != 1 || out != "" || !strings.HasPrefix(errOut, "callcoach: the encrypted file "+cut+" is damaged or incomplete: ") ||
		!strings.HasSuffix(errOut, "\nNothing was imported.\n") {
		t.Fatalf("%d %q %q", code, out, errOut)
	}
	if got := peopleNames(t, imported); got != "" {
		t.Errorf("imported from a damaged file: %q", got)
	}
	// A people.csv sealed the same way and cut: nobody is added.
	csvFile := filepath.Join(dir, "people.csv.age")
	r, err := age.ParseX25519Recipient(key)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w, _ := sealed.NewWriter(&buf, []age.Recipient{r})
	w.Write([]byte("name,phone\nDee Roe,0123\n"))
	w.Close()
	if err := os.WriteFile(csvFile, buf.Bytes()[:buf.Len()-5], 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut, code = runMain(t, "import", csvFile, "--identity", identity, "--db", imported)
	if code != 1 || out != "" || !strings.HasSuffix(errOut, "\nNobody was added.\n") || !strings.Contains(errOut, "damaged or incomplete") {
		t.Fatalf("cut CSV: %d %q %q", code, out, errOut)
	}
	if err := os.WriteFile(csvFile, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, errOut, code := runMain(t, "import", csvFile, "--identity", identity, "--db", imported); code != 0 || out != "Imported 1 person (0 already on the caseload).\n" {
		t.Fatalf("whole CSV: %d %q %q", code, out, errOut)
	}
}

func TestUnencryptedCopyReminder(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_DATA_HOME", filepath.Join(dir, "data"))
	dataFolder := filepath.Join(dir, "data", "callcoach")
	work := filepath.Join(dir, "work")
	away := filepath.Join(dir, "away")
	for _, d := range []string{dataFolder, work, away} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	// A link inside the data folder that leads out of it.
	if err := os.Symlink(away, filepath.Join(dataFolder, "usb")); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(work, "callcoach.db")
	caseloadFile(t, db, "Ann Smithers")
	_, key := ageKey(t, dir, "coach.key")
	note := func(path string) string {
		return "Note: " + path + " is not encrypted and is outside callcoach's data folder; it holds health data. Use --encrypt or --to to protect copies that leave this machine.\n"
	}

	for _, tt := range []struct {
		name   string
		args   []string
		stderr string
	}{
		{"backup into the data folder", []string{"backup", filepath.Join(dataFolder, "a.db")}, ""},
		{"backup beside the database", []string{"backup", filepath.Join(work, "b.db")}, ""},
		{"backup elsewhere", []string{"backup", filepath.Join(away, "c.db")}, note(filepath.Join(away, "c.db"))},
		{"backup through a link out of the data folder", []string{"backup", filepath.Join(dataFolder, "usb", "d.db")}, note(filepath.Join(dataFolder, "usb", "d.db"))},
		{"encrypted backup elsewhere", []string{"backup", filepath.Join(away, "e.db.age"), "--to", key}, ""},
		{"export elsewhere", []string{"export", "--format", "json", "--out", filepath.Join(away, "f.json")},
			"Exported to " + filepath.Join(away, "f.json") + ".\n" + note(filepath.Join(away, "f.json"))},
		{"export into the data folder", []string{"export", "--format", "fhir", "--out", filepath.Join(dataFolder, "g.json")},
			"Exported to " + filepath.Join(dataFolder, "g.json") + ".\n"},
		{"CSV export elsewhere", []string{"export", "--format", "csv", "--out", filepath.Join(away, "h")},
			"Exported to " + filepath.Join(away, "h") + ".\n" + note(filepath.Join(away, "h"))},
		{"export to standard output", []string{"export", "--format", "json"},
			"Note: this export is not encrypted and is leaving callcoach's data folder; it holds health data. Use --encrypt or --to to protect copies that leave this machine.\n"},
		{"encrypted export elsewhere", []string{"export", "--format", "json", "--to", key, "--out", filepath.Join(away, "i.json.age")},
			"Exported to " + filepath.Join(away, "i.json.age") + ".\n"},
		{"calendar export elsewhere", []string{"export", "--format", "ics", "--out", filepath.Join(away, "j.ics")},
			"Exported to " + filepath.Join(away, "j.ics") + ".\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, errOut, code := runMain(t, append(tt.args, "--db", db)...)
			if code != 0 || errOut != tt.stderr {
				t.Fatalf("%d %q; want %q", code, errOut, tt.stderr)
			}
		})
	}
}

func TestEncryptionFlagsRefused(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "callcoach.db")
	caseloadFile(t, db, "Ann Smithers")
	_, key := ageKey(t, dir, "coach.key")
	mixed := "callcoach: --encrypt (a passphrase) and --to (public keys) cannot be used together: age allows a passphrase only as a file's one lock; choose one\n"
	for _, tt := range []struct {
		name   string
		args   []string
		stderr string
	}{
		{"backup --encrypt --to", []string{"backup", filepath.Join(dir, "a.age"), "--encrypt", "--to", key}, mixed},
		{"export --encrypt --to", []string{"export", "--format", "json", "--out", filepath.Join(dir, "b.age"), "--encrypt", "--to", key}, mixed},
		{"not a key", []string{"backup", filepath.Join(dir, "c.age"), "--to", "age1nope"},
			"callcoach: --to \"age1nope\" is not an age public key (one looks like age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p)\n"},
		{"a secret key", []string{"backup", filepath.Join(dir, "d.age"), "--to", "AGE-SECRET-KEY-1QQQQ"},
			"callcoach: --to was given a secret key (AGE-SECRET-KEY-...); give the public key (age1...) it belongs to, and keep the secret key to yourself\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := runMainInput(t, "pw\n", append(tt.args, "--db", db)...)
			if code != 2 || out != "" || errOut != tt.stderr {
				t.Fatalf("%d %q %q; want 2 and %q", code, out, errOut, tt.stderr)
			}
		})
	}
	if got := entries(t, dir); strings.Join(got, " ") != "callcoach.db coach.key" {
		t.Errorf("the folder holds %v", got)
	}
}

// An encrypted CSV export is one tar of the CSV files, encrypted; its
// plain files never appear beside it, and none is left anywhere.
func TestEncryptedCSVExportIsOneTar(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "callcoach.db")
	caseloadFile(t, db, "Ann Smithers", "Bea Quill")
	keys := t.TempDir()
	identityFile, key := ageKey(t, keys, "coach.key")
	away := t.TempDir()
	out := filepath.Join(away, "records.tar.age")
	stdout, errOut, code := runMain(t, "export", "--format", "csv", "--out", out, "--to", key, "--db", db)
	if code != 0 || stdout != "" || !strings.Contains(errOut, "Exported to "+out) || strings.Contains(errOut, "not encrypted") {
		t.Fatalf("export: %d %q %q", code, stdout, errOut)
	}
	sealedBytes(t, out, "Ann Smithers")
	if got := entries(t, away); strings.Join(got, " ") != "records.tar.age" {
		t.Errorf("beside the export: %v", got)
	}
	if l := leftovers(t, dir); len(l) > 0 {
		t.Errorf("left beside the database: %v", l)
	}
	if fi, err := os.Stat(out); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("mode: %v %v", fi, err)
	}
	r, err := sealed.Open(out, sealed.Keys{Identities: []string{identityFile}})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	tr := tar.NewReader(r)
	files := map[string]string{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		files[h.Name] = string(b)
	}
	if people := files["records/people.csv"]; !strings.Contains(people, "Ann Smithers") || !strings.HasPrefix(people, "id,") {
		t.Errorf("records/people.csv: %q (files %d)", people, len(files))
	}
	if _, ok := files["records/calls.csv"]; !ok {
		t.Errorf("no calls.csv in %d files", len(files))
	}
}
