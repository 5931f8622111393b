package storage

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"callcoach/coaching"
)

// indexNotes brings the search index up to date, as the Store does by
// itself a moment after saves.
func indexNotes(t testing.TB, s *Store) {
	t.Helper()
	if _, err := s.IndexNotes(context.Background()); err != nil {
		t.Fatalf("IndexNotes: %v", err)
	}
}

// indexAfter sets when the background indexes after saves; tests that
// check an index run of their own set both long, so it never does. It
// waits for the run at open, which a test with its own file lets happen
// by making the file or by checking its pages first.
func indexAfter(s *Store, idle, lag time.Duration) {
	<-s.index.swept
	s.index.mu.Lock()
	defer s.index.mu.Unlock()
	s.index.idle, s.index.lag = idle, lag
}

// unindexed lists the calls marked as having notes the index has not
// taken in, after checking the promise: every call without a mark has
// exactly its notes in the index (no row if they are empty), and the
// index holds no notes of a call that is gone.
func unindexed(t *testing.T, s *Store) []int64 {
	t.Helper()
	ctx := context.Background()
	rows, err := s.ro.QueryContext(ctx, `SELECT c.id FROM calls c LEFT JOIN search_text x ON x.rowid = c.id * 4 + 1
		WHERE c.id NOT IN (SELECT call_id FROM notes_unindexed)
			AND CASE WHEN c.notes = '' THEN x.rowid IS NOT NULL ELSE x.body IS DISTINCT FROM c.notes END
		UNION ALL
		SELECT rowid / 4 FROM search_text WHERE rowid % 4 = 1 AND rowid / 4 NOT IN (SELECT id FROM calls)`)
	if err != nil {
		t.Fatal(err)
	}
	var stale []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		stale = append(stale, id)
	}
	rows.Close()
	if len(stale) > 0 {
		t.Fatalf("the index is out of step with the notes of calls %v, and they are not marked", stale)
	}
	var marked []int64
	rows, err = s.ro.QueryContext(ctx, "SELECT call_id FROM notes_unindexed ORDER BY call_id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		marked = append(marked, id)
	}
	return marked
}

// found says whether a search for query finds the notes of call.
func found(t testing.TB, s *Store, query string, call int64) bool {
	t.Helper()
	hits, err := s.Search(context.Background(), query, 100)
	if err != nil {
		t.Fatal(err)
	}
	return slices.ContainsFunc(hits, func(h SearchHit) bool { return h.Kind == HitNote && h.RefID == call })
}

// eventually waits until search finds query in the call's notes. It
// fails only after far longer than any promise, so a busy machine does
// not fail it; a Store that never indexes does.
func eventually(t *testing.T, s *Store, query string, call int64) {
	t.Helper()
	deadline := time.Now().Add(indexLag + 30*time.Second)
	for !found(t, s, query, call) {
		if time.Now().After(deadline) {
			t.Fatalf("search never found %q in call %d", query, call)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func saveNotes(t *testing.T, s *Store, call int64, notes string, rev int64) {
	t.Helper()
	if applied, err := s.SaveNotes(context.Background(), call, notes, rev, t0); err != nil || !applied {
		t.Fatalf("SaveNotes(%q, %d) = %v, %v", notes, rev, applied, err)
	}
}

// TestSaveNotesMarksAndIndexNotesCatchesUp: a save writes the notes and
// the mark, not the index; IndexNotes puts in the new words, takes out
// the old, and clears the mark.
func TestSaveNotesMarksAndIndexNotesCatchesUp(t *testing.T) {
	s := newStore(t)
	indexAfter(s, time.Hour, time.Hour)
	other, call := newCall(t, s), newCall(t, s)

	saveNotes(t, s, call, "Knee sore on Thursday.", 1)
	saveNotes(t, s, other, "Sleeping better.", 1)
	if got := unindexed(t, s); !slices.Equal(got, []int64{other, call}) {
		t.Fatalf("marked after two saves: %v, want %v", got, []int64{other, call})
	}
	if found(t, s, "knee", call) {
		t.Fatal("the save indexed the notes itself")
	}
	if n, err := s.IndexNotes(context.Background()); err != nil || n != 2 {
		t.Fatalf("IndexNotes = %d, %v; want 2 calls", n, err)
	}
	if got := unindexed(t, s); len(got) != 0 {
		t.Fatalf("still marked: %v", got)
	}
	if !found(t, s, "knee thursday", call) || !found(t, s, "sleeping", other) {
		t.Fatal("indexed notes are not found")
	}

	saveNotes(t, s, call, "Now it is the hip.", 2)
	saveNotes(t, s, call, "Now it is the hip.", 3) // the same words: nothing to index
	if got := unindexed(t, s); !slices.Equal(got, []int64{call}) {
		t.Fatalf("marked: %v, want %v", got, []int64{call})
	}
	indexNotes(t, s)
	if found(t, s, "knee", call) || !found(t, s, "hip", call) {
		t.Fatal("after an edit: the old words are found, or the new are not")
	}

	saveNotes(t, s, call, "", 4)
	indexNotes(t, s)
	if found(t, s, "hip", call) {
		t.Fatal("notes emptied are still found")
	}
	if n, err := s.IndexNotes(context.Background()); err != nil || n != 0 {
		t.Fatalf("IndexNotes with nothing to do = %d, %v", n, err)
	}
	unindexed(t, s)
}

// TestSearchFindsNotesSoonAfterSaving is the promise as it stands: once
// saves pause, search finds what was saved within indexIdle.
func TestSearchFindsNotesSoonAfterSaving(t *testing.T) {
	s := newStore(t)
	call := newCall(t, s)
	saveNotes(t, s, call, "Started xylophone lessons.", 1)
	eventually(t, s, "xylophone", call)
	if got := unindexed(t, s); len(got) != 0 {
		t.Fatalf("still marked: %v", got)
	}
}

// TestIndexKeepsUpWithSteadyTyping: saves that never pause for indexIdle
// are still indexed, within indexLag of the first.
func TestIndexKeepsUpWithSteadyTyping(t *testing.T) {
	s := newStore(t)
	indexAfter(s, time.Hour, 50*time.Millisecond)
	call := newCall(t, s)
	deadline := time.Now().Add(30 * time.Second)
	notes := "Talked about the allotment."
	for rev := int64(1); !found(t, s, "allotment", call); rev++ {
		if time.Now().After(deadline) {
			t.Fatal("notes saved without a pause were never indexed")
		}
		notes += fmt.Sprintf(" word%d", rev)
		saveNotes(t, s, call, notes, rev)
		time.Sleep(5 * time.Millisecond)
	}
}

// TestEndingOrDiscardingACallIndexesItsNotes: ending a call, or
// discarding one that holds notes, indexes them in the same transaction;
// discarding an empty call removes it, mark and all.
func TestEndingOrDiscardingACallIndexesItsNotes(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	indexAfter(s, time.Hour, time.Hour)
	ended, kept, gone := newCall(t, s), newCall(t, s), newCall(t, s)
	saveNotes(t, s, gone, "typed by a slip", 1)
	indexNotes(t, s)
	saveNotes(t, s, gone, "", 2) // the index still holds the slip
	saveNotes(t, s, ended, "Walked to the market.", 1)
	saveNotes(t, s, kept, "Opened by mistake, but she mentioned the pool.", 1)
	if got := unindexed(t, s); !slices.Equal(got, []int64{ended, kept, gone}) {
		t.Fatalf("marked before ending: %v, want %v", got, []int64{ended, kept, gone})
	}

	if err := s.EndCall(ctx, ended, coaching.OutcomeReached, t0); err != nil {
		t.Fatal(err)
	}
	if deleted, err := s.DiscardCall(ctx, kept, t0); err != nil || deleted {
		t.Fatalf("DiscardCall(kept) = %v, %v", deleted, err)
	}
	if deleted, err := s.DiscardCall(ctx, gone, t0); err != nil || !deleted {
		t.Fatalf("DiscardCall(gone) = %v, %v", deleted, err)
	}
	if got := unindexed(t, s); len(got) != 0 {
		t.Fatalf("still marked: %v", got)
	}
	if !found(t, s, "market", ended) || !found(t, s, "pool", kept) || found(t, s, "slip", gone) {
		t.Fatal("after ending and discarding: an ended or kept call is not found, or a removed one is")
	}
}

// TestClosingIndexesWhatWasSaved: a Store closed before its background
// run indexes on the way out, so the file it leaves has nothing marked.
func TestClosingIndexesWhatWasSaved(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "callcoach.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	indexAfter(s, time.Hour, time.Hour)
	call := newCall(t, s)
	saveNotes(t, s, call, "Bought a bicycle.", 1)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := OpenReadOnly(ctx, path) // writes nothing: what Close left
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if got := unindexed(t, r); len(got) != 0 {
		t.Fatalf("marked after Close: %v", got)
	}
	if !found(t, r, "bicycle", call) {
		t.Fatal("notes saved before Close are not found")
	}
}

// TestNotesIndexedAfterKill kills a program right after a notes save and
// before any index run; the mark it leaves makes the next program index
// the notes once its page check has passed.
func TestNotesIndexedAfterKill(t *testing.T) {
	if path := os.Getenv(killDBEnv); path != "" {
		saveNotesAndWait(path)
		return
	}
	path, id := killedChild(t, "saved call ")
	call, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := unindexed(t, s); !slices.Equal(got, []int64{call}) {
		t.Fatalf("marked after the kill: %v, want %v (was the kill after an index run?)", got, []int64{call})
	}
	if c, err := s.GetCall(ctx, call); err != nil || c.Notes != "Zanzibar in the spring." {
		t.Fatalf("notes after the kill: %+v, %v", c, err)
	}
	if err := s.CheckPages(ctx); err != nil {
		t.Fatal(err)
	}
	eventually(t, s, "zanzibar", call)
	if got := unindexed(t, s); len(got) != 0 {
		t.Fatalf("still marked: %v", got)
	}
}

// saveNotesAndWait is the child of TestNotesIndexedAfterKill.
func saveNotesAndWait(path string) {
	ctx := context.Background()
	s, err := Open(ctx, path)
	if err != nil {
		childFailed(err)
	}
	indexAfter(s, time.Hour, time.Hour)
	pid, err := s.CreatePerson(ctx, coaching.Person{Name: "Ann", Status: coaching.StatusActive}, t0)
	if err != nil {
		childFailed(err)
	}
	c, err := s.StartCall(ctx, pid, coaching.RoleCoach, t0)
	if err != nil {
		childFailed(err)
	}
	if _, err := s.SaveNotes(ctx, c.ID, "Zanzibar in the spring.", 1, t0); err != nil {
		childFailed(err)
	}
	childWrote(fmt.Sprintf("saved call %d", c.ID))
}

// TestTakingOverACallIndexesItsNotes: notes the first program saved but
// did not index are indexed when a second takes the call over, and what
// the second then saves replaces them in the index.
func TestTakingOverACallIndexesItsNotes(t *testing.T) {
	ctx := context.Background()
	a, b, call := twoPrograms(t)
	if err := b.CheckPages(ctx); err != nil { // b's own run at open comes before a saves
		t.Fatal(err)
	}
	indexAfter(a, time.Hour, time.Hour)
	indexAfter(b, time.Hour, time.Hour)
	saveNotes(t, a, call, "Quokka photos from her son.", 1)
	if found(t, b, "quokka", call) {
		t.Fatal("indexed before the take-over")
	}
	if err := b.TakeOverCall(ctx, call, t0); err != nil {
		t.Fatal(err)
	}
	if !found(t, b, "quokka", call) {
		t.Fatal("the notes of a call taken over are not indexed")
	}
	saveNotes(t, b, call, "Wombat documentary instead.", 2)
	indexNotes(t, b)
	if found(t, a, "quokka", call) || !found(t, a, "wombat", call) {
		t.Fatal("after the new holder's save: the old words are found, or the new are not")
	}
	unindexed(t, b)
}

// TestIndexingAlongsideSaves: one program indexes while another saves;
// whatever the interleaving, the index ends with the last notes saved and
// never holds unmarked stale text.
func TestIndexingAlongsideSaves(t *testing.T) {
	ctx := context.Background()
	a, b, call := twoPrograms(t)
	if err := b.CheckPages(ctx); err != nil {
		t.Fatal(err)
	}
	indexAfter(a, time.Hour, time.Hour)
	indexAfter(b, time.Hour, time.Hour)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			select {
			case <-done:
				return
			default:
			}
			if _, err := b.IndexNotes(ctx); err != nil {
				t.Error(err)
				return
			}
		}
	})
	for rev := int64(1); rev <= 60; rev++ {
		saveNotes(t, a, call, fmt.Sprintf("note number%d", rev), rev)
		unindexed(t, a) // while b indexes
	}
	close(done)
	wg.Wait()
	unindexed(t, a)
	indexNotes(t, b)
	if got := unindexed(t, a); len(got) != 0 {
		t.Fatalf("still marked: %v", got)
	}
	if !found(t, a, "number60", call) || found(t, a, "number59", call) {
		t.Fatal("the index does not hold exactly the last notes saved")
	}
}
