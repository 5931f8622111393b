package storage

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// BestMatchWindow is how many of the newest matches SearchBest ranks.
// Ranking every match would cost FTS5's bm25 a walk of each word's whole
// list (a common word is in 300,000 of a million notes: tens of
// milliseconds); the newest 2,000 are read in a few.
const BestMatchWindow = 2000

// BM25's usual constants (FTS5's too): how soon more mentions of a word
// stop counting for more, and how much a long note is marked down.
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// SearchBest finds what Search finds, best match first: the newest
// BestMatchWindow matches are ranked by BM25 and the best limit returned,
// with ranked, how many were ranked (BestMatchWindow when there were more
// matches than that, the older ones left unranked). Equal scores go
// newest first.
//
// BM25 scores each note by how often it mentions each word, with the
// mentions of one word counting for less and less (k1) and a note longer
// than the average marked down (b). Its third part, a word's rarity across
// the whole file, is left out: every match contains every word, and
// counting a word's notes in the whole file is the walk the window saves,
// so every word weighs the same.
func (s *Store) SearchBest(ctx context.Context, query string, limit int) (hits []SearchHit, ranked int, err error) {
	w := ReadSearch(query)
	if w.Empty() {
		return nil, 0, nil
	}
	limit = max(min(limit, 100), 1)
	err = s.searchConn(ctx, func(conn *sql.Conn) error {
		// One snapshot for both reads: the hits are the matches ranked.
		tx, err := conn.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
		if err != nil {
			return err
		}
		hits, ranked, err = searchBest(ctx, tx, s.pg, w, limit)
		return errors.Join(err, rollback(tx))
	})
	if err != nil {
		return nil, 0, searchError(ctx, err)
	}
	return hits, ranked, nil
}

// searchBest is SearchBest in tx.
func searchBest(ctx context.Context, tx *sql.Tx, pg bool, w SearchWords, limit int) (hits []SearchHit, ranked int, err error) {
	found, err := bestWindow(ctx, tx, pg, w)
	if err != nil {
		return nil, 0, err
	}
	best := rankBest(found, w.words, limit)
	if len(best) == 0 {
		return nil, len(found), nil
	}
	args := []any{w.query(pg)}
	for _, id := range best {
		args = append(args, id)
	}
	if hits, err = searchHits(ctx, tx, pg, w, searchHitsSQL(pg, len(best)), args...); err != nil {
		return nil, 0, err
	}
	place := make(map[int64]int, len(best))
	for i, id := range best {
		place[id] = i
	}
	slices.SortFunc(hits, func(a, b SearchHit) int {
		return cmp.Compare(place[a.RefID*4+int64(a.Kind)], place[b.RefID*4+int64(b.Kind)])
	})
	return hits, len(found), nil
}

// bestWindowSQL reads the newest matches' text, for ranking (on
// PostgreSQL, bestWindowPG).
const bestWindowSQL = `SELECT rowid, body FROM search_text WHERE search_text MATCH ? ORDER BY rowid DESC LIMIT ?`

// matchText is one match's rowid and text.
type matchText struct {
	rowid int64
	body  string
}

func bestWindow(ctx context.Context, q querier, pg bool, w SearchWords) ([]matchText, error) {
	if pg {
		return bestWindowPG(ctx, q, w)
	}
	return readMatchTexts(ctx, q, bestWindowSQL, w.match(), BestMatchWindow)
}

// readMatchTexts runs query, whose rows are a search row's rowid and
// body.
func readMatchTexts(ctx context.Context, q querier, query string, args ...any) ([]matchText, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []matchText
	for rows.Next() {
		var m matchText
		if err := rows.Scan(&m.rowid, &m.body); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// rankBest scores found (newest first) by BM25 and returns the rowids of
// the best limit, best first; equal scores keep their order, newest first.
func rankBest(found []matchText, words []searchWord, limit int) []int64 {
	folded := foldWords(words)
	type scored struct {
		rowid int64
		score float64
	}
	all := make([]scored, len(found))
	lengths := make([]int, len(found))
	counts := make([][]int, len(found))
	total := 0
	for i, m := range found {
		counts[i] = make([]int, len(folded))
		lengths[i] = mentions(m.body, folded, counts[i])
		total += lengths[i]
	}
	avg := float64(max(total, 1)) / float64(max(len(found), 1))
	for i, m := range found {
		norm := bm25K1 * (1 - bm25B + bm25B*float64(lengths[i])/avg)
		score := 0.0
		for _, tf := range counts[i] {
			score += float64(tf) * (bm25K1 + 1) / (float64(tf) + norm)
		}
		all[i] = scored{m.rowid, score}
	}
	slices.SortStableFunc(all, func(a, b scored) int { return cmp.Compare(b.score, a.score) })
	var out []int64
	for _, s := range all[:min(limit, len(all))] {
		out = append(out, s.rowid)
	}
	return out
}

// mentions counts, into counts, how many of text's words each of words
// finds (as FTS5 does: folded, as a prefix or whole), and returns how
// many words text has. It runs over every note ranked, so plain ASCII
// words are compared as they are, without making a folded copy.
func mentions(text string, words []searchWord, counts []int) int {
	n, start, ascii := 0, -1, true
	word := func(end int) {
		n++
		for i, w := range words {
			if ascii && foldedPrefix(text[start:end], w.text, w.prefix) ||
				!ascii && foldedPrefix(foldWord(text[start:end]), w.text, w.prefix) {
				counts[i]++
			}
		}
		start, ascii = -1, true
	}
	for i, r := range text {
		switch {
		case isWordRune(r):
			if start < 0 {
				start = i
			}
			ascii = ascii && r < utf8.RuneSelf
		case start >= 0:
			word(i)
		}
	}
	if start >= 0 {
		word(len(text))
	}
	return n
}

// foldWords is words as FTS5 reads them from the query: folded.
func foldWords(words []searchWord) []searchWord {
	folded := make([]searchWord, len(words))
	for i, w := range words {
		folded[i] = searchWord{text: foldWord(w.text), prefix: w.prefix}
	}
	return folded
}

// foldedPrefix reports whether word, lower-cased as far as ASCII goes,
// starts with (or, unless prefix, is) w, which is folded already.
func foldedPrefix(word, w string, prefix bool) bool {
	if len(word) < len(w) || !prefix && len(word) != len(w) {
		return false
	}
	for i := 0; i < len(w); i++ {
		c := word[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != w[i] {
			return false
		}
	}
	return true
}

// isWordRune is what FTS5's unicode61 tokenizer keeps in a word: letters,
// numbers (² and ½ too) and private-use characters, and the accents it
// then removes; any other mark separates words, as punctuation does.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r|0x20 && r|0x20 <= 'z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Co, r) || isDiacritic(r)
}

// isDiacritic is sqlite3Fts5UnicodeIsdiacritic: the combining accents
// (U+0300 to U+0331) that unicode61 keeps in a word.
func isDiacritic(r rune) bool {
	const below, above = 0x08029FDF, 0x000361F8 // U+0300-031F, U+0320-0331
	switch {
	case r < 0x300 || r > 0x331:
		return false
	case r < 0x320:
		return below&(1<<(r-0x300)) != 0
	}
	return above&(1<<(r-0x320)) != 0
}

// foldWord is a word as FTS5 indexes it (unicode61, remove_diacritics 2):
// lower case, and accents off Latin letters (ά and й keep theirs); the
// PostgreSQL baseline's search_words folds the same way.
func foldWord(w string) string {
	ascii := true
	for i := 0; i < len(w); i++ {
		ascii = ascii && w[i] < utf8.RuneSelf
	}
	if ascii {
		return strings.ToLower(w)
	}
	var b strings.Builder
	latin := false
	for _, r := range norm.NFD.String(w) {
		if latin && 0x300 <= r && r <= 0x36f {
			continue
		}
		latin = r < utf8.RuneSelf && unicode.IsLetter(r) || 0xc0 <= r && r <= 0x24f || 0x1e00 <= r && r <= 0x1eff
		b.WriteRune(unicode.ToLower(unicode.ToUpper(r))) // folded: ς is σ
	}
	return norm.NFC.String(b.String()) // 한 stays one letter, as in FTS5
}
