package storage

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"callcoach/coaching"
)

// caseloadOnDisk makes a closed callcoach file at path with people, calls
// and notes, so every table and full-text index has pages of its own.
func caseloadOnDisk(t *testing.T, path string) {
	t.Helper()
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	seedCaseload(t, s, 60, 7)
	for _, name := range []string{"Ann Walker", "Bea Stone"} {
		id := createPerson(t, s, coaching.Person{Name: name})
		c, err := s.StartCall(context.Background(), id, coaching.RoleCoach, t0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.SaveNotes(context.Background(), c.ID, "walking after lunch, three days a week", 1, t0); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

// damagePage overwrites the first page of the b-tree called name (a table,
// an index, or a full-text index's shadow table) with bytes that are no
// b-tree page, as a failing disk would. The file must be closed, its WAL
// checkpointed.
func damagePage(t *testing.T, path, name string) {
	t.Helper()
	db := rawDB(t, path)
	var root, size int64
	if err := db.QueryRow("SELECT rootpage FROM sqlite_schema WHERE name = ?", name).Scan(&root); err != nil {
		t.Fatalf("root page of %s: %v", name, err)
	}
	if err := db.QueryRow("PRAGMA page_size").Scan(&size); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	for _, suffix := range sidecars {
		if err := os.Remove(path + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
	}
	junk := make([]byte, size)
	for i := range junk {
		junk[i] = byte(i*7 + 1) // starts 0x01: no kind of page
	}
	patchFile(t, path, (root-1)*size, junk)
}

// damaged names b-trees whose damage Open does not notice: an index and
// the full-text indexes' own tables. Every row is still readable.
var damaged = []struct{ what, btree string }{
	{"an index", "calls_person_started"},
	{"the notes' full-text index", "search_text_data"},
	{"the people finder's full-text index", "people_search_data"},
}

func TestDamagedFileRefusesWrites(t *testing.T) {
	for _, d := range damaged {
		t.Run(d.what, func(t *testing.T) {
			ctx := context.Background()
			path := filepath.Join(t.TempDir(), "callcoach.db")
			caseloadOnDisk(t, path)
			damagePage(t, path, d.btree)
			before := fileHash(t, path)

			s, err := Open(ctx, path)
			if err != nil {
				t.Fatalf("Open: %v (reads must still work)", err)
			}
			p := coaching.Person{Name: "Cy New"}
			if err := p.Normalize(time.LoadLocation); err != nil {
				t.Fatal(err)
			}
			// The write comes first: it waits for the check itself.
			_, werr := s.CreatePerson(ctx, p, t0)
			cerr := s.CheckPages(ctx)
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			if !errors.Is(werr, ErrDamaged) {
				t.Errorf("CreatePerson: %v; want ErrDamaged", werr)
			}
			if !errors.Is(cerr, ErrDamaged) {
				t.Errorf("CheckPages: %v; want ErrDamaged", cerr)
			}
			for _, err := range []error{werr, cerr} {
				if err == nil {
					continue
				}
				msg := Explain(err)
				for _, want := range []string{path, "damaged", "callcoach restore", "callcoach backup", "rescue"} {
					if !strings.Contains(msg, want) {
						t.Errorf("message %q lacks %q", msg, want)
					}
				}
			}
			if after := fileHash(t, path); after != before {
				t.Error("the damaged file was written to")
			}
		})
	}
}

func TestCheckPagesPassesHealthyFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "callcoach.db")
	caseloadOnDisk(t, path)
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	// Writers and checkers at once: every write waits for the one check,
	// and every write then goes in.
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := range 4 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			errs <- s.CheckPages(ctx)
		}()
		go func() {
			defer wg.Done()
			p := coaching.Person{Name: "Writer " + string(rune('A'+i))}
			if err := p.Normalize(time.LoadLocation); err != nil {
				errs <- err
				return
			}
			_, err := s.CreatePerson(ctx, p, t0)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

func TestWriteWaitsForTheCheckWithItsContext(t *testing.T) {
	path := filepath.Join(t.TempDir(), "callcoach.db")
	caseloadOnDisk(t, path)
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	p := coaching.Person{Name: "Cy"}
	if err := p.Normalize(time.LoadLocation); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreatePerson(ctx, p, t0); !errors.Is(err, context.Canceled) {
		t.Fatalf("write with a cancelled context: %v", err)
	}
	// A cancelled check is no verdict: the next one runs and passes.
	if err := s.CheckPages(context.Background()); err != nil {
		t.Fatalf("CheckPages after a cancelled one: %v", err)
	}
	if _, err := s.CreatePerson(context.Background(), p, t0); err != nil {
		t.Fatal(err)
	}
}
