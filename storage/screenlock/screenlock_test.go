package screenlock

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 23, 14, 0, 0, 0, time.UTC)

func setLock(t testing.TB, pass string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "callcoach", FileName) // the folder is made
	if err := Set(path, pass); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestSetThenTry(t *testing.T) {
	path := setLock(t, "correct horse")
	if err := Status(path); err != nil {
		t.Fatalf("Status after Set: %v", err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(data), "$argon2id$v=19$m=65536,t=3,p=2$") || strings.Contains(string(data), "correct horse") {
		t.Fatalf("lock file holds %q", data)
	}
	if runtime.GOOS != "windows" {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("lock file mode %v, want 0600", fi.Mode().Perm())
		}
	}
	for _, tc := range []struct {
		pass string
		ok   bool
	}{{"correct horse", true}, {"correct horsE", false}, {"correct hors", false}, {"", false}, {"correct horse ", false}} {
		r, err := Try(path, tc.pass, t0)
		if err != nil {
			t.Fatal(err)
		}
		if r.OK != tc.ok {
			t.Errorf("Try(%q).OK = %v, want %v", tc.pass, r.OK, tc.ok)
		}
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Errorf("the folder holds %d files, want only the lock file (no temporary ones left)", len(entries))
	}
}

func TestSetRefusesShort(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	if err := Set(path, "1234567"); err == nil || !strings.Contains(err.Error(), "at least 8") {
		t.Fatalf("Set of 7 characters: %v", err)
	}
	if err := Status(path); !errors.Is(err, ErrNotSet) {
		t.Fatalf("Status after a refused Set: %v, want ErrNotSet", err)
	}
	if err := Set(path, "éééééééé"); err != nil { // characters, not bytes
		t.Fatal(err)
	}
}

func TestWait(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want time.Duration
	}{{0, 0}, {1, 0}, {2, 0}, {3, 2 * time.Second}, {4, 4 * time.Second}, {5, 8 * time.Second},
		{7, 32 * time.Second}, {8, time.Minute}, {9, time.Minute}, {1000, time.Minute}} {
		if got := Wait(tc.n); got != tc.want {
			t.Errorf("Wait(%d) = %v, want %v", tc.n, got, tc.want)
		}
	}
}

// Wrong tries are counted in the file: a restart (a fresh Try on the same
// file) waits as well, a try during the wait is refused unchecked, even
// with the right passphrase, and the right one afterwards clears the count.
func TestWrongTriesWaitAndPersist(t *testing.T) {
	path := setLock(t, "correct horse")
	now := t0
	for i := 1; i <= 3; i++ {
		r, err := Try(path, "wrong one", now)
		if err != nil {
			t.Fatal(err)
		}
		if r.OK || r.Failures != i {
			t.Fatalf("wrong try %d: %+v", i, r)
		}
	}
	r, err := Try(path, "correct horse", now.Add(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if r.OK || !r.Refused || r.Wait != time.Second {
		t.Fatalf("right passphrase during the wait: %+v, want refused with 1s left", r)
	}
	now = now.Add(2 * time.Second)
	if r, _ = Try(path, "wrong again", now); r.Failures != 4 || r.Wait != 4*time.Second {
		t.Fatalf("fourth wrong try: %+v", r)
	}
	now = now.Add(4 * time.Second)
	if r, _ = Try(path, "correct horse", now); !r.OK {
		t.Fatalf("right passphrase after the wait: %+v", r)
	}
	if r, _ = Try(path, "wrong", now); r.Failures != 1 || r.Wait != 0 {
		t.Fatalf("after a right one the count starts again: %+v", r)
	}
}

func TestDamagedFile(t *testing.T) {
	good := setLock(t, "correct horse")
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	phc := strings.TrimSpace(string(data))
	for name, text := range map[string]string{
		"empty":          "",
		"garbage":        "not a hash at all\n",
		"bcrypt":         "$2y$10$abcdefghijklmnopqrstuuHh8nZp1vJ3vQeNbqC6H9cX8u3oZ3xqS\n",
		"huge memory":    strings.Replace(phc, "m=65536", "m=99999999", 1),
		"bad salt":       strings.Replace(phc, "$m=65536,t=3,p=2$", "$m=65536,t=3,p=2$!!", 1),
		"short hash":     phc[:len(phc)-30],
		"bad count":      phc + "\nfailures many\n",
		"unknown line":   phc + "\nopen sesame\n",
		"version":        strings.Replace(phc, "v=19", "v=16", 1),
		"params trailer": strings.Replace(phc, "p=2$", "p=2,x=1$", 1),
	} {
		path := filepath.Join(t.TempDir(), FileName)
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		var d *DamagedError
		if err := Status(path); !errors.As(err, &d) {
			t.Errorf("%s: Status = %v, want a DamagedError", name, err)
			continue
		}
		r, err := Try(path, "correct horse", t0)
		if r.OK || !errors.As(err, &d) {
			t.Errorf("%s: Try = %+v, %v; want refused with a DamagedError", name, r, err)
		}
		if msg := err.Error(); !strings.Contains(msg, "delete that file") || !strings.Contains(msg, path) {
			t.Errorf("%s: the message does not say how to reset: %s", name, msg)
		}
	}
}

// BenchmarkTry times one passphrase check (the parameters aim at about
// 150 ms on two cores; docs/security.md has the figures). A benchmark, not
// a test: a busy machine makes any wall-clock limit flaky.
//
//	go test ./storage/screenlock -run '^$' -bench Try -benchtime 5x
func BenchmarkTry(b *testing.B) {
	path := setLock(b, "correct horse")
	for b.Loop() {
		if r, err := Try(path, "correct horse", t0); err != nil || !r.OK {
			b.Fatalf("Try: %+v %v", r, err)
		}
	}
}
