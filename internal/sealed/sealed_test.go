package sealed

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"
	"filippo.io/age/armor"
)

func TestRecipients(t *testing.T) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		keys []string
		n    int
		says string
	}{
		{nil, 0, ""},
		{[]string{id.Recipient().String()}, 1, ""},
		{[]string{id.Recipient().String(), id.Recipient().String()}, 2, ""},
		{[]string{"age1nope"}, 0, `--to "age1nope" is not an age public key`},
		{[]string{""}, 0, `--to "" is not an age public key`},
		{[]string{id.String()}, 0, "--to was given a secret key"},
	}
	for _, tt := range tests {
		rs, err := Recipients(tt.keys)
		switch {
		case tt.says == "" && (err != nil || len(rs) != tt.n):
			t.Errorf("%q: %d recipients, %v", tt.keys, len(rs), err)
		case tt.says != "" && (err == nil || !strings.Contains(err.Error(), tt.says)):
			t.Errorf("%q: %v, want %q", tt.keys, err, tt.says)
		}
		if err != nil && strings.Contains(err.Error(), "AGE-SECRET-KEY-1") {
			t.Errorf("the error shows the secret key: %v", err)
		}
	}
}

// write seals text for rs into dir/name, armored or not.
func write(t *testing.T, dir, name, text string, armored bool, rs ...age.Recipient) string {
	t.Helper()
	var buf bytes.Buffer
	var dst io.Writer = &buf
	var aw io.WriteCloser
	if armored {
		aw = armor.NewWriter(&buf)
		dst = aw
	}
	w, err := NewWriter(dst, rs)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, text)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if aw != nil {
		aw.Close()
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestOpen(t *testing.T) {
	dir := t.TempDir()
	id, _ := age.GenerateX25519Identity()
	other, _ := age.GenerateX25519Identity()
	keyFile := filepath.Join(dir, "key.txt")
	otherFile := filepath.Join(dir, "other.txt")
	os.WriteFile(keyFile, []byte(id.String()+"\n"), 0o600)
	os.WriteFile(otherFile, []byte(other.String()+"\n"), 0o600)
	plain := filepath.Join(dir, "plain.txt")
	os.WriteFile(plain, []byte("name,phone\n"), 0o600)
	scrypt, _ := age.NewScryptRecipient("pw")
	scrypt.SetWorkFactor(10)
	asked := 0
	pw := func(p string) func() (string, error) {
		return func() (string, error) { asked++; return p, nil }
	}

	tests := []struct {
		name string
		path string
		keys Keys
		says string // "" for success
	}{
		{"to a key", write(t, dir, "k.age", "hello", false, id.Recipient()), Keys{Identities: []string{keyFile}}, ""},
		{"armored", write(t, dir, "a.age", "hello", true, id.Recipient()), Keys{Identities: []string{otherFile, keyFile}}, ""},
		{"passphrase", write(t, dir, "p.age", "hello", false, scrypt), Keys{Passphrase: pw("pw")}, ""},
		{"wrong passphrase", filepath.Join(dir, "p.age"), Keys{Passphrase: pw("px")}, "wrong passphrase, or the file was not encrypted with a passphrase"},
		{"empty passphrase", filepath.Join(dir, "p.age"), Keys{Passphrase: pw("")}, "an empty passphrase would protect nothing"},
		{"no identity", filepath.Join(dir, "k.age"), Keys{Passphrase: pw("pw")}, "name the file that holds your age secret key with --identity FILE"},
		{"other key", filepath.Join(dir, "k.age"), Keys{Identities: []string{otherFile}}, "none of the keys in " + otherFile + " can open it"},
		{"not an identity file", filepath.Join(dir, "k.age"), Keys{Identities: []string{plain}}, "is not an age identity file"},
		{"not sealed", plain, Keys{}, "is not an age file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Open(tt.path, tt.keys)
			if tt.says != "" {
				if err == nil || !strings.Contains(err.Error(), tt.says) {
					t.Fatalf("%v, want %q", err, tt.says)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			b, err := io.ReadAll(r)
			if err != nil || string(b) != "hello" || r.Damage() != nil {
				t.Fatalf("%q %v %v", b, err, r.Damage())
			}
		})
	}
	// A file locked to keys never asks for a passphrase.
	asked = 0
	Open(filepath.Join(dir, "k.age"), Keys{Passphrase: pw("pw"), Identities: []string{keyFile}})
	if asked != 0 {
		t.Error("asked for a passphrase for a file locked to keys")
	}
}

func TestIsSealed(t *testing.T) {
	dir := t.TempDir()
	id, _ := age.GenerateX25519Identity()
	for _, tt := range []struct {
		name string
		text string
		want bool
	}{
		{"empty", "", false},
		{"csv", "name,phone\n", false},
		{"magic without its line end", "age-encryption.org/v1", false},
		{"sealed", "", true},
		{"armored", "", true},
	} {
		path := filepath.Join(dir, tt.name)
		switch tt.name {
		case "sealed":
			write(t, dir, tt.name, "x", false, id.Recipient())
		case "armored":
			write(t, dir, tt.name, "x", true, id.Recipient())
		default:
			os.WriteFile(path, []byte(tt.text), 0o600)
		}
		if got, err := IsSealed(path); got != tt.want || err != nil {
			t.Errorf("%s: %v %v, want %v", tt.name, got, err, tt.want)
		}
	}
}
