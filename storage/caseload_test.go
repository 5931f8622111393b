package storage

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"callcoach/coaching"
)

// smallCaseload stores a few people chosen to tell filters apart and
// returns their ids by a short key.
func smallCaseload(t *testing.T, s *Store) map[string]int64 {
	t.Helper()
	people := []struct {
		key string
		p   coaching.Person
	}{
		// Inserted out of name order, so the sort is the query's doing.
		{"zed", coaching.Person{Name: "Zed 100% Effort"}},
		{"sam2", coaching.Person{Name: "Sam Lee", Phone: "07700 900123"}},
		{"alice", coaching.Person{Name: "alice jones", PreferredName: "Al", Phone: "020 7946 0002", Conditions: []string{"type 2 diabetes", "hypertension"}}},
		{"adam", coaching.Person{Name: "Adam Smith", Phone: "+44 20 7946 0001", Conditions: []string{"COPD"}}},
		{"annx", coaching.Person{Name: "AnnXLee"}},
		{"bob", coaching.Person{Name: "Bob Brown", PreferredName: "Bobby", Phone: "0161 496 0003", Conditions: []string{"asthma"}}},
		{"ann_", coaching.Person{Name: "Ann_Lee"}},
		{"dee", coaching.Person{Name: `Dee \ Dee`}},
		{"elodie", coaching.Person{Name: "Élodie Martin", Conditions: []string{"chronic pain"}}},
		{"mariam", coaching.Person{Name: "مريم الحسن", PreferredName: "مريم"}},
		{"sam3", coaching.Person{Name: "sam lee", Status: coaching.StatusClosed}},
	}
	ids := map[string]int64{}
	for _, p := range people {
		ids[p.key] = createPerson(t, s, p.p)
	}
	return ids
}

// byName is smallCaseload's people in the order Caseload lists them:
// ASCII case folded, then id; non-ASCII letters sort after Z.
var byName = []string{"adam", "alice", "ann_", "annx", "bob", "dee", "sam2", "sam3", "zed", "elodie", "mariam"}

func keysOf(t *testing.T, ids map[string]int64, rows []CaseloadRow) []string {
	t.Helper()
	byID := map[int64]string{}
	for k, id := range ids {
		byID[id] = k
	}
	var out []string
	for _, r := range rows {
		out = append(out, byID[r.ID])
	}
	return out
}

func TestCaseloadFilter(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	ids := smallCaseload(t, s)
	tests := []struct {
		name, filter string
		want         []string
	}{
		{"empty", "", byName},
		{"only spaces", "   ", byName},
		{"name, other case", "ALICE", []string{"alice"}},
		{"name, surrounding space", "  bob  ", []string{"bob"}},
		{"name, middle", "lee", []string{"ann_", "annx", "sam2", "sam3"}},
		{"preferred name", "bobby", []string{"bob"}},
		{"condition", "Diabetes", []string{"alice"}},
		{"condition, short", "copd", []string{"adam"}},
		{"phone with spaces", "020 7946", []string{"alice"}},
		{"phone as digits", "0207946", []string{"alice"}},
		{"phone as typed elsewhere", "(020) 7946-0002", []string{"alice"}},
		{"phone, shared digits", "7946", []string{"adam", "alice"}},
		{"phone, international", "+44 20", []string{"adam"}},
		{"underscore is literal", "n_L", []string{"ann_"}},
		{"percent then text", "% eff", []string{"zed"}},
		{"backslash is literal", `\ D`, []string{"dee"}},
		{"quote is literal", `"Dee`, nil},
		{"FTS syntax is literal", "Lee OR", nil},
		{"digits in a name", "100%", []string{"zed"}},
		{"non-ASCII, same case", "Élodie", []string{"elodie"}},
		{"non-ASCII, other case", "éLODIE", []string{"elodie"}},
		{"one letter: start of name", "a", []string{"adam", "alice", "ann_", "annx"}},
		{"two letters: start of name, any case", "SA", []string{"sam2", "sam3"}},
		{"two letters: not inside a name", "ee", nil},
		{"short percent is literal", "%", nil},
		{"short underscore is literal", "_", nil},
		{"short backslash is literal", `\`, nil},
		{"short non-ASCII", "مر", []string{"mariam"}},
		{"right to left", "مريم", []string{"mariam"}},
		{"no match", "zzz", nil},
		{"digits, no match", "999999", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, err := s.rowsOf(ctx, CaseloadQuery{Filter: tt.filter})
			if err != nil {
				t.Fatal(err)
			}
			if got := keysOf(t, ids, rows); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Caseload(%q) = %v, want %v", tt.filter, got, tt.want)
			}
			n, err := s.countCaseload(ctx, tt.filter)
			if err != nil {
				t.Fatal(err)
			}
			if n != len(tt.want) {
				t.Errorf("CountCaseload(%q) = %d, want %d", tt.filter, n, len(tt.want))
			}
		})
	}
}

func TestCaseloadRowFields(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	id := createPerson(t, s, coaching.Person{Name: "Bob Brown", PreferredName: "Bobby", Phone: "0161 496 0003",
		Conditions: []string{"asthma", "COPD"}, Status: coaching.StatusPaused})
	rows, err := s.rowsOf(ctx, CaseloadQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) == 1 && rows[0].Key.NameKey <= 0 {
		t.Errorf("the row has no place in name order: %+v", rows[0].Key)
	}
	for i := range rows {
		rows[i].Key = CaseloadKey{}
	}
	want := []CaseloadRow{{ID: id, Name: "Bob Brown", PreferredName: "Bobby", Phone: "0161 496 0003",
		Conditions: []string{"asthma", "COPD"}, Status: coaching.StatusPaused, LastConfidence: coaching.NoScore}}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("got  %+v\nwant %+v", rows, want)
	}
}

func TestCaseloadCallColumns(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	type call struct {
		start   time.Duration // after t0
		outcome coaching.Outcome
	}
	tests := []struct {
		name  string
		calls []call
		want  CaseloadRow
	}{
		{"never called", nil, CaseloadRow{}},
		{"two ended calls", []call{{0, coaching.OutcomeReached}, {time.Hour, coaching.OutcomeVoicemail}},
			CaseloadRow{LastCallAt: t0.Add(time.Hour), LastOutcome: coaching.OutcomeVoicemail, Calls: 2}},
		{"newest unfinished", []call{{0, coaching.OutcomeReached}, {time.Hour, coaching.OutcomeNone}},
			CaseloadRow{LastCallAt: t0.Add(time.Hour), LastOutcome: coaching.OutcomeNone, OpenCall: true, Calls: 2}},
		{"older unfinished", []call{{0, coaching.OutcomeNone}, {time.Hour, coaching.OutcomeDeclined}},
			CaseloadRow{LastCallAt: t0.Add(time.Hour), LastOutcome: coaching.OutcomeDeclined, OpenCall: true, Calls: 2}},
		{"started out of order", []call{{2 * time.Hour, coaching.OutcomeNoAnswer}, {time.Hour, coaching.OutcomeReached}},
			CaseloadRow{LastCallAt: t0.Add(2 * time.Hour), LastOutcome: coaching.OutcomeNoAnswer, Calls: 2}},
		{"same second: the later call is newer", []call{{0, coaching.OutcomeReached}, {0, coaching.OutcomeNoAnswer}},
			CaseloadRow{LastCallAt: t0, LastOutcome: coaching.OutcomeNoAnswer, Calls: 2}},
		{"five calls", []call{{0, "reached"}, {1, "reached"}, {2 * time.Hour, "rescheduled"}, {3, "reached"}, {4, "reached"}},
			CaseloadRow{LastCallAt: t0.Add(2 * time.Hour), LastOutcome: coaching.OutcomeRescheduled, Calls: 5}},
	}
	for _, tt := range tests {
		pid := createPerson(t, s, coaching.Person{Name: tt.name})
		for _, c := range tt.calls {
			started, err := s.StartCall(ctx, pid, coaching.RoleCoach, t0.Add(c.start))
			if err != nil {
				t.Fatal(err)
			}
			if c.outcome != coaching.OutcomeNone {
				if err := s.EndCall(ctx, started.ID, c.outcome, t0.Add(c.start+time.Minute)); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, err := s.rowsOf(ctx, CaseloadQuery{Filter: tt.name})
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 1 {
				t.Fatalf("%d rows for %q", len(rows), tt.name)
			}
			r := rows[0]
			got := CaseloadRow{LastCallAt: r.LastCallAt, LastOutcome: r.LastOutcome, OpenCall: r.OpenCall, Calls: r.Calls}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// pages reads q's section a page of n at a time, forward from the first
// row to the last (following Resume too), and backward from the last;
// both must list the same people.
func pages(t *testing.T, s *Store, q CaseloadQuery, n int) []CaseloadRow {
	t.Helper()
	ctx := context.Background()
	q.Limit = n
	var forward []CaseloadRow
	for i := 0; ; i++ {
		if i > 1000 {
			t.Fatal("paging forward does not end")
		}
		page, err := s.Caseload(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if page.AtStart != (i == 0) {
			t.Fatalf("page %d forward: at start %v", i, page.AtStart)
		}
		if len(page.Rows) > n || len(page.Rows) < n && !page.AtEnd && page.Resume == nil {
			t.Fatalf("page %d forward: %d rows, at end %v, resume %v", i, len(page.Rows), page.AtEnd, page.Resume)
		}
		forward = append(forward, page.Rows...)
		if page.AtEnd {
			break
		}
		next := page.Resume
		if len(page.Rows) > 0 && (next == nil || page.Rows[len(page.Rows)-1].Key.NameKey > next.NameKey) {
			next = &page.Rows[len(page.Rows)-1].Key
		}
		q.After = next
	}
	q.After, q.Last = nil, true
	var backward []CaseloadRow
	for i := 0; ; i++ {
		if i > 1000 {
			t.Fatal("paging backward does not end")
		}
		page, err := s.Caseload(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if page.AtEnd != (i == 0) {
			t.Fatalf("page %d backward: at end %v", i, page.AtEnd)
		}
		backward = append(append([]CaseloadRow(nil), page.Rows...), backward...)
		if page.AtStart {
			break
		}
		prev := page.Resume
		if len(page.Rows) > 0 && (prev == nil || page.Rows[0].Key.NameKey < prev.NameKey) {
			prev = &page.Rows[0].Key
		}
		q.Last, q.Before = false, prev
	}
	if len(forward) != len(backward) {
		t.Fatalf("%d rows forward, %d backward", len(forward), len(backward))
	}
	for i := range forward {
		if forward[i].ID != backward[i].ID || forward[i].Key != backward[i].Key {
			t.Fatalf("row %d: %d %+v forward, %d %+v backward", i, forward[i].ID, forward[i].Key, backward[i].ID, backward[i].Key)
		}
	}
	return forward
}

func TestCaseloadPaging(t *testing.T) {
	s := newStore(t)
	ids := smallCaseload(t, s)
	for _, n := range []int{1, 2, 3, len(byName), 100} {
		if got := keysOf(t, ids, pages(t, s, CaseloadQuery{}, n)); !reflect.DeepEqual(got, byName) {
			t.Errorf("pages of %d = %v, want %v", n, got, byName)
		}
		if got := keysOf(t, ids, pages(t, s, CaseloadQuery{Filter: "lee"}, n)); !reflect.DeepEqual(got, []string{"ann_", "annx", "sam2", "sam3"}) {
			t.Errorf("pages of %d of lee = %v", n, got)
		}
		if got := keysOf(t, ids, pages(t, s, CaseloadQuery{Filter: "a"}, n)); !reflect.DeepEqual(got, []string{"adam", "alice", "ann_", "annx"}) {
			t.Errorf("pages of %d of a = %v", n, got)
		}
	}
	page, err := s.Caseload(context.Background(), CaseloadQuery{Filter: "zzz"})
	if err != nil || len(page.Rows) != 0 || !page.AtStart || !page.AtEnd {
		t.Errorf("no match: %+v, %v", page, err)
	}
}

func TestCaseloadLimits(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	seedCaseload(t, s, 600, 7)
	if n, err := s.countCaseload(ctx, ""); err != nil || n != 600 {
		t.Fatalf("count = %d, %v; want 600", n, err)
	}
	for _, tt := range []struct{ limit, want int }{
		{0, DefaultCaseloadLimit},
		{-1, DefaultCaseloadLimit},
		{10, 10},
		{MaxCaseloadLimit, MaxCaseloadLimit},
		{MaxCaseloadLimit + 1, MaxCaseloadLimit},
		{100_000, MaxCaseloadLimit},
	} {
		rows, err := s.rowsOf(ctx, CaseloadQuery{Limit: tt.limit})
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != tt.want {
			t.Errorf("limit %d: %d rows, want %d", tt.limit, len(rows), tt.want)
		}
	}
	// A full page is in order: case-insensitive name, then id.
	rows, err := s.rowsOf(ctx, CaseloadQuery{Limit: MaxCaseloadLimit})
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(rows); i++ {
		a, b := strings.ToLower(rows[i-1].Name), strings.ToLower(rows[i].Name)
		if a > b || a == b && rows[i-1].ID > rows[i].ID {
			t.Fatalf("rows %d and %d out of order: %q (%d), %q (%d)", i-1, i, rows[i-1].Name, rows[i-1].ID, rows[i].Name, rows[i].ID)
		}
	}
}

// TestCaseloadSearchFollowsEdits checks the triggers keep the trigram index
// in step with people: an edited name is found by its new words only.
func TestCaseloadSearchFollowsEdits(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	id := createPerson(t, s, coaching.Person{Name: "Margaret Okafor", Conditions: []string{"COPD"}})
	p, err := s.GetPerson(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	p.Name, p.Conditions = "Maggie Brown", []string{"asthma"}
	if err := s.UpdatePerson(ctx, p, time.Now()); err != nil {
		t.Fatal(err)
	}
	for filter, want := range map[string]int{"okafor": 0, "copd": 0, "brown": 1, "asthma": 1, "Mag": 1} {
		if n, err := s.countCaseload(ctx, filter); err != nil || n != want {
			t.Errorf("CountCaseload(%q) = %d, %v; want %d", filter, n, err, want)
		}
	}
	if _, err := s.rw.Exec("DELETE FROM people WHERE id = ?", id); err != nil {
		t.Fatal(err)
	}
	if n, err := s.countCaseload(ctx, "brown"); err != nil || n != 0 {
		t.Errorf("after delete: CountCaseload = %d, %v", n, err)
	}
	if s.pg {
		return // PostgreSQL's finder is an index of people itself, kept by the server
	}
	if _, err := s.rw.Exec("INSERT INTO people_search(people_search) VALUES ('integrity-check')"); err != nil {
		t.Errorf("search index integrity: %v", err)
	}
}

func TestDueSection(t *testing.T) {
	tests := []struct {
		d    coaching.DueState
		want Section
	}{
		{coaching.Overdue, SectionOverdue},
		{coaching.DueToday, SectionDueToday},
		{coaching.Upcoming, SectionUpcoming},
	}
	for _, tc := range tests {
		if got := DueSection(tc.d); got != tc.want {
			t.Errorf("DueSection(%v) = %v, want %v", tc.d, got, tc.want)
		}
	}
}

// TestCaseloadQueriesNeverScan holds the promise that nothing the caseload
// reads grows with the caseload: every query the pages, the counts and
// name order run is a seek or a bounded range of an index (EXPLAIN QUERY
// PLAN says SEARCH, or the trigram index), never a scan of people, calls,
// plans, scores or safety events, and no page sorts its candidates.
// nameNeighbourKeyStatements are what name_neighbour_key (0024_baseline.sql)
// runs, after then before, each the same name first: EXPLAIN of the
// function's call does not show their plans.
var nameNeighbourKeyStatements = [4]string{`SELECT p.name_key FROM people p WHERE nocase(p.name) = nocase(?1) AND p.id > ?2
		AND p.name_key IS NOT NULL ORDER BY nocase(p.name), p.id LIMIT 1`, `SELECT p.name_key FROM people p WHERE nocase(p.name) > nocase(?1)
		AND p.name_key IS NOT NULL ORDER BY nocase(p.name), p.id LIMIT 1`, `SELECT p.name_key FROM people p WHERE nocase(p.name) = nocase(?1) AND p.id < ?2
		AND p.name_key IS NOT NULL ORDER BY nocase(p.name) DESC, p.id DESC LIMIT 1`, `SELECT p.name_key FROM people p WHERE nocase(p.name) < nocase(?1)
		AND p.name_key IS NOT NULL ORDER BY nocase(p.name) DESC, p.id DESC LIMIT 1`}

func TestCaseloadQueriesNeverScan(t *testing.T) {
	s := newStore(t)
	seedCaseload(t, s, 300, 3)
	seedPlans(t, s, 3)
	seedSafety(t, s, 3)
	key := &CaseloadKey{Due: formatTime(t0), NameKey: 1 << 40}
	type query struct {
		name string
		sql  string
		args []any
	}
	var queries []query
	add := func(name, sql string, args ...any) { queries = append(queries, query{name, sql, args}) }
	for _, sec := range countedSections {
		for _, from := range []struct {
			name string
			q    CaseloadQuery
		}{{"first", CaseloadQuery{}}, {"after", CaseloadQuery{After: key}}, {"before", CaseloadQuery{Before: key}}, {"last", CaseloadQuery{Last: true}}} {
			q := from.q
			q.Section, q.OverdueBefore, q.DueBefore = sec, overdueBefore, dueBefore
			backward := q.Before != nil || q.Last
			query, args := unfilteredKeysSQL(q, 31, backward)
			add(fmt.Sprintf("%v %s", sec, from.name), query, args...)
		}
		for _, backward := range []bool{false, true} {
			query, args := inSectionSQL(CaseloadQuery{Section: sec, OverdueBefore: overdueBefore, DueBefore: dueBefore}, []int64{3, 1, 2}, 31, backward, s.pg)
			add(fmt.Sprintf("in %v backward %v", sec, backward), query, args...)
		}
	}
	for _, c := range []candidates{{pg: s.pg, text: "ann", digits: "020"}, {pg: s.pg, lo: 1, hi: 1 << 50}} {
		for _, from := range []int64{0, 1 << 40} {
			for _, backward := range []bool{false, true} {
				query, args := c.readSQL(from, 31, backward)
				add(fmt.Sprintf("candidates %+v from %d backward %v", c, from, backward), query, args...)
			}
		}
	}
	add("due order", dueOrderSQL(3, s.pg), "", formatTime(t0), int64(1), int64(2), int64(3))
	neighbours := append(neighbourAfterSQL[:], neighbourBeforeSQL[:]...)
	if s.pg {
		add("first key", firstKeyPostgres, "an")
		neighbours = nameNeighbourKeyStatements[:]
	} else {
		add("first key", firstKeySQL, "an")
	}
	add("row", caseloadRowSQL+" IN (?, ?)", int64(1), int64(2))
	for _, c := range []candidates{{pg: s.pg, text: "ann", digits: "020"}, {pg: s.pg, lo: 1, hi: 1 << 50}} {
		query, args := c.countSQL(CaseloadQuery{OverdueBefore: overdueBefore, DueBefore: dueBefore}, CountCap+1)
		add(fmt.Sprintf("due of candidates %+v", c), query, args...)
	}
	add("unfiltered counts", bySQL(unfilteredCountsSQL, unfilteredCountsPostgres), "", formatTime(overdueBefore), CountCap+1,
		formatTime(overdueBefore), formatTime(dueBefore), CountCap+1, formatTime(dueBefore), "~", CountCap+1)
	add("size", "SELECT people, no_follow_up FROM caseload_counts WHERE id = 1")
	for i, q := range neighbours {
		add(fmt.Sprintf("neighbour %d", i), q, []any{"Ann", int64(5)}[:2-i%2]...)
	}
	add("name place", "SELECT name_key FROM people_name_place WHERE id = ?", int64(5)) // the triggers' key for a person
	add("keys up", keysUpSQL, int64(1), 9)
	add("keys down", keysDownSQL, int64(1), 9)
	add("unkeyed", unkeyedSQL)

	scanned := func(detail string) bool {
		for _, table := range []string{"p", "people", "a", "action_plans", "s", "confidence_scores", "c", "calls", "e", "safety_events", "last"} {
			if detail == "SCAN "+table || strings.HasPrefix(detail, "SCAN "+table+" ") {
				return true
			}
		}
		return false
	}
	for _, q := range queries {
		if s.pg {
			// Neither sorts nor the due order's seeks are checked: the
			// trigram index's matches come as a bitmap, in no order, and
			// the planner picks among indexes by cost.
			plan := pgPlan(t, s, q.sql, q.args...)
			t.Logf("%s:\n%s", q.name, plan)
			if scans := seqScans(plan, "people", "action_plans", "confidence_scores", "calls", "safety_events"); scans != nil {
				t.Errorf("%s: no index serves %v\n%s", q.name, scans, plan)
			}
			// Where many match, walking people_name_key and stopping at a
			// page is cheaper, and the planner may take it: that the finder's
			// index can serve the filter is seen with index scans off too.
			if strings.Contains(q.name, "text:ann") && strings.Contains(q.name, "from 0 ") {
				plan := pgPlanWithout(t, s, []string{"seqscan", "indexscan"}, q.sql, q.args...)
				if !strings.Contains(plan, "Bitmap Index Scan on people_search") {
					t.Errorf("%s: the finder's index does not serve it\n%s", q.name, plan)
				}
			}
			continue
		}
		plan := explain(t, s, q.sql, q.args...)
		t.Logf("%s:\n%s", q.name, planText(plan)) // -v prints every plan (docs/performance.md)
		for _, l := range plan {
			// A row sorts only its own person's confidence scores.
			sorts := strings.HasPrefix(l.detail, "USE TEMP B-TREE") && q.name != "row"
			if scanned(l.detail) || sorts {
				t.Errorf("%s: %s\n%s", q.name, l.detail, planText(plan))
			}
			// Due order seeks each key; a range of people_due would grow.
			if (q.name == "due order" || strings.HasPrefix(q.name, "in ") || strings.HasPrefix(q.name, "due of")) &&
				strings.HasPrefix(l.detail, "SEARCH p") && !strings.Contains(l.detail, "COVERING INDEX people_key_due (name_key") {
				t.Errorf("%s: %s\n%s", q.name, l.detail, planText(plan))
			}
		}
	}
}
