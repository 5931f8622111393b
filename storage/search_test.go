package storage

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"callcoach/coaching"
)

func TestSearchFindsNotesPlansAndTalk(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	ann := createPerson(t, s, coaching.Person{Name: "Ann Lee"})
	bob := createPerson(t, s, coaching.Person{Name: "Bob Diaz"})
	c1, err := s.StartCall(ctx, ann, coaching.RoleCoach, t0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveNotes(ctx, c1.ID, "Walked to the café twice.\nKnee sore on Thursday.", 1, t0); err != nil {
		t.Fatal(err)
	}
	c2, _ := s.StartCall(ctx, bob, coaching.RoleCoach, t0)
	s.SaveNotes(ctx, c2.ID, "Talked about sleep and the new tablets.", 1, t0)
	if _, err := s.AddChangeTalk(ctx, coaching.ChangeTalk{CallID: c2.ID, Kind: coaching.TalkDesire, Quote: "I want to sleep through"}, t0); err != nil {
		t.Fatal(err)
	}
	indexNotes(t, s) // saves leave the index a moment behind
	plan := coaching.ActionPlan{PersonID: ann, Behaviour: coaching.BehaviourActivity, What: "swim on Tuesdays",
		Commitment: "I'll go to the pool", Confidence: coaching.NoScore, Status: coaching.PlanActive}
	if _, err := s.SavePlan(ctx, plan, t0); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		query string
		want  []string // "kind person" of each hit, in any order
	}{
		{"knee", []string{"1 Ann Lee"}},
		{"KNEE thurs", []string{"1 Ann Lee"}},
		{"cafe", []string{"1 Ann Lee"}}, // accents folded
		{"sleep", []string{"1 Bob Diaz", "3 Bob Diaz"}},
		{"pool", []string{"2 Ann Lee"}},
		{"swim pool", []string{"2 Ann Lee"}},
		{"knee pool", nil},                   // every word must match in one place
		{`"knee)* -`, []string{"1 Ann Lee"}}, // quotes, brackets and stars are just punctuation
		{"", nil},
		{"  ...  ", nil},
	}
	for _, tt := range tests {
		hits, err := s.Search(ctx, tt.query, 20)
		if err != nil {
			t.Fatalf("Search(%q): %v", tt.query, err)
		}
		var got []string
		for _, h := range hits {
			got = append(got, strings.TrimSpace(string(rune('0'+h.Kind))+" "+h.PersonName))
		}
		if strings.Join(sorted(got), "|") != strings.Join(sorted(tt.want), "|") {
			t.Errorf("Search(%q) = %v, want %v", tt.query, got, tt.want)
		}
	}

	// The index follows edits: the old words go, the new come.
	if _, err := s.SaveNotes(ctx, c1.ID, "Now it is the hip.", 2, t0); err != nil {
		t.Fatal(err)
	}
	indexNotes(t, s)
	if hits, _ := s.Search(ctx, "knee", 20); len(hits) != 0 {
		t.Errorf("old notes still found: %+v", hits)
	}
	hits, _ := s.Search(ctx, "hip", 20)
	if len(hits) != 1 || hits[0].Kind != HitNote || hits[0].CallID != c1.ID || !strings.Contains(hits[0].Snippet, "«hip»") {
		t.Errorf("hits = %+v", hits)
	}
	talk, _ := s.Search(ctx, "through", 20)
	if len(talk) != 1 || talk[0].Kind != HitTalk || talk[0].CallID != c2.ID {
		t.Errorf("talk hits = %+v", talk)
	}
}

// matchSQL is the condition that a search_text row matches a
// SearchWords.query, on either engine.
func matchSQL(pg bool) string {
	if pg {
		return pgMatch
	}
	return "search_text MATCH ?"
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestReadSearch(t *testing.T) {
	tests := []struct {
		query, match, waiting string
	}{
		{"walking", `"walking"*`, ""},
		{"d", "", "d"},                   // one letter alone waits for the next
		{"walking d", `"walking"*`, "d"}, // so does the first letter of a second word
		{"walking do", `"walking"* "do"*`, ""},
		{"walking d ", `"walking"* "d"`, ""}, // finished: the word itself
		{"a 6 out", `"a" "6" "out"*`, ""},
		{"Café, tea", `"Café"* "tea"*`, ""},
		{`"knee)* -`, `"knee"*`, ""},
		{"", "", ""},
		{"  ...  ", "", ""},
	}
	for _, tt := range tests {
		w := ReadSearch(tt.query)
		if w.match() != tt.match || w.Waiting != tt.waiting || w.Empty() != (tt.match == "") {
			t.Errorf("ReadSearch(%q) = %q waiting %q, want %q waiting %q", tt.query, w.match(), w.Waiting, tt.match, tt.waiting)
		}
	}
	if !ReadSearch("walking d").Same(ReadSearch("walking")) || ReadSearch("walking d ").Same(ReadSearch("walking")) {
		t.Error("Same: a waiting letter changes nothing; a finished one does")
	}
}

// TestSearchOneLetterWaits: a last word of one letter is left out, so the
// search finds what it finds without it; alone, it finds nothing yet.
func TestSearchOneLetterWaits(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	ann := createPerson(t, s, coaching.Person{Name: "Ann Lee"})
	for i, notes := range []string{"Knee sore on Thursday.", "Knee better; walked to the shop.", "Tired all week."} {
		c, err := s.StartCall(ctx, ann, coaching.RoleCoach, t0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.SaveNotes(ctx, c.ID, notes, int64(i+1), t0); err != nil {
			t.Fatal(err)
		}
	}
	indexNotes(t, s)
	count := func(q string) int {
		t.Helper()
		hits, err := s.Search(ctx, q, 20)
		if err != nil {
			t.Fatalf("Search(%q): %v", q, err)
		}
		return len(hits)
	}
	if n := count("t"); n != 0 {
		t.Errorf("one letter alone: %d hits", n)
	}
	if a, b := count("knee"), count("knee z"); a != 2 || b != 2 {
		t.Errorf("knee: %d, knee z: %d; want 2 and 2", a, b)
	}
	if n := count("knee thu"); n != 1 {
		t.Errorf("knee thu: %d hits, want 1", n)
	}
}

// TestSearchBestRanksTheNewestMatches: best match first puts a note that
// says the words often, and is short, before one that says them once;
// it ranks only the newest BestMatchWindow matches, so an older note,
// however good a match, is left out.
func TestSearchBestRanksTheNewestMatches(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	ann := createPerson(t, s, coaching.Person{Name: "Ann Lee"})
	note := func(text string) int64 {
		t.Helper()
		c, err := s.StartCall(ctx, ann, coaching.RoleCoach, t0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.SaveNotes(ctx, c.ID, text, 1, t0); err != nil {
			t.Fatal(err)
		}
		indexNotes(t, s)
		return c.ID
	}
	old := note("Walking the dog, walking the dog, walking the dog: every day.")
	once := note("Walking the dog on Sundays, and a long talk about the garden, the neighbours and the weather.")
	often := note("Walked the dog; walking more; walking the dog again.")
	note("Tea with her sister.")

	hits, ranked, err := s.SearchBest(ctx, "walk dog", 10)
	if err != nil {
		t.Fatal(err)
	}
	var got []int64
	for _, h := range hits {
		got = append(got, h.CallID)
	}
	if want := []int64{old, often, once}; ranked != 3 || !slices.Equal(got, want) {
		t.Fatalf("best of %d: calls %v, want %v", ranked, got, want)
	}
	if !strings.Contains(hits[0].Snippet, "«Walking»") || hits[0].PersonName != "Ann Lee" || hits[0].Kind != HitNote {
		t.Errorf("best hit = %+v", hits[0])
	}
	newest, _ := s.Search(ctx, "walk dog", 10)
	if len(newest) != 3 || newest[0].CallID != often {
		t.Errorf("newest first: %+v", newest)
	}

	// Many newer matches, nearly every one saying "the" once or twice: the
	// old notes are outside the window; a newer one that says it more
	// comes first.
	if err := s.Generate(ctx, GenerateOptions{People: 250, CallsPerPerson: 10, Seed: 3, Now: t0}); err != nil {
		t.Fatal(err)
	}
	var many int
	the := SearchWords{words: []searchWord{{text: "the"}}}
	if err := s.ro.QueryRowContext(ctx, "SELECT count(*) FROM search_text WHERE "+matchSQL(s.pg), the.query(s.pg)).Scan(&many); err != nil {
		t.Fatal(err)
	}
	if many <= BestMatchWindow+3 {
		t.Fatalf("only %d notes say the: make more", many)
	}
	top := note("The dog, the cat, the weather.")
	note("Tea with her sister.")
	hits, ranked, err = s.SearchBest(ctx, "the", 100)
	if err != nil {
		t.Fatal(err)
	}
	if ranked != BestMatchWindow || len(hits) != 100 || hits[0].CallID != top {
		t.Fatalf("ranked %d, %d hits, first %+v; want %d, 100, call %d", ranked, len(hits), hits[0], BestMatchWindow, top)
	}
	for _, h := range hits {
		if h.CallID == old || h.CallID == often || h.CallID == once {
			t.Fatalf("call %d is older than the newest %d matches but was ranked", h.CallID, BestMatchWindow)
		}
	}
}

// TestSearchCancelled: a search whose context ends says so, with the
// context's error and no other, and leaves the store as it was: the next
// search, started as soon as it returns (as the next keystroke's is),
// finds what it should on the same connection, so cancelling never grows
// the readers' pool.
func TestSearchCancelled(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	if err := s.Generate(ctx, GenerateOptions{People: 300, CallsPerPerson: 10, Seed: 4, Now: t0}); err != nil {
		t.Fatal(err)
	}
	gone, cancel := context.WithCancel(ctx)
	cancel()
	if hits, err := s.Search(gone, "walking", 50); !errors.Is(err, context.Canceled) || hits != nil {
		t.Fatalf("cancelled before: %d hits, %v", len(hits), err)
	}
	if hits, _, err := s.SearchBest(gone, "walking", 50); !errors.Is(err, context.Canceled) || hits != nil {
		t.Fatalf("best, cancelled before: %d hits, %v", len(hits), err)
	}

	// Cancelled at every point of the search in turn.
	want, _ := s.Search(ctx, "walking dog", 50)
	conns := s.ro.Stats().OpenConnections
	cancelled := 0
	for i := range 60 {
		c, cancel := context.WithCancel(ctx)
		time.AfterFunc(time.Duration(i)*50*time.Microsecond, cancel)
		var err error
		if i%2 == 0 {
			_, _, err = s.SearchBest(c, "walking dog", 50)
		} else {
			_, err = s.Search(c, "walking dog", 50)
		}
		switch {
		case errors.Is(err, context.Canceled):
			cancelled++
		case err != nil:
			t.Fatalf("cancelled after %v: %v", time.Duration(i)*50*time.Microsecond, err)
		}
		cancel()
		if hits, err := s.Search(ctx, "walking", 50); err != nil || len(hits) != 50 {
			t.Fatalf("next search: %d hits, %v", len(hits), err)
		}
	}
	if cancelled == 0 {
		t.Error("no search was cancelled")
	}
	// None leaks. On PostgreSQL, pgx closes a connection whose query was
	// cancelled mid-way (the pool opens another when needed), so there
	// may be fewer.
	if n := s.ro.Stats().OpenConnections; n > conns || (!s.pg && n != conns) {
		t.Errorf("%d reader connections after cancelling, %d before", n, conns)
	}
	for range 8 { // every reader connection
		hits, err := s.Search(ctx, "walking dog", 50)
		if err != nil || len(hits) != 50 || hits[0] != want[0] {
			t.Fatalf("after cancelling: %d hits, %v", len(hits), err)
		}
	}
}

// TestCancelInterruptsTheStatement: the driver stops a statement running
// when its context ends, rather than letting it run to its end; here a
// statement that ranks every note with a word starting with t.
func TestCancelInterruptsTheStatement(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	if err := s.Generate(ctx, GenerateOptions{People: 1000, CallsPerPerson: 10, Seed: 5, Now: t0}); err != nil {
		t.Fatal(err)
	}
	slow := `SELECT count(*) FROM (SELECT rowid FROM search_text WHERE search_text MATCH '"t"*' ORDER BY bm25(search_text) LIMIT 10)
		JOIN (SELECT rowid FROM search_text WHERE search_text MATCH '"a"*' ORDER BY bm25(search_text) LIMIT 10)`
	if s.pg { // the same ranking of every match, by ts_rank
		slow = `SELECT count(*) FROM (SELECT rowid FROM search_text WHERE search_words(body) @@ to_tsquery('callcoach_search', 't:*')
				ORDER BY ts_rank(search_words(body), to_tsquery('callcoach_search', 't:*')) DESC LIMIT 10) t
			CROSS JOIN (SELECT rowid FROM search_text WHERE search_words(body) @@ to_tsquery('callcoach_search', 'a:*')
				ORDER BY ts_rank(search_words(body), to_tsquery('callcoach_search', 'a:*')) DESC LIMIT 10) a`
	}
	start := time.Now()
	var n int
	if err := s.ro.QueryRowContext(ctx, slow).Scan(&n); err != nil {
		t.Fatal(err)
	}
	full := time.Since(start)
	c, cancel := context.WithTimeout(ctx, full/20)
	defer cancel()
	start = time.Now()
	err := s.ro.QueryRowContext(c, slow).Scan(&n)
	took := time.Since(start)
	t.Logf("the statement takes %v; cancelled after %v, it stopped after %v", full, full/20, took)
	if !errors.Is(err, context.DeadlineExceeded) || took > full/2 {
		t.Fatalf("cancelled after %v: %v after %v; the whole statement takes %v", full/20, err, took, full)
	}
}

// TestSearchBestAgreesWithFTS5: over the same matches, best match first
// puts first what FTS5's own bm25() does, though it leaves out how rare
// each word is in the whole file and takes the average length of the
// matches ranked rather than of everything: of the best 10, at least 8
// are FTS5's best 10 (at a million notes, all 10, in the same order). On
// PostgreSQL the matches ranked are those of an SQLite file with the
// same notes, and FTS5's bm25 there is the yardstick.
func TestSearchBestAgreesWithFTS5(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	notes := GenerateOptions{People: 300, CallsPerPerson: 10, Seed: 8, Now: t0}
	if err := s.Generate(ctx, notes); err != nil {
		t.Fatal(err)
	}
	fts := s
	if s.pg {
		fts = newSQLiteStore(t)
		if err := fts.Generate(ctx, notes); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range []string{"walking dog", "blood sugar", "sleep", "stress work", "wa", "the"} {
		w := ReadSearch(q)
		found, err := bestWindow(ctx, s.ro, s.pg, w)
		if err != nil || len(found) < 20 {
			t.Fatalf("%q: %d matches, %v", q, len(found), err)
		}
		if s.pg {
			theirs, err := bestWindow(ctx, fts.ro, false, w)
			if err != nil || !slices.Equal(found, theirs) {
				t.Fatalf("%q: PostgreSQL's window of %d matches is not SQLite's %d (%v)", q, len(found), len(theirs), err)
			}
		}
		ours := rankBest(found, w.words, 10)
		rows, err := fts.ro.QueryContext(ctx, `SELECT rowid FROM search_text WHERE search_text MATCH ? AND rowid >= ?
			ORDER BY bm25(search_text), rowid DESC LIMIT 10`, w.match(), found[len(found)-1].rowid)
		if err != nil {
			t.Fatal(err)
		}
		theirs := map[int64]bool{}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			theirs[id] = true
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
		common := 0
		for _, id := range ours {
			if theirs[id] {
				common++
			}
		}
		t.Logf("%q: %d matches ranked, %d of the best 10 are FTS5's", q, len(found), common)
		if common < 8 {
			t.Errorf("%q: only %d of the best 10 are FTS5's best 10", q, common)
		}
	}
}

// searchCorpus are notes whose words the engines could split or fold
// differently: punctuation inside words, numbers, accents, other scripts.
var searchCorpus = []string{
	"Emailed ada@example.com about the walk-in clinic; she's at 6.5 now (was 7/10).",
	"Met at 10:30 — the café on Main St. Naïve plan: walk 3x a week, 20_min each.",
	"Résumé sent. O'Neil's grandson: he's 12 and plays football with the club.",
	"Søren says <b>bold</b> steps & stairs; see https://example.org/walk?x=1 for v1.2.3 and &amp; more.",
	"İstanbul trip; ΣΑΣ; 한국어 class; Łódź in June; ½ mile; x² notes; 1e5 steps; 3rd week.",
	"Don’t skip meals. “Really” tired… but OK. -5 +7 kg.",
	"re\u0301sume\u0301 (decomposed), straße, æble, café2, CAFÉ.",
	"First line here. Second: the dog walked far. Then: walking again with the dog, twice, and the dog slept well after walking, walking, walking the dog.",
	"Walking: the dog. Walking: the dog. A long note about everything and nothing, walking the dog at the end of it all, the dog and the walk.",
	"BP 140/90, glucose 7.2 mmol/L, 5°C outside, £5 and 5€; covid-19 and COVID19; x-ray, e.g. #goals @nurse 😀walk ＡＢＣ 1,000 Ⅻ.",
	"नमस्ते दोस्त; مَرْيَم قالت; שָׁלוֹם; 東京。大阪、京都; tab\there\nnew line\r\nend.",
	"Йогурт и ёлка; άλφα και Άλφα; がっこう へ; ΐ ǘ ệ ḍ ŵ ș ț ğ ą ő ů.",
}

// searchCorpusQueries are searched for over searchCorpus and made-up notes.
var searchCorpusQueries = []string{
	"walk", "walking dog", "the dog", "wa", "sleep bett", "6 ", "6 5 ", "7 10", "ada", "example com", "com",
	"cafe", "café", "CAFÉ", "cafe2", "naive", "resume", "résumé", "o neil", "neil", "walk in", "in", "clinic",
	"10 30", "20 min", "min", "dont", "don t", "don", "istanbul", "σας", "한국", "lodz", "org", "https",
	"1e5", "v1", "v1 2 3", "3rd", "x ", "b ", "bold", "amp", "5 kg", "really tired", "first", "blood sugar", "stress work",
	"140 90", "mmol", "l ", "c ", "covid", "covid19", "19 ", "ray", "goals", "nurse", "abc", "ａｂｃ", "000",
	"नमस", "दोस्त", "مريم", "قالت", "שלום", "東京", "大阪", "here", "new line", "end",
	"йогурт", "иогурт", "ёлка", "елка", "άλφα", "αλφα", "がっこう", "かっこう", "ǘ ", "u ", "ệ ", "e ", "ș ", "ő ",
}

// addSearchCorpus gives s the same notes on either engine: made-up
// people and calls, then searchCorpus as one person's calls' notes.
func addSearchCorpus(t *testing.T, s *Store) {
	t.Helper()
	ctx := context.Background()
	if err := s.Generate(ctx, GenerateOptions{People: 100, CallsPerPerson: 5, Plans: true, Seed: 12, Now: t0}); err != nil {
		t.Fatal(err)
	}
	ann := createPerson(t, s, coaching.Person{Name: "Ann Lee"})
	for i, notes := range searchCorpus {
		c, err := s.StartCall(ctx, ann, coaching.RoleCoach, t0.Add(time.Duration(i)*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.SaveNotes(ctx, c.ID, notes, 1, t0); err != nil {
			t.Fatal(err)
		}
	}
	indexNotes(t, s)
}

// TestSnippetIsFTS5s: the snippet made in Go for PostgreSQL is what FTS5's
// snippet() makes of the same match, word for word.
func TestSnippetIsFTS5s(t *testing.T) {
	s := newSQLiteStore(t)
	addSearchCorpus(t, s)
	ctx := context.Background()
	compared := 0
	for _, q := range searchCorpusQueries {
		w := ReadSearch(q)
		rows, err := s.ro.QueryContext(ctx, `SELECT body, snippet(search_text, 0, '«', '»', '…', 10)
			FROM search_text WHERE search_text MATCH ?`, w.match())
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var body, want string
			if err := rows.Scan(&body, &want); err != nil {
				t.Fatal(err)
			}
			if got := snippet(body, w.words); got != want {
				t.Errorf("%q in %q:\n got %q\nwant %q", q, body, got, want)
			}
			compared++
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if compared < 500 {
		t.Errorf("only %d snippets compared", compared)
	}
}

// TestSearchSameOnBothEngines: the same notes searched for the same words
// on SQLite and on PostgreSQL give the same hits, in the same order, with
// the same snippets, newest first and best match first.
func TestSearchSameOnBothEngines(t *testing.T) {
	if !onPostgres() {
		t.Skip("compares SQLite with PostgreSQL: runs with " + engineEnv + "=postgres")
	}
	lite, pg := newSQLiteStore(t), newStore(t)
	addSearchCorpus(t, lite)
	addSearchCorpus(t, pg)
	ctx := context.Background()
	show := func(hits []SearchHit) string {
		var b strings.Builder
		for _, h := range hits {
			fmt.Fprintf(&b, "%d/%d call %d person %d %s %s %q\n", h.Kind, h.RefID, h.CallID, h.PersonID, h.PersonName, h.At.Format(time.RFC3339), h.Snippet)
		}
		return b.String()
	}
	for _, q := range searchCorpusQueries {
		want, err := lite.Search(ctx, q, 100)
		if err != nil {
			t.Fatal(err)
		}
		got, err := pg.Search(ctx, q, 100)
		if err != nil {
			t.Fatal(err)
		}
		if show(got) != show(want) {
			t.Errorf("Search(%q) on PostgreSQL:\n%s\non SQLite:\n%s", q, show(got), show(want))
		}
		want, wantRanked, err := lite.SearchBest(ctx, q, 100)
		if err != nil {
			t.Fatal(err)
		}
		got, ranked, err := pg.SearchBest(ctx, q, 100)
		if err != nil {
			t.Fatal(err)
		}
		if ranked != wantRanked || show(got) != show(want) {
			t.Errorf("SearchBest(%q) on PostgreSQL, of %d:\n%s\non SQLite, of %d:\n%s", q, ranked, show(got), wantRanked, show(want))
		}
	}
}

// pgMarks is the class of marks search_words (the PostgreSQL baseline)
// makes spaces, as FTS5 splits words at them: Unicode's marks in the
// Basic Multilingual Plane but the accents U+0300 to U+036F, whose own
// treatment comes first. The baseline's class is this, written out.
func pgMarks() string {
	var b strings.Builder
	b.WriteString("[")
	start := rune(-1)
	for r := rune(0x80); r <= 0x10000; r++ {
		mark := r < 0x10000 && unicode.In(r, unicode.Mn, unicode.Mc, unicode.Me) && (r < 0x300 || r > 0x36f)
		switch {
		case mark && start < 0:
			start = r
		case !mark && start >= 0:
			fmt.Fprintf(&b, `\u%04x`, start)
			if r-1 > start {
				fmt.Fprintf(&b, `-\u%04x`, r-1)
			}
			start = -1
		}
	}
	b.WriteString("]+")
	return b.String()
}

// TestSearchWordsMarks: the baseline's class of marks is pgMarks.
func TestSearchWordsMarks(t *testing.T) {
	baseline, err := postgresMigrationFiles.ReadFile("migrations/postgres/0024_baseline.sql")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(baseline), "'"+pgMarks()+"'") {
		t.Errorf("search_words in the baseline does not make these marks spaces:\n%s", pgMarks())
	}
}
