package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// SearchKind says what a search hit is.
type SearchKind int

// The kinds of thing search finds.
const (
	HitNote SearchKind = 1 // a call's notes
	HitPlan SearchKind = 2 // an action plan: what, and the person's own words
	HitTalk SearchKind = 3 // a change-talk quote
)

// SearchHit is one thing found: whose it is, when, and the words around the
// match, with the matched words between « and ».
type SearchHit struct {
	Kind       SearchKind
	RefID      int64 // the call, plan or change-talk row
	CallID     int64 // the call it belongs to (notes, change talk); 0 for a plan
	PersonID   int64
	PersonName string
	At         time.Time
	Snippet    string
}

// Search finds notes, plans and change-talk quotes containing every word
// of query (each word also matches as the start of a longer one: "walk"
// finds "walking"), newest first, at most limit. Newest first: FTS5 walks
// its index in rowid order and stops at the limit, where ranking would
// score every match (hundreds of milliseconds for a common word in a
// million notes; SearchBest ranks a bounded number). Rowids follow their
// rows' ids, so the order is the order things were written. Only the
// snippets of the hits returned are built.
//
// A last word of one letter is left out until the next letter comes (see
// ReadSearch): as a prefix it would match nearly every note, and FTS5,
// which has no prefix index for one letter, would gather the lists of
// every word it begins: half a second or more, and tens of megabytes the
// process keeps, in a million notes.
//
// A search whose ctx ends returns ctx's error (test with errors.Is); the
// statement running is interrupted.
func (s *Store) Search(ctx context.Context, query string, limit int) ([]SearchHit, error) {
	w := ReadSearch(query)
	if w.Empty() {
		return nil, nil
	}
	var hits []SearchHit
	limit = max(min(limit, 100), 1)
	err := s.searchConn(ctx, func(conn *sql.Conn) (err error) {
		if s.pg {
			hits, err = searchNewestPG(ctx, conn, w, limit)
			return err
		}
		hits, err = searchHits(ctx, conn, s.pg, w, searchHitsSQL(s.pg, 0), w.query(s.pg), limit)
		return err
	})
	if err != nil {
		return nil, searchError(ctx, err)
	}
	return hits, nil
}

// searchConn runs fn on one of the readers' connections, which is back
// in the pool when searchConn returns. Left to database/sql, a connection
// whose query is cancelled goes back a moment later, from another
// goroutine, and the search the next keystroke starts meanwhile opens
// another: typing would grow the pool to its limit, each connection with
// its own page cache (a few MB each). sql.Conn's Close waits for that
// goroutine.
func (s *Store) searchConn(ctx context.Context, fn func(conn *sql.Conn) error) error {
	conn, err := s.ro.Conn(ctx)
	if err != nil {
		return err
	}
	return errors.Join(fn(conn), conn.Close())
}

// searchError is err, or ctx's error if ctx ended: an interrupted
// statement may say only that it was interrupted.
func searchError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return fmt.Errorf("search: %w", err)
}

// searchHits runs a searchHitsSQL query for w. On PostgreSQL the query
// returns the body, and the snippet is made here as FTS5 makes it.
func searchHits(ctx context.Context, q querier, pg bool, w SearchWords, query string, args ...any) ([]SearchHit, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SearchHit
	for rows.Next() {
		var h SearchHit
		var rowid int64
		var at string
		if err := rows.Scan(&rowid, &h.PersonID, &h.PersonName, &h.Snippet, &at, &h.CallID); err != nil {
			return nil, err
		}
		h.Kind, h.RefID = SearchKind(rowid%4), rowid/4
		if h.At, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("hit %d: %w", rowid, err)
		}
		if pg {
			h.Snippet = snippet(h.Snippet, w.words)
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// searchHitsSQL finds the hits of a match (the first parameter, a
// SearchWords.query) with their snippets (on PostgreSQL their bodies),
// whose they are and when: the newest, at most the second parameter, or
// with ids > 0, the rowids given as that many more parameters, in no
// particular order.
func searchHitsSQL(pg bool, ids int) string {
	which := "ORDER BY rowid DESC LIMIT ?"
	if ids > 0 {
		which = "AND rowid IN (?" + strings.Repeat(", ?", ids-1) + ")"
	}
	hits := `SELECT rowid, person_id, snippet(search_text, 0, '«', '»', '…', 10) AS snip
			FROM search_text WHERE search_text MATCH ? `
	if pg {
		hits = `SELECT rowid, person_id, body AS snip
			FROM search_text WHERE ` + pgMatch + ` `
	}
	return searchHitsFrom(pg, hits+which)
}

// searchHitsFrom is searchHitsSQL for the hits of the query hits, which
// reads rowid, person_id and snip from search_text.
func searchHitsFrom(pg bool, hits string) string {
	order := "" // SQLite reads the hits in their order for the join
	if pg {
		order = " ORDER BY h.rowid DESC"
	}
	return `
		WITH hits AS (
			` + hits + `)
		SELECT h.rowid, h.person_id, p.name, h.snip,
			CASE h.rowid % 4
				WHEN 1 THEN (SELECT started_at FROM calls WHERE id = h.rowid / 4)
				WHEN 2 THEN (SELECT created_at FROM action_plans WHERE id = h.rowid / 4)
				ELSE (SELECT said_at FROM change_talk WHERE id = h.rowid / 4) END,
			CASE h.rowid % 4
				WHEN 1 THEN h.rowid / 4
				WHEN 3 THEN (SELECT call_id FROM change_talk WHERE id = h.rowid / 4)
				ELSE 0 END
		FROM hits h JOIN people p ON p.id = h.person_id` + order
}

// SearchWords is what the coach typed, read as the words to search for.
type SearchWords struct {
	words []searchWord
	// Waiting is a last word of one letter (or digit) that is left out
	// until the next comes: "d" of "walking d". A space after it makes it
	// a whole word, found as itself only ("a 6 out of 10").
	Waiting string
}

// searchWord is one word searched for: as the start of longer words too,
// or (a finished word of one letter) only as itself.
type searchWord struct {
	text   string
	prefix bool
}

// ReadSearch reads what the coach typed: words are runs of letters and
// digits, and punctuation only separates them (it is never query syntax).
// Each word is also found as the start of a longer one, but for a word of
// one letter: one at the very end is left out until the next letter comes
// (Waiting), and one followed by anything is found only as itself. As the
// start of longer words, one letter would match nearly everything.
func ReadSearch(query string) SearchWords {
	var w SearchWords
	separator := func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }
	fields := strings.FieldsFunc(query, separator)
	for i, f := range fields {
		switch {
		case utf8.RuneCountInString(f) > 1:
			w.words = append(w.words, searchWord{text: f, prefix: true})
		case i == len(fields)-1 && strings.HasSuffix(query, f):
			w.Waiting = f
		default:
			w.words = append(w.words, searchWord{text: f})
		}
	}
	return w
}

// Empty reports whether there is nothing to search for yet.
func (w SearchWords) Empty() bool { return len(w.words) == 0 }

// Same reports whether w and o search for the same thing, so that one's
// hits answer the other.
func (w SearchWords) Same(o SearchWords) bool { return w.match() == o.match() }

// pgMatch is PostgreSQL's twin of FTS5's MATCH: the body's words (the
// column words, the baseline's search_words(body), which the GIN index
// search_text_words holds) against a tsquery from SearchWords.query.
const pgMatch = "words @@ to_tsquery('callcoach_search', ?)"

// query is the match for the engine: FTS5's, or PostgreSQL's tsquery.
func (w SearchWords) query(pg bool) string {
	if pg {
		return w.tsquery()
	}
	return w.match()
}

// tsquery is match written for to_tsquery: every word required (&), "walk"
// as walk:*, each folded as search_words folds the bodies. A word is
// letters and digits only, so nothing in it is tsquery syntax.
func (w SearchWords) tsquery() string {
	var parts []string
	for _, sw := range w.words {
		part := foldWord(sw.text)
		if sw.prefix {
			part += ":*"
		}
		parts = append(parts, part)
	}
	return strings.Join(parts, " & ")
}

// match is the FTS5 query: every word required, each quoted so that
// nothing in it is read as query syntax.
func (w SearchWords) match() string {
	var parts []string
	for _, sw := range w.words {
		part := `"` + sw.text + `"`
		if sw.prefix {
			part += "*"
		}
		parts = append(parts, part)
	}
	return strings.Join(parts, " ")
}

// snippetTokens is how many words a snippet shows: snippet()'s last
// argument in searchHitsSQL.
const snippetTokens = 10

// snippet is FTS5's snippet(search_text, 0, '«', '»', '…', 10) of body
// for words, made as SQLite's fts5_aux.c makes it, for PostgreSQL, whose
// ts_headline chooses its words otherwise: the window of ten words with
// the most different words found (each found again counts for little),
// moved to start a sentence if that scores as well, or else centred on
// what it found; the words found between « and », … where the text is cut.
func snippet(body string, words []searchWord) string {
	t := readSnippet(body, words)
	return t.highlight(t.window())
}

// snippetText is a body read for its snippet.
type snippetText struct {
	body      string
	tokens    [][2]int // where each word starts and ends
	found     []int    // the positions of the words found, once each
	instances []struct{ pos, word int }
	sentences []int // positions that start a sentence
	words     int   // how many words were searched for
}

func readSnippet(body string, words []searchWord) snippetText {
	t := snippetText{body: body, words: len(words)}
	folded := foldWords(words)
	tokenize(body, func(start, end int) {
		pos := len(t.tokens)
		t.tokens = append(t.tokens, [2]int{start, end})
		w := foldWord(body[start:end])
		for i, f := range folded {
			if foldedPrefix(w, f.text, f.prefix) {
				if len(t.found) == 0 || t.found[len(t.found)-1] != pos {
					t.found = append(t.found, pos)
				}
				t.instances = append(t.instances, struct{ pos, word int }{pos, i})
			}
		}
		before := strings.TrimRight(body[:start], " \t\n\r")
		if pos == 0 || len(before) < start && (strings.HasSuffix(before, ".") || strings.HasSuffix(before, ":")) {
			t.sentences = append(t.sentences, pos)
		}
	})
	return t
}

// score is fts5SnippetScore: the score of the window of snippetTokens
// from first, and where the window would start centred on what it found.
func (t snippetText) score(first int) (n, centred int) {
	seen := make([]bool, t.words)
	lo, hi := -1, 0
	for _, in := range t.instances {
		if in.pos < first || in.pos >= first+snippetTokens {
			continue
		}
		n++
		if !seen[in.word] {
			n += 999
		}
		seen[in.word] = true
		if lo < 0 {
			lo = in.pos
		}
		hi = in.pos + 1
	}
	centred = lo - (snippetTokens-(hi-lo))/2
	return n, max(min(centred, len(t.tokens)-snippetTokens), 0)
}

// window is where fts5SnippetFunction starts the snippet: the best
// scoring window around each word found, or the start of its sentence.
func (t snippetText) window() int {
	best, from := 0, 0
	for _, in := range t.instances {
		if n, centred := t.score(in.pos); n > best {
			best, from = n, centred
		}
		if len(t.tokens) <= snippetTokens {
			continue
		}
		s := 0
		for s < len(t.sentences)-1 && t.sentences[s+1] <= in.pos {
			s++
		}
		if t.sentences[s] < in.pos {
			n, _ := t.score(t.sentences[s])
			n += 100
			if t.sentences[s] == 0 {
				n += 20
			}
			if n > best {
				best, from = n, t.sentences[s]
			}
		}
	}
	return from
}

// highlight is fts5HighlightCb over the window of snippetTokens from from.
func (t snippetText) highlight(from int) string {
	last := from + snippetTokens - 1
	var b strings.Builder
	if from > 0 {
		b.WriteString("…")
	}
	found := t.found
	for len(found) > 0 && found[0] < from {
		found = found[1:]
	}
	next := func() int {
		if len(found) == 0 {
			return -1
		}
		return found[0]
	}
	off, open := 0, false
	for pos := from; pos <= last && pos < len(t.tokens); pos++ {
		start, end := t.tokens[pos][0], t.tokens[pos][1]
		if from > 0 && pos == from {
			off = start
		}
		if open && (pos <= next() || next() < 0) && start > off {
			b.WriteString("»")
			open = false
		}
		if pos == next() {
			if !open {
				b.WriteString(t.body[off:start])
				b.WriteString("«")
				off, open = start, true
			}
			b.WriteString(t.body[off:end])
			off = end
			found = found[1:]
		}
		if pos == last {
			if open {
				if next() >= 0 && pos >= next() {
					b.WriteString(t.body[off:end])
					off = end
				}
				b.WriteString("»")
				open = false
			}
			b.WriteString(t.body[off:end])
			off = end
		}
	}
	if open {
		b.WriteString("»")
	}
	if last >= len(t.tokens)-1 {
		b.WriteString(t.body[off:])
	} else {
		b.WriteString("…")
	}
	return b.String()
}

// tokenize calls fn with where each of text's words starts and ends, as
// FTS5's unicode61 tokenizer splits them (isWordRune).
func tokenize(text string, fn func(start, end int)) {
	start := -1
	for i, r := range text {
		switch {
		case isWordRune(r):
			if start < 0 {
				start = i
			}
		case start >= 0:
			fn(start, i)
			start = -1
		}
	}
	if start >= 0 {
		fn(start, len(text))
	}
}
