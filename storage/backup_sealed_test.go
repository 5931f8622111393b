package storage

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// flipSeal is a stand-in for an encryption: it inverts every byte.
type flipSeal struct{ w io.Writer }

func (f *flipSeal) Write(p []byte) (int, error) { return f.w.Write(flip(p)) }

func (f *flipSeal) Close() error { return nil }

func flip(b []byte) []byte {
	out := bytes.Clone(b)
	for i := range out {
		out[i] ^= 0xff
	}
	return out
}

func TestBackupSealedKeepsThePlainCopyBesideTheDatabase(t *testing.T) {
	ctx := context.Background()
	s := populated(t, filepath.Join(t.TempDir(), "callcoach.db"), "Ann", "Bea")
	away := t.TempDir()
	dest := filepath.Join(away, "b.sealed")
	var seen []string
	c, err := s.BackupSealed(ctx, dest, func(w io.Writer) (io.WriteCloser, error) {
		entries, _ := filepath.Glob(filepath.Join(away, "*", "*"))
		seen = entries
		return &flipSeal{w: w}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if c.People != 2 || c.Calls != 2 {
		t.Errorf("copy holds %+v", c)
	}
	// Only the sealed file was ever in dest's folder.
	for _, e := range seen {
		if !strings.HasSuffix(e, "sealed") {
			t.Errorf("in dest's folder while sealing: %s", e)
		}
	}
	if got := names(t, away); !slices.Equal(got, []string{"b.sealed"}) {
		t.Errorf("dest's folder holds %v", got)
	}
	if fi, err := os.Stat(dest); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, %v", fi.Mode().Perm(), err)
	}
	sealed, err := os.ReadFile(dest)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(flip(sealed), []byte("SQLite format 3\x00")) {
		t.Error("the sealed file is not the database through the seal")
	}
	if l, _ := filepath.Glob(filepath.Join(filepath.Dir(s.Path()), ".callcoach-*")); len(l) > 0 {
		t.Errorf("left beside the database: %v", l)
	}

	// It restores through RestoreFrom, from the unsealed bytes.
	restored := filepath.Join(t.TempDir(), "restored.db")
	if _, err := RestoreFrom(ctx, bytes.NewReader(flip(sealed)), dest, restored); err != nil {
		t.Fatal(err)
	}
	if got := peopleAndCalls(t, restored); got.People != 2 || got.Calls != 2 {
		t.Errorf("restored %+v", got)
	}
}

// failingReader gives n bytes of r, then fails.
type failingReader struct {
	r   io.Reader
	n   int
	err error
}

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, f.err
	}
	if len(p) > f.n {
		p = p[:f.n]
	}
	n, err := f.r.Read(p)
	f.n -= n
	return n, err
}

func TestRestoreFromLeavesTheDatabaseWhenReadingFails(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	src := filepath.Join(dir, "src.db")
	populated(t, src, "Ann").Close()
	content, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(t.TempDir(), "callcoach.db")
	populated(t, dest, "Bea", "Cy").Close()
	before, _ := os.ReadFile(dest)
	ents := names(t, filepath.Dir(dest))

	cut := errors.New("cut short")
	_, err = RestoreFrom(ctx, &failingReader{r: bytes.NewReader(content), n: len(content) / 2, err: cut}, "b.age", dest)
	if !errors.Is(err, cut) || !strings.Contains(err.Error(), "nothing was restored") {
		t.Fatalf("error %v", err)
	}
	if after, _ := os.ReadFile(dest); !bytes.Equal(after, before) {
		t.Error("the database changed")
	}
	if got := names(t, filepath.Dir(dest)); !slices.Equal(got, ents) {
		t.Errorf("the folder held %v, now %v", ents, got)
	}

	// What is not a callcoach database is named by the name given, not
	// by the working file it was read into.
	_, err = RestoreFrom(ctx, strings.NewReader("just text"), "notes.age", dest)
	var oe *OpenError
	if !errors.As(err, &oe) || oe.Path != "notes.age" {
		t.Fatalf("error %v", err)
	}
	if got := names(t, filepath.Dir(dest)); !slices.Equal(got, ents) {
		t.Errorf("the folder held %v, now %v", ents, got)
	}
}
