package storage

import (
	"context"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestNoteDeltaRebuildsTheText(t *testing.T) {
	pieces := []string{"", "a", "é", "🌻", "مريم", "\n", "walk ", "walks", "ab", "ba"}
	r := rand.New(rand.NewPCG(1, 2))
	word := func() string {
		var b strings.Builder
		for range r.IntN(6) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		return b.String()
	}
	for i := range 5000 {
		base, to := word(), word()
		if i%3 == 0 {
			to = base[:r.IntN(len(base)+1)] + word() // an edit inside base (maybe mid-character)
			if k := r.IntN(len(base) + 1); k <= len(base) {
				to += base[k:]
			}
		}
		head, mid, tail := noteDelta(base, to)
		if head+tail > len(base) || head+tail > len(to) {
			t.Fatalf("noteDelta(%q, %q) = %d, %q, %d: head and tail overlap", base, to, head, mid, tail)
		}
		if got := base[:head] + mid + base[len(base)-tail:]; got != to {
			t.Fatalf("noteDelta(%q, %q) = %d, %q, %d rebuilds %q", base, to, head, mid, tail, got)
		}
	}
	// Typing at the end of a long note writes what was typed.
	long := strings.Repeat("Walked to the shops and felt fine.\n", 500)
	if head, mid, tail := noteDelta(long, long+"And "); head != len(long) || mid != "And " || tail != 0 {
		t.Fatalf("typing at the end: %d, %q, %d", head, mid, tail)
	}
}

// notesAsTyped reads the notes as the view call_notes gives them to any
// reader, the sqlite3 command line included.
func notesAsTyped(t *testing.T, s *Store, call int64) (string, int64) {
	t.Helper()
	var notes string
	var rev int64
	if err := s.ro.QueryRowContext(context.Background(), "SELECT notes, notes_rev FROM call_notes WHERE call_id = ?", call).Scan(&notes, &rev); err != nil {
		t.Fatal(err)
	}
	return notes, rev
}

// TestSavedNotesSurviveEditsFoldsAndRestarts edits a note as a coach
// might (typing at the end, fixing a word near the top, pasting, deleting,
// any script), saving after each edit, with the pending change folded into
// the call's row now and then, by this program or by another one on the
// same file, and the program restarted now and then: after every step,
// the call, the view and (after a fold) the row hold exactly what was
// typed. Neither program registers, so either may save: each save may
// find a change pending that the other wrote.
func TestSavedNotesSurviveEditsFoldsAndRestarts(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "callcoach.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { s.Close() }()
	call := newCall(t, s)
	other, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if err := other.CheckPages(ctx); err != nil {
		t.Fatal(err)
	}
	indexAfter(s, time.Hour, time.Hour)
	indexAfter(other, time.Hour, time.Hour)

	words := []string{"walked ", "é", "🌻", "مريم ", "\n", "felt fine. ", "x", "  "}
	r := rand.New(rand.NewPCG(7, 11))
	notes := ""
	rev := int64(0)
	for step := range 400 {
		switch k := r.IntN(10); {
		case k < 5 || notes == "": // type at the end
			notes += words[r.IntN(len(words))]
		case k < 7: // type somewhere inside, at a character boundary
			runes := []rune(notes)
			i := r.IntN(len(runes) + 1)
			notes = string(runes[:i]) + words[r.IntN(len(words))] + string(runes[i:])
		case k < 9: // delete a few characters
			runes := []rune(notes)
			i := r.IntN(len(runes))
			j := min(len(runes), i+1+r.IntN(5))
			notes = string(runes[:i]) + string(runes[j:])
		default: // paste a block, now and then a long one (written whole)
			notes = strings.Repeat("pasted line\n", 1+r.IntN(400)) + notes
		}
		rev++
		saver := s
		if r.IntN(4) == 0 {
			saver = other // a change pending from one program, the next save from another
		}
		if applied, err := saver.SaveNotes(ctx, call, notes, rev, t0.Add(time.Duration(step)*time.Second)); err != nil || !applied {
			t.Fatalf("step %d: SaveNotes = %v, %v", step, applied, err)
		}
		switch r.IntN(12) {
		case 0:
			indexNotes(t, s) // this program folds
		case 1:
			indexNotes(t, other) // another program on the file folds
		case 2: // restart, with the change maybe still pending
			s.Close()
			if s, err = Open(ctx, path); err != nil {
				t.Fatal(err)
			}
			if err := s.CheckPages(ctx); err != nil {
				t.Fatal(err)
			}
			indexAfter(s, time.Hour, time.Hour)
		}
		got, err := s.GetCall(ctx, call)
		if err != nil {
			t.Fatal(err)
		}
		if got.Notes != notes || got.NotesRev != rev {
			t.Fatalf("step %d: GetCall has rev %d, notes\n%q\nwant rev %d,\n%q", step, got.NotesRev, got.Notes, rev, notes)
		}
		if v, vrev := notesAsTyped(t, other, call); v != notes || vrev != rev {
			t.Fatalf("step %d: call_notes has rev %d, notes\n%q\nwant\n%q", step, vrev, v, notes)
		}
		if !utf8.ValidString(got.Notes) {
			t.Fatalf("step %d: the notes came back as invalid UTF-8", step)
		}
	}
	// An older save after a restart is still refused.
	s.Close()
	if s, err = Open(ctx, path); err != nil {
		t.Fatal(err)
	}
	if applied, err := s.SaveNotes(ctx, call, "an old save", rev-1, t0); err != nil || applied {
		t.Fatalf("an older revision: applied %v, %v", applied, err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	var row string
	var pending int
	if err := s.ro.QueryRowContext(ctx, "SELECT notes, (SELECT count(*) FROM notes_pending) FROM calls WHERE id = ?", call).Scan(&row, &pending); err != nil {
		t.Fatal(err)
	}
	if row != notes || pending != 0 {
		t.Fatalf("after Close: %d changes still pending; the row holds\n%q\nwant\n%q", pending, row, notes)
	}
}

// TestALongNoteSaveWritesWhatChanged: typing at the end of a 500-line
// note writes what was typed since the last fold, not the note.
func TestALongNoteSaveWritesWhatChanged(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	indexAfter(s, time.Hour, time.Hour)
	call := newCall(t, s)
	long := notesOfLines(500)
	if _, err := s.SaveNotes(ctx, call, long, 1, t0); err != nil {
		t.Fatal(err)
	}
	var row, mid string
	if err := s.ro.QueryRowContext(ctx, "SELECT c.notes, p.mid FROM calls c JOIN notes_pending p ON p.call_id = c.id WHERE c.id = ?", call).Scan(&row, &mid); err != nil {
		t.Fatal(err)
	}
	if row != long || mid != "" {
		t.Fatalf("a first save of %d bytes: the row has %d bytes, %d pending (more than %d changed: written whole)", len(long), len(row), len(mid), pendingMax)
	}
	indexNotes(t, s)
	for i, typed := range []string{"W", "Wa", "Wal", "Walk"} {
		if _, err := s.SaveNotes(ctx, call, long+typed, int64(i+2), t0); err != nil {
			t.Fatal(err)
		}
	}
	var head int
	if err := s.ro.QueryRowContext(ctx, "SELECT head, mid FROM notes_pending WHERE call_id = ?", call).Scan(&head, &mid); err != nil {
		t.Fatal(err)
	}
	if mid != "Walk" || head != len(long) {
		t.Fatalf("pending after typing at the end: head %d (note %d bytes), mid %q", head, len(long), mid)
	}
}

// TestDiscardingACallTakesItsPendingChange: a call thrown away takes its
// pending change with it.
func TestDiscardingACallTakesItsPendingChange(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	indexAfter(s, time.Hour, time.Hour)
	call := newCall(t, s)
	if _, err := s.SaveNotes(ctx, call, "x", 1, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveNotes(ctx, call, "", 2, t0); err != nil {
		t.Fatal(err)
	}
	if deleted, err := s.DiscardCall(ctx, call, t0); err != nil || !deleted {
		t.Fatalf("DiscardCall = %v, %v (emptied notes: nothing captured)", deleted, err)
	}
	var n int
	if err := s.ro.QueryRowContext(ctx, "SELECT count(*) FROM notes_pending").Scan(&n); err != nil || n != 0 {
		t.Fatalf("pending after discard: %d, %v", n, err)
	}
}
