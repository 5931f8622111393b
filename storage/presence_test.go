package storage

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"callcoach/coaching"
)

// openAt opens a second (or third) program's Store on the same file, with
// renewals by hand so the test's clock rules.
func openAt(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func register(t *testing.T, s *Store, now time.Time) Instance {
	t.Helper()
	i, err := s.RegisterEvery(context.Background(), now, 0)
	if err != nil {
		t.Fatalf("Register: %v", err)
	}
	return i
}

// twoPrograms is one file open in two registered programs, with a call
// started by the first.
func twoPrograms(t *testing.T) (a, b *Store, callID int64) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "callcoach.db")
	a, b = openAt(t, path), openAt(t, path)
	register(t, a, t0)
	register(t, b, t0)
	pid := createPerson(t, a, coaching.Person{Name: "Rosa"})
	call, err := a.StartCall(context.Background(), pid, coaching.RoleCoach, t0)
	if err != nil {
		t.Fatal(err)
	}
	return a, b, call.ID
}

func wantElsewhere(t *testing.T, err error) *CallElsewhereError {
	t.Helper()
	var e *CallElsewhereError
	if !errors.As(err, &e) || !errors.Is(err, ErrCallElsewhere) {
		t.Fatalf("err = %v, want a *CallElsewhereError", err)
	}
	return e
}

func TestACallIsWrittenFromOnePlace(t *testing.T) {
	ctx := context.Background()
	a, b, call := twoPrograms(t)
	self, _ := a.Self()

	// The second program is told who has it, and changes nothing.
	e := wantElsewhere(t, b.ClaimCall(ctx, call, t0.Add(time.Second)))
	if e.Holder.ID != self.ID || e.Holder.PID != os.Getpid() || !e.Holder.Since.Equal(t0) {
		t.Fatalf("holder = %+v, want %+v since %v", e.Holder, self, t0)
	}
	if !strings.Contains(e.Error(), "process ") || !strings.Contains(e.Error(), "since 14:05:09") {
		t.Errorf("message %q does not say where and since when", e.Error())
	}
	wantElsewhere(t, func() error { _, err := b.SaveNotes(ctx, call, "from b", 1, t0); return err }())
	if _, err := a.SaveNotes(ctx, call, "from a", 1, t0); err != nil {
		t.Fatalf("the holder's save: %v", err)
	}
	h, ok, err := b.CallHolderOf(ctx, call, t0.Add(time.Second))
	if err != nil || !ok || h.ID != self.ID {
		t.Fatalf("CallHolderOf = %+v, %v, %v", h, ok, err)
	}

	// Taken over on purpose: the first program's writes are refused from
	// then on, every kind of them, and nothing of them lands.
	if err := b.TakeOverCall(ctx, call, t0.Add(2*time.Second)); err != nil {
		t.Fatal(err)
	}
	bSelf, _ := b.Self()
	for name, write := range map[string]func() error{
		"notes": func() error { _, err := a.SaveNotes(ctx, call, "from a, later", 2, t0); return err },
		"stage": func() error { return a.EnterStage(ctx, call, coaching.StagePlan, t0) },
		"tally": func() error { return a.AddTallyMark(ctx, call, coaching.TallyAffirmation, t0) },
		"undo":  func() error { _, _, err := a.UndoTallyMark(ctx, call, t0); return err },
		"ruler": func() error {
			_, err := a.SaveRuler(ctx, coaching.Ruler{CallID: call, Kind: coaching.RulerImportance, Score: 5}, t0)
			return err
		},
		"talk": func() error {
			_, err := a.AddChangeTalk(ctx, coaching.ChangeTalk{CallID: call, Kind: coaching.TalkDesire, Quote: "x"}, t0)
			return err
		},
		"summary": func() error { return a.SaveSummary(ctx, call, "s", t0) },
		"end":     func() error { return a.EndCall(ctx, call, coaching.OutcomeReached, t0) },
	} {
		e := wantElsewhere(t, write())
		if e.Holder.ID != bSelf.ID {
			t.Errorf("%s: refused naming %+v, want the new holder", name, e.Holder)
		}
	}
	got, err := b.GetCall(ctx, call)
	if err != nil || got.Notes != "from a" || !got.EndedAt.IsZero() {
		t.Fatalf("call after the refused writes = %+v, %v", got, err)
	}
	if _, err := b.SaveNotes(ctx, call, "from b", 2, t0); err != nil {
		t.Fatalf("the new holder's save: %v", err)
	}

	// Giving it up leaves nobody; the first program cannot write without
	// claiming it again.
	if err := b.ReleaseCall(ctx, call); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := a.CallHolderOf(ctx, call, t0); ok {
		t.Fatal("released call still held")
	}
	e = wantElsewhere(t, a.AddTallyMark(ctx, call, coaching.TallyAffirmation, t0))
	if e.Holder.ID != "" || !strings.Contains(e.Error(), "took it over") {
		t.Errorf("unheld refusal = %+v %q", e.Holder, e.Error())
	}
	if err := a.ClaimCall(ctx, call, t0); err != nil {
		t.Fatal(err)
	}
	if err := a.AddTallyMark(ctx, call, coaching.TallyAffirmation, t0); err != nil {
		t.Fatal(err)
	}
}

func TestAGoneHoldersClaimLapses(t *testing.T) {
	ctx := context.Background()
	t.Run("renewals stopped", func(t *testing.T) {
		a, b, call := twoPrograms(t)
		if err := a.Beat(ctx, t0.Add(5*time.Second)); err != nil {
			t.Fatal(err)
		}
		wantElsewhere(t, b.ClaimCall(ctx, call, t0.Add(5*time.Second+staleAfter)))
		if err := b.ClaimCall(ctx, call, t0.Add(6*time.Second+staleAfter)); err != nil {
			t.Fatalf("a claim not renewed for %v was not taken over: %v", staleAfter, err)
		}
	})
	t.Run("process gone on this machine", func(t *testing.T) {
		a, b, call := twoPrograms(t)
		self, _ := a.Self()
		if _, err := a.rw.Exec("UPDATE instances SET pid = ? WHERE id = ?", deadPID(t), self.ID); err != nil {
			t.Fatal(err)
		}
		if err := b.ClaimCall(ctx, call, t0.Add(time.Second)); err != nil {
			t.Fatalf("a dead process's claim was not taken over at once: %v", err)
		}
	})
	t.Run("closed cleanly", func(t *testing.T) {
		a, b, call := twoPrograms(t)
		if err := a.Close(); err != nil {
			t.Fatal(err)
		}
		if _, ok, _ := b.CallHolderOf(ctx, call, t0); ok {
			t.Fatal("a closed program still holds its call")
		}
		others, err := b.Others(ctx, t0)
		if err != nil || len(others) != 0 {
			t.Fatalf("Others after close = %v, %v", others, err)
		}
	})
	t.Run("renewing after being taken for gone", func(t *testing.T) {
		a, b, call := twoPrograms(t)
		late := t0.Add(staleAfter + time.Second)
		if err := b.ClaimCall(ctx, call, late); err != nil {
			t.Fatal(err)
		}
		if _, err := b.RegisterEvery(ctx, late, 0); err != nil { // registering again changes nothing
			t.Fatal(err)
		}
		// b's registration pruned a's; a's next renewal puts it back, but
		// the call stays with b.
		if _, err := b.rw.Exec("DELETE FROM instances WHERE id <> ?", mustSelf(t, b).ID); err != nil {
			t.Fatal(err)
		}
		if err := a.Beat(ctx, late); err != nil {
			t.Fatal(err)
		}
		others, err := b.Others(ctx, late)
		if err != nil || len(others) != 1 || others[0].ID != mustSelf(t, a).ID {
			t.Fatalf("Others = %v, %v", others, err)
		}
		wantElsewhere(t, a.AddTallyMark(ctx, call, coaching.TallySummary, late))
	})
}

func mustSelf(t *testing.T, s *Store) Instance {
	t.Helper()
	i, ok := s.Self()
	if !ok {
		t.Fatal("not registered")
	}
	return i
}

// deadPID is the id of a process that has just ended.
func deadPID(t *testing.T) int {
	t.Helper()
	p, err := os.StartProcess("/bin/true", []string{"true"}, &os.ProcAttr{})
	if err != nil {
		t.Skipf("cannot start a process: %v", err)
	}
	if _, err := p.Wait(); err != nil {
		t.Fatal(err)
	}
	return p.Pid
}

func TestRestoreRefusesAFileOpenElsewhere(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	live := filepath.Join(dir, "callcoach.db")
	s := openAt(t, live)
	createPerson(t, s, coaching.Person{Name: "Rosa"})
	backup := filepath.Join(dir, "backup.db")
	if _, err := s.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Register(ctx, time.Now()); err != nil { // renewed in the background, as the app does
		t.Fatal(err)
	}
	waitRegistered(t, s)
	before := fileHash(t, live)

	_, err := Restore(ctx, backup, live)
	var oe *OpenElsewhereError
	if !errors.As(err, &oe) || len(oe.Instances) != 1 || oe.Instances[0].PID != os.Getpid() {
		t.Fatalf("Restore while open = %v, want an *OpenElsewhereError naming this process", err)
	}
	if !strings.Contains(err.Error(), "nothing was restored") || !strings.Contains(err.Error(), "Close callcoach") {
		t.Errorf("message %q", err.Error())
	}
	if fileHash(t, live) != before {
		t.Fatal("the refused restore changed the file")
	}
	if err := s.CheckFile(); err != nil {
		t.Fatalf("the open program lost its file: %v", err)
	}

	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := Restore(ctx, backup, live); err != nil {
		t.Fatalf("Restore once closed: %v", err)
	}
}

func TestAReplacedOrRemovedFileIsNotWritten(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name    string
		change  func(t *testing.T, path string)
		removed bool
	}{
		{"removed", func(t *testing.T, path string) {
			for _, suffix := range []string{"", "-wal", "-shm"} {
				os.Remove(path + suffix)
			}
		}, true},
		{"replaced", func(t *testing.T, path string) {
			if err := moveFiles(path, path+".aside"); err != nil { // as Restore does
				t.Fatal(err)
			}
			if err := os.WriteFile(path, nil, 0o600); err != nil {
				t.Fatal(err)
			}
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "callcoach.db")
			s := openAt(t, path)
			pid := createPerson(t, s, coaching.Person{Name: "Rosa"})
			call, err := s.StartCall(ctx, pid, coaching.RoleCoach, t0)
			if err != nil {
				t.Fatal(err)
			}
			tc.change(t, path)
			_, err = s.SaveNotes(ctx, call.ID, "typed after", 1, t0)
			var g *FileGoneError
			if !errors.As(err, &g) || !errors.Is(err, ErrFileGone) || g.Removed != tc.removed {
				t.Fatalf("save into a %s file = %v", tc.name, err)
			}
			if err := s.CheckFile(); !errors.Is(err, ErrFileGone) {
				t.Fatalf("CheckFile = %v", err)
			}
			if !tc.removed {
				if got := rawCount(t, path+".aside", "SELECT count(*) FROM calls WHERE notes <> ''"); got != 0 {
					t.Fatal("the save went into the file set aside")
				}
			}
		})
	}
}

// waitRegistered waits until the background renewal has recorded s.
func waitRegistered(t *testing.T, s *Store) {
	t.Helper()
	self := mustSelf(t, s)
	for range 1000 {
		var n int
		if err := s.ro.QueryRow("SELECT count(*) FROM instances WHERE id = ?", self.ID).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 1 {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("the registration was never written")
}

func rawCount(t *testing.T, path, query string) int {
	t.Helper()
	db := rawDB(t, path)
	defer db.Close()
	var n int
	if err := db.QueryRow(query).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
