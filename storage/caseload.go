package storage

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"callcoach/coaching"
)

// The caseload is read a page at a time, and every page comes from an
// index in the order it is shown, going on from the last row shown (keyset
// paging): by name_key for everyone and for no follow-up, by (next_due_at,
// name_key) for the due sections. A filter is looked up in the finder's
// trigram index, whose rowids are name keys, so its matches come out in
// name order too. No page, count or keystroke reads work that grows with
// the caseload (docs/performance.md; TestCaseloadQueriesNeverScan).

// CaseloadRow is one person as the caseload list shows them.
type CaseloadRow struct {
	ID             int64
	Key            CaseloadKey // the row's place in its section's order
	Name           string
	PreferredName  string
	Phone          string
	Conditions     []string
	Status         coaching.Status
	LastCallAt     time.Time        // start of the newest call; zero if never called
	LastOutcome    coaching.Outcome // of the newest call; OutcomeNone if it is unfinished or there are no calls
	OpenCall       bool             // some call of theirs is unfinished
	Calls          int              // number of calls
	ActivePlan     string           // what the current plan is (see CurrentPlan); "" if none
	LastConfidence int              // the newest confidence score of any of their plans, or coaching.NoScore
	NextDue        time.Time        // when their earliest open follow-up is due; zero if none
	SafetyFlag     bool             // some safety event of theirs is not yet reviewed
}

// CaseloadKey is a row's place in the order its section shows: due time
// (in the due sections, unless they list by name), then name order.
type CaseloadKey struct {
	Due     string // next_due_at as stored; "" where the order is by name alone
	NameKey int64
}

// Section is a part of the caseload chosen by each person's earliest open
// follow-up, against the two instants a CaseloadQuery gives.
type Section int

// The sections. Every person is in SectionAll and in exactly one other.
const (
	SectionAll        Section = iota // everyone, by name
	SectionOverdue                   // due before OverdueBefore, soonest first
	SectionDueToday                  // due from OverdueBefore until DueBefore, soonest first
	SectionUpcoming                  // due from DueBefore on, soonest first
	SectionNoFollowUp                // no open follow-up, by name
)

func (s Section) String() string {
	switch s {
	case SectionAll:
		return "all"
	case SectionOverdue:
		return "overdue"
	case SectionDueToday:
		return "due today"
	case SectionUpcoming:
		return "upcoming"
	case SectionNoFollowUp:
		return "no follow-up"
	}
	return fmt.Sprintf("Section(%d)", int(s))
}

// byDue reports whether the section is read in due order.
func (s Section) byDue() bool {
	return s == SectionOverdue || s == SectionDueToday || s == SectionUpcoming
}

// DueSection is the section of people whose earliest open follow-up is
// in due state d, as coaching.Due and coaching.DueWindow agree.
func DueSection(d coaching.DueState) Section {
	switch d {
	case coaching.Overdue:
		return SectionOverdue
	case coaching.DueToday:
		return SectionDueToday
	}
	return SectionUpcoming
}

// CaseloadQuery asks for one page of the caseload.
type CaseloadQuery struct {
	// Filter finds people: three or more characters (trimmed) are a
	// case-insensitive substring of the name, preferred name or
	// conditions, and with three or more digits a phone number holding
	// those digits ("020 7946" finds "+44 (0)20 7946 0000"); one or two
	// characters match the start of the name (ASCII letters in any
	// case). A due section lists the matches soonest due first while no
	// more than caseloadLook people match, and by name past that
	// (CaseloadPage.ByName).
	Filter  string
	Section Section // SectionAll by default
	// OverdueBefore and DueBefore split the sections (coaching.DueWindow
	// gives them for a coach's day). They are needed, OverdueBefore not
	// after DueBefore, for the three due sections and for CaseloadCounts.
	OverdueBefore time.Time
	DueBefore     time.Time
	// After asks for the rows after this one; Before for the rows just
	// before it (still returned in the order shown); Last for the last
	// rows. None of them: the first rows.
	After  *CaseloadKey
	Before *CaseloadKey
	Last   bool
	Limit  int // <= 0 means DefaultCaseloadLimit; capped at MaxCaseloadLimit
}

// CaseloadPage is what Caseload read.
type CaseloadPage struct {
	Rows []CaseloadRow // in the order shown
	// AtStart and AtEnd report that no row comes before Rows[0] or after
	// the last row (with no rows, both hold unless Resume is set).
	AtStart, AtEnd bool
	// Resume is set when a filtered section's read stopped after looking
	// at its share of matches (caseloadLook) without filling the page:
	// ask again from there (After for a forward read, Before for a
	// backward one) for the rest.
	Resume *CaseloadKey
	// ByName is set when a due section lists a filter's matches by name,
	// not by when they are due: the filter matches more people than a
	// keystroke may sort (caseloadLook).
	ByName bool
}

// Page sizes for Caseload.
const (
	DefaultCaseloadLimit = 50
	MaxCaseloadLimit     = 500
)

// caseloadLook is how many matches one read of a filtered section looks
// at for people in that section, so a keystroke's work has a bound; a
// section holding few of the matches fills its page over a few reads.
const caseloadLook = 400

// Caseload returns one page of the people in q's section who match q's
// filter, in the section's order: everyone and no follow-up by name
// (without case, then id), the due sections by when the earliest open
// follow-up is due, then name; with a filter that matches many people,
// the due sections too list by name (CaseloadQuery.Filter).
func (s *Store) Caseload(ctx context.Context, q CaseloadQuery) (CaseloadPage, error) {
	page, err := s.caseload(ctx, q)
	if err != nil {
		return CaseloadPage{}, fmt.Errorf("caseload: %w", err)
	}
	return page, nil
}

func (s *Store) caseload(ctx context.Context, q CaseloadQuery) (CaseloadPage, error) {
	if err := checkSection(q); err != nil {
		return CaseloadPage{}, err
	}
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultCaseloadLimit
	}
	limit = min(limit, MaxCaseloadLimit)
	backward := q.Before != nil || q.Last
	var page CaseloadPage
	err := s.read(ctx, func(tx *sql.Tx) error {
		var keys []CaseloadKey
		var err error
		f := strings.TrimSpace(q.Filter)
		switch {
		case f == "":
			keys, err = unfilteredKeys(ctx, tx, q, limit+1, backward)
		default:
			var c candidates
			if c, err = filterCandidates(ctx, tx, f, s.pg); err == nil {
				keys, page.Resume, page.ByName, err = filteredKeys(ctx, tx, q, c, limit+1, backward, s.pg)
			}
		}
		if err != nil {
			return err
		}
		more := len(keys) > limit
		keys = keys[:min(len(keys), limit)]
		if backward {
			for i, j := 0, len(keys)-1; i < j; i, j = i+1, j-1 {
				keys[i], keys[j] = keys[j], keys[i]
			}
			page.AtStart = !more && page.Resume == nil
			page.AtEnd = q.Last
		} else {
			page.AtStart = q.After == nil
			page.AtEnd = !more && page.Resume == nil
		}
		page.Rows, err = caseloadRows(ctx, tx, keys)
		return err
	})
	return page, err
}

// checkSection refuses a section it does not know, and a due section
// without the instants that bound it.
func checkSection(q CaseloadQuery) error {
	switch q.Section {
	case SectionAll, SectionNoFollowUp:
		return nil
	case SectionOverdue, SectionDueToday, SectionUpcoming:
		return checkDueWindow(q)
	}
	return fmt.Errorf("unknown caseload section %d", int(q.Section))
}

// unfilteredKeys reads up to n keys of q's section from where q says, in
// the order shown (backward: nearest first).
func unfilteredKeys(ctx context.Context, tx *sql.Tx, q CaseloadQuery, n int, backward bool) ([]CaseloadKey, error) {
	query, args := unfilteredKeysSQL(q, n, backward)
	return scanKeys(ctx, tx, query, args...)
}

// unfilteredKeysSQL is the query unfilteredKeys runs, with its arguments.
func unfilteredKeysSQL(q CaseloadQuery, n int, backward bool) (string, []any) {
	from := q.After
	if backward {
		from = q.Before
	}
	op, dir := ">", ""
	if backward {
		op, dir = "<", " DESC"
	}
	var (
		query string
		args  []any
	)
	if !q.Section.byDue() {
		cond := ""
		if q.Section == SectionNoFollowUp {
			cond = "next_due_at IS NULL"
		} else {
			cond = "name_key > 0" // every key is: a range, never a scan
		}
		if from != nil {
			cond += " AND name_key " + op + " ?"
			args = append(args, from.NameKey)
		}
		query = "SELECT '', name_key FROM people WHERE " + cond + " ORDER BY name_key" + dir + " LIMIT ?"
	} else {
		lo, hi := sectionBounds(q)
		cond := "next_due_at >= ? AND next_due_at < ?"
		args = append(args, lo, hi)
		if from != nil {
			cond += " AND (next_due_at, name_key) " + op + " (?, ?)"
			args = append(args, from.Due, from.NameKey)
		}
		query = "SELECT next_due_at, name_key FROM people WHERE " + cond +
			" ORDER BY next_due_at" + dir + ", name_key" + dir + " LIMIT ?"
	}
	return query, append(args, n)
}

func scanKeys(ctx context.Context, tx *sql.Tx, query string, args ...any) ([]CaseloadKey, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CaseloadKey
	for rows.Next() {
		var k CaseloadKey
		if err := rows.Scan(&k.Due, &k.NameKey); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// sectionBounds are the stored-time bounds of a due section: next_due_at
// from lo (inclusive) to hi (exclusive). Stored times are text in one
// format, so text order is time order; "~" sorts after every time.
func sectionBounds(q CaseloadQuery) (lo, hi string) {
	overdue, due := formatBound(q.OverdueBefore), formatBound(q.DueBefore)
	switch q.Section {
	case SectionOverdue:
		return "", overdue
	case SectionDueToday:
		return overdue, due
	}
	return due, "~"
}

// candidates are the name keys a filter matches, read in name order: from
// the trigram index for three or more characters, or, for one or two, the
// stretch of name keys whose names start with them.
type candidates struct {
	pg     bool   // the trigram index is PostgreSQL's (pg_trgm), not FTS5's
	text   string // the filter, for the trigram index; "" for a key range
	digits string // the filter's phone digits when three or more, else ""
	lo, hi int64  // the key range [lo, hi), for a short filter
}

func filterCandidates(ctx context.Context, tx *sql.Tx, f string, pg bool) (candidates, error) {
	if utf8.RuneCountInString(f) >= 3 {
		c := candidates{pg: pg, text: f}
		if d := coaching.PhoneDigits(f); len(d) >= 3 {
			c.digits = d
		}
		return c, nil
	}
	// Every name that starts with f, in any ASCII case, sorts from f up to
	// f followed by the largest character: two seeks in people_name give
	// the name keys at either end.
	query := firstKeySQL
	if pg {
		query = firstKeyPostgres
	}
	first := func(name string) (int64, error) {
		var key int64
		err := tx.QueryRowContext(ctx, query, name).Scan(&key)
		if errors.Is(err, sql.ErrNoRows) {
			return nameKeyTop + 1, nil
		}
		return key, err
	}
	lo, err := first(f)
	if err != nil {
		return candidates{}, err
	}
	hi, err := first(f + "\U0010FFFF")
	return candidates{pg: pg, lo: lo, hi: hi}, err
}

// firstKeySQL finds the name key of the first person whose name sorts at
// or after its argument.
const (
	firstKeySQL = `SELECT name_key FROM people WHERE name >= ? COLLATE NOCASE AND name_key IS NOT NULL
	ORDER BY name COLLATE NOCASE, id LIMIT 1`
	firstKeyPostgres = `SELECT name_key FROM people WHERE nocase(name) >= nocase(?) AND name_key IS NOT NULL
	ORDER BY nocase(name), id LIMIT 1`
)

// match is the FTS5 query for the filter in people_search.
func (c candidates) match() string {
	m := "{name preferred_name conditions} : " + ftsString(c.text)
	if c.digits != "" {
		m += " OR phone_digits : " + ftsString(c.digits)
	}
	return m
}

// finds is PostgreSQL's condition for the filter's matches among people
// (not aliased), with its arguments: what FTS5's trigram query finds, a
// substring of the name, preferred name or conditions in any case, or of
// the phone digits, through the people_search index (people.finder holds
// the three fields folded, joined by a character no filter holds).
func (c candidates) finds() (string, []any) {
	like := likeContains(c.text)
	cond := "(finder LIKE finder_fold(?)"
	args := []any{like}
	if c.digits != "" {
		cond += " OR phone_digits LIKE ?"
		args = append(args, likeContains(c.digits))
	}
	return cond + ")", args
}

// likeContains is a LIKE pattern for text holding s: %, _ and \ in s
// match themselves.
func likeContains(s string) string {
	return "%" + likeEscaper.Replace(s) + "%"
}

var likeEscaper = strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`)

// read lists up to n of the candidates' name keys past from (0: from the
// start or, backward, the end), in name order (backward: nearest first).
func (c candidates) read(ctx context.Context, tx *sql.Tx, from int64, n int, backward bool) ([]int64, error) {
	query, args := c.readSQL(from, n, backward)
	return column[int64](ctx, tx, query, args...)
}

// readSQL is the query read runs, with its arguments.
func (c candidates) readSQL(from int64, n int, backward bool) (string, []any) {
	op, dir := ">", ""
	if backward {
		op, dir = "<", " DESC"
	}
	var query string
	var args []any
	switch {
	case c.text != "" && c.pg:
		var cond string
		cond, args = c.finds()
		query = "SELECT name_key FROM people WHERE " + cond
		if from != 0 {
			query += " AND name_key " + op + " ?"
			args = append(args, from)
		}
		query += " ORDER BY name_key" + dir + " LIMIT ?"
	case c.text != "":
		query = "SELECT rowid FROM people_search WHERE people_search MATCH ?"
		args = append(args, c.match())
		if from != 0 {
			query += " AND rowid " + op + " ?"
			args = append(args, from)
		}
		query += " ORDER BY rowid" + dir + " LIMIT ?"
	default:
		query = "SELECT name_key FROM people WHERE name_key >= ? AND name_key < ?"
		args = append(args, c.lo, c.hi)
		if from != 0 {
			query += " AND name_key " + op + " ?"
			args = append(args, from)
		}
		query += " ORDER BY name_key" + dir + " LIMIT ?"
	}
	return query, append(args, n)
}

// filteredKeys reads up to n keys of the people in q's section among the
// filter's candidates, from where q says, in the order shown (backward:
// nearest first). For everyone the candidates are the rows, by name. A
// due section with few candidates is in due order (dueOrderKeys);
// otherwise (byName) a section other than everyone looks at no more than
// caseloadLook candidates, and says where it stopped (resume) if that
// left the page short.
func filteredKeys(ctx context.Context, tx *sql.Tx, q CaseloadQuery, c candidates, n int, backward, pg bool) (keys []CaseloadKey, resume *CaseloadKey, byName bool, err error) {
	var from int64
	switch {
	case backward && q.Before != nil:
		from = q.Before.NameKey
	case !backward && q.After != nil:
		from = q.After.NameKey
	}
	if q.Section == SectionAll {
		ks, err := c.read(ctx, tx, from, n, backward)
		for _, k := range ks {
			keys = append(keys, CaseloadKey{NameKey: k})
		}
		return keys, nil, false, err
	}
	var look []int64
	if q.Section.byDue() {
		keys, first, ok, err := dueOrderKeys(ctx, tx, q, c, n, backward, pg)
		if ok || err != nil {
			return keys, nil, false, err
		}
		byName = true
		if from == 0 && !backward {
			look = first[:caseloadLook] // already read
		}
	}
	if look == nil {
		if look, err = c.read(ctx, tx, from, caseloadLook, backward); err != nil {
			return nil, nil, false, err
		}
	}
	if len(look) > 0 {
		query, args := inSectionSQL(q, look, n, backward, pg)
		ks, err := scanKeys(ctx, tx, query, args...)
		if err != nil {
			return nil, nil, false, err
		}
		for _, k := range ks {
			keys = append(keys, CaseloadKey{NameKey: k.NameKey})
		}
		if len(keys) == n {
			return keys, nil, byName, nil
		}
	}
	if len(look) == caseloadLook {
		resume = &CaseloadKey{NameKey: look[len(look)-1]}
	}
	return keys, resume, byName, nil
}

// dueOrderKeys lists a due section's matches as the section does without
// a filter, soonest due first, when the filter matches no more than
// caseloadLook people: all of them are read and sorted, so the work stays
// bounded. With more matches it reports !ok with the first caseloadLook+1
// it read, and the section lists them by name (CaseloadPage.ByName).
func dueOrderKeys(ctx context.Context, tx *sql.Tx, q CaseloadQuery, c candidates, n int, backward, pg bool) (keys []CaseloadKey, first []int64, ok bool, err error) {
	all, err := c.read(ctx, tx, 0, caseloadLook+1, false)
	if err != nil || len(all) > caseloadLook {
		return nil, all, false, err
	}
	in := make([]CaseloadKey, 0, len(all))
	if len(all) > 0 {
		lo, hi := sectionBounds(q)
		args := []any{lo, hi}
		for _, k := range all {
			args = append(args, k)
		}
		if in, err = scanKeys(ctx, tx, dueOrderSQL(len(all), pg), args...); err != nil {
			return nil, nil, false, err
		}
	}
	slices.SortFunc(in, compareKeys)
	switch {
	case q.After != nil && !backward:
		i, _ := slices.BinarySearchFunc(in, *q.After, compareKeys)
		for i < len(in) && compareKeys(in[i], *q.After) <= 0 {
			i++
		}
		in = in[i:]
	case q.Before != nil:
		i, _ := slices.BinarySearchFunc(in, *q.Before, compareKeys)
		in = in[:i]
	}
	if backward {
		slices.Reverse(in)
	}
	return in[:min(len(in), n)], nil, true, nil
}

// dueOrderSQL picks, among n name keys (the last n arguments), the people
// in a due section (the first two), by a seek for each key in
// people_key_due, which holds next_due_at too (no read of the person's
// row); the unary + keeps the planner off the section's stretch of
// people_due, which grows with the caseload.
func dueOrderSQL(n int, pg bool) string {
	return forEngine(pg, "SELECT next_due_at, name_key FROM people INDEXED BY people_key_due WHERE +next_due_at >= ? AND +next_due_at < ? AND name_key IN (?"+
		strings.Repeat(", ?", n-1)+")")
}

// compareKeys orders keys as a due section shows them.
func compareKeys(a, b CaseloadKey) int {
	if c := strings.Compare(a.Due, b.Due); c != 0 {
		return c
	}
	return cmp.Compare(a.NameKey, b.NameKey)
}

// inSectionSQL picks, among the name keys look, up to n people in q's
// section, in name order (backward: descending), by a seek for each key.
func inSectionSQL(q CaseloadQuery, look []int64, n int, backward, pg bool) (string, []any) {
	cond, args := sectionCond(q)
	for _, k := range look {
		args = append(args, k)
	}
	dir := ""
	if backward {
		dir = " DESC"
	}
	return forEngine(pg, "SELECT '', p.name_key FROM people p INDEXED BY people_key_due WHERE "+cond+" AND p.name_key IN (?"+strings.Repeat(", ?", len(look)-1)+
		") ORDER BY p.name_key"+dir+" LIMIT ?"), append(args, n)
}

// sectionCond is the condition (or TRUE) and its arguments that pick q's
// section among people aliased p, for a few keys already chosen: the
// unary + keeps the planner seeking those keys rather than walking the
// section's stretch of people_due.
func sectionCond(q CaseloadQuery) (string, []any) {
	switch q.Section {
	case SectionNoFollowUp:
		return "+p.next_due_at IS NULL", nil
	case SectionOverdue, SectionDueToday, SectionUpcoming:
		lo, hi := sectionBounds(q)
		return "+p.next_due_at >= ? AND +p.next_due_at < ?", []any{lo, hi}
	}
	return "TRUE", nil
}

// caseloadRows reads the rows for keys, in their order, in one statement
// (keys are a page: a few dozen). Each row looks up its calls, plans and
// safety events by a seek in an index of its own.
func caseloadRows(ctx context.Context, tx *sql.Tx, keys []CaseloadKey) ([]CaseloadRow, error) {
	out := make([]CaseloadRow, 0, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	args := make([]any, len(keys))
	for i, k := range keys {
		args[i] = k.NameKey
	}
	rows, err := tx.QueryContext(ctx, caseloadRowSQL+" IN (?"+strings.Repeat(", ?", len(keys)-1)+")", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byKey := make(map[int64]CaseloadRow, len(keys))
	for rows.Next() {
		var (
			r                        CaseloadRow
			conditions, status       string
			nextDue, lastAt, outcome sql.NullString
			plan                     sql.NullString
			confidence               sql.NullInt64
			nameKey                  int64
		)
		if err := rows.Scan(&nameKey, &r.ID, &r.Name, &r.PreferredName, &r.Phone, &conditions, &status, &nextDue,
			&lastAt, &outcome, &r.OpenCall, &r.Calls, &plan, &confidence, &r.SafetyFlag); err != nil {
			return nil, err
		}
		r.Conditions = coaching.ParseConditions(conditions)
		r.Status = coaching.Status(status)
		if r.LastCallAt, err = parseNullTime(lastAt); err != nil {
			return nil, fmt.Errorf("person %d: last call time: %w", r.ID, err)
		}
		if r.NextDue, err = parseNullTime(nextDue); err != nil {
			return nil, fmt.Errorf("person %d: next due time: %w", r.ID, err)
		}
		r.LastOutcome = coaching.Outcome(outcome.String)
		r.ActivePlan = plan.String
		r.LastConfidence = coaching.NoScore
		if confidence.Valid {
			r.LastConfidence = int(confidence.Int64)
		}
		byKey[nameKey] = r
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, k := range keys {
		if r, ok := byKey[k.NameKey]; ok { // one read snapshot: every key is there
			r.Key = k
			out = append(out, r)
		}
	}
	return out, nil
}

// caseloadRowSQL reads rows of the caseload by name key: it ends in
// "p.name_key", for " = ?" or " IN (...)".
var caseloadRowSQL = `SELECT p.name_key, p.id, p.name, p.preferred_name, p.phone, p.conditions, p.status, p.next_due_at,
	last.started_at, last.outcome,
	EXISTS (SELECT 1 FROM calls c WHERE c.person_id = p.id AND c.ended_at IS NULL),
	(SELECT count(*) FROM calls c WHERE c.person_id = p.id),
	(SELECT a.what FROM action_plans a WHERE a.person_id = p.id AND a.` + currentPlanWhere + `
		ORDER BY a.id DESC LIMIT 1),
	(SELECT s.score FROM action_plans a JOIN confidence_scores s ON s.plan_id = a.id
		WHERE a.person_id = p.id ORDER BY s.scored_at DESC, s.id DESC LIMIT 1),
	EXISTS (SELECT 1 FROM safety_events e WHERE e.person_id = p.id AND e.reviewed_at IS NULL)
FROM people p
LEFT JOIN calls last ON last.id = (
	SELECT c.id FROM calls c WHERE c.person_id = p.id
	ORDER BY c.started_at DESC, c.id DESC LIMIT 1)
WHERE p.name_key`

// Count is how many people a section holds, or, when counting stopped at
// CountCap, that it holds more than N.
type Count struct {
	N    int
	More bool // there are more than N
}

// CountCap is where counting stops: a section of more than this many
// shows "1,000+". Counting further would cost a read of each of them.
const CountCap = 1000

// CaseloadSize is how many people are on the caseload, kept as people are
// added and removed: it never counts the table. On a team database it is
// those the coach sees: their own and the pool's.
func (s *Store) CaseloadSize(ctx context.Context) (int, error) {
	var n int
	q := s.either("SELECT people FROM caseload_counts WHERE id = 1", "SELECT coalesce(sum(people), 0)::bigint FROM caseload_counts_by_coach")
	if err := s.ro.QueryRowContext(ctx, q).Scan(&n); err != nil {
		return 0, fmt.Errorf("caseload size: %w", err)
	}
	return n, nil
}

// CaseloadCounts counts the people in each of the five sections who match
// q's filter, stopping at CountCap; q's Section and paging are ignored.
// Without a filter everyone and no follow-up are exact (kept as they
// change), the due sections counted up to the cap along their stretch of
// people_due. With one, the first CountCap+1 matches are counted and
// sorted into sections: past the cap a count is a lower bound, except
// where it equals the section's whole (unfiltered, exact) count.
func (s *Store) CaseloadCounts(ctx context.Context, q CaseloadQuery) (map[Section]Count, error) {
	if err := checkDueWindow(q); err != nil {
		return nil, fmt.Errorf("count caseload sections: %w", err)
	}
	out := make(map[Section]Count, len(countedSections))
	err := s.read(ctx, func(tx *sql.Tx) error {
		f := strings.TrimSpace(q.Filter)
		if f == "" {
			const n = CountCap + 1
			return unfilteredCounts(ctx, tx, q, [len(countedDue)]int{n, n, n}, out, s.pg)
		}
		c, err := filterCandidates(ctx, tx, f, s.pg)
		if err != nil {
			return err
		}
		// One statement counts the first CountCap+1 matches into their
		// sections inside SQLite: a row at a time through database/sql
		// cost a string and more for each match, garbage that grew with
		// how many matched (at a million people, most short filters).
		var n, last int
		var lastSec sql.NullInt64
		var by [sectionCount]int
		query, args := c.countSQL(q, CountCap+1)
		err = tx.QueryRowContext(ctx, query, args...).Scan(&n, &last, &lastSec,
			&by[sectionOverdue], &by[sectionDueToday], &by[sectionUpcoming], &by[sectionNone])
		if err != nil {
			return err
		}
		more := n > CountCap
		if more && lastSec.Valid {
			// The first CountCap matches are counted: the one past
			// them (the last in name order) comes off its section.
			by[lastSec.Int64]--
		}
		out[SectionAll] = Count{N: min(n, CountCap), More: more}
		out[SectionOverdue] = Count{N: by[sectionOverdue], More: more}
		out[SectionDueToday] = Count{N: by[sectionDueToday], More: more}
		out[SectionUpcoming] = Count{N: by[sectionUpcoming], More: more}
		out[SectionNoFollowUp] = Count{N: by[sectionNone], More: more}
		if !more {
			return nil
		}
		// Past the cap a section's count is a lower bound, unless it
		// already holds everyone in that section: counted without the
		// filter (exactly, below the cap), it can hold no more.
		// Each due section is counted without the filter only as far as
		// one past the filter's count: it equals it or it is more.
		whole := make(map[Section]Count, len(countedSections))
		limits := [len(countedDue)]int{by[sectionOverdue] + 1, by[sectionDueToday] + 1, by[sectionUpcoming] + 1}
		if err := unfilteredCounts(ctx, tx, q, limits, whole, s.pg); err != nil {
			return err
		}
		for sec, c := range out {
			if w := whole[sec]; !w.More && c.N == w.N {
				out[sec] = Count{N: c.N}
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("count caseload sections: %w", err)
	}
	return out, nil
}

// The sections a match is counted in by countSQL, as numbers.
const (
	sectionOverdue = iota
	sectionDueToday
	sectionUpcoming
	sectionNone
	sectionCount
)

// countSQL counts the first n candidates (in name order) and how many of
// them are in each due section, in one statement: a seek for each key in
// people_key_due, whose entries lie in name order, so a thousand keys are
// a few pages, not a row's page each. Its columns: how many, the last
// one's name key and section (SQLite gives a bare column the values of
// the row max() picked; PostgreSQL has no bare columns, so it asks for
// the section of the greatest key), then how many are overdue, due
// today, upcoming and without a follow-up.
func (c candidates) countSQL(q CaseloadQuery, n int) (string, []any) {
	overdue, dueBy := formatBound(q.OverdueBefore), formatBound(q.DueBefore)
	sec := fmt.Sprintf("CASE WHEN d IS NULL THEN %d WHEN d < ? THEN %d WHEN d < ? THEN %d ELSE %d END",
		sectionNone, sectionOverdue, sectionDueToday, sectionUpcoming)
	var from string
	var args []any
	switch {
	case c.text != "" && c.pg:
		var cond string
		cond, args = c.finds()
		from = "SELECT name_key AS k, next_due_at AS d FROM people WHERE " + cond + " ORDER BY name_key LIMIT ?"
		args = append(args, n)
	case c.text != "":
		from = `SELECT p.name_key AS k, p.next_due_at AS d FROM people p INDEXED BY people_key_due WHERE p.name_key IN
			(SELECT rowid FROM people_search WHERE people_search MATCH ? ORDER BY rowid LIMIT ?)`
		args = []any{c.match(), n}
	default:
		from = "SELECT name_key AS k, next_due_at AS d FROM people INDEXED BY people_key_due WHERE name_key >= ? AND name_key < ? ORDER BY name_key LIMIT ?"
		args = []any{c.lo, c.hi, n}
	}
	last := "s"
	if c.pg {
		last = "(array_agg(s ORDER BY k DESC))[1]"
	}
	query := fmt.Sprintf(`SELECT count(*), coalesce(max(k), 0), %s,
		count(*) FILTER (WHERE s = %d), count(*) FILTER (WHERE s = %d), count(*) FILTER (WHERE s = %d), count(*) FILTER (WHERE s = %d)
		FROM (SELECT k, %s AS s FROM (%s) AS matched) AS sorted`, last, sectionOverdue, sectionDueToday, sectionUpcoming, sectionNone, sec, from)
	return forEngine(c.pg, query), append([]any{overdue, dueBy}, args...)
}

// unfilteredCountsSQL reads the kept counts of everyone and no follow-up
// and counts each due section up to its limit along its stretch of
// people_due, in one statement.
const unfilteredCountsSQL = `SELECT people, no_follow_up,
	(SELECT count(*) FROM (SELECT 1 FROM people WHERE next_due_at >= ? AND next_due_at < ? LIMIT ?) AS overdue),
	(SELECT count(*) FROM (SELECT 1 FROM people WHERE next_due_at >= ? AND next_due_at < ? LIMIT ?) AS due_today),
	(SELECT count(*) FROM (SELECT 1 FROM people WHERE next_due_at >= ? AND next_due_at < ? LIMIT ?) AS upcoming)
	FROM caseload_counts WHERE id = 1`

// unfilteredCountsPostgres is unfilteredCountsSQL on a team database, whose
// kept counts are each coach's and the pool's: a coach reads their own and
// the pool's (row-level security), the owner everyone's.
const unfilteredCountsPostgres = `SELECT coalesce(sum(people), 0)::bigint, coalesce(sum(no_follow_up), 0)::bigint,
	(SELECT count(*) FROM (SELECT 1 FROM people WHERE next_due_at >= ? AND next_due_at < ? LIMIT ?) AS overdue),
	(SELECT count(*) FROM (SELECT 1 FROM people WHERE next_due_at >= ? AND next_due_at < ? LIMIT ?) AS due_today),
	(SELECT count(*) FROM (SELECT 1 FROM people WHERE next_due_at >= ? AND next_due_at < ? LIMIT ?) AS upcoming)
	FROM caseload_counts_by_coach`

// countedSections are the sections CaseloadCounts counts.
var countedSections = []Section{SectionAll, SectionOverdue, SectionDueToday, SectionUpcoming, SectionNoFollowUp}

// countedDue are the sections unfilteredCountsSQL counts along people_due, in its order.
var countedDue = [...]Section{SectionOverdue, SectionDueToday, SectionUpcoming}

// unfilteredCounts counts the sections without a filter: everyone and no
// follow-up as kept, each due section along people_due up to its limit
// (in countedDue's order), past which it is "more", as past CountCap.
func unfilteredCounts(ctx context.Context, tx *sql.Tx, q CaseloadQuery, limits [len(countedDue)]int, out map[Section]Count, pg bool) error {
	args := make([]any, 0, 3*len(countedDue))
	for i, sec := range countedDue {
		q.Section = sec
		lo, hi := sectionBounds(q)
		args = append(args, lo, hi, limits[i])
	}
	var all, none int
	var due [len(countedDue)]int
	query := unfilteredCountsSQL
	if pg {
		query = unfilteredCountsPostgres
	}
	if err := tx.QueryRowContext(ctx, query, args...).Scan(&all, &none, &due[0], &due[1], &due[2]); err != nil {
		return err
	}
	out[SectionAll], out[SectionNoFollowUp] = Count{N: all}, Count{N: none}
	for i, sec := range countedDue {
		n := min(due[i], limits[i]-1, CountCap)
		out[sec] = Count{N: n, More: due[i] > n}
	}
	return nil
}

// checkDueWindow refuses instants that cannot split the sections.
func checkDueWindow(q CaseloadQuery) error {
	if q.OverdueBefore.IsZero() || q.DueBefore.IsZero() {
		return errors.New("the caseload's sections need the instants that start overdue and upcoming")
	}
	if q.OverdueBefore.After(q.DueBefore) {
		return errors.New("the overdue boundary is after the start of upcoming")
	}
	return nil
}

// formatBound formats an instant to compare stored times with. Stored
// times are whole seconds, so an instant part-way through a second is
// rounded up: stored < bound then holds exactly when the stored time is
// before the instant.
func formatBound(t time.Time) string {
	if s := t.Truncate(time.Second); !s.Equal(t) {
		t = s.Add(time.Second)
	}
	return formatTime(t)
}

// planHints are SQLite's hints to its planner: INDEXED BY, and a unary +
// that keeps a comparison of a column off that column's indexes.
var planHints = regexp.MustCompile(`INDEXED BY \w+\s|(^|[\s(])\+(\w)`)

// forEngine is query, written for SQLite, for the Store's engine: on
// PostgreSQL without planHints, which it has not (INDEXED BY) or reads
// otherwise (a unary + on text is an error); its planner goes by cost.
func forEngine(pg bool, query string) string {
	if !pg {
		return query
	}
	return planHints.ReplaceAllString(query, "$1$2")
}

// ftsString quotes s as an FTS5 string, so any character in it is matched
// literally rather than read as query syntax.
func ftsString(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}
